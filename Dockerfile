# The service image: exactly what `pip install .` installs (every package pyproject.toml declares, the
# catalogs compiled), run by a user without rights. SQLite under /data by default; set NHACVIEC_DB_URL
# for PostgreSQL (docker-compose.yml does). tests/ops/test_image.py checks that every package is copied.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NHACVIEC_DB_URL=sqlite:////data/nhacviec.db \
    NHACVIEC_HTTP_HOST=0.0.0.0 \
    NHACVIEC_HTTP_PORT=8081 \
    NHACVIEC_SANDBOX_HOST=0.0.0.0

# pg_dump and pg_restore, for `nhacviec backup` and `nhacviec restore` of a PostgreSQL database.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Built from a copy that is removed afterwards: the service runs the installed package, nothing else.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY domain ./domain
COPY scheduler ./scheduler
COPY models ./models
COPY importer ./importer
COPY reports ./reports
COPY nhacviec ./nhacviec
COPY locales ./locales
COPY sandbox ./sandbox
RUN pip install --no-cache-dir . \
    && pybabel compile -D nhacviec -d "$(cd / && python -c 'import locales, os; print(os.path.dirname(locales.__file__))')" \
    && rm -rf /src \
    && useradd --create-home nhacviec && mkdir /data && chown nhacviec /data

WORKDIR /data
USER nhacviec
VOLUME ["/data"]
# 8080: the sandbox's chat page (only without a Telegram token); 8081: /healthz, /readyz, /metrics.
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('NHACVIEC_HTTP_PORT', '8081'), timeout=4)"
ENTRYPOINT ["nhacviec"]
CMD ["run"]

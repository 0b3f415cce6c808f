# The service image: SQLite under /data by default; set NHACVIEC_DB_URL for PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NHACVIEC_DB_URL=sqlite:////data/nhacviec.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY models ./models
COPY importer ./importer
COPY reports ./reports
COPY nhacviec ./nhacviec
COPY locales ./locales
RUN pip install --no-cache-dir . \
    && pybabel compile -D nhacviec -d "$(python -c 'import locales, os; print(os.path.dirname(locales.__file__))')" \
    && useradd --create-home nhacviec && mkdir /data && chown nhacviec /data

USER nhacviec
VOLUME ["/data"]
ENTRYPOINT ["nhacviec"]
CMD ["run"]

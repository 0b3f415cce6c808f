# Two commands do all the set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench locales clean system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile -D nhacviec -d locales
	touch $(STAMP)

# Tests drive Debian's Chromium (the sandbox page) and LibreOffice + poppler (the .docx report as PDF and
# PNG). Installing them needs root, as on CI and these machines; elsewhere those tests are skipped.
SYSTEM_PACKAGES := chromium chromium-driver libreoffice-writer-nogui poppler-utils fonts-liberation
system-packages:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v soffice >/dev/null \
		&& command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "Not root: Chromium/LibreOffice are not installed and their tests will be skipped."; fi

run: $(STAMP)
	$(BIN)/nhacviec run

test: $(STAMP) system-packages
	$(BIN)/pybabel compile -D nhacviec -d locales
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot domain scheduler models importer reports nhacviec locales sandbox
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/import_scale.py

# Re-extract the msgids from the code and merge them into both catalogs.
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --no-wrap -o locales/nhacviec.pot bot domain scheduler models importer reports nhacviec
	$(BIN)/pybabel update -D nhacviec -i locales/nhacviec.pot -d locales --no-fuzzy-matching --no-wrap

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

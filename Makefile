# saferplaces: `make demo` runs the platform with the Wolverhampton demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast system-deps browser-deps lint bench bench-load clean help

help:
	@echo "make demo   set up, load the Wolverhampton demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run the whole test suite (SQLite; DATABASE_URL for another)"
	@echo "make lint   ruff"
	@echo "make bench  benchmarks (bench/README.md); make bench-load only the load figures"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m compileall -q saferplaces >/dev/null  # as an installed package ships it
	touch $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

# WeasyPrint (PDF reports) needs Pango; Debian's Python images have it, others may not.
system-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so"; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Pango for PDF reports (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else echo "Pango is missing: install libpango-1.0-0 and libpangoft2-1.0-0 for PDF reports"; fi; \
	fi

demo: $(STAMP) var/secret_key system-deps
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/saferplaces demo
	@echo ""
	@echo "Open http://127.0.0.1:$(PORT)/ and log in with a user name above."
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/saferplaces serve --port $(PORT)

# Chromium for the browser tests: installed from Debian's packages when missing and we are root.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Chromium could not be installed: browser tests will be skipped"; \
	  else echo "Chromium is not installed: browser tests will be skipped"; fi; \
	fi

test: $(STAMP) system-deps browser-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP)
	SECRET_KEY=bench $(BIN)/python bench/ingest.py
	SECRET_KEY=bench $(BIN)/python bench/small_import.py
	SECRET_KEY=bench $(BIN)/python bench/reports.py
	$(BIN)/python bench/assessment.py
	$(BIN)/python bench/action_import.py
	$(BIN)/python bench/load.py

# 50 browsing + 5 posting users against gunicorn, on SQLite and a throwaway PostgreSQL.
bench-load: $(STAMP)
	$(BIN)/python bench/load.py

lint: $(STAMP)
	$(BIN)/ruff check saferplaces tests $$(test -d bench && echo bench)

clean:
	rm -rf $(VENV) var build *.egg-info

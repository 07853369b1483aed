# RNN Adder Lab — developer entry points.
#   make run    start the Streamlit app
#   make serve  REPLICAS=N Streamlit processes behind nginx on PORT (more viewers than one core serves)
#   make test   lint + full test suite (installs Chromium, nginx and PostgreSQL via apt if missing)
#   make test-latest   the browser and page tests against the newest releases (own venv)

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.requirements.stamp
CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
REPLICAS ?= 2
PORT     ?= 8501

.DEFAULT_GOAL := help
.PHONY: help venv run serve nginx postgresql chromium lint test test-latest bench clean

help:
	@echo "make run     - start the app (streamlit run app.py)"
	@echo "make serve   - REPLICAS=2 app processes behind nginx on PORT=8501 (installs nginx if missing)"
	@echo "make test    - ruff + pytest (creates .venv, installs chromium, nginx, postgresql if missing)"
	@echo "make test-latest - browser + page tests with the newest releases of every requirement"
	@echo "make lint    - ruff check ."
	@echo "make bench   - engine benchmark (python -m rnn.bench)"
	@echo "make venv    - create/refresh .venv from requirements-dev.txt"
	@echo "make clean   - remove .venv and caches"

venv: $(STAMP)

# pip runs again only when a requirements file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

run: venv
	$(BIN)/streamlit run app.py

# scripts/serve.py: the replicas, nginx in front (deploy/nginx.conf.template), Ctrl-C stops all.
serve: venv nginx
	$(BIN)/python scripts/serve.py --replicas $(REPLICAS) --port $(PORT)

nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then \
		echo "nginx: $$( (command -v nginx || echo /usr/sbin/nginx) )"; \
	else \
		echo "Installing Debian's nginx package..."; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx; \
	fi

postgresql:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "postgresql: $$(ls -d /usr/lib/postgresql/*/bin | head -1)"; \
	else \
		echo "Installing Debian's postgresql package (the store tests start a throwaway server)..."; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; \
	fi

chromium:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	else \
		echo "Installing Debian's chromium package..."; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

lint: venv
	$(BIN)/ruff check .

test: venv chromium nginx postgresql  # the browser, replica and PostgreSQL tests never skip
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# requirements.txt pins what the tests passed with; this tries tomorrow's releases in a venv of
# their own (.venv-latest), so an upgrade is a decision: if it passes, move the pins.
LATEST       := .venv-latest
LATEST_NAMES  = $(shell sed -n 's/^\([A-Za-z0-9_.-]*\)[=<>~!].*/\1/p' requirements.txt requirements-dev.txt)
LATEST_TESTS ?= tests/test_browser_*.py tests/test_app_*.py

test-latest: chromium
	$(LATEST)/bin/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(LATEST)
	$(LATEST)/bin/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(LATEST)/bin/python -m pip install --disable-pip-version-check -q --upgrade $(LATEST_NAMES)
	@echo "Newest releases:"; $(LATEST)/bin/python -m pip freeze | grep -iE '^($(shell echo $(LATEST_NAMES) | tr ' ' '|'))=='
	$(LATEST)/bin/python -m pytest -q $(LATEST_TESTS)

bench: venv
	$(BIN)/python -m rnn.bench

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# The README's two commands: `make run` and `make test`. Everything else is a helper of those two.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
AIMAQ := $(VENV)/bin/aimaq
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup browser lint format bench clean

## run: set up (venv, packages, store with the bundled data of all five seeds) and start the web app
run: setup
	$(AIMAQ) init
	$(AIMAQ) serve --host $(HOST) --port $(PORT)

## test: set up, install Debian's Chromium for the browser tests if missing, lint, run the whole suite
test: setup browser
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

setup:
	bash scripts/setup.sh

browser:
	bash scripts/install-browser.sh

lint:
	$(VENV)/bin/ruff check src tests bench

format:
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

bench: setup
	for f in bench/bench_*.py; do $(PY) $$f; done

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache

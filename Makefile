# dangvu: `make demo` sets everything up and serves the demo; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
DANGVU := .venv/bin/dangvu
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve migrate test lint messages bench clean lock

help:
	@echo "make demo     build everything, load the demo data and serve http://$(HOST):$(PORT)"
	@echo "make test     run the test suite once (DATABASE_URL, SQLite when unset)"
	@echo "make install  build .venv from the lock file and the front-end assets"

install:
	@scripts/install.sh

migrate: install
	$(DANGVU) migrate --noinput -v 0

demo: migrate
	$(DANGVU) load_demo
	@DANGVU=$(DANGVU) HOST=$(HOST) PORT=$(PORT) scripts/demo.sh

serve: migrate
	$(DANGVU) runserver $(HOST):$(PORT)

test: install
	@scripts/test.sh

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

messages: install
	cd dangvu && ../.venv/bin/dangvu makemessages -l vi --no-location --no-obsolete -v 0

bench: install
	.venv/bin/python bench/run.py

clean:
	rm -rf .venv node_modules static/vendor .pytest_cache .ruff_cache

lock: install
	.venv/bin/uv pip compile requirements.in -o requirements.lock --python-version 3.12 -q
	.venv/bin/uv pip compile requirements-dev.in -c requirements.lock -o requirements-dev.lock --python-version 3.12 -q

# SRO Portal: `make run` to try it, `make test` to check it.
# Both create .venv (Python 3.12 via .python-version) and install the locked
# dependencies with uv; nothing else needs to be installed by hand.

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Development defaults; production sets DEBUG=false and a SECRET_KEY.
export DEBUG ?= true

PYTHON_VERSION := $(shell cat .python-version)
PYTHON := $(shell command -v python$(PYTHON_VERSION) 2>/dev/null || echo python3)
VENV := .venv
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format check-deploy clean bench bench-tasks

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

# A development .env, so that manage.py commands run by hand use development
# settings too. Production never runs these targets: it sets its own environment.
.env:
	printf '# Development settings (see README, Configuration).\nDEBUG=true\n' > .env

install: $(UV)
	$(UV) sync --frozen --inexact --no-dev

install-dev: $(UV)
	$(UV) sync --frozen --inexact

# The development server, the task worker (emails, long exports) and, every minute,
# the outbox and exports sweeps, in one command: stopping it (Ctrl-C) stops them all.
run: install .env
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	@echo "SRO Portal runs on http://$(HOST):$(PORT)/ (demo password: sro-portal-demo)"
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(PY) manage.py db_worker --no-startup-delay & \
	while sleep 60; do $(PY) manage.py outbox_sweep; $(PY) manage.py exports_sweep; done & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Two test processes (pytest-xdist), one per core of a usual CI machine; each has its
# own test database. PYTEST_ARGS="-n 0 ..." runs in one process.
PYTEST_ARGS ?= -n 2

test: install-dev .env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# District-scale benchmark (README, "District scale"). Needs a database built with
# `DATABASE_URL=... manage.py seed_scale`; BENCH_ARGS passes options to bench/run.py.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# Background work at district scale (README, "Background work"): publishing to the
# district, one worker delivering 6,000 emails to a local SMTP server, the largest
# binder. Needs the same database as `make bench`, and the dev tools (aiosmtpd).
bench-tasks: install-dev
	$(PY) bench/tasks.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

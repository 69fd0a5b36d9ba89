# Two commands on a fresh machine: `make run` and `make test`.
# Django 6.1 needs Python >= 3.12. A candidate counts only if it actually runs and is new
# enough: pyenv shims (python3.13, python3.12) exist on PATH but exit 127 unless pyenv
# selects that version, so `command -v` alone would pick a broken interpreter.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
VPY := $(VENV)/bin/python
PY_CANDIDATES := python3.14 python3.13 python3.12 python3 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3))
FIND_PYTHON = for p in $(PY_CANDIDATES); do \
	  if "$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; \
	  then echo "$$p"; exit 0; fi; done; exit 1

.PHONY: run serve test test-browser lint audit bench bench-pages bench-import venv clean backup restore
.DEFAULT_GOAL := run

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@py=$$($(FIND_PYTHON)) || { \
	  echo "error: no Python 3.12 or newer found (tried: $(PY_CANDIDATES))." >&2; \
	  echo "Install Python 3.12+ (or select one with pyenv) and run make again." >&2; exit 1; }; \
	if [ -x $(VPY) ] && ! $(VPY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; \
	then rm -rf $(VENV); fi; \
	[ -x $(VPY) ] || { echo "Creating $(VENV) with $$py ($$($$py --version))"; "$$py" -m venv $(VENV); }
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# The development server, with the scheduler beside it (publish_scheduled --every 30, stopped
# with the server), and notification links pointing at this PORT.
run: venv
	DEBUG=$${DEBUG:-1} $(VPY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(VPY) manage.py loaddemo --if-empty
	@export DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	  $(VPY) manage.py publish_scheduled --every 30 & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT; \
	  $(VPY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn (portal/gunicorn.conf.py: a worker per core, graceful HUP reload and
# TERM shutdown) and the background worker (manage.py worker) beside it, both stopped
# together. It needs the production environment (DEBUG=0 and what the settings then
# require: SECRET_KEY, DATABASE_URL, SITE_URL, a mail backend, ALLOWED_HOSTS…) and refuses
# to start without it. Run the migrations first, as the tables' owner (README, Production).
serve: venv
	@[ "$${DEBUG:-0}" = 0 ] || { echo "error: make serve runs the production settings;" \
	  "unset DEBUG (make run is the development server)." >&2; exit 2; }
	DEBUG=0 $(VPY) manage.py check --deploy --fail-level WARNING
	DEBUG=0 $(VPY) manage.py collectstatic --noinput -v0
	@export DEBUG=0; \
	  $(VPY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(VENV)/bin/gunicorn --config portal/gunicorn.conf.py portal.wsgi:application

# On PostgreSQL when DATABASE_URL is set, else on SQLite.
test: venv
	DEBUG=$${DEBUG:-1} $(VPY) -m pytest $(PYTEST_ARGS)

# The editorial desk and the public site in headless Chromium (tests/browser, Playwright):
# Debian's Chromium, installed with apt when missing (Playwright's own download is not used),
# and axe-core from the npm registry. Screenshots are saved in var/screenshots/.
AXE_VERSION := 4.14.1
test-browser: venv
	@[ -x /usr/bin/chromium ] || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "error: make test-browser needs Chromium (apt-get install chromium)." >&2; exit 1; }
	@[ -f var/browser/node_modules/axe-core/package.json ] && \
	  grep -q '"version": "$(AXE_VERSION)"' var/browser/node_modules/axe-core/package.json || \
	  { mkdir -p var/browser && npm install --silent --no-save --prefix var/browser \
	    axe-core@$(AXE_VERSION); }
	DEBUG=$${DEBUG:-1} $(VPY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

# The public pages under load at catalogue size (PostgreSQL, Redis, gunicorn, wrk): numbers,
# not pass/fail; see bench/load.py. BENCH_SMOKE=1 is the short run CI makes.
bench: venv
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "error: make bench needs wrk (apt-get install wrk)." >&2; exit 1; }
	$(VPY) bench/load.py

# The ClinicalTrials.gov import at 10,000 records on PostgreSQL: time and peak memory of a
# first import and a no-change re-import (see bench/import.py).
bench-import: venv
	$(VPY) bench/import.py

# In-process time, query count and peak memory of each page (see bench/pages.py).
bench-pages: venv
	$(VPY) bench/pages.py

# Back the database up (pg_dump custom format on PostgreSQL, the online backup API on SQLite),
# to BACKUP or var/backups/portal-<time>.backup; restore one into an empty database
# (RESTORE_ARGS=--replace to overwrite), then check the audit trail. See README, Backups.
backup: venv
	$(VPY) manage.py backup $(BACKUP)

restore: venv
	@[ -n "$(BACKUP)" ] || { echo "usage: make restore BACKUP=path/to/file.backup" >&2; exit 2; }
	$(VPY) manage.py restore $(RESTORE_ARGS) $(BACKUP)
	$(VPY) manage.py verify_audit

lint: venv
	$(VENV)/bin/ruff check .

# Known vulnerabilities in the pinned requirements (scripts/audit.py). pip-audit lives in its
# own virtualenv, so that its dependencies never mix with the portal's.
AUDIT_VENV := .venv-audit
audit: venv
	@[ -x $(AUDIT_VENV)/bin/pip-audit ] || { $(VPY) -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/pip install --quiet --disable-pip-version-check pip-audit==2.10.1; }
	$(VPY) scripts/audit.py $(AUDIT_VENV)/bin/pip-audit

clean:
	rm -rf $(VENV) $(AUDIT_VENV) db.sqlite3 var .pytest_cache .ruff_cache

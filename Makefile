# Waypoint: `make run` serves the app on SQLite with the catalog loaded (into an empty database
# only: once it has a catalog, the database is the source of truth); `make test` runs every test;
# `make worker` delivers queued mail.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
AUDIT_TOOLS := audit-tools
WRK := /usr/bin/wrk

.PHONY: run worker test lint format install install-dev chromium nginx collectstatic clean mutate \
	scale-check backup restore audit java wrk bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Development settings come from the environment, not from edited files.
run: export DEBUG ?= 1
run: install
	@[ -f .env ] || echo "DEBUG=1" > .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_catalog --if-empty
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The mail worker: delivers the mail queue, retrying refused mail with back-off. Settings come
# from the environment as for the web process (production: SECRET_KEY, DATABASE_URL, EMAIL_URL).
worker: install
	$(PY) manage.py mail_worker

# Backups (README, "Backups"), with the environment of the web process: `make backup` writes
# backups/waypoint-<UTC time>.backup, or BACKUP=path; `make restore BACKUP=path YES=1` replaces
# the database's data with the backup's (without YES=1 it explains and refuses).
backup: install
	@mkdir -p backups
	$(PY) manage.py backup_db $(or $(BACKUP),backups/waypoint-$$(date -u +%Y%m%dT%H%M%SZ).backup)

restore: install
	@if [ -z "$(BACKUP)" ]; then echo "Usage: make restore BACKUP=path/to/backup [YES=1]"; exit 1; fi
	$(PY) manage.py restore_db "$(BACKUP)" $(if $(filter 1,$(YES)),--yes)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || exit 1; \
	  else \
	    echo "Chromium is missing. Install it with:  sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi

# nginx (tests/test_deploy.py checks deploy/nginx.conf with `nginx -t`; `make scale-check` runs
# it) and openssl (a throwaway certificate for those checks), installed as Chromium is.
nginx:
	@if [ ! -x $(NGINX) ] || ! command -v openssl >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl) || exit 1; \
	  else \
	    echo "nginx or openssl is missing. Install them with:  sudo apt-get install -y nginx openssl"; exit 1; \
	  fi; \
	fi

# Java for the Nu HTML checker (`make audit`), installed as Chromium is.
java:
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) || exit 1; \
	  else \
	    echo "Java is missing. Install it with:  sudo apt-get install -y default-jre-headless"; exit 1; \
	  fi; \
	fi

# The Nu HTML checker (vnu-jar) and Lighthouse, pinned by audit-tools/package-lock.json (its
# own folder, not under tools/, which mutmut copies: node_modules is some 200 MB).
$(AUDIT_TOOLS)/node_modules/.package-lock.json: $(AUDIT_TOOLS)/package.json $(AUDIT_TOOLS)/package-lock.json
	cd $(AUDIT_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Page quality: every page type and state a user can reach (public, member, newcomer, staff,
# account and allauth pages, each form after a failed submit, the 404 and CSRF pages) from
# gunicorn with the production profile on a throwaway SQLite database, through the Nu HTML
# checker, axe-core (WCAG 2.1 A/AA; light and dark, 1280 and 375 px) and sideways scrolling at
# 375 px; Lighthouse for the home page, a transition and the plan page, which must score 100 for
# best practices and SEO and at least 98 for performance and accessibility. Prints one table
# with a verdict per page type and the failures; exits 1 on any failure. AUDIT_ARGS=
# "--no-lighthouse", "--only home,plan" or "--screenshots DIR" (full-page PNGs, 375 and 1280 px).
audit: install-dev chromium java $(AUDIT_TOOLS)/node_modules/.package-lock.json
	$(PY) tools/audit.py $(AUDIT_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Tests run with DEBUG off, as production does; static files come from the finders.
# PYTEST_ARGS passes options to pytest (CI's PostgreSQL run leaves out the axe module).
PYTEST_ARGS ?=
test: export SECRET_KEY ?= insecure-key-for-tests-only
test: export STATIC_MANIFEST ?= 0
test: install-dev chromium nginx
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Mutation testing of the pure core with mutmut: the modules mutated are `only_mutate` in
# pyproject.toml's [tool.mutmut] (add one there). Prints one table; the survivors' diffs go to
# mutants-report/<module>.txt. Exits 0 whatever the scores.
# mutants/ starts fresh on every run, since mutmut keeps earlier verdicts even after a new test
# would kill a survivor. MUTATE_RESUME=1 keeps it and tests only the mutants not yet checked
# (an interrupted run goes on); MUTANTS='roadmaps.weeks.*' re-tests only those mutants.
MUTATE_CHILDREN ?= 2
MUTATE_RESUME ?= 0
MUTANTS ?=
mutate: export SECRET_KEY ?= insecure-key-for-tests-only
mutate: export STATIC_MANIFEST ?= 0
mutate: install-dev
	@if [ "$(MUTATE_RESUME)" != 1 ] && [ -z "$(MUTANTS)" ]; then rm -rf mutants mutants-report; fi
	@mkdir -p mutants-report
	@set -f; start=$$(date +%s); \
	echo "mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS) (log: mutants-report/mutmut-run.log)"; \
	if ! $(VENV)/bin/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS) >mutants-report/mutmut-run.log 2>&1; then \
	  tail -c 3000 mutants-report/mutmut-run.log | tr '\r' '\n' | tail -n 30; \
	  echo "mutmut failed: see mutants-report/mutmut-run.log"; exit 1; \
	fi; \
	$(PY) tools/mutation_report.py --wall-seconds $$(( $$(date +%s) - start ))

# Scale-out on one machine: a scratch PostgreSQL database (127.0.0.1:5432, user postgres), Redis
# db 14 (127.0.0.1:6379), two gunicorn instances and nginx in front; checks that nothing lives in
# one process (sessions, rate limits, cache, reminders) and cleans up after itself.
scale-check: install nginx
	$(PY) tools/scale_check.py

# wrk (HTTP load generator, `make bench`), installed as Chromium is.
wrk:
	@if [ ! -x $(WRK) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) || exit 1; \
	  else \
	    echo "wrk is missing. Install it with:  sudo apt-get install -y wrk"; exit 1; \
	  fi; \
	fi

# Benchmarks (README, "Benchmarks"): gunicorn as in production against a database of N members
# (built once into .bench/, or waypoint_bench_<N> on the PostgreSQL server of DATABASE_URL), wrk
# on each page; one table of req/s, p50, p99, errors and ratio to /healthz against the targets.
# Options: N=1000 REBUILD=1 DURATION=10 CONNECTIONS=20 THREADS=2 ROUNDS=3 WORKERS=2 TIMEOUT=10
# PAGES=plan,tick BENCH_OUT=file.md. Exits 0 whatever the figures (1 if it could not measure).
bench: install wrk
	$(PY) -m tools.bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache mutants mutants-report .bench

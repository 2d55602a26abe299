# Newsroom: `make run` serves the site for development, `make test` runs the whole suite,
# `make serve` is the production server, `make lint` checks style and structure, `make bench`
# measures. All create .venv and install requirements.txt first.
# PYTHON=... picks the interpreter; HOST= and PORT= move the server.

PYTHON ?= $(shell ./scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test lint setup migrate demo bench bench-import clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { ./scripts/find-python; exit 1; }
	"$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# The test suite and the tools (ruff, import-linter) on top of what production runs.
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# A local, git-ignored .env with DEBUG=1 and a random SECRET_KEY, written once and never
# overwritten: the settings read it, so the manage.py commands printed below work as typed.
.env: | $(BIN)/python
	@$(BIN)/python scripts/write-env $@

setup: $(VENV)/.installed .env

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The development server with a background task worker beside it (scripts/with-worker); both
# stop together.
run: demo
	@$(BIN)/python scripts/run-banner "$(HOST)" "$(PORT)"
	$(BIN)/python scripts/with-worker $(BIN)/python manage.py runserver "$(HOST):$(PORT)"

# Production: migrations, static files, gunicorn with DEBUG=0 and a task worker (scripts/serve says more).
serve: $(VENV)/.installed
	HOST="$(HOST)" PORT="$(PORT)" ./scripts/serve

# The suite ignores .env (newsroom/test_settings.py), so it does not write one.
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, the import contracts (pyproject.toml), Django's checks, and no model change without
# its migration. CI runs it before the tests.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py check --settings=newsroom.test_settings
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=newsroom.test_settings

# The benchmarks, then bench/RESULTS.md's generated part rewritten (bench/run_all.py). About 25 min
# at the default size (100,000 articles, the site's database built once and kept under /tmp),
# plus the PostgreSQL import and the listings at SCALE_SIZE stories (1,000,000: its database is
# built once, ~4 min, and kept; SCALE_SIZE=100000 is quicker); BENCH_SIZE=2000 takes a few
# minutes; BENCH_ONLY="site api" picks benchmarks. Needs wrk and a PostgreSQL on 127.0.0.1:5432.
BENCH_SIZE ?= 100000
SCALE_SIZE ?= 1000000
BENCH_ONLY ?= site api media import import-pg scale search reliability
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run_all.py --size "$(BENCH_SIZE)" --scale-size "$(SCALE_SIZE)" --only "$(BENCH_ONLY)"

clean:
	rm -rf $(VENV) var/static

# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
STAMP := $(VENV)/.installed
# pytest-xdist: one worker per CPU core, each with its own test database; each test file runs
# whole on one worker (--dist loadfile), so a module-scoped fixture (the browser crawls) is built once.
# `make test PYTEST_ARGS=tests/kb/test_pages.py` runs one file, serially.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test setup install chromium lint format check-deploy prod-smoke clean world-map backup restore bench messages

run: setup  ## Set up everything, load the content, serve http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST)

test: install chromium  ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/python manage.py compile_translations --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install
	mkdir -p var
	$(BIN)/python manage.py compile_translations --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_kb

install: $(STAMP)

chromium:  ## Debian's Chromium for the browser tests (tests/browser), installed if missing and root
	.ci/install-chromium

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

lint: install  ## ruff, and the import layers (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install  ## Django's deployment checklist against the production settings
	DJANGO_ENV=production SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=kb.example.org \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(BIN)/python manage.py check --deploy --fail-level WARNING

world-map: install  ## Rebuild fixtures/geo/world-map.json from Natural Earth (npm world-atlas; needs node/npm, only to rebuild)
	npm install --no-save --no-audit --no-fund --prefix var/npm world-atlas@2.0.2
	$(BIN)/python manage.py build_world_map

prod-smoke: install  ## The production stack natively (gunicorn, PostgreSQL, Redis): crawl every public URL, /readyz outage
	$(BIN)/python .ci/prod_smoke.py

backup: install  ## The whole database (every table) to var/backups/: pg_dump custom format, or SQLite's backup API
	$(BIN)/python manage.py backup

restore: install  ## make restore FILE=var/backups/kb-backup-....dump [DATABASE=other-db]: replaces the database's tables
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/kb-backup-<time>.dump (or .sqlite3) [DATABASE=name]"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(DATABASE),--database "$(DATABASE)" --create,)

BENCH_ENTRIES ?= 1000
BENCH_DATABASE_URL ?= sqlite:///var/bench-$(BENCH_ENTRIES).sqlite3
BENCH_ARGS ?=
bench: install  ## Time the public pages over gunicorn at BENCH_ENTRIES synthetic practices (a dedicated *bench* database)
	mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench --entries $(BENCH_ENTRIES) \
		--json var/bench-$(BENCH_ENTRIES).json $(BENCH_ARGS)

messages: install  ## After changing interface strings: update locale/fr (needs GNU gettext), then translate and compile
	$(BIN)/python manage.py makemessages --locale fr --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --no-obsolete
	$(BIN)/python manage.py makemessages -d djangojs --locale fr --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --no-obsolete
	$(BIN)/python manage.py compile_translations

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

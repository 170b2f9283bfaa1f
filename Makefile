# One task runner for the project. The README names each target.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test test-instances oidc-provider api-fuzz bench bench-packages stress fmt lint migrations-check package-check messages ci e2e-production screenshots system-packages backup restore backup-check

help:
	@echo "make run               serve the portal with demo data on http://127.0.0.1:8000"
	@echo "make test              run the whole test suite on a throwaway PostgreSQL server (and SQLITE_TESTS on SQLite)"
	@echo "make test-instances    race the concurrency suite's clients against two portal instances at once (~1-3 min)"
	@echo "make oidc-provider     install the sign-in tests' OpenID provider (tests/oidc, npm ci); make test does it first"
	@echo "make api-fuzz          fuzz the API with schemathesis against a live portal with the demo data, on PostgreSQL and SQLite"
	@echo "make bench             measure the pages at scale on PostgreSQL, write docs/performance.md (~20-25 min)"
	@echo "make stress            race 8 clients against a live server at length, print the figures (~3 min)"
	@echo "make fmt | lint        format | check the code with ruff (lint: and the layering with import-linter)"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make package-check     build the wheel, install it in a clean venv, check it and serve a page from it"
	@echo "make messages          update and compile the Swedish translations"
	@echo "make backup            back up the portal's PostgreSQL database (DATABASE_URL) to BACKUP_FILE or var/backups/"
	@echo "make restore           restore BACKUP_FILE into the portal's database, which must be empty (docs/operations.md)"
	@echo "make backup-check      restore BACKUP_FILE into a throwaway server and let the portal check it (the drill)"
	@echo "make e2e-production    run the browser suite once under the production settings (hashed static files, WhiteNoise; 4-10 min)"
	@echo "make ci                what CI runs: lint, migrations-check, package-check, test, e2e-production, api-fuzz"

# The virtual environment is rebuilt when the dependencies change.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

run: $(BIN)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) runserver 127.0.0.1:8000

system-packages:
	scripts/install-system-packages.sh

# The tests whose code takes another path on SQLite, the embedded default (the search's
# contains-match, notices sending without row locks, the exports' escaping, the API's bounds on ids
# that SQLite's INTEGER cannot hold), run there too.
SQLITE_TESTS ?= tests/search tests/notices tests/goals/test_export_escaping.py tests/api/test_bounds.py

# The real OpenID provider that the sign-in tests start (tests/oidc: oidc-provider on Node), installed
# from its lock file before the tests, so that nothing is downloaded while they run.
OIDC_PROVIDER := tests/oidc/node_modules/.installed

$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	cd tests/oidc && npm ci --no-audit --no-fund
	touch $@

oidc-provider: $(OIDC_PROVIDER)

test: $(BIN)/.installed system-packages oidc-provider
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres.sh pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-instances
	DATABASE_URL=sqlite://:memory: $(BIN)/pytest -q $(SQLITE_TESTS)

# The concurrency suite again, its clients taking turns at two portal instances (gunicorn, production
# settings) on one database, as behind a load balancer; docs/deployment.md, "More than one instance".
test-instances: $(BIN)/.installed system-packages
	STYRMODELL_TEST_INSTANCES=2 PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres.sh pytest tests/concurrency -q -p no:logging

# The browser suite under the production settings: DEBUG off, collectstatic into a temporary folder
# served by WhiteNoise, the Content-Security-Policy on, PostgreSQL (scripts/e2e-production.sh).
e2e-production: $(BIN)/.installed system-packages oidc-provider
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/e2e-production.sh $(PYTEST_ARGS)

# On both databases, each with the fixed seed and one drawn at random (both printed); replay one
# with API_FUZZ_ARGS="--seed N".
api-fuzz: $(BIN)/.installed system-packages
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres.sh python scripts/api_fuzz.py $(API_FUZZ_ARGS)
	PATH="$(CURDIR)/$(BIN):$$PATH" python scripts/api_fuzz.py --sqlite $(API_FUZZ_ARGS)

# The bench needs PostgreSQL's server and the Python packages; not the browser, npm or nginx.
bench-packages:
	scripts/install-system-packages.sh postgresql

bench: $(BIN)/.installed bench-packages
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres.sh python bench/run.py $(BENCH_ARGS)

# The concurrency suite (tests/concurrency) with many more rounds; it prints a table of figures.
STRESS_ROUNDS ?= 100

stress: $(BIN)/.installed system-packages
	STYRMODELL_STRESS_ROUNDS=$(STRESS_ROUNDS) PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres.sh pytest tests/concurrency -q --tb=short -p no:logging $(PYTEST_ARGS)

fmt: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

migrations-check: $(BIN)/.installed
	$(MANAGE) makemigrations --check --dry-run

# The wheel holds every app and serves a page outside the checkout (scripts/check-package.sh, ~30 s).
package-check: $(BIN)/.installed
	PYTHON=$(PYTHON) BUILD_PYTHON="$(CURDIR)/$(BIN)/python" scripts/check-package.sh

messages: $(BIN)/.installed
	$(MANAGE) makemessages --locale sv --ignore "$(VENV)/*" --no-obsolete
	$(MANAGE) compilemessages --locale sv --ignore "$(VENV)/*"

# Backups (docs/operations.md): pg_dump's custom format of the database DATABASE_URL names, read
# through the portal's settings; PostgreSQL only.
backup: $(BIN)/.installed
	BACKUP_FILE="$(BACKUP_FILE)" $(BIN)/python scripts/backup.py

restore: $(BIN)/.installed
	BACKUP_FILE="$(BACKUP_FILE)" $(BIN)/python scripts/restore.py

backup-check: $(BIN)/.installed system-packages
	BACKUP_FILE="$(BACKUP_FILE)" PATH="$(CURDIR)/$(BIN):$$PATH" scripts/check-backup.sh

screenshots: $(BIN)/.installed
	$(BIN)/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots

ci: lint migrations-check package-check test e2e-production api-fuzz

# twotier — two commands: `make run` (set up and serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: setup run test lint format bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "twotier needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

## setup: virtual environment, pinned dependencies, migrations, reference data, demo accounts (idempotent)
setup: $(STAMP)
	$(BIN)/twotier migrate --noinput -v 0
	$(BIN)/twotier setup_roles
	$(BIN)/twotier load_geography
	$(BIN)/twotier load_procedures
	$(BIN)/twotier load_hcmc_apparatus
	$(BIN)/twotier load_seed_scenario
	$(BIN)/twotier load_hcmc_responsibilities
	$(BIN)/twotier load_registry_demo
	$(BIN)/twotier import_indicators src/twotier/evaluation/data/seed_indicators.csv
	$(BIN)/twotier load_seed_review
	$(BIN)/twotier setup_demo
	# demo workload (evaluation dashboards): 20k simulated dossiers over the last 100 days, rolled up;
	# Phường Phú Lợi (25750) gets a rising backlog over its last 8 days. Skipped when already loaded.
	$(BIN)/twotier simulate --communes 168 --dossiers 20000 --last-days 100 --seed 1 --rising 25750 \
		--if-empty --rollup -v 0

## run: setup, then serve on http://$(HOST)
run: setup
	@echo "Serving twotier on http://$(HOST)/ (Ctrl+C to stop)"
	$(BIN)/twotier setup_demo | head -2
	$(BIN)/twotier runserver $(HOST) --noreload

## test: the whole suite on SQLite (or DATABASE_URL), Celery eager unless CELERY_BROKER_URL is set
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: every benchmark under benchmarks/
bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

## lock: re-pin every dependency after changing pyproject.toml
lock:
	rm -rf /tmp/twotier-lock && $(PYTHON) -m venv /tmp/twotier-lock
	/tmp/twotier-lock/bin/pip install -q ".[dev]"
	/tmp/twotier-lock/bin/pip freeze --exclude twotier > requirements.lock

clean:
	rm -rf $(VENV) data/test*.sqlite3

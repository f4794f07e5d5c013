# The two commands of the Quick start: `make run` and `make test`.
# Each installs what it needs on a fresh Debian machine (system packages only when run as root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= ./data

.PHONY: run test check lint typecheck pytest catalogs extract update-catalogs setup test-setup bench clean mutation

run: setup
	$(BIN)/assistant serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

test: test-setup lint typecheck check pytest

setup: $(STAMPS)/venv catalogs

test-setup: setup $(STAMPS)/test-packages $(STAMPS)/system $(STAMPS)/node

# The virtualenv with the assistant and what it needs to run. On Debian, `python3 -m venv` needs
# the pythonX.Y-venv package: scripts/make-venv installs it as root, or says to.
$(STAMPS)/venv: pyproject.toml scripts/make-venv
	@mkdir -p $(STAMPS)
	scripts/make-venv $(PYTHON) $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# The test tools (pytest, ruff, mypy, Playwright, ...): only `make test` and its parts need them.
$(STAMPS)/test-packages: $(STAMPS)/venv
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Chromium, Java (for the Nu HTML checker), fonts, espeak-ng and Node.js for the browser and speech tests.
$(STAMPS)/system: scripts/install-system-packages
	@mkdir -p $(STAMPS)
	scripts/install-system-packages
	@touch $@

# axe-core and the Nu HTML checker, offline, from the npm registry (no install scripts run).
$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Compiled catalogs are built, never committed.
catalogs: $(STAMPS)/venv
	@$(BIN)/python -m assistant catalogs compile

# Collect every string (Python, templates, dialogues) into locales/messages.pot and merge it into the catalogs.
update-catalogs: $(STAMPS)/venv
	$(BIN)/python -m assistant catalogs update

lint: $(STAMPS)/test-packages
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/ruff format --check assistant tests benchmarks

typecheck: $(STAMPS)/test-packages
	$(BIN)/mypy

check: $(STAMPS)/venv
	$(BIN)/assistant check

# Three runs: the tests, then those that run the product on a store again on a throwaway
# PostgreSQL (tests/postgres.py), then the browser tests (sync Playwright keeps an event loop
# running on the main thread for the whole browser session, which the async tests cannot share).
pytest: $(STAMPS)/test-packages
	$(BIN)/pytest -q --ignore=tests/browser $(PYTEST_ARGS)
	OMA_TEST_DATABASE=postgres $(BIN)/pytest -q --ignore=tests/browser $(PYTEST_ARGS)
	$(BIN)/pytest -q tests/browser $(PYTEST_ARGS)

# Mutation testing of the engine, the draft and the presentation (docs/testing.md); not part of
# `make test`: it takes long. One module: make mutation MUTATE=assistant.dialogue.conditions
MUTATE ?= assistant.dialogue.conditions assistant.dialogue.answers assistant.dialogue.engine \
	assistant.dialogue.state assistant.draft.model assistant.presentation
MUTATION_CHILDREN ?= 2
mutation: $(STAMPS)/test-packages catalogs
	rm -rf mutants
	nice -n 19 $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) $(foreach m,$(MUTATE),'$(m).*')
	$(BIN)/python scripts/mutation-score

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(STAMPS) node_modules test-artifacts mutants

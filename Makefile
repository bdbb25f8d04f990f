# Maillage — the two commands that matter: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test quality fix bench e2e install messages clean

# Re-install only when the project's dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/maillage migrate --noinput
	$(BIN)/maillage territory load
	$(BIN)/maillage demo load
	@echo "Maillage est servi sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"
	DEBUG=1 $(BIN)/maillage runserver $(HOST):$(PORT) --noreload

test: $(STAMP)
	$(BIN)/pytest -q

quality: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/maillage check
	$(BIN)/maillage makemigrations --check --dry-run

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

e2e: $(STAMP)
	$(BIN)/pytest -q tests_e2e -p no:randomly

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

messages: $(STAMP)
	cd src/maillage && ../../$(BIN)/maillage makemessages -l en --no-location && ../../$(BIN)/maillage compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

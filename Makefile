# The two commands of the README. Both create .venv and install on first use.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= glossator.db
# Test processes (pytest-xdist): one per core of the 2-core CI machine; JOBS=0 runs the suite serially.
JOBS    ?= 2

.PHONY: run test lint bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "error: $(PY) not found (glossator needs Python 3.11)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,cluster]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/glossator review --db $(DB) seeds/

test: $(STAMP)
	$(BIN)/ruff check -q .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(JOBS)

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info

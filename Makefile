PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cxrecon demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not benchmark" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check functions infra tests
	$(BIN)/ruff format --check functions infra tests
	$(BIN)/mypy functions infra/cxrecon_local

bench: $(STAMP)
	$(BIN)/cxrecon bench --interactions 20000

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

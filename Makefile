# Two commands: `make run` starts the app, `make test` runs lint and the whole suite headless.
# Both create .venv on first use with only Python 3.11+ and make. `make run` installs only what
# the app needs; `make test` adds the test tools. Each has its own stamp, redone when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP_STAMP)

# The test tools on top of the app: an editable install of ".[test]" is the app's one too.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(APP_STAMP) $(TEST_STAMP)

run: $(APP_STAMP)
	$(BIN)/python main.py $(ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Types: tracker/ strictly, ui/ with checked bodies (settings in pyproject.toml).
typecheck: $(TEST_STAMP)
	$(BIN)/mypy

test: lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(APP_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py $(ARGS)

clean:
	rm -rf $(VENV)

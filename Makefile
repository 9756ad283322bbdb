# The two commands a newcomer needs are `make demo` and `make test`;
# everything else here is what they are made of.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/govsite demo

lint: $(STAMP)
	$(BIN)/ruff check .

system-deps:
	bash scripts/system-deps.sh

test: lint system-deps
	$(BIN)/pytest -n auto --dist loadgroup

clean:
	rm -rf $(VENV) out var .pytest_cache .ruff_cache

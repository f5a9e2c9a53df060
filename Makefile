# Tend: `make run` sets up and serves Tend; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run test demo install install-dev system-deps lint typecheck bench clean

run: $(VENV)/.installed  ## Set up and serve Tend at http://127.0.0.1:$(PORT)
	$(BIN)/tend serve

test: $(VENV)/.installed-dev system-deps  ## Set up and run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

demo: $(VENV)/.installed  ## Create the demo account (prints its credentials)
	$(BIN)/tend migrate --no-input -v 0
	$(BIN)/tend demo

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

system-deps:  ## Debian packages the browser and PDF tests need (Chromium, Pango)
	@sh scripts/system-deps.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

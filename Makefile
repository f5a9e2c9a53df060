# Tend: `make run` sets up and serves Tend; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run test demo install install-dev system-deps lint typecheck bench clean messages catalogues

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

# Translations (docs/ARCHITECTURE.md, "Languages"). Both need GNU gettext (make system-deps) and
# the dev install (make install-dev; BIN=... names another virtualenv's bin); running Tend does
# not: the compiled .mo files are committed beside their .po files.
LANGS ?= de fr es
MESSAGES_IGNORE := $(foreach p,tend/locale bench/* docs/* scripts/* var/* artifacts/* build/* node_modules/* */tests/*,--ignore '$(p)')

messages:  ## Add newly marked strings to tend/locale/<lang>/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages $(foreach l,$(LANGS),-l $(l)) --no-obsolete $(MESSAGES_IGNORE)

catalogues:  ## Compile the .po files into the .mo files Tend reads (commit both)
	$(BIN)/python manage.py compilemessages $(foreach l,$(LANGS),-l $(l)) --ignore '.*' --ignore 'var' --ignore 'build'

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Set-up and jobs. `make demo` and `make test` work on a fresh Debian machine: they create .venv,
# install the package with its extras, and install Graphviz with apt-get when `dot` is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup graphviz demo test bench clean

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Graphviz 'dot' not found: installing the Debian package graphviz"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz >/dev/null; }

demo: setup
	$(PY) examples/demo.py

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) out build dist .pytest_cache

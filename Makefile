# Set-up and jobs. `make demo` and `make test` work on a fresh Debian machine: they create .venv,
# install the package with its extras, and install Graphviz with apt-get when `dot` is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup graphviz rapper chromium java virtuoso demo test bench clean

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

# Debian's rapper (raptor2-utils): an independent Turtle parser the RDF tests check our output with.
rapper:
	@command -v rapper >/dev/null 2>&1 || { \
	  echo "rapper not found: installing the Debian package raptor2-utils (used by the RDF tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq raptor2-utils >/dev/null; } \
	  || echo "could not install raptor2-utils: the rapper test will be skipped"

# Java (Debian's default-jre-headless) runs HermiT, the OWL reasoner owlready2 ships, for the test
# that the ontology with the export is consistent and that two disjoint kinds are not.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "java not found: installing the Debian package default-jre-headless (used by the reasoner test)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; } \
	  || echo "could not install Java: the reasoner test will be skipped"

# Debian's chromium and chromedriver: the real browser the explorer's page is tested in.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  echo "chromium not found: installing the Debian packages chromium and chromium-driver (used by the explorer tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; } \
	  || echo "could not install chromium: the browser tests will be skipped"

# Virtuoso (Debian's virtuoso-opensource-7-bin: the server binary and isql, without the packaged
# system service): the second real SPARQL server of the endpoint tests, which start it themselves.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || { \
	  echo "virtuoso-t not found: installing the Debian package virtuoso-opensource-7-bin (used by the endpoint tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    virtuoso-opensource-7-bin >/dev/null; } \
	  || echo "could not install Virtuoso: the Virtuoso tests will be skipped"

demo: setup
	$(PY) examples/demo.py

test: setup rapper chromium java virtuoso
	$(PY) -m pytest -q

bench: setup virtuoso
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) out build dist .pytest_cache

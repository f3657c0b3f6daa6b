# Set-up and jobs. `make demo` and `make test` work on a fresh Debian machine: they create .venv,
# install the package with its extras, and install Graphviz with apt-get when `dot` is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup graphviz rapper chromium java virtuoso demo test fuzz bench bench-endpoint api-docs api-html clean

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

# The long fuzz run of the loaders (the suite runs a few hundred inputs each): SLE_FUZZ_EXAMPLES
# generated inputs per loader (default 10,000), each allowed only the library's errors and 10 s; it
# prints inputs and failures per loader and writes them to out/fuzz-report.json.
fuzz: setup
	@mkdir -p out
	SLE_FUZZ_EXAMPLES=$${SLE_FUZZ_EXAMPLES:-10000} SLE_FUZZ_REPORT=out/fuzz-report.json \
	  $(PY) -m pytest -q -s -p no:cacheprovider tests/io/test_fuzz_loaders.py

bench: setup virtuoso
	$(PY) -m benchmarks

# The endpoint topic alone (pushes to real Oxigraph and Virtuoso servers, remote queries on what the
# push sent), at 100k and 1M edges by default: hours at 1M, so into its own file, not latest.md.
SIZES ?= 100k,1m
OUT ?= out/bench-endpoint.md
bench-endpoint: setup virtuoso
	$(PY) -m benchmarks --only endpoint --sizes $(SIZES) --out $(OUT)

# The API reference, generated from the docstrings by Sphinx (autodoc + numpydoc) into out/api.
# Any warning (numpydoc's checks of each docstring included) fails the build.
API_OUT ?= out/api
api-docs: setup
	@$(MAKE) --no-print-directory api-html

# The build alone, with the Python named by PY (tests/test_api_reference.py runs this one).
api-html:
	@$(PY) -c "import sphinx, numpydoc" 2>/dev/null || { \
	  echo "Sphinx or numpydoc not found: installing the docs extra"; $(PY) -m pip install --quiet -e '.[docs]'; }
	$(PY) -m sphinx -b html -E -W --keep-going -q -d $(API_OUT)/.doctrees docs/api $(API_OUT)
	@echo "API reference: $(API_OUT)/index.html" >&2

clean:
	rm -rf $(VENV) out build dist .pytest_cache

# docgen: `make` sets itself up, validates and builds every document; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data
OUT    ?= build

.PHONY: all build check list test fuzz bench clean distclean sysdeps-build sysdeps-test messages diff report redline

all: build

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# WeasyPrint needs Pango and (for font subsetting, soon required) HarfBuzz-Subset; tests also need
# LibreOffice (to open each DOCX), poppler (pdffonts, pdftotext) and qpdf (qpdf --check of the hostile corpus).
sysdeps-build:
	@ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libharfbuzz-subset || { \
		echo "installing Pango and HarfBuzz-Subset (needed by WeasyPrint)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; }

sysdeps-test: sysdeps-build
	@command -v soffice >/dev/null && command -v pdffonts >/dev/null && command -v pdftotext >/dev/null && \
		command -v qpdf >/dev/null || { \
		echo "installing LibreOffice Writer, poppler-utils and qpdf (needed by the tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui poppler-utils qpdf >/dev/null; }

check: $(STAMP)
	$(BIN)/docgen check --data $(DATA)

list: $(STAMP)
	$(BIN)/docgen list --data $(DATA) --out $(OUT)

# docgen build validates first: it prints every problem, builds the records that are valid, exits 1 on errors.
build: $(STAMP) sysdeps-build
	$(BIN)/docgen build --data $(DATA) --out $(OUT)

# Modules run in parallel on every core (pytest-xdist); a module's tests, and the modules sharing one build, stay in
# one worker (tests/conftest.py), so each build is made once. TESTS=... picks tests; PYTEST_ARGS=-n0 runs serially.
PYTEST_ARGS ?= -n auto --dist loadgroup
TESTS ?=
test: $(STAMP) sysdeps-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) $(TESTS)

# Generated YAML and values through the loader and the models, 1,000 examples a test (make test runs 100).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py

# Terms of every agreement (and grants) changed since REV (default HEAD), against the working tree.
REV ?= HEAD
diff: $(STAMP)
	$(BIN)/docgen diff --data $(DATA) $(REV)

# The office's tables (agreements to renew or sign, places, money, counts) as CSV and one HTML page.
report: $(STAMP)
	$(BIN)/docgen report --data $(DATA) --out $(OUT)

redline: $(STAMP)
	$(BIN)/docgen redline $(AGREEMENT) --from $(REV) --data $(DATA)

# A synthetic office of 25 partners and 250 mobilities (and 4x that), timed against the naive loop: a few
# minutes on 2 cores; BENCH=--quick for a first look. Writes build/bench/bench.json.
BENCH ?=
bench: $(STAMP) sysdeps-build
	$(BIN)/docgen bench --data $(DATA) --out $(OUT)/bench $(BENCH)

# Check that every message key the HTML and DOCX templates use is translated in every shipped language.
messages: $(STAMP)
	$(BIN)/python -m docgen.documents.messages check

clean:
	rm -rf $(OUT)

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis

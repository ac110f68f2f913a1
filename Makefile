# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck unit docs install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Demo data goes to a demo runner of its own (never your data), and only into a database
# nobody has used yet; the web app offers it on Home, removable in one click.
run: install | $(PANGO) $(HB_SUBSET)
	$(BIN)/stridewell db upgrade
	$(BIN)/stridewell demo --if-empty
	$(BIN)/stridewell serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

# The handover PDF: WeasyPrint draws text with Debian's Pango; its tests read the PDF back
# with poppler's pdftotext and pdftoppm. Installed where we may, only when missing.
PANGO := /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
PDFTOTEXT := /usr/bin/pdftotext
# WeasyPrint embeds only the glyphs a PDF uses with HarfBuzz's subsetter (and warns without it).
HB_SUBSET := /usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0
$(PANGO):
	@$(call apt_install,libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)
$(HB_SUBSET):
	@$(call apt_install,libharfbuzz-subset0)
$(PDFTOTEXT):
	@$(call apt_install,poppler-utils)
define apt_install
if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	apt-get install -y -q $(1) >/dev/null 2>&1 || \
	(apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(1) >/dev/null 2>&1) || \
	echo "could not install $(1): the handover PDF will say so"; \
else echo "the handover PDF needs Debian's $(1): apt-get install $(1)"; fi
endef

# The browser tests drive Debian's Chromium; install it where we may (never a browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -q chromium >/dev/null 2>&1 || \
		(apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1) || \
		echo "could not install chromium: the browser tests will say so"; \
	else echo "browser tests need Debian's chromium: apt-get install chromium"; fi

unit: install-dev | $(CHROMIUM) $(PANGO) $(HB_SUBSET) $(PDFTOTEXT)
	$(BIN)/pytest -n 2 -q

# The documentation site, built offline into site/ (git-ignored); --strict fails on any
# broken link or anchor, or page missing from the nav. (Not --quiet: it hides the warnings
# that --strict counts, and the build would pass.)
docs: install-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

test: lint typecheck unit docs

bench: install-dev
	$(BIN)/python benchmarks/triage.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

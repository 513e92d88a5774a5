# csc-kpis: every task a developer or analyst needs. `make help` lists them.
# The project keeps its own virtual environment in .venv; every target installs what it needs.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)
export DAGSTER_HOME ?= $(or $(CSC_DATA_DIR),$(CURDIR)/data)/dagster_home
# Machines that set PYTHONDONTWRITEBYTECODE would otherwise recompile every import on each run.
UV_FLAGS := --compile-bytecode --quiet
DEV_PORT ?= 3000

.DEFAULT_GOAL := help
.PHONY: help install demo test test-slow test-all bench lint typecheck browser office dev lock clean clean-data

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	@echo "Installing pinned dependencies into $(VENV) ..."
	@$(BIN)/uv pip sync $(UV_FLAGS) --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install $(UV_FLAGS) --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install the pinned dependencies

demo: $(STAMP) ## Generate the synthetic demo extracts and run the whole pipeline on them
	@$(BIN)/csc-kpis demo

test: lint typecheck browser office ## Lint, type-check and run the fast tests (what CI runs)
	@$(BIN)/python -m pytest -n 2 -q

# The clinic-pack browser test needs Debian's Chromium. Installed when it is missing and this
# machine can (root with apt-get); otherwise that one test is skipped with a message.
browser: ## Install Chromium for the browser test, when missing and possible
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser test ..."; \
	    (timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 \
	      apt-get install -y -qq chromium \
	      >/dev/null) \
	      || echo "Chromium could not be installed: the browser test will be skipped."; \
	  else echo "No Chromium (and no root apt-get): the browser test will be skipped."; fi; }

# The print test turns the board and scrutiny workbooks and the board document into PDF with
# LibreOffice and reads the PDF with poppler. Installed like Chromium, without the suggested
# extras (about 200 MB); Carlito has Calibri's metrics, so columns print as wide as in Excel.
office: ## Install LibreOffice and poppler for the print test, when missing and possible
	@{ command -v soffice && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice and poppler for the print test ..."; \
	    (timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 \
	      apt-get install -y -qq --no-install-recommends libreoffice-calc libreoffice-writer \
	      poppler-utils fonts-crosextra-carlito fonts-liberation \
	      >/dev/null) \
	      || echo "LibreOffice could not be installed: the print test will be skipped."; \
	  else echo "No LibreOffice (and no root apt-get): the print test will be skipped."; fi; }

test-slow: $(STAMP) ## Run only the slow tests
	@$(BIN)/python -m pytest -q -m slow

test-all: $(STAMP) ## Run every test, slow ones included
	@$(BIN)/python -m pytest -n 2 -q -m "slow or not slow"

bench: $(STAMP) ## Time every stage at scales 1, 10 and 50 (BENCH_ARGS="--with-150" for England's volume)
	@$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(STAMP) ## Ruff lint and format check
	@$(BIN)/ruff check pipelines tests bench
	@$(BIN)/ruff format --check pipelines tests bench

typecheck: $(STAMP) ## Type-check with mypy
	@$(BIN)/mypy pipelines bench


dev: $(STAMP) ## Dagster UI on http://127.0.0.1:3000 (Ctrl-C or SIGTERM stops it; DEV_PORT=... to move it)
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	@exec $(BIN)/python -m pipelines.dev_server -h 127.0.0.1 -p $(DEV_PORT) -m pipelines.definitions

lock: ## Re-resolve requirements.lock from pyproject.toml
	@test -x $(BIN)/uv || ($(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet "uv==0.13.9")
	@$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o requirements.lock

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

clean-data: ## Remove generated data (inbox, warehouse, outputs, Dagster storage)
	rm -rf data/inbox data/warehouse data/published data/restricted data/dagster_home

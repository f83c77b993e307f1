# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= shegong.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Three installs into the one .venv, each a stamp file: the runtime alone (what `make demo`
# needs), the test extras on top ($(STAMP): lint, tests, benchmarks, eval), the notebook
# extras on top of the runtime (`make notebooks`).
RUNTIME   := $(VENV)/.installed-runtime
NOTEBOOKS := $(VENV)/.installed-notebooks

.PHONY: demo test lint eval venv notebooks lock clean benchmarks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The runtime comes from requirements.lock (exact versions, hashes checked), so the demo,
# the tests, CI and the Docker image run the same packages; the extras are added on top.
$(RUNTIME): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

$(NOTEBOOKS): $(RUNTIME)
	$(BIN)/python -m pip install -q -e '.[notebooks]'
	touch $(NOTEBOOKS)

venv: $(RUNTIME)

demo: $(RUNTIME)
	$(BIN)/shegong --store $(STORE) demo data/articles --host $(HOST) --port $(PORT)

# requirements.lock: the runtime's exact versions with hashes, for the Docker image (and
# `pip install --require-hashes -r requirements.lock` anywhere with Python 3.11 on Linux).
lock: $(STAMP)
	$(BIN)/python -m pip install -q pip-tools
	$(BIN)/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

# JupyterLab on notebooks/ (the store is $SHEGONG_STORE, default ./shegong.db).
notebooks: $(NOTEBOOKS)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check graph schema loaders gql tests benchmarks
	$(BIN)/ruff format --check graph schema loaders gql tests benchmarks
	$(BIN)/mypy graph schema loaders gql

# The GraphQL-over-HTTP audit suite (npm graphql-http), run by tests/gql/test_api_audit.py.
AUDIT  := tests/gql/audit
$(AUDIT)/node_modules/.installed: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	npm ci --prefix $(AUDIT) --no-audit --no-fund
	touch $@

test: lint $(AUDIT)/node_modules/.installed
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m shegong.loaders.evaluate ../shared/gold data/articles --label "official gold (../shared/gold)"
	$(BIN)/python -m shegong.loaders.evaluate tests/data/heldout data/articles --label "held-out (tests/data/heldout, blind annotation)"
	$(BIN)/python -m shegong.loaders.evaluate ../shared/dev/gold ../shared/dev/corpus --label "dev (../shared/dev, 44 articles)"
	$(BIN)/python -m shegong.loaders.evaluate ../shared/dev/gold ../shared/dev/corpus --part check --label "dev check part (d304, d308, ..., d340: never trained on)"
	for m in rules model; do $(BIN)/python -m shegong.loaders.evaluate ../shared/dev/gold ../shared/dev/corpus --mentions $$m --label "dev, ablation: mentions from $$m only" | grep -E '^(==|  ALL|Dup)'; done

benchmarks: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

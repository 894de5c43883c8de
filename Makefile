# Saylau — make run | make demo | make test | make bench | make lint
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml setup.py src/saylau/crypto/_ed25519.c src/saylau/board/_sync.c | sha256sum | cut -c1-12)
# axe-core for the browser tests (tests/web/browser), pinned by package-lock.json; npm ci
# empties node_modules/ first, so a changed lock file brings a fresh install and a new stamp.
NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)

.PHONY: run demo test lint bench venv node system clean

$(STAMP): pyproject.toml setup.py src/saylau/crypto/_ed25519.c src/saylau/board/_sync.c
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	@touch $@

venv: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

node: $(NODE_STAMP)

# System packages for the tests (belenios-tool 2.0, debootstrap, chromium, node) and the
# belenios-tool 3.x chroot.
system:
	bash scripts/install-system.sh
	bash scripts/belenios3-chroot.sh ensure

# The web platform with its demo data on http://127.0.0.1:8000/ (var/: database, keys, static files).
run: venv
	bash scripts/run-web.sh

# The command-line demo: a whole small election, then verified.
demo: venv
	$(BIN)/saylau demo

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# The whole suite, then the database tests again against a throwaway PostgreSQL server.
test: venv system node lint
	$(BIN)/pytest -q -p no:cacheprovider
	bash scripts/with-postgres.sh $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/web/browser tests/web

bench: venv
	$(BIN)/python bench/verify_bench.py
	$(BIN)/python bench/board_bench.py
	$(BIN)/python bench/tally_bench.py
	$(BIN)/python bench/vote_bench.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The two commands a new user needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
ICC := $(VENV)/bin/icc-graph

.PHONY: run test install build lint generate bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

build: install
	$(ICC) build

run: build
	$(ICC) serve

test: install
	$(ICC) generate --check
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check src tests bench

generate: install
	$(ICC) generate

bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run --quick

clean:
	rm -rf dist .pytest_cache

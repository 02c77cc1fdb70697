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

# make run PORT=8081 HOST=0.0.0.0: where to listen (default 127.0.0.1:8080, or ICC_GRAPH_PORT / ICC_GRAPH_HOST).
run: build
	$(ICC) serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

# The suite runs in TEST_WORKERS processes (pytest-xdist): most tests wait on a server, a browser or a child
# process, so three share two cores well. TEST_WORKERS=0 runs it in this process (easier to debug).
TEST_WORKERS ?= 3

test: install
	$(ICC) generate --check
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check src tests bench

generate: install
	$(ICC) generate

bench: install
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/run --quick

clean:
	rm -rf dist .pytest_cache

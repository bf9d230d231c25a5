# kickcoach — `make run` starts the web UI, `make test` runs every test. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
LLAMA_VERSION := 0.3.36
# llama-cpp-python compiles llama.cpp from source (~10 min on 2 cores): build its wheel once, keep it here.
WHEELHOUSE ?= $(HOME)/.cache/kickcoach/wheels
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test test-fast lint integration eval bench browser-deps db-deps proxy-deps clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q "pip==$(PIP_VERSION)"
	@mkdir -p $(WHEELHOUSE)
	@ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "Building llama-cpp-python $(LLAMA_VERSION) once (about 10 minutes on 2 cores; cached in $(WHEELHOUSE))"; \
	  CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip wheel -q --no-deps -w $(WHEELHOUSE) "llama-cpp-python==$(LLAMA_VERSION)"; }
	$(PY) -m pip install -q --find-links $(WHEELHOUSE) -c constraints.txt -e ".[dev]"
	@touch $@

run: install
	$(VENV)/bin/kickcoach ui

browser-deps:
	@bash scripts/ensure_chromium.sh

db-deps:
	@bash scripts/ensure_postgres.sh

proxy-deps:
	@bash scripts/ensure_nginx.sh

lint: install
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(VENV)/bin/mypy src
	PYTHONPATH=src $(VENV)/bin/lint-imports

# Every test on SQLite (plus the storage, isolation and privacy tests on PostgreSQL too), on both cores (a test
# file stays on one worker, so its servers start once), then every fast test that opens a database again with it
# on a throwaway PostgreSQL (tests/conftest.py keeps only those).
test: install browser-deps db-deps proxy-deps lint
	$(PY) -m pytest -q -n 2 --dist loadfile
	KICKCOACH_TEST_DATABASE=postgresql $(PY) -m pytest -q -n 2 --dist loadfile -m "not integration and not browser"

test-fast: install
	$(PY) -m pytest -q -m "not integration and not browser"

eval: install
	$(VENV)/bin/kickcoach eval --out evals/report

bench: install
	$(PY) benchmarks/coach_turn.py
	$(PY) benchmarks/advice_detector.py
	$(PY) benchmarks/programme_matching.py
	$(PY) benchmarks/programme_dashboard.py
	$(PY) benchmarks/parser_load.py

clean:
	rm -rf $(VENV) .pytest_cache

# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
N ?= 100000
LOCK := requirements.lock

.PHONY: run test lint bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take their versions from the lock file (see its header).
$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed
	$(BIN)/tracker serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tracker tests migrations bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy

# The tests run in parallel, one pytest-xdist worker per core (`auto`); each worker has its
# own PostgreSQL database beside TRACKER_TEST_POSTGRES_URL's (docs/testing.md).
# `make test TEST_WORKERS=0` runs them in one process.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# `make bench` measures at N=100000 pledges (two to three minutes on the machine of
# docs/performance.md); the one-million-pledge run is `make bench N=1000000` (about
# 9 to 13 minutes there: 650 s for bench/results.json). BACKEND=sqlite|postgresql|both (PostgreSQL: set
# TRACKER_BENCH_POSTGRES_URL to a throwaway database, or a temporary tracker_bench_<pid>
# database is created on 127.0.0.1:5432 as user postgres and dropped afterwards).
BACKEND ?= both
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench --n $(N) --backend $(BACKEND)

# Re-resolve the dependencies of pyproject.toml from scratch and pin the result.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet '.[test]'
	sed -n '/^#/p' $(LOCK) > $(LOCK).new
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^tracker==' >> $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
N ?= 100000

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed
	$(BIN)/tracker serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tracker tests migrations bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# `make bench` measures at N=100000 pledges (about ten minutes here); the one-million-pledge
# run is `make bench N=1000000`. BACKEND=sqlite|postgresql|both (PostgreSQL: set
# TRACKER_BENCH_POSTGRES_URL to a throwaway database, or a temporary tracker_bench_<pid>
# database is created on 127.0.0.1:5432 as user postgres and dropped afterwards).
BACKEND ?= both
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench --n $(N) --backend $(BACKEND)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

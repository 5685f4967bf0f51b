# Twentse Koers Monitor. `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test bench datasets rebuild venv clean-venv

$(VENV)/.installed-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

venv: $(VENV)/.installed-dev

## Build datasets/ from the sources when it holds no datasets yet (the committed ones are kept).
datasets: $(VENV)/.installed-run
	$(PY) -m monitor build --if-missing

## Rebuild every dataset from ../shared and the register, replacing datasets/.
rebuild: $(VENV)/.installed-run
	$(PY) -m monitor build

run: datasets
	$(PY) -m monitor serve --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed-dev datasets
	$(PY) -m pytest

## The benchmark of issue 8 (not part of `make test`; its smoke run is): generates a
## national-scale store under bench/out/ and writes the tables in bench/RESULTS.md.
bench: $(VENV)/.installed-dev datasets
	$(PY) -m bench.run --write-results

clean-venv:
	rm -rf $(VENV)

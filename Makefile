# Twentse Koers Monitor. `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# make run: Streamlit processes behind nginx, one per core (REPLICAS=auto) unless REPLICAS=…;
# make serve-replicas: N of them.
REPLICAS ?= auto
N      ?= 2

.PHONY: bytecode run dev serve-replicas test test-fast bench pageviews loadgen toegankelijkheid datasets rebuild venv clean-venv

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

## Rebuild every dataset from ../shared and the register, replacing datasets/ with plain files
## (the layout committed to git; stop a server that reads datasets/ first). A live folder is
## rebuilt as one new generation with `python -m monitor build --dataset-dir DIR`.
rebuild: $(VENV)/.installed-run
	$(PY) -m monitor build --flat

## The project's modules compiled to bytecode once, as a deployment does (Python writes it on first
## import, unless PYTHONDONTWRITEBYTECODE is set, as on some CI machines: then every start compiled
## 170 modules again, about 0,3 s of a cold start; bench/RESULTS.md). Only changed files are compiled.
bytecode: $(VENV)/.installed-run
	$(PY) -m compileall -q dashboard.py monitor ui pages

## Production: no file watching or run-on-save (deploy/streamlit-production.toml), nginx in front
## serving Streamlit's static files and one replica per core (bench/RESULTS.md, "Load: protocol-level
## sessions"); without nginx on the machine: one Streamlit process alone, with a warning.
run: datasets bytecode
	$(PY) -m monitor serve --replicas $(REPLICAS) --server.port $(PORT) --browser.gatherUsageStats false

## Development: one Streamlit process that watches the sources and reruns on save.
dev: datasets bytecode
	$(PY) -m monitor serve --dev --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## N replicas behind nginx with sticky sessions and one shared cookie secret (monitor/serving/replicas.py).
serve-replicas: datasets bytecode
	$(PY) -m monitor serve --replicas $(N) --server.port $(PORT) --browser.gatherUsageStats false

## The OpenID Connect provider of the single-sign-on tests (tests/oidc, exactly as its lock file
## says); without npm on the machine those tests skip (CI=true: fail) and say why.
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error; \
	else echo "npm ontbreekt: de single-sign-on-tests worden overgeslagen (sudo apt-get install nodejs npm)."; fi

## Every test: first all but the load tests on TEST_WORKERS pytest-xdist worker processes (2:
## the CI machine's cores; 0: all in this one process), then the load tests (marked `load`:
## a few browser sessions at once) alone, so no other test takes their CPU. A test file runs whole
## on one worker (--dist loadfile): its module-scoped servers start once and its tests keep
## their order; files are handed out in collection order (--no-loadscope-reorder), the long
## browser files first. Both parts always run; make fails when either failed. See docs/testing.md.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev datasets bytecode tests/oidc/node_modules/.package-lock.json
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not load"; rest=$$?; \
	$(PY) -m pytest -m load; load=$$?; \
	test $$rest -eq 0 -a $$load -eq 0

## The quick loop while developing: unit, page (AppTest), security and fault tests and the
## doctests, no browser (nothing in tests/browser, nothing marked `browser`).
test-fast: $(VENV)/.installed-dev datasets
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile tests/unit tests/pages tests/security tests/faults monitor -m "not browser"

## Run the accessibility browser tests and rewrite the results the Toegankelijkheid
## page shows (sources/toegankelijkheid/resultaten.json); `make test` fails when they drift.
toegankelijkheid: $(VENV)/.installed-dev datasets
	MONITOR_WRITE_A11Y=1 $(PY) -m pytest -q tests/browser/test_toegankelijkheid_browser.py

## The national-scale benchmark (not part of `make test`; its smoke run is): generates a
## national-scale store under bench/out/ and writes the tables in bench/RESULTS.md.
bench: $(VENV)/.installed-dev datasets bytecode
	$(PY) -m bench.run --write-results
	$(PY) -m bench.pageviews --profiles steps --profile --write-results

## Only the CPU per page view in a new session: main and production, direct and behind nginx.
pageviews: $(VENV)/.installed-dev datasets bytecode
	$(PY) -m bench.pageviews --write-results

## How many people one server serves: new sessions at the protocol level (bench/loadgen.py), 1 to 40
## at once through `make run`'s setup, 100 through nginx and 2 replicas, 500 idle sessions; the
## empty page beside it. Not part of `make test` (its smoke run is).
loadgen: $(VENV)/.installed-dev datasets bytecode
	$(PY) -m bench.loadgen --serving nginx:1 --steps 1 5 20 40 --write-results
	$(PY) -m bench.loadgen --serving nginx:2 --steps 100 --write-results
	$(PY) -m bench.loadgen --steps --idle 500 --soak 1800 --write-results

clean-venv:
	rm -rf $(VENV)

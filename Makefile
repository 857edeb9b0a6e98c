# The two set-up commands: `make demo` and `make test`. Both create .venv and install everything.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-province install system clean accuracy

$(STAMP): pyproject.toml scripts/setup-system.sh
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) system

system:
	bash scripts/setup-system.sh

demo: install
	$(BIN)/govaudit demo --out out/demo

test: install
	$(BIN)/lint-imports --no-cache   # the floors of docs/architecture.md
	$(BIN)/python -m pytest -q

accuracy: install   # extractors vs hand-written expectations for every page of ../shared/corpus
	$(BIN)/python -m tests.accuracy.harness

bench: install   # the crawl benchmarks behind bench/RESULTS.md (needs nginx; ~15 min)
	bash bench/run.sh single peer multi

bench-province: install   # 300 units on local host aliases, 1 process, 2 and 4 workers (issue 22; long)
	$(BIN)/python bench/province.py

clean:
	rm -rf $(VENV) out .pytest_cache

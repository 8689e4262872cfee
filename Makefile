# The two entry points: `make extract` and `make test`. Each builds .venv from nothing
# when it is missing or older than the lockfile (only Python 3.11 and pip are needed).
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
INPUT ?= seeds
OUT ?= data/out

.PHONY: extract test bench evaluate notebook clean-env

$(STAMP): pyproject.toml uv.lock Makefile
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --all-extras --compile-bytecode --quiet
	touch $(STAMP)

extract: $(STAMP)
	$(VENV)/bin/facts run $(INPUT) --out $(OUT)

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python -m bench.run --articles 10000

evaluate: $(STAMP)
	$(VENV)/bin/facts evaluate --gold tests/data/seeds.gold.jsonl --facts $(OUT)/facts.parquet

# runs notebooks/explore.ipynb on the run in $(OUT), no browser needed; the executed copy is $(OUT)/explore.ipynb
notebook: extract
	FACTS_OUT=$(abspath $(OUT)) $(VENV)/bin/jupyter execute notebooks/explore.ipynb --output=$(abspath $(OUT))/explore

clean-env:
	rm -rf $(VENV)

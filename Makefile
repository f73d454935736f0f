# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/samples

.PHONY: run test parse-samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

## make run: install, then scan the bundled sample corpus into out/samples/
run: $(STAMP)
	$(BIN)/scanner scan corpora/samples --out $(OUT)

## make test: install, then run the whole test suite
test: $(STAMP)
	$(BIN)/pytest -q

parse-samples: $(STAMP)
	$(BIN)/scanner parse corpora/samples

clean:
	rm -rf $(VENV) out .cache .pytest_cache

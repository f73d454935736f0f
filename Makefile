# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/samples

.PHONY: run test fuzz eval parse-samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

MODEL  := models/detector.joblib

## the classifier, rebuilt from the gold data whenever it, the rules or the code change
$(MODEL): $(STAMP) corpora/gold/gold.jsonl $(wildcard rules/*) $(wildcard scanner/*.py)
	$(BIN)/scanner train --model $(MODEL)

## make run: install, build the model if needed, then scan the bundled sample corpus into out/samples/
run: $(MODEL)
	$(BIN)/scanner scan corpora/samples --out $(OUT) --model $(MODEL)

eval: $(STAMP)
	$(BIN)/scanner eval corpora/gold/gold.jsonl

## make test: install, then run the whole test suite
test: $(STAMP)
	$(BIN)/pytest -q

## make fuzz: the property tests with thousands of generated cases each (about 50,000 in all);
## the summary at the end counts the cases that ran
fuzz: $(STAMP)
	$(BIN)/pytest -q tests/test_fuzz.py --hypothesis-profile=fuzz --hypothesis-show-statistics

parse-samples: $(STAMP)
	$(BIN)/scanner parse corpora/samples

clean:
	rm -rf $(VENV) out models .cache .pytest_cache .hypothesis

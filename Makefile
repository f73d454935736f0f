# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OUT     ?= out/samples
DB      ?= reviews/review.sqlite
ADDRESS ?= 127.0.0.1
PORT    ?= 8501
SHOTS   := reports/screenshots
APT     := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run scan-samples test fuzz bench browser screenshots eval learning-curve parse-samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

MODEL  := models/detector.joblib

## the classifier, rebuilt from the gold data whenever it, the rules or the code change
$(MODEL): $(STAMP) corpora/gold/gold.jsonl $(wildcard rules/*) $(wildcard scanner/*.py)
	$(BIN)/scanner train --model $(MODEL)

## make scan-samples: scan the bundled sample corpus into out/samples/ and the review store
scan-samples: $(MODEL)
	$(BIN)/scanner scan corpora/samples --out $(OUT) --model $(MODEL) --db $(DB)

## make run: install, build the model if needed, scan the samples, then serve the review app
## on http://$(ADDRESS):$(PORT) (make run PORT=8502; keep ADDRESS on 127.0.0.1, see README.md)
run: scan-samples
	SCANNER_DB=$(DB) SCANNER_MODEL=$(MODEL) $(BIN)/streamlit run app.py \
		--server.address $(ADDRESS) --server.port $(PORT) --server.headless true

eval: $(STAMP)
	$(BIN)/scanner eval corpora/gold/gold.jsonl

## make learning-curve: make eval with each fold trained on a quarter, half, three quarters and all of its
## training Acts (about 10 minutes): what more labelled data of the same kind would buy
learning-curve: $(STAMP)
	for share in 0.25 0.5 0.75 1; do $(BIN)/scanner eval corpora/gold/gold.jsonl --train-share $$share || exit 1; done

## make test: install (with Debian's Chromium for the browser test), then run the whole test suite
test: $(STAMP) browser
	$(BIN)/pytest -q

## make fuzz: the property tests with thousands of generated cases each (about 50,000 in all);
## the summary at the end counts the cases that ran
fuzz: $(STAMP)
	$(BIN)/pytest -q tests/test_fuzz.py --hypothesis-profile=fuzz --hypothesis-show-statistics

## make bench: the scan of the 2,072 shared e-Gov Acts against a plain keyword scan (time, characters per
## second, peak RSS), a re-scan of the unchanged corpus with --db, and 1 and 2 workers × 250 … 2,072 Acts
## (make bench BENCH_ARGS="--sizes 250 500" for a shorter table)
bench: $(MODEL)
	$(BIN)/python tools/bench.py --model $(MODEL) $(BENCH_ARGS)

browser:
	@dpkg -s chromium chromium-driver >/dev/null 2>&1 || ($(APT) update && $(APT) install -y chromium chromium-driver)

## make screenshots: the provision view and the exported sheet's first page as PNGs in reports/screenshots/
SHOT_PACKAGES := fonts-noto-cjk fonts-crosextra-carlito libreoffice-calc poppler-utils
screenshots: $(MODEL) browser
	@dpkg -s $(SHOT_PACKAGES) >/dev/null 2>&1 || ($(APT) update && $(APT) install -y $(SHOT_PACKAGES))
	rm -rf out/screenshots
	$(BIN)/scanner scan corpora/samples --out out/screenshots/scan --model $(MODEL) --db out/screenshots/review.sqlite
	$(BIN)/python tools/screenshot.py --db out/screenshots/review.sqlite --model $(MODEL) --out $(SHOTS)/provision-view.png
	$(BIN)/scanner export --db out/screenshots/review.sqlite --out out/screenshots/export.xlsx
	cd out/screenshots && soffice --headless --convert-to pdf export.xlsx >/dev/null
	pdftoppm -png -r 144 -singlefile -f 1 -l 1 out/screenshots/export.pdf $(SHOTS)/export

parse-samples: $(STAMP)
	$(BIN)/scanner parse corpora/samples

clean:
	rm -rf $(VENV) out models .cache .pytest_cache .hypothesis

# The course's commands. `make book` builds the course; `make test` runs every test.
# Both create .venv from requirements.txt on first use (and again when it changes).

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

# nbgrader and jupyter-book call helper programs by name; torch runs single-threaded because
# two threads on a two-core machine were measured 30-100x slower whenever anything else ran.
export PATH := $(BIN):$(PATH)
export OMP_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test lab release lint bench clean

book: $(STAMP)
	$(BIN)/jupyter-book build . -W --keep-going
	@echo "Built: $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab exercises/

release: $(STAMP)
	$(BIN)/python -m autograder release

bench: $(STAMP)
	$(BIN)/python benchmarks/chapter_runtime.py --repeats 3

lint: $(STAMP)
	$(BIN)/ruff check alignment_lab autograder tests benchmarks
	$(BIN)/ruff format --check alignment_lab autograder tests benchmarks

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf _build

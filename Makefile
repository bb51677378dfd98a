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

# Ends with the slowest tests, so that the suite's cost stays in sight as chapters are added.
test: $(STAMP)
	$(BIN)/python -m pytest --durations=25

lab: $(STAMP)
	$(BIN)/jupyter lab exercises/

release: $(STAMP)
	$(BIN)/python -m autograder release

bench: $(STAMP)
	$(BIN)/python benchmarks/chapter_runtime.py --repeats 3
	$(BIN)/python benchmarks/grading.py --repeats 3 --submissions 4

lint: $(STAMP)
	$(BIN)/ruff check alignment_lab autograder tests benchmarks
	$(BIN)/ruff format --check alignment_lab autograder tests benchmarks

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# Debian tools the tests need: Chromium for the browser tests (never a downloaded browser),
	@# bubblewrap to sandbox student code when grading, PostgreSQL for the gradebook test.
	@# Installed with apt when missing.
	@missing=; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null \
	    || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then echo "Installing$$missing (apt-get)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO="sudo -n"; \
	  else SUDO=none; fi; \
	  { [ "$$SUDO" != none ] && command -v apt-get >/dev/null \
	    && $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; } \
	  || echo "WARNING: could not install$$missing (needs root or passwordless sudo, and apt-get). Browser, grading and PostgreSQL tests will fail until they exist: run 'apt-get install -y$$missing' as root." >&2; fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf _build

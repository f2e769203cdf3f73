# `make demo` and `make test` set everything up on a fresh machine (Python 3.11+ needed).
# CI and this Makefile pin the CPU build of torch through constraints/ci.txt; pyproject.toml
# keeps a normal range for everyone else.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ASSIGNMENTS := linear_model gradient_descent backprop quadratic two_layer

.PHONY: venv test lint demo validate generate clean

$(STAMP): pyproject.toml constraints/ci.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints/ci.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

lint: venv
	$(PY) -m ruff check grader tests
	$(PY) -m mypy grader

test: venv lint
	$(PY) -m grader generate --check
	$(PY) -m grader schema --check
	$(PY) -m pytest -q

demo: venv
	@for a in $(ASSIGNMENTS); do \
		echo "== $$a"; \
		$(PY) -m grader grade $$a examples/$$a --out out/demo/$$a || exit 1; \
	done
	@echo "reports and summary.csv files are under out/demo/"

validate: venv
	$(PY) -m grader validate $(ASSIGNMENTS)

generate: venv
	$(PY) -m grader generate
	$(PY) -m grader schema

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache

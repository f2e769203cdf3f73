# `make demo` and `make test` set everything up on a fresh machine (Python 3.11+ needed).
# CI and this Makefile pin the CPU build of torch through constraints/ci.txt; pyproject.toml
# keeps a normal range for everyone else.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ASSIGNMENTS := linear_model gradient_descent backprop quadratic two_layer

.PHONY: venv test lint demo validate generate clean sample-grades

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
	$(MAKE) --no-print-directory sample-grades
	$(PY) -m pytest -q

# What the instructors' workflow (templates/github/grade-submissions.yml) runs, on the sample class.
sample-grades: venv
	rm -rf out/ci
	$(PY) -m grader grade backprop examples/backprop --out out/ci/backprop --jobs 2
	$(PY) -m grader export --format junit out/ci/backprop --output out/ci/backprop-junit.xml
	$(PY) -m grader export --format csv out/ci/backprop --output out/ci/backprop-grades.csv

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

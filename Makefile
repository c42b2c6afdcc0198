# make site: build the site into site/.   make test: run every test.
# Each creates .venv on first use and installs what it needs into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test clean

$(VENV)/.site: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

site: $(VENV)/.site
	$(PY) build.py build

test: $(VENV)/.test
	$(PY) -m pytest

clean:
	rm -rf site .cache

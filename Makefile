# make site: build the site into site/.   make test: run every test.
# Each creates .venv on first use and installs what it needs into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test check comments clean

$(VENV)/.site: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.check: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[check]'
	touch $@

site: $(VENV)/.site
	$(PY) build.py build

test: $(VENV)/.test
	$(PY) -m pytest

# Check the built site: links, HTML (needs Java), feeds, calendars, sitemap, alt text, headings.
check: $(VENV)/.check
	$(PY) build.py check

$(VENV)/.comments: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[comments]'
	touch $@

# A real Isso comment server on 127.0.0.1:8080 for previews (database under .cache/isso/).
comments: $(VENV)/.comments
	$(PY) build.py comments

clean:
	rm -rf site .cache

# make site: build the site into site/.   make test: run every test.
# Each creates .venv on first use and installs what it needs into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test check comments serve clean bench bench-pictures bench-import

$(VENV)/.site: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[heic]'
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.check: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[check]'
	touch $@

site: $(VENV)/.site
	$(PY) build.py build

# The tests start build.py hundreds of times: compiled once here, our modules are not compiled
# again by each run where PYTHONDONTWRITEBYTECODE is set (as on CI machines).
test: $(VENV)/.test
	$(PY) -m compileall -q placepress
	$(PY) -m pytest

# Check the built site: links, HTML (needs Java), feeds, calendars, sitemap, alt text, headings.
# `.venv/bin/python build.py check` works after `make site` too; the extra here is for --a11y.
check: $(VENV)/.check
	$(PY) build.py check

$(VENV)/.comments: pyproject.toml $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[comments]'
	touch $@

# A real Isso comment server on 127.0.0.1:8080 for previews (database under .cache/isso/).
comments: $(VENV)/.comments
	$(PY) build.py comments

# A preview with drafts on http://127.0.0.1:8000/, rebuilt and reloaded as files change
# (built into .cache/preview/site; site/ is untouched).
serve: $(VENV)/.site
	$(PY) build.py serve $(SERVE_ARGS)

# Time PlacePress against Pelican and Hugo (bench/README.md), in its own venv bench/.venv.
# Options: make bench BENCH_ARGS="--sizes 1000,10000 --runs 5 --only placepress"
bench:
	test -x bench/.venv/bin/python || $(PYTHON) -m venv bench/.venv
	test bench/.venv/.installed -nt bench/requirements.txt -a bench/.venv/.installed -nt pyproject.toml || \
	  { bench/.venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt -e . && touch bench/.venv/.installed; }
	bench/.venv/bin/python bench/run.py $(BENCH_ARGS)

# Time import-wordpress on a generated 5,000-post export with 20,000 comments (bench/import_wordpress.py).
bench-import: $(VENV)/.site
	env -u PYTHONDONTWRITEBYTECODE $(PY) bench/import_wordpress.py $(BENCH_ARGS)

# What 100 phone photos of 12 megapixels cost a cold build and a rebuild (bench/pictures.py).
bench-pictures:
	test -x bench/.venv/bin/python || $(PYTHON) -m venv bench/.venv
	test bench/.venv/.installed -nt bench/requirements.txt -a bench/.venv/.installed -nt pyproject.toml || \
	  { bench/.venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt -e . && touch bench/.venv/.installed; }
	bench/.venv/bin/python bench/pictures.py $(BENCH_ARGS)

clean:
	rm -rf site .cache

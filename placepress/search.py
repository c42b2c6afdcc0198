"""The search index: Pagefind run over the pages that show one post, page, pilot area or forum.

Pagefind (PyPI `pagefind[bin]`, a compiled program) reads built HTML and writes a static index
under /pagefind/ that the search page's script (static/js/search.js) queries in the reader's
browser, fetching only the parts of the index a query needs. It indexes what the templates mark
with data-pagefind-body (the article, not the navigation, footer or lists of other pages) and
reads the kind, category, date and sort order from data-pagefind-filter, -meta and -sort.

Pagefind cannot update an index, only make a new one, and it takes about 3 ms a page. So the
index is made again whenever the bytes of an indexed page change, and otherwise kept as it is on
disk: a build that changed no page does not run Pagefind at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

from .cache import sha
from .incremental import IncrementalPlan
from .routes import Route, output_path
from .spool import Spooled, digest_of

# subprocess, tempfile, shutil and searchfiles are imported where Pagefind is run: a build in
# which no page changed never needs them.

FOLDER = "pagefind/"
"""Where the index is published, under the site's base path."""
UNPUBLISHED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
"""Pagefind's ready-made interfaces (about 400 kB): the site has its own, so they are left out."""


class IndexFailed(Exception):
    """Pagefind could not be run, or failed: a problem of the machine, not of the content."""


def indexed_routes(routes: Sequence[Route]) -> list[Route]:
    """The pages made from one content file or registry entry: posts, pages, pilot areas,
    programmes and forums. Listings, archives, the search page and the 404 page have no source."""
    return [route for route in routes if route.source]


def search_index(routes: Sequence[Route], pages: Mapping[str, bytes | Spooled | None], plan: IncrementalPlan,
                 out: Path, later: bool = False) -> dict[str, bytes | None]:
    """The index's files ('pagefind/…' → bytes), or None for each file when no indexed page
    changed since the last build and the index on disk is as it wrote it. `later`: keep the
    index on disk as it is, remembered as made from the pages it was made from, so that the
    next build makes it again if pages changed (the preview shows a page first, then indexes)."""
    if later:
        kept = [path for path in plan.previous_files(FOLDER) if plan.keep_file(path, plan.previous[path].fingerprint)]
        return dict.fromkeys(kept)
    indexed = {output_path(route.url): pages[route.url] for route in indexed_routes(routes)}
    if not indexed:
        return {}  # Pagefind refuses to make an empty index; the search page says there is none
    digests = [f"{path}={page_digest(plan, path, data)}" for path, data in sorted(indexed.items())]
    fingerprint = sha("pagefind", *digests)
    kept = plan.previous_files(FOLDER)
    if kept and plan.keep_files(kept, fingerprint):
        return dict.fromkeys(kept)
    files = run_pagefind(indexed, out)
    for path in files:
        plan.made_file(path, fingerprint)
    return files


def page_digest(plan: IncrementalPlan, path: str, data: bytes | Spooled | None) -> str:
    """SHA-256 of a page's bytes: of those rendered now, or as recorded when it was written."""
    return digest_of(data) if data is not None else plan.kept[path].digest


def run_pagefind(pages: Mapping[str, bytes | Spooled | None], out: Path) -> dict[str, bytes]:
    """Pagefind over `pages` (path → bytes or Spooled; None: the page is unchanged in `out`), in a scratch
    folder beside `out` so that unchanged pages are hard links rather than copies."""
    import shutil
    import subprocess
    import tempfile

    from .searchfiles import make_reproducible

    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out.parent.glob(f".{out.name}.search-*"):  # the scratch folder of a build that was stopped
        shutil.rmtree(leftover)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.search-", dir=out.parent) as scratch:
        folder = Path(scratch)
        lay_out_pages(pages, out, folder / "site")
        command = [str(pagefind_program()), "--site", "site", "--output-path", "index", "--silent"]
        try:
            done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        except OSError as error:
            raise IndexFailed(f"Pagefind could not be started ({command[0]}): {error.strerror}") from error
        if done.returncode:
            raise IndexFailed(f"Pagefind stopped with exit code {done.returncode}: {(done.stderr or done.stdout).strip()}")
        return make_reproducible(read_index(folder / "index"))


def lay_out_pages(pages: Mapping[str, bytes | Spooled | None], out: Path, site: Path) -> None:
    import shutil

    made: set[Path] = set()
    for path, data in pages.items():
        target = site / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(data, bytes):
            target.write_bytes(data)
            continue
        # A page rendered now by a worker is in its spool file (spool.py); else it is in `out`.
        linked = data.path if data is not None else out / path
        try:
            os.link(linked, target)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(linked, target)


def read_index(folder: Path) -> dict[str, bytes]:
    return {FOLDER + p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(UNPUBLISHED)}


def pagefind_program() -> Path:
    """The Pagefind program: PAGEFIND_BINARY_PATH (Pagefind's own setting), else the one that
    PyPI's pagefind[bin] installs."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    try:
        from pagefind_bin import get_executable
    except ModuleNotFoundError as error:
        raise IndexFailed("Pagefind is not installed: pip install 'pagefind[bin]' (or make site, which installs it)") from error
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise IndexFailed(f"Pagefind's program is missing from its package: {error}") from error

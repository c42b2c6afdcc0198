"""Pages written by the render workers into a spool folder, each at its place in the site, and
how write_site puts them into the site: a new site begins as the spool folder itself (one
rename); a built one takes each changed page by its own rename."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from placepress.folders import MARKER
from placepress.output import write_site
from placepress.spool import Spooled, spool, spooled_folder

PAGES = {"index.html": b"<p>home</p>", "2010/04/23/hello/index.html": b"<p>hello</p>", "2010/04/24/again/index.html": b"<p>again</p>"}


def spool_pages(folder: Path, pages: dict[str, bytes]) -> dict[str, Spooled]:
    return {name: spool(str(folder), name, data) for name, data in pages.items()}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_page_is_spooled_at_its_place_with_the_folders_it_needs_and_its_size_and_digest(tmp_path: Path) -> None:
    spooled = spool_pages(tmp_path / "spool", PAGES)
    assert files_of(tmp_path / "spool") == PAGES  # two pages in one new year's folder: made once, used twice
    for name, record in spooled.items():
        assert record.path == str(tmp_path / "spool" / name)
        assert (record.size, record.digest) == (len(PAGES[name]), hashlib.sha256(PAGES[name]).hexdigest())


def test_the_spool_folder_is_known_only_when_every_spooled_page_is_at_its_place_in_it(tmp_path: Path) -> None:
    spooled = spool_pages(tmp_path / "spool", PAGES)
    assert spooled_folder({**spooled, "feed.xml": b"<feed/>"}) == str(tmp_path / "spool")
    assert spooled_folder({"feed.xml": b"<feed/>"}) is None
    elsewhere = spool(str(tmp_path / "other"), "index.html", b"<p>home</p>")
    assert spooled_folder({**spooled, "index.html": elsewhere}) is None  # two folders
    moved = spool(str(tmp_path / "spool"), "by-number-1", b"<p>home</p>")
    assert spooled_folder({**spooled, "index.html": moved}) is None  # a page not at its own place


def test_a_new_site_begins_as_the_spool_folder_and_the_other_files_are_written_into_it(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    spooled = spool_pages(folder, PAGES)
    inodes = {name: os.stat(record.path).st_ino for name, record in spooled.items()}
    folder_inode = folder.stat().st_ino
    others = {"feed.xml": b"<feed/>", "2010/04/23/hello/picture.jpg": b"jpeg", "css/site.css": b"body{}"}
    result = write_site({**spooled, **others}, tmp_path / "site")
    site = tmp_path / "site"
    assert files_of(site) == {**PAGES, **others, MARKER: (site / MARKER).read_bytes()}
    assert not folder.exists()
    assert site.stat().st_ino == folder_inode  # renamed as a whole, not page by page
    assert {name: (site / name).stat().st_ino for name in PAGES} == inodes
    assert (result.files, result.changed, result.removed) == (len(PAGES) + len(others) + 1, len(PAGES) + len(others) + 1, 0)
    assert set(result.listing) == set(files_of(site))


def test_a_new_site_takes_spooled_pages_one_by_one_when_they_are_not_at_their_places(tmp_path: Path) -> None:
    spooled = {name: spool(str(tmp_path / "spool"), f"page-{n}", data) for n, (name, data) in enumerate(PAGES.items())}
    write_site({**spooled, "feed.xml": b"<feed/>"}, tmp_path / "site")
    assert files_of(tmp_path / "site") == {**PAGES, "feed.xml": b"<feed/>", MARKER: (tmp_path / "site" / MARKER).read_bytes()}
    assert list((tmp_path / "spool").iterdir()) == []  # each page moved out of it


def test_a_built_site_takes_each_changed_spooled_page_by_its_own_rename_and_keeps_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(dict(PAGES), site)
    kept = (site / "index.html").stat().st_ino
    changed = {"2010/04/23/hello/index.html": b"<p>hello, edited</p>", "2010/04/25/new/index.html": b"<p>new</p>"}
    spooled = spool_pages(tmp_path / "spool", {**PAGES, **changed})
    inodes = {name: os.stat(spooled[name].path).st_ino for name in changed}
    result = write_site(spooled, site)
    assert files_of(site) == {**PAGES, **changed, MARKER: (site / MARKER).read_bytes()}
    assert (site / "index.html").stat().st_ino == kept  # the same bytes: the old file stays
    assert {name: (site / name).stat().st_ino for name in changed} == inodes
    assert result.changed == 2

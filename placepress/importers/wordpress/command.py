"""`build.py import-wordpress EXPORT.xml… [--media DIR|FILE.tar] [--download] [--dry-run] [--force]`.

Read every export file twice (a catalogue, then the conversion), hold every file aside, then
move them all into place at once and print the report. A fatal mistake in any export ends the
import with exit 1 before anything is written. WordPress.com splits a big site into numbered
files: give them all; they are read in the order of their names.
"""

from __future__ import annotations

import glob
import re
import sys
import tarfile
from pathlib import Path
from typing import TextIO

from ...config import load_config
from .catalogue import make_index
from .media import Downloader, Library, MediaSource
from .naming import derived_title, lightened
from .plan import Plan
from .report import Note, format_report
from .writer import Staging, read_manifest, recover
from .records import Channel
from .wxr import ExportError, check_version, read_export


def check_arguments(root: Path, exports: list[Path], media: Path | None) -> str | None:
    """Why these arguments cannot work (a usage error), or None."""
    if not (root / "pyproject.toml").is_file():
        return f"{root} has no pyproject.toml, so it is not a PlacePress project; run this in the project folder or give --root DIR"
    for export in exports:
        if not export.is_file():
            return f"{export} is not a file; give the .xml file(s) that Tools → Export made"
    if media is not None and not (media.is_dir() or (media.is_file() and tarfile.is_tarfile(media))):
        return f"--media must be a folder (a copy of wp-content/uploads) or a .tar file, found '{media}'"
    return None


class Progress:
    """A one-line progress count on a terminal; silent otherwise (CI logs stay readable)."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.live = stream.isatty()

    def show(self, words: str, done: int, total: int = 0) -> None:
        if self.live and (done % 50 == 0 or done == total):  # every item would slow a 5,000-post import
            share = f" ({100 * done // total}%)" if total else ""
            self.stream.write(f"\r{words}: {done}{f' of {total}' if total else ''} items{share}\033[K")
            self.stream.flush()

    def end(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def run_import(root: Path, exports: list[Path], media: Path | None, download: bool, dry_run: bool, force: bool,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    config, problems = load_config(root)
    if problems:
        for problem in sorted(problems):
            print(problem, file=err)
        print("Fix the settings in pyproject.toml first: the import needs the site's time zone and permalink.", file=err)
        return 1
    undone = 0 if dry_run else recover(root)
    exports = sorted(exports, key=lambda p: p.name)
    progress = Progress(err)
    try:
        index, totals = _catalogue(exports, config, progress)
    except ExportError as error:
        progress.end()
        print(f"{error.problem}\nNothing was imported.", file=err)
        return 1
    index.notes += _missing_parts(exports)
    if undone:
        index.notes.append(Note("warning", ".cache/import", f"an earlier import was stopped half-way; its {undone} files were put back first"))
    staging = Staging(root, dry_run)
    try:
        plan = _convert(root, exports, index, staging, media, download, progress, totals)
        outcome = staging.commit(force)
    finally:
        staging.discard()  # after a commit there is nothing left to discard; after a failure, the half-made files
    files = {"to write" if dry_run else "written": len(outcome.written), "unchanged": len(outcome.unchanged), "left alone": len(outcome.kept)}
    print(format_report(plan.counts, plan.notes + outcome.kept, files, dry_run), file=out)
    if dry_run:
        for path in outcome.written:
            print(f"  would write {path}", file=out)
    return 0


def _convert(root: Path, exports: list[Path], index, staging: Staging, media: Path | None, download: bool,
             progress: Progress, totals: dict[str, int]) -> Plan:
    """The second pass: every item converted, its files staged."""
    source = MediaSource(media) if media is not None else None
    downloader = Downloader(index.site.hosts) if download and source is None else None
    before = read_manifest(root)
    library = Library(staging.put, staging.put_stream, source, downloader, lambda path: path in before and (root / path).is_file())
    plan = Plan(index, library, staging.put)
    for export in exports:
        for number, item in enumerate(read_export(export, export.name, Channel(export.name)), start=1):
            plan.add(item)
            progress.show(f"Converting {export.name}", number, totals[export.name])
    plan.finish()
    progress.end()
    return plan


def _missing_parts(exports: list[Path]) -> list[Note]:
    """WordPress.com's numbered files (site.wordpress.2026-05-01.000.xml, .001.xml…) not all given."""
    given = {path.resolve() for path in exports}
    notes = []
    for path in exports:
        match = re.match(r"^(.*)\.\d{3}\.xml$", path.name)
        if match:
            for sibling in sorted(path.parent.glob(f"{glob.escape(match.group(1))}.[0-9][0-9][0-9].xml")):
                if sibling.resolve() not in given:
                    notes.append(Note("warning", sibling.name, "looks like a part of the same export as the files given, "
                                                               "but was not given: give every numbered file"))
    return sorted(set(notes))


def _catalogue(exports: list[Path], config, progress: Progress):
    """The first pass: the index, and how many items each file holds (for the second pass's progress)."""
    items, titles, channels, totals = [], {}, [], {}
    for export in exports:
        channel = Channel(export.name)
        for number, item in enumerate(read_export(export, export.name, channel), start=1):
            if not item.title.strip() and item.post_type in ("post", "page"):
                titles[item.post_id] = derived_title(item)
            items.append(lightened(item))
            progress.show(f"Reading {export.name}", number)
            totals[export.name] = number
        check_version(channel)
        channels.append(channel)
    index = make_index(items, titles, channels, config)
    for channel in channels:
        repairs = channel.repairs
        if repairs.controls or repairs.not_utf8:
            index.notes.append(Note("warning", channel.file, f"{repairs.controls} control characters that XML forbids were removed, "
                                                             f"and {repairs.not_utf8} bytes that were not UTF-8 became '\ufffd'"))
    return index, totals

"""The only module that writes the site.

The new site is made beside the old one and swapped in with two renames, so a
reader or a web server never sees half of each. A file whose bytes did not
change is hard-linked from the old site rather than written again: it keeps
its modification time, and rsync or a CDN upload skips it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


@dataclass(frozen=True)
class WriteResult:
    files: int
    changed: int
    removed: int


MARKER = ".placepress-site"
"""Written into every built site. A folder is replaced only if it is empty or has this file,
so `--out` pointed at the wrong folder (the project, content/, a home folder) destroys nothing."""
MARKER_TEXT = b"This folder was built by PlacePress; each build replaces all of it.\n"


class UnsafeOutput(Exception):
    """The output folder is one we must not replace (a project, a home folder)."""


def check_output_folder(out: Path, root: Path | None = None) -> str | None:
    """Why `out` must not be replaced, or None when it is safe."""
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    if root is not None and root.resolve().is_relative_to(out.resolve()):
        return f"{out} holds the project itself; choose a folder such as site/"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return (f"{out} already holds files that PlacePress did not build (it has no {MARKER}); "
                "it will not be replaced: choose a new or empty folder")
    return None


def write_site(files: Mapping[str, bytes], out: Path, root: Path | None = None) -> WriteResult:
    """Replace `out` with exactly `files` (relative path → bytes) and the marker file."""
    reason = check_output_folder(out, root)
    if reason:
        raise UnsafeOutput(reason)
    files = {**files, MARKER: MARKER_TEXT}
    out = out.absolute()
    staging = out.with_name(f".{out.name}.new")
    retired = out.with_name(f".{out.name}.old")
    for leftover in (staging, retired):  # from a build that was killed part-way
        if leftover.exists():
            shutil.rmtree(leftover)
    changed = _stage(files, out, staging)
    old_files = set(_list_files(out)) if out.is_dir() else set()
    if out.exists():
        os.rename(out, retired)
    os.rename(staging, out)
    if retired.exists():
        shutil.rmtree(retired)
    return WriteResult(len(files), changed, len(old_files - set(files)))


def _stage(files: Mapping[str, bytes], out: Path, staging: Path) -> int:
    changed = 0
    made: set[Path] = set()
    for relative, data in sorted(files.items()):
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = out / relative
        if _same_bytes(old, data):
            os.link(old, target)
        else:
            target.write_bytes(data)
            changed += 1
    staging.mkdir(parents=True, exist_ok=True)  # an empty site is still a site
    return changed


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _list_files(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]

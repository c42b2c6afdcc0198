"""The only module that writes the site.

The new site is made beside the old one and swapped in with two renames, so a
reader or a web server never sees half of each. A file whose bytes did not
change is hard-linked from the old site rather than written again: it keeps
its modification time, and rsync or a CDN upload skips it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .files import list_site, list_tree, parent_folders
from .folders import MARKER, MARKER_TEXT, UnsafeOutput, check_output_folder
from .spool import Spooled, spooled_folder


@dataclass(frozen=True)
class WriteResult:
    files: int
    changed: int
    removed: int
    listing: dict[str, tuple[int, int]]
    """Every file of the site as now written, with its size and modification time."""
    listed_ns: int
    """When that listing began."""
    folders: dict[str, int] | None
    """The modification time of every folder of the site ('' for its own, else 'a/b'), by which
    the stamp (stamp.py) checks the site rather than listing it again; None when the listing
    given to write_site came without them (the preview's, which is never stamped)."""


def write_site(files: Mapping[str, bytes | Spooled | None], out: Path, root: Path | None = None,
               listing: Mapping[str, tuple[int, int]] | None = None, folders: Mapping[str, int] | None = None) -> WriteResult:
    """Make `out` hold exactly `files` (relative path → bytes) and the marker file.

    A new or empty folder is built beside and renamed into place. An existing site is
    updated in place: only files whose bytes differ are replaced (each atomically), files
    no longer made are removed. None means "unchanged since the last build: keep it"; a
    Spooled page's file is moved into place (spool.py).
    `listing`: every file of `out` with its size and time, as listed just before the build
    (else the folder is listed after the writing); `folders`: the time of each of its folders,
    listed with it (without them, a listing given leaves the result's folders None).
    """
    reason = check_output_folder(out, root)
    if reason:
        raise UnsafeOutput(reason)
    files = {**files, MARKER: MARKER_TEXT}
    if out.is_dir() and any(out.iterdir()):
        return _update_in_place(files, out, listing, folders)
    if any(data is None for data in files.values()):
        raise ValueError("a new site needs the bytes of every file")
    out = out.absolute()
    staging = out.with_name(f".{out.name}.new")
    retired = out.with_name(f".{out.name}.old")
    for leftover in (staging, retired):  # from a build that was killed part-way
        if leftover.exists():
            shutil.rmtree(leftover)
    changed = _stage(files, out, staging)
    old_files = set(list_tree(str(out))) if out.is_dir() else set()
    if out.exists():
        os.rename(out, retired)
    os.rename(staging, out)
    if retired.exists():
        shutil.rmtree(retired)
    listed_ns = time.time_ns()
    listing, folders = list_site(str(out))
    return WriteResult(len(files), changed, len(old_files - set(files)), listing, listed_ns, folders)


def _stage(files: Mapping[str, bytes | Spooled], out: Path, staging: Path) -> int:
    changed = 0
    spooled = spooled_folder(files)
    if spooled is not None:  # the render workers' pages, each at its place already: the site begins as their folder
        os.rename(spooled, staging)
        made = parent_folders(relative for relative, data in files.items() if isinstance(data, Spooled)) | {""}
    else:
        staging.mkdir(parents=True, exist_ok=True)  # an empty site is still a site
        made = {""}
    built = out.is_dir()  # else no file there to keep: not one `stat` of it per file
    for relative, data in sorted(files.items()):
        if spooled is not None and isinstance(data, Spooled):
            changed += 1
            continue
        _make_folders(staging, relative.rpartition("/")[0], made)
        target = staging / relative
        old = out / relative
        if built and _same_bytes(old, data):
            os.link(old, target)
        elif isinstance(data, Spooled):
            os.rename(data.path, target)
            changed += 1
        else:
            target.write_bytes(data)
            changed += 1
    return changed


def _make_folders(top: Path, folder: str, made: set[str]) -> None:
    """Make `folder` ('a/b/c') under `top`, which is new: each missing one from the top down,
    one `mkdir` each (os.makedirs tries the deepest first, and fails, for every new folder)."""
    if folder in made:
        return
    _make_folders(top, folder.rpartition("/")[0], made)
    os.mkdir(os.path.join(top, folder))
    made.add(folder)


def _same_bytes(path: Path, data: bytes | Spooled) -> bool:
    try:
        if path.stat().st_size != (data.size if isinstance(data, Spooled) else len(data)):
            return False
        if isinstance(data, Spooled):
            return hashlib.sha256(path.read_bytes()).hexdigest() == data.digest
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _update_in_place(files: Mapping[str, bytes | Spooled | None], out: Path, before: Mapping[str, tuple[int, int]] | None,
                     folders_before: Mapping[str, int] | None) -> WriteResult:
    changed = 0
    written = []
    made: set[Path] = set()
    for relative, data in sorted(files.items()):
        if data is None:
            continue
        target = out / relative
        if _same_bytes(target, data):
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(data, Spooled):
            source = data.path
        else:
            source = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            source.write_bytes(data)
        try:
            os.replace(source, target)  # a reader sees the old file or the new one, never half
        except IsADirectoryError:  # a folder made by hand where the page goes: a clean build has none
            shutil.rmtree(target)
            os.replace(source, target)
        changed += 1
        written.append(relative)
    # The folder itself is listed, not the last build's record of it: a file added by hand
    # must go too, as it would from a clean build.
    listed_ns = time.time_ns()
    if before is None:
        listing, folders_before = list_site(str(out))
    else:  # the listing of just before, brought up to date with what was written now
        listing = dict(before)
        for relative in written:
            info = os.stat(out / relative)
            listing[relative] = (info.st_size, info.st_mtime_ns)
    old = set(listing)
    stale = sorted(name for name in old - set(files) if (out / name).is_file())
    for name in stale:
        (out / name).unlink()
    for name in old - set(files):
        del listing[name]
    _remove_empty_folders(out, stale)
    folders = None
    if folders_before is not None:  # a folder's time changes only when an entry in it is made, replaced or removed
        folders = dict(folders_before)
        for folder in parent_folders(written + stale):
            try:
                folders[folder] = os.lstat(out / folder).st_mtime_ns
            except FileNotFoundError:  # left empty, and removed
                folders.pop(folder, None)
    return WriteResult(len(files), changed, len(stale), listing, listed_ns, folders)


def _remove_empty_folders(out: Path, removed: list[str]) -> None:
    folders = {(out / name).parent for name in removed}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

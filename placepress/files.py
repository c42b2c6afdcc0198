"""Which files under content/, templates/ and static/ are the project's, and whether their
names work in a web address.

One rule for the build, `serve` and the cache: what an editor's tool leaves beside a file
while it is open or after saving (Emacs's `.#post.md` lock and `#post.md#` autosave, Vim's
`.post.md.swp`, `post.md~` backups, patch leftovers) is never content.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a build with nothing to do lists files without importing the reports
    from .problems import Problem

LEFTOVER_ENDINGS = ("~", ".swp", ".swo", ".bak", ".tmp", ".orig", ".rej")
_WORKS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_leftover(name: str) -> bool:
    """True for hidden files (`.anything`), `#autosave#` files and backup, swap and patch leftovers."""
    return name.startswith(".") or (name.startswith("#") and name.endswith("#")) or name.endswith(LEFTOVER_ENDINGS)


def never_read(relative: str) -> bool:
    """Whether a path ('content/pages/.drafts/x.md', by its path from the project) is one no build
    reads: an editor's leftover, or inside a hidden folder below the top one (list_files' rule)."""
    parts = relative.split("/")
    return is_leftover(parts[-1]) or any(part.startswith(".") for part in parts[1:-1])


def parent_folders(names) -> set[str]:
    """Every folder that holds one of `names`, at any depth: 'a/b/c.html' gives 'a/b', 'a' and ''."""
    found = set()
    for name in names:
        while name:
            name = name.rpartition("/")[0]
            if name in found:
                break
            found.add(name)
    return found


def list_files(folder: Path) -> list[str]:
    """Every file under `folder` that is not a leftover (nor inside a hidden folder), as sorted
    paths relative to it with forward slashes; [] when there is no such folder."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        base = Path(parent).relative_to(folder)
        found += [(base / name).as_posix() for name in names if not is_leftover(name)]
    return sorted(found)


def list_tree(folder: str, prefix: str = "", found: dict | None = None, skip_leftovers: bool = False,
              folders: dict[str, int] | None = None) -> dict[str, tuple[int, int]]:
    """Every file under `folder` as 'a/b/index.html' (after `prefix`), with its size and
    modification time; {} when there is no such folder. scandir: one call a folder, a stat a
    file. `skip_leftovers`: leave out editors' leftovers and hidden folders (is_leftover).
    `folders`: also record there the modification time of each folder below, as 'a/b'."""
    found = {} if found is None else found
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return found
    for entry in entries:
        if skip_leftovers and is_leftover(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            if folders is not None:  # its time before its entries: a change between shows as one
                folders[prefix + entry.name] = entry.stat(follow_symlinks=False).st_mtime_ns
            list_tree(entry.path, f"{prefix}{entry.name}/", found, skip_leftovers, folders)
        else:
            info = entry.stat(follow_symlinks=False)
            found[prefix + entry.name] = (info.st_size, info.st_mtime_ns)
    return found


def list_site(folder: str) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """Every file of a built site (list_tree) and the modification time of every folder, the
    site's own as ''; ({}, {}) when there is no such folder."""
    try:
        folders = {"": os.lstat(folder).st_mtime_ns}
    except (FileNotFoundError, NotADirectoryError):
        return {}, {}
    return list_tree(folder, folders=folders), folders


def name_that_works(segment: str) -> str:
    """'CN4M Briefing.pdf' gives 'CN4M-Briefing.pdf'; 'café.jpg' gives 'cafe.jpg'. Case is kept;
    '' when nothing usable is left of the name before its extension."""
    stem, dot, extension = segment.rpartition(".")
    if not dot or not stem.strip():
        stem, extension = segment, ""
    stem = _plain(stem).strip("._-")
    extension = _plain(extension).strip("._-")
    if not stem:
        return ""
    return f"{stem}.{extension}" if extension else stem


def _plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text))


def check_file_names(paths: list[str], under: str) -> list[Problem]:
    """A problem for each file (by its path from the project root, in the folder `under`) with a
    part of its path below `under` that will not work in a web address: a space, '%', '#', '?',
    a letter outside a-z, …; the whole path to use is suggested."""
    from .problems import Problem

    problems = []
    for path in paths:
        parts = path.removeprefix(under).split("/")
        wrong = [part for part in parts if not _WORKS.match(part)]
        if not wrong:
            continue
        better = under + "/".join(name_that_works(part) for part in parts)
        kind = "file name" if wrong[0] == parts[-1] else "folder name"
        if all(_WORKS.match(part) for part in better.removeprefix(under).split("/")):
            fix = f"rename it {better}"
        else:
            fix = "rename it with letters a-z, digits, '-', '_' and '.'"
        problems.append(Problem(path, 0, f"the {kind} '{wrong[0]}' will not work in a web address ({_why(wrong[0])}); {fix}"))
    return problems


def _why(name: str) -> str:
    if " " in name:
        return "it has a space"
    odd = next((c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))), None)
    if odd is not None:
        return f"it has the character '{odd}'"
    return f"it starts with '{name[0]}'"


def open_new(path: str):
    """`path` opened to write bytes, its folder made if it is not there yet: one `open` when
    it is, as it is for all but the first file written into a folder."""
    try:
        return open(path, "wb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return open(path, "wb")

"""Is there anything to build? Answered from one small file, before the engine is imported.

A build that changed nothing is the one editors run most (`make site` twice, CI on a branch
that touched no content). After every build the stamp records, for its output folder: the
size and modification time of every input file (pyproject.toml, content/, data/, templates/,
static/), of our code and of the libraries that shape the output; the span of time within
which the build's "now" decides nothing differently (no scheduled post falls due, no forum
ends); every file and folder of the site as written; and what the build reported. The next
build first lists the same inputs: if every one is as recorded, none was written within the
racy window before the stamp was saved (a second edit in the same clock tick would not show),
"now" is within the span, and the site is as stamped, the site is what a build would make, and
nothing else is done.

The site is checked without listing it: a stat of each file and folder the stamp records. A
folder's time changes whenever an entry in it is made, removed or renamed, so with every
folder's time as recorded no file came or went, and with every file's size and time as
recorded none was rewritten. A stat is cheaper than a listing's scandir and stat (about 0.12 s
against 0.30 s for the 35,000 files and folders of a 10,000-post site), and a build with work
to do takes the checked record as its listing of the site.

Whatever else happens (a file touched, a file of the site changed by hand, a damaged or
missing stamp), the full build runs, and it is the one the tests hold to "byte-identical to
a clean build"; tests/test_incremental.py checks that the stamp never says "nothing to do"
when a build would have changed something.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from stat import S_ISDIR
from typing import Mapping, NamedTuple

from .cache import forget, read_cache, sha, write_cache
from .files import list_site, list_tree

INPUTS = ("content", "data", "templates", "static")
LIBRARIES = ("markdown", "jinja2", "markupsafe", "yaml", "icalendar", "PIL", "nh3", "jsonschema", "frontmatter", "pagefind",
             "pagefind_bin")
COARSE_NS = 2_000_000_000
"""A file system that keeps times to the second (or two: FAT) may give a file changed again in
the same tick the same time; so may any file system within one tick of its clock."""
FINE_NS = 50_000_000
"""A generous tick for file systems that keep nanoseconds (ext4, XFS, Btrfs, APFS, NTFS): Linux
stamps files from a clock that advances every 1–10 ms."""
FORMAT = "stamp-3"


class Stamp(NamedTuple):
    """A tuple, not a dataclass: `dataclasses` alone costs a build with nothing to do 10 ms."""

    code: dict[str, tuple[int, int]]
    """Our modules and the libraries' own files: (size, modification time), listed before the
    build began."""
    code_version: str
    """cache.code_version() as the build had it: good for as long as `code` is. A build started
    afresh works it out after listing `code` (a longer-lived process may hold it from before,
    as it holds the modules it imported then; only `build.py build` runs stamped builds)."""
    inputs: dict[str, tuple[int, int]]
    outputs: dict[str, tuple[int, int]]
    folders: dict[str, int]
    """Every folder of the site ('' for its own, else 'a/b'): modification time."""
    entries: dict[str, tuple[str, ...]]
    """The names in each folder whose time is within a tick of the listing: only a listing can
    tell whether an entry came or went again in that tick."""
    span: tuple[float, float]
    """The build's "now" may be anywhere in [start, end) (seconds since 1970) and change nothing."""
    inputs_ns: int
    """When the inputs were listed (before the build read them)."""
    outputs_ns: int
    """When the site's files were listed (after the build wrote them)."""
    digests: dict[str, str]
    """SHA-256 of each file of the site written within a tick of its listing: only its bytes can
    tell whether it changed again in that tick."""
    pages: int
    files: int
    warnings: tuple[tuple[str, int, str], ...]


def stamp_path(root: Path, out: Path) -> Path:
    return root / ".cache" / "stamps" / f"{sha(str(out.resolve()))[:16]}.pickle"


def list_inputs(root: Path) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for name in INPUTS:
        list_tree(os.path.join(root, name), f"{name}/", found, skip_leftovers=True)
    try:
        info = os.stat(os.path.join(root, "pyproject.toml"))
        found["pyproject.toml"] = (info.st_size, info.st_mtime_ns)
    except FileNotFoundError:
        pass
    return found


def listed_inputs(root: Path) -> tuple[dict[str, tuple[int, int]], int]:
    """The inputs, and when their listing began."""
    import time

    listed_ns = time.time_ns()
    return list_inputs(root), listed_ns


def list_code() -> dict[str, tuple[int, int]]:
    """Our package's modules, and the file of each library the output depends on (a library
    upgraded or removed changes its file)."""
    package = os.path.dirname(os.path.abspath(__file__))
    found = {os.path.join(package, name): value for name, value in list_tree(package).items() if name.endswith(".py")}
    import importlib.util

    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)  # where it is, without importing it
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            info = os.stat(spec.origin)
            found[spec.origin] = (info.st_size, info.st_mtime_ns)
    return found


def _code_matches(code: dict[str, tuple[int, int]]) -> bool:
    package = os.path.dirname(os.path.abspath(__file__))
    ours = {os.path.join(package, name): value for name, value in list_tree(package).items() if name.endswith(".py")}
    if any(ours.get(path) != value for path, value in code.items() if path.startswith(package)) or \
            set(ours) != {path for path in code if path.startswith(package)}:
        return False
    for path, value in code.items():
        if not path.startswith(package):
            try:
                info = os.stat(path)
            except OSError:
                return False
            if (info.st_size, info.st_mtime_ns) != tuple(value):
                return False
    return True


def key() -> str:
    return f"{FORMAT} {sys.version}"


class Survey(NamedTuple):
    """What is on disk before a build: every input and every file of the site, with sizes and
    times, and the last build's stamp. A build that has work to do takes the listings from here
    rather than asking the file system again."""

    inputs: dict[str, tuple[int, int]]
    outputs: dict[str, tuple[int, int]]
    folders: dict[str, int]
    stamp: Stamp | None
    listed_ns: int
    """When the listing began."""
    as_stamped: bool
    """Whether the site is as the stamp recorded it (outputs and folders are then the stamp's)."""


def survey(root: Path, out: Path) -> Survey:
    import time

    stamp = read_cache(stamp_path(root, out), key())
    stamp = stamp if isinstance(stamp, Stamp) else None
    listed_ns = time.time_ns()
    inputs = list_inputs(root)
    if stamp is not None and site_as_stamped(out, stamp):
        return Survey(inputs, stamp.outputs, stamp.folders, stamp, listed_ns, True)
    return Survey(inputs, *list_site(str(out)), stamp, listed_ns, False)


def site_as_stamped(out: Path, stamp: Stamp) -> bool:
    """Whether every file and folder of the site is as `stamp` recorded, and no other is there."""
    base = os.path.join(out, "")
    lstat = os.lstat
    try:
        for name, (size, mtime) in stamp.outputs.items():
            info = lstat(base + name)
            if info.st_mtime_ns != mtime or info.st_size != size:
                return False
        for name, mtime in stamp.folders.items():
            info = lstat(base + name)
            if info.st_mtime_ns != mtime or not S_ISDIR(info.st_mode):
                return False
        if any(sorted(os.listdir(base + name)) != list(names) for name, names in stamp.entries.items()):
            return False
    except OSError:
        return False
    return all(_digest(out / name) == digest for name, digest in stamp.digests.items())


def nothing_to_do(root: Path, out: Path, now: datetime, found: Survey | None = None) -> Stamp | None:
    """The last build's stamp when building again would change nothing; None otherwise."""
    found = found or survey(root, out)
    stamp = found.stamp
    if stamp is None:
        return None
    start, end = stamp.span
    if not start <= now.timestamp() < end:
        return None
    if not found.as_stamped or found.inputs != stamp.inputs:
        return None
    if _racy(stamp.inputs, stamp.inputs_ns):
        return None  # an input edited just as the last build listed it: build, to be sure
    return stamp if _code_matches(stamp.code) else None


def _racy(listing: dict[str, tuple[int, int]], listed_ns: int) -> list[str]:
    """Files whose time is within a tick of when they were listed: one changed again in that same
    tick would still have that time (git calls these "racy")."""
    return [name for name, (_, mtime) in listing.items() if _near(mtime, listed_ns)]


def _near(mtime: int, listed_ns: int) -> bool:
    return mtime >= listed_ns - (COARSE_NS if mtime % 1_000_000_000 == 0 else FINE_NS)


def _entries(files: dict[str, tuple[int, int]], folders: dict[str, int], listed_ns: int) -> dict[str, tuple[str, ...]]:
    """For each racy folder, the names the listing found in it (not what is there now: a name
    that came after the listing is not in the record of the site)."""
    racy = {name for name, mtime in folders.items() if _near(mtime, listed_ns)}
    entries: dict[str, list[str]] = {name: [] for name in racy}
    if racy:
        for path in (*files, *folders):
            parent, _, name = path.rpartition("/")
            if path and parent in entries:
                entries[parent].append(name)
    return {name: tuple(sorted(found)) for name, found in entries.items()}


def _digest(path: Path) -> str:
    try:
        return sha(path.read_bytes())
    except OSError:
        return ""


def save_stamp(root: Path, out: Path, code: tuple[dict[str, tuple[int, int]], str], span: tuple[float, float], pages: int,
               files: int, warnings: tuple[tuple[str, int, str], ...], inputs: tuple[dict[str, tuple[int, int]], int],
               outputs: tuple[dict[str, tuple[int, int]], int], written: Mapping[str, object],
               folders: dict[str, int] | None = None) -> None:
    """After a build wrote `outputs` (the site's files as listed after the writing, and when) into
    `out` from `inputs` (as listed before the build read them, and when) with `code` (our code
    as listed before the build began, and its code_version); `written` holds the bytes of each
    file it wrote; `folders`: the time of each folder of the site, made with that listing or
    since (else they are listed now)."""
    if folders is None:
        folders = list_site(str(out))[1]
    digests = {name: sha(data) if isinstance(data := written.get(name), bytes) else _digest(out / name)
               for name in _racy(*outputs)}
    stamp = Stamp(*code, inputs[0], outputs[0], folders, _entries(outputs[0], folders, outputs[1]), span,
                  inputs[1], outputs[1], digests, pages, files, warnings)
    write_cache(stamp_path(root, out), key(), stamp)


def forget_stamp(root: Path, out: Path) -> None:
    forget(stamp_path(root, out))


def time_span(now: datetime, moments: list[datetime]) -> tuple[float, float]:
    """[start, end) around `now` within which no moment is crossed: each moment is when
    something becomes true for a build whose "now" is at or after it (a post is due, a forum over)."""
    stamps = [moment.timestamp() for moment in moments]
    at = now.timestamp()
    return max((s for s in stamps if s <= at), default=float("-inf")), min((s for s in stamps if s > at), default=float("inf"))

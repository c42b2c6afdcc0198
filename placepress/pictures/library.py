"""Every picture under content/images/: read, checked and made into its published files.

A picture is processed once for its bytes and the settings: the files it gives are kept under
.cache/pictures/ by that key, so a rename costs nothing and a rebuild reads no picture at all
(the index keeps each file's size and modification time, as the content index does). New and
changed pictures are processed on both cores.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

from ..files import list_files
from ..cache import read_cache, sha, write_cache
from ..problems import Problem
from ..workers import forked_pool
from .encode import Encoded, Refused, encode_picture
from .model import IMAGES, RASTER, SUFFIXES, Picture, PictureSettings, Variant
from .svg import read_svg

FORMAT_VERSION = "pictures-1"
"""Raise it when a change to the code changes the published bytes of a picture."""


@dataclass(frozen=True)
class Scanned:
    """One file under content/images/ as last read."""

    mtime_ns: int
    size: int
    digest: str
    picture: Picture | None
    problems: tuple[Problem, ...]


@lru_cache(maxsize=1)
def encoder_version() -> str:
    """Our picture code and the image libraries: a change to either may change the bytes."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    from PIL import __version__ as pillow

    digest.update(pillow.encode())
    return digest.hexdigest()


def picture_key(data_digest: str, source: str, settings: PictureSettings) -> str:
    suffix = source[source.rfind("."):].lower()
    return sha(encoder_version(), repr(settings), RASTER.get(suffix, suffix), data_digest)


def list_pictures(root: Path) -> list[str]:
    """Every file under content/images/, sorted, but editors' leftovers (files.is_leftover: hidden
    files, locks, backups, swap files), by the rule the rest of the build follows."""
    return [IMAGES + name for name in list_files(root / IMAGES)]


def scan_pictures(root: Path, settings: PictureSettings, previous: Mapping[str, Scanned] | None = None,
                  settled_ns: int = 0, store: Path | None = None) -> dict[str, Scanned]:
    """Each file under content/images/, reusing `previous` for files whose size and time are
    unchanged (and, for files changed within a clock tick of the last save, whose bytes are too)."""
    previous = previous or {}
    index: dict[str, Scanned] = {}
    jobs = []
    for source in list_pictures(root):
        stat = os.stat(root / source)
        last = previous.get(source)
        if last is not None and (last.mtime_ns, last.size) == (stat.st_mtime_ns, stat.st_size) and \
                (stat.st_mtime_ns < settled_ns or _digest(root / source) == last.digest):
            index[source] = last
        else:
            jobs.append((source, str(root / source), stat.st_mtime_ns, stat.st_size))
    for scanned in _run(jobs, settings, store):
        index[scanned[0]] = scanned[1]
    return dict(sorted(index.items()))


def _run(jobs: list[tuple], settings: PictureSettings, store: Path | None) -> list[tuple[str, Scanned]]:
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        with forked_pool() as pool:
            return list(pool.map(_scan_one, jobs, [settings] * len(jobs), [store] * len(jobs)))
    return [_scan_one(job, settings, store) for job in jobs]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scan_one(job: tuple, settings: PictureSettings, store: Path | None) -> tuple[str, Scanned]:
    source, path, mtime_ns, size = job
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    picture, problems = make_picture(source, data, digest, settings, store)
    return source, Scanned(mtime_ns, size, digest, picture, tuple(problems))


def make_picture(source: str, data: bytes, digest: str, settings: PictureSettings,
                 store: Path | None) -> tuple[Picture | None, list[Problem]]:
    """The picture, from the store when its key is there, else processed (and stored)."""
    suffix = source[source.rfind("."):].lower()
    if suffix not in SUFFIXES:
        return None, [Problem(source, 0, "content/images/ holds pictures only (JPEG, PNG, WebP, GIF, HEIC or SVG), and this "
                                         "file's name does not end in one of their extensions; move other files to "
                                         "content/documents/")]
    key = picture_key(digest, source, settings)
    if suffix == ".svg":
        facts = read_svg(data)
        if facts.problems:
            return None, [Problem(source, line, message) for line, message in facts.problems]
        return Picture(source, key, facts.width, facts.height, "SVG", (Variant(".svg", facts.width, facts.height, "SVG"),)), []
    stored = _stored(store, key)
    if stored is not None:
        return replace(stored.picture, source=source), []
    try:
        encoded = encode_picture(source, data, settings, key)
    except Refused as refused:
        return None, [Problem(source, 0, str(refused))]
    if store is not None:
        write_cache(_entry(store, key), key, encoded)
    return encoded.picture, []


def _entry(store: Path, key: str) -> Path:
    return store / key[:2] / key


def _stored(store: Path | None, key: str) -> Encoded | None:
    if store is None:
        return None
    found = read_cache(_entry(store, key), key)
    return found if isinstance(found, Encoded) else None


def published_files(root: Path, picture: Picture, settings: PictureSettings, store: Path | None) -> dict[str, bytes]:
    """Site path → bytes of every file a picture publishes ('images/2010/room-480w.webp')."""
    base = picture.stem.lstrip("/")
    if picture.format == "SVG":
        return {base + ".svg": (root / picture.source).read_bytes()}
    encoded = _stored(store, picture.key)
    if encoded is None:  # the store was cleared since: make them again
        encoded = encode_picture(picture.source, (root / picture.source).read_bytes(), settings, picture.key)
    return {base + suffix: data for suffix, data in encoded.files.items()}


def output_paths(picture: Picture) -> list[str]:
    base = picture.stem.lstrip("/")
    return [base + variant.suffix for variant in picture.variants]


def check_clashes(pictures: Mapping[str, Picture], taken: Callable[[str], str | None]) -> list[Problem]:
    """Two pictures (content/images/a.jpg and a.heic; a.png and a-480w.png) that would publish
    one file; `taken(path)` names anything else the site publishes there."""
    owners: dict[str, str] = {}
    problems = []
    for source, picture in pictures.items():
        for path in output_paths(picture):
            other = owners.setdefault(path, source)
            if other == source:
                other = taken(path)
            if other and other != source:
                problems.append(Problem(source, 0, f"this picture is published as /{path}, as is {other}; rename one of them"))
                break
    return problems

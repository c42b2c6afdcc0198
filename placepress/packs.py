"""Rendered bodies kept in .cache/markdown/ from build to build, many to a file.

One file a body meant, for a cold build of 10,000 posts, 10,000 files and 256 folders made
one at a time by the build's main process: 1.1 s, and at 1,000 posts up to 1 ms a file while
the file system was still deleting the last build's site. Instead the bodies rendered together
are written together: each Markdown worker writes its share into one pack file (a cold build
cuts the bodies into 32 equal shares, then a few smaller ones for the end: 48 packs at 10,000
posts, workers.shares), and a build that renders a few bodies writes one pack. The cache's record
(markdown.pickle, BuildCache.save_markdown_keys) says where each body is: its pack, offset and
length.

An entry is the SHA-256 of the rest, a line of JSON (the links' targets and URLs, the
pictures, the warnings, the links as written and the excerpt: kept, not found again in the
HTML each time a page reads the entry), then the HTML. A pack is never changed once written:
a build reading a pack that another has just removed finds nothing, and renders the body again.
Packs no record names are removed (tidy); once they hold more than twice the bytes that the
record names, the named entries are copied into one new pack and the old ones removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Iterable, Mapping

from .files import open_new
from .markup import Body

Location = tuple[str, int, int]
"""A pack's file name, the entry's offset in it, and its length."""

SUFFIX = ".pack"


def encode(body: Body) -> bytes:
    header = [body.targets, body.pictures, body.warnings, body.links, body.excerpt]
    data = (json.dumps(header, separators=(",", ":")) + "\n" + body.html).encode("utf-8")
    return hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def decode(raw: bytes) -> Body | None:
    """The body of an entry, or None if it is damaged."""
    checksum, _, data = raw.partition(b"\n")
    if hashlib.sha256(data).hexdigest().encode() != checksum:
        return None
    try:
        header, _, html = data.decode("utf-8").partition("\n")
        targets, pictures, warnings, links, excerpt = json.loads(header)
    except ValueError:  # a checksum that matches damage: written by other code
        return None
    return Body(html, excerpt, tuple(map(tuple, targets)), tuple(map(tuple, pictures)), (), tuple(map(tuple, warnings)),
                tuple(map(tuple, links)))


class Packs:
    """The pack files of one folder: written whole, read an entry at a time."""

    def __init__(self, folder: str):
        self.folder = folder
        self._open: dict[str, object] = {}
        """Packs opened for reading, by name (closed with this object: a build reads thousands of entries)."""

    def write(self, entries: Iterable[tuple[str, bytes]]) -> dict[str, Location]:
        """Write the entries (key, encoded body) into a new pack; where each one is, by key."""
        name = f"{time.time_ns():x}-{os.getpid()}{SUFFIX}"
        where: dict[str, Location] = {}
        parts = []
        offset = 0
        for key, data in entries:
            where[key] = (name, offset, len(data))
            parts.append(data)
            offset += len(data)
        if not parts:
            return {}
        path = os.path.join(self.folder, name)
        temporary = f"{path}.tmp"
        with open_new(temporary) as handle:  # the first pack makes the folder
            handle.write(b"".join(parts))
        os.replace(temporary, path)
        return where

    def read(self, where: Location) -> bytes | None:
        """The entry's bytes, or None if its pack is gone or too short."""
        name, offset, length = where
        handle = self._open.get(name)
        if handle is None:
            try:
                handle = self._open[name] = open(os.path.join(self.folder, name), "rb", buffering=0)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                return None
        data = os.pread(handle.fileno(), length, offset)
        return data if len(data) == length else None

    def tidy(self, named: Mapping[str, Location], since_ns: int) -> tuple[dict[str, Location] | None, list[str]]:
        """Remove what no entry of `named` (key → location) is in, but what was written from
        `since_ns` on (another build's, not yet in any record). When the packs named hold more
        than twice the bytes of the entries named, copy those into one new pack: then where each
        is now (an entry that could not be read is left out) and the packs to remove once the
        record says so (remove); else None and []."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return None, []
        used = {location[0] for location in named.values()}
        size = 0
        for name in names:
            path = os.path.join(self.folder, name)
            try:
                if name in used:
                    size += os.stat(path).st_size
                elif os.lstat(path).st_mtime_ns < since_ns:
                    if os.path.isdir(path) and not os.path.islink(path):  # one entry a file, as the cache was kept before
                        import shutil

                        shutil.rmtree(path)
                    else:
                        os.remove(path)
            except FileNotFoundError:  # removed by another build at the same time
                continue
        if size <= 2 * sum(location[2] for location in named.values()):
            return None, []
        entries = [(key, self.read(location)) for key, location in named.items()]
        return self.write((key, data) for key, data in entries if data is not None), sorted(used)

    def remove(self, names: list[str]) -> None:
        for name in names:
            handle = self._open.pop(name, None)
            if handle is not None:
                handle.close()
            try:
                os.remove(os.path.join(self.folder, name))
            except FileNotFoundError:
                pass

    def close(self) -> None:
        for handle in self._open.values():
            handle.close()
        self._open.clear()

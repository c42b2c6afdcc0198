"""The build's memory in a process that builds again and again (`build.py serve`).

A one-shot build reads what the last build left under .cache/ (unpickling the
parse of every content file and the record of every page written) and saves it
again at the end. A warm process keeps all of it in memory instead: its first
build reads .cache/ as any build does, later ones take the last build's
objects as they are and write nothing to .cache/ but the rendered bodies, and
flush() saves the rest for the next process when the preview stops. What is
kept is used exactly as the disk cache would be (the same keys, the same checks
of each file's size, time and racy digest), so a warm rebuild gives the same
bytes as a clean build; tests/test_warm.py holds it to that.

The preview's folder (.cache/preview/site/) is the process's own: only it
writes there (serve lets one process preview a project), so it keeps the
listing of what it wrote rather than listing and asking the size and time of
each of 27,000 files again on every save (0.4 s of a 1.1–1.5 s rebuild at
10,000 posts). A preview file changed by hand is therefore put right by the next
process, not the next rebuild; a preview folder or .cache/ deleted is noticed
at once (its marker file is gone) and the whole preview is written again.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from .cache import write_cache
from .content import Parsed, list_sources, relist
from .incremental import BuildCache, Written, changed_keys
from .markup import Body
from .folders import MARKER
from .pictures.library import Scanned, encoder_version, scan_pictures
from .pictures.model import PictureSettings


class WarmCache(BuildCache):
    def __init__(self, folder: Path, out: Path):
        super().__init__(folder, out)
        self.bodies: dict[str, Body] = {}
        self.body_keys: dict[str, tuple[str, str]] = {}
        self.compiled: dict = {}
        self.lock = threading.Lock()
        """Held by a build and by flush(), which must not see a build half done."""
        self._content: tuple[str, dict[str, Parsed], int] | None = None
        """The time zone the dates were read in, the parse of each file, and when it was made."""
        self._pictures: tuple[str, dict[str, Scanned], int] | None = None
        """The pictures' key (our encoder and the settings), what each file gave, and when."""
        self._encoder: str | None = None
        self._memos: dict[str, tuple[str, Any]] = {}
        self._markdown_keys: dict[str, tuple] | None = None
        self._pages: tuple[dict[str, Written], int] | None = None
        self._forums_kept: dict | None = None
        self._listing: dict[str, tuple[int, int]] | None = None
        self._sources: dict[str, tuple[int, int]] | None = None
        """Every post and page file as the last build listed them (content_listing)."""
        self._unsaved: set[str] = set()
        self._reused: dict[str, tuple[tuple, Any]] = {}
        self._basis: tuple[str, list, dict[str, str]] | None = None
        """The fingerprint, routes and body keys that the pages in _pages were made from."""

    def content(self, zone: str) -> tuple[dict[str, Parsed] | None, int]:
        if self._content is None or self._content[0] != zone:
            return super().content(zone)
        _, index, scanned_ns = self._content
        return index, scanned_ns - self.RACY_NS

    def save_content(self, index: dict[str, Parsed], previous: dict[str, Parsed] | None, zone: str,
                     scanned_ns: int | None = None) -> None:
        self._content = (zone, index, scanned_ns or time.time_ns())
        self._unsaved.add("content")

    def pictures(self, root: Path, settings: PictureSettings) -> dict[str, Scanned]:
        self._encoder = self._encoder or encoder_version()  # our code does not change while it runs
        key = f"{self._encoder} {settings!r}"
        if self._pictures is None or self._pictures[0] != key:  # the first build: .cache/ may hold them
            scanned_ns = time.time_ns()
            self._pictures = (key, super().pictures(root, settings), scanned_ns)
            return self._pictures[1]
        previous, scanned_ns = self._pictures[1], time.time_ns()
        index = scan_pictures(root, settings, previous, self._pictures[2] - self.RACY_NS, self.picture_store)
        self._pictures = (key, index, scanned_ns)
        self._unsaved.add("pictures")
        return index

    def memo(self, name: str, key: str, compute: Callable[[], Any]) -> Any:
        kept = self._memos.get(name)
        if kept is None:  # the first build: .cache/ may hold it
            kept = self._memos[name] = (key, super().memo(name, key, compute))
        elif kept[0] != key:
            kept = self._memos[name] = (key, compute())
            self._unsaved.add(f"memo:{name}")
        return kept[1]

    def markdown_keys(self) -> dict[str, tuple] | None:
        return super().markdown_keys() if self._markdown_keys is None else self._markdown_keys

    def save_markdown_keys(self, keys: dict[str, tuple]) -> None:
        """The bodies of this build; the others are dropped from memory (their files stay)."""
        if keys != self._markdown_keys:
            self._markdown_keys = keys
            self._unsaved.add("markdown")
        for key in self.bodies.keys() - keys.keys():
            del self.bodies[key]

    def tidy_markdown(self) -> None:
        """Nothing: where the bodies are is known here before the record in .cache/ says it, so
        the markdown folder is tidied by the next build that is not kept warm."""

    def forums(self) -> dict | None:
        return super().forums() if self._forums_kept is None else self._forums_kept

    def save_forums(self, forums: dict) -> None:
        if forums != self.forums():
            self._unsaved.add("forums")
        self._forums_kept = forums

    def outputs(self) -> tuple[dict[str, Written], int]:
        if self._pages is None or not (self.out / MARKER).is_file():
            return super().outputs()
        pages, written_ns = self._pages
        # With its own listing of the folder (keep_listing) a file's time is not asked of the disk,
        # so no time is too recent to trust: its bytes need not be read back either.
        return pages, 1 << 63 if self._listing is not None else written_ns - self.RACY_NS  # (a time no file has)

    def forget_outputs(self) -> None:
        if self._pages is None:  # the first build: what .cache/ says of the preview is about to change
            super().forget_outputs()
        self._pages = None
        self._listing = None
        self._basis = None

    def reuse(self, name: str, key: Callable[[], tuple], compute: Callable[[], Any]) -> Any:
        kept, now = self._reused.get(name), key()
        if kept is not None and kept[0] == now:  # element by element, each first by identity
            return kept[1]
        value = compute()
        self._reused[name] = (now, value)
        return value

    def changed_bodies(self, fingerprint: str, routes: list, keys: Mapping[str, str]) -> frozenset[str] | None:
        self.changed = None
        if self._basis is None or self._pages is None or not (self.out / MARKER).is_file():
            return None
        last_fingerprint, last_routes, last_keys = self._basis
        if last_fingerprint != fingerprint or last_routes is not routes:
            return None
        self.changed = changed_keys(keys, last_keys)
        return self.changed

    def keep_basis(self, fingerprint: str, routes: list, keys: Mapping[str, str]) -> None:
        self._basis = (fingerprint, routes, dict(keys))

    def content_listing(self, root: Path, changed: frozenset[str] | None) -> dict[str, tuple[int, int]] | None:
        # Kept as soon as it is made: it describes the disk, whether the build goes on to succeed or not.
        listed = relist(root, self._sources, changed) if changed is not None and self._sources is not None else None
        self._sources = list_sources(root) if listed is None else listed
        return self._sources

    def site_listing(self) -> dict[str, tuple[int, int]] | None:
        # Trusted while the marker is there: deleting .cache/ (or the preview) is noticed.
        return self._listing if self._listing is not None and (self.out / MARKER).is_file() else None

    def keep_listing(self, listing: dict[str, tuple[int, int]]) -> None:
        self._listing = listing

    def save_outputs(self, pages: dict[str, Written], written_ns: int | None = None) -> None:
        self._pages = (pages, written_ns or time.time_ns())
        self._unsaved.add("outputs")

    def flush(self) -> None:
        """Save what is kept in memory to .cache/, as the builds would have, for the next process."""
        with self.lock:
            if "content" in self._unsaved and self._content:
                zone, index, scanned_ns = self._content
                super().save_content(index, None, zone, scanned_ns)
            if "markdown" in self._unsaved and self._markdown_keys is not None:
                super().save_markdown_keys(self._markdown_keys)
            if "outputs" in self._unsaved and self._pages:
                super().save_outputs(*self._pages)
            if "forums" in self._unsaved and self._forums_kept is not None:
                super().save_forums(self._forums_kept)
            if "pictures" in self._unsaved and self._pictures:
                key, index, scanned_ns = self._pictures
                write_cache(self.folder / "pictures.pickle", key, (index, scanned_ns))
            for name, (key, value) in sorted(self._memos.items()):
                if f"memo:{name}" in self._unsaved:
                    write_cache(self.folder / f"{name}.pickle", key, value)
            self._unsaved.clear()


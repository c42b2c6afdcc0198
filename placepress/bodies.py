"""Rendered Markdown bodies: from the cache when their inputs are unchanged, else rendered,
across both cores when there are many.

A body's cache key covers our code and the Markdown library's version, the
file's path and its Markdown; each entry also records the URL every relative
link was given, and is used only while those URLs are still the same (so a
moved post re-renders the bodies that link to it, whatever form the link
took). Templates reach bodies only through this mapping,
so it can record which bodies each page read: an incremental build re-renders
a page when one of those changes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterator, Mapping

from .cache import code_version, sha
from .markup import Body, MarkdownRenderer, excerpt_of
from .model import Page, Post

# Below this many bodies to render, starting worker processes costs more than it saves.
PARALLEL_FROM = 48


class Bodies(Mapping[str, Body]):
    def __init__(self, records: list[Post | Page], urls: Mapping[str, str], body_digests: Mapping[str, str],
                 folder: Path | None = None, read_body: Callable[[str], str] | None = None,
                 present: set[str] | None = None, kept: dict[str, Body] | None = None):
        """`urls` maps content files to the URL path (base path included) they publish at.
        `read_body` fetches the Markdown of a record the cache kept without it; `present` is
        the set of keys the cache folder held after the last build (checked again on read);
        `kept` holds bodies by key in memory, from build to build of a long-lived process."""
        self.records = {r.source: r for r in records}
        self.urls = urls
        self.folder = folder
        self.read_body = read_body
        self.present = present
        self.kept = kept
        self.keys = {r.source: self._key(r, body_digests.get(r.source) or _digest(r.body)) for r in records}
        self.memory: dict[str, Body] = {}
        self.reads: set[str] | None = None
        """While a page renders: the sources whose bodies it read."""
        self._renderer: MarkdownRenderer | None = None

    def _key(self, record: Post | Page, body_digest: str) -> str:
        return sha(code_version(), record.source, body_digest)

    def __getitem__(self, source: str) -> Body:
        if self.reads is not None:
            self.reads.add(source)
        body = self.memory.get(source)
        if body is None:
            body = self._read(source) or self._render_one(source)
            self.memory[source] = body
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def prepare(self) -> int:
        """Render every body missing from the cache now, in parallel when many; returns how many."""
        missing = [s for s in self.records if s not in self.memory and not self._cached(s)]
        if len(missing) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            from concurrent.futures import ProcessPoolExecutor  # costs a no-change build 15 ms to import

            jobs = [(s, self._text(s)) for s in missing]
            with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1), initializer=_start_worker,
                                     initargs=(dict(self.urls),)) as pool:
                rendered = list(pool.map(_render_job, jobs, chunksize=max(1, len(jobs) // 32)))
            for source, (html, targets) in zip(missing, rendered, strict=True):
                self._store(source, html, targets)
        else:
            for source in missing:
                self._render_one(source)
        return len(missing)

    def _render_one(self, source: str) -> Body:
        if self._renderer is None:
            self._renderer = MarkdownRenderer()
        body = self._renderer.render(source, self._text(source), self.urls)
        return self._store(source, body.html, body.targets)

    def _text(self, source: str) -> str:
        record = self.records[source]
        if record.body or self.read_body is None:
            return record.body
        return self.read_body(source)  # "" for a body that is really empty

    def _store(self, source: str, html: str, targets: tuple) -> Body:
        body = Body(html, excerpt_of(html), targets)
        self.memory[source] = body
        if self.kept is not None:
            self.kept[self.keys[source]] = body
        if self.folder is not None:
            _write_entry(self._path(source), html, targets)
        return body

    def _path(self, source: str) -> str:
        key = self.keys[source]
        return os.path.join(self.folder, key[:2], key)

    def _cached(self, source: str) -> bool:
        if self.kept is not None and self.keys[source] in self.kept:
            return True
        if self.folder is None:
            return False
        if self.present is not None:
            return self.keys[source] in self.present  # a file gone since is rendered when read
        return os.path.isfile(self._path(source))

    def saved_keys(self) -> set[str]:
        """After prepare(): the keys of every current body, all of them now in the cache folder."""
        return set(self.keys.values()) if self.folder else set()

    def _read(self, source: str) -> Body | None:
        body = self.kept.get(self.keys[source]) if self.kept is not None else None
        if body is None and self.folder is not None:
            entry = _read_entry(self._path(source))
            if entry is not None:
                body = Body(entry[0], excerpt_of(entry[0]), entry[1])
        if body is None or any(self.urls.get(target) != url for target, url in body.targets):
            return None  # a page it links to has moved, appeared or gone: render it again
        if self.kept is not None:
            self.kept[self.keys[source]] = body
        return body


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Each worker process builds one renderer and receives the URL map once, when it starts;
# these names are set only inside worker processes.
_worker: dict[str, object] = {}


def _start_worker(urls: dict[str, str]) -> None:
    _worker["urls"] = urls
    _worker["renderer"] = MarkdownRenderer()


def _render_job(job: tuple[str, str]) -> tuple[str, tuple]:
    source, text = job
    body = _worker["renderer"].render(source, text, _worker["urls"])
    return body.html, body.targets


def _write_entry(path: str, html: str, targets: tuple) -> None:
    # The first line is the SHA-256 of the rest: a damaged entry is detected and rendered again.
    # The second is the links' targets and URLs, as JSON; then the HTML.
    data = (json.dumps(targets, separators=(",", ":")) + "\n" + html).encode("utf-8")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    os.replace(temporary, path)


def _read_entry(path: str) -> tuple[str, tuple] | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return None
    checksum, _, data = raw.partition(b"\n")
    if hashlib.sha256(data).hexdigest().encode() != checksum:
        return None
    header, _, html = data.decode("utf-8").partition("\n")
    return html, tuple((target, url) for target, url in json.loads(header))

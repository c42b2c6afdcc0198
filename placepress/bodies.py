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
import os
from pathlib import Path
from typing import Callable, Iterator, Mapping

from .cache import code_version, sha
from .markup import Body, MarkdownRenderer
from .model import Page, Post
from .packs import Location, Packs, decode, encode
from .pictures.model import Picture
from .problems import Problem
from .workers import forked_pool, shares

# Below this many bodies to render, starting worker processes costs more than it saves.
PARALLEL_FROM = 48


class Bodies(Mapping[str, Body]):
    def __init__(self, records: list[Post | Page], urls: Mapping[str, str], body_digests: Mapping[str, str],
                 folder: Path | None = None, read_body: Callable[[str], str] | None = None,
                 present: dict[str, tuple] | None = None, pictures: Mapping[str, Picture | None] | None = None,
                 base_path: str = "/", inputs: Mapping[str, str] | None = None, kept: dict[str, Body] | None = None,
                 known_keys: dict[str, tuple[str, str]] | None = None):
        """`urls` maps content files to the URL path (base path included) they publish at;
        `pictures` maps files under content/images/ to their Picture (None: it has problems).
        `read_body` fetches the Markdown of a record the cache kept without it; `present` maps
        the keys the cache folder held after the last build (checked again on read) to the
        warnings, the links and the place (packs.py) of their bodies, so a build that renders
        nothing still checks every link without reading every body. `inputs` are other things a page may show, by
        name, with a digest of each (a post's comments from the old site): `uses(name)` records
        a read. `kept` holds bodies by key in memory, from build to build of a long-lived process;
        `known_keys`, likewise, each body's key by its file with the digest of its Markdown."""
        self.records = {r.source: r for r in records}
        self.urls = urls
        self.pictures = dict(pictures or {})
        self.base_path = base_path
        self.packs = Packs(str(folder)) if folder is not None else None
        self.written: dict[str, tuple] = {}
        """Bodies written into packs by this build (here or by a worker): key → (warnings, links, location)."""
        self._unwritten: list[tuple[str, Body]] = []
        self._unsaved = False
        self.read_body = read_body
        self.present = present
        self.kept = kept
        self.keys = {}
        for record in records:
            digest = body_digests.get(record.source) or _digest(record.body)
            known = known_keys.get(record.source) if known_keys is not None else None
            if known is not None and known[0] == digest:  # a digest's key costs a hash of three strings
                self.keys[record.source] = known[1]
                continue
            key = self.keys[record.source] = self._key(record, digest)
            if known_keys is not None:
                known_keys[record.source] = (digest, key)
        # A page that shows a picture depends on it as on a body: by its key.
        self.keys.update({f"picture:{s}": p.key for s, p in self.pictures.items() if p is not None})
        self.keys.update(inputs or {})
        self.memory: dict[str, Body] = {}
        self.problems: list[Problem] = []
        """Mistakes found while rendering bodies (a picture without a description…)."""
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

    def view(self, source: str) -> "BodyView":
        return BodyView(self[source], self)

    def uses(self, name: str) -> None:
        """The page being rendered shows the input `name` (one of `inputs`)."""
        if self.reads is not None:
            self.reads.add(name)

    def picture(self, source: str) -> Picture | None:
        """A picture a page shows outside any body (the one that represents a post)."""
        if self.reads is not None:
            self.reads.add(f"picture:{source}")
        return self.pictures.get(source)

    def note_pictures(self, body: Body) -> None:
        if self.reads is not None:
            self.reads.update(target for target, _ in body.targets if target.startswith("picture:"))

    def warnings(self) -> list[Problem]:
        """What every body's editor should finish, whether rendered now or by an earlier build."""
        found = []
        for source, record in self.records.items():
            body = self.memory.get(source)
            notes = body.warnings if body is not None else (self.present or {}).get(self.keys[source], ((), ()))[0]
            found += [Problem(source, record.body_line + line, message) for line, message in notes]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def prepare(self) -> int:
        """Render every body missing from the cache now, in parallel when many; returns how many."""
        missing = [s for s in self.records if s not in self.memory and not self._cached(s)]
        if len(missing) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            # The workers are forked with the texts in memory: only the files' names go down the
            # pipe (sent, 10,000 texts were 40 MB more in this process, and kept after).
            _worker.update(texts={s: self._text(s) for s in missing}, keys=self.keys, packs=self.packs)
            # A pack for each share: about 50 for a cold build of 10,000 posts.
            chunks = [missing[share.start:share.stop] for share in shares(len(missing), -(-len(missing) // 32), 4)]
            try:
                with forked_pool(_start_worker, (dict(self.urls), self.pictures, self.base_path)) as pool:
                    # Kept as each share comes back, while the workers render the next ones.
                    for chunk, (rendered, where) in zip(chunks, pool.map(_render_jobs, chunks), strict=True):
                        for source, body in zip(chunk, rendered, strict=True):
                            self._store(source, body, where.get(self.keys[source]))
            finally:
                for name in ("texts", "keys", "packs"):
                    del _worker[name]
        else:
            for source in missing:
                self._render_one(source)
        self.flush()
        return len(missing)

    def _render_one(self, source: str) -> Body:
        if self._renderer is None:
            self._renderer = MarkdownRenderer()
        return self._store(source, self._renderer.render(source, self._text(source), self.urls, self.pictures, self.base_path))

    def _text(self, source: str) -> str:
        record = self.records[source]
        if record.body or self.read_body is None:
            return record.body
        return self.read_body(source)  # "" for a body that is really empty

    def _store(self, source: str, body: Body, where: Location | None = None) -> Body:
        """Keep a body rendered now; `where`: the pack a worker wrote it into (else flush() writes it)."""
        self.memory[source] = body
        line = self.records[source].body_line
        self.problems += [Problem(source, line + offset, message) for offset, message in body.problems]
        if self.packs is not None and not body.problems:  # one with mistakes is rendered again until fixed
            key = self.keys[source]
            if where is None:
                self._unwritten.append((key, body))
            else:
                self.written[key] = (body.warnings, body.links, where)
                self._unsaved = True
        if self.kept is not None and not body.problems:
            self.kept[self.keys[source]] = body
        return body

    def flush(self) -> dict[str, tuple]:
        """Write the bodies rendered here since the last flush into one pack; returns them as
        `written` holds them (a render worker hands them back: adopt_written)."""
        if not self._unwritten:
            return {}
        where = self.packs.write((key, encode(body)) for key, body in self._unwritten)
        now = {key: (body.warnings, body.links, where[key]) for key, body in self._unwritten}
        self._unwritten = []
        self.adopt_written(now)
        return now

    def adopt_written(self, entries: Mapping[str, tuple]) -> None:
        """Bodies a worker process rendered while rendering pages, and wrote (flush)."""
        if entries:
            self.written.update(entries)
            self._unsaved = True

    def close(self) -> None:
        """Close the packs opened to read bodies from (a body read after this opens its pack again)."""
        if self.packs is not None:
            self.packs.close()

    @property
    def unsaved(self) -> bool:
        """Whether bodies were written since saved_keys() was last asked (by rendering pages)."""
        return self._unsaved or bool(self._unwritten)

    def _cached(self, source: str) -> bool:
        if self.kept is not None and self.keys[source] in self.kept:
            return True
        # Without the record, where an entry is cannot be known: render it.
        return self.packs is not None and self.present is not None and self.keys[source] in self.present

    def saved_keys(self) -> dict[str, tuple]:
        """After prepare(): the key of every current body in the cache folder, with its warnings,
        its links and where it is (None: not known, to be rendered when read)."""
        if self.packs is None:
            return {}
        self.flush()
        self._unsaved = False
        saved = {}
        for source in self.records:
            key, body = self.keys[source], self.memory.get(source)
            if body is not None and body.problems:
                continue
            saved[key] = self._entry(key) or ((body.warnings, body.links, None) if body is not None else ((), (), None))
        return saved

    def _entry(self, key: str) -> tuple | None:
        """What is known of the body with this key in the cache folder, (warnings, links, place):
        as this build wrote it, else as the last build's record has it."""
        return self.written.get(key) or (self.present or {}).get(key)

    def links_of(self, source: str) -> tuple[tuple[str, str], ...]:
        """The links of a body as written, with the files they name (markup.Body.links), without
        reading a cached body when the last build recorded them."""
        body = self.memory.get(source)
        if body is not None:
            return body.links
        known = self.present.get(self.keys[source]) if self.present is not None else None
        return known[1] if known is not None else self[source].links

    def text(self, source: str) -> str:
        """The Markdown of a body."""
        return self._text(source)

    def _read(self, source: str) -> Body | None:
        key = self.keys[source]
        body = self.kept.get(key) if self.kept is not None else None
        if body is None and self.packs is not None:
            entry = self._entry(key)
            raw = self.packs.read(entry[2]) if entry is not None and entry[2] is not None else None
            body = decode(raw) if raw is not None else None
        if body is None or any(self._current(target) != value for target, value in body.targets):
            return None  # a page it links to has moved, appeared or gone, or a picture changed: render it again
        if self.kept is not None:
            self.kept[self.keys[source]] = body
        return body

    def _current(self, target: str) -> str | None:
        if target.startswith("picture:"):
            picture = self.pictures.get(target.removeprefix("picture:"))
            return picture.key if picture else None
        return self.urls.get(target)


class BodyView:
    """A body as a template sees it: reading its HTML (not its excerpt) makes the page depend on
    the pictures the body shows, so a changed picture re-renders just the pages that show it."""

    def __init__(self, body: Body, bodies: Bodies):
        self._body = body
        self._bodies = bodies

    @property
    def html(self) -> str:
        self._bodies.note_pictures(self._body)
        return self._body.html

    def __getattr__(self, name: str):
        return getattr(self._body, name)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Each worker process builds one renderer and receives the URL map once, when it starts; the
# texts, the keys and the packs are set by the parent just before it forks them.
_worker: dict[str, object] = {}


def _start_worker(urls: dict[str, str], pictures: dict, base_path: str) -> None:
    _worker["args"] = (urls, pictures, base_path)
    _worker["renderer"] = MarkdownRenderer()


def _render_jobs(sources: list[str]) -> tuple[list[Body], dict[str, Location]]:
    """A share of the bodies, rendered and written into one pack (those without mistakes)."""
    renderer, texts, args = _worker["renderer"], _worker["texts"], _worker["args"]
    rendered = [renderer.render(source, texts[source], *args) for source in sources]
    packs, keys = _worker["packs"], _worker["keys"]
    if packs is None:
        return rendered, {}
    return rendered, packs.write((keys[source], encode(body)) for source, body in zip(sources, rendered) if not body.problems)

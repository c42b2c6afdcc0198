"""Which pages an incremental build can leave as they are, and what the build keeps from the
last one to know it (BuildCache: the cache's policy, over cache.py's checked storage).

A page is re-rendered unless all of this is as it was when it was last
written: our code, the settings, its template and those that template extends,
includes or imports, every static file, the registry, the fields (not the
bodies) of every published post and page, and the bodies that page read last
time (the Bodies mapping records them). The file on disk must also still be
the one we wrote (same size and modification time). Anything else changed, or
no record, or a damaged record: render it.
The property test in tests/test_incremental.py holds this to "byte-identical
to a clean build" across random edits.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, TypeVar

from .bodies import Bodies
from .cache import code_version, forget, read_cache, sha, write_cache
from .content import Parsed
from .markup import Body
from .packs import Packs
from .pictures.library import Scanned, encoder_version, scan_pictures
from .pictures.model import PictureSettings
from .routes import Route, output_path
from .site import Site
from .spool import Spooled, digest_of

T = TypeVar("T")
TEMPLATE = "template:"
"""Before a template's name among a plan's inputs (content files' names begin with 'content/')."""


class Written(NamedTuple):
    """What the last build wrote at one path (a tuple: a record holds one for every file of the
    site, made again from the saved tuples by each build, in under half a frozen dataclass's time)."""

    fingerprint: str
    reads: tuple[str, ...]
    size: int
    mtime_ns: int
    digest: str
    """SHA-256 of the bytes written, to check a file whose time is too close to call."""


def site_fingerprint(site: Site, index: Mapping[str, Parsed], assets: Mapping[str, str]) -> str:
    """Everything a page may depend on besides the bodies it reads and its templates (what
    feeds, calendars and the sitemap depend on, besides bodies)."""
    parts = [code_version(), repr(site.config), repr(site.registry), f"preview={site.preview}"]
    parts += [f"{name}:{digest}" for name, digest in sorted(assets.items())]
    parts += [f"upcoming:{forum.id}" for forum in site.upcoming]
    parts += [f"{record.source}:{index[record.source].meta if record.source in index else repr(record)}"
              for record in (*site.posts, *site.pages)]
    # Post and page URLs follow from their fields and the settings; documents' from their names.
    parts += [f"document:{source}" for source in sorted(site.urls) if source.startswith("content/documents/")]
    # The home and 404 pages load old-addresses.js when some old address has a query string.
    parts.append(f"query-redirects:{any(redirect.query for redirect in site.redirects)}")
    if site.preview:  # the banner says "scheduled" by comparing with now
        parts += [f"scheduled:{p.source}" for p in site.posts if p.date > site.now]
    return sha(*parts)


class IncrementalPlan:
    """Implements render.Plan, and remembers what each rendered page read."""

    def __init__(self, fingerprint: str, bodies: Bodies, previous: Mapping[str, Written], out: Path,
                 settled_ns: int = 0, listing: Mapping[str, tuple[int, int]] | None = None,
                 routes: list[Route] | None = None, templates: Mapping[str, str] | None = None):
        """`settled_ns`: a page file modified at or after it may have been changed again within
        the same clock tick (racy, as git says), so its bytes are checked, not just its stat.
        `templates`: each template's digest with those it extends, includes or imports
        (render.template_closures)."""
        self.templates = templates or {}
        self.basis = fingerprint
        """What every page's fingerprint is made from besides its template and its own reads (for changed_bodies)."""
        self.inputs = {**bodies.keys, **{TEMPLATE + name: closure for name, closure in self.templates.items()}}
        """Every input a page may read, and every template with those it draws on, each with its
        key: what changed_bodies compares with the last build's."""
        self.settled_ns = settled_ns
        self.changed: frozenset[str] | None = None
        """BuildCache.changed_bodies for this plan's basis, when known: a page whose template and
        reads are none of them has the fingerprint it was recorded with, which is not computed
        again (after a template edit, most pages of the site)."""
        self.routes = routes
        """The pages the plan is for (kept by a warm cache with what they were made from)."""
        self.listing = listing
        """Every file of `out` with its size and time, listed just before the build (else each is asked for)."""
        self.fingerprint = fingerprint
        self.bodies = bodies
        self.previous = previous
        self.out = out
        self.reads: dict[str, tuple[str, ...]] = {}
        self.fingerprints: dict[str, str] = {}
        self.kept: dict[str, Written] = {}
        self.others: dict[str, str] = {}
        """Files other than pages to be written now, with the fingerprint of their inputs."""
        self._parts: dict[str, str] = {}

    def page_fingerprint(self, route: Route, reads: tuple[str, ...]) -> str:
        parts = self._parts
        keys = [parts.get(source) or self._part(source) for source in reads]
        return sha(self.fingerprint, route.url, route.template, self.templates.get(route.template, "absent"), *keys)

    def _part(self, source: str) -> str:
        """'source=key' for the fingerprints of the pages that read it (a post is read by many)."""
        part = self._parts[source] = f"{source}={self.bodies.keys.get(source, '-')}"
        return part

    def unchanged(self, route: Route) -> bool:
        path = output_path(route.url)
        last = self.previous.get(path)
        if last is None:
            return False
        if self.changed is not None and TEMPLATE + route.template in self.changed:
            return False  # its template, or one that it draws on, has changed: so has its fingerprint
        if (self.changed is None or not self.changed.isdisjoint(last.reads)) \
                and self.page_fingerprint(route, last.reads) != last.fingerprint:
            return False
        return self._still_written(path, last)

    def keep_file(self, path: str, fingerprint: str) -> bool:
        """Whether a file that is not a page (a picture's) is still as the last build wrote it
        from inputs with this fingerprint; if not, it is to be written and remembered."""
        last = self.previous.get(path)
        if last is not None and last.fingerprint == fingerprint and self._still_written(path, last):
            return True
        self.others[path] = fingerprint
        return False

    def keep_files(self, paths: list[str], fingerprint: str) -> bool:
        """keep_file for files made together (a picture's sizes, the search index): whether all
        of them are still as written; each is checked, so each one not kept is remembered."""
        return all([self.keep_file(path, fingerprint) for path in paths])  # a list, not a generator: no early stop

    def previous_files(self, folder: str) -> list[str]:
        """What the last build wrote under `folder` (the search index's 'pagefind/')."""
        return sorted(path for path in self.previous if path.startswith(folder))

    def made_file(self, path: str, fingerprint: str) -> None:
        """Remember a file that is not a page, made now from inputs with this fingerprint."""
        self.others[path] = fingerprint

    def _still_written(self, path: str, last: Written) -> bool:
        if self.listing is not None:
            found = self.listing.get(path)
        else:
            try:
                info = os.stat(os.path.join(self.out, path))
            except OSError:
                return False
            found = (info.st_size, info.st_mtime_ns)
        if found != (last.size, last.mtime_ns):
            return False  # changed by hand since, or by a build that was killed (or gone)
        if last.mtime_ns >= self.settled_ns and not self._same_digest(path, last.digest):
            return False
        self.kept[path] = last
        return True

    def start(self, route: Route) -> None:
        self.bodies.reads = set()

    def finish(self, route: Route) -> tuple[tuple[str, ...], str]:
        """Records what the page read while it rendered, and returns that with the page's fingerprint."""
        reads = tuple(sorted(self.bodies.reads or ()))
        self.bodies.reads = None
        recorded = (reads, self.page_fingerprint(route, reads))
        self.adopt(route, recorded)
        return recorded

    def adopt(self, route: Route, recorded: tuple[tuple[str, ...], str], as_written: bool = False) -> None:
        """Records a page rendered with these reads and this fingerprint (finish), here or by a
        worker process, which found it `as_written` (the parent does not hash them again)."""
        path = output_path(route.url)
        reads, self.fingerprints[path] = recorded
        # One string for each content file, however many pages read it (a worker's come back as
        # copies of their own): the record of the pages, which keeps them, is a third smaller.
        self.reads[path] = tuple(map(sys.intern, reads))
        if as_written:
            self.kept[path] = self.previous[path]

    def as_written(self, route: Route, data: bytes) -> bool:
        """Whether a page rendered now has the very bytes the last build wrote for it, in a file
        still as that build left it (after a template edit, most pages): then it is neither handed
        back by a worker, nor compared with the file, nor written."""
        path = output_path(route.url)
        last = self.previous.get(path)
        return last is not None and last.size == len(data) and last.digest == hashlib.sha256(data).hexdigest() \
            and self._still_written(path, last)

    def _same_digest(self, path: str, digest: str) -> bool:
        with open(os.path.join(self.out, path), "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest

    def records(self, files: Mapping[str, bytes | Spooled | None]) -> dict[str, Written]:
        """After writing `files`: what to remember of every page and picture file, for the next build.
        A file kept when it was checked but not written now (the search index's old files, when
        the index was made again) is gone, and is forgotten."""
        written = {path: last for path, last in self.kept.items() if path in files}
        made = [(path, self.fingerprints[path], reads) for path, reads in self.reads.items()]
        others = [(path, fingerprint, ()) for path, fingerprint in self.others.items() if path in files]
        for path, fingerprint, reads in made + others:
            if files[path] is None:  # rendered as written, and kept (as_written)
                last = self.kept[path]
                written[path] = Written(fingerprint, reads, last.size, last.mtime_ns, last.digest)
                continue
            stat = (self.out / path).stat()
            digest = digest_of(files[path])
            written[path] = Written(fingerprint, reads, stat.st_size, stat.st_mtime_ns, digest)
        return written


def changed_keys(keys: Mapping[str, str], last: Mapping[str, str]) -> frozenset[str]:
    """The inputs whose key is not the last one (or that are new, or gone)."""
    return frozenset(source for source in keys.keys() | last.keys() if keys.get(source) != last.get(source))


def routes_digest(routes: list[Route]) -> str:
    """Which page is made at each address, and with which template."""
    return sha(*(f"{route.url} {route.template}" for route in routes))


class BuildCache:
    """The build's memory under .cache/: parsed content, rendered Markdown, compiled templates
    and what was last written to `out`. With no folder it remembers nothing (a clean build)."""

    # A file modified this close to the last save may share a clock tick with a second edit.
    RACY_NS = 2_000_000_000
    bodies: dict[str, Body] | None = None
    """Rendered bodies by key, for a cache that keeps them in memory between builds (warm.py)."""
    body_keys: dict[str, tuple[str, str]] | None = None
    """Each body's key by its file, with the digest of the Markdown it was made from, likewise."""
    compiled: dict | None = None
    """Compiled templates' code, likewise."""
    changed: frozenset[str] | None = None
    """The last build's changed_bodies: the only inputs whose pages it looked at again (None: all)."""

    def __init__(self, folder: Path | None, out: Path):
        self.folder = folder
        self.out = out
        self._markdown_read: tuple[dict[str, tuple] | None] | None = None
        self._started_ns = time.time_ns()
        """A pack in the markdown folder written since is kept, even if no record names it yet (another build's)."""
        self.markdown = folder / "markdown" if folder else None
        self.templates = folder / "templates" if folder else None
        self.picture_store = folder / "pictures" if folder else None
        where = str(out.resolve())
        self._outputs = folder / "outputs" / f"{sha(where)[:16]}.pickle" if folder else None
        # Named by the output folder as seen from the project when it is inside it (site/), so a
        # project moved or copied elsewhere still compares its forums with what it last published.
        inside = out.resolve().relative_to(folder.parent.resolve()).as_posix() \
            if folder and out.resolve().is_relative_to(folder.parent.resolve()) else where
        self._forums = folder / "forums" / f"{sha(inside)[:16]}.pickle" if folder else None
        self._key = f"{code_version()} {where}"
        self._last_basis: tuple[str, str, dict[str, str]] | None = None
        """What the pages of the record that outputs() read were made from: the fingerprint, a
        digest of the routes and the body keys (for changed_bodies)."""
        self._next_basis: tuple[str, str, dict[str, str]] | None = None
        """The same for the pages that save_outputs() is to record (keep_basis)."""

    SHARDS = 32
    """The parse of the content is kept in this many files, by a hash of each file's path: an
    edit to one post rewrites one thirty-second of the record (at 10,000 posts, 10 ms, not 270)."""

    def content(self, zone: str) -> tuple[dict[str, Parsed] | None, int]:
        """The parsed content of the last build, and the time before which its stats are settled.
        Dates are read in the site's time zone, so a parse made in another zone is no use. A part
        of the record that is missing or damaged leaves its files to be parsed again."""
        if not self.folder:
            return None, 0
        index: dict[str, Parsed] = {}
        saved_at = []
        for part in range(self.SHARDS):
            saved = read_cache(self._content_part(part), f"{code_version()} {zone}")
            if saved:
                index.update(saved[0])
                saved_at.append(saved[1])
        if not saved_at:
            return None, 0
        # The oldest part's time, so that no file is settled before the part that holds it was saved.
        return index, min(saved_at) - self.RACY_NS

    def save_content(self, index: dict[str, Parsed], previous: dict[str, Parsed] | None, zone: str,
                     scanned_ns: int | None = None) -> None:
        """`scanned_ns`: when the files were looked at, if not just now. Only the parts of the
        record that changed are written, and those holding a file too recent to be settled."""
        if not self.folder:
            return
        scanned_ns = scanned_ns or time.time_ns()
        parts, before = self._split(index), self._split(previous or {})
        for number, part in enumerate(parts):
            unchanged = previous is not None and part.keys() == before[number].keys() and \
                all(part[k] is before[number][k] for k in part)
            if unchanged and not any(p.mtime_ns >= scanned_ns - self.RACY_NS for p in part.values()):
                continue
            slim = {k: p if p.record is None or not p.record.body else p.without_body() for k, p in part.items()}
            write_cache(self._content_part(number), f"{code_version()} {zone}", (slim, scanned_ns))
        forget(self.folder / "content.pickle")  # the whole record in one file, as PlacePress kept it before

    def _split(self, index: Mapping[str, Parsed]) -> list[dict[str, Parsed]]:
        """The records by part (each file's part: a hash of its path)."""
        parts: list[dict[str, Parsed]] = [{} for _ in range(self.SHARDS)]
        for source, parsed in index.items():
            parts[zlib.crc32(source.encode("utf-8")) % self.SHARDS][source] = parsed
        return parts

    def _content_part(self, number: int) -> Path:
        return self.folder / "content" / f"{number:02d}.pickle"

    def pictures(self, root: Path, settings: PictureSettings) -> dict[str, Scanned]:
        """Every file under content/images/, processed only when new or changed since the last build."""
        key = f"{encoder_version()} {settings!r}"
        saved = read_cache(self.folder / "pictures.pickle", key) if self.folder else None
        previous, saved_ns = saved if saved else ({}, 0)
        index = scan_pictures(root, settings, previous, saved_ns - self.RACY_NS, self.picture_store)
        if self.folder and (index != previous or any(s.mtime_ns >= time.time_ns() - self.RACY_NS for s in index.values())):
            write_cache(self.folder / "pictures.pickle", key, (index, time.time_ns()))
        return index

    def memo(self, name: str, key: str, compute):
        """compute(), or its value from the last build that had the same key."""
        if not self.folder:
            return compute()
        path = self.folder / f"{name}.pickle"
        saved = read_cache(path, key)
        if saved is not None:
            return saved
        value = compute()
        write_cache(path, key, value)
        return value

    def by_digest(self, name: str, digests: Mapping[str, str], compute: Callable[[str], T]) -> dict[str, T]:
        """compute(part) for each part of `digests` (a template, by name, with the digest of its
        bytes), or its value from the last call that saw a part with the same digest."""
        path = self.folder / f"{name}.pickle" if self.folder else None
        saved = (read_cache(path, code_version()) if path else None) or {}
        values = {part: saved[digest] if digest in saved else compute(part) for part, digest in digests.items()}
        now = {digests[part]: value for part, value in values.items()}  # only what is there now is kept
        if path and now != saved:
            write_cache(path, code_version(), now)
        return values

    def markdown_keys(self) -> dict[str, tuple] | None:
        """The bodies the markdown folder held after the last build, each with its links (read
        once a build: it is compared again before it is saved)."""
        if self._markdown_read is None:
            saved = read_cache(self.folder / "markdown.pickle", code_version()) if self.folder else None
            self._markdown_read = (saved if isinstance(saved, dict) else None,)
        return self._markdown_read[0]

    def save_markdown_keys(self, keys: dict[str, tuple]) -> None:
        # Compared with the record in .cache/ itself (BuildCache's, not a subclass's view of it:
        # the warm cache saves through here what it kept in memory).
        if self.folder and keys != BuildCache.markdown_keys(self):
            write_cache(self.folder / "markdown.pickle", code_version(), keys)
            self._markdown_read = (keys,)

    def tidy_markdown(self) -> None:
        """Once the build has read every body it shows: remove from the markdown folder what its
        record does not name, and copy the bodies it names into one pack when most of the bytes
        of their packs are no longer named (packs.py)."""
        keys = BuildCache.markdown_keys(self) if self.folder else None
        if keys is None:
            return
        packs = Packs(str(self.markdown))
        named = {key: entry[2] for key, entry in keys.items() if entry[2] is not None}
        try:
            # Less a margin: a file's time is the file system's clock, which may lag the process's a little.
            moved, old = packs.tidy(named, self._started_ns - self.RACY_NS)
            if moved is not None:
                BuildCache.save_markdown_keys(self, {key: (*entry[:2], moved.get(key)) if key in named else entry
                                                     for key, entry in keys.items()})
                packs.remove(old)
        except OSError:
            pass  # the site is written: a folder left untidy (a full disk, a file that would not go) is tidied next time
        finally:
            packs.close()

    def outputs(self) -> tuple[dict[str, Written], int]:
        """What the last build wrote, and the time before which those files' stats are settled.
        (Trust it only while `out` is still a built site: the pipeline checks its marker.)"""
        saved = read_cache(self._outputs, self._key) if self._outputs else None
        if not saved:
            return {}, 0
        pages, saved_ns, self._last_basis = saved
        make = Written._make
        return {path: make(fields) for path, fields in pages.items()}, saved_ns - self.RACY_NS

    def forums(self) -> dict | None:
        """The forums as the last build into `out` published them (revisions.Published)."""
        return read_cache(self._forums, "forums-1") if self._forums else None

    def save_forums(self, forums: dict) -> None:
        # Plain values under a fixed key, not the code version: a new PlacePress still compares.
        if self._forums and forums != BuildCache.forums(self):  # the record in .cache/ (see save_markdown_keys)
            write_cache(self._forums, "forums-1", forums)

    def reuse(self, name: str, key: Callable[[], tuple], compute: Callable[[], T]) -> T:
        """compute(); a process that builds again and again (warm.py) gives instead what it gave
        the last time, when every part of key() is equal (or the very object) to last time's."""
        return compute()

    def changed_bodies(self, fingerprint: str, routes: list[Route], keys: Mapping[str, str]) -> frozenset[str] | None:
        """The bodies (and other inputs a page reads, and the templates: IncrementalPlan.inputs)
        whose keys changed since the last build, when the site's fingerprint and its routes are
        the last build's too: then only the pages that read one of them, or are made with one of
        them, can have changed. None: not known (no record, or another basis).
        Call it after outputs(), whose record carries what the last build's pages were made from."""
        saved = self._last_basis
        known = saved is not None and saved[0] == fingerprint and saved[1] == routes_digest(routes)
        self.changed = changed_keys(keys, saved[2]) if known else None
        return self.changed

    def keep_basis(self, fingerprint: str, routes: list[Route], keys: Mapping[str, str]) -> None:
        """What the pages about to be recorded (save_outputs) were made from, for changed_bodies."""
        self._next_basis = (fingerprint, routes_digest(routes), dict(keys))

    @property
    def remembers(self) -> bool:
        """Whether the build's record of its pages is kept for the next (not by a clean build)."""
        return self.folder is not None

    def content_listing(self, root: Path, changed: frozenset[str] | None) -> dict[str, tuple[int, int]] | None:
        """Every post and page file with its size and time, when a long-lived process can tell
        it from the paths `changed` since its last build (warm.py); None: scan_content lists them."""
        return None

    def site_listing(self) -> dict[str, tuple[int, int]] | None:
        """Every file of `out` with its size and time, when known without listing the folder
        (a long-lived process that alone writes it: warm.py); None: list it."""
        return None

    def keep_listing(self, listing: dict[str, tuple[int, int]]) -> None:
        """`out` as just written, for site_listing."""

    def forget_outputs(self) -> None:
        if self._outputs:
            forget(self._outputs)

    def save_outputs(self, pages: dict[str, Written], written_ns: int | None = None) -> None:
        """`written_ns`: when the files were written, if not just now."""
        if self._outputs:
            plain = {path: tuple(w) for path, w in pages.items()}
            # With this build's basis (keep_basis), or None: never another build's.
            write_cache(self._outputs, self._key, (plain, written_ns or time.time_ns(), self._next_basis))

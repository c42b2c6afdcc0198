"""Which pages an incremental build can leave as they are.

A page is re-rendered unless all of this is as it was when it was last
written: our code, the settings, every template and static file, the
registry, the fields (not the bodies) of every published post and page, and
the bodies that page read last time (the Bodies mapping records them). The
file on disk must also still be the one we wrote (same size and modification
time). Anything else changed, or no record, or a damaged record: render it.
The property test in tests/test_incremental.py holds this to "byte-identical
to a clean build" across random edits.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .bodies import Bodies
from .cache import code_version, sha
from .content import Parsed
from .routes import Route, output_path
from .site import Site


@dataclass(frozen=True)
class Written:
    """What the last build wrote at one path."""

    fingerprint: str
    reads: tuple[str, ...]
    size: int
    mtime_ns: int
    digest: str
    """SHA-256 of the bytes written, to check a file whose time is too close to call."""


def site_fingerprint(site: Site, index: Mapping[str, Parsed], templates: Path, assets: Mapping[str, str]) -> str:
    """Everything a page may depend on besides the bodies it reads."""
    parts = [code_version(), repr(site.config), repr(site.registry), f"preview={site.preview}"]
    parts += [f"{p.relative_to(templates).as_posix()}:{sha(p.read_bytes())}" for p in sorted(templates.rglob("*")) if p.is_file()]
    parts += [f"{name}:{digest}" for name, digest in sorted(assets.items())]
    parts += [f"upcoming:{forum.id}" for forum in site.upcoming]
    parts += [f"{record.source}:{index[record.source].meta if record.source in index else repr(record)}"
              for record in (*site.posts, *site.pages)]
    # Post and page URLs follow from their fields and the settings; documents' from their names.
    parts += [f"document:{source}" for source in sorted(site.urls) if source.startswith("content/documents/")]
    if site.preview:  # the banner says "scheduled" by comparing with now
        parts += [f"scheduled:{p.source}" for p in site.posts if p.date > site.now]
    return sha(*parts)


class IncrementalPlan:
    """Implements render.Plan, and remembers what each rendered page read."""

    def __init__(self, fingerprint: str, bodies: Bodies, previous: Mapping[str, Written], out: Path,
                 settled_ns: int = 0):
        """`settled_ns`: a page file modified at or after it may have been changed again within
        the same clock tick (racy, as git says), so its bytes are checked, not just its stat."""
        self.settled_ns = settled_ns
        self.fingerprint = fingerprint
        self.bodies = bodies
        self.previous = previous
        self.out = out
        self.reads: dict[str, tuple[str, ...]] = {}
        self.fingerprints: dict[str, str] = {}
        self.kept: dict[str, Written] = {}
        self.others: dict[str, str] = {}
        """Files other than pages to be written now, with the fingerprint of their inputs."""

    def page_fingerprint(self, route: Route, reads: tuple[str, ...]) -> str:
        keys = [f"{source}={self.bodies.keys.get(source, '-')}" for source in reads]
        return sha(self.fingerprint, route.url, route.template, *keys)

    def unchanged(self, route: Route) -> bool:
        path = output_path(route.url)
        last = self.previous.get(path)
        if last is None or self.page_fingerprint(route, last.reads) != last.fingerprint:
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

    def previous_files(self, folder: str) -> list[str]:
        """What the last build wrote under `folder` (the search index's 'pagefind/')."""
        return sorted(path for path in self.previous if path.startswith(folder))

    def made_file(self, path: str, fingerprint: str) -> None:
        """Remember a file that is not a page, made now from inputs with this fingerprint."""
        self.others[path] = fingerprint

    def _still_written(self, path: str, last: Written) -> bool:
        try:
            stat = os.stat(os.path.join(self.out, path))
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (last.size, last.mtime_ns):
            return False  # changed by hand since, or by a build that was killed
        if stat.st_mtime_ns >= self.settled_ns and not self._same_digest(path, last.digest):
            return False
        self.kept[path] = last
        return True

    def start(self, route: Route) -> None:
        self.bodies.reads = set()

    def finish(self, route: Route) -> None:
        path = output_path(route.url)
        self.reads[path] = tuple(sorted(self.bodies.reads or ()))
        self.fingerprints[path] = self.page_fingerprint(route, self.reads[path])
        self.bodies.reads = None

    def _same_digest(self, path: str, digest: str) -> bool:
        with open(os.path.join(self.out, path), "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest

    def records(self, files: Mapping[str, bytes | None]) -> dict[str, Written]:
        """After writing `files`: what to remember of every page and picture file, for the next build.
        A file kept when it was checked but not written now (the search index's old files, when
        the index was made again) is gone, and is forgotten."""
        written = {path: last for path, last in self.kept.items() if path in files}
        made = [(path, self.fingerprints[path], reads) for path, reads in self.reads.items()]
        others = [(path, fingerprint, ()) for path, fingerprint in self.others.items() if path in files]
        for path, fingerprint, reads in made + others:
            stat = (self.out / path).stat()
            digest = hashlib.sha256(files[path]).hexdigest()
            written[path] = Written(fingerprint, reads, stat.st_size, stat.st_mtime_ns, digest)
        return written

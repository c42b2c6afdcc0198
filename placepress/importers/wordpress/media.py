"""Pictures and documents: where each goes, and getting its bytes.

An upload keeps WordPress's folders (`2010/04/room.jpg`), so two files with one name never meet:
pictures (JPEG, PNG, GIF, WebP) go to content/images/2010/04/, everything else (PDF, Word,
audio…) to content/documents/2010/04/. A name that would not work in an address is renamed
(`CN4M Briefing.pdf` → `CN4M-Briefing.pdf`, `café.jpg` → `cafe.jpg`) and reported.

The bytes come from `--media` (a copy of wp-content/uploads, or WordPress.com's media export
.tar, matched by the end of their path), from `--download` (HTTPS only, from the export's own
site and WordPress.com's media hosts, with a timeout, a size limit and retries), or nowhere:
the text then keeps the old address and the report lists it.
"""

from __future__ import annotations

import posixpath
import re
import tarfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable
from urllib.parse import urlsplit, urlunsplit

from .oldsite import MEDIA_HOST, bare_host

PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LIMIT = 100 * 1024 * 1024
TIMEOUT = 30
TRIES = 3


def safe_segment(segment: str) -> str:
    """A path segment that works in an address: ASCII letters, digits, '.', '_' and '-'."""
    ascii_text = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    cleaned = re.sub(r"-{2,}", "-", cleaned).lstrip("._-")
    stem, dot, extension = cleaned.rpartition(".")
    if dot and stem:
        cleaned = stem.rstrip("-_") + "." + extension
    return cleaned or "file"


def destination(key: str) -> str:
    """'2010/04/CN4M Briefing.pdf' → 'content/documents/2010/04/CN4M-Briefing.pdf'."""
    folder = "content/images" if posixpath.splitext(key)[1].lower() in PICTURES else "content/documents"
    return folder + "/" + "/".join(safe_segment(part) for part in key.split("/") if part)


class MediaSource:
    """Files found in --media, by every tail of their path ('room.jpg', '04/room.jpg', …)."""

    def __init__(self, location: Path):
        self.location = location
        self.tails: dict[str, str] = {}
        self.tar = tarfile.open(location) if location.is_file() else None
        names = [m.name for m in self.tar.getmembers() if m.isfile()] if self.tar else \
            [p.relative_to(location).as_posix() for p in sorted(location.rglob("*")) if p.is_file()]
        for name in sorted(names, key=lambda n: (n.count("/"), n)):
            parts = name.lstrip("./").split("/")
            for start in range(len(parts)):
                self.tails.setdefault("/".join(parts[start:]), name)

    def find(self, key: str) -> str | None:
        return self.tails.get(key)

    def open(self, name: str) -> BinaryIO:
        if self.tar is not None:
            return self.tar.extractfile(name)
        return (self.location / name).open("rb")


@dataclass
class Downloader:
    """Fetches uploads over HTTPS from the hosts the export names, within limits."""

    hosts: frozenset[str]
    fetched: int = 0

    def allowed(self, url: str) -> bool:
        host = bare_host(urlsplit(url).hostname or "")
        return host in self.hosts or bool(MEDIA_HOST.search(host))

    def get(self, url: str) -> tuple[bytes | None, str]:
        """(the bytes, '') or (None, why not)."""
        import urllib.error
        import urllib.request

        parts = urlsplit(url)
        if not self.allowed(url):
            return None, f"{parts.hostname} is not the old site or a known media host"
        secure = urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))
        why = ""
        for attempt in range(TRIES):
            try:
                with urllib.request.urlopen(urllib.request.Request(secure, headers={"User-Agent": "PlacePress importer"}),
                                            timeout=TIMEOUT) as answer:
                    data = answer.read(LIMIT + 1)
                if len(data) > LIMIT:
                    return None, f"it is larger than {LIMIT // (1024 * 1024)} MB"
                self.fetched += 1
                return data, ""
            except urllib.error.HTTPError as error:
                why = f"the server answered {error.code}"
                if error.code < 500:
                    break
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                why = f"it could not be fetched ({getattr(error, 'reason', error)})"
            time.sleep(0.5 * (attempt + 1))
        return None, why


@dataclass
class Library:
    """Which uploads the import brings in, fetched once each on first use."""

    put: Callable[[str, bytes], None]
    put_stream: Callable[[str, BinaryIO], None]
    source: MediaSource | None = None
    downloader: Downloader | None = None
    imported_before: Callable[[str], bool] = lambda path: False
    """Is this file in the project from an earlier import? Then a re-run without --media keeps using it."""
    found: dict[str, str | None] = field(default_factory=dict)
    """Key → its file in the project, or None when it could not be had."""
    why: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Key → (its address, why it was not imported)."""
    renamed: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def available(self, key: str) -> bool:
        return self.source is not None and self.source.find(key) is not None

    def fetch(self, key: str, url: str) -> str | None:
        if key in self.found:
            return self.found[key]
        path = self._claim(key)
        if self.source is None and self.downloader is None and self.imported_before(path):
            self.found[key] = path
            return path
        result = self._copy(key, path) if self.source is not None else self._download(key, url, path) if self.downloader else \
            "use --media or --download to bring it in"
        self.found[key] = path if result is None else None
        if result is not None:
            self.why[key] = (url, result)
            self.taken.discard(path)
        return self.found[key]

    def _claim(self, key: str) -> str:
        wanted = destination(key)
        stem, extension = posixpath.splitext(wanted)
        path, number = wanted, 2
        while path in self.taken:
            path, number = f"{stem}-{number}{extension}", number + 1
        self.taken.add(path)
        if path[path.index("/", 8) + 1:] != key:
            self.renamed[key] = path
        return path

    def _copy(self, key: str, path: str) -> str | None:
        name = self.source.find(key)
        if name is None:
            return f"it is not in {self.source.location.name}"
        self.put_stream(path, self.source.open(name))
        return None

    def _download(self, key: str, url: str, path: str) -> str | None:
        data, why = self.downloader.get(url)
        if data is None:
            return why
        self.put(path, data)
        return None

"""The old site's addresses: which links point into it, and which point at its uploads.

A link counts as the old site's when its host is the export's site (with or without `www.`,
over http or https) or when it starts with '/'. Uploads are under `/wp-content/uploads/` (or
`/files/` on old multisite installs), on WordPress.com under `NAME.files.wordpress.com`, and
through Jetpack's `i0.wp.com/HOST/…` copies; the uploads-relative path ('2010/04/room.jpg') is a
picture's key. `room-300x200.jpg` is a size WordPress made of `room.jpg`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_SIZED = re.compile(r"^(.*)-\d+x\d+(\.[A-Za-z0-9]+)$")
_PHOTON = re.compile(r"^i[0-3]\.wp\.com$")
MEDIA_HOST = re.compile(r"(^|\.)files\.wordpress\.com$|^i[0-3]\.wp\.com$")


def bare_host(host: str) -> str:
    return host.lower().removeprefix("www.")


@dataclass(frozen=True)
class OldSite:
    hosts: frozenset[str]
    """The site's host names, lowercase and without 'www.'."""
    base_path: str
    """The blog's path, '/' or '/blog/'."""

    @classmethod
    def from_addresses(cls, *addresses: str) -> "OldSite":
        parts = [urlsplit(a) for a in addresses if a]
        hosts = frozenset(bare_host(p.hostname) for p in parts if p.hostname)
        path = next((p.path for p in parts if p.hostname), "/") or "/"
        return cls(hosts, path if path.endswith("/") else path + "/")

    def is_ours(self, url: str) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme and parts.scheme not in ("http", "https"):
            return False
        return bool(parts.hostname and bare_host(parts.hostname) in self.hosts) or (not parts.netloc and url.strip().startswith("/"))

    def address(self, url: str) -> tuple[str, dict[str, str]] | None:
        """('/2010/04/23/x/', {'p': '12'}): a link into the old blog, as a path from its base
        (starting with '/') and its query; None for a link elsewhere."""
        if not self.is_ours(url):
            return None
        parts = urlsplit(url.strip())
        path = unquote(parts.path or "/")
        if not (path + "/").startswith(self.base_path):
            return None
        inner = "/" + path[len(self.base_path):].lstrip("/")
        query = {k: v[0] for k, v in parse_qs(parts.query).items() if v}
        return normal_path(inner), query

    def media_key(self, url: str) -> str | None:
        """'2010/04/room.jpg' for an address of an uploaded file, else None."""
        parts = urlsplit(url.strip())
        host = bare_host(parts.hostname or "")
        path = unquote(parts.path)
        if _PHOTON.match(host):  # i0.wp.com/old.example.org/wp-content/uploads/…
            return self.media_key("https://" + path.lstrip("/"))
        if host.endswith("files.wordpress.com"):
            return _clean_key(path)
        if not self.is_ours(url):
            return None
        for marker in ("/wp-content/uploads/", "/files/"):
            if marker in path:
                return _clean_key(path.split(marker, 1)[1])
        return None


def normal_path(path: str) -> str:
    """'/about-us' and '/about-us/' are one address; 'index.php' is the home."""
    path = re.sub(r"/+", "/", path)
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    if not posixpath.splitext(path)[1] and not path.endswith("/"):
        path += "/"
    return path


def _clean_key(path: str) -> str | None:
    key = posixpath.normpath("/" + path).lstrip("/")
    return key if key and key != "." and not key.startswith("..") else None


def unsized(key: str) -> str | None:
    """'2010/04/room-300x200.jpg' → '2010/04/room.jpg'; None when the name has no size."""
    match = _SIZED.match(key)
    return match.group(1) + match.group(2) if match else None

"""The records of a published picture, and where its files go.

`content/images/2010/forum-room.jpg` (say 4000 × 3000) is published as
`/images/2010/forum-room.jpg` (1600 × 1200, the largest width, in its own format),
`/images/2010/forum-room-960w.jpg` and `-480w.jpg`, and the same widths as WebP
(`forum-room.webp`, `forum-room-960w.webp`, …). The original file is never published.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

IMAGES = "content/images/"
"""Where editors put pictures; published under /images/."""

RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF", ".heic": "JPEG", ".heif": "JPEG"}
"""File suffix (lower case) → the format it is published in (HEIC as JPEG: browsers cannot show it)."""
SUFFIXES = (*RASTER, ".svg")
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif", "SVG": "image/svg+xml"}

# A 48-megapixel phone photo (the largest phones take today) is 10–25 MB: both limits let it
# through. Beyond them a file is better resized before it is committed: git keeps every version
# of it for ever (GitHub refuses files over 100 MB), and decoding 50 megapixels takes 200 MB of
# memory in each of the two worker processes.
MAX_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 50_000_000

ALT_DECORATIVE = "decorative"
"""The alt text that marks a purely decorative picture: published with alt=""."""
ALT_MISSING = "needs-description"
"""The alt text that marks a picture still to be described (the WordPress importer writes it):
published with alt="", accepted with a warning, listed by `build.py check`."""


@dataclass(frozen=True)
class PictureSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    """The widths published, in pixels; a picture is never made wider than it is."""
    quality: int = 80
    """JPEG and WebP quality, 1–100."""


@dataclass(frozen=True)
class Variant:
    suffix: str
    """Added to the picture's URL without its extension: '.jpg', '-480w.webp'."""
    width: int
    height: int
    format: str
    """JPEG, PNG, WEBP, GIF or SVG."""


@dataclass(frozen=True)
class Picture:
    source: str
    """The file under content/images/, from the project root."""
    key: str
    """Digest of the file's bytes, the settings and the code that made the variants: the same
    key, the same published bytes."""
    width: int
    """Of the largest published variant (the camera's orientation applied)."""
    height: int
    format: str
    """The format published beside WebP: JPEG, PNG, WEBP, GIF or SVG."""
    variants: tuple[Variant, ...]
    """Every published file: largest first, the file's own format before WebP."""

    @property
    def stem(self) -> str:
        """'/images/2010/forum-room' for content/images/2010/forum-room.jpg."""
        return "/images/" + posixpath.splitext(self.source.removeprefix(IMAGES))[0]

    @property
    def url(self) -> str:
        """Site-relative URL of the largest variant in the picture's own format."""
        return self.stem + self.variants[0].suffix

    def urls(self, format: str) -> tuple[tuple[str, Variant], ...]:
        return tuple((self.stem + v.suffix, v) for v in self.variants if v.format == format)


def output_suffix(source: str) -> str:
    """'.jpg' for content/images/a.jpg, '.jpg' for a.heic (published as JPEG)."""
    suffix = posixpath.splitext(source)[1]
    return ".jpg" if suffix.lower() in (".heic", ".heif") else suffix


def variant_suffixes(source: str, widths: list[int], formats: list[str]) -> list[tuple[str, int, str]]:
    """(suffix, width, format) of each file, largest width first. `widths` ends with the largest."""
    own = output_suffix(source)
    largest = widths[-1]
    found = []
    for width in sorted(widths, reverse=True):
        tail = "" if width == largest else f"-{width}w"
        for format in formats:
            found.append((tail + (own if format == formats[0] else ".webp"), width, format))
    return found

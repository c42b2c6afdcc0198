"""The markup of a published picture: <picture> with a WebP <source> and an <img> that has
srcset, sizes, width and height (so the page does not jump as it loads), and is loaded lazily
unless it is the first picture of the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from xml.etree.ElementTree import Element, SubElement, tostring

from .model import ALT_DECORATIVE, ALT_MISSING, MIME, Picture

SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
"""How wide the theme shows a picture: the text column (42rem, --measure in site.css), or the
screen less its margins on a phone. Browsers pick the width to download from it."""


def picture_element(picture: Picture, alt: str, url: Callable[[str], str], eager: bool = False,
                    title: str | None = None) -> Element:
    """`alt` as published ('' for a decorative picture or one still to be described);
    `url` adds the site's base path to a site-relative URL."""
    img = Element("img")
    own = picture.urls(picture.format)
    if len(own) > 1:
        img.set("src", url(own[0][0]))
        img.set("srcset", _srcset(own, url))
        img.set("sizes", SIZES)
    else:
        img.set("src", url(picture.url))
    img.set("width", str(picture.width))
    img.set("height", str(picture.height))
    img.set("alt", alt)
    if not alt:
        img.set("role", "presentation")
    if title:
        img.set("title", title)
    if not eager:
        img.set("loading", "lazy")
        img.set("decoding", "async")
    webp = picture.urls("WEBP") if picture.format != "WEBP" else ()
    if not webp:
        return img
    element = Element("picture")
    SubElement(element, "source", {"type": MIME["WEBP"], "srcset": _srcset(webp, url), "sizes": SIZES})
    element.append(img)
    return element


def _srcset(urls, url: Callable[[str], str]) -> str:
    return ", ".join(f"{url(path)} {variant.width}w" for path, variant in sorted(urls, key=lambda pair: pair[1].width))


def picture_html(picture: Picture, alt: str, url: Callable[[str], str], eager: bool = False) -> str:
    return tostring(picture_element(picture, alt, url, eager), encoding="unicode", method="html")


@dataclass(frozen=True)
class Cover:
    """The picture that represents a post or page (its front matter `image`, else its first
    picture), for link previews, structured data and the top of its page."""

    picture: Picture
    alt: str
    """As published: '' for a picture still to be described."""
    in_body: bool
    """Whether the text shows it already (then the page does not show it again above)."""


def published_alt(alt: str) -> str:
    return "" if alt in (ALT_DECORATIVE, ALT_MISSING) else alt

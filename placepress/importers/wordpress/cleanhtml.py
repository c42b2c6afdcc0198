"""A post's HTML made safe and current before it becomes Markdown.

What is removed, and reported: scripts, event handlers (`onclick`, `onerror`, …), `javascript:`
and other script links, forms (a static site cannot receive them), Flash objects. What is
modernised: obsolete elements (`acronym`, `tt`, `strike`, `center`, `font`, `big`, …) become
their current equivalent or plain text, so the imported site stays valid HTML. A YouTube or
Vimeo frame becomes a link to the video; any other frame, and tables Markdown cannot carry
(cells spanning rows or columns, or holding paragraphs and lists), are kept as HTML,
sanitised by nh3, and reported. Headings are renumbered so that the body starts at level 2
and never skips a level, as the page's title is the only level 1.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urlsplit

from .shortcodes import video_of

DROPPED = ("script", "noscript", "style", "link", "meta", "form", "input", "button", "select", "textarea",
           "object", "embed", "applet", "param", "frameset", "frame", "noframes", "base", "template")
RENAMED = {"acronym": "abbr", "tt": "code", "strike": "del", "s": "del", "dir": "ul", "xmp": "pre", "listing": "pre",
           "plaintext": "pre", "center": "div", "b": "strong", "i": "em"}
UNWRAPPED = ("font", "big", "blink", "marquee", "basefont", "nobr", "spacer", "small", "u", "mark", "span", "ins",
             "section", "article", "header", "footer", "aside", "nav", "main", "hgroup", "details", "summary",
             "address", "label", "fieldset", "legend", "time", "data", "var", "dfn", "bdi", "bdo")
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data|livescript)\s*:", re.I)
_BLOCK_IN_CELL = ("p", "ul", "ol", "table", "pre", "blockquote", "div", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "figure", "img")
KEPT_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "p", "br", "a", "em",
             "strong", "code", "pre", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "del", "sub", "sup", "dl",
             "dt", "dd", "iframe", "h2", "h3", "h4", "h5", "h6", "hr"}
KEPT_ATTRIBUTES = {"*": {"lang", "dir", "title"}, "a": {"href"}, "abbr": {"title"}, "td": {"colspan", "rowspan", "headers"},
                   "th": {"colspan", "rowspan", "headers", "scope", "abbr"}, "col": {"span"}, "colgroup": {"span"},
                   "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading"}, "ol": {"start", "reversed"}}


def clean_soup(soup, note: Callable[[str], None], video_link: Callable[[str], str]) -> None:
    """Change `soup` (BeautifulSoup) in place; `note` receives a line for the report."""
    for element in soup.find_all(True):  # one walk over the tree: a long post has thousands of elements
        if element.decomposed:
            continue
        if element.name in DROPPED or element.name in ("svg", "math"):
            _drop(element, note)
            continue
        _clean_attributes(element, note)
        element.name = RENAMED.get(element.name, element.name)
        if element.name == "a" and "name" in element.attrs:
            element.attrs.setdefault("id", element.attrs.pop("name"))
    for element in soup.find_all(UNWRAPPED):
        element.unwrap()
    _frames(soup, note, video_link)
    _renumber_headings(soup)


def _drop(element, note: Callable[[str], None]) -> None:
    if element.name in ("svg", "math"):
        note(f"removed an inline <{element.name}> picture (it cannot be checked or described); add it as a file if it matters")
    elif element.name in ("script", "object", "embed", "applet", "form"):
        note(f"removed a <{element.name}>: {_describe(element)}")
    element.decompose()


def _clean_attributes(element, note: Callable[[str], None]) -> None:
    for attribute in list(element.attrs):
        value = str(element.attrs[attribute])
        if attribute.lower().startswith("on"):
            note(f"removed the event handler {attribute}=\"{_short(value)}\" from a <{element.name}>")
            del element.attrs[attribute]
        elif attribute in ("href", "src", "action", "formaction", "xlink:href") and _SCRIPT_URL.match(value) \
                and not (element.name == "img" and value.lower().startswith("data:image/")):
            note(f"removed a '{value.split(':')[0].strip().lower()}:' address from a <{element.name}>")
            del element.attrs[attribute]
        elif attribute in ("style", "class") and element.name not in ("pre", "code"):
            del element.attrs[attribute]


def _frames(soup, note: Callable[[str], None], video_link: Callable[[str], str]) -> None:
    for frame in soup.find_all("iframe"):
        source = str(frame.get("src", ""))
        if video_of(source):
            from bs4 import BeautifulSoup

            frame.replace_with(BeautifulSoup(video_link(source), "html.parser").a)
        else:
            frame["data-kept"] = "1"
            if not str(frame.get("title", "")).strip():  # a frame must be named for screen readers (WCAG 4.1.2)
                frame["title"] = f"Embedded from {urlsplit(source).hostname or 'another site'}"
            note(f"kept a frame from {_short(source) or 'nowhere'} as HTML: it loads from another site before the reader chooses to; "
                 "consider a link instead")
    for table in soup.find_all("table"):
        spans = table.find_all(["td", "th"], attrs={"colspan": re.compile(r"^\s*[2-9]|^\s*\d\d")}) or \
            table.find_all(["td", "th"], attrs={"rowspan": re.compile(r"^\s*[2-9]|^\s*\d\d")})
        blocks = any(cell.find(_BLOCK_IN_CELL) for cell in table.find_all(["td", "th"]))
        if (spans or blocks) and not table.find_parent("table"):
            table["data-kept"] = "1"
            note("kept a table as HTML: " + ("cells span rows or columns" if spans else "cells hold paragraphs, lists or pictures")
                 + ", which Markdown tables cannot carry (links in it keep their old addresses; pictures in it are left out)")


def _renumber_headings(soup) -> None:
    previous = 1  # the page's title
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        if heading.find_parent(attrs={"data-kept": True}):
            continue
        level = min(max(2, int(heading.name[1])), previous + 1)
        heading.name = f"h{level}"
        previous = level


def _describe(element) -> str:
    source = element.get("src") or element.get("data") or element.get("action") or ""
    return _short(str(source)) if source else _short(element.get_text(" ", strip=True)) or "(empty)"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

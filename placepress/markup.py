"""Markdown to HTML, with links to content files turned into their URLs.

One Markdown instance is reused (building one costs more than converting a
short post); `reset()` between documents clears footnotes and heading ids.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .typography import smarten_tree


# Typographic quotes and dashes come from placepress/typography.py, not `smarty`: the same
# result for a fraction of the cost (bench/ measures each extension).
EXTENSIONS = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists")
EXTENSION_CONFIG = {
    # Footnote back-links get a text label; the default arrow is read out as
    # "leftwards arrow with hook" by screen readers.
    "footnotes": {"BACKLINK_TITLE": "Back to reference %d", "SUPERSCRIPT_TEXT": "{}"},
    "toc": {"permalink": False},
}
_TAGS = re.compile(r"<[^>]+>")
_LINK_ATTRIBUTES = {"a": "href", "img": "src"}
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/")


@dataclass(frozen=True)
class Body:
    html: str
    excerpt: str
    """The first paragraph as plain text, for descriptions and listings."""
    targets: tuple[tuple[str, str | None], ...] = ()
    """Every relative link the HTML was rendered with: (content file, the URL it was given,
    or None when no such file was published). The cached HTML is good while these hold."""
    links: tuple[tuple[str, str], ...] = ()
    """Every relative link as the editor wrote it and the file it names, in the order of the
    text, once each: what the build checks (site.check_links), so every link rendered is checked."""


def _rewrite_links(root: Element, source: str, urls: dict[str, str], seen: dict[str, str | None],
                   written: dict[str, str]) -> None:
    """href="../pages/documents.md#x" (and links to uploaded documents) become their URLs;
    `seen` records every relative target and what it became, `written` each link as written."""
    for element in root.iter():
        attribute = _LINK_ATTRIBUTES.get(element.tag)
        target = element.get(attribute, "") if attribute else ""
        path, _, fragment = target.partition("#")
        if not path or _EXTERNAL.match(path):
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        url = urls.get(resolved)
        seen[resolved] = url
        written.setdefault(target, resolved)
        if url is not None:
            element.set(attribute, url + (f"#{fragment}" if fragment else ""))


class MarkdownRenderer:
    def __init__(self) -> None:
        # Imported here: a build with nothing new to render never needs Python-Markdown.
        import markdown
        from markdown.treeprocessors import Treeprocessor

        class ContentLinks(Treeprocessor):
            source = ""
            urls: dict[str, str] = {}
            seen: dict[str, str | None] = {}
            written: dict[str, str] = {}

            def run(self, root: Element) -> None:
                _rewrite_links(root, self.source, self.urls, self.seen, self.written)

        class Typography(Treeprocessor):
            def run(self, root: Element) -> None:
                smarten_tree(root)

        self._md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIG, output_format="html")
        self._links = ContentLinks(self._md)
        self._md.treeprocessors.register(self._links, "placepress-links", 1)
        # After inline parsing (20), so code spans are marked as code, and after attr_list (8),
        # so "{: role=\"presentation\" }" is read before its quotes could be curled.
        self._md.treeprocessors.register(Typography(self._md), "placepress-typography", 7)

    def render(self, source: str, text: str, urls: dict[str, str]) -> Body:
        """`urls` maps content files to the URL path (base path included) they publish at."""
        self._links.source = source
        self._links.urls = urls
        self._links.seen = {}
        self._links.written = {}
        self._md.reset()
        rendered = self._md.convert(text)
        return Body(rendered, excerpt_of(rendered), tuple(sorted(self._links.seen.items())), tuple(self._links.written.items()))


def excerpt_of(rendered: str, limit: int = 300) -> str:
    match = re.search(r"<p>(.*?)</p>", rendered, re.S)
    text = html.unescape(_TAGS.sub("", match.group(1))) if match else ""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"

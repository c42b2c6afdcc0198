"""Markdown to HTML, with links to content files turned into their URLs.

One Markdown instance is reused (building one costs more than converting a
short post); `reset()` between documents clears footnotes and heading ids.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .pictures.html import picture_element, published_alt
from .pictures.model import ALT_DECORATIVE, ALT_MISSING, IMAGES, Picture
from .problems import did_you_mean
from .typography import smarten, smarten_tree


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
_LINK_ATTRIBUTES = {"a": "href"}  # pictures (img src) are the PictureMarkup processor's
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/")


@dataclass(frozen=True)
class Body:
    html: str
    excerpt: str
    """The first paragraph as plain text, for descriptions and listings."""
    targets: tuple[tuple[str, str | None], ...] = ()
    """Every relative link the HTML was rendered with: (content file, the URL it was given,
    or None when no such file was published), and every picture ('picture:' and its file, its
    key or None). The cached HTML is good while these hold."""
    pictures: tuple[tuple[str, str], ...] = ()
    """(file under content/images/, alt text as written) of each picture shown, in order."""
    problems: tuple[tuple[int, str], ...] = ()
    """(line within the body, from 0; message): mistakes found while rendering."""
    warnings: tuple[tuple[int, str], ...] = ()
    """(line within the body, message): what the build accepts but an editor should finish."""
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


class _Pictures:
    """What the picture processor needs for one body, and what it found."""

    def __init__(self, source: str, text: str, pictures: dict[str, Picture | None], url) -> None:
        self.source = source
        self.text = text
        self.pictures = pictures
        """Every file under content/images/: its Picture, or None when the file has problems of its own."""
        self.url = url
        self.seen: dict[str, str | None] = {}
        self.shown: list[tuple[str, str]] = []
        self.problems: list[tuple[int, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self._searched = 0

    def line_of(self, src: str) -> int:
        """The body line (from 0) where `src` is written, searching on from the last one found."""
        at = self.text.find(src, self._searched)
        if at < 0:
            at = self.text.find(src)
        if at < 0:
            return 0
        self._searched = at + len(src)
        return self.text.count("\n", 0, at)

    def replace(self, img: Element, eager: bool) -> Element | None:
        """The markup that replaces a Markdown picture, or None to leave it as written."""
        src, alt = img.get("src", ""), img.get("alt", "")
        line = self.line_of(src)
        self.check_alt(src, alt, line)
        path, _, _ = src.partition("?")
        if not path or _EXTERNAL.match(path):
            img.set("alt", published_alt(alt))  # a marker is never published as a description
            return None  # on another site (or written from the site's root): published as written
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.source), path))
        picture = self.pictures.get(resolved)
        self.seen[f"picture:{resolved}"] = picture.key if picture else None
        if picture is None:
            if resolved not in self.pictures:
                self.problems.append((line, self.missing(src, resolved)))
            return None
        self.shown.append((resolved, alt))
        return picture_element(picture, published_alt(alt), self.url, eager=eager)

    def check_alt(self, src: str, alt: str, line: int) -> None:
        if not alt.strip():
            self.problems.append((line, f"the picture '{src}' has no description: write what it shows between the brackets, "
                                        f"for readers who cannot see it (![A full room at the forum]({src})); "
                                        f"for a purely decorative picture write ![{ALT_DECORATIVE}]({src})"))
        elif alt == ALT_MISSING:
            self.warnings.append((line, f"the picture '{src}' has no description yet: write what it shows in place of "
                                        f"'{ALT_MISSING}' (or '{ALT_DECORATIVE}' if it shows nothing that matters)"))

    def missing(self, src: str, resolved: str) -> str:
        if not resolved.startswith(IMAGES):
            return (f"the picture '{src}' names {resolved}, which is not in {IMAGES}: put pictures there, "
                    "so that they are published in sizes for phones and without their metadata")
        here = posixpath.dirname(self.source)
        names = {posixpath.relpath(known, here): known for known in self.pictures}
        return f"the picture '{src}' names {resolved}, which does not exist{did_you_mean(src, names)}"


def _render_pictures(root: Element, state: _Pictures) -> None:
    """Each Markdown picture becomes a <picture>; one alone in its paragraph with a title
    (![alt](src "caption")) becomes a <figure> with that caption."""
    found = [(parent, child) for parent in root.iter() for child in parent if child.tag == "img"]
    for number, (parent, img) in enumerate(found):
        title = img.get("title")
        replacement = state.replace(img, eager=number == 0)
        if replacement is None:
            continue
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (img.tail or "").strip()
        replacement.tail = img.tail
        parent[list(parent).index(img)] = replacement
        if alone and title:
            parent.tag = "figure"
            caption = Element("figcaption")
            caption.text = smarten(title)
            parent.append(caption)
        elif title:
            (replacement.find("img") if replacement.tag == "picture" else replacement).set("title", title)


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

        class PictureMarkup(Treeprocessor):
            state: _Pictures | None = None

            def run(self, root: Element) -> None:
                _render_pictures(root, self.state)

        from markdown.extensions.toc import TocTreeprocessor

        class HeadingIds(TocTreeprocessor):
            """toc's own processor, giving headings the same ids, but building its table of
            contents only for a text that asks for one ("[TOC]" alone in a paragraph): nothing we
            publish uses `md.toc`, and building, serialising and placing it for every body cost
            about a tenth of Python-Markdown's time (bench/ measures toc apart)."""
            wanted = False

            def run(self, doc: Element) -> None:
                marker = self.marker
                self.wanted = bool(marker) and any(
                    el.text and len(el) == 0 and el.text.strip() == marker for el in doc.iter())
                super().run(doc)

            def build_toc_div(self, toc_list: list) -> Element:
                return super().build_toc_div(toc_list) if self.wanted else Element("div")

            def replace_marker(self, root: Element, elem: Element) -> None:
                if self.wanted:
                    super().replace_marker(root, elem)

        # The extensions made from their modules: named as strings, Python-Markdown would first look
        # them up among installed entry points, which costs more than rendering a post.
        from importlib import import_module

        # fenced_code imports codehilite, which imports Pygments wherever it is installed (Pelican
        # and pytest bring it) to colour code: we never ask for that (no codehilite extension, so
        # the output is the same without it), and importing Pygments costs every build 20 ms.
        absent = "pygments" not in sys.modules
        if absent:
            sys.modules["pygments"] = None  # its import fails, and codehilite goes on without it
        try:
            extensions = [import_module(f"markdown.extensions.{name}").makeExtension(**EXTENSION_CONFIG.get(name, {}))
                          for name in EXTENSIONS]
        finally:
            if absent:
                del sys.modules["pygments"]
        self._md = markdown.Markdown(extensions=extensions, output_format="html")
        toc = extensions[EXTENSIONS.index("toc")]
        self._md.treeprocessors.register(HeadingIds(self._md, toc.getConfigs()), "toc", 5)  # in place of toc's
        self._links = ContentLinks(self._md)
        self._md.treeprocessors.register(self._links, "placepress-links", 1)
        self._pictures = PictureMarkup(self._md)
        # After typography, which would otherwise curl the quotes of a caption twice.
        self._md.treeprocessors.register(self._pictures, "placepress-pictures", 2)
        # After inline parsing (20), so code spans are marked as code, and after attr_list (8),
        # so "{: role=\"presentation\" }" is read before its quotes could be curled.
        self._md.treeprocessors.register(Typography(self._md), "placepress-typography", 7)
        _quicken_inline(self._md)

    def render(self, source: str, text: str, urls: dict[str, str], pictures: dict[str, Picture | None] | None = None,
               base_path: str = "/") -> Body:
        """`urls` maps content files to the URL path (base path included) they publish at;
        `pictures` maps each file under content/images/ to its Picture (None: it has problems of
        its own); `base_path` is the site's path ('/' or '/blog/'), put before pictures' URLs."""
        state = _Pictures(source, text, pictures or {}, lambda path: base_path + path.lstrip("/"))
        self._links.source = source
        self._links.urls = urls
        self._links.seen = {}
        self._links.written = {}
        self._pictures.state = state
        self._md.reset()
        rendered = self._md.convert(text)
        targets = tuple(sorted({**self._links.seen, **state.seen}.items()))
        return Body(rendered, excerpt_of(rendered), targets, tuple(state.shown), tuple(state.problems), tuple(state.warnings),
                    tuple(self._links.written.items()))


# Python-Markdown's inline expressions that begin with a look-behind, which `re` tries at every
# position of a text (a code span's took a tenth of a body's time finding none), with a
# character that any match of theirs holds at or after where the search starts.
_NEEDS = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "`",  # code spans
    r"(?<!\!)\[": "[",  # links and references
}


def _search_of(expression: re.Pattern):
    """`expression.search`, or for one of _NEEDS the same answer found sooner: None at once
    where the text holds no character that a match needs."""
    needed = _NEEDS.get(expression.pattern)
    if needed is None:
        return expression.search
    search = expression.search
    return lambda text, start: search(text, start) if text.find(needed, start) >= 0 else None


def _quicken_inline(md) -> None:
    """Put QuickInline in place of Python-Markdown's inline processor, where that has the
    methods it builds on (else the stock one stays)."""
    from markdown.inlinepatterns import InlineProcessor as NewStyle
    from markdown.treeprocessors import InlineProcessor
    from markdown.util import AtomicString

    if not all(hasattr(InlineProcessor, name) for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")):
        return

    class QuickInline(InlineProcessor):
        """Python-Markdown's inline processor, asking a pattern to look at a piece of text only
        where its expression occurs in it at all. The stock one calls every pattern (fifteen here)
        on every piece of text and lets it find nothing: about a tenth of a body's time. Patterns
        in the new style (all of ours) are tried with `finditer` from the position reached,
        and one that finds nothing leaves the text as it was and the position back at 0, as
        skipping it here does; a pattern in the old style is always called."""

        def __init__(self, md) -> None:
            super().__init__(md)
            self.inlinePatterns = tuple(md.inlinePatterns)  # fixed once the extensions are in
            self.searches = tuple(_search_of(pattern.getCompiledRegExp()) if isinstance(pattern, NewStyle) else None
                                  for pattern in self.inlinePatterns)

        def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
            if isinstance(data, AtomicString):
                return data
            patterns, searches, apply = self.inlinePatterns, self.searches, self._InlineProcessor__applyPattern
            start = 0
            while patternIndex < len(patterns):
                search = searches[patternIndex]
                if search is not None and search(data, start) is None:
                    patternIndex, start = patternIndex + 1, 0
                    continue
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
            return data

    md.treeprocessors.register(QuickInline(md), "inline", 20)  # in place of the stock one, at its place


def excerpt_of(rendered: str, limit: int = 300) -> str:
    match = re.search(r"<p>(.*?)</p>", rendered, re.S)
    text = html.unescape(_TAGS.sub("", match.group(1))) if match else ""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"

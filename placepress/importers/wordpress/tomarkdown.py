"""HTML (as WordPress showed it) to the Markdown an editor would have written.

markdownify does the walking, with a method per tag where WordPress's HTML needs more than its
default: pictures and links point at the imported files, a captioned figure becomes
`![description](picture "caption")`, strike-through, sub- and superscript stay as inline HTML
(the site's Markdown has no syntax for them), and text is escaped only where Markdown would
otherwise read it as markup: `snake_case`, `C:\\xampp` or a lone `5 * 3` are written as they
are, never `\\_` or `\\*` everywhere. Lines are never wrapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from markdownify import MarkdownConverter

from .cleanhtml import KEPT_ATTRIBUTES, KEPT_TAGS, clean_soup

NEEDS_DESCRIPTION = "needs-description"


@dataclass
class Targets:
    """Where the addresses in one body lead, decided by the plan."""

    link: Callable[[str], str]
    """An href as written → the href to write (a content file relative to this one, or the address)."""
    picture: Callable[[str], tuple[str, str]]
    """A picture's src → (the path or address to write, the description WordPress kept for it, or '')."""
    video_link: Callable[[str], str]
    """A video's address → the HTML of a link to it."""
    notes: list[str] = field(default_factory=list)
    """Lines for the report about this body."""


# Characters Markdown reads as markup, escaped where they would be read so and nowhere else.
# Python-Markdown's escapable characters (with tables' '|'): a backslash before any other stays as it is.
_ESCAPABLE_AFTER_BACKSLASH = re.compile(r"\\(?=[\\`*_{}\[\]()>#+\-.!|])")
_STAR = re.compile(r"(?<!\s)\*|\*(?!\s)|^\*")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINK_END = re.compile(r"\](?=[(\[:])")
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}[.)](?=\s|$)|=+\s*$|-+\s*$|~~~)", re.M)
_BLOCKS = {"p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "dd", "dt", "br", "ul", "ol", "table", "pre", "hr", "figure"}


def escape_text(text: str) -> str:
    """Plain text as Markdown that shows exactly this text."""
    text = _ESCAPABLE_AFTER_BACKSLASH.sub(r"\\\\", text)
    text = _STAR.sub(r"\\*", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = text.replace("`", r"\`")
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_START.sub("&lt;", text)
    text = _LINK_END.sub(r"\\]", text).replace("[^", r"\[^").replace("{:", r"\{:").replace("![", r"!\[")
    return text


def escape_line_starts(text: str, at_line_start: bool) -> str:
    """Escape what would start a heading, quote, list or rule at the beginning of a line."""
    def replace(match: re.Match) -> str:
        if match.start() == 0 and not at_line_start:
            return match.group(0)
        marker = match.group(2)
        if marker[0].isdigit():  # '1.' → '1\.': a backslash before a digit would show
            return match.group(1) + marker[:-1] + "\\" + marker[-1]
        if marker[0] in "=~":  # not escapable in Markdown: the first one as a character reference
            return match.group(1) + f"&#{ord(marker[0])};" + marker[1:]
        return match.group(1) + "\\" + marker
    return _LINE_START.sub(replace, text)


class WordPressConverter(MarkdownConverter):
    def __init__(self, targets: Targets, **options):
        super().__init__(heading_style="atx", bullets="-", strong_em_symbol="*", newline_style="spaces",
                         table_infer_header=True, escape_asterisks=False, escape_underscores=False, escape_misc=False,
                         keep_inline_images_in=["a", "td", "th", "li"], **options)
        self.targets = targets
        self.ids: set[str] = set()

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags)
        if "_noformat" in (parent_tags or set()) or "pre" in (parent_tags or set()):
            return text
        previous = el.previous_sibling
        at_start = previous is None and getattr(el.parent, "name", "") in _BLOCKS | {"[document]"} or \
            getattr(previous, "name", "") in _BLOCKS
        return escape_line_starts(text, at_start)

    def escape(self, text, parent_tags):
        return escape_text(text) if text else ""

    def convert_a(self, el, text, parent_tags):
        href = str(el.get("href", "") or "")
        if not href:
            return text
        if href.startswith("#") and href[1:] not in self.ids:
            self.targets.notes.append(f"removed a link to '{href}' on the same page: nothing there has that id")
            return text
        images = el.find_all("img")
        if images and not el.get_text(strip=True) and self._same_picture(href, images[0]):
            return text  # WordPress's "link to the picture": the picture alone
        el["href"] = _link_address(self.targets.link(href))
        return super().convert_a(el, text, parent_tags)

    def _same_picture(self, href: str, image) -> bool:
        target = self.targets.link(href)
        picture, _ = self.targets.picture(str(image.get("src", "")))
        return target == picture or "attachment" in href or bool(re.search(r"\.(jpe?g|png|gif|webp)(\?|$)", href, re.I))

    def convert_img(self, el, text, parent_tags):
        source = str(el.get("src", "") or "")
        if not source:
            return ""
        path, known_alt = self.targets.picture(source)
        alt = " ".join(str(el.get("alt", "") or "").split()) or known_alt or NEEDS_DESCRIPTION
        title = " ".join(str(el.get("title", "") or "").split())
        return _picture(alt, path, title, _size(el))

    def convert_figure(self, el, text, parent_tags):
        image = el.find("img")
        caption = el.find("figcaption")
        if image is None or el.find("ul"):
            return text
        path, known_alt = self.targets.picture(str(image.get("src", "")))
        alt = " ".join(str(image.get("alt", "") or "").split()) or known_alt or NEEDS_DESCRIPTION
        words = " ".join(caption.get_text(" ").split()) if caption else ""
        link = image.find_parent("a")
        picture = _picture(alt, path, words, _size(image))
        if link is not None and link.get("href") and not self._same_picture(str(link["href"]), image) or picture.startswith("[") and words:
            if not picture.startswith("["):
                picture = f"[{_picture(alt, path, '', _size(image))}]({_link_address(self.targets.link(str(link['href'])))})"
            return f"\n\n{picture}\n\n{escape_text(words)}\n\n" if words else f"\n\n{picture}\n\n"
        return f"\n\n{picture}\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return "" if el.find_parent("figure") is not None else super().convert_figcaption(el, text, parent_tags)

    def convert_hN(self, n, el, text, parent_tags):
        result = super().convert_hN(n, el, text, parent_tags)
        identity = str(el.get("id", "") or "")
        if identity and re.fullmatch(r"[A-Za-z][\w:.-]*", identity) and "_inline" not in parent_tags:
            result = result.rstrip("\n") + f" {{: #{identity} }}\n\n"
        return result

    def _inline_html(name: str):
        def convert(self, el, text, parent_tags):
            return f"<{name}>{text.strip()}</{name}>" if text.strip() else ""
        return convert

    def convert_abbr(self, el, text, parent_tags):
        title = " ".join(str(el.get("title", "") or "").split()).replace('"', "&quot;")
        return f'<abbr title="{title}">{text.strip()}</abbr>' if title and text.strip() else text

    convert_del = _inline_html("del")
    convert_sub = _inline_html("sub")
    convert_sup = _inline_html("sup")

    def convert_table(self, el, text, parent_tags):
        if el.get("data-kept"):
            return f"\n\n{kept_html(el)}\n\n"
        return super().convert_table(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags):
        return f"\n\n{kept_html(el)}\n\n" if el.get("data-kept") else ""

    def convert_dl(self, el, text, parent_tags):
        return f"\n\n{kept_html(el)}\n\n"

    def convert_pre(self, el, text, parent_tags):
        code = el.find("code")
        classes = " ".join(el.get("class", []) + (code.get("class", []) if code else []))
        language = re.search(r"(?:language-|lang(?:uage)?:\s*|brush:\s*)([\w+-]+)", classes)
        self.options["code_language"] = language.group(1) if language else ""
        fence = "````" if "```" in text else "```"
        block = super().convert_pre(el, text, parent_tags)
        return block.replace("```", fence) if fence != "```" else block

    def convert_p(self, el, text, parent_tags):
        return "" if not text.replace("\xa0", " ").strip() else super().convert_p(el, text, parent_tags)


def kept_html(element) -> str:
    """An element Markdown cannot carry, as sanitised HTML on one block."""
    import nh3

    del element["data-kept"]
    cleaned = nh3.clean(str(element), tags=KEPT_TAGS, attributes=KEPT_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                        link_rel=None, strip_comments=True)
    return re.sub(r"\n\s*\n", "\n", cleaned).strip()


def _picture(alt: str, path: str, title: str, size: tuple[str, str] | None = None) -> str:
    """A picture in Markdown. One left on another site (not imported) must say its size, or the
    page jumps as it loads: with WordPress's width and height it keeps them; without, it becomes a
    link to where it was, so the text still says a picture was there."""
    alt = alt.replace("[", "(").replace("]", ")")
    title_part = ' "{}"'.format(title.replace('"', "'")) if title else ""
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", path):
        return f"![{alt}]({_link_address(path)}{title_part})"
    if size is None:
        words = "A picture" + (f": {alt}" if alt != NEEDS_DESCRIPTION else "")
        return f"[{escape_text(words)}]({_link_address(path)})"
    return f'![{alt}]({_link_address(path)}{title_part}){{: width="{size[0]}" height="{size[1]}" }}'


def _size(image) -> tuple[str, str] | None:
    width, height = str(image.get("width", "")).strip(), str(image.get("height", "")).strip()
    return (width, height) if width.isdigit() and height.isdigit() and int(width) and int(height) else None


def _link_address(address: str) -> str:
    return address.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def to_markdown(html_text: str, targets: Targets) -> str:
    """The Markdown of a body whose shortcodes and paragraphs are already HTML."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    clean_soup(soup, targets.notes.append, targets.video_link)
    converter = WordPressConverter(targets)
    converter.ids = {str(e["id"]) for e in soup.find_all(re.compile(r"^h[2-6]$"), attrs={"id": True})}
    markdown = converter.convert_soup(soup)
    markdown = re.sub(r"[ \t]+$", lambda m: m.group(0) if m.group(0) == "  " else "", markdown, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")

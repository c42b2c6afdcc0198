"""WordPress's automatic paragraphs, as it shows a classic-editor post.

WordPress stores a classic post without most of its <p> tags: a blank line is a paragraph
break and a single line break a <br />, added each time the post is shown (its `wpautop`).
An export has the stored text, so without this step paragraphs run together. This is our own
implementation of the documented behaviour, step by step (tests/test_wordpress_autop.py holds
the golden cases):

- text is split into paragraphs at blank lines, each wrapped in <p>…</p>;
- block elements (tables, lists, headings, div, blockquote, figure, …) are never wrapped, and
  a blank line is assumed around each of them;
- a single line break inside a paragraph becomes <br />;
- two <br> in a row count as a paragraph break;
- line breaks inside a tag (between its attributes) are kept as they are;
- the contents of <pre>, <script> and <style> are left exactly as they are.

Content from the block editor (with `<!-- wp:` comments) never gets it: WordPress stores those
posts with their paragraphs, and skips this step for them too.
"""

from __future__ import annotations

import re

BLOCKS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
          "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|"
          "footer|nav|figure|figcaption|details|menu|summary")
_ALL = f"(?:{BLOCKS})"
_KEPT = re.compile(r"<(pre|script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_OPENING = re.compile(rf"(<{_ALL}[\s/>])")
_CLOSING = re.compile(rf"(</{_ALL}>)")
_HR = re.compile(r"(<hr\s*?/?>)")
# A tag, a comment or a CDATA section (possibly left open at the end of the text).
_ELEMENT = re.compile(r"(<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<[^>]*>?)", re.S)
_NEWLINE_MARK = " <!-- wpnl --> "
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_KEEP = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
_LINE_MARK = "<WPPreserveNewline />"


def has_blocks(text: str) -> bool:
    """Was this written in the block editor? (Its posts carry `<!-- wp:` comments.)"""
    return "<!-- wp:" in text


def autop(text: str) -> str:
    """The HTML WordPress shows for classic-editor `text`."""
    if not text.strip():
        return ""
    text, kept = _set_aside(text + "\n")
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _OPENING.sub(r"\n\n\1", text)
    text = _CLOSING.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _mark_newlines_in_tags(text)
    text = _collapse_inside_media(text)
    text = re.sub(r"\n\n+", "\n\n", text)
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in _PARAGRAPH_BREAK.split(text) if part)
    text = _unwrap_blocks(text)
    text = _line_breaks(text)
    for mark, original in kept.items():
        text = text.replace(mark, original)
    return text.replace(_NEWLINE_MARK, "\n").replace(_NEWLINE_MARK.strip(), "\n")


def _set_aside(text: str) -> tuple[str, dict[str, str]]:
    """<pre>, <script> and <style> elements swapped for a mark, to be put back at the end."""
    kept: dict[str, str] = {}

    def mark(match: re.Match) -> str:
        # A <pre> or <style> mark is a block, as they are; a <script> mark stays inline.
        block = match.group(1).lower() != "script"
        name = f"<pre wp-pre-tag-{len(kept)}></pre>" if block else f"<wp-script-{len(kept)} />"
        kept[name] = match.group(0)
        return name

    return _KEPT.sub(mark, text), kept


def _mark_newlines_in_tags(text: str) -> str:
    parts = _ELEMENT.split(text)
    for index in range(1, len(parts), 2):
        if "\n" in parts[index]:
            parts[index] = parts[index].replace("\n", _NEWLINE_MARK)
    return "".join(parts)


def _collapse_inside_media(text: str) -> str:
    """No paragraphs or breaks between <option>s, inside <object>, around <source> and <figcaption>."""
    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    return text


def _unwrap_blocks(text: str) -> str:
    """Take back the <p> put around block elements, or around nothing."""
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_ALL}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_ALL}[^>]*>)", r"\1", text)
    return re.sub(rf"(</?{_ALL}[^>]*>)\s*</p>", r"\1", text)


def _line_breaks(text: str) -> str:
    """A single line break in a paragraph becomes <br />, except next to a block element."""
    text = _LINE_KEEP.sub(lambda m: m.group(0).replace("\n", _LINE_MARK), text)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace(_LINE_MARK, "\n")
    text = re.sub(rf"(</?{_ALL}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    return re.sub(r"\n</p>$", "</p>", text)

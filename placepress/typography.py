"""Typographic quotes, dashes and ellipses, as Python-Markdown's `smarty` gives, for less.

`smarty` builds them from many inline patterns and more than doubles the time
a post takes to render (see bench/). The same rules fit in a few regular
expressions run once over each text node after inline parsing: code, raw
HTML and attribute values are never touched, since code is an AtomicString
and raw HTML is stashed out of the tree by then.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

SKIP = {"code", "pre", "kbd", "samp", "script", "style", "math"}

_DASHES = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"), (". . .", "\u2026"))
# An opening quote follows the start of a text, a space, an opening bracket or a dash: it has
# no character before it that is not one of those. (Written as "the start, or after one of
# those", the pattern was tried at every character of the text, and took twice as long.)
_OPEN_DOUBLE = re.compile(r'(?<![^\s(\[{\u2014\u2013-])"')
_OPEN_SINGLE = re.compile(r"(?<![^\s(\[{\u2014\u2013-])'(?!\d0?s\b|\d\d\b)")
_DECADE = re.compile(r"(?<!\S)'(?=\d\ds?\b)")


def smarten(text: str, at_start: bool = True) -> str:
    """`at_start`: whether the text begins a run of prose (a tail after an inline element does not)."""
    # Most texts have full stops and hyphens but none of these: nothing in them changes.
    if '"' not in text and "'" not in text and "--" not in text and "..." not in text and ". . ." not in text:
        return text
    for plain, fancy in _DASHES:
        text = text.replace(plain, fancy)
    if not at_start and text[:1] in "\"'":
        # Directly after an inline element, a quote closes: *word*" or *word*'s
        text = ("\u201d" if text[0] == '"' else "\u2019") + text[1:]
    if '"' in text:
        text = _OPEN_DOUBLE.sub("\u201c", text).replace('"', "\u201d")
    if "'" in text:
        text = _DECADE.sub("\u2019", text)
        text = _OPEN_SINGLE.sub("\u2018", text).replace("'", "\u2019")
    return text


def smarten_tree(root: Element) -> None:
    """Smarten every text node under `root`, leaving code and pre-formatted text alone."""
    for element in root:
        _smarten_element(element)


def _smarten_element(element: Element) -> None:
    if element.tag in SKIP:
        if element.tail:
            element.tail = _smart(element.tail, at_start=False)
        return
    if element.text:
        element.text = _smart(element.text, at_start=True)
    for child in element:
        _smarten_element(child)
    if element.tail:
        element.tail = _smart(element.tail, at_start=False)


def _smart(text: str, at_start: bool) -> str:
    # Python-Markdown marks text that must stay as written (code spans, escapes) as AtomicString.
    if type(text).__name__ == "AtomicString":
        return text
    return smarten(text, at_start)

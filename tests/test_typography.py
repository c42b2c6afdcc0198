"""Typographic quotes and dashes without `smarty`: the same output, checked against smarty itself."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import markdown
import pytest
from hypothesis import example, given, settings, strategies as st

from conftest import PROJECT
from placepress.markup import EXTENSION_CONFIG, EXTENSIONS, MarkdownRenderer
from placepress.typography import smarten

SMARTY = {"substitutions": {"left-single-quote": "\u2018", "right-single-quote": "\u2019",
                            "left-double-quote": "\u201c", "right-double-quote": "\u201d",
                            "ellipsis": "\u2026", "ndash": "\u2013", "mdash": "\u2014"}}

SAMPLES = [
    'The "whole area" approach -- as the Treasury put it.',
    "It's the council's plan; residents' views matter.",
    "A pause... then a dash---and on.",
    'She said "it\'s *really* important".',
    'Quotes around *emphasis*: "*this*" and \'*that*\'.',
    "Code stays: `\"raw\" -- 'text'` and so do\n\n    indented \"blocks\" -- here\n",
    '[a "link"](https://example.org/?q="x") keeps its address.',
    "(\"Bracketed\") and ['single'] quotes.",
    "| Table | \"cell\" |\n|---|---|\n| it's | a -- b |\n",
    'Footnote "quoted"[^1].\n\n[^1]: The "note" -- here.',
    '![](x.png){: role="presentation" }\n\n## It\'s a "heading" {: #h }\n',
]


def smarty_html(text: str) -> str:
    md = markdown.Markdown(extensions=[*EXTENSIONS, "smarty"], extension_configs={**EXTENSION_CONFIG, "smarty": SMARTY},
                           output_format="html")
    return md.convert(text)


@pytest.mark.parametrize("text", SAMPLES)
def test_our_typography_gives_the_same_html_as_smarty(text):
    assert MarkdownRenderer().render("content/posts/x.md", text, {}).html == smarty_html(text)


@pytest.mark.parametrize("plain, fancy", [
    ('"Hello," she said.', "\u201cHello,\u201d she said."),
    ("rock 'n' roll", "rock \u2018n\u2019 roll"),
    ("don't", "don\u2019t"),
    ("2009--2010", "2009\u20132010"),
    ("wait---what", "wait\u2014what"),
    ("and so...", "and so\u2026"),
])
def test_smarten_turns_straight_marks_into_typographic_ones(plain, fancy):
    assert smarten(plain) == fancy


def rules_as_first_written(text: str, at_start: bool = True) -> str:
    """smarten's rules in their plainest form, each pattern run over every text."""
    for plain, fancy in (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"), (". . .", "\u2026")):
        text = text.replace(plain, fancy)
    if not at_start and text[:1] in ("\"", "'"):
        text = ("\u201d" if text[0] == '"' else "\u2019") + text[1:]
    text = re.sub(r"(^|(?<=\s))'(?=\d\ds?\b)", "\u2019", text)
    text = re.sub(r'(^|(?<=[\s(\[{\u2014\u2013-]))"', "\u201c", text).replace('"', "\u201d")
    return re.sub(r"(^|(?<=[\s(\[{\u2014\u2013-]))'(?!\d0?s\b|\d\d\b)", "\u2018", text).replace("'", "\u2019")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=" \t\n\"'-.()[]{}\u2014\u2013\u2019as09", max_size=24), st.booleans())
@example("the '99s and '09 -- 'quoted' \"(too)\"", True)
def test_smarten_follows_its_rules_in_any_text(text, at_start):
    assert smarten(text, at_start) == rules_as_first_written(text, at_start)


def test_code_and_attribute_values_are_left_as_written():
    html = MarkdownRenderer().render("content/posts/x.md", 'Run `echo "a" -- b`, see [x](https://e.org/a--b "it\'s").', {}).html
    assert '<code>echo "a" -- b</code>' in html
    assert 'href="https://e.org/a--b"' in html
    assert 'title="it\'s"' in html


def test_rendering_markdown_does_not_import_pygments_and_a_fenced_block_is_the_same_without_it():
    """fenced_code imports Pygments wherever it is installed (pytest brings it) though no code is
    coloured: markup.py keeps it out. A fresh process renders without it, this one (where pytest
    imported it) with it, and the two agree."""
    pytest.importorskip("pygments", reason="Pygments is not installed, so nothing would import it anyway")
    text = '```python\nprint("a")\n```\n\nAnd `code`.\n'
    script = ("import sys; from placepress.markup import MarkdownRenderer; "
              f"html = MarkdownRenderer().render('content/posts/x.md', {text!r}, {{}}).html; "
              "print(repr(('pygments' in sys.modules, html)))")
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True)
    imported, html = ast.literal_eval(done.stdout)
    assert not imported
    assert "pygments" in sys.modules  # here, with it
    assert html == MarkdownRenderer().render("content/posts/x.md", text, {}).html
    assert '<pre><code class="language-python">' in html

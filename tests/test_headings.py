"""Heading ids: placepress/markup.py runs toc's processor without its table of contents (unless
a text asks for one), and every heading still gets the id Python-Markdown's own toc gives it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from placepress.markup import MarkdownRenderer
from test_typography import smarty_html as stock_html  # Python-Markdown's own toc, and smarty for our typography

HEADINGS = [
    "## Budget\n\ntext\n\n## Budget\n\n## Budget\n\n### Budget_1\n",  # repeats, and one already suffixed
    "## Who pays? {: #money }\n\n## money\n\n## Money\n",  # an id given by attr_list is kept, and taken
    "## The *whole area* approach\n\n## `code` in a heading\n\n## A [link](https://example.org/) too\n",
    "## Fish &amp; chips &copy; 2010 <b>bold</b>\n\n## <!-- a comment --> after it\n",
    "## Short label {: data-toc-label=\"Short\" }\n",
    "# Notes[^1]\n\n## Notes\n\n[^1]: A footnote in a heading.\n",
    "## Ünïcödé — café\n\n## 2009–10\n\n## !!!\n\n## !!!\n",
    "Setext heading\n==============\n\nAnother\n-------\n\nAnother\n-------\n",
    "> ## Quoted\n\n- ## In a list\n",
]
WITH_MARKER = [
    "[TOC]\n\n## One\n\n### Two\n\n## Three\n",
    "Intro.\n\n[TOC]\n\n## Budget\n\n## Budget\n",
    "## Only headings, and `[TOC]` in code\n\n    [TOC]\n",
]


@pytest.mark.parametrize("text", HEADINGS + WITH_MARKER)
def test_headings_get_the_ids_python_markdown_s_toc_gives_them(text):
    assert MarkdownRenderer().render("content/posts/x.md", text, {}).html == stock_html(text)


@pytest.mark.parametrize("text", WITH_MARKER[:2])
def test_a_text_that_asks_for_a_table_of_contents_still_gets_one(text):
    html = MarkdownRenderer().render("content/posts/x.md", text, {}).html
    assert '<div class="toc">' in html
    assert '<li><a href="#budget_1">Budget</a></li>' in html or '<li><a href="#two">Two</a></li>' in html
    assert "[TOC]" not in html


def test_one_renderer_gives_each_text_its_own_ids_and_tables_whatever_came_before():
    renderer = MarkdownRenderer()
    texts = [WITH_MARKER[0], HEADINGS[0], WITH_MARKER[1], HEADINGS[1]]
    assert [renderer.render(f"content/posts/{n}.md", t, {}).html for n, t in enumerate(texts)] == list(map(stock_html, texts))


WORDS = st.sampled_from(["Budget", "budget", "Total Place", "it's", '"quoted"', "a -- b", "&amp;", "`x`", "*em*",
                         "café", "2010", "[TOC]", "{: #budget }", "<i>i</i>", "_1", "!", "   "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.lists(WORDS, min_size=1, max_size=4)), min_size=1, max_size=8),
       st.booleans())
def test_any_run_of_headings_gets_the_ids_python_markdown_s_toc_gives_it(headings, marker):
    text = "".join(f"{'#' * level} {' '.join(words)}\n\nA paragraph.\n\n" for level, words in headings)
    text = ("[TOC]\n\n" if marker else "") + text
    assert MarkdownRenderer().render("content/posts/x.md", text, {}).html == stock_html(text)

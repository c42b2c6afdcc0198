"""placepress/markup.py tries an inline pattern only where its expression occurs in the text
(QuickInline): the HTML must be what Python-Markdown's own inline processor gives, whatever the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings, strategies as st
from markdown.treeprocessors import InlineProcessor

from placepress.markup import MarkdownRenderer

SAMPLES = [
    "Plain words only.",
    "*em* **strong** ***both*** _a_ __b__ ___c___ * not em * and a_b_c and 2*3*4",
    "`code *not em*` and ``a ` tick`` and \\*escaped\\* and \\`",
    "[a link](https://example.org/ \"title\") and [ref][r] and [r] and <https://example.org/x>\n\n[r]: https://example.org/r",
    "![alt](https://example.org/a.png) ![ref][i]\n\n[i]: https://example.org/i.png",
    "<span>raw *html*</span> &amp; &copy; & < > <mail@example.org>",
    "Line one  \nline two\\\nline three",
    "A note[^1] and another[^n].\n\n[^1]: The *first*.\n[^n]: The `second`.",
    "| a | *b* |\n|---|---|\n| `c` | [d](https://example.org/) |",
    "# A *heading* with `code`\n\n> quoted **strong** [link](https://example.org/)\n\n- item _em_\n- item `x`",
    "**unclosed and *nested **bold** em* and _mixed*",
    "[not a link] (no) and [^missing] and ![] and <> and `",
]


def stock_renderer() -> MarkdownRenderer:
    """Ours in every respect but the inline processor, which is Python-Markdown's own."""
    renderer = MarkdownRenderer()
    renderer._md.treeprocessors.register(InlineProcessor(renderer._md), "inline", 20)
    return renderer


def test_the_quick_inline_processor_is_the_one_in_use():
    processor = MarkdownRenderer()._md.treeprocessors["inline"]
    assert type(processor).__name__ == "QuickInline" and isinstance(processor, InlineProcessor)
    assert type(stock_renderer()._md.treeprocessors["inline"]) is InlineProcessor


@pytest.mark.parametrize("text", SAMPLES)
def test_inline_markup_comes_out_as_python_markdown_s_own_processor_gives_it(text):
    ours, stock = MarkdownRenderer().render("content/posts/x.md", text, {}), stock_renderer().render("content/posts/x.md", text, {})
    assert ours == stock


PIECES = st.sampled_from(["word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")",
                          "!", "<", ">", "&", "&amp;", "#", "^", ":", "[^1]", "\n\n[^1]: note", "https://example.org/",
                          "<https://example.org/>", "<b>", "</b>", "a@example.org", "\"", "'", "--", "..."])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40))
@example(["*", "word", "*", " ", "`", "*", "`"])
def test_any_run_of_inline_markup_comes_out_as_python_markdown_s_own_processor_gives_it(pieces):
    text = "".join(pieces)
    assert MarkdownRenderer().render("content/posts/x.md", text, {}) == stock_renderer().render("content/posts/x.md", text, {})


def test_one_renderer_gives_each_text_what_the_stock_processor_gives_whatever_came_before():
    ours, stock = MarkdownRenderer(), stock_renderer()
    assert [ours.render(f"content/posts/{n}.md", t, {}) for n, t in enumerate(SAMPLES)] == \
           [stock.render(f"content/posts/{n}.md", t, {}) for n, t in enumerate(SAMPLES)]


def test_each_look_behind_expression_given_a_needed_character_is_one_that_python_markdown_uses():
    """markup._NEEDS names expressions by their text: one that a Markdown release no longer uses
    would quietly stop saving anything."""
    from placepress.markup import _NEEDS

    used = {pattern.getCompiledRegExp().pattern for pattern in MarkdownRenderer()._md.treeprocessors["inline"].inlinePatterns}
    assert set(_NEEDS) <= used
    for expression, needed in _NEEDS.items():  # where the character is absent, the expression finds nothing
        assert re.search(expression, f"text {needed} more") and not re.search(expression, "text with none of it \\ ! ( <")

"""WordPress's automatic paragraphs: golden cases of its documented behaviour."""

from __future__ import annotations

import pytest

from placepress.importers.wordpress.autop import BLOCKS, autop, has_blocks

GOLDEN = [
    # Paragraphs at blank lines; a single line break is a <br />.
    ("The forum met.\n\nForty people came.", "<p>The forum met.</p>\n<p>Forty people came.</p>\n"),
    ("Friends Meeting House\n6 Mount Street", "<p>Friends Meeting House<br />\n6 Mount Street</p>\n"),
    # Three or more line breaks are one paragraph break; surrounding blank lines vanish.
    ("\n\nOne\n\n\n\nTwo\n\n", "<p>One</p>\n<p>Two</p>\n"),
    # Windows line endings count like any other.
    ("One\r\n\r\nTwo\r\nThree", "<p>One</p>\n<p>Two<br />\nThree</p>\n"),
    # A list is a block: the text around it becomes paragraphs, the list is not wrapped.
    ("Agenda:\n<ul>\n<li>Welcome</li>\n<li>Total Place</li>\n</ul>\nQuestions after.",
     "<p>Agenda:</p>\n<ul>\n<li>Welcome</li>\n<li>Total Place</li>\n</ul>\n<p>Questions after.</p>\n"),
    # Text just before a block, with no line break, is still a paragraph of its own.
    ("Before<div>Inside</div>", "<p>Before</p>\n<div>Inside</div>\n"),
    ("Above<hr>Below", "<p>Above</p>\n<hr>\n<p>Below</p>\n"),
    # A blockquote is not wrapped, but its text is.
    ("<blockquote>Make the city work.</blockquote>", "<blockquote><p>Make the city work.</p></blockquote>\n"),
    ("<blockquote>Line one\n\nLine two</blockquote>", "<blockquote><p>Line one</p>\n<p>Line two</p></blockquote>\n"),
    # Inline elements stay in their paragraph.
    ("<strong>Bold</strong> start\n\n<a href=\"/x\">link</a>",
     "<p><strong>Bold</strong> start</p>\n<p><a href=\"/x\">link</a></p>\n"),
    # Two <br> in a row, in any spelling, are a paragraph break; one <br> and a line break are one break.
    ("One<br><br />Two", "<p>One</p>\n<p>Two</p>\n"),
    ("One<br>\nTwo<br/>\nThree", "<p>One<br />\nTwo<br />\nThree</p>\n"),
    # A line break inside a tag, between attributes, is not a <br />.
    ("See <a\nhref=\"/about/\">us</a>", "<p>See <a\nhref=\"/about/\">us</a></p>\n"),
    ("A <!-- note\nover two lines --> B", "<p>A <!-- note\nover two lines --> B</p>\n"),
    # <pre> keeps every character: no paragraphs, no breaks, entities as they were.
    ("Code:\n\n<pre>if a:\n\n    b()\n&lt;br&gt;</pre>\n\nDone.",
     "<p>Code:</p>\n<pre>if a:\n\n    b()\n&lt;br&gt;</pre>\n<p>Done.</p>\n"),
    ("<pre class=\"x\">one\n\ntwo</pre>", "<pre class=\"x\">one\n\ntwo</pre>\n"),
    # <script> and <style> are left exactly as they are.
    ("<style>p { color: red; }\n\nh1 { }</style>", "<style>p { color: red; }\n\nh1 { }</style>\n"),
    ("Text <script>a = 1;\n\nb = 2;</script> more", "<p>Text <script>a = 1;\n\nb = 2;</script> more</p>\n"),
    # Captioned figures: no paragraph or break between the picture and its caption.
    ("<figure>\n<img src=\"a.jpg\" alt=\"A\" />\n<figcaption>The room</figcaption>\n</figure>",
     "<figure>\n<img src=\"a.jpg\" alt=\"A\" /><figcaption>The room</figcaption></figure>\n"),
    # <option>s, and the <source>s of a video, are not broken apart.
    ("Pick: <select>\n<option>A</option>\n<option>B</option>\n</select>",
     "<p>Pick: <select><option>A</option><option>B</option></select></p>\n"),
    ("<video controls>\n<source src=\"a.mp4\" />\n</video>", "<p><video controls><source src=\"a.mp4\" /></video></p>\n"),
    # Table cells are blocks: no <p> inside a simple table.
    ("<table>\n<tr><td>1</td><td>2</td></tr>\n</table>", "<table>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</table>\n"),
    ("", ""),
    ("   \n  ", ""),
]


@pytest.mark.parametrize("text, expected", GOLDEN, ids=[repr(case[0][:30]) for case in GOLDEN])
def test_automatic_paragraphs_match_wordpress_for_each_golden_case(text: str, expected: str) -> None:
    assert autop(text) == expected


# blockquote's text is wrapped, hr is empty and figcaption sticks to its picture: golden cases above.
_PLAIN_BLOCKS = sorted(set(BLOCKS.replace("h[1-6]", "h1|h2|h3|h4|h5|h6").split("|")) - {"blockquote", "hr", "figcaption"})


@pytest.mark.parametrize("block", _PLAIN_BLOCKS)
def test_no_block_element_is_ever_wrapped_in_a_paragraph(block: str) -> None:
    assert autop(f"<{block}>x</{block}>\n\n<{block}>y</{block}>").strip() == f"<{block}>x</{block}>\n<{block}>y</{block}>"


@pytest.mark.parametrize("inline", ["a", "em", "strong", "span", "abbr", "code", "sub", "sup", "del", "q", "cite"])
def test_inline_elements_are_wrapped_in_a_paragraph(inline: str) -> None:
    assert autop(f"<{inline}>x</{inline}>") == f"<p><{inline}>x</{inline}></p>\n"


def test_block_editor_content_is_recognised_by_its_comments() -> None:
    assert has_blocks("<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->")
    assert not has_blocks("<p>Written in the classic editor</p>\n<!-- more -->")

"""Post bodies: WordPress's HTML and shortcodes as the Markdown an editor would have written."""

from __future__ import annotations

import pytest

from placepress.importers.wordpress.autop import autop
from placepress.importers.wordpress.shortcodes import (Helpers, Picture, bare_video_links, cached_video_titles, convert_shortcodes,
                                                       parse_attributes, unconverted, video_link)
from placepress.importers.wordpress.tomarkdown import Targets, escape_text, to_markdown

UPLOADS = "https://old.example.org/wp-content/uploads/"


def convert(text: str, titles: dict[str, str] | None = None, pictures: list[Picture] | None = None) -> tuple[str, list[str]]:
    """The importer's steps for a classic-editor body, with pictures mapped to content/images/."""
    helpers = Helpers(lambda attributes: pictures or [], (titles or {}).get)
    targets = Targets(lambda href: href.replace("https://old.example.org/2010/04/22/other/", "2010-04-22-other.md"),
                      lambda src: (src.replace(UPLOADS, "../images/"), ""), lambda url: video_link(url, helpers))
    html = convert_shortcodes(autop(bare_video_links(text, helpers)), helpers)
    return to_markdown(html, targets), targets.notes


def test_text_without_paragraph_tags_becomes_paragraphs_and_line_breaks() -> None:
    assert convert("First paragraph.\n\nSecond line one\nline two")[0] == "First paragraph.\n\nSecond line one  \nline two"


def test_a_caption_shortcode_becomes_a_picture_with_its_caption_as_title() -> None:
    markdown, _ = convert(f'[caption id="attachment_5" align="alignleft" width="300"]<a href="{UPLOADS}2010/04/room.jpg">'
                          f'<img class="wp-image-5" src="{UPLOADS}2010/04/room.jpg" alt="A full room" width="300" /></a>'
                          ' The forum in <em>April</em>[/caption]\n\nAfter.')
    assert markdown == '![A full room](../images/2010/04/room.jpg "The forum in April")\n\nAfter.'


def test_an_old_style_caption_attribute_is_the_caption() -> None:
    markdown, _ = convert(f'[caption caption="At the forum"]<img src="{UPLOADS}2010/04/a.jpg" alt="People" />[/caption]')
    assert markdown == '![People](../images/2010/04/a.jpg "At the forum")'


def test_a_gallery_becomes_a_list_of_its_pictures() -> None:
    pictures = [Picture(f"{UPLOADS}2010/04/a.jpg", "First"), Picture(f"{UPLOADS}2010/04/b.jpg", "", "A caption")]
    markdown, _ = convert('[gallery ids="1,2" columns="2"]', pictures=pictures)
    assert markdown == '- ![First](../images/2010/04/a.jpg)\n- ![needs-description](../images/2010/04/b.jpg "A caption")'


def test_a_bare_youtube_address_on_its_own_line_becomes_a_link_with_the_cached_title() -> None:
    markdown, _ = convert("Watch this:\n\nhttps://www.youtube.com/watch?v=abc123\n\nThen talk.", titles={"abc123": "Total Place explained"})
    assert markdown == ("Watch this:\n\n[Video: Total Place explained (YouTube)](https://www.youtube.com/watch?v=abc123)\n\nThen talk.")


@pytest.mark.parametrize("text", ["[embed]https://vimeo.com/42[/embed]", '[video src="https://vimeo.com/42"]', "[vimeo 42]",
                                  '<iframe src="https://player.vimeo.com/video/42" width="500"></iframe>'])
def test_every_kind_of_vimeo_embed_becomes_a_link_and_no_frame(text: str) -> None:
    assert convert(text)[0] == "[Watch the video on Vimeo](https://vimeo.com/42)"


def test_wordpress_com_youtube_shortcode_becomes_a_link() -> None:
    assert convert("[youtube=http://www.youtube.com/watch?v=xyz&w=640]")[0] == "[Watch the video on YouTube](https://www.youtube.com/watch?v=xyz)"


def test_a_cached_oembed_gives_the_video_title() -> None:
    meta = [("_oembed_abc", '<iframe title="Forum, May 2010" src="https://www.youtube.com/embed/Q1?feature=oembed"></iframe>'),
            ("_oembed_time_abc", "1280000000")]
    assert cached_video_titles(meta) == {"Q1": "Forum, May 2010"}


def test_a_self_hosted_video_or_audio_becomes_a_link_to_its_file() -> None:
    assert convert(f'[audio mp3="{UPLOADS}2010/04/talk.mp3"][/audio]')[0] == f"[Audio: talk.mp3]({UPLOADS}2010/04/talk.mp3)"


def test_an_unknown_shortcode_is_kept_as_text_and_named_for_the_report() -> None:
    markdown, _ = convert('Write to us: [contact-form-7 id="12" title="Contact"]\n\n[sic] is not one.')
    assert markdown == 'Write to us: [contact-form-7 id="12" title="Contact"]\n\n[sic] is not one.'
    assert unconverted(autop('[contact-form-7 id="12"] [sic] [note]x[/note]')) == ["contact-form-7", "note"]


def test_an_escaped_shortcode_shows_as_written_once() -> None:
    assert convert("Use [[caption]] to caption a picture.")[0] == "Use [caption] to caption a picture."


def test_shortcode_attributes_are_read_in_every_quoting() -> None:
    assert parse_attributes(""" id="a b" align='left' width=300 "positional" """) == {"id": "a b", "align": "left", "width": "300", "0": "positional"}


def test_scripts_event_handlers_and_javascript_links_are_removed_and_reported() -> None:
    markdown, notes = convert('<p onclick="steal()">Hi <a href="javascript:alert(1)">there</a></p><script>alert(2)</script>'
                              '<img src="x.png" onerror="alert(3)" alt="X">')
    assert markdown == "Hi there\n\n![X](x.png)"
    assert notes == ['removed the event handler onclick="steal()" from a <p>', "removed a 'javascript:' address from a <a>",
                     'removed a <script>: alert(2)', 'removed the event handler onerror="alert(3)" from a <img>']


def test_obsolete_elements_become_modern_ones_or_plain_text() -> None:
    markdown, _ = convert('<center><font color="red">Red</font> <acronym title="Total Place">TP</acronym> <tt>x = 1</tt> '
                          '<strike>old</strike> <big>big</big> H<sub>2</sub>O, E=mc<sup>2</sup></center>')
    assert markdown == 'Red <abbr title="Total Place">TP</abbr> `x = 1` <del>old</del> big H<sub>2</sub>O, E=mc<sup>2</sup>'


def test_a_table_with_spanning_cells_is_kept_as_sanitised_html() -> None:
    markdown, notes = convert('<table border="1" cellpadding="3"><tr><td colspan="2" style="color:red" onclick="x()">Both</td></tr>'
                              '<tr><td>a</td><td>b</td></tr></table>')
    assert markdown == ('<table>\n<tbody><tr>\n<td colspan="2">Both</td>\n</tr>\n<tr>\n<td>a</td>\n<td>b</td>\n</tr>\n</tbody></table>')
    assert any(note.startswith("kept a table as HTML") for note in notes)


def test_a_simple_table_becomes_a_markdown_table() -> None:
    assert convert("<table><tr><th>Area</th><th>Pilot</th></tr><tr><td>Manchester</td><td>Yes</td></tr></table>")[0] == (
        "| Area | Pilot |\n| --- | --- |\n| Manchester | Yes |")


def test_other_frames_are_kept_and_reported() -> None:
    markdown, notes = convert('<iframe src="https://maps.example.com/embed?x=1" frameborder="0" width="400"></iframe>')
    assert markdown == '<iframe src="https://maps.example.com/embed?x=1" title="Embedded from maps.example.com" width="400"></iframe>'
    assert notes[0].startswith("kept a frame from https://maps.example.com/embed?x=1 as HTML")


def test_headings_start_at_level_two_and_never_skip_a_level() -> None:
    assert convert("<h1>One</h1>\n<h4>Four</h4>\n<h3>Three</h3>\n<h6>Six</h6>")[0] == "## One\n\n### Four\n\n### Three\n\n#### Six"


def test_a_link_to_an_anchor_on_the_page_is_kept_only_when_the_anchor_exists() -> None:
    markdown, notes = convert('<h2 id="agenda">Agenda</h2>\nSee <a href="#agenda">the agenda</a> and <a href="#gone">this</a>.')
    assert markdown == "## Agenda {: #agenda }\n\nSee [the agenda](#agenda) and this."
    assert notes == ["removed a link to '#gone' on the same page: nothing there has that id"]


def test_preformatted_code_keeps_every_character() -> None:
    assert convert('<pre class="brush: php">if ($a &lt; 1) {\n\n  echo "*x*";\n}</pre>')[0] == '```php\nif ($a < 1) {\n\n  echo "*x*";\n}\n```'


def test_links_to_other_posts_become_relative_content_links() -> None:
    assert convert('See <a href="https://old.example.org/2010/04/22/other/">the other post</a>.')[0] == "See [the other post](2010-04-22-other.md)."


@pytest.mark.parametrize("text, markdown", [
    ("snake_case and file_name_here", "snake_case and file_name_here"),
    ("C:\\xampp\\htdocs", "C:\\xampp\\htdocs"),
    ("Slashes aren\\'t \\\"cool\\\"", "Slashes aren\\'t \\\"cool\\\""),
    ("5 * 3 = 15", "5 * 3 = 15"),
    ("It's a <b> tag & &amp; entity", "It's a &lt;b> tag & &amp;amp; entity"),
    ("*not emphasis* and _not either_", "\\*not emphasis\\* and \\_not either\\_"),
    ("a \\*star\\*", "a \\\\\\*star\\\\\\*"),
    ("see [1](x) here", "see [1\\](x) here"),
])
def test_text_is_escaped_only_where_markdown_would_read_it_as_markup(text: str, markdown: str) -> None:
    assert escape_text(text) == markdown


@pytest.mark.parametrize("text, markdown", [
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("- not a list", "\\- not a list"),
    ("> not a quote", "\\> not a quote"),
    ("2010. A year to remember", "2010\\. A year to remember"),
    ("Title\n===", "Title  \n&#61;=="),
])
def test_a_line_that_would_start_markup_is_escaped(text: str, markdown: str) -> None:
    assert convert(text)[0] == markdown


def test_lines_are_never_wrapped() -> None:
    long = "word " * 60
    assert "\n" not in convert(long.strip())[0]


def test_a_picture_left_on_the_old_site_keeps_its_size_or_becomes_a_link() -> None:
    sized = convert('<img src="https://elsewhere.example/a.jpg" alt="A map" width="300" height="200" />')[0]
    unsized = convert('<img src="https://elsewhere.example/b.jpg" />')[0]
    assert sized == '![A map](https://elsewhere.example/a.jpg){: width="300" height="200" }'
    assert unsized == "[A picture](https://elsewhere.example/b.jpg)"

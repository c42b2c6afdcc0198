"""Where other importers fall short (their users' complaints), one test each."""

from __future__ import annotations

from pathlib import Path

from conftest import TinySite
from test_wordpress_import import UPLOADS, picture_export, read, run, uploads
from wordpress_export import SITE, comment, export, item


def test_paragraphs_and_line_breaks_are_not_lost(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Forum", "The forum met.\n\nFriends Meeting House\n6 Mount Street", name="forum")), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-forum.md").endswith("The forum met.\n\nFriends Meeting House  \n6 Mount Street\n")


def test_caption_and_gallery_shortcodes_are_not_left_raw(tiny: TinySite, capsys, tmp_path: Path) -> None:
    attachment = item(30, "Room", post_type="attachment", status="inherit", attachment_url=f"{UPLOADS}/2010/04/room.jpg", parent=1,
                      meta=(("_wp_attachment_image_alt", "A full room"),))
    body = f'[caption width="300"]<img src="{UPLOADS}/2010/04/room.jpg" alt="" /> The room[/caption]\n\n[gallery]'
    run(tiny, export(attachment, item(1, "Forum", body, name="forum")), "--media", str(uploads(tmp_path / "u")), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-forum.md")
    assert "[caption" not in text and "[gallery" not in text
    assert text.endswith('![A full room](../images/2010/04/room.jpg "The room")\n\n- ![A full room](../images/2010/04/room.jpg)\n')


def test_pictures_do_not_stay_on_the_old_host(tiny: TinySite, capsys, tmp_path: Path) -> None:
    run(tiny, picture_export(), "--media", str(uploads(tmp_path / "u")), capsys=capsys)
    assert UPLOADS not in read(tiny, "content/posts/2010-04-23-forum.md")


def test_pictures_with_the_same_name_do_not_overwrite_each_other(tiny: TinySite, capsys, tmp_path: Path) -> None:
    run(tiny, picture_export(), "--media", str(uploads(tmp_path / "u")), capsys=capsys)
    april, may = tiny.root / "content/images/2010/04/room.jpg", tiny.root / "content/images/2010/05/room.jpg"
    assert (april.read_bytes(), may.read_bytes()) == (b"april room", b"may room")


def test_several_categories_are_not_squashed_into_one(tiny: TinySite, capsys) -> None:
    terms = (("category", "economy", "Economy"), ("category", "health", "Health"), ("category", "housing", "Housing"))
    run(tiny, export(item(1, "Forum", name="forum", terms=terms)), capsys=capsys)
    assert "categories:\n- Economy\n- Health\n- Housing\n" in read(tiny, "content/posts/2010-04-23-forum.md")


def test_old_addresses_are_not_broken(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(123, "Forum", name="forum", link=f"{SITE}/?p=123")), capsys=capsys)
    assert "- from: /?p=123\n  to: content/posts/2010-04-23-forum.md\n" in read(tiny, "data/redirects.yaml")


def test_comments_are_not_silently_dropped(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(1, "Forum", name="forum", comments=(comment(1, "Kept"), comment(2, "Later", approved="0")))), capsys=capsys)
    assert "<p>Kept</p>" in read(tiny, "content/comments/posts/2010-04-23-forum.yaml")
    assert "1 comments in 1 files; not imported: 1 waiting for approval" in report


def test_dates_are_not_a_day_out(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Midnight", name="midnight", date="2010-06-01 00:15:00", date_gmt="2010-05-31 23:15:00")), capsys=capsys)
    assert "date: 2010-06-01 00:15\n" in read(tiny, "content/posts/2010-06-01-midnight.md")


def test_text_is_not_escaped_or_wrapped(tiny: TinySite, capsys) -> None:
    long = "It's the city region's turn: see /reports/2010/ for the file_name_here and more. " * 3
    run(tiny, export(item(1, "Forum", long.strip(), name="forum")), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-forum.md").endswith("\n" + long.strip() + "\n")


def test_youtube_embeds_are_not_dropped(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Forum", "Our talk:\n\nhttps://youtu.be/abc123\n\n[embed]https://www.youtube.com/watch?v=def456[/embed]",
                          name="forum")), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-forum.md")
    assert "[Watch the video on YouTube](https://www.youtube.com/watch?v=abc123)" in text
    assert "[Watch the video on YouTube](https://www.youtube.com/watch?v=def456)" in text

"""`build.py import-wordpress`: what an export becomes, and what the report says."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from conftest import TinySite
from wordpress_export import SITE, comment, export, item

from placepress.cli import main
from placepress.importers.wordpress.command import Progress

UPLOADS = f"{SITE}/wp-content/uploads"


def run(site: TinySite, text: str | list[str], *options: str, capsys) -> tuple[int, str]:
    """Import `text` (or several export files) into the tiny site; (exit code, report)."""
    texts = [text] if isinstance(text, str) else text
    names = []
    for number, body in enumerate(texts):
        path = site.root.parent / f"{site.root.name}-export.{number:03d}.xml"
        path.write_text(body, encoding="utf-8")
        names.append(str(path))
    code = main(["import-wordpress", *names, "--root", str(site.root), *options])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def read(site: TinySite, relative: str) -> str:
    return (site.root / relative).read_text(encoding="utf-8")


def files(site: TinySite) -> dict[str, bytes]:
    return {p.relative_to(site.root).as_posix(): p.read_bytes() for p in sorted(site.root.rglob("*"))
            if p.is_file() and p.relative_to(site.root).parts[0] in ("content", "data")}


def test_a_post_is_written_with_every_field_an_editor_would_write(tiny: TinySite, capsys) -> None:
    post = item(12, "Total Place: what next?", "First para.\n\nSecond.", name="total-place", excerpt="<p>What the pilots mean.</p>",
                terms=(("category", "economy", "Economy"), ("category", "reports", "Reports &amp; briefings"), ("post_tag", "city-region", "City region")))
    code, _ = run(tiny, export(post), capsys=capsys)
    assert code == 0
    assert read(tiny, "content/posts/2010-04-23-total-place.md") == (
        "---\n"
        "title: 'Total Place: what next?'\n"
        "date: 2010-04-23 18:30\n"
        "summary: What the pilots mean.\n"
        "categories:\n"
        "- Economy\n"
        "- Reports & briefings\n"
        "tags:\n"
        "- City region\n"
        "author: Jane Smith\n"
        "---\n"
        "\n"
        "First para.\n"
        "\n"
        "Second.\n")


def test_the_date_comes_from_gmt_in_the_sites_zone_so_no_post_is_a_day_out(tiny: TinySite, capsys) -> None:
    # 23:30 UTC on 22 April is 00:30 on 23 April in London (summer time); the old site said UTC.
    run(tiny, export(item(1, "Late", date="2010-04-22 23:30:00", date_gmt="2010-04-22 23:30:00", name="late")), capsys=capsys)
    assert "date: 2010-04-23 00:30\n" in read(tiny, "content/posts/2010-04-23-late.md")


def test_a_drafts_local_date_is_read_in_the_zone_the_other_posts_teach(tiny: TinySite, capsys) -> None:
    # The old site was on UTC+10: the published post shows it; the draft has only its local time.
    published = item(1, "Known", date="2010-04-23 10:00:00", date_gmt="2010-04-23 00:00:00", name="known")
    draft = item(2, "Draft", status="draft", date="2010-04-24 09:00:00", date_gmt="0000-00-00 00:00:00", name="")
    run(tiny, export(published, draft), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-24-draft.md")
    assert "date: 2010-04-24 00:00\n" in text and "draft: true\n" in text


@pytest.mark.parametrize("status, password, expected", [
    ("publish", "", ""), ("draft", "", "draft: true\n"), ("pending", "", "draft: true\n"),
    ("private", "", "draft: true\n"), ("publish", "secret", "draft: true\n")])
def test_wordpress_statuses_become_published_or_draft(tiny: TinySite, capsys, status: str, password: str, expected: str) -> None:
    run(tiny, export(item(1, "A post", status=status, password=password, name="a-post")), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-a-post.md")
    assert ("draft: true\n" in text) == bool(expected)


def test_a_scheduled_post_keeps_its_future_date_and_is_not_a_draft(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Soon", status="future", date="2030-01-01 09:00:00", date_gmt="2030-01-01 09:00:00", name="soon")), capsys=capsys)
    text = read(tiny, "content/posts/2030-01-01-soon.md")
    assert "date: 2030-01-01 09:00\n" in text and "draft" not in text


def test_skipped_items_are_each_reported_with_why(tiny: TinySite, capsys) -> None:
    code, report = run(tiny, export(item(1, "Binned", status="trash"), item(2, "Auto", status="auto-draft"),
                                    item(3, "Menu", post_type="nav_menu_item"), item(4, "Block", post_type="wp_block"),
                                    item(5, "Kept"), item(6, "No date", date="0000-00-00 00:00:00", date_gmt="0000-00-00 00:00:00")),
                       capsys=capsys)
    assert code == 0
    for line in ("post 'Binned': it is in the bin", "post 'Auto': it is an automatic draft WordPress made and nobody wrote",
                 "'Menu' is a menu item", "'Block' is a reusable block",
                 "post 'No date' has no date (no wp:post_date or wp:post_date_gmt)"):
        assert line in report
    assert [p.name for p in (tiny.root / "content/posts").iterdir()] == ["2010-04-23-kept.md"]


def test_a_post_without_a_title_is_titled_from_its_first_words(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(9, "", "<p>Forty people came to the forum on Tuesday evening to hear about Total Place.</p>", name="")), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-forty-people-came-to-the-forum-on-tuesday.md")
    assert "title: Forty people came to the forum on Tuesday…\n" in text
    assert "post 9 had no title; it is titled 'Forty people came to the forum on Tuesday…' from its first words" in report


def test_two_posts_wanting_one_file_are_told_apart_and_reported(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(1, "Forum", name="forum"), item(2, "Forum", name="forum-2", date="2010-04-23 20:00:00"),
                                 item(3, "Forum", name="", date="2010-04-23 21:00:00")), capsys=capsys)
    assert sorted(p.name for p in (tiny.root / "content/posts").iterdir()) == [
        "2010-04-23-forum-2.md", "2010-04-23-forum-3.md", "2010-04-23-forum.md"]
    assert "post 'Forum' would be content/posts/2010-04-23-forum.md, like an older post; it is content/posts/2010-04-23-forum-3.md" in report


def test_block_editor_posts_lose_their_block_comments_and_get_no_automatic_paragraphs(tiny: TinySite, capsys) -> None:
    blocks = ("<!-- wp:paragraph -->\n<p>One\nstill one</p>\n<!-- /wp:paragraph -->\n\n"
              '<!-- wp:image {"id":30} -->\n<figure class="wp-block-image"><img src="https://elsewhere.example/a.jpg" alt="A" width="4" height="3"/>'
              "<figcaption>Cap</figcaption></figure>\n<!-- /wp:image -->")
    run(tiny, export(item(1, "Blocks", blocks, name="blocks")), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-blocks.md")
    assert text.endswith('\nOne\nstill one\n\n![A](https://elsewhere.example/a.jpg "Cap"){: width="4" height="3" }\n')
    assert "wp:" not in text


def test_pages_keep_their_hierarchy_and_menu_order(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(10, "History", post_type="page", name="history", parent=11),
                     item(11, "About", post_type="page", name="about", menu_order=2),
                     item(12, "Contact", post_type="page", name="contact", menu_order=1)), capsys=capsys)
    assert read(tiny, "content/pages/about/history.md").startswith("---\ntitle: History\n---\n")
    assert "nav: 2\n" in read(tiny, "content/pages/about.md") and "nav: 1\n" in read(tiny, "content/pages/contact.md")


def test_a_page_whose_address_the_site_uses_itself_is_renamed(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(5, "Archives", post_type="page", name="archives")), capsys=capsys)
    assert (tiny.root / "content/pages/archives-page.md").exists()
    assert "page 'Archives': the address /archives/ is the site's own; it is /archives-page/" in report


def test_approved_comments_are_written_with_threads_and_the_rest_counted(tiny: TinySite, capsys) -> None:
    comments = (comment(11, "First!\n\nSecond paragraph.", url="https://ann.example.net/"),
                comment(12, "A reply", author="Bob", parent=11, date="2010-04-25 10:00:00"),
                comment(13, "Buy pills", approved="spam"), comment(14, "Hmm", approved="0"),
                comment(15, "Reply to spam", parent=13, date="2010-04-26 10:00:00"),
                comment(16, "Linked", kind="pingback"))
    _, report = run(tiny, export(item(1, "Total Place", name="total-place", comments=comments)), capsys=capsys)
    assert read(tiny, "content/comments/posts/2010-04-23-total-place.yaml") == (
        "# Comments from the old site on content/posts/2010-04-23-total-place.md, imported from\n"
        "# WordPress. Shown read-only under it as \"Comments from the old site\". Correct a\n"
        "# comment's text here, or delete a comment (and the replies to it) to take it down.\n"
        "comments:\n"
        "- id: 11\n"
        "  author: Ann Reader\n"
        "  website: https://ann.example.net/\n"
        "  date: 2010-04-24 09:15\n"
        "  text: |\n"
        "    <p>First!</p>\n"
        "    <p>Second paragraph.</p>\n"
        "- id: 12\n"
        "  author: Bob\n"
        "  date: 2010-04-25 10:00\n"
        "  parent: 11\n"
        "  text: |\n"
        "    <p>A reply</p>\n"
        "- id: 15\n"
        "  author: Ann Reader\n"
        "  date: 2010-04-26 10:00\n"
        "  text: |\n"
        "    <p>Reply to spam</p>\n")
    assert "3 comments in 1 files; not imported: 1 pingbacks, 1 spam, 1 waiting for approval" in report


def test_no_email_or_ip_address_is_written_anywhere(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(1, comments=(comment(1, "Hi", email="private@example.net", ip="203.0.113.9"),))), capsys=capsys)
    everything = b"".join(files(tiny).values()).decode("utf-8") + report
    assert "private@example.net" not in everything and "203.0.113.9" not in everything and "jane@example.org" not in everything


def test_old_addresses_become_redirects_to_the_content_files(tiny: TinySite, capsys) -> None:
    head = ('<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent>'
            '<wp:cat_name>News</wp:cat_name></wp:category>'
            '<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>local-news</wp:category_nicename>'
            '<wp:category_parent>news</wp:category_parent><wp:cat_name>Manchester</wp:cat_name></wp:category>')
    post = item(12, "Total Place", name="total-place", link=f"{SITE}/archives/12", terms=(("category", "local-news", "Manchester"),),
                meta=(("_wp_old_slug", "total-place-pilots"),))
    page = item(7, "About us", post_type="page", name="about-us", link=f"{SITE}/about-us/")
    run(tiny, export(post, page, head=head), capsys=capsys)
    text = read(tiny, "data/redirects.yaml")
    for old, new in [("/?p=12", "content/posts/2010-04-23-total-place.md"), ("/?page_id=7", "content/pages/about-us.md"),
                     ("/?p=7", "content/pages/about-us.md"), ("/archives/12/", "content/posts/2010-04-23-total-place.md"),
                     ("/2010/04/23/total-place-pilots/", "content/posts/2010-04-23-total-place.md"),
                     ("/feed/", "/feed.xml"), ("/comments/feed/", "/feed.xml"),
                     ("/category/news/local-news/", "/category/manchester/"),
                     ("/category/news/local-news/feed/", "/category/manchester/feed.xml"), ("/?cat=4", "/category/manchester/"),
                     ("/author/jane/", "/")]:
        assert f"- from: {old}\n  to: {new}\n" in text
    assert "from: /about-us/" not in text  # the page keeps its address


def picture_export(*extra: str) -> str:
    attachment = item(30, "Room", post_type="attachment", status="inherit", name="room", attachment_url=f"{UPLOADS}/2010/04/room.jpg",
                      link=f"{SITE}/2010/04/23/forum/room/", parent=1,
                      meta=(("_wp_attached_file", "2010/04/room.jpg"), ("_wp_attachment_image_alt", "A full room")))
    body = (f'<img src="{UPLOADS}/2010/04/room-300x200.jpg" srcset="{UPLOADS}/2010/04/room-600x400.jpg 600w" width="300" />\n\n'
            f'<img src="{UPLOADS}/2010/05/room.jpg?w=1024" />\n\n<a href="{UPLOADS}/2010/04/CN4M Briefing.pdf">Briefing</a>')
    return export(attachment, item(1, "Forum", body, name="forum", meta=(("_thumbnail_id", "30"),)), *extra)


def uploads(folder: Path) -> Path:
    for key, data in {"2010/04/room.jpg": b"april room", "2010/05/room.jpg": b"may room", "2010/04/CN4M Briefing.pdf": b"%PDF-1.4"}.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)
    return folder


def test_pictures_and_documents_are_copied_from_the_media_folder_and_linked(tiny: TinySite, capsys, tmp_path: Path) -> None:
    _, report = run(tiny, picture_export(), "--media", str(uploads(tmp_path / "uploads")), capsys=capsys)
    assert (tiny.root / "content/images/2010/04/room.jpg").read_bytes() == b"april room"
    assert (tiny.root / "content/images/2010/05/room.jpg").read_bytes() == b"may room"
    assert (tiny.root / "content/documents/2010/04/CN4M-Briefing.pdf").read_bytes() == b"%PDF-1.4"
    text = read(tiny, "content/posts/2010-04-23-forum.md")
    assert "image: ../images/2010/04/room.jpg\nimage_alt: A full room\n" in text
    assert text.endswith("![A full room](../images/2010/04/room.jpg)\n\n![needs-description](../images/2010/05/room.jpg)\n\n"
                         "[Briefing](../documents/2010/04/CN4M-Briefing.pdf)\n")
    assert "2010/04/CN4M Briefing.pdf: renamed to content/documents/2010/04/CN4M-Briefing.pdf, a name that works in an address" in report
    redirects = read(tiny, "data/redirects.yaml")
    assert "- from: /?attachment_id=30\n  to: content/images/2010/04/room.jpg\n" in redirects
    assert "- from: /2010/04/23/forum/room/\n  to: content/images/2010/04/room.jpg\n" in redirects


def test_wordpress_com_media_tar_is_read_by_the_end_of_each_path(tiny: TinySite, capsys, tmp_path: Path) -> None:
    folder = uploads(tmp_path / "media")
    archive = tmp_path / "media-export.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(folder, arcname="oldblog.files.wordpress.com")
    run(tiny, picture_export(), "--media", str(archive), capsys=capsys)
    assert (tiny.root / "content/images/2010/05/room.jpg").read_bytes() == b"may room"


def test_without_media_the_old_addresses_stay_and_every_file_is_listed(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, picture_export(), capsys=capsys)
    text = read(tiny, "content/posts/2010-04-23-forum.md")
    assert f"[A picture: A full room]({UPLOADS}/2010/04/room-300x200.jpg)" in text and "image:" not in text
    assert f"  {UPLOADS}/2010/04/room.jpg: use --media or --download to bring it in" in report
    assert not (tiny.root / "content/images").exists()


def test_running_again_over_the_same_export_changes_nothing(tiny: TinySite, capsys, tmp_path: Path) -> None:
    media = str(uploads(tmp_path / "uploads"))
    run(tiny, picture_export(), "--media", media, capsys=capsys)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tiny.root.rglob("*") if p.is_file()}
    code, report = run(tiny, picture_export(), "--media", media, capsys=capsys)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tiny.root.rglob("*") if p.is_file()}
    assert code == 0 and before == after
    assert "Files: 5 unchanged (all at once)." in report


def test_running_again_without_media_keeps_the_pictures_imported_before(tiny: TinySite, capsys, tmp_path: Path) -> None:
    run(tiny, picture_export(), "--media", str(uploads(tmp_path / "uploads")), capsys=capsys)
    before = files(tiny)
    code, report = run(tiny, picture_export(), capsys=capsys)
    assert code == 0 and files(tiny) == before and "use --media" not in report


def test_a_file_an_editor_changed_is_left_alone_unless_forced(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Forum", "Old text", name="forum")), capsys=capsys)
    edited = tiny.write("content/posts/2010-04-23-forum.md", "---\ntitle: Forum\ndate: 2010-04-23\n---\nMy words.\n")
    code, report = run(tiny, export(item(1, "Forum", "New text", name="forum")), capsys=capsys)
    assert code == 0 and edited.read_text() == "---\ntitle: Forum\ndate: 2010-04-23\n---\nMy words.\n"
    assert "content/posts/2010-04-23-forum.md: was changed since the import; left as it is (--force replaces it)" in report
    run(tiny, export(item(1, "Forum", "New text", name="forum")), "--force", capsys=capsys)
    assert edited.read_text().endswith("New text\n")


def test_a_file_an_editor_deleted_is_not_brought_back(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, comments=(comment(1, "Rude words"),))), capsys=capsys)
    (tiny.root / "content/comments/posts/2010-04-23-a-post.yaml").unlink()
    _, report = run(tiny, export(item(1, comments=(comment(1, "Rude words"),))), capsys=capsys)
    assert not (tiny.root / "content/comments/posts/2010-04-23-a-post.yaml").exists()
    assert "content/comments/posts/2010-04-23-a-post.yaml: was deleted since the import; left as it is" in report


def test_a_file_the_import_did_not_write_is_never_replaced(tiny: TinySite, capsys) -> None:
    mine = tiny.write("content/pages/about.md", "---\ntitle: About\n---\nOurs.\n")
    _, report = run(tiny, export(item(2, "About", post_type="page", name="about")), capsys=capsys)
    assert mine.read_text() == "---\ntitle: About\n---\nOurs.\n"
    assert "content/pages/about.md: was not written by the import; left as it is (--force replaces it)" in report


def test_a_dry_run_writes_nothing_and_lists_what_it_would_write(tiny: TinySite, capsys) -> None:
    code, report = run(tiny, export(item(1, "Forum", name="forum")), "--dry-run", capsys=capsys)
    assert code == 0 and files(tiny) == {} and not (tiny.root / ".cache").exists()
    assert report.startswith("Would import:\n  1 posts (0 drafts, 0 scheduled), 0 pages\n")
    assert "  would write content/posts/2010-04-23-forum.md\n" in report


def test_an_export_that_is_not_xml_ends_the_import_with_nothing_written(tiny: TinySite, capsys) -> None:
    good = export(item(1, "Forum", name="forum"))
    code, report = run(tiny, [good, good.replace("</channel>", "</chanel>")], capsys=capsys)
    assert code == 1 and files(tiny) == {}
    assert f"{tiny.root.name}-export.001.xml:" in report and "this is not well-formed XML" in report and "Nothing was imported." in report


def test_wordpress_com_split_exports_are_read_together(tiny: TinySite, capsys) -> None:
    first = export(item(1, "One", f'See <a href="{SITE}/?p=2">two</a>.', name="one"))
    second = export(item(2, "Two", name="two", date="2010-04-24 10:00:00"))
    run(tiny, [first, second], capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-one.md").endswith("See [two](2010-04-24-two.md).\n")


def test_an_item_twice_in_the_exports_is_imported_once(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, [export(item(1, "One", name="one")), export(item(1, "One", name="one"))], capsys=capsys)
    assert "item 1 is in the export twice" in report
    assert len(list((tiny.root / "content/posts").iterdir())) == 1


def test_the_import_builds_without_problems(tiny: TinySite, capsys, tmp_path: Path) -> None:
    run(tiny, picture_export(item(2, "Other", f'Back to <a href="{SITE}/2010/04/23/forum/">the forum</a>', name="other",
                                  comments=(comment(5, "Nice <script>alert(1)</script>"),))), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-other.md").endswith("Back to [the forum](2010-04-23-forum.md)\n")
    result = tiny.build()
    assert result.code == 0, result.err


def test_progress_is_shown_on_a_terminal_and_kept_out_of_logs() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        Progress(stream).show("Converting export.xml", 50, 200)
    assert terminal.getvalue() == "\rConverting export.xml: 50 of 200 items (25%)\x1b[K" and log.getvalue() == ""


@pytest.mark.parametrize("key, path", [
    ("2010/04/CN4M Briefing.pdf", "content/documents/2010/04/CN4M-Briefing.pdf"),
    ("2010/04/café.jpg", "content/images/2010/04/cafe.jpg"),
    ("2010/04/Room_1.JPG", "content/images/2010/04/Room_1.JPG"),
    ("2010/04/#1 (final).docx", "content/documents/2010/04/1-final.docx"),
    ("2010/04/.hidden.png", "content/images/2010/04/hidden.png"),
    ("logo.gif", "content/images/logo.gif"),
])
def test_upload_names_are_made_to_work_in_an_address_and_nothing_else_changes(key: str, path: str) -> None:
    import re

    from placepress.importers.wordpress.media import destination

    assert destination(key) == path
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", part) for part in path.split("/"))


def test_a_slug_the_site_cannot_use_gets_a_new_address_and_a_redirect_from_the_old_one(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(5, "日本", name="%e6%97%a5%e6%9c%ac", link=f"{SITE}/2010/04/23/%e6%97%a5%e6%9c%ac/")), capsys=capsys)
    assert (tiny.root / "content/posts/2010-04-23-post-5.md").is_file()
    assert "- from: /2010/04/23/%E6%97%A5%E6%9C%AC/\n  to: content/posts/2010-04-23-post-5.md\n" in read(tiny, "data/redirects.yaml")


def test_a_text_link_to_a_picture_keeps_its_address_and_a_linked_picture_is_shown_alone(tiny: TinySite, capsys, tmp_path: Path) -> None:
    body = (f'See <a href="{UPLOADS}/2010/04/room.jpg">the room</a>.\n\n'
            f'<a href="{UPLOADS}/2010/04/room.jpg"><img src="{UPLOADS}/2010/04/room-300x200.jpg" alt="The room" /></a>')
    run(tiny, export(item(1, "Forum", body, name="forum")), "--media", str(uploads(tmp_path / "u")), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-forum.md").endswith(
        f"See [the room]({UPLOADS}/2010/04/room.jpg).\n\n![The room](../images/2010/04/room.jpg)\n")


def usage(root: Path, *args: str, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(["import-wordpress", *args, "--root", str(root)])
    return stopped.value.code, capsys.readouterr().err


def test_an_export_that_is_not_a_file_is_a_usage_error(tiny: TinySite, capsys) -> None:
    code, err = usage(tiny.root, str(tiny.root / "missing.xml"), capsys=capsys)
    assert code == 2 and f"{tiny.root / 'missing.xml'} is not a file; give the .xml file(s) that Tools → Export made" in err


def test_media_that_is_neither_a_folder_nor_a_tar_is_a_usage_error(tiny: TinySite, capsys, tmp_path: Path) -> None:
    (tmp_path / "export.xml").write_text(export(item(1)), encoding="utf-8")
    (tmp_path / "media.zip").write_bytes(b"PK\x03\x04 not a tar")
    code, err = usage(tiny.root, str(tmp_path / "export.xml"), "--media", str(tmp_path / "media.zip"), capsys=capsys)
    assert code == 2 and f"--media must be a folder (a copy of wp-content/uploads) or a .tar file, found '{tmp_path / 'media.zip'}'" in err


def test_a_folder_that_is_not_a_project_is_a_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "export.xml").write_text(export(item(1)), encoding="utf-8")
    code, err = usage(tmp_path, str(tmp_path / "export.xml"), capsys=capsys)
    assert code == 2 and "has no pyproject.toml, so it is not a PlacePress project" in err


def test_settings_with_a_mistake_stop_the_import_before_anything_is_written(tiny: TinySite, capsys) -> None:
    tiny.write("pyproject.toml", '[tool.placepress]\nurl = "https://example.org/"\ntimezone = "Europe/Londn"\n')
    code, report = run(tiny, export(item(1)), capsys=capsys)
    assert code == 1 and files(tiny) == {}
    assert "pyproject.toml:3: 'timezone' must be an IANA time zone such as 'Europe/London', found 'Europe/Londn'" in report


def test_the_report_says_how_many_control_characters_were_removed(tiny: TinySite, capsys) -> None:
    _, report = run(tiny, export(item(1, "Forum", "Bell\x07 and\x0b tab", name="forum")), capsys=capsys)
    assert "2 control characters that XML forbids were removed, and 0 bytes that were not UTF-8 became '\ufffd'" in report
    assert read(tiny, "content/posts/2010-04-23-forum.md").endswith("Bell and tab\n")


def test_a_size_of_a_big_upload_leads_to_the_scaled_original_wordpress_kept(tiny: TinySite, capsys, tmp_path: Path) -> None:
    media = tmp_path / "uploads" / "2020/01"
    media.mkdir(parents=True)
    (media / "hall-scaled.jpg").write_bytes(b"scaled")
    attachment = item(40, "Hall", post_type="attachment", status="inherit", attachment_url=f"{UPLOADS}/2020/01/hall-scaled.jpg",
                      meta=(("_wp_attached_file", "2020/01/hall-scaled.jpg"), ("_wp_attachment_image_alt", "The hall")))
    run(tiny, export(attachment, item(1, "Hall", f'<img src="{UPLOADS}/2020/01/hall-1024x768.jpg" />', name="hall")),
        "--media", str(tmp_path / "uploads"), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-hall.md").endswith("![The hall](../images/2020/01/hall-scaled.jpg)\n")


def test_a_wordpress_com_export_maps_its_media_host_and_photon_copies(tiny: TinySite, capsys, tmp_path: Path) -> None:
    blog = "https://cn4m.wordpress.com"
    body = ('<img src="https://cn4m.files.wordpress.com/2010/04/room.jpg?w=300&amp;h=200" alt="Room" />\n\n'
            '<img src="https://i0.wp.com/cn4m.files.wordpress.com/2010/05/room.jpg?resize=300%2C200" alt="May" />\n\n'
            f'<a href="{blog}/2010/04/23/forum/">Same post</a>')
    text = export(item(1, "Forum", body, name="forum", link=f"{blog}/2010/04/23/forum/"), site=blog).replace(
        f"<wp:base_site_url>{blog}</wp:base_site_url>", "<wp:base_site_url>http://wordpress.com/</wp:base_site_url>")
    run(tiny, text, "--media", str(uploads(tmp_path / "u")), capsys=capsys)
    assert read(tiny, "content/posts/2010-04-23-forum.md").endswith(
        "![Room](../images/2010/04/room.jpg)\n\n![May](../images/2010/05/room.jpg)\n\n[Same post](2010-04-23-forum.md)\n")


def test_a_post_that_keeps_its_address_gets_no_redirect_from_it(tiny: TinySite, capsys) -> None:
    run(tiny, export(item(1, "Forum", name="forum"), item(2, "Forum", name="forum-x", link=f"{SITE}/2010/04/23/forum-x/")), capsys=capsys)
    text = read(tiny, "data/redirects.yaml")
    assert "from: /2010/04/23/forum/\n" not in text and "from: /2010/04/23/forum-x/\n" not in text
    assert "- from: /?p=1\n  to: content/posts/2010-04-23-forum.md\n" in text


@pytest.mark.parametrize("text, shown", [
    ("See https://example.net/report.pdf.", 'See <a href="https://example.net/report.pdf">https://example.net/report.pdf</a>.'),
    ("At www.cn4m.org, (www.cn4m.org)", 'At <a href="http://www.cn4m.org">www.cn4m.org</a>, (<a href="http://www.cn4m.org">www.cn4m.org</a>)'),
    ('<a href="https://x.example/">https://x.example/</a>', '<a href="https://x.example/">https://x.example/</a>'),
    ('<img src="https://x.example/a.png">', '<img src="https://x.example/a.png">'),
    ("mail ann@www.example.net", "mail ann@www.example.net"),
])
def test_bare_addresses_in_comments_become_links_as_wordpress_showed_them(text: str, shown: str) -> None:
    from placepress.importers.wordpress.archive import clickable

    assert clickable(text) == shown


def test_a_numbered_part_of_a_wordpress_com_export_left_out_is_reported(tiny: TinySite, capsys, tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"cn4m.wordpress.2026-05-01.00{number}.xml").write_text(export(item(number + 1, name=f"p{number}")), encoding="utf-8")
    main(["import-wordpress", str(tmp_path / "cn4m.wordpress.2026-05-01.000.xml"), str(tmp_path / "cn4m.wordpress.2026-05-01.002.xml"),
          "--root", str(tiny.root)])
    report = capsys.readouterr().out
    assert report.count("cn4m.wordpress.2026-05-01.001.xml: looks like a part of the same export as the files given, "
                        "but was not given: give every numbered file") == 1

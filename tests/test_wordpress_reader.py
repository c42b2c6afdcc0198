"""Reading a WordPress export: safely, as a stream, and saying clearly what is wrong with a bad one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wordpress_export import comment, export, fixtures, item

from placepress.importers.wordpress.stream import CleanStream
from placepress.importers.wordpress.records import Channel
from placepress.importers.wordpress.wxr import ExportError, check_version, read_export


def read(tmp_path: Path, text: str | bytes, name: str = "export.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    channel = Channel(name)
    items = list(read_export(path, name, channel))
    check_version(channel)
    return channel, items


def fatal(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(ExportError) as caught:
        read(tmp_path, text)
    return str(caught.value.problem)


def test_an_item_is_read_with_its_fields_terms_and_comments(tmp_path: Path) -> None:
    channel, items = read(tmp_path, export(item(12, "Total Place", "Body text", terms=(("category", "economy", "Economy"),),
                                                comments=(comment(3, "Thanks"),))))
    assert channel.version == "1.2" and channel.authors == {"jane": "Jane Smith"}
    [post] = items
    assert (post.post_id, post.title, post.content, post.post_date, post.status) == (12, "Total Place", "Body text", "2010-04-23 18:30:00", "publish")
    assert [(t.taxonomy, t.slug, t.name) for t in post.terms] == [("category", "economy", "Economy")]
    assert [(c.id, c.author, c.content) for c in post.comments] == [(3, "Ann Reader", "Thanks")]


def test_commenters_email_and_ip_addresses_are_never_read(tmp_path: Path) -> None:
    _, [post] = read(tmp_path, export(item(1, comments=(comment(1, "Hi", email="secret@example.net", ip="198.51.100.7"),))))
    assert "secret@example.net" not in repr(post) and "198.51.100.7" not in repr(post)


def test_cdata_split_around_its_own_end_marker_reads_as_one_text(tmp_path: Path) -> None:
    # WordPress writes ']]>' inside content as ']]]]><![CDATA[>'.
    _, [post] = read(tmp_path, export(item(1, content="<![CDATA[ x ]]> and more")))
    assert post.content == "<![CDATA[ x ]]> and more"


def test_control_characters_that_xml_forbids_are_dropped_and_counted(tmp_path: Path) -> None:
    channel, [post] = read(tmp_path, export(item(1, "Bell\x07 title", "Form\x0cfeed &#x1; and &#11; gone", name="bell")))
    assert (post.title, post.content) == ("Bell title", "Formfeed  and  gone")
    assert channel.repairs.controls == 4


def test_bytes_that_are_not_utf8_become_replacement_characters(tmp_path: Path) -> None:
    text = export(item(1, "Caf\udce9", "ok", name="cafe")).encode("utf-8", "surrogateescape")
    channel, [post] = read(tmp_path, text)
    assert post.title == "Caf\ufffd" and channel.repairs.not_utf8 == 1


def test_the_clean_stream_never_ends_early_on_a_chunk_of_control_characters() -> None:
    stream = CleanStream(io.BytesIO(b"<a>" + b"\x01" * 70000 + b"</a>"))
    data = b"".join(iter(lambda: stream.read(1 << 16), b""))
    assert data == b"<a></a>" and stream.repairs.controls == 70000


def test_a_character_reference_split_between_two_reads_is_still_removed() -> None:
    stream = CleanStream(io.BytesIO(b"<a>" + b"x" * 65530 + b"&#x1;</a>"))
    data = b"".join(iter(lambda: stream.read(1 << 16), b""))
    assert data.endswith(b"x</a>") and stream.repairs.controls == 1


def test_an_export_with_a_doctype_is_refused_before_any_entity_is_read(tmp_path: Path) -> None:
    bomb = export(item(1, "&lol;")).replace('<?xml version="1.0" encoding="UTF-8" ?>',
                                             '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY a SYSTEM "file:///etc/passwd">]>')
    assert fatal(tmp_path, bomb) == ("export.xml:1: the file declares a DOCTYPE, which WordPress exports never do; "
                                     "refusing it, as it could make the reader fetch files or expand entities")


def test_xml_that_is_not_well_formed_is_reported_with_line_and_column(tmp_path: Path) -> None:
    text = export(item(1)).replace("<title>Old blog</title>", "<title>Old blog</titel>")
    assert fatal(tmp_path, text) == ("export.xml:10: this is not well-formed XML (column 25): Opening and ending tag mismatch: "
                                     "title line 10 and titel; export the site again, or open the file in a text editor at that line")


def test_an_rss_feed_that_is_not_an_export_is_reported(tmp_path: Path) -> None:
    assert fatal(tmp_path, "<rss><channel><title>x</title><item><title>y</title></item></channel></rss>") == (
        "export.xml: this is not a WordPress export: it has no <wp:wxr_version>; make one with Tools → Export in WordPress")


def test_a_file_that_is_not_rss_is_reported(tmp_path: Path) -> None:
    assert fatal(tmp_path, "<?xml version='1.0'?>\n<html><body/></html>") == (
        "export.xml:2: this is not a WordPress export: it should be an RSS file with a <channel>, made by Tools → Export (it starts with <html>)")


def test_an_unknown_export_version_is_reported_at_its_line(tmp_path: Path) -> None:
    assert fatal(tmp_path, export(item(1), version="1.2").replace("<wp:wxr_version>1.2<", "<wp:wxr_version>2.0<")) == (
        "export.xml:12: unknown WordPress export version '2.0'; this importer reads 1.0, 1.1, 1.2")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_export_version_is_read(tmp_path: Path, version: str) -> None:
    _, [post] = read(tmp_path, export(item(7, "Hello"), version=version))
    assert post.title == "Hello"


def test_elements_in_a_hijacked_wp_namespace_are_ignored(tmp_path: Path) -> None:
    hijacked = item(9, "Real").replace("<item>", '<item xmlns:wp="http://evil.example/">', 1)
    _, items = read(tmp_path, export(item(1, "Kept"), hijacked))
    assert [i.title for i in items] == ["Kept"]  # no wp:post_id in WordPress's namespace: not an item


def test_the_shared_fixtures_that_are_malformed_are_refused_with_a_line(tmp_path: Path) -> None:
    folder = fixtures() / "wordpress-importer" / "phpunit"
    for name, expected in [("crazy-cdata.xml", "crazy-cdata.xml:18: this is not well-formed XML (column 70): Sequence ']]>' not allowed in content"),
                           ("malformed.xml", "malformed.xml:27: this is not a WordPress export"),
                           ("missing-version-tag.xml", "missing-version-tag.xml: this is not a WordPress export: it has no <wp:wxr_version>"),
                           ("invalid-version-tag.xml", "invalid-version-tag.xml:33: unknown WordPress export version 'abc'")]:
        channel = Channel(name)
        with pytest.raises(ExportError) as caught:
            list(read_export(folder / name, name, channel))
            check_version(channel)
        assert str(caught.value.problem).startswith(expected)


def test_a_zip_from_wordpress_com_is_reported_as_one_to_unpack(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "export.xml", "w") as archive:
        archive.writestr("site.wordpress.2026-05-01.000.xml", export(item(1)))
    assert fatal(tmp_path, (tmp_path / "export.xml").read_bytes()) == (
        "export.xml: this is a .zip file, not an export: unpack it and give the .xml file(s) inside")

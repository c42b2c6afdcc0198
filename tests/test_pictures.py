"""Pictures in posts: published in widths for phones, without metadata, described for screen
readers; every mistake a problem at its line, with exit 1 and site/ untouched.

The pictures are real files made here with Pillow (tests/pictures.py): phone photos with GPS
and orientation, a truncated JPEG, a PNG header claiming a huge size, SVGs with scripts.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from conftest import TinySite, run_build_py
from pictures import marked, metadata_blocks, photo, png_header
from placepress.pipeline import build

POST = "content/posts/2010-05-01-forum.md"
PAGE = "site/2010/05/01/forum/index.html"


def post(tiny: TinySite, body: str, front: str = "") -> None:
    tiny.post("2010-05-01-forum", f"title: The forum\ndate: 2010-05-01\n{front}", body)


def problems(tiny: TinySite) -> list[str]:
    """The problem lines of a build that must fail (exit 1), the site left as it was."""
    before = snapshot(tiny.out)
    result = tiny.build()
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot(tiny.out) == before
    return [line for line in result.err.splitlines() if not line.startswith("Found ")]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def built(tiny: TinySite) -> str:
    result = tiny.build()
    assert result.code == 0, result.err
    return (tiny.root / PAGE).read_text(encoding="utf-8")


def images(tiny: TinySite) -> dict[str, bytes]:
    folder = tiny.out / "images"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- what is published ------------------------------------------------------------------------

def test_a_phone_photo_is_published_in_three_widths_as_webp_and_jpeg_and_never_as_uploaded(tiny: TinySite):
    original = photo(2400, 1800)
    tiny.write("content/images/2010/forum-room.jpg", original)
    post(tiny, "![A full room at the Friends Meeting House](../images/2010/forum-room.jpg)\n")
    built(tiny)
    published = images(tiny)
    assert sorted(published) == ["2010/forum-room-480w.jpg", "2010/forum-room-480w.webp", "2010/forum-room-960w.jpg",
                                 "2010/forum-room-960w.webp", "2010/forum-room.jpg", "2010/forum-room.webp"]
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in published.items()}
    assert sizes["2010/forum-room.jpg"] == sizes["2010/forum-room.webp"] == (1600, 1200)
    assert sizes["2010/forum-room-960w.jpg"] == (960, 720)
    assert sizes["2010/forum-room-480w.webp"] == (480, 360)
    assert original not in published.values()


def test_no_published_picture_carries_exif_xmp_gps_icc_or_a_comment(tiny: TinySite):
    tiny.write("content/images/a.jpg", photo(1800, 1200))
    tiny.write("content/images/b.png", photo(700, 500, format="PNG"))
    tiny.write("content/images/c.webp", photo(500, 400, format="WEBP"))
    tiny.write("content/images/d.jpg", photo(1000, 800, orientation=6, seed=2))
    assert all(metadata_blocks((tiny.root / f"content/images/{n}").read_bytes()) for n in ("a.jpg", "b.png", "c.webp"))
    post(tiny, "".join(f"![Picture {n}](../images/{n})\n\n" for n in ("a.jpg", "b.png", "c.webp", "d.jpg")))
    built(tiny)
    published = images(tiny)
    assert len(published) >= 12
    assert {name: metadata_blocks(data) for name, data in published.items()} == {name: [] for name in published}
    for name, data in published.items():
        assert b"Exif\x00\x00" not in data and b"ns.adobe.com" not in data and b"PhoneMaker" not in data, name


@pytest.mark.parametrize("orientation, size, red_at", [
    (1, (40, 20), (5, 5)),    # as stored: red top-left
    (3, (40, 20), (35, 15)),  # turned half round: red bottom-right
    (6, (20, 40), (15, 5)),   # the camera was turned a quarter: red top-right once upright
    (8, (20, 40), (5, 35)),   # a quarter the other way: red bottom-left
])
def test_the_camera_s_orientation_is_applied_before_the_picture_is_published(tiny: TinySite, orientation, size, red_at):
    tiny.write("content/images/turned.jpg", marked(40, 20, "JPEG", orientation))
    post(tiny, "![A marked square](../images/turned.jpg)\n")
    page = built(tiny)
    image = Image.open(io.BytesIO(images(tiny)["turned.jpg"])).convert("RGB")
    assert image.size == size
    red, green, blue = image.getpixel(red_at)
    assert red > 200 and blue < 60
    assert f'width="{size[0]}" height="{size[1]}"' in re.sub(r'height="(\d+)" (.*?)width', r'\2width', page) or \
        (f'height="{size[1]}"' in page and f'width="{size[0]}"' in page)


def test_a_picture_narrower_than_every_width_is_published_at_its_own_width_only(tiny: TinySite):
    tiny.write("content/images/small.png", marked(300, 200))
    tiny.write("content/images/middle.png", marked(700, 350))
    post(tiny, "![Small](../images/small.png)\n\n![Middle](../images/middle.png)\n")
    built(tiny)
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in images(tiny).items()}
    assert sizes == {"middle-480w.png": (480, 240), "middle-480w.webp": (480, 240), "middle.png": (700, 350),
                     "middle.webp": (700, 350), "small.png": (300, 200), "small.webp": (300, 200)}


def test_the_markup_has_srcset_sizes_width_height_and_is_lazy_except_for_the_first_picture(tiny: TinySite):
    tiny.write("content/images/one.jpg", photo(2000, 1000))
    tiny.write("content/images/two.jpg", photo(1000, 1000, seed=3))
    post(tiny, "![The first](../images/one.jpg)\n\nText.\n\n![The second](../images/two.jpg)\n")
    page = built(tiny)
    pictures = re.findall(r"<picture>.*?</picture>", page)
    assert pictures[0] == (
        '<picture><source sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" srcset="/images/one-480w.webp 480w, '
        '/images/one-960w.webp 960w, /images/one.webp 1600w" type="image/webp"><img alt="The first" height="800" '
        'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" src="/images/one.jpg" srcset="/images/one-480w.jpg 480w, '
        '/images/one-960w.jpg 960w, /images/one.jpg 1600w" width="1600"></picture>')
    assert 'loading="lazy"' not in pictures[0] and 'decoding="async"' not in pictures[0]
    assert 'alt="The second" decoding="async" height="1000" loading="lazy"' in pictures[1]


def test_a_picture_alone_in_its_paragraph_with_a_title_becomes_a_figure_with_its_caption(tiny: TinySite):
    tiny.write("content/images/room.png", marked(600, 300))
    post(tiny, 'Before.\n\n![A full room](../images/room.png "The forum\'s room -- on the night")\n\n'
               'Inline ![A full room](../images/room.png "Not a caption") here.\n')
    page = built(tiny)
    assert re.search(r'<figure><picture>.*?</picture><figcaption>The forum’s room – on the night</figcaption></figure>', page)
    assert re.search(r'<p>Inline <picture>.*?title="Not a caption".*?</picture> here.</p>', page)


def test_pictures_in_a_sub_path_site_carry_its_path(tiny: TinySite):
    tiny.write("pyproject.toml", (tiny.root / "pyproject.toml").read_text().replace(
        'url = "https://example.org/"', 'url = "https://example.github.io/placepress/"'))
    tiny.write("content/images/room.png", marked(600, 300))
    post(tiny, "![A room](../images/room.png)\n")
    page = (tiny.root / "site/placepress/2010/05/01/forum/index.html")
    result = tiny.build()
    assert result.code == 0, result.err
    page = (tiny.out / "2010/05/01/forum/index.html").read_text(encoding="utf-8")
    assert 'src="/placepress/images/room.png"' in page and "/placepress/images/room-480w.webp 480w" in page


def test_an_svg_is_published_byte_for_byte_with_its_size_from_the_viewbox(tiny: TinySite):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 300"><rect width="10" height="10" fill="url(#g)"/></svg>'
    tiny.write("content/images/chart.svg", svg)
    post(tiny, "![A chart of the figures](../images/chart.svg)\n")
    page = built(tiny)
    assert images(tiny) == {"chart.svg": svg}
    assert '<img alt="A chart of the figures" height="300" src="/images/chart.svg" width="640">' in page


def test_an_animated_gif_keeps_its_frames_and_a_still_gif_is_resized(tiny: TinySite):
    frames = [Image.new("RGB", (60, 40), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0, comment=b"made at home")
    tiny.write("content/images/moving.gif", buffer.getvalue())
    buffer = io.BytesIO()
    Image.new("RGB", (700, 100), (10, 120, 30)).save(buffer, "GIF", comment=b"made at home")
    tiny.write("content/images/still.gif", buffer.getvalue())
    post(tiny, "![Three colours in turn](../images/moving.gif)\n\n![A green band](../images/still.gif)\n")
    built(tiny)
    published = images(tiny)
    assert Image.open(io.BytesIO(published["moving.gif"])).n_frames == 3
    assert "moving-480w.gif" not in published
    assert Image.open(io.BytesIO(published["still-480w.gif"])).size == (480, 69)
    assert {name: metadata_blocks(data) for name, data in published.items()} == {name: [] for name in published}


# Some phones export a HEIC photo under a .jpg name: read as what it holds (pillow-heif is
# registered only when Pillow cannot read a file by itself).
@pytest.mark.parametrize("name", ["phone.heic", "phone.jpg"])
def test_a_phone_s_heic_photo_is_published_as_jpeg_and_webp(tiny: TinySite, name: str):
    pillow_heif = pytest.importorskip("pillow_heif", reason="HEIC needs the optional pillow-heif (the [heic] extra)")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(photo(1200, 900))).save(buffer, "HEIF", quality=80)
    tiny.write(f"content/images/{name}", buffer.getvalue())
    post(tiny, f"![Taken on a phone](../images/{name})\n")
    page = built(tiny)
    assert sorted(images(tiny)) == ["phone-480w.jpg", "phone-480w.webp", "phone-960w.jpg", "phone-960w.webp", "phone.jpg", "phone.webp"]
    assert 'src="/images/phone.jpg"' in page


def test_two_builds_of_the_same_pictures_are_byte_identical(tiny: TinySite, tmp_path: Path):
    tiny.write("content/images/a.jpg", photo(1800, 1200))
    tiny.write("content/images/b.png", marked(900, 400))
    tiny.write("content/images/c.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    post(tiny, "![A](../images/a.jpg)\n\n![B](../images/b.png)\n\n![C](../images/c.svg)\n")
    built(tiny)
    first = snapshot(tiny.out)
    shutil.rmtree(tiny.root / ".cache")
    shutil.rmtree(tiny.out)
    built(tiny)
    assert {k: v[0] for k, v in snapshot(tiny.out).items()} == {k: v[0] for k, v in first.items()}


# --- what an editor writes wrong --------------------------------------------------------------

def test_a_picture_with_no_description_says_what_alt_text_is_for_and_how_to_mark_a_decorative_one(tiny: TinySite):
    tiny.write("content/images/room.png", marked(60, 30))
    post(tiny, "Text.\n\n![](../images/room.png)\n")
    assert problems(tiny) == [
        f"{POST}:7: the picture '../images/room.png' has no description: write what it shows between the brackets, for "
        "readers who cannot see it (![A full room at the forum](../images/room.png)); for a purely decorative picture "
        "write ![decorative](../images/room.png)"]


def test_a_picture_that_does_not_exist_is_reported_at_its_line_with_the_closest_name(tiny: TinySite):
    tiny.write("content/images/2010/forum-room.jpg", photo(300, 200))
    post(tiny, "Text.\n\nMore.\n\n![A full room](../images/2010/forum_room.jpg)\n")
    assert problems(tiny) == [
        f"{POST}:9: the picture '../images/2010/forum_room.jpg' names content/images/2010/forum_room.jpg, "
        "which does not exist (did you mean '../images/2010/forum-room.jpg'?)"]


def test_a_picture_outside_content_images_is_a_problem_that_says_where_pictures_go(tiny: TinySite):
    tiny.write("content/documents/chart.png", marked(60, 30))
    post(tiny, "![A chart](../documents/chart.png)\n")
    assert problems(tiny) == [
        f"{POST}:5: the picture '../documents/chart.png' names content/documents/chart.png, which is not in "
        "content/images/: put pictures there, so that they are published in sizes for phones and without their metadata"]


def test_a_picture_in_front_matter_that_does_not_exist_is_reported_at_the_image_line(tiny: TinySite):
    tiny.write("content/images/room.png", marked(60, 30))
    post(tiny, "Text.\n", "image: ../images/rooms.png\nimage_alt: A room")
    assert problems(tiny) == [f"{POST}:4: 'image' names content/images/rooms.png, which does not exist "
                              "(did you mean '../images/room.png'?)"]


@pytest.mark.parametrize("name, data, message", [
    ("notes.jpg", b"These are my notes for the forum.\n",
     "the file is not a picture (or is damaged beyond reading); content/images/ holds pictures only: JPEG, PNG, WebP, GIF, HEIC or SVG"),
    ("notes.txt", b"These are my notes.\n",
     "content/images/ holds pictures only (JPEG, PNG, WebP, GIF, HEIC or SVG), and this file's name does not end in one "
     "of their extensions; move other files to content/documents/"),
    ("bomb.png", png_header(100_000, 100_000),
     "the file claims to be 10,000 megapixels: a decompression bomb, which Pillow refuses to open (a real picture "
     "that large must be resized before it is uploaded)"),
    ("huge.png", png_header(9_000, 6_000),
     "the picture is 9,000 × 6,000 pixels (54 megapixels); the limit is 50 megapixels: resize it to at most 4,000 "
     "pixels across and upload it again"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (31 * 1024 * 1024),
     "the file is 31 MB; pictures may be at most 30 MB: save it smaller (a photo 4,000 pixels across is plenty) and upload it again"),
])
def test_a_file_that_cannot_be_published_as_a_picture_is_a_problem_naming_it(tiny: TinySite, name, data, message):
    tiny.write(f"content/images/{name}", data)
    post(tiny, "Text.\n")
    assert problems(tiny) == [f"content/images/{name}: {message}"]


def test_a_truncated_photo_is_reported_as_damaged(tiny: TinySite):
    whole = photo(800, 600)
    tiny.write("content/images/cut.jpg", whole[: len(whole) // 2])
    post(tiny, "Text.\n")
    [line] = problems(tiny)
    assert line.startswith("content/images/cut.jpg: the picture is damaged or incomplete (image file is truncated")
    assert line.endswith("); upload it again")


def test_a_picture_in_an_unsupported_format_says_what_to_save_it_as(tiny: TinySite):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buffer, "BMP")
    tiny.write("content/images/scan.png", buffer.getvalue())
    post(tiny, "Text.\n")
    assert problems(tiny) == ["content/images/scan.png: the file holds a BMP picture, which the site cannot publish; "
                              "save it as JPEG (photos) or PNG (drawings and screenshots)"]


@pytest.mark.parametrize("svg, message", [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<script>alert(1)</script>\n</svg>',
     "2: the SVG holds a <script>; remove it (a picture needs none)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"\n     onload="alert(1)">\n</svg>',
     "2: the SVG has an event handler 'onload'; remove it (a picture needs none)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n\n'
     '<image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/>\n</svg>',
     "3: the SVG refers to 'https://tracker.example/pixel.png' outside itself; a published picture may refer only to "
     "its own parts ('#id'): embed what it needs, or remove the reference"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<style>\n@import url(https://fonts.example/f.css);\n</style></svg>',
     "3: the SVG's style imports 'https://fonts.example/f.css' from outside it; put the styles in the SVG itself"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect width="5" height="5"\n'
     '      style="fill: url(https://tracker.example/p.svg#g)"/>\n</svg>',
     "3: the SVG refers to 'https://tracker.example/p.svg#g' outside itself; a published picture may refer only to "
     "its own parts ('#id'): embed what it needs, or remove the reference"),
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "3: the SVG declares an entity 'a'; remove the <!DOCTYPE …> declarations (a picture needs none)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>',
     "1: the SVG has no size: give its <svg> element a viewBox (e.g. viewBox=\"0 0 640 400\") or a width and height in pixels"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect>\n</svg>',
     "3: the SVG is not well-formed XML (mismatched tag, column 3); export it again"),
])
def test_an_svg_that_is_more_than_a_picture_is_a_problem_at_its_line(tiny: TinySite, svg: str, message: str):
    tiny.write("content/images/chart.svg", svg)
    post(tiny, "![A chart](../images/chart.svg)\n")
    assert problems(tiny) == [f"content/images/chart.svg:{message}"]


def test_two_pictures_that_would_publish_one_file_name_each_other(tiny: TinySite):
    tiny.write("content/images/room.png", marked(60, 30))
    tiny.write("content/images/room.webp", marked(60, 30, "WEBP"))
    post(tiny, "Text.\n")
    assert problems(tiny) == ["content/images/room.webp: this picture is published as /images/room.webp, "
                              "as is content/images/room.png; rename one of them"]


def test_every_picture_mistake_of_a_build_is_reported_together(tiny: TinySite):
    tiny.write("content/images/ok.png", marked(60, 30))
    tiny.write("content/images/bad.jpg", b"not a picture")
    post(tiny, "![](../images/ok.png)\n\n![Gone](../images/gone.png)\n")
    assert problems(tiny) == [
        "content/images/bad.jpg: the file is not a picture (or is damaged beyond reading); content/images/ holds "
        "pictures only: JPEG, PNG, WebP, GIF, HEIC or SVG",
        f"{POST}:5: the picture '../images/ok.png' has no description: write what it shows between the brackets, for "
        "readers who cannot see it (![A full room at the forum](../images/ok.png)); for a purely decorative picture "
        "write ![decorative](../images/ok.png)",
        f"{POST}:7: the picture '../images/gone.png' names content/images/gone.png, which does not exist "
        "(did you mean '../images/ok.png'?)",
    ]


@pytest.mark.parametrize("setting, message", [
    ("picture_widths = [480, 0]", "'picture_widths' must be a list of widths in pixels from 16 to 8000, e.g. "
                                  "picture_widths = [480, 960, 1600], found a list"),
    ("picture_quality = 101", "'picture_quality' must be from 1 to 100 (80 suits photos), found 101"),
])
def test_a_picture_setting_out_of_range_is_reported_at_its_line(tiny: TinySite, setting: str, message: str):
    text = (tiny.root / "pyproject.toml").read_text()
    tiny.write("pyproject.toml", text + setting + "\n")
    post(tiny, "Text.\n")
    assert problems(tiny) == [f"pyproject.toml:{text.count(chr(10)) + 1}: {message}"]


# --- decorative pictures, and pictures still to be described ----------------------------------

def test_a_decorative_picture_is_published_with_an_empty_alt_and_no_warning(tiny: TinySite):
    tiny.write("content/images/rule.png", marked(60, 30))
    post(tiny, "![decorative](../images/rule.png)\n")
    result = tiny.build()
    assert (result.code, result.err) == (0, "")
    assert 'alt="" height="30" role="presentation"' in (tiny.root / PAGE).read_text(encoding="utf-8")


def test_a_picture_still_to_be_described_builds_with_a_warning_at_its_line(tiny: TinySite):
    tiny.write("content/images/room.png", marked(60, 30))
    post(tiny, "Imported.\n\n![needs-description](../images/room.png)\n", "image: ../images/room.png\nimage_alt: needs-description")
    result = tiny.build()
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        f"{POST}:5: warning: the picture in 'image' has no description yet: write what it shows in place of 'needs-description'",
        f"{POST}:9: warning: the picture '../images/room.png' has no description yet: write what it shows in place of "
        "'needs-description' (or 'decorative' if it shows nothing that matters)"]
    assert 'alt="" height="30" role="presentation"' in (tiny.root / PAGE).read_text(encoding="utf-8")
    again = tiny.build()  # nothing changed: the warnings come from the cache, as loud as before
    assert again.err == result.err
    checked = tiny_check(tiny)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == result.err.splitlines()


def test_a_picture_on_another_site_never_publishes_a_marker_as_its_description(tiny: TinySite):
    post(tiny, "![needs-description](https://example.org/room.jpg) and ![decorative](https://example.org/rule.png)\n")
    result = tiny.build()
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        f"{POST}:5: warning: the picture 'https://example.org/room.jpg' has no description yet: write what it shows "
        "in place of 'needs-description' (or 'decorative' if it shows nothing that matters)"]
    page = (tiny.root / PAGE).read_text(encoding="utf-8")
    assert '<img alt="" src="https://example.org/room.jpg"' in page
    assert '<img alt="" src="https://example.org/rule.png"' in page
    assert "needs-description" not in page and 'alt="decorative"' not in page


def tiny_check(tiny: TinySite):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return run_build_py("--now", "2026-01-01", "check", "--no-html", "--root", tiny.root, cwd=tiny.root, env=env)


# --- the picture that represents a post -------------------------------------------------------

def test_the_image_in_front_matter_is_og_image_and_json_ld_and_shown_above_the_text(tiny: TinySite):
    tiny.write("content/images/2010/forum-room.jpg", photo(2000, 1500))
    post(tiny, "The text shows no picture.\n", "image: ../images/2010/forum-room.jpg\nimage_alt: A full room at the forum")
    page = built(tiny)
    assert ('<meta property="og:image" content="https://example.org/images/2010/forum-room.jpg">\n'
            '<meta property="og:image:width" content="1600">\n<meta property="og:image:height" content="1200">\n'
            '<meta property="og:image:alt" content="A full room at the forum">') in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["image"] == {"@type": "ImageObject", "url": "https://example.org/images/2010/forum-room.jpg",
                             "width": 1600, "height": 1200, "description": "A full room at the forum"}
    cover = re.search(r'<div class="cover">(.*?)</div>', page, re.S).group(1)
    assert 'alt="A full room at the forum"' in cover and 'loading="lazy"' not in cover


def test_without_an_image_field_the_first_picture_of_the_text_represents_the_post(tiny: TinySite):
    tiny.write("content/images/first.png", marked(800, 400))
    tiny.write("content/images/second.png", marked(900, 300))
    post(tiny, "![The first](../images/first.png)\n\n![The second](../images/second.png)\n")
    page = built(tiny)
    assert '<meta property="og:image" content="https://example.org/images/first.png">' in page
    assert '<meta property="og:image:alt" content="The first">' in page
    assert 'class="cover"' not in page  # the text shows it already


def test_an_image_without_image_alt_takes_the_description_the_text_gives_it(tiny: TinySite):
    tiny.write("content/images/room.png", marked(800, 400))
    post(tiny, "![The room, full](../images/room.png)\n", "image: ../images/room.png")
    page = built(tiny)
    assert '<meta property="og:image:alt" content="The room, full">' in page


def test_an_image_with_no_description_anywhere_is_a_problem_at_the_image_line(tiny: TinySite):
    tiny.write("content/images/room.png", marked(800, 400))
    post(tiny, "No picture in the text.\n", "image: ../images/room.png")
    assert problems(tiny) == [
        f"{POST}:4: the picture in 'image' needs a description: add 'image_alt: …' saying what it shows, for readers "
        "who cannot see it (or 'needs-description' to finish it later)"]


def test_the_home_page_shows_no_pictures(tiny: TinySite):
    tiny.write("content/images/room.jpg", photo(1200, 900))
    post(tiny, "![A room](../images/room.jpg)\n", "image: ../images/room.jpg\nimage_alt: A room")
    built(tiny)
    home = (tiny.out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in home and "<picture" not in home


def test_feeds_carry_a_plain_img_with_an_absolute_address(tiny: TinySite):
    tiny.write("content/images/room.jpg", photo(1200, 900))
    post(tiny, "![A room](../images/room.jpg)\n")
    built(tiny)
    feed = (tiny.out / "feed.xml").read_text(encoding="utf-8")
    assert ('&lt;p&gt;&lt;img alt="A room" height="900" src="https://example.org/images/room.jpg" width="1200"&gt;&lt;/p&gt;'
            in feed)
    assert "srcset" not in feed and "picture" not in feed


# --- the cache --------------------------------------------------------------------------------

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_a_changed_picture_re_renders_only_the_pages_that_show_it(tiny: TinySite):
    tiny.write("content/images/room.png", marked(800, 400))
    tiny.post("2010-05-01-forum", "title: The forum\ndate: 2010-05-01", "![A room](../images/room.png)\n")
    tiny.post("2010-05-02-other", "title: Other\ndate: 2010-05-02", "No picture.\n")
    first = build(tiny.root, tiny.out, NOW)
    assert first.rendered == first.pages
    assert build(tiny.root, tiny.out, NOW).rendered == 0
    tiny.write("content/images/room.png", marked(800, 600))  # taller: the page's markup changes
    again = build(tiny.root, tiny.out, NOW)
    assert again.rendered == 1
    assert 'height="600"' in (tiny.root / PAGE).read_text(encoding="utf-8")
    assert Image.open(tiny.out / "images/room.png").size == (800, 600)


def test_a_rebuild_reads_no_picture_and_a_renamed_one_is_not_processed_again(tiny: TinySite):
    tiny.write("content/images/room.jpg", photo(1200, 900))
    post(tiny, "![A room](../images/room.jpg)\n")
    built(tiny)
    entries = sorted((tiny.root / ".cache/pictures").rglob("*"))
    stamps = {p: p.stat().st_mtime_ns for p in entries if p.is_file()}
    (tiny.root / "content/images/room.jpg").rename(tiny.root / "content/images/hall.jpg")
    post(tiny, "![A room](../images/hall.jpg)\n")
    page = built(tiny)
    assert "/images/hall-480w.webp 480w" in page
    assert {p: p.stat().st_mtime_ns for p in entries if p.is_file()} == stamps  # the same key: taken from the store
    assert sorted((tiny.root / ".cache/pictures").rglob("*")) == entries

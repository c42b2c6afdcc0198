"""A cold build parses its content files on both cores (content._parse_files): the records and
problems are those of each file parsed on its own, in the order of the files."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from placepress import content
from placepress.content import decode_text, parse_page, parse_post, scan_content

ZONE = ZoneInfo("Europe/London")
POSTS = 430


def write_project(root: Path) -> None:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for number in range(POSTS):
        name = f"2010-{1 + number % 12:02d}-{1 + number % 28:02d}-post-{number:03d}.md"
        if number in (7, 250, 429):  # problems early, late and last: each half has its own
            text = f"---\ntitle: Post {number}\ndate: 2010-13-01\ncategories: [a]\n---\nBody {number}.\n"
        elif number == 300:
            text = "---\ntitle: [unclosed\n---\nBody.\n"
        else:
            text = (f"---\ntitle: Post {number}\ndate: 2010-{1 + number % 12:02d}-{1 + number % 28:02d} 09:30\n"
                    f"categories: [c{number % 5}]\ntags: [t{number % 7}, t{number % 3}]\n---\nBody of post {number}.\n")
        (posts / name).write_text(text, encoding="utf-8")
    (posts / "2010-05-05-not-utf-8.md").write_bytes(b"---\ntitle: Caf\xe9\ndate: 2010-05-05\n---\nx\n")
    pages = root / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("---\ntitle: About\n---\nWho we are.\n", encoding="utf-8")


def one_by_one(root: Path) -> tuple[list, list, list]:
    """What parsing each file by itself gives, in the order scan_content lists them."""
    posts, pages, problems = [], [], []
    for folder, parse, bucket in (("posts", parse_post, posts), ("pages", parse_page, pages)):
        for name in sorted(os.listdir(root / "content" / folder)):
            relative = f"content/{folder}/{name}"
            text, found = decode_text(relative, (root / relative).read_bytes())
            record = None
            if text is not None:
                record, found = parse(relative, text, ZONE)
            problems += found
            if record is not None:
                bucket.append(record)
    return posts, pages, problems


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the files are parsed in one process")
def test_many_files_parsed_on_both_cores_give_what_each_file_gives_alone(tmp_path):
    write_project(tmp_path)
    assert POSTS >= content.PARSE_PARALLEL_FROM  # else this would test the one-process path
    posts, pages, problems, index = scan_content(tmp_path, ZONE)
    expected_posts, expected_pages, expected_problems = one_by_one(tmp_path)
    assert posts == expected_posts and len(posts) == POSTS - 4
    assert pages == expected_pages
    assert problems == expected_problems
    # The problems come from both halves of the files, in the files' order.
    sources = [problem.path for problem in problems]
    assert sources == sorted(sources) and any("post-007" in s for s in sources) and any("post-429" in s for s in sources)
    assert any("not-utf-8" in s for s in sources)
    # Every file is in the index, the broken ones too, each with its record or none.
    assert len(index) == POSTS + 2
    assert [p.record for p in index.values() if p.record is not None] == [*expected_posts, *expected_pages]


def test_a_second_scan_reuses_what_the_first_parsed_and_parses_only_what_changed(tmp_path):
    write_project(tmp_path)
    _, _, _, first = scan_content(tmp_path, ZONE)
    edited = "content/posts/2010-02-02-post-001.md"
    path = tmp_path / edited
    path.write_text(path.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    posts, _, _, second = scan_content(tmp_path, ZONE, first)
    assert all(second[s] is first[s] for s in first if s != edited)
    assert second[edited] is not first[edited] and second[edited].record.body.endswith("More.\n")
    assert posts == one_by_one(tmp_path)[0]

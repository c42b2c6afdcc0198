"""Editors' leftovers are never content, and file names must work in a web address (contracts.md)."""

from __future__ import annotations

import os

import pytest

from test_check import tiny_png
from placepress.files import check_file_names, is_leftover, name_that_works
from placepress.watch import snapshot_sources

# What Emacs, Vim, nano, gedit, patch and merge tools leave beside the files they edit.
LEFTOVERS = [".#2010-04-24-post.md", "#2010-04-24-post.md#", "2010-04-24-post.md~", ".2010-04-24-post.md.swp",
             ".2010-04-24-post.md.swo", "2010-04-24-post.md.bak", "2010-04-24-post.md.tmp", "2010-04-24-post.md.orig",
             "2010-04-24-post.md.rej", ".DS_Store", ".hidden.md"]


@pytest.mark.parametrize("name", LEFTOVERS)
def test_an_editors_leftover_is_not_content(name):
    assert is_leftover(name)


@pytest.mark.parametrize("name", ["2010-04-24-post.md", "briefing.pdf", "post.html", "a#b.md", "notes~draft.md"])
def test_an_ordinary_name_is_content(name):
    assert not is_leftover(name)


def build(tiny):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return tiny.build(env=env)


def leave_leftovers(tiny, folder: str, name: str) -> None:
    for leftover in LEFTOVERS:
        leftover = leftover.replace("2010-04-24-post.md", name)
        if leftover.startswith(".#"):  # Emacs's lock is a dangling symbolic link
            os.symlink("jane@laptop.1234:1700000000", tiny.root / folder / leftover)
        else:
            tiny.write(f"{folder}/{leftover}", "--- not: [valid\n{% broken")


def test_the_usual_leftovers_beside_posts_documents_templates_and_static_files_change_nothing(tiny):
    tiny.post("2010-04-24-post", "title: A post\ndate: 2010-04-24", "See [the paper](../documents/paper.pdf).\n")
    tiny.write("content/documents/paper.pdf", b"%PDF-1.4\n")
    first = build(tiny)
    assert first.code == 0, first.err
    before = {p.relative_to(tiny.out).as_posix(): p.read_bytes() for p in tiny.out.rglob("*") if p.is_file()}
    watched = snapshot_sources(tiny.root)
    leave_leftovers(tiny, "content/posts", "2010-04-24-post.md")
    leave_leftovers(tiny, "content/documents", "paper.pdf")
    leave_leftovers(tiny, "templates", "post.html")
    leave_leftovers(tiny, "static/css", "site.css")
    second = build(tiny)
    assert (second.code, second.err) == (0, "")
    assert "(0 changed, 0 removed)" in second.out  # the cache saw nothing new either
    assert {p.relative_to(tiny.out).as_posix(): p.read_bytes() for p in tiny.out.rglob("*") if p.is_file()} == before
    assert snapshot_sources(tiny.root) == watched  # nor does serve rebuild for them


@pytest.mark.parametrize("name, expected", [
    ("CN4M Briefing.pdf", "CN4M-Briefing.pdf"), ("café.jpg", "cafe.jpg"), ("50% cut?.pdf", "50-cut.pdf"),
    ("#1 report.pdf", "1-report.pdf"), ("naïve  plan .pdf", "naive-plan.pdf")])
def test_a_name_that_works_keeps_case_and_drops_what_an_address_cannot_carry(name, expected):
    assert name_that_works(name) == expected


@pytest.mark.parametrize("path, message", [
    ("content/documents/CN4M Briefing.pdf",
     "the file name 'CN4M Briefing.pdf' will not work in a web address (it has a space); rename it content/documents/CN4M-Briefing.pdf"),
    ("content/documents/café.pdf",
     "the file name 'café.pdf' will not work in a web address (it has the character 'é'); rename it content/documents/cafe.pdf"),
    ("content/documents/2010 papers/a.pdf",
     "the folder name '2010 papers' will not work in a web address (it has a space); rename it content/documents/2010-papers/a.pdf"),
    ("content/documents/%.pdf",
     "the file name '%.pdf' will not work in a web address (it has the character '%'); rename it with letters a-z, digits, '-', '_' and '.'"),
])
def test_a_name_that_will_not_work_in_an_address_is_a_problem_at_its_path_with_the_name_to_use(path, message):
    assert [str(p) for p in check_file_names([path], "content/documents/")] == [f"{path}: {message}"]


def test_a_document_named_with_a_space_fails_the_build_and_names_the_file_to_use(tiny):
    tiny.post("2010-04-24-post", "title: A post\ndate: 2010-04-24")
    tiny.write("content/documents/CN4M Briefing.pdf", b"%PDF-1.4\n")
    tiny.write("content/images/2010/04/Forum Room.png", tiny_png())
    result = build(tiny)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/documents/CN4M Briefing.pdf: the file name 'CN4M Briefing.pdf' will not work in a web address "
        "(it has a space); rename it content/documents/CN4M-Briefing.pdf",
        "content/images/2010/04/Forum Room.png: the file name 'Forum Room.png' will not work in a web address "
        "(it has a space); rename it content/images/2010/04/Forum-Room.png",
        "Found 2 problems in 2 files; site not written."]

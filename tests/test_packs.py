"""Rendered bodies in pack files under .cache/markdown/ (packs.py): many bodies to a file,
found again by the cache's record, and the folder kept to what the record names."""

from __future__ import annotations

import os
import time
from pathlib import Path

from placepress.markup import Body
from placepress.packs import Packs, decode, encode
from placepress.pipeline import build
from test_incremental import NOW, Project, assert_same_as_clean, project  # noqa: F401 (project is a fixture)

BODY = Body("<p>Hello <a href=\"/b/\">b</a></p>", "Hello b", (("content/posts/b.md", "/b/"),), (), (), ((3, "a note"),),
            (("b.md", "content/posts/b.md"),))


def markdown_folder(project: Project) -> Path:
    return project.root / ".cache" / "markdown"


def packs_of(project: Project) -> dict[str, int]:
    """Each file of the markdown folder with its size (every one of them a pack)."""
    folder = markdown_folder(project)
    return {path.name: path.stat().st_size for path in folder.iterdir()} if folder.is_dir() else {}


def add_posts(project: Project, count: int, links: dict[int, int] | None = None) -> None:
    """`count` short posts, corpus-0000 the newest; `links`: post → the post it links to."""
    for n in range(count):
        link = f"\n\nSee [another post](corpus-{links[n]:04d}.md)." if links and n in links else ""
        project.extra[f"content/posts/corpus-{n:04d}.md"] = (
            f"---\ntitle: Post {n}\ndate: 2009-{12 - n % 12:02d}-{28 - n % 28:02d} {n % 24:02d}:00\ncategories: [Housing]\n---\n\n"
            + f"Post number {n} says something about the ward. " * 20 + f"{link}\n")
    project.sync()


def test_an_entry_reads_back_as_the_body_it_was_and_a_damaged_one_as_nothing() -> None:
    data = encode(BODY)
    assert decode(data) == BODY
    assert decode(data[:-1] + b"!") is None
    assert decode(data[:10]) is None


def test_a_pack_gives_back_each_entry_by_its_place_and_nothing_once_it_is_gone_or_short(tmp_path: Path) -> None:
    packs = Packs(str(tmp_path / "markdown"))  # made with the first pack
    other = Body("<p>Other</p>", "Other")
    where = packs.write([("a", encode(BODY)), ("b", encode(other))])
    assert [decode(packs.read(where[key])) for key in ("a", "b")] == [BODY, other]
    name, offset, length = where["b"]
    assert packs.read((name, offset, length + 1)) is None  # past its end
    assert Packs(str(tmp_path / "markdown")).read(("no-such.pack", 0, 10)) is None
    assert packs.write([]) == {}
    assert sorted(os.listdir(tmp_path / "markdown")) == [name]  # one file for both, no temporary left


def test_tidying_removes_what_is_not_named_but_keeps_what_another_build_wrote_since(tmp_path: Path) -> None:
    folder = tmp_path / "markdown"
    packs = Packs(str(folder))
    kept = packs.write([("a", encode(BODY))])
    unnamed = packs.write([("b", encode(BODY))])
    old_entry = folder / "ab" / ("ab" + "0" * 62)  # one entry a file, as the cache was once kept
    old_entry.parent.mkdir()
    old_entry.write_bytes(b"old")
    since = time.time_ns()
    newer = Packs(str(folder)).write([("c", encode(BODY))])  # another build's, not yet in any record
    for path in (folder / unnamed["b"][0], old_entry, old_entry.parent, folder / kept["a"][0]):
        os.utime(path, ns=(since - 10**9, since - 10**9))
    assert packs.tidy({"a": kept["a"]}, since) == (None, [])  # all its bytes are named: nothing to copy
    assert sorted(os.listdir(folder)) == sorted([kept["a"][0], newer["c"][0]])


def test_packs_mostly_unnamed_are_copied_into_one_and_the_copies_read_back(tmp_path: Path) -> None:
    packs = Packs(str(tmp_path / "markdown"))
    first = packs.write([(key, encode(BODY)) for key in "abcd"])
    second = packs.write([("e", encode(BODY))])
    named = {"a": first["a"], "e": second["e"]}  # two of five entries: the packs hold 2.5 times their bytes
    moved, old = packs.tidy(named, time.time_ns())
    assert set(moved) == {"a", "e"} and sorted(old) == sorted([first["a"][0], second["e"][0]])
    assert len({name for name, _, _ in moved.values()}) == 1
    packs.remove(old)
    assert [decode(packs.read(moved[key])) for key in ("a", "e")] == [BODY, BODY]
    assert os.listdir(tmp_path / "markdown") == [moved["a"][0]]


def test_a_cold_build_writes_its_bodies_into_a_few_packs_not_a_file_each(project: Project) -> None:
    add_posts(project, 70)
    build(project.root, project.out, NOW)
    packs = packs_of(project)
    assert packs and all(name.endswith(".pack") for name in packs)
    assert len(packs) <= 33, sorted(packs)  # a pack for each of the workers' shares (26 for these 77 bodies: workers.shares)
    assert_same_as_clean(project.root, project.out)


def test_a_body_rendered_again_by_a_page_worker_is_recorded_so_the_next_build_reads_it(project: Project, monkeypatch) -> None:
    import placepress.render as render

    # Post 20 links to post 19; post 19's address changes. Post 20's Markdown is the same, so
    # its cached body is used until its page, rendered by a worker, finds the link's URL
    # changed and renders it again.
    monkeypatch.setattr(render, "PARALLEL_FROM", 10)  # pages on both cores from 10, not 200
    add_posts(project, 40, links={20: 19})
    build(project.root, project.out, NOW)
    project.extra["content/posts/corpus-0019.md"] = project.extra["content/posts/corpus-0019.md"].replace(
        "categories:", "slug: moved-post\ncategories:")
    project.sync()
    build(project.root, project.out, NOW)
    page = next(path for path in project.out.rglob("index.html") if path.parent.name == "corpus-0020")
    assert "/moved-post/" in page.read_text(encoding="utf-8")
    before = set(packs_of(project))
    project.knobs.base_template += 1  # every page rendered again, and every body it shows read
    project.sync()
    build(project.root, project.out, NOW)
    assert set(packs_of(project)) <= before  # no body rendered, so no pack written
    assert_same_as_clean(project.root, project.out)


def test_removing_most_posts_leaves_one_pack_of_the_bodies_still_there(project: Project) -> None:
    add_posts(project, 40)  # fewer than the Markdown workers start for: one pack
    build(project.root, project.out, NOW)
    before = packs_of(project)
    assert len(before) == 1
    for n in range(30):
        del project.extra[f"content/posts/corpus-{n:04d}.md"]
    project.sync()
    build(project.root, project.out, NOW)
    after = packs_of(project)
    assert len(after) == 1 and set(after) != set(before)
    assert sum(after.values()) < sum(before.values()) / 2
    assert_same_as_clean(project.root, project.out)
    project.knobs.base_template += 1
    project.sync()
    build(project.root, project.out, NOW)
    assert packs_of(project) == after  # the copies are where the record says: none rendered again
    assert_same_as_clean(project.root, project.out)


def open_in(folder: Path) -> list[str]:
    """The files of `folder` this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed since the listing
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def test_a_build_that_read_bodies_from_their_packs_leaves_none_of_them_open(project: Project) -> None:
    add_posts(project, 40)
    build(project.root, project.out, NOW)
    project.knobs.base_template += 1  # every page rendered again, its bodies read from the packs
    project.sync()
    report = build(project.root, project.out, NOW)
    assert report.rendered == report.pages
    assert open_in(markdown_folder(project)) == []  # a long-lived process (serve) builds again and again

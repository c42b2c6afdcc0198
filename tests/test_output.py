"""End-to-end: what a build writes, and how the command line behaves.

Every build here writes into tmp_path with --out; none touches the repository's site/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import MINIMAL_PYPROJECT, PROJECT, Result, TinySite, run_build_py

SUMMARY = re.compile(r"^Built (\d+) pages and (\d+) other files \((\d+) changed, (\d+) removed\) in \d+(\.\d+)? s$")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """`python build.py ARGS` in a child process, with SOURCE_DATE_EPOCH only when given in env."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GITHUB_ACTIONS")}
    environ.update(env or {})
    done = run_build_py(*args, env=environ, cwd=cwd)
    return Result(done.returncode, done.stdout, done.stderr)


def build(root: Path, out: Path, now: str | None = "2026-01-01", env: dict[str, str] | None = None) -> Result:
    args = ["build", "--root", str(root), "--out", str(out)] + (["--now", now] if now else [])
    return run(root, *args, env=env)


def built(root: Path, out: Path, **options) -> Result:
    """A build that must succeed."""
    result = build(root, out, **options)
    assert result.code == 0, result.err
    return result


def summary(result: Result) -> tuple[int, int, int, int]:
    """(pages, other files, changed, removed) from the build's last line."""
    match = SUMMARY.match(result.out.strip().splitlines()[-1])
    assert match, result.out
    return tuple(int(n) for n in match.groups()[:4])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's (inode, mtime_ns): what changes when a file is written again."""
    stats = {p.relative_to(folder).as_posix(): p.stat() for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: (s.st_ino, s.st_mtime_ns) for name, s in stats.items()}


def write_content(site: TinySite) -> None:
    """Two posts, in two categories and a tag, linking to a page and to each other."""
    site.post("2010-04-23-first", """
title: First post
date: 2010-04-23
categories: [Reports & Briefings, news]
tags: [total place]
""", "The first post links to [who we are](../pages/about.md#who-we-are).[^1]\n\n[^1]: A footnote.\n")
    site.post("2010-05-01-second", """
title: Second post
date: 2010-05-01 18:30
summary: The second one.
categories: news
""", "See the [first post](2010-04-23-first.md).\n")
    site.write("content/pages/about.md", "---\ntitle: About\nnav: 1\n---\nA tiny site.\n\n## Who we are\n\n"
                                         "People. Read [the first post](../posts/2010-04-23-first.md).\n")


@pytest.fixture
def site(tiny: TinySite) -> TinySite:
    write_content(tiny)
    return tiny


class UrlCollector(HTMLParser):
    """Every href and src of an HTML document or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]


def urls_in_html(text: str) -> list[str]:
    collector = UrlCollector()
    collector.feed(text)
    collector.close()
    return collector.urls


# --- reproducible builds ----------------------------------------------------------------

@pytest.mark.parametrize("how", ["now option", "SOURCE_DATE_EPOCH"])
def test_two_builds_of_the_real_project_into_two_folders_are_byte_identical(tmp_path: Path, how: str) -> None:
    if how == "now option":
        now, env = "2026-01-01", {}
    else:
        now, env = None, {"SOURCE_DATE_EPOCH": str(int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()))}
    # Two interpreters that order sets and dictionaries' hashes differently.
    built(PROJECT, tmp_path / "a" / "site", now=now, env={**env, "PYTHONHASHSEED": "1"})
    built(PROJECT, tmp_path / "b" / "site", now=now, env={**env, "PYTHONHASHSEED": "2"})
    first, second = tree(tmp_path / "a" / "site"), tree(tmp_path / "b" / "site")
    assert first, "the build wrote nothing"
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_source_date_epoch_sets_the_build_date_exactly_as_now_does(site: TinySite, tmp_path: Path) -> None:
    site.post("2010-06-01-scheduled", "title: Not yet\ndate: 2010-06-01")
    may_day = datetime(2010, 5, 1, tzinfo=timezone.utc)
    built(site.root, tmp_path / "epoch", now=None, env={"SOURCE_DATE_EPOCH": str(int(may_day.timestamp()))})
    built(site.root, tmp_path / "now", now="2010-05-01T00:00Z")
    assert tree(tmp_path / "epoch") == tree(tmp_path / "now")
    assert (tmp_path / "epoch" / "2010/04/23/first/index.html").is_file()
    assert not (tmp_path / "epoch" / "2010/06").exists(), "a post dated after SOURCE_DATE_EPOCH was published"


def test_a_site_with_no_posts_gives_the_same_bytes_whatever_the_build_date(tiny: TinySite, tmp_path: Path) -> None:
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nA site with pages but no posts yet.\n")
    built(tiny.root, tmp_path / "this-year", now="2026-01-01")
    built(tiny.root, tmp_path / "next-year", now="2027-01-01")
    first, second = tree(tmp_path / "this-year"), tree(tmp_path / "next-year")
    assert [name for name in first if first[name] != second.get(name)] == []


# --- incremental output -----------------------------------------------------------------

def test_building_again_with_no_change_rewrites_no_file(site: TinySite) -> None:
    out = site.root / "out"
    built(site.root, out)
    before = identities(out)
    again = built(site.root, out)
    assert identities(out) == before
    assert "(0 changed, 0 removed)" in again.out
    assert summary(again)[2:] == (0, 0)


def test_editing_one_post_rewrites_exactly_the_files_whose_bytes_change(site: TinySite) -> None:
    out = site.root / "out"
    built(site.root, out)
    old_bytes, old_ids = tree(out), identities(out)
    source = site.root / "content/posts/2010-04-23-first.md"
    source.write_text(source.read_text(encoding="utf-8").replace("The first post links", "The first post, now edited, links"), encoding="utf-8")
    result = built(site.root, out)
    new_bytes, new_ids = tree(out), identities(out)
    # The search index names its files after their content: the edited post's fragment and the
    # index files that list it are new files, and the old ones are removed.
    added, gone = set(new_bytes) - set(old_bytes), set(old_bytes) - set(new_bytes)
    assert added and all(name.startswith("pagefind/") for name in added | gone)
    changed = {name for name in new_bytes if new_bytes[name] != old_bytes.get(name)}
    rewritten = {name for name in new_ids if new_ids[name] != old_ids.get(name)}
    assert rewritten == changed
    assert {"2010/04/23/first/index.html", "index.html", "feed.xml", "category/news/index.html",
            "category/news/feed.xml", "tag/total-place/index.html", "pagefind/pagefind-entry.json"} <= changed
    assert "about/index.html" not in rewritten
    assert "2010/05/01/second/index.html" not in rewritten
    assert summary(result)[2:] == (len(changed), len(gone))


def test_removing_a_post_removes_its_page_and_reports_what_was_removed(site: TinySite) -> None:
    out = site.root / "out"
    built(site.root, out)
    before = set(tree(out))
    (site.root / "content/posts/2010-05-01-second.md").unlink()
    result = built(site.root, out)
    after = set(tree(out))
    assert not (out / "2010/05/01/second").exists()
    assert "2010/05/01/second/index.html" in before - after
    assert all(name.startswith("pagefind/") for name in after - before), "only the search index may gain files"
    assert summary(result)[3] == len(before - after)
    assert b"/2010/05/01/second/" not in (out / "feed.xml").read_bytes() + (out / "sitemap.xml").read_bytes()


def test_a_build_with_a_problem_leaves_the_previous_site_exactly_as_it_was(site: TinySite) -> None:
    out = site.root / "out"
    built(site.root, out)
    old_bytes, old_ids = tree(out), identities(out)
    site.post("2010-06-01-untitled", "date: 2010-06-01")
    result = build(site.root, out)
    assert result.code == 1
    assert "content/posts/2010-06-01-untitled.md:" in result.err
    assert tree(out) == old_bytes
    assert identities(out) == old_ids


# --- a site under a sub-folder ----------------------------------------------------------

@pytest.mark.parametrize("url", ["https://example.org/blog/", "https://example.org/blog"])
def test_a_base_url_with_a_path_puts_every_link_and_absolute_url_under_that_path(site: TinySite, url: str) -> None:
    site.write("pyproject.toml", MINIMAL_PYPROJECT.replace('url = "https://example.org/"', f'url = "{url}"'))
    out = site.root / "out"
    built(site.root, out)
    prefix = "https://example.org/blog/"
    bad: list[str] = []
    for page in sorted(out.rglob("*.html")):
        name = page.relative_to(out).as_posix()
        for value in urls_in_html(page.read_text(encoding="utf-8")):
            if value.startswith("#"):
                continue  # a place on the same page
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                if not value.startswith(prefix):
                    bad.append(f"{name}: {value}")
            elif not value.startswith("/blog/"):
                bad.append(f"{name}: {value}")
            else:
                path = parts.path.removeprefix("/blog/")
                if not (out / (path + "index.html" if path == "" or path.endswith("/") else path)).is_file():
                    bad.append(f"{name}: {value} (no such file)")
    for feed in [out / "feed.xml", *sorted(out.glob("category/*/feed.xml"))]:
        root = ET.fromstring(feed.read_bytes())
        absolute = [e.get("href") for e in root.iter(f"{ATOM}link")] + [e.get("scheme") for e in root.iter(f"{ATOM}category")]
        absolute += [e.text for e in root.iter(f"{ATOM}id") if not e.text.startswith("tag:")]
        for content in root.iter(f"{ATOM}content"):
            absolute += [value for value in urls_in_html(content.text) if not value.startswith("#")]
        bad += [f"{feed.name}: {value}" for value in absolute if not value.startswith(prefix)]
    locs = [e.text for e in ET.fromstring((out / "sitemap.xml").read_bytes()).iter(f"{SITEMAP}loc")]
    assert locs
    bad += [f"sitemap.xml: {loc}" for loc in locs if not loc.startswith(prefix)]
    assert f"Sitemap: {prefix}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert bad == []


def test_links_inside_feed_content_resolve_to_the_post_not_to_the_feed(site: TinySite) -> None:
    out = site.root / "out"
    built(site.root, out)
    feed_url = "https://example.org/feed.xml"
    root = ET.fromstring((out / "feed.xml").read_bytes())
    footnoted = 0
    for entry in root.iter(f"{ATOM}entry"):
        post = entry.find(f"{ATOM}link").get("href")
        content = entry.find(f"{ATOM}content")
        # xml:base on the entry or its content is how Atom (RFC 4287 §2) sets the base of relative links.
        base = content.get("{http://www.w3.org/XML/1998/namespace}base") or entry.get("{http://www.w3.org/XML/1998/namespace}base") or feed_url
        for value in urls_in_html(content.text):
            if "#fn" in value:
                footnoted += 1
                assert urljoin(base, value).startswith(post + "#"), value
    assert footnoted, "the tiny site's first post has a footnote, so its feed entry has '#fn' links"


def test_a_category_named_on_two_lines_is_filed_once_on_the_page_and_in_each_feed(tiny: TinySite) -> None:
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23\ncategories:\n  - Housing\n  - Housing",
              "Tenants met.\n")
    assert tiny.build().code == 0
    for feed in ("feed.xml", "category/housing/feed.xml"):
        entry = ET.fromstring((tiny.out / feed).read_bytes()).find(f"{ATOM}entry")
        assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["housing"], feed
    page = (tiny.out / "2010/04/23/hello/index.html").read_text(encoding="utf-8")
    assert page.count('href="/category/housing/" rel="tag"') == 1


# --- the command line -------------------------------------------------------------------

@pytest.mark.parametrize("marker", ["pyproject.toml", ".git", "content"])
def test_out_refuses_with_exit_2_a_folder_that_holds_a_project(site: TinySite, tmp_path: Path, marker: str) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    if marker == "pyproject.toml":
        (folder / marker).write_text("[project]\nname = 'precious'\n", encoding="utf-8")
    else:
        (folder / marker).mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    before = tree(folder)
    result = build(site.root, folder)
    assert result.code == 2
    assert "PlacePress did not build" in result.err
    assert tree(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([marker, "notes.txt"])


def project_copy(folder: Path) -> Path:
    """The real project's input (not its engine) copied into `folder`."""
    for name in ("content", "data", "templates", "static"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, folder / name)
    shutil.copy2(PROJECT / "pyproject.toml", folder / "pyproject.toml")
    return folder


@pytest.mark.parametrize("where", ["the folder that holds the project", "the project's content folder", "the home folder"])
def test_out_refuses_with_exit_2_a_folder_whose_files_are_not_a_built_site(tmp_path: Path, where: str) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / ".bashrc").write_text("# mine\n", encoding="utf-8")
    (home / "Documents" / "minutes.txt").write_text("Forum minutes, 18 May 2010\n", encoding="utf-8")
    if where == "the folder that holds the project":
        root = project_copy(tmp_path / "work" / "project")
        out = tmp_path / "work"
    else:
        root = project_copy(tmp_path / "project")
        out = root / "content" if where == "the project's content folder" else home
    kept = out if out.exists() else home
    before = tree(kept)
    result = build(root, out, env={"HOME": str(home)})
    assert result.code == 2, result.out
    assert tree(kept) == before


@pytest.mark.parametrize("command", [[], ["build"]], ids=["build.py --help", "build.py build --help"])
def test_help_exits_0_and_explains_now_and_out(tmp_path: Path, command: list[str]) -> None:
    result = run(tmp_path, *command, "--help")
    assert result.code == 0, result.err
    assert "--now" in result.out
    assert "--out" in result.out
    assert result.out.startswith("usage: build.py")


@pytest.mark.parametrize("command", [[], ["build"]], ids=["build.py", "build.py build"])
def test_an_unknown_option_exits_2_and_names_it(tmp_path: Path, command: list[str]) -> None:
    result = run(tmp_path, *command, "--frobnicate", "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert "--frobnicate" in result.err
    assert not (tmp_path / "out").exists()


def test_the_summary_line_counts_pages_other_files_changes_and_removals(site: TinySite) -> None:
    out = site.root / "out"
    result = built(site.root, out)
    assert len(result.out.strip().splitlines()) == 1
    pages, others, changed, removed = summary(result)
    files = tree(out)
    html = [name for name in files if name.endswith(".html")]
    assert pages == len(html) > 0
    assert others == len(files) - len(html) > 0
    assert (changed, removed) == (len(files), 0)


# --- How build.py ends its process (cli.leave) ------------------------------------------------------

LEAVE = """
import sys, threading, time
from pathlib import Path
from placepress.cli import leave
print("written before leaving", end="")  # to a pipe: held in Python's buffer until flushed
if sys.argv[1] == "thread":
    def late():
        time.sleep(0.3)
        Path(sys.argv[2]).write_text("the thread finished")
    threading.Thread(target=late).start()
leave(int(sys.argv[3]))
"""


def run_leave(*args: str) -> subprocess.CompletedProcess:
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's Python writes to a pipe
    return subprocess.run([sys.executable, "-c", LEAVE, *args], capture_output=True, text=True, cwd=PROJECT, env=buffered)


def test_leaving_at_once_still_gives_the_status_and_every_line_written(tmp_path: Path) -> None:
    done = run_leave("alone", str(tmp_path / "x"), "3")
    assert (done.returncode, done.stdout) == (3, "written before leaving")


def test_a_thread_still_running_is_waited_for_as_the_interpreter_waits(tmp_path: Path) -> None:
    done = run_leave("thread", str(tmp_path / "x"), "4")
    assert (done.returncode, done.stdout) == (4, "written before leaving")
    assert (tmp_path / "x").read_text() == "the thread finished"

"""`build.py build` with nothing to do stops before importing the engine (placepress/stamp.py),
and any change a build would act on makes it build.

Whether the engine ran is read from `python -X importtime`, which lists every module imported.
Files are dated a few seconds back before the build whose stamp is tested ("time passes"): a
file whose time is within a tick of the clock before it was listed is not trusted, in case it
changed twice within that tick (two seconds for times kept to the second, 50 ms otherwise).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, TinySite
from pictures import marked

NOW = "2026-01-01"


def run(tiny: TinySite, *args: str, now: str = NOW, env: dict[str, str] | None = None) -> tuple[bool, subprocess.CompletedProcess]:
    """Build; whether the engine (placepress.pipeline) was imported, and what the build printed."""
    command = [sys.executable, "-X", "importtime", str(PROJECT / "build.py"), "build", "--root", str(tiny.root), "--now", now, *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tiny.root,
                          env={**{k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_BASE_REF")}, **(env or {})})
    assert done.returncode == 0, done.stderr
    engine = "placepress.pipeline" in done.stderr
    done.stderr = "".join(line for line in done.stderr.splitlines(True) if not line.startswith("import time:"))
    return engine, done


def let_time_pass(*folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and ".cache" not in path.relative_to(folder).parts:
                info = path.stat()
                os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 5_000_000_000))


@pytest.fixture
def settled(tiny: TinySite) -> TinySite:
    """A tiny site built, its files dated back, built again (the stamp then out of the racy window)."""
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "Text.\n")
    tiny.post("2026-06-01-later", "title: Later\ndate: 2026-06-01", "Due in June.\n")
    tiny.write("content/images/room.png", marked(60, 30))
    run(tiny)
    let_time_pass(tiny.root)
    assert run(tiny)[0]
    return tiny


def test_a_build_with_nothing_to_do_does_not_import_the_engine_and_says_what_the_last_one_built(settled: TinySite):
    (settled.out / "index.html").write_text((settled.out / "index.html").read_text() + " ")  # the engine puts it right
    engine, full = run(settled)
    assert engine and "(1 changed, 0 removed)" in full.stdout
    let_time_pass(settled.root)
    run(settled)
    engine, done = run(settled)
    assert not engine
    assert done.stdout.split(" (")[0] == full.stdout.split(" (")[0]  # "Built 6 pages and 11 other files"
    assert "(0 changed, 0 removed)" in done.stdout


def test_an_editors_leftover_beside_a_post_is_not_a_change(settled: TinySite):
    settled.write("content/posts/.#2010-04-23-total-place.md", "lock")
    settled.write("content/posts/2010-04-23-total-place.md~", "backup")
    assert not run(settled)[0]


@pytest.mark.parametrize("change", [
    "a post edited", "a post added", "a post removed", "a template edited", "a static file edited", "settings edited",
    "the registry edited", "a picture added", "a site file changed by hand", "a site file removed", "a file added to the site",
    "a file added to a folder of the site", "a folder added to the site", "a site file replaced by a folder",
])
def test_a_change_makes_the_build_run(settled: TinySite, change: str):
    root, out = settled.root, settled.out
    post = root / "content/posts/2010-04-23-total-place.md"
    actions = {
        "a post edited": lambda: post.write_text(post.read_text() + "More.\n"),
        "a post added": lambda: settled.post("2010-04-24-another", "title: Another\ndate: 2010-04-24"),
        "a post removed": post.unlink,
        "a template edited": lambda: (root / "templates/post.html").write_text((root / "templates/post.html").read_text() + "\n"),
        "a static file edited": lambda: (root / "static/css/site.css").write_text((root / "static/css/site.css").read_text() + "\n"),
        "settings edited": lambda: (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace("Tiny site", "Tiny")),
        "the registry edited": lambda: settled.write("data/redirects.yaml", "redirects:\n  - from: /old/\n    to: /\n"),
        "a picture added": lambda: settled.write("content/images/hall.png", marked(40, 40)),
        "a site file changed by hand": lambda: (out / "index.html").write_text((out / "index.html").read_text() + " "),
        "a site file removed": (out / "feed.xml").unlink,
        "a file added to the site": lambda: (out / "stray.html").write_text("<p>not ours</p>"),
        "a file added to a folder of the site": lambda: (out / "2010/04/23/total-place/stray.html").write_text("<p>x</p>"),
        "a folder added to the site": lambda: (out / "2010/04/23/total-place/stray").mkdir(),
        "a site file replaced by a folder": lambda: ((out / "feed.xml").unlink(), (out / "feed.xml").mkdir()),
    }
    actions[change]()
    assert run(settled)[0]


def test_a_build_on_a_later_day_that_a_post_falls_due_runs_and_publishes_it(settled: TinySite):
    assert not run(settled, now="2026-05-31")[0]  # nothing falls due between NOW and then
    assert run(settled, now="2026-06-01")[0]
    assert (settled.out / "2026/06/01/later/index.html").is_file()


def test_right_after_a_build_a_rebuild_with_nothing_to_do_stops_at_once(tiny: TinySite):
    """The site's files and folders, written just before the stamp, do not make the next build run."""
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "Text.\n")
    time.sleep(0.1)  # the post written more than a tick before the build lists it
    run(tiny)

    time.sleep(0.1)  # a tick of the clock that stamps files, and more
    assert not run(tiny)[0]


def test_a_file_dated_to_the_whole_second_is_trusted_once_listed_two_seconds_after_its_time(settled: TinySite):
    post = settled.root / "content/posts/2010-04-23-total-place.md"

    whole = (time.time_ns() // 1_000_000_000) * 1_000_000_000  # as a file system keeping seconds dates it
    os.utime(post, ns=(whole, whole))
    assert run(settled)[0]  # changed: built, and listed within two seconds of its time
    assert run(settled)[0]  # listed within two seconds of its time again: it may have changed since
    time.sleep(max(0.0, (whole + 2_100_000_000 - time.time_ns()) / 1e9))
    assert run(settled)[0]  # the stamp is from a listing still within those two seconds
    assert not run(settled)[0]


def test_a_damaged_stamp_is_not_trusted(settled: TinySite):
    [stamp] = (settled.root / ".cache/stamps").iterdir()
    data = bytearray(stamp.read_bytes())
    data[-10] ^= 0xFF
    stamp.write_bytes(bytes(data))
    assert run(settled)[0]


def test_a_pull_request_build_or_a_preview_against_a_comment_server_always_runs(settled: TinySite):
    assert run(settled, env={"GITHUB_BASE_REF": "main"})[0]
    let_time_pass(settled.root)
    assert run(settled, "--comments-url", "http://127.0.0.1:8080/")[0]


def test_warnings_are_printed_again_when_there_is_nothing_to_do(tiny: TinySite):
    tiny.write("content/images/room.png", marked(60, 30))
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "![needs-description](../images/room.png)\n")
    _, first = run(tiny)
    let_time_pass(tiny.root)
    run(tiny)
    engine, again = run(tiny)
    assert not engine
    assert again.stderr == first.stderr != ""
    assert "warning: the picture '../images/room.png' has no description yet" in again.stderr


def test_a_file_added_to_an_empty_folder_of_the_site_makes_the_build_run_and_goes(settled: TinySite):
    (settled.out / "empty").mkdir()
    assert run(settled)[0]  # a folder the site did not have
    let_time_pass(settled.root)
    run(settled)
    assert not run(settled)[0]  # the folder is now part of what the stamp checks
    (settled.out / "empty/stray.html").write_text("<p>not ours</p>")
    assert run(settled)[0]
    assert not (settled.out / "empty/stray.html").exists()


def test_a_name_added_in_the_same_tick_as_a_folder_was_last_written_is_seen(tmp_path: Path):
    """A folder's time cannot show a second change within the tick of the first: for a folder
    written just before the listing, the stamp keeps its names, and checks them."""
    from placepress.cache import read_cache
    from placepress.files import list_site
    from placepress.stamp import Stamp, key, save_stamp, site_as_stamped, stamp_path

    root, out = tmp_path / "project", tmp_path / "project/site"
    (out / "a/b").mkdir(parents=True)
    (out / "a/b/index.html").write_text("<p>ours</p>")
    (out / "index.html").write_text("<p>home</p>")
    listed_ns = time.time_ns()
    written = (out / "a/b").stat().st_mtime_ns
    os.utime(out / "a/b", ns=(written, listed_ns))  # written within the tick before the listing
    for folder in (out, out / "a"):
        os.utime(folder, ns=(written, listed_ns - 10_000_000_000))  # long before
    listing, folders = list_site(str(out))
    save_stamp(root, out, ({}, ""), (0.0, float("inf")), 2, 2, (), ({}, listed_ns), (listing, listed_ns), {}, folders)
    stamp = read_cache(stamp_path(root, out), key())
    assert isinstance(stamp, Stamp) and site_as_stamped(out, stamp)
    assert stamp.entries == {"a/b": ("index.html",)}
    (out / "a/b/stray.html").write_text("<p>not ours</p>")
    os.utime(out / "a/b", ns=(written, listed_ns))  # the same time: the same tick
    assert not site_as_stamped(out, stamp)
    (out / "a/b/stray.html").unlink()
    os.utime(out / "a/b", ns=(written, listed_ns))
    assert site_as_stamped(out, stamp)


def stamp_of(tiny: TinySite):
    """The last build's stamp, and its file."""
    from placepress.cache import read_cache
    from placepress.stamp import key

    [path] = (tiny.root / ".cache/stamps").iterdir()
    return read_cache(path, key()), path


def restamp(tiny: TinySite, **changes) -> None:
    """Rewrite the last build's stamp with some of its fields changed."""
    from placepress.cache import write_cache
    from placepress.stamp import key

    stamp, path = stamp_of(tiny)
    write_cache(path, key(), stamp._replace(**changes))


def test_a_rebuild_takes_the_code_version_from_the_stamp_while_the_code_is_as_it_lists(settled: TinySite):
    from placepress.cache import code_version

    assert stamp_of(settled)[0].code_version == code_version()
    restamp(settled, code_version="as-the-stamp-says")
    settled.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "Text, edited.\n")
    assert run(settled)[0]
    assert stamp_of(settled)[0].code_version == "as-the-stamp-says"  # taken from the stamp, kept for the next
    assert "Text, edited." in (settled.out / "2010/04/23/total-place/index.html").read_text()


def test_a_stamp_that_lists_our_code_otherwise_has_its_code_version_worked_out_again(settled: TinySite):
    from placepress.cache import code_version

    code = dict(stamp_of(settled)[0].code)
    module = next(name for name in code if name.endswith("/placepress/cache.py"))
    code[module] = (code[module][0], code[module][1] - 1)  # as if the module were edited since
    restamp(settled, code=code, code_version="stale")
    settled.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", "Text, edited.\n")
    assert run(settled)[0]
    assert stamp_of(settled)[0].code_version == code_version() != "stale"

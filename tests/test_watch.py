"""Which changes `build.py serve` rebuilds for: real file system events (inotify) and polling,
on tiny projects in tmp_path; and polling again when the events cannot be had."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

import pytest
import watchfiles

from placepress.watch import Rebuilder, SourceWatcher, is_source_change

LEFTOVERS = [".2010-04-23-hello.md.swp", ".2010-04-23-hello.md.swo", ".#2010-04-23-hello.md", "#2010-04-23-hello.md#",
             "2010-04-23-hello.md~", "2010-04-23-hello.md.bak", "2010-04-23-hello.md.tmp", "2010-04-23-hello.md.orig",
             "2010-04-23-hello.md.rej", ".hidden.md", ".DS_Store"]


@pytest.mark.parametrize("name", LEFTOVERS)
def test_a_change_to_an_editors_swap_lock_or_backup_file_does_not_count(tmp_path: Path, name: str) -> None:
    for folder in ("content/posts", "templates", "static/css", "data"):
        assert not is_source_change(tmp_path, "modified", str(tmp_path / folder / name))


def test_a_change_inside_a_hidden_folder_does_not_count(tmp_path: Path) -> None:
    assert not is_source_change(tmp_path, "added", str(tmp_path / "static/.git/index"))


@pytest.mark.parametrize("path, kind, counts", [
    ("content/posts/2010-04-23-hello.md", "modified", True),
    ("content/posts/2010-04-23-hello.md", "deleted", True),
    ("pyproject.toml", "added", True),
    ("data/pilots.yaml", "added", True),
    ("templates/post.html", "modified", True),
    ("static/css/site.css", "modified", True),
    ("content/posts/.2010-04-23-hello.md.swp", "added", False),
    ("site/index.html", "modified", False),
    (".cache/preview/site/index.html", "modified", False),
    ("serve.log", "modified", False),
    ("README.md", "modified", False),
])
def test_only_changes_to_what_a_build_reads_count(tmp_path: Path, path: str, kind: str, counts: bool) -> None:
    assert is_source_change(tmp_path, kind, str(tmp_path / path)) is counts


def test_a_folder_counts_when_it_comes_or_goes_but_not_when_polling_sees_its_time_change(tmp_path: Path) -> None:
    (tmp_path / "content/posts").mkdir(parents=True)
    assert not is_source_change(tmp_path, "modified", str(tmp_path / "content/posts"))
    assert is_source_change(tmp_path, "added", str(tmp_path / "content/posts"))
    assert is_source_change(tmp_path, "deleted", str(tmp_path / "content/old"))


class Told:
    """Counts the changes a SourceWatcher tells, and keeps the paths told with each."""

    def __init__(self) -> None:
        self.count = 0
        self.paths: list[frozenset[str] | None] = []
        self.lock = threading.Lock()

    def __call__(self, paths: frozenset[str] | None) -> None:
        with self.lock:
            self.count += 1
            self.paths.append(paths)

    def every_path(self) -> set[str]:
        """Every path told so far; none of the changes may have been told without its paths."""
        with self.lock:
            assert None not in self.paths, "a change was told without its paths"
            return set().union(*self.paths)

    def wait_for_more_than(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while self.count <= count:
            assert time.monotonic() < deadline, "the change was not told"
            time.sleep(0.01)

    def quiet_for(self, seconds: float) -> int:
        time.sleep(seconds)
        return self.count


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("content/posts", "templates", "static/css"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[tool.placepress]\n", encoding="utf-8")
    (tmp_path / "content/posts/2010-04-23-hello.md").write_text("---\ntitle: Hello\n---\n", encoding="utf-8")
    return tmp_path


METHODS = [pytest.param(False, id="file system events"), pytest.param(True, id="polling")]


@pytest.fixture(params=METHODS)
def watching(request, project: Path):
    told = Told()
    watcher = SourceWatcher(project, told, poll=request.param)
    watcher.start()
    yield told
    watcher.stop()


QUIET = 0.8
"""Long enough for polling (every 0.3 s) to have looked twice."""


def test_saving_a_post_is_told(project: Path, watching: Told) -> None:
    (project / "content/posts/2010-04-23-hello.md").write_text("---\ntitle: Hello again\n---\n", encoding="utf-8")
    watching.wait_for_more_than(0)


def test_each_change_is_told_with_the_paths_it_changed_and_no_others(project: Path, watching: Told) -> None:
    (project / "content/posts/2010-04-23-hello.md").write_text("---\ntitle: Hello again\n---\n", encoding="utf-8")
    watching.wait_for_more_than(0)
    before = watching.quiet_for(QUIET)
    (project / "content/posts/2010-04-24-new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    (project / "static/css/site.css").write_text("body {}\n", encoding="utf-8")
    (project / "content/posts/2010-04-23-hello.md").unlink()
    watching.wait_for_more_than(before)
    watching.quiet_for(QUIET)
    assert watching.every_path() == {"content/posts/2010-04-23-hello.md", "content/posts/2010-04-24-new.md", "static/css/site.css"}


def test_editors_leftovers_and_files_outside_the_sources_are_never_told(project: Path, watching: Told) -> None:
    for name in LEFTOVERS:
        (project / "content/posts" / name).write_text("x", encoding="utf-8")
        (project / "static/css" / name).write_text("x", encoding="utf-8")
    for name in ("site/index.html", ".cache/preview/site/index.html", "serve.log", "notes/todo.md"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x", encoding="utf-8")
    assert watching.quiet_for(QUIET) == 0


def test_pyproject_saved_by_renaming_a_new_file_over_it_is_told_every_time(project: Path, watching: Told) -> None:
    for n in range(2):
        before = watching.count
        (project / "pyproject.new").write_text(f"[tool.placepress]\ntitle = 'Edit {n}'\n", encoding="utf-8")
        os.replace(project / "pyproject.new", project / "pyproject.toml")
        watching.wait_for_more_than(before)
        watching.quiet_for(QUIET)  # the next save is another change, not part of this one


def test_a_watched_folder_made_while_watching_is_watched_from_then_on(project: Path, watching: Told) -> None:
    (project / "data").mkdir()
    before = watching.quiet_for(QUIET)  # events tell the new folder; polling, only files
    (project / "data/pilots.yaml").write_text("programmes: []\n", encoding="utf-8")
    watching.wait_for_more_than(before)
    before = watching.quiet_for(QUIET)
    (project / "data/pilots.yaml").write_text("programmes: []\nareas: []\n", encoding="utf-8")
    watching.wait_for_more_than(before)


def test_when_the_file_system_gives_no_events_it_polls_instead_and_says_so(project: Path, capsys) -> None:
    def without_events(*paths, force_polling: bool, **options):
        if not force_polling:  # as watchfiles fails when inotify's limit of watches is reached
            raise OSError(errno.ENOSPC, "OS file watch limit reached")
        return watchfiles.watch(*paths, force_polling=True, **options)

    told = Told()
    watcher = SourceWatcher(project, told, watch=without_events)
    watcher.start()
    try:
        assert watcher.polling
        assert "File system events are not available here ([Errno 28] OS file watch limit reached); polling every 0.3 s instead." \
            in capsys.readouterr().err
        before = watcher_settled(told)
        (project / "content/posts/2010-04-23-hello.md").write_text("---\ntitle: Polled\n---\n", encoding="utf-8")
        told.wait_for_more_than(before)
    finally:
        watcher.stop()


def watcher_settled(told: Told) -> int:
    """The count once the changes told when falling back to polling are all in."""
    return told.quiet_for(QUIET)


# --- the Rebuilder hands each rebuild the paths changed since the last one began ---------------

def test_each_rebuild_is_given_the_paths_of_every_change_it_answers_and_none_when_one_could_not_say() -> None:
    given: list[frozenset[str] | None] = []
    release = threading.Event()

    def rebuild(paths: frozenset[str] | None) -> None:
        given.append(paths)
        release.wait(10)  # the asks below come while this rebuild runs
        release.clear()

    rebuilder = Rebuilder(rebuild)
    rebuilder.request(frozenset({"content/posts/a.md"}))
    rebuilder.request(frozenset({"content/posts/b.md"}))
    rebuilder.start(lambda: None)
    try:
        wait_until(lambda: len(given) == 1)
        rebuilder.request(frozenset({"content/posts/c.md"}))
        rebuilder.request(None)  # as when a watcher falls back to polling: changes may have gone untold
        rebuilder.request(frozenset({"data/pilots.yaml"}))
        release.set()
        wait_until(lambda: len(given) == 2)
        rebuilder.request(frozenset({"templates/post.html"}))
        release.set()
        wait_until(lambda: len(given) == 3)
        release.set()
    finally:
        rebuilder.stop()
    assert given == [frozenset({"content/posts/a.md", "content/posts/b.md"}), None, frozenset({"templates/post.html"})]


def wait_until(condition) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the rebuild did not come"
        time.sleep(0.01)

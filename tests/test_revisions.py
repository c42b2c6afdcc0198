"""A forum changed without its `updated` moving is caught against what was published before:
the last build (the cache), or in a pull request the base branch's data/pilots.yaml (git)."""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import PROJECT

REG = "data/pilots.yaml"
FORUM = "sustainable-neighbourhoods-2010-05-18"
REAL = (PROJECT / REG).read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    (line,) = [n for n, text_line in enumerate(text.splitlines(), 1) if fragment in text_line]
    return line


def build(tiny, **extra: str):
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_BASE_REF", "SOURCE_DATE_EPOCH")}
    return tiny.build("--now", "2010-05-01", env={**env, **extra})


def with_registry(tiny, text: str = REAL) -> None:
    shutil.copytree(PROJECT / "data", tiny.root / "data", dirs_exist_ok=True)
    tiny.write(REG, text)


def cancelled(text: str = REAL) -> str:
    return text.replace("    status: scheduled\n", "    status: cancelled\n")


def message(since: str, changed: str = "status") -> str:
    return (f"{REG}:{line_of(REAL, 'updated: 2010-04-23')}: forum '{FORUM}' has changed since {since} ({changed}) but its "
            "'updated' is still 2010-04-23; move 'updated' forward to the day of this change (to the minute, e.g. "
            "'2010-05-02 14:30', for a second change in one day), or calendars that subscribed will never show it")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_forum_cancelled_without_moving_updated_is_caught_against_the_last_build(tiny):
    with_registry(tiny)
    assert build(tiny).code == 0
    before = snapshot(tiny.out)
    tiny.write(REG, cancelled())
    result = build(tiny)
    assert (result.code, result.err.splitlines()) == (1, [message("the last build"), "Found 1 problem in 1 file; site not written."])
    assert snapshot(tiny.out) == before
    tiny.write(REG, cancelled().replace("updated: 2010-04-23", "updated: 2010-04-30"))
    assert build(tiny).code == 0
    assert b"STATUS:CANCELLED" in (tiny.out / "forums.ics").read_bytes()


def test_a_moved_time_and_venue_are_named_in_the_problem(tiny):
    with_registry(tiny)
    assert build(tiny).code == 0
    tiny.write(REG, REAL.replace("start: 2010-05-18 18:00", "start: 2010-05-18 18:30").replace("6 Mount Street", "7 Mount Street"))
    assert build(tiny).err.splitlines()[0] == message("the last build", "start, place")


def test_a_change_no_calendar_shows_needs_no_new_updated(tiny):
    with_registry(tiny)
    assert build(tiny).code == 0
    tiny.write(REG, REAL.replace("    concerns: [gm-city-region]\n", "    concerns: [gm-city-region, manchester-warrington]\n"))
    assert build(tiny).code == 0


def test_with_no_earlier_build_and_no_base_branch_nothing_is_said(tiny):
    with_registry(tiny, cancelled())
    result = build(tiny)
    assert (result.code, result.err) == (0, "")


def git(tiny, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                   cwd=tiny.root, check=True, capture_output=True)


def test_in_a_pull_request_the_forum_is_compared_with_the_base_branch_and_not_the_cache(tiny):
    with_registry(tiny)
    git(tiny, "init", "-q", "-b", "main")
    git(tiny, "add", "data")
    git(tiny, "commit", "-q", "-m", "registry")
    git(tiny, "update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout leaves it
    tiny.write(REG, cancelled())
    assert build(tiny).code == 0  # no cache yet, and not a pull request: nothing to compare with
    result = build(tiny, GITHUB_BASE_REF="main")
    assert (result.code, result.err.splitlines()) == (1, [message("the main branch"), "Found 1 problem in 1 file; site not written."])


def test_in_a_pull_request_whose_base_branch_git_cannot_show_nothing_is_said(tiny):
    with_registry(tiny)
    assert build(tiny).code == 0
    tiny.write(REG, cancelled())
    result = build(tiny, GITHUB_BASE_REF="main")  # no git repository here at all
    assert (result.code, result.err) == (0, "")


def test_a_forum_put_back_as_it_was_with_an_older_updated_is_caught_too(tiny):
    with_registry(tiny)
    assert build(tiny).code == 0
    tiny.write(REG, cancelled().replace("updated: 2010-04-23", "updated: 2010-04-30 09:15"))
    assert build(tiny).code == 0
    tiny.write(REG, REAL)  # the cancellation undone by restoring the old file
    assert build(tiny).err.splitlines()[0] == message("the last build").replace(
        "is still 2010-04-23;", "is still 2010-04-23, earlier than the 2010-04-30 09:15 it was published with;")

"""A forum changed without its `updated` moving: the one rule the docs ask editors to remember.

Calendars that subscribed to the forums replace an event only when its SEQUENCE rises, and
SEQUENCE comes from `updated` (registry.Forum.sequence). A forum whose time, venue, text or
status changed while `updated` stayed put reaches no calendar. Each forum is compared with
what was published before: what the last build wrote (the build cache), or in a pull request
the base branch's data/pilots.yaml. Where neither is known nothing is said: no guessing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .problems import Problem
from .registry import PATH, SCHEMA, Forum, Registry, parse_registry
from .schema import load_schema

Published = Mapping[str, tuple[tuple, str]]
"""Forum id → (what a calendar shows of it, its `updated` as ISO text): plain values, kept by
the cache across versions of PlacePress."""

_SHOWN = ("title", "start", "end", "place", "description", "status")


def published_view(registry: Registry) -> dict[str, tuple[tuple, str]]:
    """What calendars were given of each forum, and its `updated`."""
    return {forum.id: (_shown(forum), forum.updated.isoformat()) for forum in registry.forums}


def _shown(forum: Forum) -> tuple:
    place = tuple((part.text, part.confidence) for part in forum.venue.parts)
    return (forum.title, forum.start.isoformat(), forum.end.isoformat(), place, forum.description, forum.status)


def _written(moment: str) -> str:
    """'2010-04-23T00:00:00+01:00' as an editor writes it: '2010-04-23', or '2010-04-23 14:30'."""
    day, _, time = moment.partition("T")
    return day if time.startswith("00:00:00") else f"{day} {time[:5]}"


def check_revisions(registry: Registry, before: Published, since: str) -> list[Problem]:
    """A problem at the `updated` line of each forum that differs from `before` (published
    `since`, e.g. 'the last build') in what calendars show, while its `updated` did not move on."""
    problems = []
    for forum in registry.forums:
        if forum.id not in before:
            continue
        shown, updated = before[forum.id]
        if tuple(shown) == _shown(forum) or forum.updated.isoformat() > updated:
            continue
        changed = [name for name, old, new in zip(_SHOWN, shown, _shown(forum)) if old != new]
        written = _written(forum.updated.isoformat())
        if forum.updated.isoformat() < updated:
            written = f"{written}, earlier than the {_written(updated)} it was published with"
        problems.append(Problem(PATH, forum.lines.get("updated", forum.lines.get("id", 0)),
                                f"forum '{forum.id}' has changed since {since} ({', '.join(changed)}) but its 'updated' is still "
                                f"{written}; move 'updated' forward to the day of this change (to the minute, e.g. "
                                "'2010-05-02 14:30', for a second change in one day), or calendars that subscribed will never show it"))
    return problems


def published_before(root: Path, zone: str, cached: Published | None, environ: Mapping[str, str]
                     ) -> tuple[Published | None, str]:
    """The forums as last published, and since when: in a pull request on GitHub, the base
    branch's registry (read with git); otherwise what the last build into the same folder
    wrote (`cached`, from the build cache). (None, '') when neither is known. A pull request
    never trusts the cache, which may have been saved by another branch."""
    base = environ.get("GITHUB_BASE_REF", "")
    if base:
        text = git_show(root, f"origin/{base}", PATH)
        if text is None:
            return None, ""
        try:
            schema = load_schema(root / SCHEMA)
        except (FileNotFoundError, ValueError):
            return None, ""
        registry, problems = parse_registry(text, schema, zone)
        return (None, "") if problems else (published_view(registry), f"the {base} branch")
    return cached, "the last build"


def git_show(root: Path, revision: str, path: str) -> str | None:
    """A file as it is at `revision`, or None when git, the revision or the file is not there."""
    import subprocess  # here: most builds never ask git (5 ms of a one-post rebuild's start)

    try:
        done = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=root, capture_output=True, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None

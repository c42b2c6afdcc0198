"""Where a site is built, and whether a folder may be replaced by one.

Apart from output.py, which writes the site, so that `build.py` can tell these before it
imports anything that writes (a build with nothing to do imports none of it).
"""

from __future__ import annotations

from pathlib import Path

PREVIEW = Path(".cache") / "preview" / "site"
"""Where `build.py serve` builds its preview (drafts included), under the project: never site/."""

MARKER = ".placepress-site"
"""Written into every built site. A folder is replaced only if it is empty or has this file,
so `--out` pointed at the wrong folder (the project, content/, a home folder) destroys nothing."""
MARKER_TEXT = b"This folder was built by PlacePress; each build replaces all of it.\n"


class UnsafeOutput(Exception):
    """The output folder is one we must not replace (a project, a home folder)."""


def check_output_folder(out: Path, root: Path | None = None) -> str | None:
    """Why `out` must not be replaced, or None when it is safe."""
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    if root is not None and root.resolve().is_relative_to(out.resolve()):
        return f"{out} holds the project itself; choose a folder such as site/"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        return (f"{out} already holds files that PlacePress did not build (it has no {MARKER}); "
                "it will not be replaced: choose a new or empty folder")
    return None

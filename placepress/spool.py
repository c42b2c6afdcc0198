"""Pages handed from the worker processes that render them to the process that writes the
site as files, not bytes.

A cold build of 10,000 posts renders about 150 MB of pages. Sent back as bytes, every one of
them stayed in the parent's memory until the site was written: most of its peak of 470 MB.
Instead, each worker writes the pages it renders into a spool folder beside the site (on the
same file system), each at its own place in the site, and hands back a Spooled record. For a
new site the parent renames the whole folder into place and writes the other files into it:
one rename, where moving the pages one by one took 2.3 s of a 10,000-post cold build, and
the workers make the pages' folders on both cores. Into a built site the parent moves each
changed page (a rename, not a copy), or links it for Pagefind, and knows its size and digest
without reading it. The spool folder is removed when the build ends, whether it succeeded or not.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Mapping

from .files import open_new


@dataclass(frozen=True)
class Spooled:
    """A page's bytes, in the file at `path`."""

    path: str
    size: int
    digest: str
    """SHA-256 of the bytes (hexadecimal), as IncrementalPlan records them."""


def spool(folder: str, name: str, data: bytes) -> Spooled:
    """Write `data` to `name` ('a/b/index.html') in `folder`, making the folders it needs."""
    path = os.path.join(folder, name)
    with open_new(path) as handle:  # two workers may make a folder at once: makedirs allows it
        handle.write(data)
    return Spooled(path, len(data), hashlib.sha256(data).hexdigest())


def spooled_folder(files: Mapping[str, object]) -> str | None:
    """The folder that holds every Spooled file of `files` (relative path → data) at that very
    path, to be renamed as a whole into the site; None if there are none, or one is elsewhere."""
    folder = None
    for relative, data in files.items():
        if not isinstance(data, Spooled):
            continue
        if not data.path.endswith(os.sep + relative):
            return None
        here = data.path[:-len(relative) - 1]
        if folder is None:
            folder = here
        elif here != folder:
            return None
    return folder


def digest_of(value: bytes | Spooled) -> str:
    """SHA-256 of the bytes (hexadecimal), read from the record when it has them."""
    return value.digest if isinstance(value, Spooled) else hashlib.sha256(value).hexdigest()

"""Pages handed from the worker processes that render them to the process that writes the
site as files, not bytes.

A cold build of 10,000 posts renders about 150 MB of pages. Sent back as bytes, every one of
them stayed in the parent's memory until the site was written: most of its peak of 470 MB.
Instead, each worker writes the pages it renders into a spool folder beside the site (on the
same file system) and hands back a Spooled record. The parent moves the file into the site
(a rename, not a copy), or links it for Pagefind, and knows its size and digest without
reading it. The spool folder is removed when the build ends, whether it succeeded or not.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Spooled:
    """A page's bytes, in the file at `path`."""

    path: str
    size: int
    digest: str
    """SHA-256 of the bytes (hexadecimal), as IncrementalPlan records them."""


def spool(folder: str, name: str, data: bytes) -> Spooled:
    """Write `data` to `name` in `folder`."""
    path = os.path.join(folder, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return Spooled(path, len(data), hashlib.sha256(data).hexdigest())


def digest_of(value: bytes | Spooled) -> str:
    """SHA-256 of the bytes (hexadecimal), read from the record when it has them."""
    return value.digest if isinstance(value, Spooled) else hashlib.sha256(value).hexdigest()

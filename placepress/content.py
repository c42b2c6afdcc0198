"""Posts and pages: Markdown files with YAML front matter.

`parse_post` and `parse_page` are pure and work on the text of one file;
`load_content` reads the disk. Front matter is split here rather than by
python-frontmatter, which strips the text and so loses the line numbers that
make a report useful.
"""

from __future__ import annotations

import posixpath
import re
import os
import stat
from dataclasses import dataclass, replace
from hashlib import sha256
from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from . import fields as f
from .files import is_leftover, list_files, never_read, parent_folders
from .model import Page, Post
from .pictures.model import ALT_DECORATIVE
from .problems import Problem, did_you_mean
from .yamlnodes import Map, parse_yaml

POST_FIELDS = ("title", "date", "updated", "summary", "categories", "tags", "author", "slug", "draft", "pilots", "comments",
               "image", "image_alt")
PAGE_FIELDS = ("title", "slug", "summary", "nav", "updated", "draft", "comments", "image", "image_alt")
_FENCE = ("---",)
_CLOSE = ("---", "...")
_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
NEW_POST_TEXT = "Write the post here, in Markdown, in place of this paragraph."
"""How the paragraph that `build.py new` puts in a post begins. A post that still has it is
not published: the build says so, so that the instructions never reach readers."""


def split_front_matter(text: str, path: str) -> tuple[str, int, str, int, list[Problem]]:
    """(front matter, its first line, body, body's first line, problems)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return "", 1, "", 1, [Problem(path, 1, "the file is empty; start it with front matter between two '---' lines, with at least a title")]
    lines = text.split("\n")
    if lines[0].rstrip() not in _FENCE:
        return "", 1, "", 1, [Problem(path, 1, "no front matter: the file must start with a line '---', then fields such as 'title: …', then '---'")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSE:
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2, []
    return "", 1, "", 1, [Problem(path, 1, "the front matter opened on line 1 is never closed; add a line '---' after the last field")]


def _read_fields(text: str, path: str, allowed: tuple[str, ...]) -> tuple[Map | None, str, int, list[Problem]]:
    front, front_line, body, body_line, problems = split_front_matter(text, path)
    if problems:
        return None, body, body_line, problems
    root, problems = parse_yaml(front, path, front_line)
    if root is None and problems:
        return None, body, body_line, problems
    if not isinstance(root, Map):
        found = "nothing" if root is None else f.describe(root)
        line = front_line if root is None else root.line
        return None, body, body_line, [Problem(path, line, f"the front matter must be fields written 'name: value', found {found}")]
    for entry in root.entries:
        if entry.key not in allowed:
            problems.append(Problem(path, entry.line, f"unknown field '{entry.key}'{did_you_mean(entry.key, allowed)}"))
    return root, body, body_line, problems


def parse_post(path: str, text: str, zone: ZoneInfo) -> tuple[Post | None, list[Problem]]:
    """Pure: one post from the text of its file. Returns None when it has problems."""
    root, body, body_line, problems = _read_fields(text, path, POST_FIELDS)
    if root is None:
        return None, problems
    reader = f.FieldReader(root, path, problems)
    title = reader.text("title", required=True)
    when = reader.when("date", zone, required=True)
    post = dict(
        title=title,
        date=when,
        updated=reader.when("updated", zone),
        summary=reader.text("summary"),
        categories=reader.words("categories"),
        tags=reader.words("tags"),
        author=reader.text("author"),
        slug=reader.slug("slug", default=slug_from_name(path)),
        draft=reader.flag("draft", False),
        pilots=reader.words("pilots"),
        comments=reader.flag("comments", True),
        **_read_image(reader),
    )
    _check_updated(post["date"], post["updated"], reader)
    if not post["draft"] and NEW_POST_TEXT in body:
        line = body_line + body[:body.index(NEW_POST_TEXT)].count("\n")
        problems.append(Problem(path, line, "this is the paragraph that `build.py new` wrote for you to replace: "
                                            "write the post in its place (or put back 'draft: true' until it is ready)"))
    if problems:
        return None, problems
    return Post(source=path, body=body, body_line=body_line, field_lines=reader.lines, **post), []


def parse_page(path: str, text: str, zone: ZoneInfo) -> tuple[Page | None, list[Problem]]:
    """Pure: one page from the text of its file."""
    root, body, body_line, problems = _read_fields(text, path, PAGE_FIELDS)
    if root is None:
        return None, problems
    reader = f.FieldReader(root, path, problems)
    page = dict(
        title=reader.text("title", required=True),
        slug=reader.slug("slug", default=slug_from_name(path)),
        summary=reader.text("summary"),
        nav=reader.number("nav"),
        updated=reader.when("updated", zone),
        draft=reader.flag("draft", False),
        comments=reader.flag("comments", False),
        **_read_image(reader),
    )
    if problems:
        return None, problems
    return Page(source=path, body=body, body_line=body_line, field_lines=reader.lines, **page), []


def _read_image(reader: f.FieldReader) -> dict[str, str]:
    """`image` and `image_alt`: the picture that represents a post or page, and its description."""
    image, alt = reader.text("image"), reader.text("image_alt")
    if alt and not image:
        reader.problem("image_alt", "'image_alt' describes the picture given in 'image', and there is none; "
                                    "add 'image: ../images/…' or remove 'image_alt'")
    if alt == ALT_DECORATIVE:
        reader.problem("image_alt", f"the picture that represents a post cannot be '{ALT_DECORATIVE}': it is shown "
                                    "where the post is shared or listed; describe what it shows")
    elif "image_alt" in reader.lines and not alt:
        reader.problem("image_alt", "'image_alt' is empty; describe what the picture shows, for readers who cannot see it")
    return {"image": image, "image_alt": alt}


def _check_updated(published: datetime | None, updated: datetime | None, reader: f.FieldReader) -> None:
    if published and updated and updated < published:
        shape = "%Y-%m-%d %H:%M" if updated.date() == published.date() else "%Y-%m-%d"
        reader.problem("updated", f"'updated' ({updated:{shape}}) is before 'date' ({published:{shape}}); a post cannot be updated before it is published")


def slug_from_name(path: str) -> str:
    """'content/posts/2010-04-23-total-place.md' gives 'total-place'."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return f.slugify(_DATED_NAME.sub("", stem))


DOCUMENTS = "content/documents/"


def read_text_file(root: Path, relative: str) -> tuple[str | None, list[Problem]]:
    """A file's text, or a problem when it is not UTF-8."""
    return decode_text(relative, (root / relative).read_bytes())


def decode_text(relative: str, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        return None, [Problem(relative, line, f"the file is not UTF-8 text (byte 0x{byte:02X} at column {column}); save it as UTF-8")]


@dataclass(frozen=True)
class Parsed:
    """One content file as last read: its stat, digests and what parsing gave.

    The build cache keeps these (records without their bodies, to stay small), so an
    unchanged file is neither read nor parsed again."""

    mtime_ns: int
    size: int
    raw: str
    """SHA-256 of the file's bytes."""
    meta: str
    """SHA-256 of the path and everything but the body: changes when any field does."""
    body: str
    """SHA-256 of the Markdown body."""
    record: Post | Page | None
    problems: tuple[Problem, ...]

    def without_body(self) -> "Parsed":
        return replace(self, record=replace(self.record, body="")) if self.record is not None else self


def load_content(root: Path, zone: ZoneInfo) -> tuple[list[Post], list[Page], list[Problem]]:
    """Every post and page under content/, reading all files even when some fail."""
    posts, pages, problems, _ = scan_content(root, zone)
    return posts, pages, problems


def scan_content(root: Path, zone: ZoneInfo, previous: dict[str, Parsed] | None = None, settled_ns: int = 0,
                 stats: Mapping[str, tuple[int, int]] | None = None
                 ) -> tuple[list[Post], list[Page], list[Problem], dict[str, Parsed]]:
    """load_content, reusing what `previous` parsed for files whose size and modification time
    are unchanged (records reused this way have an empty body: read_body gives it).

    A file modified at or after `settled_ns` is read and compared all the same: its time may
    share a clock tick with a second edit of the same size (git calls this "racy")."""
    previous = previous or {}
    posts: list[Post] = []
    pages: list[Page] = []
    problems: list[Problem] = []
    index: dict[str, Parsed] = {}
    listed = {folder: _listing(root, folder, stats) for folder in ("posts", "pages")}
    wanted = []
    for folder, parse in (("posts", parse_post), ("pages", parse_page)):
        for relative, (size, mtime_ns) in listed[folder]:
            parsed = previous.get(relative)
            if parsed is None or (parsed.mtime_ns, parsed.size) != (mtime_ns, size) \
                    or (mtime_ns >= settled_ns and not _same_content(root, relative, parsed)):
                wanted.append((relative, parse, mtime_ns, size))
    fresh = _parse_files(root, wanted, zone)
    for folder, bucket in (("posts", posts), ("pages", pages)):
        for relative, _ in listed[folder]:
            parsed = index[relative] = fresh[relative] if relative in fresh else previous[relative]
            problems += parsed.problems
            if parsed.record is not None:
                bucket.append(parsed.record)
    return posts, pages, problems, index


PARSE_PARALLEL_FROM = 400
"""From this many files to parse (a cold build), a second process parses half of them: at 1,000
posts, the 50 ms or so that a worker costs to start and to hand its records back is less than
half the parse."""


def _parse_files(root: Path, wanted: list[tuple], zone: ZoneInfo) -> dict[str, Parsed]:
    """Each of `wanted` (path, parse function, time, size) parsed. Many are shared with a forked
    worker, which parses the second half while this process parses the first; the records are
    the same either way (each is made from its file alone)."""
    if len(wanted) < PARSE_PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return _parse_share(root, wanted, zone)
    import yaml  # noqa: F401  (imported once, before the fork, rather than by both processes)

    from .workers import forked_pool

    half = len(wanted) // 2
    with forked_pool(processes=1) as pool:
        theirs = pool.submit(_parse_share, root, wanted[half:], zone)
        mine = _parse_share(root, wanted[:half], zone)
        return {**mine, **theirs.result()}


def _parse_share(root: Path, wanted: list[tuple], zone: ZoneInfo) -> dict[str, Parsed]:
    return {relative: _parse_file(root, relative, parse, zone, mtime_ns, size) for relative, parse, mtime_ns, size in wanted}


def _listing(root: Path, folder: str, stats: Mapping[str, tuple[int, int]] | None) -> list[tuple[str, tuple[int, int]]]:
    """Each Markdown file of content/posts/ (not in folders) or content/pages/ (in folders too:
    content/pages/about/history.md is /about/history/), with its size and time: from `stats`
    when the build listed every input already, else from the disk."""
    prefix = f"content/{folder}/"
    if stats is not None:
        return sorted((path, stat) for path, stat in stats.items() if path.startswith(prefix) and _is_source(path))
    directory = os.path.join(root, "content", folder)
    if folder == "pages":
        found = []
        for name in list_files(Path(directory)):
            if name.endswith(".md"):
                info = os.stat(os.path.join(directory, name))
                found.append((prefix + name, (info.st_size, info.st_mtime_ns)))
        return found
    if not os.path.isdir(directory):
        return []
    # The scandir entry's own stat: no path joined and looked up again for each of 10,000 posts.
    return sorted((prefix + entry.name, (info.st_size, info.st_mtime_ns))
                  for entry in os.scandir(directory)
                  if entry.name.endswith(".md") and not is_leftover(entry.name) and entry.is_file()
                  for info in (entry.stat(),))


def _is_source(path: str) -> bool:
    """A post (content/posts/*.md) or a page (content/pages/**/*.md), by its path in the project."""
    return path.endswith(".md") and (path.startswith("content/pages/")
                                     or (path.startswith("content/posts/") and path.count("/") == 2))


def list_sources(root: Path) -> dict[str, tuple[int, int]]:
    """Every post and page file that scan_content reads, with its size and time."""
    return dict(_listing(root, "posts", None) + _listing(root, "pages", None))


def relist(root: Path, listed: Mapping[str, tuple[int, int]], changed: Iterable[str]) -> dict[str, tuple[int, int]] | None:
    """`listed` (list_sources as it was) brought up to date from the paths changed since (by
    their path in the project, as the preview's watcher tells them): each of those is looked at
    again, and nothing else. None when a change may stand for more files than its own path (a
    folder made, removed or renamed, with whatever was in it): only a new listing tells then."""
    updated = dict(listed)
    folders = parent_folders(source for source in listed if source.startswith("content/pages/"))
    for path in changed:
        parts = path.split("/")
        if parts[0] != "content":
            continue
        if len(parts) == 1 or (len(parts) == 2 and parts[1] in ("posts", "pages")):
            return None  # content/, content/posts/ or content/pages/ itself came or went
        if len(parts) == 2 or parts[1] not in ("posts", "pages"):
            continue  # documents and pictures are listed elsewhere
        if never_read(path):
            continue
        try:
            info = os.stat(os.path.join(root, path))
        except OSError:
            info = None
        if path in folders or (info is not None and stat.S_ISDIR(info.st_mode)):
            return None
        if _is_source(path) and info is not None and stat.S_ISREG(info.st_mode):
            updated[path] = (info.st_size, info.st_mtime_ns)
        else:
            updated.pop(path, None)
    return updated


def _same_content(root: Path, relative: str, parsed: Parsed) -> bool:
    return sha256((root / relative).read_bytes()).hexdigest() == parsed.raw


def _parse_file(root: Path, relative: str, parse, zone: ZoneInfo, mtime_ns: int, size: int) -> Parsed:
    data = (root / relative).read_bytes()
    raw = sha256(data).hexdigest()
    text, problems = decode_text(relative, data)
    if text is None:
        return Parsed(mtime_ns, size, raw, raw, "", None, tuple(problems))
    record, problems = parse(relative, text, zone)
    body = record.body if record else ""
    meta = sha256(f"{relative}\0{text.removesuffix(body)}".encode("utf-8")).hexdigest()
    return Parsed(mtime_ns, size, raw, meta, sha256(body.encode("utf-8")).hexdigest(), record, tuple(problems))


def read_body(root: Path, relative: str) -> str:
    """The Markdown body of a content file, read again (for records the cache kept without it)."""
    text, _ = read_text_file(root, relative)
    return split_front_matter(text or "", relative)[2]


def load_documents(root: Path) -> dict[str, bytes]:
    """Files editors uploaded to content/documents/, by their path from the project root."""
    return {DOCUMENTS + name: (root / DOCUMENTS / name).read_bytes() for name in list_files(root / DOCUMENTS)}

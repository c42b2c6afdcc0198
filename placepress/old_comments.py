"""Readers' comments from the old site: content/comments/, shown read-only under their post.

`content/comments/posts/2010-04-23-total-place.yaml` holds the comments of
`content/posts/2010-04-23-total-place.md` (the WordPress importer writes them; editors may
correct or delete them). Each comment's text is HTML, sanitised here with nh3 to a small
allow-list, links marked `rel="nofollow ugc"`: whatever the old site let through (a script, an
onerror, a javascript: link, CSS) never reaches a reader's browser.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import fields as f
from .files import list_files
from .problems import Problem, did_you_mean
from .yamlnodes import Map, parse_list_file

FOLDER = "content/comments/"
FIELDS = ("id", "author", "website", "date", "parent", "text")
TAGS = {"p", "br", "a", "em", "strong", "b", "i", "blockquote", "code", "pre", "ul", "ol", "li", "q", "cite", "abbr",
        "del", "ins", "sub", "sup"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_HOLLOW_LINK = re.compile(r'<a rel="nofollow ugc">(.*?)</a>', re.S)


@dataclass(frozen=True)
class OldComment:
    id: int
    author: str
    website: str
    """The commenter's own site ('' for none); linked from their name."""
    date: datetime
    html: str
    """The text, sanitised."""
    replies: tuple["OldComment", ...] = ()


def content_file(path: str) -> str:
    """content/comments/posts/x.yaml → content/posts/x.md."""
    return "content/" + posixpath.splitext(path.removeprefix(FOLDER))[0] + ".md"


def sanitise(html: str) -> str:
    import nh3  # only when a comments file has changed since the last build

    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="nofollow ugc", strip_comments=True).strip()
    return _HOLLOW_LINK.sub(r"\1", clean)  # a link whose address was refused is its words alone


def comment_files(root: Path) -> list[str]:
    return [FOLDER + name for name in list_files(root / FOLDER) if name.endswith(".yaml")]


def load_old_comments(root: Path, zone: ZoneInfo, sources: set[str]) -> tuple[dict[str, tuple[OldComment, ...]], list[Problem]]:
    """Every comments file, by the content file it belongs to (one of `sources`, every post and
    page whatever its state), with every mistake in them."""
    threads: dict[str, tuple[OldComment, ...]] = {}
    problems: list[Problem] = []
    for path in comment_files(root):
        target = content_file(path)
        if target not in sources:
            problems.append(Problem(path, 1, f"these comments belong to {target}, which does not exist; name the file after "
                                             f"its post or page{did_you_mean(target, sources)}, or delete it"))
            continue
        thread, found = parse_comments((root / path).read_text(encoding="utf-8"), path, zone)
        problems += found
        if thread:
            threads[target] = thread
    return threads, problems


def parse_comments(text: str, path: str, zone: ZoneInfo) -> tuple[tuple[OldComment, ...], list[Problem]]:
    """Pure: the threads of one comments file (replies inside the comment they answer)."""
    root, items, problems = parse_list_file(text, path, "comments", "a list of comments, each starting '- id:'")
    if root is None or items is None:
        return (), problems
    for other in root.entries:
        if other.key != "comments":
            problems.append(Problem(path, other.line, f"unknown field '{other.key}'; the file holds only 'comments'"))
    read = [_comment(item, path, zone, problems) for item in items.items]
    comments = [c for c in read if c is not None]
    return _threads(comments, path, problems), problems


@dataclass(frozen=True)
class _Read:
    comment: OldComment
    parent: int | None
    line: int
    parent_line: int


def _comment(node, path: str, zone: ZoneInfo, problems: list[Problem]) -> _Read | None:
    if not isinstance(node, Map):
        problems.append(Problem(path, node.line, f"each comment must be a set of fields ({', '.join(FIELDS)}), found {f.describe(node)}"))
        return None
    before = len(problems)
    for entry in node.entries:
        if entry.key not in FIELDS:
            problems.append(Problem(path, entry.line, f"unknown field '{entry.key}' in a comment{did_you_mean(entry.key, FIELDS)}"))
    reader = f.FieldReader(node, path, problems)
    ident, parent = reader.number("id"), reader.number("parent")
    if ident is None and "id" not in reader.lines:
        reader.problem("id", "the comment has no 'id'; give it a number not used by another comment in the file")
    author = reader.text("author", required=True)
    website = reader.text("website")
    if website and (urlsplit(website).scheme not in ("http", "https") or not urlsplit(website).netloc):
        reader.problem("website", f"'website' must be an address starting with https:// or http://, found '{website}'")
    when = reader.when("date", zone, required=True)
    text = reader.text("text", required=True)
    if len(problems) > before or ident is None or when is None:
        return None
    comment = OldComment(ident, author, website, when, sanitise(text))
    return _Read(comment, parent, node.line, reader.lines.get("parent", node.line))


def _threads(read: list[_Read], path: str, problems: list[Problem]) -> tuple[OldComment, ...]:
    """Comments in order of date, each reply inside the comment it answers."""
    by_id: dict[int, _Read] = {}
    for item in read:
        if item.comment.id in by_id:
            problems.append(Problem(path, item.line, f"the id {item.comment.id} is used twice: here and on line "
                                                     f"{by_id[item.comment.id].line}; give each comment its own"))
        by_id.setdefault(item.comment.id, item)
    replies: dict[int | None, list[_Read]] = {}
    for item in by_id.values():
        parent = item.parent
        if parent is not None and (parent not in by_id or _circular(item, by_id)):
            why = "is the comment itself or one of its replies" if parent in by_id else "is not the id of a comment in this file"
            problems.append(Problem(path, item.parent_line, f"'parent' {parent} {why}; give the id of the comment this one answers, "
                                                            "or remove 'parent'"))
            continue
        replies.setdefault(parent, []).append(item)

    def tree(parent: int | None) -> tuple[OldComment, ...]:
        ordered = sorted(replies.get(parent, []), key=lambda r: (r.comment.date, r.comment.id))
        return tuple(replace(r.comment, replies=tree(r.comment.id)) for r in ordered)

    return tree(None)


def _circular(item: _Read, by_id: dict[int, _Read]) -> bool:
    seen = {item.comment.id}
    parent = item.parent
    while parent is not None and parent in by_id:
        if parent in seen:
            return True
        seen.add(parent)
        parent = by_id[parent].parent
    return False

"""Readers' comments from the old site, as one YAML file per post or page (the comments contract).

Only approved comments come across; pending, spam and binned ones are counted, not written.
Pingbacks and trackbacks are left out too and counted: they are notices other blogs sent
automatically, mostly spam by the end of a blog's life, and the site's "Comments from the old
site" is for what readers wrote. A reply whose parent was left out answers the nearest comment
above it that was kept (or none). The text is the HTML WordPress showed (bare addresses made
links, then its automatic paragraphs); the build sanitises it. No e-mail or IP address is ever read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .autop import autop
from .report import Note
from .when import OldZone, item_time, minute
from .records import Comment
from .yamlout import Block, Minute, dump

_PIECES = re.compile(r"(<[^>]*>)")
_BARE_ADDRESS = re.compile(r"(?<![\w/.@-])((?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")
SKIPPED = {"0": "waiting for approval", "spam": "spam", "trash": "in the bin", "post-trashed": "on a binned post"}


@dataclass
class Tally:
    kept: int = 0
    files: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def comments_path(source: str) -> str:
    """content/posts/x.md → content/comments/posts/x.yaml."""
    return "content/comments/" + source[len("content/"):-len(".md")] + ".yaml"


def header(source: str) -> str:
    return (f"# Comments from the old site on {source}, imported from\n"
            "# WordPress. Shown read-only under it as \"Comments from the old site\". Correct a\n"
            "# comment's text here, or delete a comment (and the replies to it) to take it down.\n")


def archive_text(source: str, comments: tuple[Comment, ...], old: OldZone, zone, tally: Tally, notes: list[Note],
                 where: str) -> str | None:
    """The comments file for `source`, or None when it had no approved comment."""
    kept = [c for c in comments if _keep(c, tally)]
    dated = []
    for comment in kept:
        moment = item_time(comment.date, comment.date_gmt, old, zone)
        if moment is None:
            notes.append(Note("skipped", where, f"comment {comment.id} by {comment.author or 'Anonymous'} has no date"))
            continue
        dated.append((comment, moment))
    if not dated:
        return None
    ids = {comment.id for comment, _ in dated}
    parents = {c.id: c.parent for c in comments}
    entries = [_entry(comment, moment, _kept_parent(comment, ids, parents)) for comment, moment in
               sorted(dated, key=lambda pair: (pair[1], pair[0].id))]
    tally.kept += len(entries)
    tally.files += 1
    return header(source) + dump({"comments": entries})


def _keep(comment: Comment, tally: Tally) -> bool:
    if comment.type in ("pingback", "trackback"):
        tally.skip(comment.type + "s")
        return False
    if comment.approved != "1":
        tally.skip(SKIPPED.get(comment.approved, f"with status '{comment.approved}'"))
        return False
    if not comment.content.strip():
        tally.skip("empty")
        return False
    return True


def _kept_parent(comment: Comment, ids: set[int], parents: dict[int, int]) -> int:
    parent, seen = comment.parent, set()
    while parent and parent not in ids and parent not in seen:
        seen.add(parent)
        parent = parents.get(parent, 0)
    return parent if parent in ids else 0


def _entry(comment: Comment, moment, parent: int) -> dict:
    entry: dict = {"id": comment.id, "author": " ".join(comment.author.split()) or "Anonymous"}
    website = comment.url.strip()
    if urlsplit(website).scheme in ("http", "https") and urlsplit(website).netloc:
        entry["website"] = website
    entry["date"] = Minute(minute(moment))
    if parent:
        entry["parent"] = parent
    text = "\n".join(line.rstrip() for line in autop(clickable(comment.content)).strip().splitlines())
    entry["text"] = Block(text.lstrip() + "\n")
    return entry


def clickable(text: str) -> str:
    """Bare addresses in a comment as links, as WordPress showed them (not inside tags or links)."""
    pieces = _PIECES.split(text)
    inside_link = False
    for index, piece in enumerate(pieces):
        if index % 2:
            inside_link = piece.lower().startswith("<a ") or (inside_link and not piece.lower().startswith("</a"))
        elif not inside_link:
            pieces[index] = _BARE_ADDRESS.sub(_link, piece)
    return "".join(pieces)


def _link(match: re.Match) -> str:
    address = match.group(1)
    target = address if address.startswith("http") else "http://" + address
    return f'<a href="{html.escape(html.unescape(target))}">{address}</a>'

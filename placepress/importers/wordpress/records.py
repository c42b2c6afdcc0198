"""The records the reader makes of an export: its items, their comments and terms, and the channel."""

from __future__ import annotations

from dataclasses import dataclass, field

from .stream import Repairs


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    url: str
    date: str
    """Local time as WordPress wrote it, 'YYYY-MM-DD HH:MM:SS'."""
    date_gmt: str
    content: str
    approved: str
    """'1' approved, '0' pending, 'spam', 'trash'."""
    type: str
    """'' or 'comment' for a comment; 'pingback', 'trackback' for the others."""
    parent: int


@dataclass(frozen=True)
class Term:
    taxonomy: str
    """'category', 'post_tag', 'post_format', 'nav_menu', …"""
    slug: str
    name: str
    parent: str = ""
    """The parent's slug (categories nest)."""
    term_id: int = 0
    """WordPress's id of the term (in the channel's list; 0 on an item)."""


@dataclass(frozen=True)
class Item:
    file: str
    line: int
    post_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    name: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    comment_status: str = ""
    attachment_url: str = ""
    terms: tuple[Term, ...] = ()
    """On the item: (taxonomy, slug, name); the parent comes from the channel's terms."""
    meta: tuple[tuple[str, str], ...] = ()
    """The post meta the import uses (_KEPT_META, and the oEmbed HTML WordPress cached), in export order."""
    comments: tuple[Comment, ...] = ()

    def meta_value(self, key: str) -> str:
        return next((value for name, value in self.meta if name == key), "")


@dataclass
class Channel:
    """What the export says about the site, filled in as the file is read."""

    file: str
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str | None = None
    version_line: int = 0
    authors: dict[str, str] = field(default_factory=dict)
    """Login → display name."""
    terms: list[Term] = field(default_factory=list)
    repairs: Repairs = field(default_factory=Repairs)

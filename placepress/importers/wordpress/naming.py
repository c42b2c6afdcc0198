"""Where each item of the export goes: the first pass's decisions, before any body is converted.

Posts go to content/posts/YYYY-MM-DD-slug.md (the day in the site's zone), pages to
content/pages/ following WordPress's page hierarchy (`about/history.md`). The slug is
WordPress's `post_name` (percent-decoded, made of a-z, 0-9 and hyphens), else made from the
title; two items that want one file are told apart with -2, -3 (oldest first) and the report
says so. WordPress's statuses map to what the build knows: publish → published; future →
scheduled on its date; draft, pending, private, and anything with a password → `draft: true`;
trash, auto-drafts, revisions and every other type (menu items, reusable blocks, templates,
styles, navigation…) are skipped and reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import unquote

from ...config import Config
from ...fields import slugify
from .oldsite import OldSite
from .report import Note
from .when import OldZone, item_time
from .records import Item

PUBLISHED, SCHEDULED, DRAFT = "published", "scheduled", "draft"
STATES = {"publish": PUBLISHED, "future": SCHEDULED, "draft": DRAFT, "pending": DRAFT, "private": DRAFT}
SKIPPED_STATES = {"trash": "it is in the bin", "auto-draft": "it is an automatic draft WordPress made and nobody wrote",
                  "inherit": "it is a revision"}
TYPE_WORDS = {"revision": "a revision", "nav_menu_item": "a menu item", "wp_block": "a reusable block",
              "wp_template": "a template", "wp_template_part": "a template part", "wp_global_styles": "global styles",
              "wp_navigation": "a navigation menu", "custom_css": "custom CSS", "customize_changeset": "a Customizer draft",
              "oembed_cache": "a cached embed", "user_request": "a personal-data request", "wp_font_family": "a font",
              "wp_font_face": "a font"}
# Addresses the build makes itself (site.RESERVED, and the registry's and the assets' folders): a
# top-level page cannot have them.
RESERVED_PAGES = {"category", "tag", "page", "archives", "feed", "404", "sitemap", "robots", "pilots", "forums",
                  "images", "documents", "comments", "pagefind", "static", "css", "js"}
_TAGS = re.compile(r"<[^>]*>|\[[^\]]*\]")


@dataclass(frozen=True)
class Entry:
    """A post or page that will be written."""

    item: Item
    """The item without its body (bodies are read again in the second pass)."""
    kind: str
    source: str
    state: str
    title: str
    slug: str
    date: datetime | None
    updated: datetime | None
    old_path: str
    """Its pretty address on the old blog ('/2010/04/23/x/'), '' when it had none."""


@dataclass(frozen=True)
class Attachment:
    item: Item
    key: str
    """Its path under wp-content/uploads ('2010/04/room.jpg')."""
    alt: str
    caption: str


@dataclass
class Index:
    config: Config
    site: OldSite
    zone: OldZone
    entries: dict[int, Entry] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    """WordPress's category slug → the name written in front matter."""
    category_parents: dict[str, str] = field(default_factory=dict)
    category_ids: dict[str, int] = field(default_factory=dict)
    """WordPress's category slug → its term id (for the old /?cat=ID addresses)."""
    tags: dict[str, str] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)
    nav: dict[int, int] = field(default_factory=dict)
    """Page id → its place in the site's navigation."""
    notes: list[Note] = field(default_factory=list)

    def category_path(self, slug: str) -> list[str]:
        """A nested category's old address parts: ['parent', 'child']."""
        path = [slug]
        while self.category_parents.get(path[0]) and self.category_parents[path[0]] not in path:
            path.insert(0, self.category_parents[path[0]])
        return path

    def note(self, item: Item, section: str, message: str) -> None:
        self.notes.append(Note(section, f"{item.file}:{item.line}", message))


def lightened(item: Item) -> Item:
    """The item as the first pass keeps it: no body, no comments."""
    return replace(item, content="", comments=(), excerpt=item.excerpt if item.post_type == "attachment" else "")


def derived_title(item: Item) -> str:
    """The title, or the first words of the text when WordPress had none."""
    if item.title.strip():
        return html.unescape(item.title).strip()
    words = html.unescape(_TAGS.sub(" ", item.content)).split()
    text = " ".join(words[:8])
    return (text[:70].rsplit(" ", 1)[0] + "…") if len(text) > 70 else (text + ("…" if len(words) > 8 else ""))


def state_of(item: Item) -> tuple[str | None, str]:
    """(published / scheduled / draft, or None to skip it; why, for the report)."""
    if item.status in SKIPPED_STATES:
        return None, SKIPPED_STATES[item.status]
    if item.password.strip():
        return DRAFT, "it was protected by a password in WordPress, so it is imported as a draft and never published as it is"
    state = STATES.get(item.status)
    if item.status in ("private", "pending"):
        words = "private" if item.status == "private" else "waiting for review"
        return DRAFT, f"it was {words} in WordPress, so it is imported as a draft"
    if state is None:
        return DRAFT, f"its WordPress status '{item.status or 'none'}' is unknown here, so it is imported as a draft"
    return state, ""


def post_source(day: datetime, slug: str) -> str:
    return f"content/posts/{day:%Y-%m-%d}-{slug}.md"


def base_slug(item: Item, title: str) -> str:
    return slugify(unquote(item.name)) or slugify(title) or f"{item.post_type}-{item.post_id}"


def claim(wanted: str, taken: set[str]) -> str:
    """`wanted`, or wanted-2.md, -3… when another item has it."""
    stem, dot, extension = wanted.rpartition(".")
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}{dot}{extension}", number + 1
    taken.add(candidate)
    return candidate


def page_parts(page: Item, pages: dict[int, Item], slugs: dict[int, str]) -> tuple[list[str], bool]:
    """The slugs from the top page down to this one; False when a parent is not in the export."""
    parts, seen, current, complete = [slugs[page.post_id]], {page.post_id}, page, True
    while current.parent:
        parent = pages.get(current.parent)
        if parent is None or parent.post_id in seen:  # not exported, or a loop
            complete = False
            break
        parts.insert(0, slugs[parent.post_id])
        seen.add(parent.post_id)
        current = parent
    return parts, complete


def term_names(terms: list[tuple[str, str]], kind: str, index: Index) -> dict[str, str]:
    """WordPress slug → a name whose address the build can make, one spelling per address."""
    names: dict[str, str] = {}
    by_address: dict[str, str] = {}
    for number, (slug, name) in enumerate(terms, start=1):
        name = html.unescape(name).strip() or unquote(slug)
        address = slugify(name)
        if not address:
            fallback = slugify(unquote(slug)) or f"{kind}-{number}"
            changed = f"{name} ({fallback})"
            index.notes.append(Note("changed", f"the {kind} '{name}'", f"has no letters a-z or digits to make an address from; "
                                               f"it is named '{changed}', at /{kind}/{slugify(changed)}/"))
            name, address = changed, slugify(changed)
        first = by_address.setdefault(address, name)
        if first != name:
            index.notes.append(Note("changed", f"the {kind} '{name}'", f"is spelt '{first}', like the {kind} it shares an address with"))
        names[slug] = first
    return names


def time_of(item: Item, index: Index) -> tuple[datetime | None, datetime | None]:
    zone = index.config.zone
    published = item_time(item.post_date, item.post_date_gmt, index.zone, zone)
    updated = item_time(item.modified, item.modified_gmt, index.zone, zone)
    if published is None or updated is None or updated.date() <= published.date():
        updated = None  # same-day saves are not news to readers
    return published, updated

"""The first pass: every item's place, from the whole export, before any body is converted.

Links between posts can point forwards or backwards in the file, drafts need the time zone that
the other items teach, and a page's folder needs its parents: so the export is read once for
this catalogue (without bodies, so memory stays small) and once more to convert.
"""

from __future__ import annotations

from ...config import Config
from .naming import (PUBLISHED, RESERVED_PAGES, SCHEDULED, TYPE_WORDS, Attachment, Entry, Index, base_slug, claim, page_parts,
                     post_source, state_of, term_names, time_of)
from .oldsite import OldSite, normal_path
from .when import learn_zone, parse_stamp
from .records import Channel, Item


def make_index(items: list[Item], titles: dict[int, str], channels: list[Channel], config: Config) -> Index:
    """`items` without bodies, in export order; `titles` the derived title of each item that had none."""
    first = channels[0]
    site = OldSite.from_addresses(first.base_blog_url or first.link, first.base_site_url, first.link)
    pairs = [(local, utc) for item in items if item.post_type in ("post", "page")
             for local, utc in [(parse_stamp(item.post_date), parse_stamp(item.post_date_gmt))] if local and utc]
    index = Index(config, site, learn_zone(pairs, config.zone))
    for channel in channels:
        index.authors.update(channel.authors)
    items = _unique(items, index)
    _name_terms(items, channels, index)
    _attachments(items, index)
    posts, pages = _sort_out(items, index)
    _place_posts(posts, titles, index)
    _place_pages(pages, titles, index)
    _menu(items, index)
    return index


def _unique(items: list[Item], index: Index) -> list[Item]:
    seen: dict[int, Item] = {}
    for item in items:
        if item.post_id in seen:
            index.note(item, "skipped", f"item {item.post_id} is in the export twice (first at {seen[item.post_id].file}:"
                                        f"{seen[item.post_id].line}); the first is imported")
            continue
        seen[item.post_id] = item
    return list(seen.values())


def _name_terms(items: list[Item], channels: list[Channel], index: Index) -> None:
    for taxonomy, kind, target in (("category", "category", index.categories), ("post_tag", "tag", index.tags)):
        found: dict[str, str] = {}
        for channel in channels:
            for term in channel.terms:
                if term.taxonomy == taxonomy:
                    found.setdefault(term.slug, term.name)
                    if taxonomy == "category" and term.parent:
                        index.category_parents.setdefault(term.slug, term.parent)
                    if taxonomy == "category" and term.term_id:
                        index.category_ids.setdefault(term.slug, term.term_id)
        for item in items:
            for term in item.terms:
                if term.taxonomy == taxonomy and term.slug:
                    found.setdefault(term.slug, term.name)
        target.update(term_names(list(found.items()), kind, index))


def _attachments(items: list[Item], index: Index) -> None:
    for item in items:
        if item.post_type != "attachment":
            continue
        key = index.site.media_key(item.attachment_url) or item.meta_value("_wp_attached_file").strip().lstrip("/")
        if not key:
            index.note(item, "media", f"attachment {item.post_id} ('{item.title}') has no file address")
            continue
        alt = " ".join(item.meta_value("_wp_attachment_image_alt").split())
        index.attachments[item.post_id] = Attachment(item, key, alt, " ".join(item.excerpt.split()))
        index.by_key.setdefault(key, item.post_id)


def _sort_out(items: list[Item], index: Index) -> tuple[list[Item], list[Item]]:
    posts, pages = [], []
    for item in items:
        if item.post_type == "attachment":
            continue
        if item.post_type not in ("post", "page"):
            what = TYPE_WORDS.get(item.post_type, f"of the type '{item.post_type}', which has no place in this site")
            index.note(item, "skipped", f"'{item.title or item.post_id}' is {what}")
            continue
        state, why = state_of(item)
        if state is None:
            index.note(item, "skipped", f"{item.post_type} '{item.title or item.post_id}': {why}")
            continue
        if why:
            index.note(item, "changed", f"{item.post_type} '{item.title or item.post_id}': {why}")
        (posts if item.post_type == "post" else pages).append(item)
    return posts, pages


def _place_posts(posts: list[Item], titles: dict[int, str], index: Index) -> None:
    taken: set[str] = set()
    dated = []
    for item in posts:
        published, updated = time_of(item, index)
        if published is None:
            index.note(item, "skipped", f"post '{item.title or item.post_id}' has no date (no wp:post_date or wp:post_date_gmt)")
            continue
        dated.append((published, item.post_id, item, updated))
    for published, _, item, updated in sorted(dated, key=lambda d: (d[0], d[1])):
        title = _title(item, titles, index)
        slug = base_slug(item, title)
        source = claim(post_source(published, slug), taken)
        if not source.endswith(f"-{slug}.md"):
            index.note(item, "changed", f"post '{title}' would be {post_source(published, slug)}, like an older post; it is {source}")
        state = _state(item, published)
        slug = source[len(f"content/posts/{published:%Y-%m-%d}-"):-len(".md")]  # with its -2 when it had to be told apart
        index.entries[item.post_id] = Entry(item, "post", source, state, title, slug, published, updated, _old_path(item, index))


def _state(item: Item, published) -> str:
    state, _ = state_of(item)
    return SCHEDULED if state == PUBLISHED and item.status == "future" else state


def _place_pages(pages: list[Item], titles: dict[int, str], index: Index) -> None:
    by_id = {page.post_id: page for page in pages}
    slugs = {page.post_id: base_slug(page, _title(page, titles, index, quiet=True)) for page in pages}
    taken: set[str] = set()
    for page in sorted(pages, key=lambda p: p.post_id):
        parts, complete = page_parts(page, by_id, slugs)
        if not complete:
            index.note(page, "changed", f"page '{page.title}': its parent page is not in the export, so it is a top-level page")
        if len(parts) == 1 and (parts[0] in RESERVED_PAGES or parts[0].isdigit()):
            index.note(page, "changed", f"page '{page.title}': the address /{parts[0]}/ is the site's own; it is /{parts[0]}-page/")
            parts[0] += "-page"
        source = claim("content/pages/" + "/".join(parts) + ".md", taken)
        _, updated = time_of(page, index)
        title = _title(page, titles, index)
        state, _ = state_of(page)
        index.entries[page.post_id] = Entry(page, "page", source, state, title, source.rsplit("/", 1)[1][:-3], None, updated,
                                            _old_path(page, index))


def _title(item: Item, titles: dict[int, str], index: Index, quiet: bool = False) -> str:
    if item.title.strip():
        return titles.get(item.post_id, item.title)
    title = titles.get(item.post_id) or f"Untitled {item.post_type} {item.post_id}"
    if not quiet:
        index.note(item, "changed", f"{item.post_type} {item.post_id} had no title; it is titled '{title}' from its first words"
                   if item.post_id in titles and titles[item.post_id] else f"{item.post_type} {item.post_id} had no title or text; it is titled '{title}'")
    return title


def _old_path(item: Item, index: Index) -> str:
    address = index.site.address(item.link)
    if address is None or address[1]:
        return ""  # a draft's ?p=123 address: the query redirects cover it
    path = normal_path(address[0])
    index.by_path.setdefault(path, item.post_id)
    return path


def _menu(items: list[Item], index: Index) -> None:
    """The pages of the first WordPress menu in its order, else every top-level page by menu order."""
    menus: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        if item.post_type == "nav_menu_item" and item.meta_value("_menu_item_object") == "page":
            target = item.meta_value("_menu_item_object_id").strip()
            menu = next((t.slug for t in item.terms if t.taxonomy == "nav_menu"), "")
            if target.isdigit():
                menus.setdefault(menu, []).append((item.menu_order, int(target)))
    if menus:
        chosen = max(sorted(menus), key=lambda menu: len(menus[menu]))  # the main menu is the longest
        order = [page for _, page in sorted(menus[chosen])]
    else:
        tops = [e for e in index.entries.values() if e.kind == "page" and "/" not in e.source[len("content/pages/"):]]
        order = [e.item.post_id for e in sorted(tops, key=lambda e: (e.item.menu_order, e.title.lower(), e.item.post_id))]
    places = [page for page in order if page in index.entries and index.entries[page].state == PUBLISHED]
    index.nav.update({page: number for number, page in enumerate(dict.fromkeys(places), start=1)})


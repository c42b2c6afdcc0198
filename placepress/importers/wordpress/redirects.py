"""data/redirects.yaml: the old site's addresses and where each leads now (the redirects contract).

Posts keep their /year/month/day/slug/ address when the site's permalink is WordPress's; every
other address people may have is listed: `?p=ID` and `?page_id=ID` (WordPress's short links,
and every draft's), attachment pages and `?attachment_id=ID`, the uploads' own addresses, the
feeds (`/feed/`, `/comments/feed/`, `/category/x/feed/`) for old subscribers, `/author/x/`, a
category whose address changes (nested categories become flat: /category/parent/child/ leads to
/category/child/), and a post or page whose address changes (another permalink pattern, a slug
that had to change, or an old slug WordPress remembered). `from` is the old address from the
blog's root, `to` a content file or an address the build makes.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from ...fields import slugify
from .media import Library
from .naming import PUBLISHED, Entry, Index
from .yamlout import dump

PATH = "data/redirects.yaml"
HEADER = ("# Old addresses and where they lead now. The build checks every target exists and publishes\n"
          "# them as a _redirects file (Netlify) and as small redirect pages (GitHub Pages and others).\n"
          "# Written by `build.py import-wordpress`; edit it freely (a later import leaves an edited file alone).\n")


class Redirects:
    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        """Addresses the new site itself publishes: never redirected away."""
        self.entries: dict[str, str] = {}

    def add(self, old: str, new: str) -> None:
        """The first target given for an address wins; an address that is a page of the new site, or
        that leads to itself, is not redirected."""
        old = quote(old, safe="/?=&%:@!$'()*+,;~-._")  # as a browser asks for it: no spaces, no raw non-ASCII
        if not old.startswith("/") or old == new or old in self.taken or old in self.entries:
            return
        self.entries[old] = new

    def text(self) -> str | None:
        if not self.entries:
            return None
        ordered = [{"from": old, "to": new} for old, new in sorted(self.entries.items(), key=lambda pair: (_order(pair[0]), pair[0]))]
        return HEADER + dump({"redirects": ordered})


def _order(address: str) -> int:
    """Query-string addresses first, then paths: the order an editor looks for them."""
    return 0 if address.startswith("/?") else 1


def new_address(entry: Entry, index: Index) -> str:
    if entry.kind == "page":
        return "/" + entry.source[len("content/pages/"):-len(".md")] + "/"
    return index.config.permalink.format(year=f"{entry.date:%Y}", month=f"{entry.date:%m}", day=f"{entry.date:%d}", slug=entry.slug)


def redirect_list(index: Index, library: Library) -> Redirects:
    published = [e for _, e in sorted(index.entries.items()) if e.state == PUBLISHED]
    redirects = Redirects({new_address(e, index) for e in published})
    for entry in published:
        redirects.add(f"/?{'page_id' if entry.kind == 'page' else 'p'}={entry.item.post_id}", entry.source)
        redirects.add(f"/?p={entry.item.post_id}", entry.source)
        if entry.old_path:
            redirects.add(entry.old_path, entry.source)
        for key, value in entry.item.meta:
            if key == "_wp_old_slug" and entry.kind == "post" and slugify(unquote(value)):
                old = index.config.permalink.format(year=f"{entry.date:%Y}", month=f"{entry.date:%m}", day=f"{entry.date:%d}", slug=unquote(value).strip())
                redirects.add(old, entry.source)
    for number, attachment in sorted(index.attachments.items()):
        file = library.found.get(attachment.key)
        if file:
            redirects.add(f"/?attachment_id={number}", file)
            address = index.site.address(attachment.item.link)
            if address and not address[1]:
                redirects.add(address[0], file)
            if index.site.is_ours(attachment.item.attachment_url):
                redirects.add("/wp-content/uploads/" + attachment.key, file)
    if any(e.kind == "post" for e in published):
        for old in ("/feed/", "/feed/atom/", "/feed/rss2/", "/comments/feed/", "/?feed=rss2", "/?feed=atom"):
            redirects.add(old, "/feed.xml")
    _term_redirects(index, published, redirects)
    return redirects


def _term_redirects(index: Index, published: list[Entry], redirects: Redirects) -> None:
    used = {(t.taxonomy, t.slug) for e in published if e.kind == "post" for t in e.item.terms}
    for slug, name in sorted(index.categories.items()):
        if ("category", slug) in used:
            old = "/category/" + "/".join(index.category_path(slug)) + "/"
            new = f"/category/{slugify(name)}/"
            redirects.add(old, new)
            redirects.add(old + "feed/", new + "feed.xml")
            if slug in index.category_ids:
                redirects.add(f"/?cat={index.category_ids[slug]}", new)
    for slug, name in sorted(index.tags.items()):
        if ("post_tag", slug) in used:
            redirects.add(f"/tag/{slug}/", f"/tag/{slugify(name)}/")
    for login in sorted({e.item.creator for e in published if e.kind == "post" and e.item.creator}):
        redirects.add(f"/author/{login}/", "/")

"""Outputs that are not templated pages: Atom feeds, the sitemap, robots.txt.

Written by hand with escaping, not through a template, so that they are
well-formed whatever an editor types, and byte-identical from build to build.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Mapping, Sequence
from html import escape as _escape

from .markup import Body
from .model import Post, distinct_names
from .routes import Route
from .site import Site, Term

def escape(text: str) -> str:
    """XML character data. (xml.sax.saxutils would do, but it imports urllib.request and the
    email package: a tenth of a no-change build's start-up.)"""
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    return f'"{_escape(text, quote=True)}"'


_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_FRAGMENT_ONLY = re.compile(r'(\shref=")#')
# Feed readers show a plain <img>: no <picture>, no choice of widths (srcset holds site paths).
_PICTURE_PARTS = re.compile(r'</?picture>|<source\b[^>]*>|\s(?:srcset|sizes|loading|decoding)="[^"]*"')


def utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(site: Site, path: str) -> str:
    return site.config.absolute_url(path)


def entry_id(site: Site, post: Post) -> str:
    """A tag: URI (RFC 4151) from the site's id domain, the post's date and slug: it
    survives a change of host, permalink pattern or base path, so readers see no duplicates."""
    return f"tag:{site.config.identity},{post.date:%Y-%m-%d}:{post.slug}"


def atom_feed(site: Site, posts: Sequence[Post], bodies: Mapping[str, Body], feed_url: str, page_url: str, title: str) -> bytes:
    posts = list(posts[: site.config.feed_entries])
    # An empty feed takes a fixed date, not the build's "now": same input, same bytes.
    newest = max((p.updated or p.date for p in posts), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    author = site.config.author or site.config.title
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.config.language)}>',
        f"  <id>{escape(absolute(site, page_url))}</id>",
        f"  <title>{escape(title)}</title>",
    ]
    if site.config.tagline:
        lines.append(f"  <subtitle>{escape(site.config.tagline)}</subtitle>")
    lines += [
        f"  <updated>{utc(newest)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(site, feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(site, page_url))}/>',
        f"  <author><name>{escape(author)}</name></author>",
        '  <generator uri="https://pypi.org/project/placepress/">PlacePress</generator>',
    ]
    categories = {t.name: t for t in site.categories}
    for post in posts:
        lines += _entry(site, post, bodies[post.source], categories)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(site: Site, post: Post, body: Body, categories: Mapping[str, Term]) -> list[str]:
    link = absolute(site, site.url_of(post))
    html = _ROOT_RELATIVE.sub(lambda m: m.group(1) + site.config.origin + "/", _PICTURE_PARTS.sub("", body.html))
    # Footnotes link within the page; in a feed they must name the post, or readers open the feed.
    html = _FRAGMENT_ONLY.sub(lambda m: m.group(1) + link + "#", html)
    lines = [
        "  <entry>",
        f"    <id>{escape(entry_id(site, post))}</id>",
        f"    <title>{escape(post.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
        f"    <published>{utc(post.date)}</published>",
        f"    <updated>{utc(post.updated or post.date)}</updated>",
    ]
    if post.author:
        lines.append(f"    <author><name>{escape(post.author)}</name></author>")
    for name in distinct_names(post.categories):  # a category named on two lines is one category
        term = categories[name]
        scheme = absolute(site, "/category/")
        lines.append(f"    <category term={quoteattr(term.slug)} label={quoteattr(term.name)} scheme={quoteattr(scheme)}/>")
    summary = post.summary or body.excerpt
    if summary:
        lines.append(f"    <summary>{escape(summary)}</summary>")
    lines += [f'    <content type="html">{escape(html)}</content>', "  </entry>"]
    return lines


def feed_urls(site: Site) -> dict[str, tuple[str, str, tuple[Post, ...]]]:
    """Every feed's address, with the address of the page it follows, its title and its posts."""
    urls = {"/feed.xml": ("/", site.config.title, site.posts)}
    for term in site.categories:
        url = f"/category/{term.slug}/"
        urls[f"{url}feed.xml"] = (url, f"{site.config.title}: {term.name}", term.posts)
    return urls


def feeds(site: Site, bodies: Mapping[str, Body]) -> dict[str, bytes]:
    return {feed: atom_feed(site, posts, bodies, feed, page, title) for feed, (page, title, posts) in feed_urls(site).items()}


def last_modified(route: Route) -> datetime | None:
    """When a page's content last changed, from the posts it shows."""
    context = route.context
    if "post" in context:
        return context["post"].updated or context["post"].date
    if "page" in context:
        return context["page"].updated
    posts: Iterable[Post] = ()
    if "pager" in context:
        posts = context["pager"].items
    elif "period" in context:
        posts = context["period"].posts
    elif "years" in context:
        posts = (p for year, _ in context["years"] for p in year.posts)
    return max((p.updated or p.date for p in posts), default=None)


def sitemap(site: Site, routes: Sequence[Route]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for route in sorted(routes, key=lambda r: r.url):
        if not route.url.endswith("/"):
            continue  # the 404 page and other files are not places to send a search engine
        modified = last_modified(route)
        lastmod = f"<lastmod>{modified.isoformat(timespec='seconds')}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(absolute(site, route.url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nDisallow:\n\nSitemap: {absolute(site, '/sitemap.xml')}\n".encode("utf-8")

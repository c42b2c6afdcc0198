"""Every page the site has: its URL, its template and what the template sees.

Pure: a list of Route records from the Site. URLs here are site-relative
('/2010/04/23/slug/'); templates add the base path through `url()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any, Mapping, NamedTuple, Sequence

from .dates import MONTHS, long_date
from .model import Post, distinct_names
from .problems import Problem
from .site import Site, Term



class Route(NamedTuple):
    """A tuple, not a frozen dataclass: every build makes one for each page of the site (16,600
    at 10,000 posts), in a third of the time."""

    url: str
    template: str
    context: Mapping[str, Any]
    source: str = ""
    """The content file this page shows, for reports; '' for listings."""


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    items: tuple[Post, ...]
    url: str
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class Period:
    """A year or a month of the archive."""

    url: str
    label: str
    posts: tuple[Post, ...]


def output_path(url: str) -> str:
    """'/a/b/' gives 'a/b/index.html'; '/feed.xml' gives 'feed.xml'."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


PAGED = "page"
"""The folder of the second and later pages of a listing: /page/2/, /category/x/page/2/."""


def paginate(posts: Sequence[Post], per_page: int, first_url: str) -> list[Pager]:
    """WordPress's paging: first_url, then first_url + 'page/2/' and on."""
    chunks = [tuple(posts[i:i + per_page]) for i in range(0, len(posts), per_page)] or [()]
    urls = [first_url] + [f"{first_url}{PAGED}/{n}/" for n in range(2, len(chunks) + 1)]
    return [
        Pager(n + 1, len(chunks), chunk, urls[n], urls[n - 1] if n else None, urls[n + 1] if n + 1 < len(urls) else None)
        for n, chunk in enumerate(chunks)
    ]


def make_routes(site: Site) -> list[Route]:
    routes = home_routes(site) + post_routes(site) + page_routes(site)
    routes += term_routes(site, site.categories, "category") + term_routes(site, site.tags, "tag")
    routes += archive_routes(site) + registry_routes(site)
    if site.config.search:
        routes.append(Route("/search/", "search.html",
                            {"title": "Search", "description": f"Search {site.config.title}: posts, pages, pilot areas and forums."}))
    routes.append(Route("/404.html", "404.html", {"title": "Page not found"}))
    return routes


def home_routes(site: Site) -> list[Route]:
    return [Route(p.url, "index.html", {"pager": p, "title": site.config.title if p.number == 1 else f"Latest posts, page {p.number}"})
            for p in paginate(site.posts, site.config.posts_per_page, "/")]


def post_routes(site: Site) -> list[Route]:
    routes = []
    posts = site.posts
    categories = {t.name: t for t in site.categories}
    tags = {t.name: t for t in site.tags}
    urls = site.urls
    last = len(posts) - 1
    for index, post in enumerate(posts):
        context = {
            "post": post,
            "title": post.title,
            "newer": posts[index - 1] if index > 0 else None,
            "older": posts[index + 1] if index < last else None,
            # By name: a term named twice, on two lines, is shown once.
            "categories": [categories[name] for name in distinct_names(post.categories)],
            "tags": [tags[name] for name in distinct_names(post.tags)],
        }
        routes.append(Route(urls[post.source], "post.html", context, post.source))
    return routes


def page_routes(site: Site) -> list[Route]:
    return [Route(site.url_of(page), "page.html", {"page": page, "title": page.title}, page.source) for page in site.pages]


def term_routes(site: Site, terms: Sequence[Term], kind: str) -> list[Route]:
    routes = []
    for term in terms:
        base = f"/{kind}/{term.slug}/"
        feed = f"{base}feed.xml" if kind == "category" else None
        for pager in paginate(term.posts, site.config.posts_per_page, base):
            context = {"term": term, "kind": kind, "pager": pager, "feed_url": feed, "title": _term_title(term, kind, pager)}
            routes.append(Route(pager.url, "term.html", context))
    return routes


def _term_title(term: Term, kind: str, pager: Pager) -> str:
    label = "Category" if kind == "category" else "Tag"
    page = f", page {pager.number}" if pager.number > 1 else ""
    return f"{label}: {term.name}{page}"


def archive_routes(site: Site) -> list[Route]:
    years = archive_years(site.posts)
    routes = [Route("/archives/", "archives.html", {"years": years, "title": "Archives"})]
    for year, months in years:
        routes.append(Route(year.url, "archive.html", {"period": year, "months": months, "title": f"Posts from {year.label}"}))
        for month in months:
            routes.append(Route(month.url, "archive.html", {"period": month, "months": [], "title": f"Posts from {month.label}"}))
    return routes


def archive_years(posts: Sequence[Post]) -> list[tuple[Period, list[Period]]]:
    """Newest year first; in each, its months newest first. Posts keep their order."""
    years = []
    for year, in_year in groupby(posts, key=lambda p: p.date.year):
        in_year = tuple(in_year)
        months = [Period(f"/{year}/{month:02d}/", f"{MONTHS[month - 1]} {year}", tuple(group))
                  for month, group in groupby(in_year, key=lambda p: p.date.month)]
        years.append((Period(f"/{year}/", str(year), in_year), months))
    return years


def registry_routes(site: Site) -> list[Route]:
    """The pilots' and forums' pages; none when the site keeps no registry."""
    registry = site.registry
    routes = []
    named_by: dict[str, list[Post]] = {}  # one pass over the posts, not one for each area
    with_pilots = [post for post in site.posts if post.pilots]
    for post in with_pilots:
        for ident in distinct_names(post.pilots):
            named_by.setdefault(ident, []).append(post)
    if registry.areas or registry.programmes:
        routes.append(Route("/pilots/", "pilots.html", {"title": "Pilot areas",
                            "description": "The Total Place pilot areas and the Greater Manchester City Region pilot: themes, places and sources."}))
    for programme in registry.programmes:
        named = {programme.id, *(s.id for s in programme.sub_pilots)}
        context = {"programme": programme, "title": programme.name, "description": programme.summary,
                   "areas": [a for a in registry.areas if a.programme == programme.id],
                   "posts": [p for p in with_pilots if any(r.name in named for r in p.pilots)],
                   "forums": [f for f in registry.forums if named & set(f.concerns)]}
        routes.append(Route(f"/pilots/{programme.id}/", "programme.html", context, "data/pilots.yaml"))
    for area in registry.areas:
        context = {"area": area, "title": area.name, "programme": registry.programme(area.programme),
                   "description": f"{area.name}, a {registry.programme(area.programme).name} pilot area in {area.region}.",
                   "posts": named_by.get(area.id, []),
                   "forums": [f for f in registry.forums if area.id in f.concerns]}
        routes.append(Route(f"/pilots/{area.id}/", "pilot.html", context, "data/pilots.yaml"))
    if registry.forums:
        past_years = [(year, list(group)) for year, group in groupby(site.past, key=lambda f: f.start.year)]
        routes.append(Route("/forums/", "forums.html", {"title": "Community forums", "upcoming": site.upcoming, "past_years": past_years,
                            "description": "Community forums on public-service reform in Manchester: dates, venues and calendars."}))
    for forum in registry.forums:
        context = {"forum": forum, "title": forum.title, "upcoming": forum in site.upcoming,
                   "description": f"{forum.title}, {long_date(forum.start)}."}
        routes.append(Route(f"/forums/{forum.id}/", "forum.html", context, "data/pilots.yaml"))
    return routes


def reserved_names(routes: Sequence[Route], others: Sequence[str]) -> dict[str, str]:
    """The first part of every address the site generates itself, with one such address: every
    route that shows no content file, and `others` (feeds, calendars, static files, …).

    The list comes from what is generated, so an address that a new route or output adds is
    reserved with no list to keep. The home's later pages are reserved even before there are
    enough posts to need them, and a file at the top (feed.xml) reserves its name without the
    extension too (/feed/), which readers and old links take to be the same."""
    names = {PAGED: f"/{PAGED}/2/"}
    for url in sorted([route.url for route in routes if not route.source.startswith("content/")] + list(others)):
        first = url.strip("/").split("/")[0]
        if first:
            names.setdefault(first, url)
            if "/" not in url.strip("/") and "." in first:
                names.setdefault(first.split(".")[0], url)
    return names


def check_reserved(routes: Sequence[Route], others: Sequence[str], lines: Mapping[str, Mapping[str, int]]) -> list[Problem]:
    """A post or page whose address starts with one the site generates: it would be lost or
    would hide the generated one. `lines` gives each content file's field lines. A post in its
    own year's folder (/2010/04/23/…) is where the archive expects it; a page may not take a year."""
    names = reserved_names(routes, others)
    generated = {route.url for route in routes if not route.source.startswith("content/")} | set(others)
    problems = []
    years: dict[int, str] = {}  # each year as %Y writes it, once (a build checks every post)
    for route in routes:
        if not route.source.startswith("content/"):
            continue
        first = route.url.lstrip("/").partition("/")[0]
        kind = "post" if route.template == "post.html" else "page"
        if kind == "post":
            date = route.context["post"].date
            year = years.get(date.year) or years.setdefault(date.year, f"{date:%Y}")
        in_its_year = kind == "post" and first == year
        taken = names.get(first) if not in_its_year else None
        if taken is None and kind == "page" and first.isdigit():
            taken = f"/{first}/"
        if route.url in generated:
            taken = route.url
        if taken is not None:
            field_lines = lines.get(route.source, {})
            problems.append(Problem(route.source, field_lines.get("slug", 1),
                                    f"the address {route.url} is used by the site itself"
                                    f"{'' if taken == route.url else f' (for {taken})'}; give this {kind} another 'slug'"))
    return problems

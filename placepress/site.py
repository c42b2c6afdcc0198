"""The checked, frozen whole: which posts are published, where everything lives.

`assemble_site` is pure. It decides what a build publishes (no drafts, nothing
dated after "now") and checks what needs more than one file to see: two
things at one address, two names with one slug, links to missing files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .config import Config
from .content import DOCUMENTS
from .fields import slugify
from .model import Link, Page, Post, Ref
from .problems import Problem, did_you_mean

# Addresses the build itself uses; a page may not take them.
RESERVED = {"category", "tag", "page", "archives", "feed.xml", "404.html", "sitemap.xml", "robots.txt"}


@dataclass(frozen=True)
class Term:
    """A category or a tag, with its posts newest first."""

    name: str
    slug: str
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Site:
    config: Config
    now: datetime
    posts: tuple[Post, ...]
    """Published posts, newest first."""
    pages: tuple[Page, ...]
    categories: tuple[Term, ...]
    tags: tuple[Term, ...]
    urls: dict[str, str]
    """Content file → site-relative URL ('/2010/04/23/slug/') of everything published,
    uploaded documents included."""

    def url_of(self, record: Post | Page) -> str:
        return self.urls[record.source]

    @property
    def nav(self) -> tuple[Page, ...]:
        return tuple(sorted((p for p in self.pages if p.nav is not None), key=lambda p: (p.nav, p.title)))


def is_published(post: Post, now: datetime) -> bool:
    return not post.draft and post.date <= now


def post_url(post: Post, config: Config) -> str:
    return config.permalink.format(year=f"{post.date:%Y}", month=f"{post.date:%m}", day=f"{post.date:%d}", slug=post.slug)


def document_url(source: str) -> str:
    """'content/documents/briefing.pdf' is published at '/documents/briefing.pdf'."""
    return "/documents/" + source.removeprefix(DOCUMENTS)


def assemble_site(config: Config, posts: list[Post], pages: list[Page], now: datetime,
                  documents: tuple[str, ...] = ()) -> tuple[Site, list[Problem]]:
    published = sorted((p for p in posts if is_published(p, now)), key=lambda p: (p.date, p.slug), reverse=True)
    live_pages = sorted((p for p in pages if not p.draft), key=lambda p: p.slug)
    urls = {p.source: post_url(p, config) for p in published}
    urls.update({p.source: f"/{p.slug}/" for p in live_pages})
    problems = check_addresses(published, live_pages, urls)
    categories, category_problems = collect_terms(published, "categories")
    tags, tag_problems = collect_terms(published, "tags")
    problems += category_problems + tag_problems
    unpublished = {p.source: p for p in [*posts, *pages] if p.source not in urls}
    urls.update({source: document_url(source) for source in documents})
    problems += check_links([*published, *live_pages], urls, unpublished, now)
    site = Site(config, now, tuple(published), tuple(live_pages), categories, tags, urls)
    return site, problems


def check_addresses(posts: list[Post], pages: list[Page], urls: dict[str, str]) -> list[Problem]:
    problems = []
    owners: dict[str, Post | Page] = {}
    for record in [*posts, *pages]:
        url = urls[record.source]
        first = owners.setdefault(url, record)
        if first is not record:
            problems.append(Problem(record.source, record.field_lines.get("slug", 1),
                                    f"this is published at {url}, as is {first.source}; give one of them another 'slug'"))
    for page in pages:
        if page.slug in {r.split(".")[0] for r in RESERVED} or page.slug.isdigit():
            problems.append(Problem(page.source, page.field_lines.get("slug", 1),
                                    f"the address /{page.slug}/ is used by the site itself; give this page another 'slug'"))
    return problems


def collect_terms(posts: list[Post], field: str) -> tuple[tuple[Term, ...], list[Problem]]:
    """Group posts by category or tag name; two names with one slug are one problem."""
    by_slug: dict[str, dict[str, list[tuple[Post, Ref]]]] = {}
    for post in posts:
        for ref in dict.fromkeys(getattr(post, field)):
            by_slug.setdefault(slugify(ref.name), {}).setdefault(ref.name, []).append((post, ref))
    problems = []
    terms = []
    singular = "category" if field == "categories" else "tag"
    for slug, names in sorted(by_slug.items()):
        if not slug:
            for post, ref in (pair for uses in names.values() for pair in uses):
                problems.append(Problem(post.source, ref.line, f"the {singular} '{ref.name}' has no letters or digits to make an address from"))
            continue
        if len(names) > 1:
            problems.append(_slug_clash(singular, slug, names))
            continue
        name, uses = next(iter(names.items()))
        ordered = tuple(dict.fromkeys(post for post, _ in uses))
        terms.append(Term(name, slug, ordered))
    return tuple(terms), problems


def _slug_clash(singular: str, slug: str, names: dict[str, list[tuple[Post, Ref]]]) -> Problem:
    # One problem naming every file, reported at the first use.
    uses = sorted((post.source, ref.line, name) for name, pairs in names.items() for post, ref in pairs)
    spelled = " and ".join(f"'{n}'" for n in sorted(names))
    where = "; ".join(f"'{name}' in {source}:{line}" for source, line, name in uses)
    first_source, first_line, _ = uses[0]
    return Problem(first_source, first_line,
                   f"the {singular} names {spelled} both give the address /{singular}/{slug}/; spell them the same way ({where})")


def check_links(records: list[Post | Page], urls: dict[str, str], unpublished: dict[str, Post | Page], now: datetime) -> list[Problem]:
    problems = []
    known = sorted([*urls, *unpublished])
    for record in records:
        for link in record.links:
            problem = _link_problem(record, link, urls, unpublished, known, now)
            if problem:
                problems.append(problem)
    return problems


def _link_problem(record, link: Link, urls, unpublished, known, now) -> Problem | None:
    if link.resolved in urls:
        return None
    if link.resolved in unpublished:
        other = unpublished[link.resolved]
        why = "is a draft" if other.draft else f"is scheduled for {other.date:%Y-%m-%d}"
        return Problem(record.source, link.line, f"the link to '{link.target}' names {link.resolved}, which {why} and so is not published; remove the link or publish it first")
    relative = [k for k in known]
    hint = did_you_mean(link.resolved, relative)
    return Problem(record.source, link.line, f"the link to '{link.target}' names {link.resolved}, which does not exist{hint}")

"""The checked, frozen whole: which posts are published, where everything lives.

`assemble_site` is pure. It decides what a build publishes (no drafts, nothing
dated after "now") and checks what needs more than one file to see: two
things at one address, two names with one slug, links to missing files.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Mapping

from .config import Config
from .content import DOCUMENTS
from .fields import slugify
from .model import Page, Post, Ref, distinct_names
from .old_comments import OldComment
from .pictures.model import IMAGES, Picture
from .redirects import Redirect
from .problems import Problem, did_you_mean
from .registry import PATH as REGISTRY_PATH, Forum, Registry



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
    registry: Registry = Registry()
    preview: bool = False
    """True for `build.py serve`: drafts and scheduled posts are shown, with a banner."""
    pictures: Mapping[str, Picture] = field(default_factory=dict)
    """Every picture under content/images/, by its file."""
    unusable: frozenset[str] = frozenset()
    """Files under content/images/ that have problems of their own (reported already)."""
    old_comments: Mapping[str, tuple[OldComment, ...]] = field(default_factory=dict)
    """Readers' comments from the old site, by the content file they belong to."""
    redirects: tuple[Redirect, ...] = ()
    """Old addresses and where they lead (data/redirects.yaml)."""

    @property
    def upcoming(self) -> tuple[Forum, ...]:
        """Forums not yet over at the build's "now", soonest first."""
        return tuple(sorted((f for f in self.registry.forums if f.end > self.now), key=lambda f: (f.start, f.id)))

    @property
    def past(self) -> tuple[Forum, ...]:
        """Forums that have ended, most recent first. A past forum still 'scheduled' simply happened."""
        return tuple(sorted((f for f in self.registry.forums if f.end <= self.now), key=lambda f: (f.start, f.id), reverse=True))

    def url_of(self, record: Post | Page) -> str:
        return self.urls[record.source]

    @property
    def nav(self) -> tuple[Page, ...]:
        return tuple(sorted((p for p in self.pages if p.nav is not None), key=lambda p: (p.nav, p.title)))


def is_published(post: Post, now: datetime) -> bool:
    return not post.draft and post.date <= now


def post_url(post: Post, config: Config) -> str:
    date = post.date  # as strftime's %Y, %m and %d, without its cost at ten thousand posts
    return config.permalink.format(year=str(date.year), month=f"{date.month:02d}", day=f"{date.day:02d}", slug=post.slug)


def document_url(source: str) -> str:
    """'content/documents/briefing.pdf' is published at '/documents/briefing.pdf'."""
    return "/documents/" + source.removeprefix(DOCUMENTS)


def assemble_site(config: Config, posts: list[Post], pages: list[Page], now: datetime,
                  documents: tuple[str, ...] = (), registry: Registry | None = None,
                  preview: bool = False, pictures: Mapping[str, Picture] | None = None,
                  unusable: frozenset[str] = frozenset()) -> tuple[Site, list[Problem]]:
    """`preview` (for `build.py serve`) publishes drafts and scheduled posts too; templates mark them.
    Links in bodies are checked once the bodies are rendered (check_links); `unusable` names
    pictures with problems of their own, which the front matter's 'image' is not checked against."""
    pictures = pictures or {}
    registry = registry or Registry()
    published = sorted((p for p in posts if preview or is_published(p, now)), key=lambda p: (p.date, p.slug), reverse=True)
    live_pages = sorted((p for p in pages if preview or not p.draft), key=lambda p: p.path)
    urls = {p.source: post_url(p, config) for p in published}
    urls.update({p.source: p.path for p in live_pages})
    problems = check_addresses(published, live_pages, urls)
    categories, category_problems = collect_terms(published, "categories")
    tags, tag_problems = collect_terms(published, "tags")
    problems += category_problems + tag_problems
    urls.update({source: document_url(source) for source in documents})
    urls.update({source: picture.url for source, picture in pictures.items()})
    problems += check_images([*published, *live_pages], pictures, unusable)
    problems += check_pilot_ids(posts, registry)
    site = Site(config, now, tuple(published), tuple(live_pages), categories, tags, urls, registry, preview, pictures, unusable)
    return site, problems


def check_addresses(posts: list[Post], pages: list[Page], urls: dict[str, str]) -> list[Problem]:
    problems = []
    owners: dict[str, Post | Page] = {}
    for record in [*posts, *pages]:
        url = urls[record.source]
        first = owners.setdefault(url, record)
        if first is not record:
            # Report it where a 'slug' was written, if either file has one: that is what to change.
            here, other = (first, record) if "slug" in first.field_lines and "slug" not in record.field_lines else (record, first)
            problems.append(Problem(here.source, here.field_lines.get("slug", 1),
                                    f"this is published at {url}, as is {other.source}; give one of them another 'slug'"))
    for page in pages:
        wrong = [part for part in page.folder.split("/") if part and slugify(part) != part]
        if wrong:
            problems.append(Problem(page.source, 1, f"the folder '{wrong[0]}' will not work in an address; rename it {slugify(wrong[0])}"))
    # Addresses the site generates itself are checked against the routes (routes.check_reserved).
    return problems


def collect_terms(posts: list[Post], field: str) -> tuple[tuple[Term, ...], list[Problem]]:
    """Group posts by category or tag name; two names with one slug are one problem."""
    by_name: dict[str, list[Post]] = {}
    for post in posts:
        for name in distinct_names(getattr(post, field)):  # a post that names a term twice is listed once
            uses = by_name.get(name)
            if uses is None:
                by_name[name] = [post]
            else:
                uses.append(post)
    by_slug: dict[str, dict[str, list[Post]]] = {}
    for name, uses in by_name.items():  # slugify once a name: it is the slow part at ten thousand posts
        by_slug.setdefault(slugify(name), {})[name] = uses
    problems = []
    terms = []
    singular = "category" if field == "categories" else "tag"
    for slug, names in sorted(by_slug.items()):
        if not slug:
            for post, ref in _first_refs(names, field):
                problems.append(Problem(post.source, ref.line, f"the {singular} '{ref.name}' has no letters or digits to make an address from"))
            continue
        if len(names) > 1:
            problems.append(_slug_clash(singular, slug, _first_refs(names, field)))
            continue
        name, uses = next(iter(names.items()))
        # A post names a term once (names were de-duplicated above), so its posts are distinct.
        terms.append(Term(name, slug, tuple(uses)))
    return tuple(terms), problems


def _first_refs(names: dict[str, list[Post]], field: str) -> list[tuple[Post, Ref]]:
    """Each post with the first line where it names each of these names (for a problem's report)."""
    return [(post, next(ref for ref in getattr(post, field) if ref.name == name)) for name, posts in names.items() for post in posts]


def _slug_clash(singular: str, slug: str, pairs: list[tuple[Post, Ref]]) -> Problem:
    # One problem naming every file, reported at the first use.
    uses = sorted((post.source, ref.line, ref.name) for post, ref in pairs)
    quoted = [f"'{n}'" for n in sorted({ref.name for _, ref in pairs})]
    spelled = ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
    verb = "both give" if len(quoted) == 2 else "all give"
    where = "; ".join(f"'{name}' in {source}:{line}" for source, line, name in uses)
    first_source, first_line, _ = uses[0]
    return Problem(first_source, first_line,
                   f"the {singular} names {spelled} {verb} the address /{singular}/{slug}/; spell them the same way ({where})")


def check_pilot_ids(posts: list[Post], registry: Registry) -> list[Problem]:
    """Every id in a post's `pilots:` names a programme, area or sub-pilot (drafts too:
    a mistake is best found before the post is published)."""
    if registry.unreadable:
        return []  # the registry's own syntax error is the cause to fix; every id would look unknown
    known = registry.ids
    return [Problem(post.source, ref.line, f"'{ref.name}' in 'pilots' is not an id in {REGISTRY_PATH}{did_you_mean(ref.name, known)}")
            for post in posts for ref in post.pilots if ref.name not in known]


def check_images(records: list[Post | Page], pictures: Mapping[str, Picture], broken: frozenset[str]) -> list[Problem]:
    """The picture in each front matter's `image` exists (pictures in the text are checked as they are rendered)."""
    problems = []
    for record in records:
        wanted = record.image_source
        if not wanted or wanted in pictures or wanted in broken:
            continue
        line = record.field_lines.get("image", 1)
        if not wanted.startswith(IMAGES):
            problems.append(Problem(record.source, line, f"'image' must name a picture in {IMAGES}, found '{record.image}'"))
            continue
        here = posixpath.dirname(record.source)
        names = [posixpath.relpath(known, here) for known in pictures]
        problems.append(Problem(record.source, line, f"'image' names {wanted}, which does not exist{did_you_mean(record.image, names)}"))
    return problems


def check_links(records: list[Post | Page], every: list[Post | Page], links_of: Callable[[str], tuple[tuple[str, str], ...]],
                text_of: Callable[[str], str], urls: dict[str, str], broken: frozenset[str] = frozenset()) -> list[Problem]:
    """Every link the Markdown renderer recorded in each published body (`links_of`: the link as
    written and the file it names) that leads to nothing published: a missing file, a draft or
    a scheduled post. `every` is every post and page read, published or not; `text_of` gives a
    body's Markdown, to find the line a link is written on. A file in `broken` has problems of
    its own: links to it are not reported again."""
    problems = []
    unpublished = {r.source: r for r in every if r.source not in urls}
    known: list[str] = []  # every file, for suggestions: sorted only when a link is broken
    for record in records:
        text = None
        for href, resolved in links_of(record.source):
            if resolved in urls or resolved in broken:
                continue
            text = text_of(record.source) if text is None else text
            known = known or sorted([*urls, *unpublished])
            problems.append(_link_problem(record, href, resolved, link_line(text, record.body_line, href), unpublished, known))
    return problems


def link_line(text: str, body_line: int, href: str) -> int:
    """The line of the body on which a link's target is written (a reference's definition, or the
    next line when the target is written there), counted in the whole file."""
    for offset, line in enumerate(text.split("\n")):
        if href in line:
            return body_line + offset
    return body_line  # written with character references, say: the body's first line


def _link_problem(record: Post | Page, href: str, resolved: str, line: int, unpublished, known) -> Problem:
    if resolved in unpublished:
        other = unpublished[resolved]
        why = "is a draft" if other.draft else f"is scheduled for {other.date:%Y-%m-%d}"
        return Problem(record.source, line, f"the link to '{href}' names {resolved}, which {why} and so is not published; remove the link or publish it first")
    # Suggest what the editor would write (the path relative to this file), matching on the
    # file's name alone: every path shares '../pages/' and '.md', which would make anything look close.
    here = posixpath.dirname(record.source)
    by_name: dict[str, str] = {}
    for known_path in known:
        by_name.setdefault(posixpath.splitext(posixpath.basename(known_path))[0], posixpath.relpath(known_path, here))
    wanted = posixpath.splitext(posixpath.basename(href.split("#")[0]))[0]
    import difflib  # here: only a build with a broken link needs it

    close = difflib.get_close_matches(wanted, sorted(by_name), n=1, cutoff=0.6)
    close = f" (did you mean '{by_name[close[0]]}'?)" if close else ""
    return Problem(record.source, line, f"the link to '{href}' names {resolved}, which does not exist{close}")

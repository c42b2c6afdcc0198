"""The whole build, top to bottom: read and check everything, then render, then write.

Nothing is written until every input has been read and every page rendered
without a problem; on any problem ProblemsFound carries all of them and the
previous site is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

from . import formats
from .comments import CommentsConfig
from .config import Config, load_config
from .bodies import Bodies
from .files import check_file_names, list_files
from .content import DOCUMENTS, Parsed, load_documents, read_body, scan_content
from .incremental import BuildCache, IncrementalPlan, Written, site_fingerprint
from .model import Post
from .markup import Body, MarkdownRenderer
from .old_comments import comment_files, load_old_comments
from .folders import MARKER
from .output import write_site
from .published import picture_files, redirect_files
from .stamp import Survey, forget_stamp, list_code, listed_inputs, save_stamp, time_span
from .redirects import PATH as REDIRECTS, load_redirects
from .pictures.library import check_clashes, output_paths
from .pictures.model import ALT_DECORATIVE, ALT_MISSING, IMAGES
from .problems import Problem, ProblemsFound, did_you_mean
from .cache import code_version, sha, trust_code_version
from .calendars import calendar
from .registry import PATH as REGISTRY_PATH, Registry, load_registry
from .revisions import check_revisions, published_before, published_view
from .render import compile_templates, is_template, make_environment, render_routes, template_closures, template_names
from .routes import check_reserved, make_routes, output_path
from .search import FOLDER as SEARCH_FOLDER, search_index
from .site import Site, assemble_site, check_links, link_line
from .spool import Spooled


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    changed: int
    removed: int
    rendered: int = 0
    """Pages whose template was run; the others were unchanged since the last build."""
    warnings: tuple[Problem, ...] = ()
    """What the build accepted but an editor should finish (a picture still to be described)."""
    index_waits: bool = False
    """The site has a search index, and this build (search=False) left it for the next one."""


def build(root: Path, out: Path, now: datetime, comments_url: str | None = None, preview: bool = False,
          use_cache: bool = True, environ: Mapping[str, str] = os.environ, cache: BuildCache | None = None,
          survey: Survey | None = None, search: bool = True, changed: frozenset[str] | None = None) -> BuildReport:
    """The whole build. The cache under ROOT/.cache/ makes it incremental; without it
    (use_cache=False) every page is rendered and the result is the same, byte for byte.
    `cache`: one that a long-lived process keeps from build to build (serve's WarmCache);
    `survey`: the inputs and the site as listed just before (build.py lists them to see whether
    there is anything to do at all). `search=False` leaves the search index as it is, to be made
    by the next build (the preview's, which shows the edited page first). `changed`: the
    project's files changed since the warm `cache`'s last build, as the preview's watcher told
    them (None: not known), so that only those are looked at again."""
    # No stamp for a preview (its banners change with the clock) nor a site whose index waits.
    stamped = use_cache and not preview and search
    # Our code as it is before anything depends on it: the stamp records it with the cache's key
    # for that code, which the next build takes from there while this listing holds.
    code = list_code() if stamped else None
    if code is not None and survey and survey.stamp and survey.stamp.code == code:
        trust_code_version(survey.stamp.code_version)
    if cache is None:
        cache = BuildCache(root / ".cache", out) if use_cache else BuildCache(None, out)
    # Listed before anything is read, so an edit made during the build shows next time.
    inputs = (survey.inputs, survey.listed_ns) if survey else listed_inputs(root) if stamped else None
    stats = inputs[0] if inputs else cache.content_listing(root, changed)
    documents = load_documents(root)
    site, index, previous, problems = read_site(root, now, tuple(documents), comments_url, preview, cache, environ, stats)
    bodies = make_bodies(root, site, index, cache)
    bodies.prepare()
    # Gate 1: every problem of the input, what the rendered bodies hold (links, pictures) included.
    gate(problems + check_body_links(site, bodies, index) + bodies.problems + check_image_descriptions(site, bodies))
    cache.save_content(index, previous, site.config.timezone)
    cache.save_markdown_keys(bodies.saved_keys())
    # A folder without the marker is not the site the record describes (emptied, or replaced by hand).
    previous_pages, settled_ns = cache.outputs() if (out / MARKER).is_file() else ({}, 0)
    listing = survey.outputs if survey else cache.site_listing()
    folders = survey.folders if survey else None
    spool = out.absolute().with_name(f".{out.name}.pages")  # where render workers write pages (spool.py)
    remove_folder(spool)  # left by a build that was stopped
    # Only for a new site, where every page is written. Into a built one, most pages re-rendered
    # (a template edited) come out as the files there already are: the parent compares their
    # bytes, and spooling them would write every page once more for nothing.
    new_site = not (out / MARKER).is_file()
    try:
        files, plan = render_site(root, site, bodies, documents, index, previous_pages, out, cache, settled_ns, listing,
                                  search, spool if new_site else None)
        cache.forget_outputs()  # until the site is written, the record of it cannot be trusted
        forget_stamp(root, out)
        result = write_site(files, out, root, listing, folders)
    finally:
        remove_folder(spool)
    if bodies.unsaved:  # rendered again while the pages were (their links' URLs changed)
        cache.save_markdown_keys(bodies.saved_keys())
    bodies.close()  # the packs it read (a long-lived process builds again and again)
    cache.tidy_markdown()
    cache.keep_basis(plan.basis, plan.routes, plan.inputs)
    cache.save_outputs(plan.records(files))
    cache.keep_listing(result.listing)
    cache.save_forums(published_view(site.registry))
    pages = sum(1 for name in files if name.endswith(".html"))
    warnings = tuple(site_warnings(site, bodies))
    if stamped:
        save_stamp(root, out, (code, code_version()), time_span(now, due_moments(site, index)), pages, result.files,
                   tuple((w.path, w.line, w.message) for w in warnings), inputs, (result.listing, result.listed_ns), files,
                   result.folders)
    return BuildReport(pages, result.files, result.changed, result.removed, len(plan.reads), warnings,
                       site.config.search and not search)


def remove_folder(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


def due_moments(site: Site, index: Mapping[str, Parsed]) -> list[datetime]:
    """When something a build shows depends on its "now": each post falls due at its date,
    each forum moves to the past at its end."""
    return _moments(index, site.registry)


def _moments(index: Mapping[str, Parsed], registry: Registry) -> list[datetime]:
    moments = [p.record.date for p in index.values() if isinstance(p.record, Post) and not p.record.draft]
    return moments + [forum.end for forum in registry.forums]


def passed(now: datetime, index: Mapping[str, Parsed], registry: Registry) -> int:
    """How many due moments `now` has reached: two "nows" with the same count, and the same
    content and registry, show the same site."""
    return sum(1 for moment in _moments(index, registry) if moment <= now)


def make_bodies(root: Path, site: Site, index: dict[str, Parsed], cache: "BuildCache") -> Bodies:
    pictures = {**dict.fromkeys(site.unusable), **site.pictures}
    threads = {f"comments:{source}": sha(repr(thread)) for source, thread in site.old_comments.items()}
    # The records as parsed now, for their bodies: a warm process's site may be the last build's
    # (read_site), whose records hold the bodies as they were then.
    records = [parsed.record if (parsed := index.get(r.source)) and parsed.record else r for r in (*site.posts, *site.pages)]
    urls = cache.reuse("absolute-urls", lambda: (site.config, site.urls), lambda: absolute_urls(site))
    return Bodies(records, urls, {s: p.body for s, p in index.items()},
                  cache.markdown, lambda source: read_body(root, source), cache.markdown_keys(), pictures, site.config.base_path,
                  threads, cache.bodies, cache.body_keys)


def old_comments_key(root: Path, zone: str, index: Mapping[str, Parsed]) -> str:
    """What the comments from the old site depend on: their files, which content files exist, the zone, our code."""
    return sha(code_version(), zone, *sorted(index), *file_digests(root, comment_files(root)))


def file_digests(root: Path, names: list[str]) -> list[str]:
    return [f"{name}:{sha(path.read_bytes()) if (path := root / name).is_file() else 'absent'}" for name in names]


def site_warnings(site: Site, bodies: Bodies) -> list[Problem]:
    """Pictures still to be described, in the text and in front matter."""
    found = bodies.warnings()
    for record in (*site.posts, *site.pages):
        if record.image_alt == ALT_MISSING:
            found.append(Problem(record.source, record.field_lines.get("image_alt", 1),
                                 f"the picture in 'image' has no description yet: write what it shows in place of '{ALT_MISSING}'"))
    return sorted(found)


def load_site(root: Path, now: datetime, documents: tuple[str, ...] = (), comments_url: str | None = None,
              preview: bool = False) -> Site:
    """Settings, content and cross-file checks, every problem at once (links in bodies are
    checked by the build, once it has rendered them)."""
    site, _, _, problems = read_site(root, now, documents, comments_url, preview)
    gate(problems)
    return site


def read_site(root: Path, now: datetime, documents: tuple[str, ...] = (), comments_url: str | None = None,
              preview: bool = False, cache: BuildCache | None = None, environ: Mapping[str, str] | None = None,
              stats: Mapping[str, tuple[int, int]] | None = None
              ) -> tuple[Site, dict[str, Parsed], dict[str, Parsed] | None, list[Problem]]:
    """The site as far as it can be read, reusing the cache's parse of unchanged content files;
    also what was parsed now, what the cache held, and every problem found. With `environ`,
    forums are also checked against what was published before (revisions.py); `stats`: the
    size and time of every input file (or of the content's at least), listed already."""
    config, problems = load_config(root)
    previous, settled_ns = cache.content(config.timezone) if cache else (None, 0)
    if comments_url:  # a preview against a local Isso server
        config = replace(config, comments=CommentsConfig("isso", config.comments.consent, {"url": comments_url}))
    posts, pages, content_problems, index = scan_content(root, config.zone, previous, settled_ns, stats)
    memory = cache or BuildCache(None, root)
    registry, registry_problems = memory.memo(
        "registry", registry_key(root, config.timezone), lambda: load_registry(root, config.timezone))
    scanned = memory.pictures(root, config.pictures)
    pictures = {source: s.picture for source, s in scanned.items() if s.picture is not None}
    picture_problems = [problem for s in scanned.values() for problem in s.problems]
    unusable = frozenset(scanned) - frozenset(pictures)
    # A warm process (serve) takes the last build's site when none of this changed: an edit to
    # a post's body alone. The front matter is each file's `meta`; "now" counts only as far as
    # which posts and forums it has passed (the site is the same until the next of those).
    shape = lambda: (config, preview, documents, registry, pictures, unusable, tuple(index),  # noqa: E731
                     tuple(parsed.meta for parsed in index.values()), passed(now, index, registry))
    site, site_problems = memory.reuse("site", shape, lambda: assemble_site(
        config, posts, pages, now, documents, registry, preview, pictures, unusable))
    threads, thread_problems = memory.memo("old-comments", old_comments_key(root, config.timezone, index),
                                           lambda: load_old_comments(root, config.zone, set(index)))
    redirects, redirect_problems = memory.memo("redirects", sha(code_version(), *file_digests(root, [REDIRECTS])),
                                               lambda: load_redirects(root))
    site = replace(site, now=now, old_comments=threads, redirects=redirects)
    site_problems = site_problems + thread_problems + redirect_problems
    if environ is not None and not registry_problems:
        before, since = published_before(root, config.timezone, cache.forums() if cache else None, environ)
        site_problems += check_revisions(registry, before, since) if before else []
    names = check_file_names(list(documents), DOCUMENTS) + check_file_names(
        [IMAGES + name for name in list_files(root / IMAGES)], IMAGES)
    return site, index, previous, problems + content_problems + registry_problems + picture_problems + site_problems + names


def render_site(root: Path, site: Site, bodies: Bodies, documents: dict[str, bytes],
                index: dict[str, Parsed], previous: dict[str, Written], out: Path,
                cache: BuildCache | None = None, settled_ns: int = 0, listing: Mapping[str, tuple[int, int]] | None = None,
                search: bool = True, spool: Path | None = None) -> tuple[dict[str, bytes | Spooled | None], IncrementalPlan]:
    """Gate 2: every output file as bytes (None: unchanged since the last build; Spooled: written
    to the `spool` folder by a render worker), or every template problem at once."""
    forum_bodies = Later(lambda: render_forum_bodies(site))  # most builds render no forum page
    static = read_static(root / "static")
    assets = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in static.items()}
    memory = cache or BuildCache(None, out)
    # What the routes read of the site (the last build's in a warm process, when it is that very site).
    routes = memory.reuse("routes", lambda: (site.config, site.posts, site.pages, site.categories, site.tags, site.urls,
                                             site.registry, site.upcoming), lambda: make_routes(site))
    others = [*formats.feed_urls(site), *calendar_urls(site), "/sitemap.xml", "/robots.txt", *(f"/{name}" for name in static),
              f"/{SEARCH_FOLDER}pagefind.js"]  # the search index's folder, whatever files Pagefind writes into it
    lines = lambda: {record.source: record.field_lines for record in (*site.posts, *site.pages)}  # noqa: E731
    gate(memory.reuse("reserved", lambda: (routes, others), lambda: check_reserved(routes, others, lines())))
    fingerprint = site_fingerprint(site, index, assets)
    made: list = []

    def environment():
        """Jinja's environment, made once: the templates checked in it are compiled already."""
        if not made:
            made.append(make_environment(root / "templates", site, assets, bodies, forum_bodies,
                                         cache.templates if cache else None, cache.compiled if cache else None))
        return made[0]

    # Every template is checked whenever one changes, used by a page or not; what each page's
    # template draws on is known from then on, so an edit to one re-renders only its pages.
    digests = {name: sha((root / "templates" / name).read_bytes()) for name in list_files(root / "templates")}
    template_problems, templates = memory.memo("template-closures", sha(code_version(), *(f"{n}:{d}" for n, d in digests.items())),
                                               lambda: check_templates(environment(), root, digests, memory))
    gate(template_problems)
    plan = IncrementalPlan(fingerprint, bodies, previous, out, settled_ns, listing, routes=routes, templates=templates)
    plan.changed = memory.changed_bodies(plan.basis, routes, plan.inputs)
    stale = [route for route in routes if not plan.unchanged(route)]
    pages: dict[str, bytes | Spooled | None] = {route.url: None for route in routes}
    if stale:  # else templates, settings and content are as the last build left them: no Jinja at all
        env = environment()
        rendered, problems = render_routes(env, stale, root, plan, bodies, spool)
        gate(problems + bodies.problems)  # a body cached with links that changed since is rendered again here
        pages.update(rendered)
    memo = memory.memo
    # The site's fingerprint covers all a calendar shows, links in forum descriptions included.
    calendars = memo("calendars", fingerprint, lambda: forum_calendars(site, forum_bodies))
    # Feeds carry the latest posts' full bodies; the sitemap, only what the fingerprint covers.
    in_feeds = {p.source for p in site.posts[:site.config.feed_entries]}
    in_feeds.update(p.source for term in site.categories for p in term.posts[:site.config.feed_entries])
    # A changed picture changes the markup of the bodies that show it: any picture, any feed.
    feeds_key = sha(fingerprint, *sorted(f"{s}={bodies.keys[s]}" for s in in_feeds),
                    *(f"{s}={p.key}" for s, p in site.pictures.items()))
    generated = {**pages, **memo("feeds", feeds_key, lambda: formats.feeds(site, bodies)), **calendars,
                 "/sitemap.xml": memo("sitemap", fingerprint, lambda: formats.sitemap(site, routes)),
                 "/robots.txt": formats.robots(site)}
    files = {output_path(url): data for url, data in generated.items()}
    if site.config.search:
        files.update(search_index(routes, pages, plan, out, later=not search))
    uploads = {output_path(site.urls[source]): data for source, data in documents.items()}
    taken = {**{name: f"static/{name}" for name in static}, **{output_path(site.urls[s]): s for s in documents}}
    gate([Problem(f"static/{name}", 0, f"this file would overwrite the generated /{name}; rename or remove it")
          for name in sorted(static) if name in files]
         + [Problem(source, 0, f"this document would overwrite the generated {site.urls[source]}; rename it")
            for source in sorted(documents) if output_path(site.urls[source]) in {**files, **static}]
         + check_clashes(site.pictures, lambda path: "the site itself" if path in files else taken.get(path)))
    outputs = {*files, *static, *uploads, *(path for picture in site.pictures.values() for path in output_paths(picture))}
    moved, problems = redirect_files(site, outputs, set(index))
    gate(problems)
    pictures = picture_files(root, site, plan, cache.picture_store if cache else None)
    return {**files, **static, **uploads, **pictures, **moved}, plan


def check_templates(env, root: Path, digests: Mapping[str, str], memory: BuildCache) -> tuple[list[Problem], dict[str, str]]:
    """Every template's mistakes found by compiling it, and what each draws on (template_closures;
    not for a build that keeps no record of its pages, which never compares them). Jinja's parse of
    a template, to find what it names, is done once for each version of the template's bytes."""
    problems = compile_templates(env, root)
    if problems or not memory.remembers:
        return problems, {}
    templates = {name: digest for name, digest in digests.items() if is_template(name)}
    return problems, template_closures(memory.by_digest("template-names", templates, lambda name: template_names(env, name)),
                                       digests)


def check_image_descriptions(site: Site, bodies: Mapping[str, Body]) -> list[Problem]:
    """A front matter `image` with no `image_alt` takes the description the text gives the same
    picture; with none there, it is a problem."""
    problems = []
    for record in (*site.posts, *site.pages):
        if not record.image or record.image_alt or record.image_source not in site.pictures:
            continue
        if not any(source == record.image_source and alt.strip() and alt != ALT_DECORATIVE
                   for source, alt in bodies[record.source].pictures):
            problems.append(Problem(record.source, record.field_lines.get("image", 1),
                                    f"the picture in 'image' needs a description: add 'image_alt: …' saying what it shows, "
                                    f"for readers who cannot see it (or '{ALT_MISSING}' to finish it later)"))
    return problems


def absolute_urls(site: Site) -> dict[str, str]:
    """Content file → URL path with the base path, as links in bodies are written."""
    return {source: site.config.path_url(url) for source, url in site.urls.items()}


def check_body_links(site: Site, bodies: Bodies, index: Mapping[str, Parsed]) -> list[Problem]:
    """Every link the Markdown renderer recorded in a published body: it leads to a published
    file (site.check_links), and a '#heading' it names is in that file."""
    records = [*site.posts, *site.pages]
    every = [parsed.record for parsed in index.values() if parsed.record is not None]
    broken = frozenset(source for source, parsed in index.items() if parsed.problems)
    problems = check_links(records, every, bodies.links_of, bodies.text, site.urls, broken)
    return problems + check_fragments(records, bodies)


def check_fragments(records: list, bodies: Bodies) -> list[Problem]:
    """A link to `page.md#heading` needs a heading with that id; only rendering tells."""
    problems = []
    for record in records:
        for href, resolved in bodies.links_of(record.source):
            fragment = href.partition("#")[2]
            target = bodies.get(resolved) if fragment and resolved in bodies.records else None
            if target and f'id="{fragment}"' not in target.html:
                ids = re.findall(r'id="([^"]+)"', target.html)
                line = link_line(bodies.text(record.source), record.body_line, href)
                problems.append(Problem(record.source, line, f"the link to '{href}' names a heading '#{fragment}' that "
                                                             f"{resolved} does not have{did_you_mean(fragment, ids)}"))
    return problems


class Later(Mapping):
    """A mapping computed the first time it is used."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None

    def _get(self) -> Mapping:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def render_forum_bodies(site: Site) -> dict[str, Body]:
    renderer = MarkdownRenderer()
    urls = absolute_urls(site)
    return {forum.id: renderer.render(REGISTRY_PATH, forum.description, urls) for forum in site.registry.forums}


def forum_calendars(site: Site, forum_bodies: dict[str, Body]) -> dict[str, bytes]:
    """/forums.ics with every forum, and /forums/{id}.ics for each."""
    forums = site.registry.forums
    if not forums:
        return {}
    urls = {f.id: site.config.absolute_url(f"/forums/{f.id}/") for f in forums}
    texts = {f.id: forum_bodies[f.id].html for f in forums}
    return {address: calendar(site, chosen, name, urls, texts) for address, (name, chosen) in calendar_urls(site).items()}


def calendar_urls(site: Site) -> dict[str, tuple[str, tuple]]:
    """/forums.ics with every forum and /forums/{id}.ics for each, with their names and forums."""
    forums = site.registry.forums
    if not forums:
        return {}
    urls = {"/forums.ics": (f"{site.config.title}: forums", forums)}
    urls.update({f"/forums/{forum.id}.ics": (forum.title, (forum,)) for forum in forums})
    return urls


def read_static(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in list_files(folder)}


def registry_key(root: Path, zone: str) -> str:
    """What the registry's parse depends on: the data file, its schema, the zone and our code."""
    parts = [code_version(), zone]
    for name in (REGISTRY_PATH, "data/pilots.schema.json"):
        path = root / name
        parts.append(sha(path.read_bytes()) if path.is_file() else "absent")
    return sha(*parts)


def gate(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsFound(problems)


def page_sources(root: Path, now: datetime) -> tuple[Config, dict[str, str], list[Problem]]:
    """The settings, which content file each page of the site is made from, and the build's
    warnings ({} and [] if the project itself has problems: the check of a built site still runs)."""
    config, _ = load_config(root)
    cache = BuildCache(root / ".cache", root / "site")
    site, index, _, problems = read_site(root, now, tuple(load_documents(root)), cache=cache)
    if problems:
        return config, {}, []
    sources = {output_path(url): source for source, url in site.urls.items()
               if not source.startswith(("content/documents/", "content/images/"))}
    for ident in (*(p.id for p in site.registry.programmes), *(a.id for a in site.registry.areas)):
        sources[f"pilots/{ident}/index.html"] = REGISTRY_PATH
    for forum in site.registry.forums:
        sources[f"forums/{forum.id}/index.html"] = REGISTRY_PATH
    bodies = make_bodies(root, site, index, cache)
    bodies.prepare()
    return site.config, sources, site_warnings(site, bodies)

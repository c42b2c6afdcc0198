"""The whole build, top to bottom: read and check everything, then render, then write.

Nothing is written until every input has been read and every page rendered
without a problem; on any problem ProblemsFound carries all of them and the
previous site is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from . import formats
from .comments import CommentsConfig
from .config import Config, load_config
from .content import load_content, load_documents
from .markup import Body, MarkdownRenderer
from .output import write_site
from .problems import Problem, ProblemsFound, did_you_mean
from .calendars import calendar
from .registry import PATH as REGISTRY_PATH, load_registry
from .render import compile_templates, make_environment, render_routes
from .routes import make_routes, output_path
from .site import Site, assemble_site


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    changed: int
    removed: int


def build(root: Path, out: Path, now: datetime, comments_url: str | None = None, preview: bool = False) -> BuildReport:
    documents = load_documents(root)
    site = load_site(root, now, tuple(documents), comments_url, preview)
    files = render_site(root, site, documents)
    result = write_site(files, out, root)
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildReport(pages, result.files, result.changed, result.removed)


def load_site(root: Path, now: datetime, documents: tuple[str, ...] = (), comments_url: str | None = None,
              preview: bool = False) -> Site:
    """Gate 1: settings, content and cross-file checks, every problem at once."""
    config, problems = load_config(root)
    if comments_url:  # a preview against a local Isso server
        config = replace(config, comments=CommentsConfig("isso", config.comments.consent, {"url": comments_url}))
    posts, pages, content_problems = load_content(root, config.zone)
    registry, registry_problems = load_registry(root, config.timezone)
    broken = frozenset(p.path for p in content_problems)
    site, site_problems = assemble_site(config, posts, pages, now, documents, registry, preview, broken)
    gate(problems + content_problems + registry_problems + site_problems)
    return site


def render_site(root: Path, site: Site, documents: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Gate 2: every output file as bytes, or every template problem at once."""
    bodies = render_bodies(site)
    gate(check_fragments(site, bodies))
    forum_bodies = render_forum_bodies(site)
    static = read_static(root / "static")
    assets = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in static.items()}
    env = make_environment(root / "templates", site, assets, bodies, forum_bodies)
    gate(compile_templates(env, root))
    routes = make_routes(site, bodies)
    pages, problems = render_routes(env, routes, root)
    gate(problems)
    generated = {**pages, **formats.feeds(site, bodies), **forum_calendars(site, forum_bodies),
                 "/sitemap.xml": formats.sitemap(site, routes), "/robots.txt": formats.robots(site)}
    files = {output_path(url): data for url, data in generated.items()}
    uploads = {output_path(site.urls[source]): data for source, data in (documents or {}).items()}
    gate([Problem(f"static/{name}", 0, f"this file would overwrite the generated /{name}; rename or remove it")
          for name in sorted(static) if name in files]
         + [Problem(source, 0, f"this document would overwrite the generated {site.urls[source]}; rename it")
            for source in sorted(documents or {}) if output_path(site.urls[source]) in {**files, **static}])
    return {**files, **static, **uploads}


def render_bodies(site: Site) -> dict[str, Body]:
    renderer = MarkdownRenderer()
    urls = {source: site.config.base_path + url.lstrip("/") for source, url in site.urls.items()}
    return {record.source: renderer.render(record.source, record.body, urls) for record in (*site.posts, *site.pages)}


def check_fragments(site: Site, bodies: dict[str, Body]) -> list[Problem]:
    """A link to `page.md#heading` needs a heading with that id; only rendering tells."""
    problems = []
    for record in (*site.posts, *site.pages):
        for link in record.links:
            target = bodies.get(link.resolved)
            if link.fragment and target and f'id="{link.fragment}"' not in target.html:
                ids = re.findall(r'id="([^"]+)"', target.html)
                problems.append(Problem(record.source, link.line,
                                        f"the link to '{link.target}' names a heading '#{link.fragment}' that {link.resolved} does not have{did_you_mean(link.fragment, ids)}"))
    return problems


def render_forum_bodies(site: Site) -> dict[str, Body]:
    renderer = MarkdownRenderer()
    urls = {source: site.config.base_path + url.lstrip("/") for source, url in site.urls.items()}
    return {forum.id: renderer.render(REGISTRY_PATH, forum.description, urls) for forum in site.registry.forums}


def forum_calendars(site: Site, forum_bodies: dict[str, Body]) -> dict[str, bytes]:
    """/forums.ics with every forum, and /forums/{id}.ics for each."""
    forums = site.registry.forums
    if not forums:
        return {}
    absolute = site.config.origin + site.config.base_path
    urls = {f.id: f"{absolute}forums/{f.id}/" for f in forums}
    texts = {f.id: forum_bodies[f.id].html for f in forums}
    files = {"/forums.ics": calendar(site, forums, f"{site.config.title}: forums", urls, texts)}
    for forum in forums:
        files[f"/forums/{forum.id}.ics"] = calendar(site, (forum,), forum.title, urls, texts)
    return files


def read_static(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def gate(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsFound(problems)


def page_sources(root: Path, now: datetime) -> tuple[Config, dict[str, str]]:
    """The settings, and which content file each page of the site is made from ({} if the
    project itself has problems: the check of a built site still runs)."""
    config, _ = load_config(root)
    try:
        site = load_site(root, now, tuple(load_documents(root)))
    except ProblemsFound:
        return config, {}
    sources = {output_path(url): source for source, url in site.urls.items() if not source.startswith("content/documents/")}
    for ident in (*(p.id for p in site.registry.programmes), *(a.id for a in site.registry.areas)):
        sources[f"pilots/{ident}/index.html"] = REGISTRY_PATH
    for forum in site.registry.forums:
        sources[f"forums/{forum.id}/index.html"] = REGISTRY_PATH
    return site.config, sources

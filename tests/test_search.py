"""Search: the Pagefind index the build writes, and the search page a reader uses, in Chromium.

The example site (the real content/, built once per session) is served from 127.0.0.1 with the
Content-Security-Policy of netlify.toml, so a script or a WebAssembly module that the policy
forbids fails here as it would for readers. A generated 1,000-post site (bench/corpus.py)
shows that a word of one post's title finds that post first, and that paging and date order work.
"""

from __future__ import annotations

import dataclasses
import fcntl
import importlib.resources
import json
import os
import re
import shutil
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import chromium, nu_messages, require, serve
from conftest import PROJECT, TinySite, build_example_at, run_build_py
from placepress.searchfiles import content_hash, decode, encode, make_reproducible, pack, unpack

sys.path.insert(0, str(PROJECT / "bench"))
from corpus import PYPROJECT, make_posts, pilot_ids, placepress_file  # noqa: E402

NETLIFY_CSP = tomllib.loads((PROJECT / "netlify.toml").read_text(encoding="utf-8"))["headers"][0]["values"]["Content-Security-Policy"]
MANCHESTER = "/pilots/manchester-warrington/"
FORUM = "/forums/sustainable-neighbourhoods-2010-05-18/"
THE_POST = "/2010/04/23/total-place-and-the-city-region-pilots/"


# --- the search page, driven as a reader drives it ------------------------------------------

def wait_until(page, script: str, arg=None, seconds: float = 15) -> None:
    """Poll `script` until it is true. (Playwright's wait_for_function compiles its script in the
    page, which the site's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {script}"
        page.wait_for_timeout(50)


def search_for(page, words: str) -> None:
    """Type into the search page's field key by key, and wait until the results are announced."""
    field = page.locator("#search-query")
    field.click()
    field.press_sequentially(words, delay=40)
    wait_until(page, "words => document.querySelector('[data-search-status]').textContent.includes(words)", words)


def result_links(page) -> list[str]:
    return page.eval_on_selector_all("[data-search-results] h2 a", "links => links.map(a => a.getAttribute('href'))")


def status(page) -> str:
    return page.inner_text("[data-search-status]")


def wait_for_new_status(page, old: str) -> str:
    wait_until(page, "old => document.querySelector('[data-search-status]').textContent !== old", old)
    return status(page)


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def example(example_site: Path):
    """The example site's address, served with netlify.toml's Content-Security-Policy."""
    with serve(example_site, headers={"Content-Security-Policy": NETLIFY_CSP}) as base:
        yield base


@pytest.fixture
def reader(browser, example: str):
    """A page of the example site's search, and every request and console error it made."""
    context = browser.new_context()
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(example + "/search/")
    yield page
    context.close()


def test_typing_warrington_lists_the_manchester_pilot_area_page_among_the_first_results(reader):
    search_for(reader, "Warrington")
    assert MANCHESTER in result_links(reader)[:3]
    assert reader.evaluate("document.activeElement.id") == "search-query", "focus must stay in the field while typing"


def test_typing_forum_finds_the_18_may_forum_with_its_date(reader):
    search_for(reader, "forum")
    links = result_links(reader)
    assert FORUM in links
    item = reader.locator("[data-search-results] li").nth(links.index(FORUM))
    assert item.locator(".meta").inner_text() == "Forum, Tuesday 18 May 2010, 6–8pm"
    assert "Forum" in item.locator("mark").first.inner_text()


def test_each_result_shows_its_title_kind_date_and_an_excerpt_with_the_words_marked(reader):
    search_for(reader, "Warrington")
    post = reader.locator("[data-search-results] li").nth(result_links(reader).index(THE_POST))
    assert post.locator("h2").inner_text() == "Total Place and the Manchester City Region pilots"
    assert post.locator(".meta").inner_text() == "Post, Friday 23 April 2010"
    assert post.locator("time").get_attribute("datetime") == "2010-04-23T00:00:00+01:00"
    marks = post.locator("mark").all_inner_texts()
    assert marks and all("warrington" in mark.lower() for mark in marks)
    assert len(post.locator("p").nth(1).inner_text()) > 60


def test_a_category_filter_narrows_the_results_to_posts_in_that_category(reader):
    search_for(reader, "Manchester")
    everything = result_links(reader)
    before = status(reader)
    reader.select_option("#search-category", "economy")
    after = wait_for_new_status(reader, before)
    narrowed = result_links(reader)
    assert after == "1 result for ‘Manchester’."
    assert narrowed == [THE_POST] and len(everything) > len(narrowed)
    assert parse_qs(urlsplit(reader.url).query) == {"q": ["Manchester"], "category": ["economy"]}


def test_the_kind_filter_keeps_only_pages_of_that_kind(reader):
    search_for(reader, "Manchester")
    before = status(reader)
    reader.select_option("#search-kind", "pilot area")
    wait_for_new_status(reader, before)
    links = result_links(reader)
    assert MANCHESTER in links and all(link.startswith("/pilots/") for link in links)
    kinds = set(reader.locator("[data-search-results] .meta").all_inner_texts())
    assert kinds <= {"Pilot area", "Pilot programme"}


def test_a_query_with_no_match_says_so(reader):
    search_for(reader, "zyxwvut")
    assert status(reader).startswith("No results for ‘zyxwvut’.")
    assert result_links(reader) == []


def test_search_asks_nothing_of_other_sites_and_breaks_no_rule_of_the_content_security_policy(reader, example: str):
    search_for(reader, "Warrington")
    assert reader.requests and all(url.startswith(example + "/") for url in reader.requests), reader.requests
    assert any("/pagefind/" in url and url.endswith(".pagefind") for url in reader.requests), "the WebAssembly was not loaded"
    assert reader.errors == []


def test_without_wasm_unsafe_eval_in_the_policy_search_cannot_run_and_says_so(browser, example_site: Path):
    # The reason netlify.toml has 'wasm-unsafe-eval': without it the page falls back to browsing.
    strict = NETLIFY_CSP.replace(" 'wasm-unsafe-eval'", "")
    assert strict != NETLIFY_CSP
    with serve(example_site, headers={"Content-Security-Policy": strict}) as base:
        page = browser.new_page()
        page.goto(base + "/search/?q=Warrington")
        wait_until(page, "document.querySelector('[data-search-status]').textContent !== ''")
        assert status(page) == "Search could not be loaded."
        assert page.is_visible("[data-search-fallback]") and not page.is_visible("[data-search]")
        page.close()


def test_the_query_and_filters_in_the_address_are_run_when_the_page_opens(browser, example: str):
    page = browser.new_page()
    page.goto(example + "/search/?q=Manchester&kind=post")
    wait_until(page, "document.querySelector('[data-search-status]').textContent !== ''")
    assert status(page) == "1 result for ‘Manchester’."
    assert result_links(page) == [THE_POST]
    assert page.input_value("#search-query") == "Manchester" and page.input_value("#search-kind") == "post"
    page.close()


def test_enter_in_the_header_field_without_javascript_lands_on_the_search_page_which_offers_browsing(browser, example: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example + "/about/")
    page.fill("#site-search", "Warrington")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=Warrington")
    assert page.is_visible("[data-search-fallback]")
    assert page.inner_text("[data-search-why]").startswith("Searching this site needs JavaScript, which is turned off")
    offered = page.eval_on_selector_all("[data-search-fallback] a", "links => links.map(a => a.getAttribute('href'))")
    assert {"/archives/", "/category/economy/", "/pilots/", "/forums/"} <= set(offered)
    assert not page.is_visible("[data-search]"), "a form that cannot work without JavaScript must not be shown"
    context.close()


def test_the_header_search_field_is_a_real_form_that_goes_to_the_search_page_on_every_page(example_site: Path):
    for html in sorted(example_site.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        form = re.search(r'<form class="site-search" role="search" action="([^"]+)" method="get">(.*?)</form>', text, re.S)
        assert form, html
        assert form.group(1) == "/search/"
        assert '<input type="search" id="site-search" name="q">' in form.group(2)
        assert '<label class="visually-hidden" for="site-search">Search this site</label>' in form.group(2)


def test_the_header_form_fits_a_390_pixel_phone_screen_with_44_pixel_targets(browser, example: str):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(example + "/")
    for selector in ("#site-search", ".site-search button"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (selector, box)
        assert box["height"] >= 44, (selector, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


# --- accessibility and validity with results showing -----------------------------------------

def axe_script() -> str:
    try:
        return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        require(False, "axe-playwright-python (which ships axe.min.js) is not installed")
        raise


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_showing_has_no_axe_violations(browser, example: str, scheme: str):
    # axe goes in as an inline script, which the site's policy forbids: this page ignores the policy.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.goto(example + "/search/")
    search_for(page, "Warrington")
    page.add_script_tag(content=axe_script())
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    context.close()


def test_the_search_page_with_results_showing_passes_the_nu_html_checker(browser, example: str, tmp_path: Path):
    page = browser.new_page()
    page.goto(example + "/search/")
    search_for(page, "Warrington")
    (tmp_path / "search.html").write_text(page.content(), encoding="utf-8")
    page.close()
    assert nu_messages(tmp_path / "search.html", "--errors-only") == []


def test_results_are_announced_by_a_polite_status_region_that_is_on_the_page_from_the_start(example_site: Path):
    text = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<p class="search-status" role="status" data-search-status></p>' in text


# --- the index --------------------------------------------------------------------------------

def index_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def fragments(site: Path) -> dict[str, dict]:
    """Each indexed page's record in the index, by its address."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(unpack(path.read_bytes()))
        found[record["url"]] = record
    return found


def test_the_index_holds_exactly_the_posts_pages_pilot_areas_programmes_and_forums(example_site: Path):
    pilots = {f"/{p.parent.relative_to(example_site).as_posix()}/" for p in example_site.glob("pilots/*/index.html")}
    assert set(fragments(example_site)) == {THE_POST, "/about/", "/documents/", FORUM, *pilots}


def test_only_the_main_content_is_indexed_not_navigation_footers_or_lists_of_other_pages(example_site: Path):
    records = fragments(example_site)
    for url, record in records.items():
        for boilerplate in ("Skip to main content", "Follow new posts with the Atom feed", "Search this site", "Archives Search"):
            assert boilerplate not in record["content"], (url, boilerplate)
    assert "Posted on" not in records[THE_POST]["content"]
    manchester = records[MANCHESTER]["content"]
    assert "Warrington" in manchester
    for listing in ("Posts about", "Sustainable Neighbourhoods Forum", "All pilot areas", "Facts marked"):
        assert listing not in manchester, listing


def test_each_record_carries_its_kind_date_categories_and_date_order(example_site: Path):
    records = fragments(example_site)
    post = records[THE_POST]
    assert post["filters"] == {"kind": ["post"], "category": ["economy", "manchester", "reports & briefings", "urban environment"]}
    ours = {key: post["meta"][key] for key in ("title", "kind", "date", "datetime")}  # Pagefind adds the first picture
    assert ours == {"title": "Total Place and the Manchester City Region pilots", "kind": "Post",
                    "date": "Friday 23 April 2010", "datetime": "2010-04-23T00:00:00+01:00"}
    assert records[FORUM]["filters"] == {"kind": ["forum"]}
    assert records["/about/"]["filters"] == {"kind": ["page"]}
    assert records[MANCHESTER]["meta"]["kind"] == "Pilot area"
    assert records["/pilots/total-place/"]["meta"]["kind"] == "Pilot programme"
    assert records["/pilots/total-place/"]["filters"] == {"kind": ["pilot area"]}


def test_pagefinds_own_interfaces_are_not_published(example_site: Path):
    names = set(index_files(example_site))
    assert "pagefind/pagefind.js" in names and "pagefind/pagefind-worker.js" in names
    assert not [name for name in names if re.search(r"pagefind-(ui|component-ui|modular-ui|highlight)\.", name)]


def test_reading_and_writing_pagefinds_own_files_gives_back_the_same_bytes(example_site: Path):
    files = index_files(example_site)
    binary = [name for name in files if name.endswith((".pf_meta", ".pf_filter", ".pf_index"))]
    assert len(binary) >= 4
    for name in binary:
        content = unpack(files[name])
        assert encode(decode(content)) == content, name
    for name in binary:  # each is named after the SHA-1 of its content, as content_hash gives it
        assert content_hash(unpack(files[name])).startswith(re.search(r"_([0-9a-f]+)\.pf_", name).group(1)), name


def shuffled_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """The index as Pagefind 1.5 may write it in another run: each filter's values in reverse
    order, renamed after their content, with the metadata and entry file to match."""
    result, renamed = dict(files), {}
    for name in [n for n in files if n.startswith("pagefind/filter/")]:
        filter_name, values = decode(unpack(files[name]))
        content = encode([filter_name, list(reversed(values))])
        new = f"en-gb_{content_hash(content)[:7]}"
        renamed[name.split("/")[-1].removesuffix(".pf_filter")] = new
        del result[name]
        result[f"pagefind/filter/{new}.pf_filter"] = pack(content)
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    about = entry["languages"]["en-gb"]
    meta = decode(unpack(result.pop(f"pagefind/pagefind.{about['hash']}.pf_meta")))
    meta[3] = [[name, renamed[hash_]] for name, hash_ in reversed(meta[3])]
    about["hash"] = f"en-gb_{content_hash(encode(meta))[:13]}"
    result[f"pagefind/pagefind.{about['hash']}.pf_meta"] = pack(encode(meta))
    result["pagefind/pagefind-entry.json"] = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()
    return result


def test_filters_written_in_any_order_give_the_same_published_index(example_site: Path):
    published = index_files(example_site)
    shuffled = shuffled_filters(published)
    assert shuffled != published
    assert make_reproducible(shuffled) == published


def touch(path: Path) -> None:
    """A new modification time, the same bytes: a build must look, and find nothing changed."""
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))


def test_a_build_in_which_no_page_changed_does_not_run_pagefind(tiny: TinySite):
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23\ncategories: [news]", "Tenants in Hulme met.\n")
    assert tiny.build().code == 0
    before = index_files(tiny.out)
    # Pagefind's own setting for its program: a program that does not exist cannot have run.
    missing = {**os.environ, "PAGEFIND_BINARY_PATH": str(tiny.root / "no-pagefind")}
    touch(tiny.root / "content/posts/2010-04-23-hello.md")  # so the whole build runs, not just the stamp's check
    again = tiny.build(env=missing)
    assert again.code == 0, again.err
    assert "(0 changed, 0 removed)" in again.out
    assert index_files(tiny.out) == before
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23\ncategories: [news]", "Tenants in Ordsall met.\n")
    changed = tiny.build(env=missing)
    assert changed.code == 1
    assert changed.err.startswith("build.py: error: the search index could not be made, so the site was not written: Pagefind could not be started")
    assert index_files(tiny.out) == before
    assert "Ordsall" not in (tiny.out / "2010/04/23/hello/index.html").read_text(encoding="utf-8")
    assert tiny.build().code == 0  # indexed again, its files renamed after their new content
    after_edit = index_files(tiny.out)
    assert after_edit != before
    touch(tiny.root / "content/posts/2010-04-23-hello.md")
    quiet = tiny.build(env=missing)  # and then kept, when nothing changed again
    assert quiet.code == 0, quiet.err
    assert index_files(tiny.out) == after_edit


def test_a_changed_page_is_indexed_again_and_the_index_equals_a_clean_builds(tiny: TinySite, tmp_path: Path):
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Hulme met.\n")
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nA tiny site.\n")
    assert tiny.build().code == 0
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Ordsall met.\n")
    assert tiny.build().code == 0
    assert "Ordsall" in fragments(tiny.out)["/2010/04/23/hello/"]["content"]
    clean = tiny.build("--out", str(tmp_path / "clean"))
    assert clean.code == 0
    shutil.rmtree(tiny.root / ".cache")
    assert index_files(tiny.out) == index_files(tmp_path / "clean")


def test_a_build_that_leaves_the_index_for_later_keeps_it_and_the_next_build_makes_it_anew(tiny: TinySite, tmp_path: Path):
    # What the preview does: the edited page first (search=False), then the index.
    from datetime import datetime, timezone

    from placepress.pipeline import build

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Hulme met.\n")
    build(tiny.root, tiny.out, now)
    before = index_files(tiny.out)
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Ordsall met.\n")
    build(tiny.root, tiny.out, now, search=False)
    assert "Ordsall" in (tiny.out / "2010/04/23/hello/index.html").read_text(encoding="utf-8")
    assert index_files(tiny.out) == before
    build(tiny.root, tiny.out, now, search=False)  # twice: the index still kept, not lost
    assert index_files(tiny.out) == before
    build(tiny.root, tiny.out, now)
    assert "Ordsall" in fragments(tiny.out)["/2010/04/23/hello/"]["content"]
    assert tiny.build("--out", str(tmp_path / "clean")).code == 0
    assert index_files(tiny.out) == index_files(tmp_path / "clean")


def test_a_site_with_nothing_to_index_has_no_index_and_builds(tiny: TinySite):
    result = tiny.build()
    assert result.code == 0, result.err
    assert not (tiny.out / "pagefind").exists()
    assert (tiny.out / "search" / "index.html").is_file()


def test_the_preview_of_build_py_serve_has_its_own_index_with_drafts(tiny: TinySite):
    from placepress.serve import Preview

    tiny.post("2010-04-23-draft", "title: A draft about Ordsall\ndate: 2010-04-23\ndraft: true")
    preview = Preview(tiny.root)
    assert preview.rebuild() == []
    assert "/2010/04/23/draft/" in fragments(preview.folder)
    assert not (tiny.out).exists()


# --- a site under a sub-path ---------------------------------------------------------------

@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, published at https://example.github.io/placepress/."""
    return build_example_at(tmp_path_factory.mktemp("sub-path"), "https://example.github.io/placepress/") / "site"


def test_a_site_under_a_sub_path_finds_its_index_and_its_results_lead_to_its_pages(browser, sub_path_site: Path):
    with serve(sub_path_site, "/placepress", headers={"Content-Security-Policy": NETLIFY_CSP}) as base:
        page = browser.new_page()
        page.goto(base + "/")
        page.fill("#site-search", "Warrington")
        page.press("#site-search", "Enter")
        page.wait_for_url("**/placepress/search/?q=Warrington")
        wait_until(page, "document.querySelector('[data-search-status]').textContent !== ''")
        links = result_links(page)
        assert "/placepress" + MANCHESTER in links[:3]
        assert all(link.startswith("/placepress/") for link in links)
        page.click(f"[data-search-results] a[href='/placepress{MANCHESTER}']")
        assert page.inner_text("h1") == "Manchester City Region including Warrington"
        page.close()


# --- a generated 1,000-post site -----------------------------------------------------------------

CHOSEN = 500
WORD = "Ordsall"
"""A place the generator never names: it goes into one post's title and into the text of 39 others."""


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 1,000-post site from bench/corpus.py, built; and the address of the post with WORD in its
    title. Made once a run: xdist's workers share the run's temporary folder, and the first
    worker to need the site makes it while the others wait for it (10 s of a core each time)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "thousand"
    with open(shared / "thousand.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "thousand.made").is_file():  # its content: the chosen post's address
            shutil.rmtree(root, ignore_errors=True)  # left half made by a worker that failed
            root.mkdir()
            (shared / "thousand.made").write_text(make_thousand(root), encoding="utf-8")
    return root / "site", (shared / "thousand.made").read_text(encoding="utf-8")


def make_thousand(root: Path) -> str:
    """The site made and built in `root`; returns the address of the post with WORD in its title."""
    posts = make_posts(1000, 2010, pilot_ids(PROJECT / "data" / "pilots.yaml"))
    assert not any(WORD in post.title or WORD in post.body for post in posts)
    posts[CHOSEN] = dataclasses.replace(posts[CHOSEN], title=f"{WORD} tenants and {posts[CHOSEN].title}")
    for number in range(0, 1000, 25):  # the word in other posts' text, three times each
        if number != CHOSEN:
            posts[number] = dataclasses.replace(posts[number], body=posts[number].body +
                                                f"\nPeople in {WORD} said the same; {WORD}'s tenants, and {WORD} ward, agree.\n")
    for folder in ("templates", "static", "data"):
        shutil.copytree(PROJECT / folder, root / folder)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "content" / "posts").mkdir(parents=True)
    for post in posts:
        (root / "content" / "posts" / post.name).write_text(placepress_file(post), encoding="utf-8")
    done = run_build_py("build", "--root", root, "--now", "2026-01-01")
    assert done.returncode == 0, done.stderr
    chosen = posts[CHOSEN]
    return f"/{chosen.date:%Y/%m/%d}/{chosen.slug}/"


def test_on_a_1000_post_site_a_word_of_one_posts_title_finds_that_post_first(browser, thousand: tuple[Path, str]):
    site, chosen = thousand
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "/search/")
        search_for(page, WORD)
        assert status(page) == f"40 results for ‘{WORD}’. Showing the first 10."
        assert result_links(page)[0] == chosen
        page.close()


def test_show_more_adds_the_next_ten_results_and_moves_focus_to_the_first_of_them(browser, thousand: tuple[Path, str]):
    site, _ = thousand
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "/search/")
        search_for(page, WORD)
        first_ten = result_links(page)
        page.click("[data-search-more] button")
        wait_until(page, "document.querySelectorAll('[data-search-results] li').length === 20")
        links = result_links(page)
        assert links[:10] == first_ten and len(set(links)) == 20
        assert page.evaluate("document.activeElement.getAttribute('href')") == links[10]
        assert status(page) == f"40 results for ‘{WORD}’. Showing the first 20."
        page.close()


def test_newest_first_and_oldest_first_put_the_results_in_date_order(browser, thousand: tuple[Path, str]):
    site, _ = thousand
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + f"/search/?q={WORD}&sort=newest")
        wait_until(page, "document.querySelectorAll('[data-search-results] time').length === 10")
        newest = page.eval_on_selector_all("[data-search-results] time", "times => times.map(t => t.getAttribute('datetime'))")
        page.goto(base + f"/search/?q={WORD}&sort=oldest")
        wait_until(page, "document.querySelectorAll('[data-search-results] time').length === 10")
        oldest = page.eval_on_selector_all("[data-search-results] time", "times => times.map(t => t.getAttribute('datetime'))")
        assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
        assert newest[0] > oldest[0]
        page.close()


def test_two_builds_of_the_1000_post_site_give_a_byte_identical_index(thousand: tuple[Path, str], tmp_path: Path):
    site, _ = thousand
    again = tmp_path / "again"
    done = run_build_py("build", "--root", site.parent, "--out", again, "--now", "2026-01-01")
    assert done.returncode == 0, done.stderr
    assert index_files(again) == index_files(site)
    assert len([name for name in index_files(site) if name.startswith("pagefind/filter/")]) == 2


def test_with_search_turned_off_there_is_no_index_no_search_page_and_no_field_and_check_passes(tiny: TinySite):
    tiny.write("pyproject.toml", (tiny.root / "pyproject.toml").read_text() + "search = false\n")
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Hulme met.\n")
    assert tiny.build().code == 0
    assert not (tiny.out / "pagefind").exists() and not (tiny.out / "search").exists()
    assert 'role="search"' not in (tiny.out / "index.html").read_text(encoding="utf-8")
    done = run_build_py("--now", "2026-01-01", "check", "--no-html", "--root", tiny.root, cwd=tiny.root)
    assert done.returncode == 0, done.stderr


def test_search_must_be_true_or_false(tiny: TinySite):
    text = (tiny.root / "pyproject.toml").read_text()
    tiny.write("pyproject.toml", text + 'search = "no"\n')
    result = tiny.build()
    assert result.code == 1
    assert f"pyproject.toml:{text.count(chr(10)) + 1}: 'search' must be true or false (without quotes), found \"no\"" in result.err

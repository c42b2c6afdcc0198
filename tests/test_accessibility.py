"""axe-core in real Chromium on the built example site: zero violations of WCAG 2.2 A/AA,
in the light and the dark colour scheme, and pages that need no JavaScript."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from browser import chromium, require, serve

PAGES = ["/", "/2010/04/23/total-place-and-the-city-region-pilots/", "/about/", "/documents/",
         "/category/reports-briefings/", "/tag/total-place/", "/archives/", "/2010/", "/404.html",
         "/pilots/", "/pilots/manchester-warrington/", "/pilots/gm-city-region/", "/pilots/lewisham/",
         "/forums/", "/forums/sustainable-neighbourhoods-2010-05-18/", "/search/"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> str:
    try:
        return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        require(False, "axe-playwright-python (which ships axe.min.js) is not installed")
        raise


def violations(page) -> list[dict]:
    page.add_script_tag(content=axe_script())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.mark.heavy(12)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sample_pages_have_no_axe_violations(example_site: Path, scheme: str):
    with serve(example_site) as base, chromium() as browser:
        context = browser.new_context(color_scheme=scheme, java_script_enabled=True)
        page = context.new_page()
        found = {}
        for path in PAGES:
            page.goto(base + path)
            assert page.evaluate("document.documentElement.lang") == "en-GB"
            problems = violations(page)
            if problems:
                found[path] = problems
        assert found == {}, json.dumps(found, indent=2)


def test_pages_carry_no_inline_scripts_and_only_comments_and_search_use_javascript(example_site: Path):
    # JSON-LD blocks are data for search engines, never run; the one script a page may load is
    # comments.js, and only where there are comments (it needs consent before it does anything),
    # or search.js on the search page.
    for html in example_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>", text)
        code = [tag for tag in scripts if tag != '<script type="application/ld+json">']
        if html == example_site / "search" / "index.html":
            assert len(code) == 1 and re.fullmatch(r'<script src="/js/search\.js\?v=\w+" defer>', code[0]), code
        elif "data-comments" in text:
            assert len(code) == 1 and re.fullmatch(r'<script src="/js/comments\.js\?v=\w+" defer>', code[0]), (html, code)
        else:
            assert code == [], (html, code)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(example_site: Path):
    with serve(example_site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + PAGES[1])
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to main content"
        box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.height]; })()")
        assert box[0] >= 0 and box[1] > 0, "the skip link must be visible when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"


def test_phone_width_has_no_horizontal_scrolling(example_site: Path):
    with serve(example_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for path in PAGES:
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px wide"

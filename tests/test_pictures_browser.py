"""A post with three phone photos, as a reader on a phone gets it: in real Chromium at 390 px
wide, under 300 KB in all, no layout shift, no axe violation; and valid HTML (Nu Html Checker)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import chromium, serve
from conftest import MINIMAL_PYPROJECT, PROJECT, TinySite, run_build_py
from pictures import photo
from test_accessibility import violations
from test_check import require_java

POST_URL = "/2010/05/20/what-the-forum-said/"
BUDGET = 300_000
"""Bytes a reader downloads for the whole post, its three photos included."""

# Layout shifts the page has had, summed as Chrome's Cumulative Layout Shift does (shifts right
# after input excluded); observed from the start with `buffered: true`.
CLS = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("photos")
    tiny = TinySite(root)
    for folder in ("templates", "static"):
        shutil.copytree(PROJECT / folder, root / folder)
    tiny.write("pyproject.toml", MINIMAL_PYPROJECT)
    for n, name in enumerate(("room", "speakers", "flipchart"), start=1):
        tiny.write(f"content/images/2010/05/{name}.jpg", photo(4000, 3000, seed=n))  # 12 megapixels, as a phone takes
    body = ("About forty people came.\n\n"
            "![A full room at the Friends Meeting House](../images/2010/05/room.jpg \"The room at half past six.\")\n\n"
            + "The speakers set out the City Region pilot. " * 40 + "\n\n"
            "![Three speakers at a table facing the room](../images/2010/05/speakers.jpg)\n\n"
            + "Questions came from tenants and council staff. " * 40 + "\n\n"
            "![A flipchart listing the questions people asked](../images/2010/05/flipchart.jpg)\n\nThanks to all who came.\n")
    tiny.post("2010-05-20-what-the-forum-said", "title: What the forum said\ndate: 2010-05-20", body)
    result = tiny.build()
    assert result.code == 0, result.err
    return tiny.out


def load_on_a_phone(site: Path, scale: float) -> tuple[int, float, list[dict], list[str]]:
    """Bytes downloaded, layout shift, axe violations and the pictures' current sources, after
    scrolling to the end of the post (lazy pictures load on the way)."""
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=scale)
        page = context.new_page()
        sizes: list[int] = []
        page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
        page.goto(base + POST_URL, wait_until="networkidle")
        for _ in range(12):
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(100)
        page.wait_for_load_state("networkidle")
        loaded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
        assert loaded == [True, True, True]
        shift = page.evaluate(CLS)
        sources = page.evaluate("[...document.images].map(i => i.currentSrc.split('/').pop())")
        found = violations(page)
        context.close()
    return sum(sizes), shift, found, sources


def test_three_photos_on_a_phone_load_under_300_kb_without_layout_shift_or_axe_violations(photo_site: Path):
    total, shift, found, sources = load_on_a_phone(photo_site, scale=2)
    print(f"\nthree 12-megapixel photos at 390 px (2x): {total:,} bytes in all; pictures {sources}")
    assert sources == ["room-960w.webp", "speakers-960w.webp", "flipchart-960w.webp"]
    assert total < BUDGET
    assert shift == 0
    assert found == []


def test_the_photo_post_is_valid_html_and_passes_build_py_check(photo_site: Path):
    require_java()
    root = photo_site.parent
    done = run_build_py("--now", "2026-01-01", "check", "--root", root, "--site", photo_site, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""

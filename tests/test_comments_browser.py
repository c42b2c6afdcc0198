"""Comments in a real browser: Debian's Chromium against the built site and a real Isso
server, both on 127.0.0.1. Every request the page makes is recorded."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser import chromium, require, serve
from conftest import PROJECT, run_build_py
from test_accessibility import violations

from placepress.isso import isso_command, write_preview_config

POST = "/2010/04/23/total-place-and-the-city-region-pilots/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def isso_server(root: Path, state: Path, site_origin: str):
    try:
        import isso  # noqa: F401
    except ModuleNotFoundError:
        require(False, "Isso is not installed")
    port = free_port()
    config = write_preview_config(root, site_origin, port, state)
    process = subprocess.Popen(isso_command(config), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"Isso did not start: {process.stdout.read1().decode() if process.stdout else ''}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def project_copy(folder: Path) -> Path:
    for name in ("content", "data", "templates", "static", "comments"):
        shutil.copytree(PROJECT / name, folder / name)
    shutil.copy2(PROJECT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def build(root: Path, out: Path, comments_url: str) -> None:
    done = run_build_py("build", "--root", root, "--out", out, "--now", "2026-01-01", "--comments-url", comments_url)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(site base URL, Isso URL) with the example site built against a real Isso."""
    work = tmp_path_factory.mktemp("comments")
    root = project_copy(work / "project")
    out = work / "site"
    out.mkdir()
    with serve(out) as base:
        with isso_server(root, work / "isso", base + "/") as isso:
            build(root, out, isso)
            yield base, isso


def requests_to(requests: list[str], server: str) -> list[str]:
    return [url for url in requests if url.startswith(server)]


def test_nothing_is_requested_from_the_comments_server_before_consent(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(base + POST)
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("button", name="Show comments from 127.0.0.1").is_visible()
        assert requests_to(seen, isso) == []
        assert seen, "the page's own requests were recorded"


def test_a_reader_shows_comments_writes_one_and_sees_it_after_a_reload(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(base + POST)
        page.get_by_role("button", name="Show comments from 127.0.0.1").click()
        page.wait_for_selector("#isso-thread .isso-postbox textarea, #isso-thread textarea", timeout=15000)
        assert requests_to(seen, isso), "showing comments fetches the widget from Isso"
        page.locator("#isso-thread textarea").first.fill("A test comment about the Manchester pilot.")
        page.locator("#isso-thread input[type=submit]").first.click()
        page.wait_for_selector("text=A test comment about the Manchester pilot.", timeout=15000)
        page.reload()
        page.get_by_role("button", name="Show comments from 127.0.0.1").click()
        comment = page.locator("#isso-thread .isso-comment .isso-text", has_text="A test comment about the Manchester pilot.")
        comment.first.wait_for(state="visible", timeout=15000)
        assert comment.count() == 1


def test_always_show_survives_a_reload_and_can_be_undone(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_context().new_page()
        page.goto(base + POST)
        page.get_by_label("Always show comments on this site").check()
        page.get_by_role("button", name="Show comments from 127.0.0.1").click()
        page.wait_for_selector("#isso-thread textarea", timeout=15000)
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.reload()
        page.wait_for_selector("#isso-thread textarea", timeout=15000)
        assert requests_to(seen, isso), "with 'always', comments load with the page"
        assert not page.get_by_role("button", name="Show comments from 127.0.0.1").is_visible()
        page.get_by_role("button", name="Stop loading comments automatically").click()
        seen.clear()
        page.reload()
        page.wait_for_load_state("networkidle")
        assert requests_to(seen, isso) == []
        assert page.get_by_role("button", name="Show comments from 127.0.0.1").is_visible()


def test_the_consent_button_works_from_the_keyboard_alone(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_page()
        page.goto(base + POST)
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.hasAttribute('data-comments-load')"):
                break
        else:
            pytest.fail("the consent button was not reached with Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("#isso-thread textarea", timeout=15000)


def test_a_post_page_has_no_axe_violations_before_and_after_the_isso_widget_loads(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_page()
        page.goto(base + POST)
        page.wait_for_load_state("networkidle")
        assert violations(page) == []
        page.get_by_role("button", name="Show comments from 127.0.0.1").click()
        page.wait_for_selector("#isso-thread textarea", timeout=15000)
        page.wait_for_load_state("networkidle")
        assert violations(page) == []


def test_without_javascript_the_reader_sees_an_explanation_and_nothing_loads(live):
    base, isso = live
    with chromium() as browser:
        page = browser.new_context(java_script_enabled=False).new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(base + POST)
        text = page.locator("section.comments").inner_text()
        assert "They need JavaScript" in text
        assert not page.get_by_role("button", name="Show comments from 127.0.0.1").is_visible()
        assert requests_to(seen, isso) == []

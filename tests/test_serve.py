"""`build.py serve`: the preview, rebuilt and reloaded as files change.

The Preview (rebuild and WSGI app) is tested directly on tiny sites; the whole command is
tested as an editor uses it: a real `build.py serve` in a child process on 127.0.0.1, and
Debian's Chromium following the edits without anyone pressing reload.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from browser import chromium, nu_messages
from conftest import MINIMAL_PYPROJECT, PROJECT, TinySite
from test_accessibility import violations

from placepress.problems import Problem
from placepress.serve import Preview, render_problem_page, report_rebuild
from placepress.watch import Rebuilder, SourceWatcher

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
POST = "content/posts/2010-04-23-hello.md"
POST_URL = "/2010/04/23/hello/"
UNCLOSED = f"{POST}:1: the front matter opened on line 1 is never closed; add a line '---' after the last field"


@pytest.fixture
def site(tiny: TinySite) -> TinySite:
    """A tiny site with one published post."""
    tiny.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "First words.\n")
    return tiny


def break_front_matter(site: TinySite) -> None:
    site.write(POST, "---\ntitle: Hello\ndate: 2010-04-23\nFirst words.\n")


# --- the Preview, without a server -------------------------------------------------------

def test_the_preview_is_built_under_cache_and_never_into_site(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    assert preview.folder == site.root / ".cache/preview/site"
    assert (preview.folder / POST_URL.strip("/") / "index.html").is_file()
    assert not site.out.exists()


def test_pages_and_files_are_served_from_the_preview_folder_with_their_content_types(site: TinySite) -> None:
    shutil.copytree(PROJECT / "data", site.root / "data")  # forums, for a calendar file
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    for path, file, kind in [("/", "index.html", "text/html; charset=utf-8"),
                             (POST_URL, POST_URL.strip("/") + "/index.html", "text/html; charset=utf-8"),
                             ("/css/site.css", "css/site.css", "text/css; charset=utf-8"),
                             ("/favicon.svg", "favicon.svg", "image/svg+xml; charset=utf-8"),
                             ("/feed.xml", "feed.xml", "text/xml; charset=utf-8"),
                             ("/forums.ics", "forums.ics", "text/calendar; charset=utf-8")]:
        response = preview.respond("GET", path)
        assert response.status == "200 OK", path
        assert dict(response.headers)["Content-Type"] == kind, path
        assert response.body == (preview.folder / file).read_bytes(), path


def test_a_page_served_before_the_last_rebuild_ended_has_missed_it(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    pages = {"/": "text/html", POST_URL: "text/html", "/css/site.css": "text/css", "/no-such-page/": "text/html"}
    answered = {}

    def get(path: str, method: str = "GET") -> None:
        preview({"REQUEST_METHOD": method, "PATH_INFO": path}, lambda status, headers: answered.update({path: dict(headers)}))

    for path in pages:
        get(path)
    assert [answered[path]["Content-Type"].split(";")[0] for path in pages] == list(pages.values())
    assert not preview.missed_rebuild("http://127.0.0.1:8000" + POST_URL)
    preview.rebuilt()
    # The page, the home page and the 404 page were served before it; an address's query and fragment do not count.
    assert preview.missed_rebuild("http://127.0.0.1:8000" + POST_URL)
    assert preview.missed_rebuild("http://127.0.0.1:8000/?q=1#top")
    assert preview.missed_rebuild("http://127.0.0.1:8000/no-such-page/")  # its 404 page may now be a page
    assert not preview.missed_rebuild("http://127.0.0.1:8000/css/site.css")  # not a page: nothing connects from it
    assert not preview.missed_rebuild("http://127.0.0.1:8000/never-served/")
    get(POST_URL)
    assert not preview.missed_rebuild("http://127.0.0.1:8000" + POST_URL)  # served again since
    get("/", "HEAD")  # a link checker's, say: no page is shown from it, so the open one is still old
    assert answered["/"]["Content-Type"].startswith("text/html")
    assert preview.missed_rebuild("http://127.0.0.1:8000/")


def test_an_address_is_matched_decoded_as_the_server_receives_it(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    # WSGI gives the decoded path as Latin-1 characters; the browser's address is percent-encoded.
    path = "/café/"  # no such page: the 404 page, which a rebuild may turn into a page
    preview({"REQUEST_METHOD": "GET", "PATH_INFO": path.encode("utf-8").decode("latin-1")}, lambda status, headers: None)
    preview.rebuilt()
    assert preview.missed_rebuild("http://127.0.0.1:8000/caf%C3%A9/")
    assert not preview.missed_rebuild("http://127.0.0.1:8000/caf%C3%A8/")


def test_a_folder_address_without_its_slash_is_redirected_to_it(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    response = preview.respond("GET", POST_URL.rstrip("/"))
    assert response.status == "302 Found"
    assert dict(response.headers)["Location"] == POST_URL


def test_a_missing_page_is_answered_with_the_sites_own_404_page(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    response = preview.respond("GET", "/no/such/page/")
    assert response.status == "404 Not Found"
    assert response.body == (preview.folder / "404.html").read_bytes()


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/../../pyproject.toml", "/css/../../../pyproject.toml", "/./index.html"])
def test_no_file_outside_the_preview_folder_is_ever_served(site: TinySite, path: str) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    assert preview.respond("GET", path).status == "404 Not Found"


def test_only_get_and_head_are_answered_and_head_has_no_body(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    assert preview.respond("POST", "/").status == "405 Method Not Allowed"
    started = []
    body = preview({"REQUEST_METHOD": "HEAD", "PATH_INFO": "/"}, lambda status, headers: started.append(status))
    assert (started, list(body)) == (["200 OK"], [b""])


def test_a_site_whose_url_has_a_path_is_served_under_that_path(site: TinySite) -> None:
    site.write("pyproject.toml", MINIMAL_PYPROJECT.replace('url = "https://example.org/"', 'url = "https://example.org/blog/"'))
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    home = preview.respond("GET", "/")
    assert (home.status, dict(home.headers)["Location"]) == ("302 Found", "/blog/")
    assert preview.respond("GET", "/blog" + POST_URL).status == "200 OK"
    assert b'href="/blog/css/site.css' in preview.respond("GET", "/blog/").body
    assert preview.respond("GET", POST_URL).status == "404 Not Found"


def test_while_the_input_has_problems_every_page_lists_them_and_other_files_are_the_last_good_ones(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    preview.rebuild()
    good_css = (preview.folder / "css/site.css").read_bytes()
    break_front_matter(site)
    assert [str(p) for p in preview.rebuild()] == [UNCLOSED]
    for path in ("/", POST_URL, "/no/such/page/"):
        response = preview.respond("GET", path)
        assert response.status == "500 Internal Server Error", path
        assert f"<li><code>{UNCLOSED.replace(chr(39), '&#x27;')}</code></li>".encode() in response.body, path
    assert preview.respond("GET", "/css/site.css").body == good_css
    assert (preview.folder / POST_URL.strip("/") / "index.html").is_file()  # the last good site is still there

    site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Fixed words.\n")
    assert preview.rebuild() == []
    response = preview.respond("GET", POST_URL)
    assert response.status == "200 OK"
    assert b"Fixed words." in response.body


def test_the_first_build_failing_still_gives_the_problem_page(tiny: TinySite) -> None:
    tiny.post("2010-04-23-hello", "title: Hello")
    preview = Preview(tiny.root, NOW)
    assert [str(p) for p in preview.rebuild()] == [
        f"{POST}:2: the field 'date' is missing; every file here needs a date, e.g. 'date: 2010-04-23'"]
    assert preview.respond("GET", "/").status == "500 Internal Server Error"


def test_problem_messages_are_escaped_in_the_problem_page(site: TinySite) -> None:
    site.post("2010-04-24-script", "title: Script\ndate: 2010-04-24\n<script>alert(1)</script>: x")
    preview = Preview(site.root, NOW)
    assert [str(p) for p in preview.rebuild()] == [
        "content/posts/2010-04-24-script.md:4: unknown field '<script>alert(1)</script>'"]
    body = preview.respond("GET", "/").body.decode()
    assert "unknown field &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in body
    assert "<script>alert" not in body


def test_the_problem_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    page = tmp_path / "problems.html"
    page.write_bytes(render_problem_page([Problem("content/posts/a.md", 3, "unknown field '<b>' & more"),
                                          Problem("pyproject.toml", 0, "no [tool.placepress] table")], "Tiny & site"))
    assert nu_messages(page) == []


# --- rebuilt as files change, in the warm process ----------------------------------------

class Rebuilds:
    """A Rebuilder of the preview told of changes by a real SourceWatcher; records the post's
    page, as the preview serves it, at each reload the Rebuilder asks for."""

    def __init__(self, preview: Preview, poll: bool = False):
        self.preview = preview
        self.pages: list[bytes] = []
        self.told = 0
        # As run_server makes it: the pages first, then the search index.
        self.rebuilder = Rebuilder(lambda changed: report_rebuild(preview, search=False, changed=changed),
                                   follow_up=preview.make_index)
        self.watcher = SourceWatcher(preview.root, self.tell, poll)

    def tell(self, paths: frozenset[str] | None) -> None:
        self.told += 1
        self.rebuilder.request(paths)

    def __enter__(self) -> "Rebuilds":
        self.watcher.start()
        self.rebuilder.start(lambda: self.pages.append(self.preview.respond("GET", POST_URL).body))
        return self

    def __exit__(self, *exception) -> None:
        self.watcher.stop()
        self.rebuilder.stop()

    def wait_for(self, words: bytes) -> None:
        deadline = time.monotonic() + 10
        while not any(words in page for page in self.pages):
            assert time.monotonic() < deadline, f"no reload showed {words!r} ({len(self.pages)} reloads)"
            time.sleep(0.01)

    def settle(self) -> int:
        """How many reloads there were, once none has come for a second."""
        count = -1
        while count != len(self.pages):
            count = len(self.pages)
            time.sleep(1)
        return count


@pytest.mark.parametrize("poll", [False, True], ids=["file system events", "polling"])
def test_a_saved_post_is_rebuilt_and_pages_reload_only_once_its_new_page_is_written(site: TinySite, poll: bool) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    with Rebuilds(preview, poll) as rebuilds:
        site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Second words.\n")
        rebuilds.wait_for(b"Second words.")
        assert all(b"Second words." in page for page in rebuilds.pages)


def test_the_search_index_follows_the_reload_and_holds_the_saved_words(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    with Rebuilds(preview) as rebuilds:
        site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Tenants in Ordsall met.\n")
        rebuilds.wait_for(b"Tenants in Ordsall met.")
        wait_until(lambda: "Ordsall" in indexed_text(preview.folder), "the search index never gained the saved words")


def indexed_text(folder: Path) -> str:
    """The post's text as the preview's search index holds it ("" while the index is being made
    again: a file listed a moment ago may be gone when it is read)."""
    from test_search import fragments

    try:
        return fragments(folder).get(POST_URL, {}).get("content", "")
    except FileNotFoundError:
        return ""


@pytest.mark.parametrize("search", [True, False], ids=["with a search index", "without one"])
def test_after_a_rebuild_that_shows_the_pages_first_the_index_is_made_only_where_the_site_has_one(site: TinySite,
                                                                                                  search: bool) -> None:
    if not search:
        site.write("pyproject.toml", MINIMAL_PYPROJECT.replace("[tool.placepress]", "[tool.placepress]\nsearch = false"))
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Tenants in Ordsall met.\n")
    assert preview.rebuild(search=False) == []
    shown = preview.report
    assert shown is not None and shown.index_waits == search
    preview.make_index()
    assert (preview.report is not shown) == search  # a rebuild for the index, or none at all
    assert preview.report is not None and not preview.report.index_waits
    if search:
        from test_search import fragments

        assert "Ordsall" in fragments(preview.folder)[POST_URL]["content"]


def test_a_burst_of_saves_makes_one_or_two_rebuilds_and_the_last_save_is_shown(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    with Rebuilds(preview) as rebuilds:
        # From another process, as an editor or a formatter saves (a thread here would share the
        # interpreter's lock with the rebuild, which would spread its saves over the rebuild's time).
        subprocess.run([sys.executable, "-c", "import sys\nfor n in range(1, 21):\n"
                        "    open(sys.argv[1], 'w').write(f'---\\ntitle: Hello\\ndate: 2010-04-23\\n---\\nSave {n}.\\n')",
                        str(site.root / POST)], check=True)
        rebuilds.wait_for(b"Save 20.")
        assert 1 <= rebuilds.settle() <= 2


def test_a_change_made_while_a_rebuild_runs_is_rebuilt_after_it(site: TinySite) -> None:
    preview = Preview(site.root, NOW)
    assert preview.rebuild() == []
    with Rebuilds(preview) as rebuilds:
        with preview.cache.lock:  # the rebuild that the first save starts waits here, half done
            site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Save 1.\n")
            wait_until(lambda: rebuilds.told and not rebuilds.rebuilder.wanted.is_set(), "the rebuild did not start")
            site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Save 2.\n")
            wait_until(rebuilds.rebuilder.wanted.is_set, "the second save was not noticed")
        rebuilds.wait_for(b"Save 2.")
        assert rebuilds.settle() >= 2
        assert b"Save 2." in rebuilds.pages[-1]


def wait_until(condition, failure: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.005)


# --- the real command, in Chromium -------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def preview_server(root: Path, log: Path):
    """A real `build.py serve` on a free port of 127.0.0.1; yields (base URL, process).
    Its output goes to `log`, printed when the test ends so that a failure shows it."""
    port = free_port()
    command = [sys.executable, str(PROJECT / "build.py"), "--now", "2026-01-01", "serve", "--root", str(root), "--port", str(port)]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=root)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"build.py serve did not start (exit code {process.poll()}):\n{log.read_text()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(f"--- output of build.py serve ---\n{log.read_text()}")


def test_a_second_preview_of_one_project_is_refused_with_the_address_of_the_first(site: TinySite, tmp_path: Path) -> None:
    # Two previews would write one folder at once, each removing the other's files.
    with preview_server(site.root, tmp_path / "first.log") as (base, first):
        command = [sys.executable, str(PROJECT / "build.py"), "serve", "--root", str(site.root), "--port", str(free_port())]
        second = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=site.root)
        assert second.returncode == 2
        assert second.stderr.splitlines()[-1] == (
            f"build.py: error: another `build.py serve` is previewing this project already (process {first.pid}, "
            f"{base}/); open that address, or stop it with Ctrl+C in its terminal first")
        assert status_of(base + "/") == 200
    with preview_server(site.root, tmp_path / "again.log") as (base, _):  # once it stopped, a preview starts again
        assert status_of(base + "/") == 200


class LivePage:
    """A browser page that counts its connections to the livereload server.

    A rebuild reloads only the pages connected at that moment, and a reloaded page connects
    again a moment after it loads; an edit made in between would rebuild the site but
    leave the page as it was, so each edit waits for the page to be listening.
    """

    def __init__(self, page):
        self.page = page
        self.connections = 0
        page.on("websocket", lambda socket: socket.on("framesent", self._sent))

    def _sent(self, payload) -> None:
        if '"info"' in str(payload):  # livereload.js's last handshake message
            self.connections += 1

    def wait_until_listening(self, connections: int) -> None:
        deadline = time.monotonic() + 10
        while self.connections < connections:
            assert time.monotonic() < deadline, "the page did not connect to the livereload server"
            self.page.wait_for_timeout(50)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_open_page_follows_edits_shows_problems_and_comes_back_by_itself(site: TinySite) -> None:
    from playwright.sync_api import expect

    log = site.root / "serve.log"
    with preview_server(site.root, log) as (base, process), chromium() as browser:
        live = LivePage(browser.new_page())
        page = live.page
        page.goto(base + POST_URL)
        expect(page.locator("main")).to_contain_text("First words.")
        live.wait_until_listening(1)

        site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Second words.\n")
        expect(page.locator("main")).to_contain_text("Second words.", timeout=10_000)
        live.wait_until_listening(2)

        break_front_matter(site)
        expect(page.locator("h1")).to_have_text("The preview could not be rebuilt", timeout=10_000)
        expect(page.locator("main li")).to_have_text([UNCLOSED])
        assert page.evaluate("document.documentElement.lang") == "en-GB"
        assert violations(page) == []
        assert status_of(base + POST_URL) == 500
        assert status_of(base + "/css/site.css") == 200
        assert process.poll() is None, "the server stopped on bad input"
        assert f"{UNCLOSED}\nFound 1 problem in 1 file; the preview's pages list the problems instead.\n1 problem: see the browser\n" in log.read_text()
        live.wait_until_listening(3)

        site.post("2010-04-23-hello", "title: Hello again\ndate: 2010-04-23", "Third words.\n")
        expect(page.locator("h1")).to_have_text("Hello again", timeout=10_000)
        expect(page.locator("main")).to_contain_text("Third words.")
        assert status_of(base + POST_URL) == 200
        assert process.poll() is None
    assert not site.out.exists(), "serve wrote into site/"


def test_a_page_that_starts_listening_after_a_rebuild_it_missed_is_reloaded(site: TinySite) -> None:
    """A page loaded before a rebuild, whose livereload connection is made only after the
    rebuild's reload went out (a page still loading, or one that reloaded just as another file
    was saved), is reloaded as it connects: it never goes on showing the old version."""
    from playwright.sync_api import expect

    with preview_server(site.root, site.root / "serve.log") as (base, _), chromium() as browser:
        page = browser.new_page()
        held = []

        def hold_the_first(route) -> None:  # the page connects once this is let through
            if held:
                route.continue_()  # the reloaded page's: held, it would be left pending as the page closes
            else:
                held.append(route)

        page.route("**/livereload.js*", hold_the_first)
        page.goto(base + POST_URL, wait_until="domcontentloaded")
        expect(page.locator("main")).to_contain_text("First words.")

        site.post("2010-04-23-hello", "title: Hello\ndate: 2010-04-23", "Second words.\n")
        written = site.root / ".cache/preview/site" / POST_URL.strip("/") / "index.html"
        deadline = time.monotonic() + 10
        while b"Second words." not in written.read_bytes():  # not asked of the server: the page is the only one served
            assert time.monotonic() < deadline, "the preview was not rebuilt"
            time.sleep(0.05)
        time.sleep(0.5)  # the reload has gone out, to no page
        expect(page.locator("main")).to_contain_text("First words.")

        page.wait_for_timeout(0)  # lets the route's handler run, if it has not yet
        assert len(held) == 1, "the page did not ask for livereload.js"
        held[0].continue_()
        expect(page.locator("main")).to_contain_text("Second words.", timeout=10_000)


def test_livereload_s_own_reload_address_still_reloads_the_open_pages(site: TinySite) -> None:
    from playwright.sync_api import expect

    with preview_server(site.root, site.root / "serve.log") as (base, _), chromium() as browser:
        live = LivePage(browser.new_page())
        live.page.goto(base + POST_URL)
        live.wait_until_listening(1)
        live.page.evaluate("window.before = true")  # gone once the page is loaded again
        assert status_of(base + "/forcereload") == 200  # livereload's, for tools that reload the browser
        expect(live.page.locator("main")).to_contain_text("First words.")
        live.wait_until_listening(2)
        assert live.page.evaluate("window.before === undefined")


def test_a_draft_shows_in_the_preview_with_its_banner_but_a_build_does_not_publish_it(site: TinySite) -> None:
    from playwright.sync_api import expect

    site.post("2010-04-24-draft", "title: Not yet\ndate: 2010-04-24\ndraft: true", "Draft words.\n")
    site.post("2026-06-01-later", "title: Later\ndate: 2026-06-01", "Scheduled words.\n")
    with preview_server(site.root, site.root / "serve.log") as (base, _), chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/2010/04/24/draft/")
        expect(page.locator("main")).to_contain_text("Draft words.")
        expect(page.get_by_role("note")).to_contain_text("Draft. This post is shown only in the preview")
        page.goto(base + "/2026/06/01/later/")
        expect(page.get_by_role("note")).to_contain_text("Scheduled for")
        assert not site.out.exists()

    built = site.build()
    assert built.code == 0, built.err
    assert (site.out / POST_URL.strip("/") / "index.html").is_file()
    assert not (site.out / "2010/04/24").exists()
    assert not (site.out / "2026").exists()

"""`build.py serve`: a preview on 127.0.0.1 that is rebuilt, and reloaded in the browser,
as files change.

The preview publishes drafts and scheduled posts (templates mark them with a banner), so it
is built into .cache/preview/site and never into site/: a draft cannot reach the web by
accident. While the input has problems the last good files stay on disk, but every page
answers with the list of problems, so the editor sees what to fix in the browser they are
already looking at; livereload puts its script into that page too, so it turns back into
the page by itself once the problems are fixed.

The preview is rebuilt in the warm process, as soon as a file is saved (placepress/watch.py
tells which): what the last build read and made stays in memory (placepress/warm.py), so a
rebuild renders only the pages whose inputs changed without reading .cache/ back first, and
the open pages reload once the new files are written. A page that connects to livereload
only after a rebuild it missed (it was still loading, or reloading after an earlier save) is
reloaded as it connects: the preview remembers which rebuild each address was last served from.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import mimetypes
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import livereload.server
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from .config import Config, load_config
from .folders import PREVIEW
from .pipeline import BuildReport, build
from .problems import Problem, ProblemsFound, format_report
from .warm import WarmCache
from .watch import Rebuilder, SourceWatcher

EXTRA_TYPES = (("text/calendar", ".ics"), ("font/woff2", ".woff2"))
"""Files a site has that Python's table of types does not know."""
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


@dataclass(frozen=True)
class Response:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Preview:
    """The preview site: rebuilt on demand, and served as a WSGI app.

    It remembers the problems of the last rebuild (none when it succeeded): while there
    are some, pages are answered with them instead of the last good site.
    """

    def __init__(self, root: Path, now: datetime | None = None, comments_url: str | None = None):
        self.root = root
        self.folder = root / PREVIEW
        self.now = now
        """A fixed "now" (--now, SOURCE_DATE_EPOCH), or None for the clock at each rebuild,
        so a scheduled post loses its banner on the first rebuild after its time."""
        self.comments_url = comments_url
        self.problems: list[Problem] = []
        self.report: BuildReport | None = None
        """What the last build that succeeded did."""
        self.config = Config()
        """The settings of the last good build. The preview is served under the path of their
        url (e.g. '/blog/'), as the pages' links expect."""
        self.cache = WarmCache(root / ".cache", self.folder)
        """What the last build read and made, kept in memory for the next."""
        self.types = mimetypes.MimeTypes(filenames=())  # Python's own table, not the machine's
        for kind, extension in EXTRA_TYPES:
            self.types.add_type(kind, extension)
        self.generation = 0
        """How many rebuilds have ended (each one reloads the open pages)."""
        self.served: dict[str, int] = {}
        """The generation each page's address was last served at (by GET). By address, as
        livereload's handshake names the page by its address alone: of two copies of one page,
        one loaded before a rebuild and one after, the first to connect late is not reloaded."""

    def rebuild(self, search: bool = True, changed: frozenset[str] | None = None) -> list[Problem]:
        """Build the preview; the problems, or [] when it was written. `search=False` leaves the
        search index for the next rebuild: the edited page is shown first. `changed`: the files
        changed since the last rebuild, by their path in the project (the watcher's), or None
        when that is not known."""
        now = self.now or datetime.now(timezone.utc)
        try:
            with self.cache.lock:
                self.report = build(self.root, self.folder, now, self.comments_url, preview=True, cache=self.cache, search=search,
                                    changed=changed)
        except ProblemsFound as found:
            self.problems = list(found.problems)
            return self.problems
        self.problems = []
        self.config = load_config(self.root)[0]
        return []

    def make_index(self) -> None:
        """After a rebuild that showed the pages first (search=False): the search index it left
        waiting. Nothing when the site has no index, or the rebuild failed (the next edit's
        rebuild will be whole)."""
        if not self.problems and self.report is not None and self.report.index_waits:
            self.rebuild()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        # WSGI gives the percent-decoded path as Latin-1 characters; URLs are UTF-8.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        generation = self.generation  # before the files are read: a rebuild may end meanwhile
        response = self.respond(method, path)
        if method == "GET" and dict(response.headers).get("Content-Type", "").startswith("text/html"):
            self.served[path] = generation  # a HEAD request's answer shows no page: an open one stays old
        start_response(response.status, list(response.headers))
        return [b"" if method == "HEAD" else response.body]

    def rebuilt(self) -> None:
        """A rebuild has ended, and its files are written: the pages served before are old."""
        self.generation += 1

    def missed_rebuild(self, url: str) -> bool:
        """Whether the page at `url` (as the browser has it) was served before the last rebuild
        ended. False for a page this process never served."""
        path = unquote(urlsplit(url).path)
        return self.served.get(path, self.generation) < self.generation

    def respond(self, method: str, path: str) -> Response:
        if method not in ("GET", "HEAD"):
            return Response("405 Method Not Allowed", (("Allow", "GET, HEAD"), *_headers("text/plain; charset=utf-8")),
                            b"The preview answers only GET and HEAD requests.\n")
        if path == "/" and self.config.base_path != "/":
            return _redirect(self.config.base_path)
        file = self.find_file(path)
        if isinstance(file, Response):
            return file
        if self.problems and (file is None or file.suffix == ".html"):
            return Response("500 Internal Server Error", _headers("text/html; charset=utf-8"),
                            render_problem_page(self.problems, self.config.title))
        if file is None:
            return self.not_found()
        return Response("200 OK", _headers(self.content_type(file.name)), file.read_bytes())

    def find_file(self, path: str) -> Path | Response | None:
        """The file that answers `path`, a redirect to its folder's address, or None."""
        base = self.config.base_path
        if not path.startswith(base):
            return None
        parts = path[len(base):].split("/")
        if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
            return None  # nothing outside the preview folder is served
        target = self.folder.joinpath(*(part for part in parts if part))
        if target.is_dir():
            if not path.endswith("/"):  # relative links in the page need the slash
                return _redirect(path + "/")
            target = target / "index.html"
        return target if target.is_file() else None

    def not_found(self) -> Response:
        page = self.folder / "404.html"
        if page.is_file():
            return Response("404 Not Found", _headers("text/html; charset=utf-8"), page.read_bytes())
        return Response("404 Not Found", _headers("text/plain; charset=utf-8"), b"Not found.\n")

    def content_type(self, name: str) -> str:
        kind = self.types.guess_type(name)[0] or "application/octet-stream"
        return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


def _headers(content_type: str) -> tuple[tuple[str, str], ...]:
    # Every answer may change at the next rebuild; the browser must never show an old one.
    return (("Content-Type", content_type), ("Cache-Control", "no-store"))


def _redirect(path: str) -> Response:
    return Response("302 Found", (("Location", quote(path)), *_headers("text/plain; charset=utf-8")), b"")


def render_problem_page(problems: list[Problem], site_title: str) -> bytes:
    """The page shown instead of every page while the input has problems."""
    noun = "problem" if len(problems) == 1 else "problems"
    items = "\n".join(f"<li><code>{html.escape(str(problem))}</code></li>" for problem in problems)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{len(problems)} {noun} – preview of {html.escape(site_title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; }}
li {{ margin-bottom: 0.75rem; }}
code {{ font-size: 1rem; white-space: pre-wrap; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<main>
<h1>The preview could not be rebuilt</h1>
<p>{len(problems)} {noun} to fix. Save the file once fixed: this page reloads by itself.</p>
<ul>
{items}
</ul>
</main>
</body>
</html>
""".encode("utf-8")


def report_rebuild(preview: Preview, done: str = "Rebuilt", search: bool = True,
                   changed: frozenset[str] | None = None) -> list[Problem]:
    """Rebuild, and say how it went in one line (after the problems, if any)."""
    started = time.perf_counter()
    problems = preview.rebuild(search, changed)
    if problems:
        print(format_report(problems, outcome="the preview's pages list the problems instead"), file=sys.stderr, flush=True)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun}: see the browser", flush=True)
    else:
        rendered = preview.report.rendered if preview.report else 0
        print(f"{done} in {time.perf_counter() - started:.2f} s ({rendered} page{'' if rendered == 1 else 's'} rendered)", flush=True)
    return problems


def check_port(port: int) -> str | None:
    """Why the preview cannot listen on 127.0.0.1:`port`, or None when it can."""
    if not 0 < port < 65536:
        return f"--port must be a number from 1 to 65535, found {port}"
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado does
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            return f"cannot listen on 127.0.0.1:{port} ({error.strerror}); give another port with --port"
    return None


def claim_preview(root: Path, port: int):
    """Hold this project's preview for this process: (a handle to keep open while serving, None),
    or (None, why) when another `serve` is previewing the project. Two would write one preview
    folder at once, each removing the other's files. (POSIX advisory lock; none elsewhere.)"""
    try:
        import fcntl
    except ImportError:
        return None, None
    path = root / ".cache" / "preview.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        return None, (f"another `build.py serve` is previewing this project already ({holder or 'its process is still starting'}); "
                      "open that address, or stop it with Ctrl+C in its terminal first")
    handle.truncate(0)
    handle.write(f"process {os.getpid()}, http://127.0.0.1:{port}/\n")
    handle.flush()
    return handle, None


def run_server(preview: Preview, port: int, poll: bool = False) -> int:
    """Build, then serve and rebuild on every change until Ctrl+C. 2 when the port is taken
    (check_port says so earlier, but another program may take it in between)."""
    # Pages first, the reader's browser reloaded, and then the search index, which Pagefind makes
    # anew from every page (seconds on a large site): an edit is seen at once, and found soon after.
    rebuilder = Rebuilder(lambda changed: report_rebuild(preview, search=False, changed=changed), follow_up=preview.make_index)
    watcher = SourceWatcher(preview.root, rebuilder.request, poll)
    watcher.start()  # before the build, so that no edit slips between them
    report_rebuild(preview, "Built the preview")
    handler = catching_up(preview)
    livereload.server.LiveReloadHandler = handler  # what livereload's server answers each open page's connection with
    server = Server(preview, ReloadOnRebuild(rebuilder, preview, handler))
    LiveReloadHandler.watcher = server.watcher  # set on `handler` as the server starts; livereload's /forcereload reads its own
    quiet_logs()
    print(f"Previewing drafts and scheduled posts at http://127.0.0.1:{port}{preview.config.base_path} "
          f"(built into {PREVIEW}; site/ is untouched), rebuilt on {watcher.method}. Ctrl+C stops.", flush=True)
    try:
        # debug=False: tornado's debug mode would restart the server whenever a module of
        # PlacePress changes on disk.
        server.serve(host="127.0.0.1", port=port, root=None, open_url_delay=None, debug=False)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(f"build.py: error: port {port} is already in use; give another with --port", file=sys.stderr)
        return 2
    finally:
        watcher.stop()
        rebuilder.stop()
        preview.cache.flush()  # what the builds kept in memory, for the next start
    return 0


class ReloadOnRebuild(Watcher):
    """What livereload asks of a watcher: here, only to start the Rebuilder in the server's
    loop. livereload's own watchers poll every 0.8 s, announce a file seen for the first time
    as changed, and drop a reload that comes within 3 s of the last; it also reloads every
    page a moment after the server starts (undoing a reader's click)."""

    def __init__(self, rebuilder: Rebuilder, preview: Preview, handler: type[LiveReloadHandler]):
        super().__init__()
        self.rebuilder = rebuilder
        self.preview = preview
        self.handler = handler

    def start(self, callback) -> bool:
        loop = IOLoop.current()  # the server's: only its own thread may write to the browsers

        def reload() -> None:
            self.preview.rebuilt()
            loop.add_callback(self.handler.reload_waiters, "*")

        self.rebuilder.start(reload)
        return True  # livereload polls nothing itself

    def examine(self) -> tuple[None, None]:
        return None, None


def catching_up(preview: Preview) -> type[LiveReloadHandler]:
    """livereload's connection to an open page, which also reloads the page when it connects
    after a rebuild it missed. livereload reloads the pages connected when a rebuild ends; a
    page connects a moment after it loads (its script is loaded, then a handshake), and a
    rebuild that ends in that moment would leave it showing the old version until the next."""

    class CatchingUp(LiveReloadHandler):
        def on_message(self, message) -> None:
            super().on_message(message)  # the handshake; with the page's 'info', it listens
            try:
                said = json.loads(message)
            except ValueError:
                return
            if isinstance(said, dict) and said.get("command") == "info" and isinstance(said.get("url"), str) \
                    and preview.missed_rebuild(said["url"]):
                self.send_message({"command": "reload", "path": "*"})

    return CatchingUp


def quiet_logs() -> None:
    # livereload logs each poll task and browser at INFO, and tornado logs every problem page
    # as a server error: noise around the one line per rebuild. Real errors still show.
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)

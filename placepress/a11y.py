"""`build.py check --a11y`: axe-core in Debian's Chromium on a sample of pages.

The built folder is served on 127.0.0.1 under the site's base path, so pages
load their styles as readers get them; axe then checks WCAG 2.2 A and AA.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .problems import Problem

CHROMIUM = os.environ.get("PLACEPRESS_CHROMIUM", "/usr/bin/chromium")
# As root and with no network, Chromium needs these to start and to stay off the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class MissingTool(Exception):
    """Chromium, Playwright or axe-core is not installed."""


def sample_pages(folder: Path, size: int) -> list[str]:
    """The home and 404 pages, then pages spread evenly over the rest, in a fixed order."""
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    chosen = [p for p in ("index.html", "404.html") if p in pages]
    rest = [p for p in pages if p not in chosen]
    step = max(1, len(rest) // max(1, size - len(chosen)))
    return chosen + rest[::step][: max(0, size - len(chosen))]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_under(folder: Path, base_path: str):
    """Serve `folder` at http://127.0.0.1:PORT{base_path}."""
    with tempfile.TemporaryDirectory() as holder:
        root = Path(holder)
        mount = root / base_path.strip("/") if base_path.strip("/") else None
        if mount is None:
            root = folder
        else:
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(folder.resolve(), target_is_directory=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
        finally:
            server.shutdown()
            server.server_close()


def check_accessibility(folder: Path, base_path: str, label: str, size: int = 12,
                        sources: dict[str, str] | None = None) -> list[Problem]:
    try:
        from playwright.sync_api import sync_playwright
        script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError as error:
        raise MissingTool(f"{error.name} is not installed (pip install -e '.[check]')") from error
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        raise MissingTool(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    problems = []
    with serve_under(folder, base_path) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        for name in sample_pages(folder, size):
            page.goto(base + (name.removesuffix("index.html")))
            page.add_script_tag(content=script)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
            for violation in result["violations"]:
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
                origin = f" (page made from {sources[name]})" if sources and name in sources else ""
                problems.append(Problem(f"{label}/{name}", 0,
                                        f"accessibility: {violation['help']} ({violation['id']}) at {targets}{origin}"))
        browser.close()
    return problems

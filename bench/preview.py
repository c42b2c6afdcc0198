"""The preview: time from a post saved to its new bytes served, for `build.py serve` and
`hugo server` (see bench/README.md).

Each server runs as a user runs it, from its command line, on the corpus that the builds used.
For each run a different post is edited (one sentence appended, as in the "post edited"
scenario) and its page fetched over HTTP from 127.0.0.1, every POLL_S, until it comes whole
with the new sentence: the time from just before the save to that answer is the sample. The
servers take turns, run by run.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from statistics import median

POLL_S = 0.005
"""Between one answer and the next request. Each request costs our server (one Python thread
for the pages, beside the one that rebuilds) a little of the time it rebuilds in; Hugo serves
from other cores."""
SETTLE_S = 1.5
"""Before each save, at least this long after the last answer."""
IDLE_TICKS = 2
"""...and until neither server has used more than this many clock ticks (10 ms each) of processor
time in the last IDLE_S: `hugo server` serves the edited page of a 10,000-post site after about
1.4 s, then goes on rebuilding the rest on a core for another 17 s, which would otherwise fall on
the next server's turn."""
IDLE_S = 0.5
IDLE_TIMEOUT_S = 120
START_TIMEOUT_S = 600


@dataclass(frozen=True)
class Server:
    name: str
    root: Path
    command: tuple[str, ...]
    posts: Path
    env: tuple[tuple[str, str], ...] = ()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_url(name: str) -> str:
    """'2010-05-01-some-slug.md' is served at /2010/05/01/some-slug/ by both servers."""
    return f"/{name[:4]}/{name[5:7]}/{name[8:10]}/{name[11:-3]}/"


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):  # not serving yet, or busy starting
        return None
    except http.client.HTTPException:  # cut short: a server sending a file from disk as it is rewritten (Hugo)
        return None


def make_servers(placepress_root: Path, hugo_root: Path, build_py: Path, python: str, hugo_binary: Path) -> dict[str, Server]:
    """`build.py serve` and `hugo server` on free ports. Hugo renders to disk (its default, as
    PlacePress does), in its default fast-render mode, watching with the file system's events."""
    ours, theirs = free_port(), free_port()
    return {
        "placepress": Server("placepress", placepress_root,
                             (python, str(build_py), "--now", "2026-01-01", "serve", "--root", str(placepress_root), "--port", str(ours)),
                             placepress_root / "content" / "posts"),
        "hugo": Server("hugo", hugo_root, (str(hugo_binary), "server", "--bind", "127.0.0.1", "--port", str(theirs)),
                       hugo_root / "content" / "posts", (("HUGO_CACHEDIR", str(hugo_root / ".hugo_cache")),)),
    }


def port_of(server: Server) -> int:
    return int(server.command[server.command.index("--port") + 1])


def start(server: Server, log, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(server.command, cwd=server.root, stdout=log, stderr=subprocess.STDOUT,
                            env={**env, **dict(server.env)})


def wait_until_serving(server: Server, process: subprocess.Popen, log, first_post: str) -> None:
    """Until the server answers for a post's page (its first build done)."""
    url = f"http://127.0.0.1:{port_of(server)}{post_url(first_post)}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while fetch(url) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise SystemExit(f"{server.name} did not start serving {url}:\n{log.read().decode(errors='replace')}")
        time.sleep(0.1)


def time_one_save(server: Server, name: str, run: int) -> float:
    """Seconds from the save of `name` to its page's new bytes being served."""
    url = f"http://127.0.0.1:{port_of(server)}{post_url(name)}"
    sentence = f"One more sentence, added by the preview benchmark for run {run + 1}."
    started = time.perf_counter()
    with open(server.posts / name, "a", encoding="utf-8") as post:
        post.write(f"\n{sentence}\n")
    while True:
        now = fetch(url)
        # The new page, whole: not one read while its file was being written (cut off, or empty).
        if now is not None and sentence.encode() in now and now.rstrip().endswith(b"</html>"):
            return time.perf_counter() - started
        if time.perf_counter() - started > 60:
            raise SystemExit(f"{server.name} did not serve the new {url} within a minute")
        time.sleep(POLL_S)


def cpu_ticks(pid: int) -> int | None:
    """Processor time of a process and its children that it waited for, in clock ticks (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return sum(int(field) for field in fields[11:15])  # utime, stime, cutime, cstime


def wait_until_idle(processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    last = [cpu_ticks(p.pid) for p in processes]
    while time.monotonic() < deadline and None not in last:
        time.sleep(IDLE_S)
        now = [cpu_ticks(p.pid) for p in processes]
        if None in now or all(after - before <= IDLE_TICKS for before, after in zip(last, now)):
            return
        last = now


def bench_preview(servers: list[Server], runs: int, names: list[str], env: dict[str, str]) -> dict:
    """Median, min and max seconds from save to new page, for each server."""
    samples: dict[str, list[float]] = {server.name: [] for server in servers}
    processes = []
    logs = [tempfile.TemporaryFile() for _ in servers]
    try:
        for server, log in zip(servers, logs):  # one after the other: their first builds would compete
            processes.append(start(server, log, env))
            wait_until_serving(server, processes[-1], log, names[0])
        for run in range(runs):
            # Not the posts the build scenarios edited (they took names from the middle).
            name = names[(run * 4099 + 13) % len(names)]
            for server in servers:  # turns, so that a busy moment falls on each alike
                time.sleep(SETTLE_S)
                wait_until_idle(processes)
                seconds = time_one_save(server, name, run)
                samples[server.name].append(seconds)
                print(f"  {server.name:<10} preview edit    run {run + 1}/{runs}: {seconds:7.3f} s", flush=True, file=sys.stderr)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
        for log in logs:
            log.close()
    return {name: {"median_s": round(median(found), 3), "min_s": round(min(found), 3), "max_s": round(max(found), 3),
                   "runs": len(found)} for name, found in samples.items()}


def user_environment() -> dict[str, str]:
    """The environment a user's shell has: bytecode is cached (this machine sets
    PYTHONDONTWRITEBYTECODE for its own work; users do not)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

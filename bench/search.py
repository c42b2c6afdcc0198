"""Search: what the Pagefind index costs a build, how big it is, and what a reader's first query
downloads (see bench/README.md).

    bench/.venv/bin/python bench/search.py cost --sizes 1000,10000 --runs 3
    bench/.venv/bin/python bench/search.py compare --ref 48fa83e --sizes 1000,10000 --runs 11
    bench/.venv/bin/python bench/search.py index --site bench/work/search-after-10000/out-placepress --runs 3
    .venv/bin/python bench/search.py download        # needs Playwright and Chromium (the check extra)

`cost`, for each size, on the corpus of bench/corpus.py built once first (not timed):

    no change     `build.py build` again, nothing changed: Pagefind must not run
    post edited   one sentence appended to one post (another each run), then `build.py build`:
                  the build re-renders that post's pages and runs Pagefind over every indexed page
    Pagefind      placepress.search.run_pagefind alone, over the built site's indexed pages, as the
                  build calls it when one page changed (in this process; the pages are hard links)

`compare --ref COMMIT`: the same two scenarios, "no change" and "post edited", for PlacePress at
COMMIT and as the work tree is now, each on its own copy of the corpus, the two taking turns
build by build (which goes first alternates), so that a busy moment on the machine falls on
both alike. This is the measure of what the index adds to those builds.

`index --site DIR`: Pagefind alone over a site already built (by `compare` or `cost`), as a build
runs it when one page changed: wall time, Pagefind's CPU time (its threads added up, from
os.times) and the load average, which says how far wall time is to be trusted.

`download`: the example site (content/) built and served on 127.0.0.1; Chromium opens /search/,
then types "Warrington"; every file fetched for the query is listed with its size in bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from statistics import median

from corpus import write_corpus
from run import BENCH, PROJECT, RESULTS, make_tools, prepare, run_build, snapshot


def indexed_pages(site: Path) -> dict[str, None]:
    """The built pages that mark content for the index, as run_pagefind takes them (None: on disk)."""
    return {p.relative_to(site).as_posix(): None for p in sorted(site.rglob("*.html"))
            if b"data-pagefind-body" in p.read_bytes()}


def index_size(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def cost(n: int, args: argparse.Namespace) -> dict:
    corpus = args.work / f"search-{n}"
    print(f"Writing {n} posts to {corpus}", file=sys.stderr)
    names = [post.name for post in write_corpus(n, args.seed, corpus, args.placepress)]
    tool = make_tools(corpus, args.placepress)["placepress"]
    prepare(tool, "cold", 0, names)
    run_build(tool)  # not timed
    from placepress.search import run_pagefind  # the PlacePress under test, put first on sys.path

    pages = indexed_pages(tool.output)
    timings: dict[str, list[float]] = {"no change": [], "post edited": [], "Pagefind": []}
    for run in range(args.runs):
        for scenario in ("no change", "post edited"):
            prepare(tool, scenario, run, names)
            timings[scenario].append(run_build(tool).seconds)
        started = time.perf_counter()
        run_pagefind(pages, tool.output)
        timings["Pagefind"].append(time.perf_counter() - started)
        print(f"  {n} posts, run {run + 1}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in timings.items()), file=sys.stderr)
    files, size = index_size(tool.output)
    return {"indexed_pages": len(pages), "index_files": files, "index_bytes": size, "runs": args.runs,
            **{f"{scenario}_s": round(median(values), 3) for scenario, values in timings.items()},
            **{f"{scenario}_range_s": [round(min(values), 3), round(max(values), 3)] for scenario, values in timings.items()}}


def compare(n: int, args: argparse.Namespace) -> dict:
    tools, names = {}, []
    for label, ref in (("before", args.ref), ("after", None)):
        code = args.work / f"placepress-{label}"
        args.versions[label] = snapshot(ref, code)
        corpus = args.work / f"search-{label}-{n}"
        print(f"Writing {n} posts to {corpus}", file=sys.stderr)
        names = [post.name for post in write_corpus(n, args.seed, corpus, code)]
        tools[label] = make_tools(corpus, code)["placepress"]
        prepare(tools[label], "cold", 0, names)
        run_build(tools[label])  # not timed
    found: dict[str, dict[str, list[float]]] = {label: {s: [] for s in args.scenarios} for label in tools}
    for scenario in args.scenarios:
        for run in range(args.runs):
            for label in (("before", "after") if run % 2 == 0 else ("after", "before")):
                prepare(tools[label], scenario, run, names)
                found[label][scenario].append(run_build(tools[label]).seconds)
            print(f"  {n} posts, {scenario}, run {run + 1}/{args.runs}: before {found['before'][scenario][-1]:.2f} s, "
                  f"after {found['after'][scenario][-1]:.2f} s", file=sys.stderr)
    return {label: {scenario: {"median_s": round(median(values), 3), "min_s": round(min(values), 3), "max_s": round(max(values), 3)}
                    for scenario, values in by_scenario.items()} for label, by_scenario in found.items()}


def format_compare(results: dict) -> str:
    versions = results["versions"]
    lines = [f"Before (PlacePress {versions['before']}) and after (PlacePress {versions['after']}), taking turns build by "
             f"build; wall seconds, median of {results['runs']} runs (min–max).", "",
             "| posts | scenario | before | after | after − before |", "|---:|---|---:|---:|---:|"]
    for n, by_label in results["sizes"].items():
        for scenario in by_label["before"]:
            before, after = by_label["before"][scenario], by_label["after"][scenario]
            cells = [f"{x['median_s']:.2f} ({x['min_s']:.2f}–{x['max_s']:.2f})" for x in (before, after)]
            lines.append(f"| {n} | {scenario} | {cells[0]} | {cells[1]} | {after['median_s'] - before['median_s']:+.2f} |")
    return "\n".join(lines) + "\n"


def index_alone(args: argparse.Namespace) -> str:
    import os

    from placepress.search import run_pagefind

    pages = indexed_pages(args.site)
    files, size = index_size(args.site)
    lines = [f"Pagefind alone over {args.site}: {len(pages)} indexed pages; its index has {files} files, {size:,} bytes.", "",
             "| run | wall s | Pagefind CPU s | load average |", "|---:|---:|---:|---:|"]
    for run in range(args.runs):
        before, started = os.times(), time.perf_counter()
        run_pagefind(pages, args.site)
        seconds, after = time.perf_counter() - started, os.times()
        cpu = after.children_user - before.children_user + after.children_system - before.children_system
        lines.append(f"| {run + 1} | {seconds:.2f} | {cpu:.2f} | {os.getloadavg()[0]:.1f} |")
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines) + "\n"


def format_cost(results: dict) -> str:
    lines = [f"PlacePress {results['placepress']}: the search index on the generated corpus (seconds, median of "
             f"{results['runs']} runs, min–max).", "",
             "| posts | indexed pages | index files | index bytes | no change | post edited | Pagefind alone |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in results["sizes"].items():
        cells = [f"{r[f'{s}_s']:.2f} ({r[f'{s}_range_s'][0]:.2f}–{r[f'{s}_range_s'][1]:.2f})" for s in ("no change", "post edited", "Pagefind")]
        lines.append(f"| {n} | {r['indexed_pages']} | {r['index_files']} | {r['index_bytes']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def download(args: argparse.Namespace) -> str:
    """What a first query for 'Warrington' fetches from the example site, file by file."""
    import subprocess

    sys.path.insert(0, str(PROJECT / "tests"))
    from browser import chromium, serve  # the tests' Chromium and static server

    site = args.work / "search-example" / "site"
    done = subprocess.run([sys.executable, str(PROJECT / "build.py"), "build", "--root", str(PROJECT), "--out", str(site),
                           "--now", "2026-01-01"], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    responses = []
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/search/")
        page.wait_for_load_state("networkidle")
        page.on("response", lambda response: responses.append(response))
        page.locator("#search-query").press_sequentially("Warrington", delay=40)
        page.wait_for_function("document.querySelector('[data-search-status]').textContent.includes('Warrington')")
        page.wait_for_timeout(1000)  # the last results' fragments, and anything else the page asks for
        fetched = [(response.url[len(base):], len(response.body())) for response in responses]
    files, size = index_size(site)
    lines = [f"The example site's index: {files} files, {size:,} bytes (their sizes added up; `du -sb` adds its folders).", "",
             "A first query, 'Warrington', typed on /search/ after the page loaded, fetched:", "",
             "| file | bytes |", "|---|---:|"]
    lines += [f"| {url} | {length:,} |" for url, length in fetched]
    lines.append(f"| **total** | **{sum(length for _, length in fetched):,}** |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="What the search index costs, and what a first query downloads.")
    parser.add_argument("what", choices=("cost", "compare", "index", "download"))
    parser.add_argument("--site", type=Path, help="for index: a built site")
    parser.add_argument("--ref", default="HEAD~1", help="for compare: the commit to compare the work tree with")
    parser.add_argument("--scenarios", default="no change,post edited", help="for compare: which (default both)")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each scenario (default 3)")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="where corpora and outputs go (default bench/work)")
    args = parser.parse_args()
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    RESULTS.mkdir(exist_ok=True)
    if args.what == "index":
        sys.path.insert(0, str(PROJECT))
        report = index_alone(args)
        name = f"search-index-{len(indexed_pages(args.site))}.md"
        (RESULTS / name).write_text(report, encoding="utf-8")
        print(report)
        return
    if args.what == "download":
        report = download(args)
        (RESULTS / "search-download.md").write_text(report, encoding="utf-8")
        print(report)
        return
    if args.what == "compare":
        args.versions = {}
        sys.path.insert(0, str(args.work / "placepress-after"))
        sizes = {size: compare(int(size), args) for size in args.sizes.split(",")}
        results = {"versions": args.versions, "runs": args.runs, "sizes": sizes}
        (RESULTS / "search-compare.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        report = format_compare(results)
        (RESULTS / "search-compare.md").write_text(report, encoding="utf-8")
        print(report)
        return
    args.placepress = args.work / "placepress-search"
    version = snapshot(None, args.placepress)
    sys.path.insert(0, str(args.placepress))
    results = {"placepress": version, "runs": args.runs,
               "sizes": {size: cost(int(size), args) for size in args.sizes.split(",")}}
    (RESULTS / "search.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report = format_cost(results)
    (RESULTS / "search.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()

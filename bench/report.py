"""The benchmark's results: merged with earlier ones, and written as one Markdown text."""

from __future__ import annotations

SCENARIOS = ("cold", "no change", "post edited", "template edited")
TOOLS = ("placepress", "pelican", "hugo")


def merge(old: dict, new: dict) -> dict:
    """`old` with every size, tool and measurement of `new` replacing its own."""
    merged = {n: {key: dict(value) if isinstance(value, dict) else value for key, value in size.items()} for n, size in old.items()}
    for n, size in new.items():
        target = merged.setdefault(n, {"builds": {}, "pages": {}})
        target["builds"] = {**target.get("builds", {}), **size["builds"]}
        target["pages"] = {**target.get("pages", {}), **size["pages"]}
        if "markdown" in size:
            target["markdown"] = size["markdown"]
        if "preview" in size:
            target["preview"] = {**target.get("preview", {}), **size["preview"]}
    return dict(sorted(merged.items(), key=lambda item: int(item[0])))


def _cell(entry: dict | None, runs: int, digits: int = 2) -> str:
    if not entry:
        return "–"
    spread = f"{entry['min_s']:.{digits}f}–{entry['max_s']:.{digits}f}" if entry["runs"] > 1 else ""
    marked = f"{entry['runs']} run{'s' if entry['runs'] > 1 else ''}" if entry["runs"] != runs else ""
    return f"{entry['median_s']:.{digits}f} ({', '.join(filter(None, (spread, marked)))})"


def _ratio(ours: dict | None, theirs: dict | None) -> str:
    return f"{ours['median_s'] / theirs['median_s']:.2f}×" if ours and theirs else "–"


def format_report(results: dict) -> str:
    env, sizes = results["environment"], results["sizes"]
    before, after = results["load_average"]
    runs = results["runs"]
    lines = [(f"PlacePress {env['placepress']} against Pelican {env['pelican']} and Hugo {env['hugo']}; Python {env['python']}, "
              f"{env['cpus']} CPUs; Python-Markdown {env['markdown']} with {', '.join(env['markdown_extensions'])}"
              f"{' (Pelican: and smarty, for the typographic quotes PlacePress makes its own way)' if env.get('pelican_adds_smarty') else ''}."), "",
             ("PlacePress builds its search index (Pagefind) in every scenario, as it does by default." if results.get("search")
              else "PlacePress's search index is off (`search = false`), as Pelican and Hugo make none; "
                   "bench/search.py measures what the index adds."), "",
             (f"Load average (1 minute) before and after the latest run.py: {before} and {after} "
              "(other processes on the machine slow every tool; the tools take turns, run by run)."), "",
             *_provenance(results),
             f"Wall seconds, median of {runs} runs unless marked (min–max); a ratio below 1 means PlacePress is faster.", "",
             "| posts | scenario | PlacePress | Pelican | Hugo | PlacePress ÷ Pelican | PlacePress ÷ Hugo |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for n, size in sizes.items():
        for scenario in SCENARIOS:
            ours, pelican, hugo = (size["builds"].get(tool, {}).get(scenario) for tool in TOOLS)
            lines.append(f"| {n} | {scenario} | {_cell(ours, runs)} | {_cell(pelican, runs)} | {_cell(hugo, runs)} | {_ratio(ours, pelican)} | {_ratio(ours, hugo)} |")
    lines += _preview_report(sizes, runs)
    lines += ["", "CPU seconds (user + system, median) / peak resident memory in MB, from os.wait4 on the build process.", "",
              "| posts | scenario | PlacePress | Pelican | Hugo |", "|---:|---|---:|---:|---:|"]
    for n, size in sizes.items():
        for scenario in SCENARIOS:
            cells = [size["builds"].get(tool, {}).get(scenario) for tool in TOOLS]
            lines.append(f"| {n} | {scenario} | " + " | ".join(f"{c['cpu_s']:.2f} / {c['peak_rss_mb']:.0f}" if c else "–" for c in cells) + " |")
    lines += ["", "HTML pages written (the themes differ: see bench/README.md).", "",
              "| posts | PlacePress | Pelican | Hugo |", "|---:|---:|---:|---:|"]
    lines += [f"| {n} | " + " | ".join(str(size["pages"].get(tool, "–")) for tool in TOOLS) + " |" for n, size in sizes.items()]
    lines += _markdown_report(sizes, env["markdown_extensions"])
    return "\n".join(lines) + "\n"


def _provenance(results: dict) -> list[str]:
    """Which rows the latest run measured, when others were kept from earlier runs (--merge)."""
    if not results.get("earlier"):
        return []
    measured = "; ".join(f"{n}: {', '.join(parts) or 'nothing'}" for n, parts in (results.get("measured") or {}).items())
    earlier = "; ".join(f"PlacePress {run['placepress']} (load average {run['load_average'][0]} and {run['load_average'][1]}"
                        + (f", measured {run['measured']}" if run.get("measured") else "") + ")" for run in results["earlier"])
    return [f"The latest run measured (posts: what) {measured}. Everything else is kept from earlier runs: {earlier}.", ""]


def _preview_report(sizes: dict, runs: int) -> list[str]:
    measured = {n: size["preview"] for n, size in sizes.items() if "preview" in size}
    if not measured:
        return []
    lines = ["", ("The preview: seconds from a post saved to its new page served over HTTP on 127.0.0.1, "
                  "`build.py serve` against `hugo server` (rendering to disk, its default), median (min–max)."), "",
             "| posts | PlacePress | Hugo | PlacePress ÷ Hugo |", "|---:|---:|---:|---:|"]
    for n, servers in measured.items():
        ours, hugo = servers.get("placepress"), servers.get("hugo")
        lines.append(f"| {n} | {_cell(ours, runs, 3)} | {_cell(hugo, runs, 3)} | {_ratio(ours, hugo)} |")
    return lines


def _markdown_report(sizes: dict, extensions: list[str]) -> list[str]:
    measured = {n: size["markdown"] for n, size in sizes.items() if "markdown" in size}
    if not measured:
        return []
    lines = ["", "Python-Markdown alone, converting every body (seconds, median); beside it, PlacePress's own",
             "renderer (the same extensions, with its typography and quicker inline and heading-id processors).", "",
             "| posts | one process | Pool(2) | speed-up | PlacePress's renderer, Pool(2) |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {n} | {m['one_process_s']:.2f} | {m['pool_of_2_s']:.2f} | {m['one_process_s'] / m['pool_of_2_s']:.2f}× | "
              + (f"{m['placepress_pool_of_2_s']:.2f} |" if "placepress_pool_of_2_s" in m else "– |")
              for n, m in measured.items()]
    n, last = list(measured.items())[-1]
    none = last["ms_per_post"]["none"]
    lines += ["", f"Per extension: ms per post, one process, best run, on {last['ms_per_post_sample']} posts of the {n}-post corpus.", "",
              "| extensions | ms per post | cost over none |", "|---|---:|---:|"]
    per_post = last["ms_per_post"]
    order = ["none", *extensions, *sorted(set(per_post) - {"none", "all", *extensions}), "all"]
    lines += [f"| {label} | {per_post[label]:.2f} | {per_post[label] - none:+.2f} |" for label in order]
    return lines

"""The benchmark's results as a chart: bench/results/chart.svg, from bench/results/latest.json.

Wall time (median) of each build scenario and of the preview, by corpus size, for PlacePress,
Pelican and Hugo, on a logarithmic scale (the times run from hundredths of a second to over a
minute). run.py writes it after each run; `bench/.venv/bin/python bench/chart.py` writes it
again from latest.json. The SVG is the same bytes for the same results: no date in its
metadata, and ids drawn from a fixed salt.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import FuncFormatter  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TOOLS = (("placepress", "PlacePress", "#0072B2"), ("pelican", "Pelican", "#E69F00"), ("hugo", "Hugo", "#009E73"))
"""Okabe and Ito's colours, told apart with any colour vision; hatching tells them in print."""
HATCHES = ("", "//", "..")
COLUMNS = (("cold", "cold build"), ("no change", "nothing\nchanged"), ("post edited", "post\nedited"),
           ("template edited", "template\nedited"), ("preview", "preview:\nsaved → served"))


def seconds(size: dict, tool: str, column: str) -> float | None:
    entry = size.get("preview", {}).get(tool) if column == "preview" else size.get("builds", {}).get(tool, {}).get(column)
    return entry["median_s"] if entry else None


def label(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def draw_size(axes, n: str, size: dict) -> None:
    width = 0.27
    for offset, ((tool, name, colour), hatch) in enumerate(zip(TOOLS, HATCHES)):
        for column, (key, _) in enumerate(COLUMNS):
            value = seconds(size, tool, key)
            if value is None:
                continue
            x = column + (offset - 1) * width
            axes.bar(x, value, width, color=colour, hatch=hatch, edgecolor="white", linewidth=0.5,
                     label=name if column == 0 or (key == "preview" and tool == "hugo") else None)
            axes.text(x, value * 1.08, label(value), ha="center", va="bottom", fontsize=7, rotation=90)
    axes.set_yscale("log")
    axes.set_ylim(0.01, 400)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.set_xticks(range(len(COLUMNS)), [text for _, text in COLUMNS], fontsize=8)
    axes.set_title(f"{int(n):,} posts", fontsize=10)
    axes.grid(axis="y", which="major", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def write_chart(results: dict, path: Path) -> Path:
    plt.rcParams.update({"svg.hashsalt": "placepress-bench", "svg.fonttype": "none", "font.size": 9})
    sizes = results["sizes"]
    figure, panels = plt.subplots(1, len(sizes), figsize=(5 * len(sizes), 4.2), sharey=True, squeeze=False)
    for axes, (n, size) in zip(panels[0], sizes.items()):
        draw_size(axes, n, size)
    panels[0][0].set_ylabel("seconds, median (log scale; lower is better)")
    handles, names = panels[0][0].get_legend_handles_labels()
    unique = dict(zip(names, handles))
    figure.legend(unique.values(), unique.keys(), loc="upper center", ncol=3, frameon=False, bbox_to_anchor=(0.5, 1.0))
    env = results["environment"]
    earlier = "".join(f", {run['placepress']}" for run in results.get("earlier", []))
    figure.text(0.5, 0.005, (f"PlacePress {env['placepress']}{earlier}, Pelican {env['pelican']}, Hugo {env['hugo']}; Python {env['python']}, "
                             f"{env['cpus']} CPUs; wall time, median of up to {results['runs']} runs; which run gave what: bench/results/latest.md"),
                ha="center", fontsize=7, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 1, 0.93))
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return path


def main() -> None:
    results = json.loads((RESULTS / "latest.json").read_text(encoding="utf-8"))
    print(f"Wrote {write_chart(results, RESULTS / 'chart.svg')}")


if __name__ == "__main__":
    main()

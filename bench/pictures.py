"""Pictures: what 100 phone photos cost a build (`make bench-pictures`).

Two copies of the generated corpus (bench/corpus.py): as it is, and with 100 photos of 12
megapixels (4000 × 3000 JPEG with EXIF, GPS and orientation, as a phone saves them) under
content/images/, one shown in each of the first 100 posts. For each: a cold build (output and
.cache/ deleted first) and a build with nothing changed, each --runs times, every build a new
process of `build.py build`, as an editor runs it, with bytecode caching on
(PYTHONDONTWRITEBYTECODE unset). Results: bench/results/pictures.md and pictures.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import sys
from pathlib import Path
from statistics import median

from corpus import write_corpus
from run import NOW, PROJECT, RESULTS, Tool, run_build, snapshot

WORK = Path(__file__).resolve().parent / "work"


def photo(seed: int, width: int = 4000, height: int = 3000) -> bytes:
    """A photo-like JPEG (smooth shading, shapes and grain compress as a photo does), with the
    metadata a phone writes."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    light = Image.effect_noise((width // 40, height // 40), 70).convert("L").resize((width, height), Image.BICUBIC)
    tint = Image.effect_noise((width // 60, height // 60), 50).convert("L").resize((width, height), Image.BICUBIC)
    image = Image.merge("RGB", (light, tint, Image.linear_gradient("L").rotate(rng.choice((0, 90, 180))).resize((width, height))))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, size = rng.randrange(width), rng.randrange(height), rng.randrange(30, 500)
        draw.ellipse((x, y, x + size, y + size), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), Image.effect_noise((width, height), 24).convert("RGB"), 0.06)
    exif = Image.Exif()
    exif[0x0112] = rng.choice((1, 1, 1, 6))
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (53.0, 28.0, float(seed % 60)), "W", (2.0, 14.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def photos(count: int) -> list[Path]:
    """The photos, made once and kept under bench/work/photos/ (they take a second each), in
    worker processes: a build's peak memory, as the kernel reports it, starts from that of the
    process that started it, which must stay small."""
    from concurrent.futures import ProcessPoolExecutor

    folder = WORK / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"photo-{n:03d}.jpg" for n in range(count)]
    missing = [n for n, path in enumerate(paths) if not path.exists()]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for n, data in zip(missing, pool.map(photo, missing)):
            paths[n].write_bytes(data)
    return paths


def add_photos(project: Path, paths: list[Path]) -> None:
    images = project / "content" / "images" / "bench"
    images.mkdir(parents=True)
    posts = sorted((project / "content" / "posts").glob("*.md"))
    for n, (path, post) in enumerate(zip(paths, posts)):
        shutil.copy(path, images / path.name)
        text = post.read_text(encoding="utf-8")
        post.write_text(text + f"\n![Photo {n} from the bench, a generated scene](../images/bench/{path.name})\n", encoding="utf-8")


def measure(name: str, project: Path, placepress: Path, runs: int) -> dict:
    out = project.parent / f"out-{name}"
    tool = Tool(name, project, (sys.executable, str(placepress / "build.py"), "build", "--root", str(project), "--out", str(out),
                                "--now", NOW), out, (project / ".cache",), project / "content" / "posts", project / "templates" / "post.html", "")
    run_build(tool)  # untimed: the disk warm
    found = {}
    for scenario in ("cold", "no change"):
        samples = []
        for _ in range(runs):
            if scenario == "cold":
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(project / ".cache", ignore_errors=True)
            samples.append(run_build(tool))
        found[scenario] = {"seconds": [s.seconds for s in samples], "cpu": median(s.cpu for s in samples),
                           "rss_mb": max(s.rss_mb for s in samples), "median": median(s.seconds for s in samples)}
        print(f"{name:16} {scenario:10} median {found[scenario]['median']:.2f} s "
              f"(min {min(found[scenario]['seconds']):.2f}, max {max(found[scenario]['seconds']):.2f})", flush=True)
    return found


def report(results: dict, count: int, posts: int, runs: int, version: str) -> str:
    load = os.getloadavg()[0]
    lines = [f"# Pictures: {count} photos of 12 megapixels in a {posts}-post site",
             "", f"PlacePress {version}; Python {platform.python_version()}, {os.cpu_count()} CPUs; "
             f"median of {runs} runs (min–max); load average after: {load:.2f}.", "",
             "| site | scenario | wall seconds | CPU seconds | peak MB |", "|---|---|---:|---:|---:|"]
    for name, scenarios in results.items():
        for scenario, r in scenarios.items():
            lines.append(f"| {name} | {scenario} | {r['median']:.2f} ({min(r['seconds']):.2f}–{max(r['seconds']):.2f}) "
                         f"| {r['cpu']:.2f} | {r['rss_mb']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # users' builds keep their bytecode
    placepress = WORK / "placepress-under-test"
    version = snapshot(None, placepress)
    corpus = WORK / "pictures"
    write_corpus(args.posts, 2010, corpus / "without", PROJECT)
    write_corpus(args.posts, 2010, corpus / "with", PROJECT)
    add_photos(corpus / "with" / "placepress", photos(args.photos))
    results = {f"without pictures": measure("without-pictures", corpus / "without" / "placepress", placepress, args.runs),
               f"with {args.photos} photos": measure("with-photos", corpus / "with" / "placepress", placepress, args.runs)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pictures.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    text = report(results, args.photos, args.posts, args.runs, version)
    (RESULTS / "pictures.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

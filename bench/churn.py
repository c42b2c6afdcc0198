"""How much the file system itself charges for a site's worth of new folders and files, round
after round, in one folder: write them all, then delete them, ROUNDS times; prints the processor
seconds of each round's writing. On a healthy disk the rounds cost about the same; where they
climb, a benchmark's cold builds (each after deleting the last one's output) measure that climb.

    python3 bench/churn.py FOLDER [--posts 1000] [--rounds 5]

FOLDER is made if missing, and what this writes into it is deleted again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path


def site_paths(posts: int) -> list[str]:
    """The shape of a generated site: a folder per post under year/month/day, a page per tag
    and category, ten posts to a listing page."""
    paths = [f"{2009 + i % 4}/{1 + i % 12:02d}/{1 + i % 28:02d}/post-{i}/index.html" for i in range(posts)]
    paths += [f"tag/tag-{i}/index.html" for i in range(posts // 2)]
    paths += [f"category/topic-{i % 12}/page/{1 + i // 12}/index.html" for i in range(posts // 10)]
    return paths


def write_all(folder: Path, paths: list[str], page: bytes) -> float:
    """Processor seconds (this process, user and system) to write every page, making folders as needed."""
    started = time.process_time()
    for relative in paths:
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(page)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = site_paths(args.posts)
    page = b"<!doctype html>" + b"x" * 20_000
    tree = args.folder / "churn-site"
    shutil.rmtree(tree, ignore_errors=True)
    folders = {"/".join(path.split("/")[:depth]) for path in paths for depth in range(1, path.count("/") + 1)}
    print(f"{len(paths)} files in {len(folders)} folders, into {tree}")
    for round_ in range(1, args.rounds + 1):
        seconds = write_all(tree, paths, page)
        shutil.rmtree(tree)
        os.sync()
        print(f"round {round_}: {seconds:.2f} s of processor time to write them")


if __name__ == "__main__":
    main()

"""Time `build.py import-wordpress` on a generated export, and measure its peak memory.

    .venv/bin/python bench/import_wordpress.py                        # 5,000 posts, 20,000 comments, 5 runs
    .venv/bin/python bench/import_wordpress.py --posts 5000 --words 3000 --runs 3   # a ~100 MB export

The export is written once (seeded, so every run reads the same bytes): classic-editor posts
without <p> tags, with captions, galleries, links to other posts, an embedded video and a
shortcode from a plugin; one post in five from the block editor; categories, tags, comments in
threads (some spam and pending), pages in a hierarchy and attachments. Each run imports it into
a new, empty project (cold), then again over the result (no change), each a separate process
started from its command line with PYTHONDONTWRITEBYTECODE unset, as a user runs it. Wall time
is the median of --runs; peak memory is the largest resident set of the import process
(os.wait4). Results: bench/results/import-latest.json and .md. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
SITE = "https://old.example.org"
WORDS = ("city region pilot total place forum neighbourhood council budget health housing transport partners "
         "residents evidence report Manchester Salford Trafford Wigan Stockport services together change").split()
PYPROJECT = '[project]\nname = "bench"\n\n[tool.placepress]\ntitle = "Bench"\nurl = "https://example.org/"\n'


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def prose(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = rng.randint(8, 20)
        words -= length
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + ".")
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def body(rng: random.Random, number: int, words: int) -> str:
    text = prose(rng, words)
    extras = [f'See <a href="{SITE}/?p={rng.randint(1, number) if number > 1 else 1}">an earlier post</a>.',
              f'[caption id="attachment_9{number}" width="300"]<img src="{SITE}/wp-content/uploads/2010/04/room-{number % 50}-300x200.jpg" '
              f'alt="Room {number}" /> The forum[/caption]']
    if number % 7 == 0:
        extras.append("https://www.youtube.com/watch?v=abc" + str(number))
    if number % 11 == 0:
        extras.append('[contact-form-7 id="12"]\n<table><tr><td colspan="2">Spans</td></tr></table>')
    if number % 5 == 0:  # the block editor
        blocks = "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in text.split("\n\n"))
        return blocks + "\n\n<!-- wp:paragraph -->\n<p>" + extras[0] + "</p>\n<!-- /wp:paragraph -->"
    return text + "\n\n" + "\n\n".join(extras)


def comments(rng: random.Random, count: int, first: int) -> str:
    out = []
    for offset in range(count):
        number = first + offset
        status = "1" if rng.random() < 0.85 else rng.choice(["0", "spam"])
        parent = number - 1 if offset and rng.random() < 0.3 else 0
        out.append(f"<wp:comment><wp:comment_id>{number}</wp:comment_id><wp:comment_author>{cdata('Reader ' + str(number))}</wp:comment_author>"
                   f"<wp:comment_author_email>r{number}@example.net</wp:comment_author_email><wp:comment_author_url>https://r{number}.example.net/</wp:comment_author_url>"
                   f"<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP><wp:comment_date>2011-01-02 10:00:00</wp:comment_date>"
                   f"<wp:comment_date_gmt>2011-01-02 10:00:00</wp:comment_date_gmt><wp:comment_content>{cdata(prose(rng, 40))}</wp:comment_content>"
                   f"<wp:comment_approved>{status}</wp:comment_approved><wp:comment_type></wp:comment_type>"
                   f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>")
    return "".join(out)


def item(number: int, kind: str, title: str, content: str, day: str, extra: str = "", parent: int = 0) -> str:
    return (f"<item><title>{cdata(title)}</title><link>{SITE}/?p={number}</link><dc:creator>editor</dc:creator>"
            f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>"
            f"<wp:post_id>{number}</wp:post_id><wp:post_date>{day}</wp:post_date><wp:post_date_gmt>{day}</wp:post_date_gmt>"
            f"<wp:post_name>{title.lower().replace(' ', '-')}</wp:post_name><wp:status>{'inherit' if kind == 'attachment' else 'publish'}</wp:status>"
            f"<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>{kind}</wp:post_type>"
            f"<wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>{extra}</item>\n")


def write_export(path: Path, posts: int, total_comments: int, words: int, seed: int = 10) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  f'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Bench</title><link>{SITE}</link>'
                  f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>\n")
        for number in range(50):
            out.write(item(90000 + number, "attachment", f"room {number}", "", "2010-04-01 10:00:00",
                           f"<wp:attachment_url>{SITE}/wp-content/uploads/2010/04/room-{number}.jpg</wp:attachment_url>"))
        for number in range(1, 21):
            out.write(item(80000 + number, "page", f"Page {number}", prose(rng, 200), "2010-01-01 10:00:00", parent=80001 if number > 5 else 0))
        per_post, first = total_comments // posts, 1
        for number in range(1, posts + 1):
            day = f"{2009 + number % 4}-{1 + number % 12:02d}-{1 + number % 28:02d} {number % 24:02d}:{number % 60:02d}:00"
            terms = "".join(f'<category domain="category" nicename="c{c}"><![CDATA[Category {c}]]></category>' for c in {number % 12, number % 5})
            terms += "".join(f'<category domain="post_tag" nicename="t{t}"><![CDATA[Tag {t}]]></category>' for t in {number % 60, number % 13})
            out.write(item(number, "post", f"Post number {number}", body(rng, number, words), day, terms + comments(rng, per_post, first)))
            first += per_post
        out.write("</channel></rss>\n")


def run_once(export: Path, root: Path) -> tuple[float, int]:
    """(seconds, peak resident set in bytes) of one import, a process of its own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "import-wordpress", str(export), "--root", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the import failed: {process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--words", type=int, default=600, help="words of prose in each post")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="placepress-import-bench-") as work:
        export = Path(work) / "export.xml"
        write_export(export, args.posts, args.comments, args.words)
        cold, again = [], []
        for run in range(args.runs):
            root = Path(work) / f"site-{run}"
            root.mkdir()
            (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
            cold.append(run_once(export, root))
            again.append(run_once(export, root))
            shutil.rmtree(root)
        result = {"posts": args.posts, "comments": args.comments, "words": args.words, "runs": args.runs,
                  "export_megabytes": round(export.stat().st_size / 1e6, 1), "python": sys.version.split()[0],
                  "cold_seconds": round(median(s for s, _ in cold), 2), "cold_peak_megabytes": round(max(m for _, m in cold) / 1e6),
                  "rerun_seconds": round(median(s for s, _ in again), 2), "rerun_peak_megabytes": round(max(m for _, m in again) / 1e6)}
    (BENCH / "results").mkdir(exist_ok=True)
    name = f"import-{args.posts}-{args.words}"
    (BENCH / "results" / f"{name}.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()

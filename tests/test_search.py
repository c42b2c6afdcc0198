"""Search: the Pagefind index the build writes, and the search page a reader uses, in Chromium.

The example site (the real content/, built once per session) is served from 127.0.0.1 with the
Content-Security-Policy of netlify.toml, so a script or a WebAssembly module that the policy
forbids fails here as it would for readers. A generated 1,000-post site (bench/corpus.py)
shows that a word of one post's title finds that post first, and that paging and date order work.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser import chromium, require, serve
from conftest import PROJECT, TinySite
from placepress.searchfiles import content_hash, decode, encode, make_reproducible, pack, unpack

sys.path.insert(0, str(PROJECT / "bench"))
from corpus import PYPROJECT, make_posts, pilot_ids, placepress_file  # noqa: E402

NETLIFY_CSP = tomllib.loads((PROJECT / "netlify.toml").read_text(encoding="utf-8"))["headers"][0]["values"]["Content-Security-Policy"]
MANCHESTER = "/pilots/manchester-warrington/"
FORUM = "/forums/sustainable-neighbourhoods-2010-05-18/"
THE_POST = "/2010/04/23/total-place-and-the-city-region-pilots/"


# --- the index --------------------------------------------------------------------------------

def index_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def fragments(site: Path) -> dict[str, dict]:
    """Each indexed page's record in the index, by its address."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(unpack(path.read_bytes()))
        found[record["url"]] = record
    return found


def test_the_index_holds_exactly_the_posts_pages_pilot_areas_programmes_and_forums(example_site: Path):
    pilots = {f"/{p.parent.relative_to(example_site).as_posix()}/" for p in example_site.glob("pilots/*/index.html")}
    assert set(fragments(example_site)) == {THE_POST, "/about/", "/documents/", FORUM, *pilots}


def test_only_the_main_content_is_indexed_not_navigation_footers_or_lists_of_other_pages(example_site: Path):
    records = fragments(example_site)
    for url, record in records.items():
        for boilerplate in ("Skip to main content", "Follow new posts with the Atom feed", "Search this site", "Archives Search"):
            assert boilerplate not in record["content"], (url, boilerplate)
    assert "Posted on" not in records[THE_POST]["content"]
    manchester = records[MANCHESTER]["content"]
    assert "Warrington" in manchester
    for listing in ("Posts about", "Sustainable Neighbourhoods Forum", "All pilot areas", "Facts marked"):
        assert listing not in manchester, listing


def test_each_record_carries_its_kind_date_categories_and_date_order(example_site: Path):
    records = fragments(example_site)
    post = records[THE_POST]
    assert post["filters"] == {"kind": ["post"], "category": ["economy", "manchester", "reports & briefings", "urban environment"]}
    assert post["meta"] == {"title": "Total Place and the Manchester City Region pilots", "kind": "Post",
                            "date": "Friday 23 April 2010", "datetime": "2010-04-23T00:00:00+01:00"}
    assert records[FORUM]["filters"] == {"kind": ["forum"]}
    assert records["/about/"]["filters"] == {"kind": ["page"]}
    assert records[MANCHESTER]["meta"]["kind"] == "Pilot area"
    assert records["/pilots/total-place/"]["meta"]["kind"] == "Pilot programme"
    assert records["/pilots/total-place/"]["filters"] == {"kind": ["pilot area"]}


def test_pagefinds_own_interfaces_are_not_published(example_site: Path):
    names = set(index_files(example_site))
    assert "pagefind/pagefind.js" in names and "pagefind/pagefind-worker.js" in names
    assert not [name for name in names if re.search(r"pagefind-(ui|component-ui|modular-ui|highlight)\.", name)]


def test_reading_and_writing_pagefinds_own_files_gives_back_the_same_bytes(example_site: Path):
    files = index_files(example_site)
    binary = [name for name in files if name.endswith((".pf_meta", ".pf_filter", ".pf_index"))]
    assert len(binary) >= 4
    for name in binary:
        content = unpack(files[name])
        assert encode(decode(content)) == content, name
    for name in binary:  # each is named after the SHA-1 of its content, as content_hash gives it
        assert content_hash(unpack(files[name])).startswith(re.search(r"_([0-9a-f]+)\.pf_", name).group(1)), name


def shuffled_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """The index as Pagefind 1.5 may write it in another run: each filter's values in reverse
    order, renamed after their content, with the metadata and entry file to match."""
    result, renamed = dict(files), {}
    for name in [n for n in files if n.startswith("pagefind/filter/")]:
        filter_name, values = decode(unpack(files[name]))
        content = encode([filter_name, list(reversed(values))])
        new = f"en-gb_{content_hash(content)[:7]}"
        renamed[name.split("/")[-1].removesuffix(".pf_filter")] = new
        del result[name]
        result[f"pagefind/filter/{new}.pf_filter"] = pack(content)
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    about = entry["languages"]["en-gb"]
    meta = decode(unpack(result.pop(f"pagefind/pagefind.{about['hash']}.pf_meta")))
    meta[3] = [[name, renamed[hash_]] for name, hash_ in reversed(meta[3])]
    about["hash"] = f"en-gb_{content_hash(encode(meta))[:13]}"
    result[f"pagefind/pagefind.{about['hash']}.pf_meta"] = pack(encode(meta))
    result["pagefind/pagefind-entry.json"] = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()
    return result


def test_filters_written_in_any_order_give_the_same_published_index(example_site: Path):
    published = index_files(example_site)
    shuffled = shuffled_filters(published)
    assert shuffled != published
    assert make_reproducible(shuffled) == published


def test_a_build_in_which_no_page_changed_does_not_run_pagefind(tiny: TinySite):
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23\ncategories: [news]", "Tenants in Hulme met.\n")
    assert tiny.build().code == 0
    before = index_files(tiny.out)
    # Pagefind's own setting for its program: a program that does not exist cannot have run.
    missing = {**os.environ, "PAGEFIND_BINARY_PATH": str(tiny.root / "no-pagefind")}
    again = tiny.build(env=missing)
    assert again.code == 0, again.err
    assert "(0 changed, 0 removed)" in again.out
    assert index_files(tiny.out) == before
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23\ncategories: [news]", "Tenants in Ordsall met.\n")
    changed = tiny.build(env=missing)
    assert changed.code == 1
    assert changed.err.startswith("build.py: error: the search index could not be made, so the site was not written: Pagefind could not be started")
    assert index_files(tiny.out) == before
    assert "Ordsall" not in (tiny.out / "2010/04/23/hello/index.html").read_text(encoding="utf-8")


def test_a_changed_page_is_indexed_again_and_the_index_equals_a_clean_builds(tiny: TinySite, tmp_path: Path):
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Hulme met.\n")
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nA tiny site.\n")
    assert tiny.build().code == 0
    tiny.post("2010-04-23-hello", "title: Hello Hulme\ndate: 2010-04-23", "Tenants in Ordsall met.\n")
    assert tiny.build().code == 0
    assert "Ordsall" in fragments(tiny.out)["/2010/04/23/hello/"]["content"]
    clean = tiny.build("--out", str(tmp_path / "clean"))
    assert clean.code == 0
    shutil.rmtree(tiny.root / ".cache")
    assert index_files(tiny.out) == index_files(tmp_path / "clean")


def test_a_site_with_nothing_to_index_has_no_index_and_builds(tiny: TinySite):
    result = tiny.build()
    assert result.code == 0, result.err
    assert not (tiny.out / "pagefind").exists()


def test_the_preview_of_build_py_serve_has_its_own_index_with_drafts(tiny: TinySite):
    from placepress.serve import Preview

    tiny.post("2010-04-23-draft", "title: A draft about Ordsall\ndate: 2010-04-23\ndraft: true")
    preview = Preview(tiny.root)
    assert preview.rebuild() == []
    assert "/2010/04/23/draft/" in fragments(preview.folder)
    assert not (tiny.out).exists()

"""The WordPress importer's own fixtures (GPL, read from ../shared/wxr/, never copied here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import browser
from conftest import MINIMAL_PYPROJECT, PROJECT, TinySite, run_build_py
from wordpress_export import fixtures

WELL_FORMED = ["e2e/wxr-base-url-rewriting.xml", "e2e/wxr-comprehensive.xml", "e2e/wxr-css-urls.xml", "e2e/wxr-simple.xml",
               "phpunit/authors-multiline.xml", "phpunit/backslashes.xml", "phpunit/blank-lines.xml", "phpunit/cdata-edge.xml",
               "phpunit/chunked-meta.xml", "phpunit/crazy-cdata-escaped.xml", "phpunit/large-authors.xml", "phpunit/missing-tags.xml",
               "phpunit/multiple-cdata.xml", "phpunit/post-content-blank-lines.xml", "phpunit/slashes.xml", "phpunit/small-export.xml",
               "phpunit/term-formats.xml", "phpunit/term-meta.xml", "phpunit/test-serialized-comment-meta.xml",
               "phpunit/test-serialized-postmeta-no-cdata.xml", "phpunit/test-serialized-postmeta-with-cdata.xml",
               "phpunit/test-serialized-term-meta.xml", "phpunit/test-utw-post-meta-import.xml", "phpunit/valid-wxr-1.0.xml",
               "phpunit/valid-wxr-1.1.xml", "phpunit/wxr-flat-attachment-different-site.xml", "phpunit/wxr-flat-attachment-same-site.xml",
               "phpunit/wxr-simple.xml", "phpunit/wxr-utf-8-challenges.xml", "phpunit/wxr-with-sub-data.xml"]
MALFORMED = {"phpunit/crazy-cdata.xml": "crazy-cdata.xml:18: this is not well-formed XML (column 70): Sequence ']]>' not allowed in content",
             "phpunit/malformed-simple.xml": "malformed-simple.xml:14: this is not well-formed XML (column 1): Premature end of data in tag item line 9",
             "phpunit/malformed.xml": "malformed.xml:27: this is not a WordPress export",
             "phpunit/invalid-version-tag.xml": "invalid-version-tag.xml:33: unknown WordPress export version 'abc'",
             "phpunit/missing-version-tag.xml": "missing-version-tag.xml: this is not a WordPress export: it has no <wp:wxr_version>",
             "phpunit/namespace-edge-cases.xml": "namespace-edge-cases.xml:84: this is not well-formed XML (column 50)"}


def import_fixture(site: TinySite, name: str) -> subprocess.CompletedProcess:
    return run_build_py("import-wordpress", fixtures() / "wordpress-importer" / name, "--root", site.root)


def test_every_shared_fixture_is_named_here() -> None:
    found = {p.relative_to(fixtures() / "wordpress-importer").as_posix() for p in (fixtures() / "wordpress-importer").rglob("*.xml")}
    assert found == set(WELL_FORMED) | set(MALFORMED)


@pytest.mark.heavy(38)
def test_every_well_formed_fixture_imports_builds_and_passes_check(tmp_path: Path) -> None:
    """Each fixture into an empty site: the import, `build.py build` and `build.py check` (links, feeds,
    pictures, headings) all pass; then the Nu Html Checker validates every page of every site in one run."""
    from placepress.check import check_html

    failures, pages = [], tmp_path / "all-sites"
    for name in WELL_FORMED:
        site = TinySite(tmp_path / name.replace("/", "-"))
        shutil.copytree(PROJECT / "templates", site.root / "templates")
        shutil.copytree(PROJECT / "static", site.root / "static")
        (site.root / "pyproject.toml").write_text(MINIMAL_PYPROJECT, encoding="utf-8")
        steps = [("import", import_fixture(site, name)), ("build", tiny_run(site, "build", "--now", "2026-01-01")),
                 ("check", tiny_run(site, "check", "--no-html"))]
        failures += [f"{name}: {step} exited {done.returncode}: {done.stderr}" for step, done in steps if done.returncode]
        if (site.root / "site").is_dir():
            shutil.copytree(site.root / "site", pages / name.replace("/", "-"))
    assert failures == []
    browser.require(shutil.which("java") is not None, "Java is needed for the Nu Html Checker")
    assert check_html(pages, "fixtures", {}, len(list(pages.rglob("*.html")))) == []


def tiny_run(site: TinySite, *args: str) -> subprocess.CompletedProcess:
    return run_build_py(*args, "--root", site.root, cwd=site.root)


@pytest.mark.parametrize("name, message", sorted(MALFORMED.items()))
def test_each_malformed_fixture_is_refused_with_a_clear_line_and_nothing_written(tiny: TinySite, name: str, message: str) -> None:
    done = import_fixture(tiny, name)
    assert done.returncode == 1 and message in done.stderr and "Nothing was imported." in done.stderr
    assert not (tiny.root / "content").exists() and not (tiny.root / "data").exists()


def body(site: TinySite, relative: str) -> str:
    return (site.root / relative).read_text(encoding="utf-8").split("---\n", 2)[2]


def test_backslashes_in_text_are_kept_exactly(tiny: TinySite) -> None:
    import_fixture(tiny, "phpunit/slashes.xml")
    assert body(tiny, "content/posts/2011-01-18-hello-world.md") == "\nSlashes aren\\'t \\\"cool\\\"\n"
    assert "\\o/ ¯\\_(ツ)_/¯" in (tiny.root / "content/comments/posts/2011-01-18-hello-world.yaml").read_text()


def test_a_cdata_end_marker_split_across_sections_is_text(tiny: TinySite) -> None:
    import_fixture(tiny, "phpunit/crazy-cdata-escaped.xml")
    text = body(tiny, "content/posts/2012-01-05-hello-world.md")
    assert text.startswith("\nContent with nested ") and text.endswith(" :)\n")  # the whole text, past the split marker


def test_blank_lines_become_paragraphs(tiny: TinySite) -> None:
    import_fixture(tiny, "phpunit/small-export.xml")
    text = body(tiny, "content/pages/sample-page.md")
    assert text.count("\n\n") >= 4 and text.splitlines()[3].startswith("> Hi there!")


def test_every_category_of_a_post_is_kept_with_its_name(tiny: TinySite) -> None:
    import_fixture(tiny, "phpunit/small-export.xml")
    text = (tiny.root / "content/posts/2011-01-18-many-categories.md").read_text()
    assert text.count("\n- ") == 27 and "\n- gaMMA\n" in text and "\n- 远征手记 (eternity)\n" in text

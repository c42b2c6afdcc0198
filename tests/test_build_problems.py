"""Problems reported by whole builds of tiny sites: stderr lines, exit codes, site/ left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

A = "content/posts/2010-04-23-total-place.md"
B = "content/posts/2010-04-24-city-region.md"


def build(tiny, *args: str, github: bool = False):
    """tiny.build() with GITHUB_ACTIONS set only when asked, so results do not depend on where tests run."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return tiny.build(*args, env=env)


def problems(tiny, *args: str) -> list[str]:
    """The stderr lines of a build that must fail with problems (exit code 1)."""
    result = build(tiny, *args)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    return result.err.splitlines()


def summary(count: int, files: int) -> str:
    return (f"Found {count} problem{'s' if count > 1 else ''} in {files} file{'s' if files > 1 else ''}; "
            "site not written.")


def good_posts(tiny) -> None:
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- one mistake in one file ------------------------------------------------------------------

def test_a_file_that_is_not_utf8_is_reported_on_the_line_of_the_bad_byte(tiny):
    tiny.write(A, b"---\ntitle: Total Place\ndate: 2010-04-23\nsummary: caf\xe9 society\n---\nSome text.\n")
    assert problems(tiny) == [
        f"{A}:4: the file is not UTF-8 text (byte 0xE9 at column 13); save it as UTF-8", summary(1, 1)]


def test_an_empty_file_is_reported_on_line_one(tiny):
    tiny.write(A, "")
    assert problems(tiny) == [
        f"{A}:1: the file is empty; start it with front matter between two '---' lines, with at least a title", summary(1, 1)]


def test_a_missing_title_is_reported_with_file_and_line(tiny):
    tiny.post("2010-04-23-total-place", "date: 2010-04-23")
    assert problems(tiny) == [
        f"{A}:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'", summary(1, 1)]


# --- mistakes that need two files to see ------------------------------------------------------

def test_two_posts_at_one_address_name_both_files(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    tiny.post("2010-04-23-pilots", "title: The pilots\ndate: 2010-04-23 18:00\nslug: total-place")
    # Reported at the 'slug:' line that made the clash, though it is in the newer post.
    assert problems(tiny) == [
        "content/posts/2010-04-23-pilots.md:4: this is published at /2010/04/23/total-place/, "
        f"as is {A}; give one of them another 'slug'", summary(1, 1)]


def test_two_category_names_with_one_slug_are_one_problem_naming_both_files(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ncategories: [Reports & Briefings]")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24\ncategories:\n  - economy\n  - reports & briefings")
    assert problems(tiny) == [
        f"{A}:4: the category names 'Reports & Briefings' and 'reports & briefings' both give the address "
        "/category/reports-briefings/; spell them the same way "
        f"('Reports & Briefings' in {A}:4; 'reports & briefings' in {B}:6)", summary(1, 1)]


def test_three_category_names_with_one_slug_are_listed_in_one_problem(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ncategories: [Reports & Briefings]")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24\ncategories:\n  - economy\n  - reports & briefings")
    tiny.post("2010-04-25-forum", "title: Forum\ndate: 2010-04-25\ncategories: [Reports & briefings]")
    assert problems(tiny) == [
        f"{A}:4: the category names 'Reports & Briefings', 'Reports & briefings' and 'reports & briefings' all give "
        "the address /category/reports-briefings/; spell them the same way ('Reports & Briefings' in "
        f"{A}:4; 'reports & briefings' in {B}:6; 'Reports & briefings' in content/posts/2010-04-25-forum.md:4)", summary(1, 1)]


def test_a_category_with_no_letters_or_digits_is_reported(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ncategories: ['&&']")
    assert problems(tiny) == [f"{A}:4: the category '&&' has no letters or digits to make an address from", summary(1, 1)]


@pytest.mark.parametrize("slug", ["feed", "page", "archives", "search", "pagefind"])
def test_a_page_may_not_take_an_address_the_site_uses(tiny, slug):
    tiny.write(f"content/pages/{slug}.md", "---\ntitle: Reserved\n---\nText.\n")
    assert problems(tiny) == [
        f"content/pages/{slug}.md:1: the address /{slug}/ is used by the site itself; give this page another 'slug'", summary(1, 1)]


def test_a_link_to_a_missing_content_file_is_reported_on_its_line_of_the_md_file(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23",
              body="\nIntro.\n\nSee [x](../pages/nope.md) for more.\n")  # body starts on line 5: the link is on line 8
    assert problems(tiny) == [
        f"{A}:8: the link to '../pages/nope.md' names content/pages/nope.md, which does not exist", summary(1, 1)]


def test_a_link_with_windows_line_endings_keeps_its_real_line(tiny):
    tiny.write(A, "---\r\ntitle: Total Place\r\ndate: 2010-04-23\r\n---\r\n\r\nSee [x](../pages/nope.md).\r\n")
    assert problems(tiny) == [
        f"{A}:6: the link to '../pages/nope.md' names content/pages/nope.md, which does not exist", summary(1, 1)]


def test_a_link_to_a_draft_or_a_scheduled_post_is_reported(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23",
              body="See [the draft](2010-04-24-city-region.md)\nand [later](2010-05-01-forum.md#when).\n")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24\ndraft: true")
    tiny.post("2010-05-01-forum", "title: Forum\ndate: 2010-05-01")
    assert problems(tiny, "--now", "2010-04-30") == [
        f"{A}:5: the link to '2010-04-24-city-region.md' names {B}, which is a draft and so is not published; "
        "remove the link or publish it first",
        f"{A}:6: the link to '2010-05-01-forum.md#when' names content/posts/2010-05-01-forum.md, which is scheduled "
        "for 2010-05-01 and so is not published; remove the link or publish it first",
        summary(2, 1)]


def test_a_link_to_a_missing_file_suggests_a_close_name_as_the_editor_would_write_it(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23",
              body="See [x](../pages/abuot.md)\nand [y](2010-04-24-city-regoin.md#part).\n")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24")
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nText.\n")
    assert problems(tiny) == [
        f"{A}:5: the link to '../pages/abuot.md' names content/pages/abuot.md, which does not exist "
        "(did you mean '../pages/about.md'?)",
        f"{A}:6: the link to '2010-04-24-city-regoin.md#part' names content/posts/2010-04-24-city-regoin.md, "
        "which does not exist (did you mean '2010-04-24-city-region.md'?)", summary(2, 1)]


def test_a_link_to_a_missing_file_suggests_nothing_when_no_name_is_close(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", body="See [x](../pages/nope.md).\n")
    tiny.write("content/pages/about.md", "---\ntitle: About\n---\nText.\n")
    assert problems(tiny) == [
        f"{A}:5: the link to '../pages/nope.md' names content/pages/nope.md, which does not exist", summary(1, 1)]


# --- templates ----------------------------------------------------------------------------------

def test_a_template_syntax_error_is_reported_at_the_template_line(tiny):
    good_posts(tiny)
    tiny.write("templates/page.html", '{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n')
    assert problems(tiny) == ["templates/page.html:3: template syntax error: unexpected '}'", summary(1, 1)]


def break_post_template(tiny) -> int:
    """Add a line using `post.titel` just inside the content block; return its line number."""
    lines = (tiny.root / "templates/post.html").read_text(encoding="utf-8").split("\n")
    at = lines.index("{% block content %}") + 1
    lines.insert(at, "<p>{{ post.titel }}</p>")
    tiny.write("templates/post.html", "\n".join(lines))
    return at + 1


def test_a_template_error_while_rendering_a_post_names_the_template_line_and_the_post(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    line = break_post_template(tiny)
    assert problems(tiny) == [
        f"templates/post.html:{line}: a post has no field 'titel' (did you mean 'title'?) (while rendering {A})", summary(1, 1)]


def test_the_same_template_error_on_two_posts_is_one_problem(tiny):
    good_posts(tiny)
    line = break_post_template(tiny)
    assert problems(tiny) == [
        f"templates/post.html:{line}: a post has no field 'titel' (did you mean 'title'?) "
        f"(while rendering {B} and 1 other page)", summary(1, 1)]


# --- settings -------------------------------------------------------------------------------------

PYPROJECT = '[project]\nname = "tiny-site"\n\n[tool.placepress]\ntitle = "Tiny site"\nurl = "https://example.org/"\n'


@pytest.mark.parametrize("setting, expected", [
    ('titel = "Tiny"', "unknown setting 'titel' (did you mean 'title'?)"),
    ('timezone = "Europe/Lundon"', "'timezone' must be an IANA time zone such as 'Europe/London', found 'Europe/Lundon'"),
    ("posts_per_page = 0", "'posts_per_page' must be a whole number of 1 or more, found 0"),
    ('title = "Tiny', "TOML syntax error: Illegal character '\\n'; is a quoted value missing its closing quote?"),
], ids=["unknown", "timezone", "posts_per_page", "toml syntax"])
def test_a_settings_mistake_is_reported_on_its_line_of_pyproject(tiny, setting, expected):
    good_posts(tiny)
    tiny.write("pyproject.toml", PYPROJECT + setting + "\n")
    assert problems(tiny) == [f"pyproject.toml:7: {expected}", summary(1, 1)]


@pytest.mark.parametrize("url, expected", [
    ("example.org", "pyproject.toml:6: 'url' must be a full address starting with https:// (or http://), found 'example.org'"),
    (None, 'pyproject.toml:4: the setting \'url\' is missing: where will the site be published? e.g. url = "https://example.org/"'),
], ids=["without https", "missing"])
def test_a_bad_or_missing_url_is_reported(tiny, url, expected):
    good_posts(tiny)
    text = PYPROJECT.replace("https://example.org/", url) if url else PYPROJECT.replace('url = "https://example.org/"\n', "")
    tiny.write("pyproject.toml", text)
    assert problems(tiny) == [expected, summary(1, 1)]


def test_a_permalink_with_a_stray_brace_is_a_problem_not_a_traceback(tiny):
    good_posts(tiny)
    tiny.write("pyproject.toml", PYPROJECT + 'permalink = "/{slug}}/"\n')
    assert problems(tiny) == [
        "pyproject.toml:7: 'permalink' has a '{' or '}' that does not pair up, found '/{slug}}/'", summary(1, 1)]


def test_a_sub_table_of_the_settings_is_reported_at_its_header_line(tiny):
    good_posts(tiny)
    tiny.write("pyproject.toml", PYPROJECT + '\n[tool.placepress.extra]\ncolour = "red"\n')
    assert problems(tiny) == ["pyproject.toml:8: unknown setting 'extra'", summary(1, 1)]


def test_a_pyproject_that_is_not_utf8_is_reported_on_the_line_of_the_bad_byte(tiny):
    good_posts(tiny)
    tiny.write("pyproject.toml", PYPROJECT.replace('"Tiny site"', '"Caf\xe9 site"').encode("latin-1"))
    assert problems(tiny) == ["pyproject.toml:5: the file is not UTF-8 text; save it as UTF-8", summary(1, 1)]


# --- the report as a whole ------------------------------------------------------------------------

def break_three_files(tiny) -> list[str]:
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 23rd April")
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ncategroies: [economy]")
    tiny.write("content/pages/about.md", "---\ntitle: About\nnav: first\n---\nText.\n")
    tiny.write("pyproject.toml", PYPROJECT + "posts_per_page = 0\n")
    return [
        "content/pages/about.md:3: 'nav' must be a whole number, e.g. 'nav: 1', found 'first'",
        f"{A}:4: unknown field 'categroies' (did you mean 'categories'?)",
        f"{B}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
        "pyproject.toml:7: 'posts_per_page' must be a whole number of 1 or more, found 0",
    ]


def test_all_problems_of_one_run_are_reported_together_sorted_with_a_summary(tiny):
    expected = break_three_files(tiny)
    assert problems(tiny) == expected + [summary(4, 4)]


def test_three_broken_posts_print_three_problems_then_the_summary(tiny):
    tiny.post("2010-04-25-forum", "date: 2010-04-25")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 23rd April")
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ncategroies: [economy]")
    assert problems(tiny) == [
        f"{A}:4: unknown field 'categroies' (did you mean 'categories'?)",
        f"{B}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
        "content/posts/2010-04-25-forum.md:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'",
        "Found 3 problems in 3 files; site not written.",
    ]


def test_under_github_actions_each_problem_is_also_an_error_annotation(tiny):
    expected = break_three_files(tiny)
    result = build(tiny, github=True)
    annotations = [
        "::error file=content/pages/about.md,line=3::'nav' must be a whole number, e.g. 'nav: 1', found 'first'",
        f"::error file={A},line=4::unknown field 'categroies' (did you mean 'categories'?)",
        f"::error file={B},line=3::'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
        "::error file=pyproject.toml,line=7::'posts_per_page' must be a whole number of 1 or more, found 0",
    ]
    assert result.code == 1
    assert result.err.splitlines() == expected + annotations + [summary(4, 4)]


def test_a_problem_leaves_the_previous_site_exactly_as_it_was(tiny):
    good_posts(tiny)
    assert build(tiny).code == 0
    before = snapshot(tiny.out)
    assert "2010/04/23/total-place/index.html" in before
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 23rd April")
    assert build(tiny).code == 1
    assert snapshot(tiny.out) == before
    assert sorted(p.name for p in tiny.root.iterdir() if p.name.startswith(".site")) == []


# --- what is published ----------------------------------------------------------------------------

def site_text(tiny) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(tiny.out.rglob("*")) if p.suffix in (".html", ".xml"))


def test_drafts_and_posts_dated_after_now_are_not_published_until_their_date(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    tiny.post("2010-04-24-city-region", "title: Unfinished draft\ndate: 2010-04-24\ndraft: true")
    tiny.post("2010-05-01-forum", "title: Forum in May\ndate: 2010-05-01")
    assert build(tiny, "--now", "2010-04-30").code == 0
    assert (tiny.out / "2010/04/23/total-place/index.html").is_file()
    assert not (tiny.out / "2010/04/24/city-region").exists() and not (tiny.out / "2010/05/01/forum").exists()
    assert "Unfinished draft" not in site_text(tiny) and "Forum in May" not in site_text(tiny)
    assert build(tiny, "--now", "2010-05-01").code == 0
    assert (tiny.out / "2010/05/01/forum/index.html").is_file()
    assert "Forum in May" in site_text(tiny) and "Unfinished draft" not in site_text(tiny)


def test_a_numeric_title_and_a_single_category_build_as_text_and_a_list_of_one(tiny):
    tiny.post("2010-04-23-total-place", "title: 2024\ndate: 2010-04-23\ncategories: economy")
    assert build(tiny).code == 0
    assert "<h1>2024</h1>" in (tiny.out / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")
    assert (tiny.out / "category/economy/index.html").is_file()


def test_a_usage_error_exits_2_and_says_what_was_wrong(tiny):
    good_posts(tiny)
    result = build(tiny, "--now", "yesterday")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "build.py: error: --now must be a date such as 2010-05-01 or 2010-05-01T18:00+01:00, found 'yesterday'")
    assert not tiny.out.exists()

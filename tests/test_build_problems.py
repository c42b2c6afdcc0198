"""Problems reported by whole builds of tiny sites: stderr lines, exit codes, site/ left alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, run_build_py

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


@pytest.mark.parametrize("slug, taken", [("feed", " (for /feed.xml)"), ("page", " (for /page/2/)"), ("archives", ""),
                                         ("css", " (for /css/print.css)"), ("2010", ""), ("search", ""),
                                         ("pagefind", " (for /pagefind/pagefind.js)")])
def test_a_page_may_not_take_an_address_the_site_uses(tiny, slug, taken):
    tiny.write(f"content/pages/{slug}.md", "---\ntitle: Reserved\n---\nText.\n")
    assert problems(tiny) == [
        f"content/pages/{slug}.md:1: the address /{slug}/ is used by the site itself{taken}; give this page another 'slug'", summary(1, 1)]


def test_every_top_level_address_of_the_example_site_is_refused_to_a_page_and_to_a_post(tiny, example_site):
    # Everything at the top of the built example site that no content file made: generated pages,
    # feeds, calendars, static files. A page or post asking for any of them is a problem.
    # index.html is the home, at /; documents and pictures are content published under /documents/ and /images/.
    made_by_content = {"about", "documents", "images", "2010", "index"}
    generated = sorted({p.name.split(".")[0] for p in example_site.iterdir() if not p.name.startswith(".")} - made_by_content)
    assert {"pilots", "forums", "category", "tag", "archives", "feed", "sitemap", "robots", "css", "js", "404"} <= set(generated)
    shutil.copytree(PROJECT / "data", tiny.root / "data")
    tiny.write("pyproject.toml", (tiny.root / "pyproject.toml").read_text(encoding="utf-8") + 'permalink = "/{slug}/"\n')
    tiny.post("2010-04-23-with-tags", "title: Tags\ndate: 2010-04-23\ncategories: [economy]\ntags: [city region]")
    for name in generated:  # pages first, then posts (a page and a post at one address is another problem)
        tiny.write(f"content/pages/{name}-page.md", f"---\ntitle: A page\nslug: {name}\n---\nText.\n")
    assert problems(tiny) == [f"content/pages/{name}-page.md:3: the address /{name}/ is used by the site itself"
                              f"{TAKEN.get(name, '')}; give this page another 'slug'" for name in generated] \
        + [summary(len(generated), len(generated))]
    shutil.rmtree(tiny.root / "content/pages")
    for name in generated:
        tiny.post(f"2010-04-24-{name}-post", f"title: A post\ndate: 2010-04-24\nslug: {name}")
    assert problems(tiny) == [f"content/posts/2010-04-24-{name}-post.md:4: the address /{name}/ is used by the site itself"
                              f"{TAKEN.get(name, '')}; give this post another 'slug'" for name in generated] \
        + [summary(len(generated), len(generated))]


TAKEN = {"404": " (for /404.html)", "category": " (for /category/economy/)", "css": " (for /css/print.css)",
         "favicon": " (for /favicon.svg)", "feed": " (for /feed.xml)", 
         "js": " (for /js/comments.js)", "pagefind": " (for /pagefind/pagefind.js)", "robots": " (for /robots.txt)",
         "sitemap": " (for /sitemap.xml)", "tag": " (for /tag/city-region/)"}


# Link forms a separate link finder missed (issue 13, point 7): the build now checks the links the
# Markdown renderer itself records, so each form that renders as a link is checked, at its line.
LINK_FORMS = {
    "reference on the next line": ("See [the paper]\n[paper].\n\n[paper]: ../pages/nope-1.md\n", 8, "../pages/nope-1.md"),
    "reference in a list item": ("- See [the paper][p].\n\n    [p]: ../pages/nope-2.md\n", 7, "../pages/nope-2.md"),
    "destination on the next line": ("See [the paper](\n../pages/nope-3.md).\n", 6, "../pages/nope-3.md"),
    "after an indented fence": ("- item\n\n    ~~~\n    code\n    ~~~\n\n[x](../pages/nope-4.md)\n", 11, "../pages/nope-4.md"),
    "after a longer closing fence": ("````\ncode\n`````\n\n[x](../pages/nope-5.md#a)\n", 9, "../pages/nope-5.md#a"),
}


@pytest.mark.parametrize("body, line, href", LINK_FORMS.values(), ids=LINK_FORMS.keys())
def test_a_link_in_any_form_the_renderer_renders_is_checked_at_its_line(tiny, body, line, href):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", body=body)
    resolved = "content/pages/" + href.split("/")[-1].split("#")[0]
    assert problems(tiny) == [f"{A}:{line}: the link to '{href}' names {resolved}, which does not exist", summary(1, 1)]


def test_a_link_in_a_code_block_is_not_a_link_and_is_not_checked(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23",
              body="```\n[in a fence](nope.md)\n```\n\n`[in code](nope.md)` and [web](https://example.org/a.md)\n")
    assert build(tiny).code == 0


def test_every_problem_of_a_round_comes_together_links_included(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23", body="See [x](../pages/nope.md).\n")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 23rd April")
    assert problems(tiny) == [
        f"{A}:5: the link to '../pages/nope.md' names content/pages/nope.md, which does not exist",
        f"{B}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
        summary(2, 2)]


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
    return [  # the settings first: content's problems may follow from them
        "pyproject.toml:7: 'posts_per_page' must be a whole number of 1 or more, found 0",
        "content/pages/about.md:3: 'nav' must be a whole number, e.g. 'nav: 1', found 'first'",
        f"{A}:4: unknown field 'categroies' (did you mean 'categories'?)",
        f"{B}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
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
        "::error file=pyproject.toml,line=7::'posts_per_page' must be a whole number of 1 or more, found 0",
        "::error file=content/pages/about.md,line=3::'nav' must be a whole number, e.g. 'nav: 1', found 'first'",
        f"::error file={A},line=4::unknown field 'categroies' (did you mean 'categories'?)",
        f"::error file={B},line=3::'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
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


def test_a_template_error_is_a_problem_when_the_build_runs_in_the_project_folder_with_no_root(tiny):
    # The default --root is '.', and Jinja then names templates by relative paths.
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    line = break_post_template(tiny)
    done = run_build_py("--now", "2026-01-01", cwd=tiny.root)
    assert (done.returncode, done.stderr.splitlines()) == (1, [
        f"templates/post.html:{line}: a post has no field 'titel' (did you mean 'title'?) (while rendering {A})", summary(1, 1)])


def test_a_misspelt_setting_in_a_template_names_the_settings(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    tiny.write("templates/post.html", (tiny.root / "templates/post.html").read_text(encoding="utf-8")
               .replace("{% block content %}\n", "{% block content %}\n{{ config.titel }}\n", 1))
    line = (tiny.root / "templates/post.html").read_text(encoding="utf-8").split("\n").index("{{ config.titel }}") + 1
    assert problems(tiny) == [
        f"templates/post.html:{line}: 'config' (the settings) has no field 'titel' (did you mean 'title'?) (while rendering {A})", summary(1, 1)]


def test_a_tag_named_twice_on_two_lines_is_shown_once_on_its_post(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\ntags:\n  - housing\n  - housing\n  - health")
    assert build(tiny).code == 0
    page = (tiny.out / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")
    assert page.count('href="/tag/housing/"') == 1 and page.count('href="/tag/health/"') == 1

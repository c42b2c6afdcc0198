"""Problems found in one file, tested on strings: front matter, fields, links, YAML, settings."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest
import yaml

from placepress.config import parse_config
from placepress.content import parse_page, parse_post, split_front_matter
from placepress.model import Ref
from placepress.yamlnodes import Entry, Map, Scalar, parse_yaml

ZONE = ZoneInfo("Europe/London")
POST = "content/posts/2010-04-23-total-place.md"
PAGE = "content/pages/about.md"
# Syntax messages are worded by the YAML composer; these are libyaml's, which PlacePress uses when present.
LIBYAML = yaml.__with_libyaml__


def post_text(*front: str, body: str = "Some text.\n") -> str:
    """A post file: line 1 is '---', front matter line i is file line i + 1."""
    return "---\n" + "".join(f"{line}\n" for line in front) + "---\n" + body


def post_problems(text: str) -> list[str]:
    post, problems = parse_post(POST, text, ZONE)
    assert post is None, "a post with problems must not be returned"
    return [str(p) for p in problems]


def page_problems(text: str) -> list[str]:
    page, problems = parse_page(PAGE, text, ZONE)
    assert page is None, "a page with problems must not be returned"
    return [str(p) for p in problems]


def config_problems(text: str) -> list[str]:
    return [str(p) for p in parse_config(text)[1]]


# --- posts: front matter and fields -------------------------------------------------------

def test_a_well_formed_post_has_no_problems_and_keeps_its_fields():
    post, problems = parse_post(POST, post_text("title: Total Place", "date: 2010-04-23", body="Hello.\n"), ZONE)
    assert problems == []
    assert (post.title, post.date.isoformat(), post.slug, post.body, post.body_line) == (
        "Total Place", "2010-04-23T00:00:00+01:00", "total-place", "Hello.\n", 5)


POST_CASES = {
    "front matter never closed": (
        "---\ntitle: Total Place\ndate: 2010-04-23\n\nSome text.\n",
        [f"{POST}:1: the front matter opened on line 1 is never closed; add a line '---' after the last field"]),
    "no front matter at all": (
        "title: Total Place\n",
        [f"{POST}:1: no front matter: the file must start with a line '---', then fields such as 'title: …', then '---'"]),
    "empty file": (
        "",
        [f"{POST}:1: the file is empty; start it with front matter between two '---' lines, with at least a title"]),
    "file of blank lines": (
        "  \n\n",
        [f"{POST}:1: the file is empty; start it with front matter between two '---' lines, with at least a title"]),
    "front matter is a list": (
        post_text("- title", "- date"),
        [f"{POST}:2: the front matter must be fields written 'name: value', found a list"]),
    "front matter is one value": (
        post_text("Total Place"),
        [f"{POST}:2: the front matter must be fields written 'name: value', found 'Total Place'"]),
    "front matter is empty": (
        post_text(),
        [f"{POST}:2: the front matter must be fields written 'name: value', found nothing"]),
    "duplicate key names both lines": (
        post_text("title: Total Place", "date: 2010-04-23", "title: Total Place again"),
        [f"{POST}:4: 'title' is given twice (first on line 2); keep one"]),
    "missing title": (
        post_text("date: 2010-04-23"),
        [f"{POST}:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'"]),
    "title with no value": (
        post_text("title:", "date: 2010-04-23"),
        [f"{POST}:2: the field 'title' is empty; every file here needs a line of text, e.g. 'title: Our new post'"]),
    "title of empty quotes": (
        post_text('title: ""', "date: 2010-04-23"),
        [f"{POST}:2: the field 'title' is empty; write the title after 'title:'"]),
    "title is a list": (
        post_text("title: [Total, Place]", "date: 2010-04-23"),
        [f"{POST}:2: 'title' must be a line of text, e.g. 'title: Our new post', found a list"]),
    "missing date": (
        post_text("title: Total Place"),
        [f"{POST}:2: the field 'date' is missing; every file here needs a date, e.g. 'date: 2010-04-23'"]),
    "unreadable date": (
        post_text("title: Total Place", "date: 23rd April"),
        [f"{POST}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'"]),
    "date that does not exist": (
        post_text("title: Total Place", "date: 2010-02-30"),
        [f"{POST}:3: 'date' is not a real day: February 2010 has 28 days, found '2010-02-30'"]),
    "29 February in a year that has none": (
        post_text("title: Total Place", "date: 2010-02-29 18:30"),
        [f"{POST}:3: 'date' is not a real day: February 2010 has 28 days, found '2010-02-29 18:30'"]),
    "month 13": (
        post_text("title: Total Place", "date: 2010-13-01"),
        [f"{POST}:3: 'date' is not a real date: there is no month 13, found '2010-13-01'"]),
    "time that does not exist": (
        post_text("title: Total Place", "date: 2010-04-23 24:30"),
        [f"{POST}:3: 'date' is not a real time: there is no 24:30 on a 24-hour clock, found '2010-04-23 24:30'"]),
    "month and day of one digit": (
        post_text("title: Total Place", "date: 2010-5-20"),
        [f"{POST}:3: 'date' must be written with two digits for the month and the day: 2010-05-20, found '2010-5-20'"]),
    "hour of one digit": (
        post_text("title: Total Place", "date: 2010-05-20 9:30"),
        [f"{POST}:3: 'date' must be written with two digits for the month, the day and the hour: 2010-05-20 09:30, found '2010-05-20 9:30'"]),
    "updated of one-digit day": (
        post_text("title: Total Place", "date: 2010-04-23", "updated: 2010-05-2"),
        [f"{POST}:4: 'updated' must be written with two digits for the month and the day: 2010-05-02, found '2010-05-2'"]),
    "misspelt field": (
        post_text("title: Total Place", "date: 2010-04-23", "categroies: [economy]"),
        [f"{POST}:4: unknown field 'categroies' (did you mean 'categories'?)"]),
    "unknown field with nothing close": (
        post_text("title: Total Place", "date: 2010-04-23", "colour: red"),
        [f"{POST}:4: unknown field 'colour'"]),
    "updated before date": (
        post_text("title: Total Place", "date: 2010-04-23", "updated: 2010-04-01"),
        [f"{POST}:4: 'updated' (2010-04-01) is before 'date' (2010-04-23); a post cannot be updated before it is published"]),
    "slug with capitals and a space": (
        post_text("title: Total Place", "date: 2010-04-23", "slug: Total Place"),
        [f"{POST}:4: 'slug' may use only lowercase letters, digits and single hyphens, found 'Total Place'; try 'total-place'"]),
    "slug with nothing to suggest": (
        post_text("title: Total Place", "date: 2010-04-23", "slug: '!!!'"),
        [f"{POST}:4: 'slug' may use only lowercase letters, digits and single hyphens, found '!!!'"]),
    "draft neither true nor false": (
        post_text("title: Total Place", "date: 2010-04-23", "draft: maybe"),
        [f"{POST}:4: 'draft' must be true or false, found 'maybe'"]),
    "tags as a set of fields": (
        post_text("title: Total Place", "date: 2010-04-23", "tags: {a: 1}"),
        [f"{POST}:4: 'tags' must be a list such as 'tags: [first, second]', found a set of fields"]),
    "a tag that is a list": (
        post_text("title: Total Place", "date: 2010-04-23", "tags:", "  - city region", "  - [early, years]"),
        [f"{POST}:6: each item of 'tags' must be a name, found a list"]),
    "an empty tag": (
        post_text("title: Total Place", "date: 2010-04-23", "tags: [city region, '']"),
        [f"{POST}:4: each item of 'tags' must be a name, found an empty item"]),
    "field name that is a list": (
        post_text("title: Total Place", "date: 2010-04-23", "? [a, b]", ": c"),
        [f"{POST}:4: a field name must be a single word, not a list or a set of fields"]),
}


@pytest.mark.parametrize("text, expected", POST_CASES.values(), ids=POST_CASES.keys())
def test_a_post_mistake_is_reported_with_file_line_and_message(text, expected):
    assert post_problems(text) == expected


def test_every_field_of_a_post_is_checked_so_all_its_problems_come_together():
    text = post_text("date: 23rd April", "categroies: [economy]", "slug: Total Place", "draft: maybe")
    assert sorted(post_problems(text)) == [
        f"{POST}:2: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'",
        f"{POST}:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'",
        f"{POST}:3: unknown field 'categroies' (did you mean 'categories'?)",
        f"{POST}:4: 'slug' may use only lowercase letters, digits and single hyphens, found 'Total Place'; try 'total-place'",
        f"{POST}:5: 'draft' must be true or false, found 'maybe'",
    ]


@pytest.mark.parametrize("written, title", [("2024", "2024"), ("3.10", "3.10"), ("yes", "yes"), ("'2024'", "2024")])
def test_a_title_is_the_text_as_written_not_a_number_or_a_flag(written, title):
    post, problems = parse_post(POST, post_text(f"title: {written}", "date: 2010-04-23"), ZONE)
    assert problems == [] and post.title == title


def test_one_category_written_as_a_string_is_a_list_of_one():
    post, problems = parse_post(POST, post_text("title: Total Place", "date: 2010-04-23", "categories: economy"), ZONE)
    assert problems == [] and post.categories == (Ref("economy", 4),)


def test_windows_line_endings_and_a_byte_order_mark_keep_real_line_numbers():
    text = "\ufeff" + post_text("title: Total Place", "date: 23rd April").replace("\n", "\r\n")
    assert post_problems(text) == [
        f"{POST}:3: 'date' must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30), found '23rd April'"]


# --- YAML syntax inside front matter --------------------------------------------------------

@pytest.mark.skipif(not LIBYAML, reason="the expected wording is libyaml's")
@pytest.mark.parametrize("front, expected", [
    (("title: Total Place", 'summary: "Total Place" and the city region'),
     f"{POST}:3: YAML syntax error: there is more text after the closing quote; put the whole value in quotes (column 24)"),
    (("title: Total Place", "date: 2010-04-23", "- economy"),
     f"{POST}:4: YAML syntax error: this line is not indented like the lines above it: the fields of one record line up "
     "under each other, and each item of a list starts with '- ' in the same column (column 1)"),
    (("title: Total Place", "summary: *bold* news"),
     f"{POST}:3: YAML syntax error: a value that starts with '*' or '&' must be put in quotes (column 15)"),
    (("title: Total Place", "summary: @cn4m news"),
     f"{POST}:3: YAML syntax error: a value cannot start with '@'; put the value in quotes (column 10)"),
], ids=["text after a quoted value", "list item among fields", "star", "at sign"])
def test_a_yaml_syntax_error_is_reported_on_its_line_of_the_md_file(front, expected):
    assert post_problems(post_text(*front)) == [expected]


def test_an_unquoted_colon_in_a_value_is_reported_on_its_line_with_a_quoting_hint():
    wording = "mapping values are not allowed in this context" if LIBYAML else "mapping values are not allowed here"
    text = post_text("title: Total Place", "summary: Total Place: a guide", "date: 2010-04-23")
    assert post_problems(text) == [
        f"{POST}:3: YAML syntax error: {wording} (column 21); a value containing ': ' must be put in quotes"]


def test_a_tab_used_for_indent_is_reported_with_a_spaces_hint():
    wording = "found a tab character that violates indentation" if LIBYAML else "found character '\\t' that cannot start any token"
    assert post_problems(post_text("title: Total Place", "\tdate: 2010-04-23")) == [
        f"{POST}:3: YAML syntax error: {wording} (column 1); indent with spaces, not tabs"]


@pytest.mark.parametrize("front, expected", [
    (("title: Total Place", "summary", "date: 2010-04-23"), f"{POST}:3: YAML syntax error: this line has no ':' after the field name (column 1); each field needs 'name: value'"),
    (("title: Total Place", "date: 2010-04-23", "summary"), f"{POST}:4: YAML syntax error: this line has no ':' after the field name (column 1); each field needs 'name: value'"),
], ids=["between fields", "last line"])
def test_a_line_without_a_colon_is_reported_on_that_line(front, expected):
    assert post_problems(post_text(*front)) == [expected]


@pytest.mark.parametrize("front, expected", [
    (("title: 'Total Place", "date: 2010-04-23"), f"{POST}:2: YAML syntax error: a quoted value is never closed (column 8)"),
    (('title: "Total Place', "date: 2010-04-23"), f"{POST}:2: YAML syntax error: a quoted value is never closed (column 8)"),
    (("title: [Total Place", "date: 2010-04-23"), f"{POST}:2: YAML syntax error: a list opened with '[' is never closed with ']' (column 8)"),
    (("title: {Total Place", "date: 2010-04-23"), f"{POST}:2: YAML syntax error: a '{{' is never closed with '}}' (column 8)"),
    # On the last line the scanner gives up on that same line: front matter has no newline after it.
    (("title: Total Place", "summary: 'Total Place"), f"{POST}:3: YAML syntax error: a quoted value is never closed (column 10)"),
    (("title: Total Place", "tags: [economy, skills"), f"{POST}:3: YAML syntax error: a list opened with '[' is never closed with ']' (column 7)"),
], ids=["quote", "double quote", "bracket", "brace", "quote on the last line", "bracket on the last line"])
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(front, expected):
    assert post_problems(post_text(*front)) == [expected]


@pytest.mark.parametrize("front, line, libyaml, pyyaml", [
    (("title: Total Place", 'tags: [economy, "city region" skills]'), 3,
     "did not find expected ',' or ']' (column 31)", "expected ',' or ']', but got '<scalar>' (column 31)"),
    (('title: "C:\\Users\\me"', "date: 2010-04-23"), 2,
     "did not find expected hexdecimal number (column 13)", "expected escape sequence of 8 hexadecimal numbers, but found 's' (column 13)"),
], ids=["missing comma in a closed list", "backslash in double quotes"])
def test_a_mistake_inside_a_closed_list_or_quote_is_reported_where_it_is_not_as_never_closed(front, line, libyaml, pyyaml):
    assert post_problems(post_text(*front)) == [f"{POST}:{line}: YAML syntax error: {libyaml if LIBYAML else pyyaml}"]


@pytest.mark.parametrize("front, expected", [
    (("title: Total Place", "date: 2010-04-23", "\x07"), f"{POST}:4: the character U+0007 (column 1) cannot be used in YAML; delete it"),
    # libyaml counts its position in UTF-8 bytes: the 'é's before must not push the line on.
    (("title: Café société", "summary: Caf\x7f", "date: 2010-04-23"), f"{POST}:3: the character U+007F (column 13) cannot be used in YAML; delete it"),
], ids=["on a line of its own", "after accented letters"])
def test_a_control_character_is_reported_on_its_line_in_one_line_of_text(front, expected):
    assert post_problems(post_text(*front)) == [expected]


@pytest.mark.parametrize("written", ['"true"', "'false'"])
def test_a_quoted_true_or_false_is_told_to_lose_the_quotes(written):
    text = post_text("title: Total Place", "date: 2010-04-23", f"draft: {written}")
    assert post_problems(text) == [
        f"{POST}:4: 'draft' must be true or false without quotes, found '{written[1:-1]}' in quotes"]


def test_updated_earlier_on_the_same_day_names_the_two_times():
    text = post_text("title: Total Place", "date: 2010-04-23 18:00", "updated: 2010-04-23 09:00")
    assert post_problems(text) == [
        f"{POST}:4: 'updated' (2010-04-23 09:00) is before 'date' (2010-04-23 18:00); a post cannot be updated before it is published"]


# --- pages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("front, expected", [
    (("nav: 1",), f"{PAGE}:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'"),
    (("title: About", "nav: first"), f"{PAGE}:3: 'nav' must be a whole number, e.g. 'nav: 1', found 'first'"),
    (("title: About", "nav: 1.5"), f"{PAGE}:3: 'nav' must be a whole number, e.g. 'nav: 1', found '1.5'"),
    (("title: About", 'nav: "1"'), f"{PAGE}:3: 'nav' must be a whole number, e.g. 'nav: 1', found '1' in quotes; remove them"),
    (("title: About", "sumary: Who we are"), f"{PAGE}:3: unknown field 'sumary' (did you mean 'summary'?)"),
    (("title: About", "comments: sometimes"), f"{PAGE}:3: 'comments' must be true or false, found 'sometimes'"),
], ids=["missing title", "nav a word", "nav a fraction", "nav in quotes", "misspelt field", "comments not a flag"])
def test_a_page_mistake_is_reported_with_file_line_and_message(front, expected):
    assert page_problems(post_text(*front)) == [expected]


def test_a_page_needs_no_date():
    page, problems = parse_page(PAGE, post_text("title: About", "nav: 2"), ZONE)
    assert problems == [] and (page.title, page.nav, page.slug) == ("About", 2, "about")


# --- splitting and links ----------------------------------------------------------------------

@pytest.mark.parametrize("closer", ["---", "...", "---   "])
def test_front_matter_is_split_with_the_line_numbers_of_both_parts(closer):
    text = f"---\ntitle: Total Place\ndate: 2010-04-23\n{closer}\nFirst.\nSecond.\n"
    assert split_front_matter(text, POST) == ("title: Total Place\ndate: 2010-04-23", 2, "First.\nSecond.\n", 5, [])


# --- the YAML loader --------------------------------------------------------------------------

def test_yaml_duplicate_keys_name_both_lines_counted_from_the_first_line_given():
    root, problems = parse_yaml("a: 1\nb: 2\na: 3\n", POST, first_line=2)
    assert [str(p) for p in problems] == [f"{POST}:4: 'a' is given twice (first on line 2); keep one"]
    assert [(e.key, e.line) for e in root.entries] == [("a", 2), ("b", 3)]


def test_yaml_scalars_keep_the_text_as_written_with_yamls_reading_beside_it():
    root, problems = parse_yaml("title: 2024\nflag: yes\n", POST)
    assert problems == [] and root == Map((
        Entry("title", 1, Scalar("2024", "int", 1)), Entry("flag", 2, Scalar("yes", "bool", 2))), 1)


def test_an_empty_yaml_document_is_nothing_and_no_problem():
    assert parse_yaml("", POST) == (None, [])


# --- settings (pyproject.toml) ----------------------------------------------------------------

HEAD = '[project]\nname = "site"\n\n[tool.placepress]\nurl = "https://example.org/"\n'  # settings start on line 6


SETTING_CASES = [
    ('titel = "Our site"', "pyproject.toml:6: unknown setting 'titel' (did you mean 'title'?)"),
    ("posts_pre_page = 5", "pyproject.toml:6: unknown setting 'posts_pre_page' (did you mean 'posts_per_page'?)"),
    ('colour = "red"', "pyproject.toml:6: unknown setting 'colour'"),
    ('timezone = "Europe/Lundon"', "pyproject.toml:6: 'timezone' must be an IANA time zone such as 'Europe/London', found 'Europe/Lundon'"),
    ("posts_per_page = 0", "pyproject.toml:6: 'posts_per_page' must be a whole number of 1 or more, found 0"),
    ('posts_per_page = "10"', "pyproject.toml:6: 'posts_per_page' must be a whole number of 1 or more, found \"10\""),
    ("feed_entries = -1", "pyproject.toml:6: 'feed_entries' must be a whole number of 1 or more, found -1"),
    ("title = 3", "pyproject.toml:6: 'title' must be text in quotes, found 3"),
    ("title = true", "pyproject.toml:6: 'title' must be text in quotes, found true"),
    ('language = "English"', "pyproject.toml:6: 'language' must be a language tag such as 'en-GB', found 'English'"),
    ('permalink = "/{year}/{titel}/"', "pyproject.toml:6: 'permalink' may use {year}, {month}, {day} and {slug}, found '{titel}'"),
    ('permalink = "/{year}/"', "pyproject.toml:6: 'permalink' must contain {slug}, or every post would have the same address"),
    ('permalink = "{slug}"', "pyproject.toml:6: 'permalink' must start and end with '/', found '{slug}'"),
    ('permalink = "/{slug}}/"', "pyproject.toml:6: 'permalink' has a '{' or '}' that does not pair up, found '/{slug}}/'"),
]


@pytest.mark.parametrize("setting, expected", SETTING_CASES, ids=[s.split(" ")[0] for s, _ in SETTING_CASES])
def test_a_bad_setting_is_reported_on_its_line_of_pyproject(setting, expected):
    assert config_problems(HEAD + setting + "\n") == [expected]


@pytest.mark.parametrize("url, expected", [
    ("example.org", "pyproject.toml:5: 'url' must be a full address starting with https:// (or http://), found 'example.org'"),
    ("ftp://example.org/", "pyproject.toml:5: 'url' must be a full address starting with https:// (or http://), found 'ftp://example.org/'"),
    ("https://example.org/?p=1", "pyproject.toml:5: 'url' must not have a '?' or '#' part, found 'https://example.org/?p=1'"),
], ids=["no scheme", "ftp", "query"])
def test_a_url_that_is_not_a_full_web_address_is_reported(url, expected):
    assert config_problems(HEAD.replace("https://example.org/", url)) == [expected]


@pytest.mark.parametrize("text, expected", [
    (HEAD + 'title = "Our site\n', "pyproject.toml:6: TOML syntax error: Illegal character '\\n'; is a quoted value missing its closing quote?"),
    (HEAD + "title =\n", 'pyproject.toml:6: TOML syntax error: Invalid value; text values must be in quotes, e.g. title = "My site"'),
    (HEAD + "title = Our site\n", 'pyproject.toml:6: TOML syntax error: Invalid value; text values must be in quotes, e.g. title = "My site"'),
    (HEAD + 'url = "https://example.com/"\n', "pyproject.toml:6: TOML syntax error: Cannot overwrite a value"),
], ids=["unclosed quote", "no value", "text without quotes", "setting given twice"])
def test_a_toml_syntax_error_is_reported_on_its_line(text, expected):
    assert config_problems(text) == [expected]


def test_a_setting_without_an_equals_sign_gets_the_name_equals_value_hint():
    assert config_problems(HEAD + "title Our site\n") == [
        "pyproject.toml:6: TOML syntax error: Expected '=' after a key in a key/value pair; each setting is written name = value"]


def test_a_missing_url_is_reported_on_the_table_header():
    text = '[project]\nname = "site"\n\n[tool.placepress]\ntitle = "Our site"\n'
    assert config_problems(text) == [
        'pyproject.toml:4: the setting \'url\' is missing: where will the site be published? e.g. url = "https://example.org/"']


def test_a_pyproject_without_the_table_says_how_to_add_it():
    assert config_problems('[project]\nname = "site"\n') == [
        'pyproject.toml: no [tool.placepress] table; add one with at least url = "https://…/"']


def test_a_comment_after_the_table_header_keeps_setting_lines():
    text = '[tool.placepress]  # the site\nurl = "https://example.org/"\ntitel = "Our site"\n'
    assert config_problems(text) == ["pyproject.toml:3: unknown setting 'titel' (did you mean 'title'?)"]


def test_a_sub_table_is_reported_at_its_header_line():
    text = HEAD + 'title = "Our site"\n\n[tool.placepress.extra]\ncolour = "red"\n'
    assert config_problems(text) == ["pyproject.toml:8: unknown setting 'extra'"]


# --- hostile YAML: aliases and deep nesting ---------------------------------------------------

LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi"))


def test_aliases_that_would_expand_to_billions_of_values_are_refused_at_the_first_alias_at_once():
    started = time.perf_counter()
    problems = post_problems(post_text("title: Total Place", "date: 2010-04-23", *LAUGHS.splitlines()))
    assert problems == [f"{POST}:5: '*a' repeats a value marked '&a' elsewhere (a YAML alias); "
                        "aliases are not allowed in this file: write the value out in full"]
    assert time.perf_counter() - started < 5  # a guard against a hang, not a measurement


def test_a_single_alias_is_refused_too():
    assert post_problems(post_text("title: &t Total Place", "date: 2010-04-23", "summary: *t")) == [
        f"{POST}:4: '*t' repeats a value marked '&t' elsewhere (a YAML alias); "
        "aliases are not allowed in this file: write the value out in full"]


def test_lists_nested_hundreds_deep_are_a_problem_not_a_recursion_error():
    assert post_problems(post_text("title: Total Place", "date: 2010-04-23", "tags: " + "[" * 900 + "]" * 900)) == [
        f"{POST}:4: lists and fields are nested more than 50 levels deep here; no field needs so many"]

"""The bad-input corpus: one mistake of an editor or template author at a time, in content, the
registry, the settings, templates and files on disk. For each, a whole build in a child
process must print exactly the expected `path:line: message` lines and the summary, exit 1,
and leave the previous site/ exactly as it was (bytes and modification times)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MINIMAL_PYPROJECT, PROJECT, run_build_py
from test_check import tiny_png
from test_registry import SMALL

A = "content/posts/2010-04-23-total-place.md"
B = "content/posts/2010-04-24-city-region.md"
ABOUT = "content/pages/about.md"
REG = "data/pilots.yaml"
FORUM = "forum-2010-05-18"
POST_A = "---\ntitle: Total Place\ndate: 2010-04-23\ncategories: [economy]\npilots: [lewisham]\n---\n" \
         "See [about](../pages/about.md) and [the paper](../documents/paper.pdf).\n"
DATE_FORMAT = "must be a date written YYYY-MM-DD (e.g. 2010-04-23) or with a time (2010-04-23 18:30)"
INDENT = ("YAML syntax error: this line is not indented like the lines above it: the fields of one record line up under "
          "each other, and each item of a list starts with '- ' in the same column")
LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi"))


def post(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}\n---\n{body}"


def registry(old: str, new: str) -> dict[str, str]:
    assert SMALL.count(old) == 1, old
    return {REG: SMALL.replace(old, new)}


def setting(line: str) -> dict[str, str]:
    return {"pyproject.toml": MINIMAL_PYPROJECT + line + "\n"}


def template(name: str, old: str, new: str) -> dict[str, str]:
    text = (PROJECT / "templates" / name).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    return {f"templates/{name}": text.replace(old, new, 1)}


def line_in_template(name: str, old: str) -> int:
    text = (PROJECT / "templates" / name).read_text(encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    # --- content: front matter -------------------------------------------------------------
    "empty post": ({A: ""}, [f"{A}:1: the file is empty; start it with front matter between two '---' lines, with at least a title"]),
    "no front matter": ({A: "Total Place\n"}, [f"{A}:1: no front matter: the file must start with a line '---', then fields such as 'title: …', then '---'"]),
    "front matter never closed": ({A: "---\ntitle: Total Place\ndate: 2010-04-23\nText.\n"},
                                  [f"{A}:1: the front matter opened on line 1 is never closed; add a line '---' after the last field"]),
    "missing title": ({A: post("date: 2010-04-23")}, [f"{A}:2: the field 'title' is missing; every file here needs a line of text, e.g. 'title: Our new post'"]),
    "missing date": ({A: post("title: Total Place")}, [f"{A}:2: the field 'date' is missing; every file here needs a date, e.g. 'date: 2010-04-23'"]),
    "british date": ({A: post("title: Total Place\ndate: 23/04/2010")}, [f"{A}:3: 'date' {DATE_FORMAT}, found '23/04/2010'"]),
    "30 February": ({A: post("title: Total Place\ndate: 2010-02-30")}, [f"{A}:3: 'date' is not a real day: February 2010 has 28 days, found '2010-02-30'"]),
    "one-digit month": ({A: post("title: Total Place\ndate: 2010-5-20")},
                        [f"{A}:3: 'date' must be written with two digits for the month and the day: 2010-05-20, found '2010-5-20'"]),
    "misspelt field": ({A: post("title: Total Place\ndate: 2010-04-23\ncatagories: [economy]")},
                       [f"{A}:4: unknown field 'catagories' (did you mean 'categories'?)"]),
    "draft in quotes": ({A: post('title: Total Place\ndate: 2010-04-23\ndraft: "true"')},
                        [f"{A}:4: 'draft' must be true or false without quotes, found 'true' in quotes"]),
    "draft neither": ({A: post("title: Total Place\ndate: 2010-04-23\ndraft: yes please")},
                      [f"{A}:4: 'draft' must be true or false, found 'yes please'"]),
    "slug with spaces": ({A: post("title: Total Place\ndate: 2010-04-23\nslug: Total Place")},
                         [f"{A}:4: 'slug' may use only lowercase letters, digits and single hyphens, found 'Total Place'; try 'total-place'"]),
    "tags as fields": ({A: post("title: Total Place\ndate: 2010-04-23\ntags: {a: b}")},
                       [f"{A}:4: 'tags' must be a list such as 'tags: [first, second]', found a set of fields"]),
    "field twice": ({A: post("title: Total Place\ndate: 2010-04-23\ntitle: Again")}, [f"{A}:4: 'title' is given twice (first on line 2); keep one"]),
    "unclosed quote": ({A: post("title: 'Total Place\ndate: 2010-04-23")}, [f"{A}:2: YAML syntax error: a quoted value is never closed (column 8)"]),
    "colon in a value": ({A: post("title: Total Place: a guide\ndate: 2010-04-23")},
                         [f"{A}:2: YAML syntax error: mapping values are not allowed in this context (column 19); a value containing ': ' must be put in quotes"]),
    "tab indent": ({A: post("title: Total Place\n\tdate: 2010-04-23")},
                   [f"{A}:3: YAML syntax error: found a tab character that violates indentation (column 1); indent with spaces, not tabs"]),
    "control character": ({A: post("title: Total Place\x07\ndate: 2010-04-23")},
                          [f"{A}:2: the character U+0007 (column 19) cannot be used in YAML; delete it"]),
    "not utf-8": ({A: b"---\ntitle: Caf\xe9\ndate: 2010-04-23\n---\n"}, [f"{A}:2: the file is not UTF-8 text (byte 0xE9 at column 11); save it as UTF-8"]),
    "alias in front matter": ({A: post("title: &t Total Place\ndate: 2010-04-23\nsummary: *t")},
                              [f"{A}:4: '*t' repeats a value marked '&t' elsewhere (a YAML alias); aliases are not allowed in this file: write the value out in full"]),
    "billion laughs in front matter": ({A: post("title: Total Place\ndate: 2010-04-23\n" + LAUGHS.rstrip())},
                                       [f"{A}:5: '*a' repeats a value marked '&a' elsewhere (a YAML alias); aliases are not allowed in this file: write the value out in full"]),
    "nested too deep": ({A: post("title: Total Place\ndate: 2010-04-23\ntags: " + "[" * 600 + "]" * 600)},
                        [f"{A}:4: lists and fields are nested more than 50 levels deep here; no field needs so many"]),
    "updated before date": ({A: post("title: Total Place\ndate: 2010-04-23\nupdated: 2010-04-01")},
                            [f"{A}:4: 'updated' (2010-04-01) is before 'date' (2010-04-23); a post cannot be updated before it is published"]),
    "value starting with @": ({A: post("title: @cn4m news\ndate: 2010-04-23")},
                              [f"{A}:2: YAML syntax error: a value cannot start with '@'; put the value in quotes (column 8)"]),
    "text after a closing quote": ({A: post('title: "Total Place" pilots\ndate: 2010-04-23')},
                                   [f"{A}:2: YAML syntax error: there is more text after the closing quote; put the whole value in quotes (column 22)"]),
    "page nav a word": ({ABOUT: post("title: About\nnav: first")}, [f"{ABOUT}:3: 'nav' must be a whole number, e.g. 'nav: 1', found 'first'"]),
    "page with a date": ({ABOUT: post("title: About\ndate: 2010-04-23")}, [f"{ABOUT}:3: unknown field 'date' (did you mean 'updated'?)"]),
    "unread placeholder of new": ({B: post("title: City Region\ndate: 2010-04-24", "\nWrite the post here, in Markdown, in place of this paragraph.\n")},
                                  [f"{B}:6: this is the paragraph that `build.py new` wrote for you to replace: write the post in its place "
                                   "(or put back 'draft: true' until it is ready)"]),
    # --- content: across files -------------------------------------------------------------
    "link to a missing page": ({B: post("title: City Region\ndate: 2010-04-24", "See [x](../pages/abuot.md).\n")},
                               [f"{B}:5: the link to '../pages/abuot.md' names content/pages/abuot.md, which does not exist (did you mean '../pages/about.md'?)"]),
    "link to a draft": ({B: post("title: City Region\ndate: 2010-04-24\ndraft: true"), ABOUT: post("title: About", "See [it](../posts/2010-04-24-city-region.md).\n")},
                        [f"{ABOUT}:4: the link to '../posts/2010-04-24-city-region.md' names {B}, which is a draft and so is not published; remove the link or publish it first"]),
    "link to a missing heading": ({B: post("title: City Region\ndate: 2010-04-24", "See [x](../pages/about.md#who-are-we).\n")},
                                  [f"{B}:5: the link to '../pages/about.md#who-are-we' names a heading '#who-are-we' that {ABOUT} does not have (did you mean 'who-we-are'?)"]),
    "link to a missing document": ({B: post("title: City Region\ndate: 2010-04-24", "Read [it](../documents/papr.pdf).\n")},
                                   [f"{B}:5: the link to '../documents/papr.pdf' names content/documents/papr.pdf, which does not exist (did you mean '../documents/paper.pdf'?)"]),
    "reference link to a missing page": ({B: post("title: City Region\ndate: 2010-04-24", "See [x]\n[ref].\n\n[ref]: ../pages/nope.md\n")},
                                         [f"{B}:8: the link to '../pages/nope.md' names content/pages/nope.md, which does not exist"]),
    "two posts at one address": ({B: post("title: City Region\ndate: 2010-04-23\nslug: total-place")},
                                 [f"{B}:4: this is published at /2010/04/23/total-place/, as is {A}; give one of them another 'slug'"]),
    "two spellings of a category": ({B: post("title: City Region\ndate: 2010-04-24\ncategories: [Economy]")},
                                    [f"{A}:4: the category names 'Economy' and 'economy' both give the address /category/economy/; spell them "
                                     f"the same way ('economy' in {A}:4; 'Economy' in {B}:4)"]),
    "page at the pilots address": ({"content/pages/areas.md": post("title: Areas\nslug: pilots")},
                                   ["content/pages/areas.md:3: the address /pilots/ is used by the site itself; give this page another 'slug'"]),
    "page at a year": ({"content/pages/2010.md": post("title: The year")},
                       ["content/pages/2010.md:1: the address /2010/ is used by the site itself; give this page another 'slug'"]),
    "page at the calendar's name": ({"content/pages/forums.md": post("title: Forums")},
                                    ["content/pages/forums.md:1: the address /forums/ is used by the site itself; give this page another 'slug'"]),
    "unknown pilot id": ({B: post("title: City Region\ndate: 2010-04-24\npilots: [lewisham-borough]")},
                         [f"{B}:4: 'lewisham-borough' in 'pilots' is not an id in data/pilots.yaml (did you mean 'lewisham'?)"]),
    # --- the registry ------------------------------------------------------------------------
    "status misspelt": (registry("status: scheduled", "status: canceled"),
                        [f"{REG}:45: 'status' of forum '{FORUM}' must be one of: scheduled, cancelled, moved; found 'canceled' (did you mean 'cancelled'?)"]),
    "area without region": (registry("    region: London\n", ""), [f"{REG}:29: area 'lewisham' is missing the field 'region'"]),
    "unknown registry field": (registry("    region: London\n", "    region: London\n    regoin: Inner London\n"),
                               [f"{REG}:32: unknown field 'regoin' in area 'lewisham' (did you mean 'region'?)"]),
    "id used twice": (registry("  - id: gm-skills", "  - id: lewisham"), [f"{REG}:29: the id 'lewisham' is used twice: here and on line 15; ids must be unique"]),
    "unknown programme": (registry("    programme: total-place\n    confidence", "    programme: total-places\n    confidence"),
                          [f"{REG}:32: 'total-places' is not the id of any programme (did you mean 'total-place'?)"]),
    "forum ends before it starts": (registry("end: 2010-05-18 20:00", "end: 2010-05-18 17:00"),
                                    [f"{REG}:40: forum '{FORUM}' ends before it starts: end 2010-05-18 17:00, start 2010-05-18 18:00 (line 39); it must end after it starts"]),
    "time zone not real": (registry("timezone: Europe/London", "timezone: Europe/Manchester"),
                           [f"{REG}:41: 'timezone' of forum '{FORUM}' must be an IANA time zone such as 'Europe/London', found 'Europe/Manchester'"]),
    "forum on 30 February": (registry("start: 2010-05-18 18:00", "start: 2010-02-30 18:00"),
                             [f"{REG}:39: 'start' of forum '{FORUM}' is not a real day: February 2010 has 28 days, found '2010-02-30 18:00'"]),
    "registry indentation slip": (registry("    status: scheduled\n", "  status: scheduled\n"), [f"{REG}:45: {INDENT} (column 3)"]),
    "registry billion laughs": ({REG: SMALL + LAUGHS}, [f"{REG}:48: through its aliases this file stands for more than 100,000 values; write the values out in full instead"]),
    "empty registry": ({REG: "# nothing yet\n"}, [f"{REG}:1: the registry is empty; it needs 'programmes' and 'areas'"]),
    "booking not an address": (registry("    status: scheduled\n", "    booking: www.example.org\n    status: scheduled\n"),
                               [f"{REG}:45: 'booking' of forum '{FORUM}' must be a full web address starting with https://, found 'www.example.org'"]),
    "registry not utf-8": ({REG: SMALL.replace("North West", "Nord-Est caf\xe9").encode("latin-1")}, [f"{REG}:22: the file is not UTF-8 text; save it as UTF-8"]),
    "schema deleted": ({"data/pilots.schema.json": None}, ["data/pilots.schema.json: the schema of data/pilots.yaml is missing; restore it from the project's history"]),
    "forum cancelled without moving updated": (registry("status: scheduled", "status: cancelled"),
                                               [f"{REG}:46: forum '{FORUM}' has changed since the last build (status) but its 'updated' is still 2010-04-23; "
                                                "move 'updated' forward to the day of this change (to the minute, e.g. '2010-05-02 14:30', for a second "
                                                "change in one day), or calendars that subscribed will never show it"]),
    # --- the settings ----------------------------------------------------------------------------
    "unknown setting": (setting('titel = "Tiny"'), ["pyproject.toml:8: unknown setting 'titel' (did you mean 'title'?)"]),
    "time zone setting": (setting('timezone = "Europe/Lundon"'), ["pyproject.toml:8: 'timezone' must be an IANA time zone such as 'Europe/London', found 'Europe/Lundon'"]),
    "posts per page zero": (setting("posts_per_page = 0"), ["pyproject.toml:8: 'posts_per_page' must be a whole number of 1 or more, found 0"]),
    "url missing": ({"pyproject.toml": MINIMAL_PYPROJECT.replace('url = "https://example.org/"\n', "")},
                    ['pyproject.toml:4: the setting \'url\' is missing: where will the site be published? e.g. url = "https://example.org/"']),
    "toml syntax": (setting('author = "Jane'), ["pyproject.toml:8: TOML syntax error: Illegal character '\\n'; is a quoted value missing its closing quote?"]),
    "permalink without slug": (setting('permalink = "/{year}/"'), ["pyproject.toml:8: 'permalink' must contain {slug}, or every post would have the same address"]),
    "comments provider misspelt": (setting('\n[tool.placepress.comments]\nprovider = "disquss"'),
                                   ["pyproject.toml:10: comments 'provider' must be one of: none, isso, giscus, utterances, disqus, remark42, cusdis; found 'disquss' (did you mean 'disqus'?)"]),
    "language not a tag": (setting('language = "English"'), ["pyproject.toml:8: 'language' must be a language tag such as 'en-GB', found 'English'"]),
    # --- templates -------------------------------------------------------------------------------
    "template syntax": (template("page.html", "{{ page.title }}", "{{ page.title }"),
                        [f"templates/page.html:{line_in_template('page.html', '{{ page.title }}')}: template syntax error: unexpected '}}'"]),
    "template unknown field": (template("page.html", "{{ page.title }}", "{{ page.titel }}"),
                               [f"templates/page.html:{line_in_template('page.html', '{{ page.title }}')}: a page has no field 'titel' (did you mean 'title'?) (while rendering {ABOUT})"]),
    "template unknown filter": (template("page.html", "{{ page.title }}", "{{ page.title | shout }}"),
                                [f"templates/page.html:{line_in_template('page.html', '{{ page.title }}')}: template syntax error: No filter named 'shout'."]),
    "template call on nothing": (template("page.html", "{{ page.title }}", "{{ shout(page.title) }}"),
                                 [f"templates/page.html:{line_in_template('page.html', '{{ page.title }}')}: 'shout' is undefined (while rendering {ABOUT})"]),
    "template includes a missing one": (template("page.html", "{{ page.title }}", '{% include "_missing.html" %}'),
                                        [f"templates/page.html:{line_in_template('page.html', '{{ page.title }}')}: template not found: '_missing.html' (while rendering {ABOUT})"]),
    # --- files on disk ---------------------------------------------------------------------------
    "document name with a space": ({"content/documents/CN4M Briefing.pdf": b"%PDF-1.4\n"},
                                   ["content/documents/CN4M Briefing.pdf: the file name 'CN4M Briefing.pdf' will not work in a web address "
                                    "(it has a space); rename it content/documents/CN4M-Briefing.pdf"]),
    "picture name with an accent": ({"content/images/café.png": tiny_png()},
                                    ["content/images/café.png: the file name 'café.png' will not work in a web address (it has the character 'é'); "
                                     "rename it content/images/cafe.png"]),
    "static file over a generated one": ({"static/feed.xml": "<feed/>"}, ["static/feed.xml: this file would overwrite the generated /feed.xml; rename or remove it"]),
    "post that is a folder's leftover": ({"content/posts/2010-04-25-notes.md": "---\ntitle: [Notes\n---\n", "content/posts/.#2010-04-25-notes.md": "lock"},
                                         ["content/posts/2010-04-25-notes.md:2: YAML syntax error: a list opened with '[' is never closed with ']' (column 8)"]),
}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_BASE_REF", "SOURCE_DATE_EPOCH")}
    return run_build_py("build", "--root", root, "--now", "2010-05-01", env=env, cwd=root)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small, valid project, built once: posts, a page, a document and the registry."""
    root = tmp_path_factory.mktemp("good") / "project"
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    files = {"pyproject.toml": MINIMAL_PYPROJECT, REG: SMALL, A: POST_A,
             B: post("title: City Region\ndate: 2010-04-24"), ABOUT: post("title: About\nnav: 1", "## Who we are\n\nText.\n"),
             "content/documents/paper.pdf": b"%PDF-1.4\n"}
    write(root, files)
    shutil.copy(PROJECT / "data/pilots.schema.json", root / "data/pilots.schema.json")
    done = build(root)
    assert done.returncode == 0, done.stderr
    return root


def write(root: Path, files: dict[str, str | bytes | None]) -> None:
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_the_corpus_has_at_least_sixty_cases_of_every_kind():
    assert len(CASES) >= 60


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_a_bad_input_is_reported_exactly_with_exit_1_and_the_site_left_as_it_was(good, tmp_path, files, expected):
    root = tmp_path / "project"
    shutil.copytree(good, root, symlinks=True)
    before = snapshot(root / "site")
    write(root, files)
    done = build(root)
    count, paths = len(expected), len({line.split(":")[0] for line in expected})
    summary = f"Found {count} problem{'s' if count > 1 else ''} in {paths} file{'s' if paths > 1 else ''}; site not written."
    assert (done.returncode, done.stdout, done.stderr.splitlines()) == (1, "", [*expected, summary])
    assert snapshot(root / "site") == before

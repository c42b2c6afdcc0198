"""`build.py new "Title"`: a draft post with its front matter filled in, that builds as it is."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Result, TinySite, run_build_py

from placepress.content import parse_post
from placepress.new import ADVICE, check_title, parse_day, post_path, render_post
from placepress.serve import Preview

LONDON = ZoneInfo("Europe/London")


def new(root: Path, *args: str, before: tuple[str, ...] = ()) -> Result:
    """Run `python build.py [before…] new …` in a child process, as an editor would."""
    # SOURCE_DATE_EPOCH, like --now, would replace the clock's today.
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    done = run_build_py(*before, "new", *args, "--root", root, cwd=root, env=env)
    return Result(done.returncode, done.stdout, done.stderr)


# --- the file, on strings ---------------------------------------------------------------

def test_the_file_is_named_by_the_date_and_the_slug_of_the_title() -> None:
    assert post_path("Total Place: what next?", date(2010, 4, 23)) == "content/posts/2010-04-23-total-place-what-next.md"


def test_the_front_matter_has_title_date_categories_tags_and_draft_then_a_line_for_the_editor() -> None:
    assert render_post("Total Place", date(2010, 4, 23), ["Reports", "Events"]) == (
        "---\n"
        "title: Total Place\n"
        "date: 2010-04-23\n"
        "categories:\n"
        "- Reports\n"
        "- Events\n"
        "tags: []\n"
        "draft: true\n"
        "---\n"
        "\n"
        "Write the post here, in Markdown, in place of this paragraph. While the line `draft: true` above is there, "
        "`make serve` shows the post with a banner and the site does not publish it. "
        "The build will not publish this paragraph. To show a picture, put it in `content/images/` and write "
        "`![what the picture shows](../images/your-picture.jpg)` on a line of its own.\n"
    )


@pytest.mark.parametrize("title", [
    "Total Place: what next?",
    'The "Total Place" pilots',
    "It's the city region's turn",
    "'Quoted' at both ends'",
    "#1: a hash first",
    "- a dash first",
    "2024",
    "yes",
    "null",
    "Café, naïve & “curly quotes” — all kept",
    "[Brackets] and {braces}: *stars* | pipes > more",
    "A very long title " * 8,
])
def test_every_title_round_trips_through_the_post_parser_with_no_problems(title: str) -> None:
    text = render_post(title, date(2010, 4, 23), ["Total Place: evaluation"])
    post, problems = parse_post(post_path(title, date(2010, 4, 23)), text, LONDON)
    assert problems == []
    assert post is not None
    assert post.title == title.strip()
    assert post.date == datetime(2010, 4, 23, tzinfo=LONDON)
    assert [ref.name for ref in post.categories] == ["Total Place: evaluation"]
    assert post.tags == ()
    assert post.draft is True


def test_a_long_title_stays_on_one_line_of_the_front_matter() -> None:
    title = "A very long title " * 8
    assert f"title: {title.strip()}\n" in render_post(title.strip(), date(2010, 4, 23), [])


@pytest.mark.parametrize("text, expected", [
    ("2010-04-23", date(2010, 4, 23)),
    (" 2010-04-23 ", date(2010, 4, 23)),
    ("2010-02-30", None),
    ("23/04/2010", None),
    ("2010-04-23T18:00", None),
    ("20100423", None),
])
def test_a_date_must_be_a_real_day_written_yyyy_mm_dd(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


def test_a_title_with_no_letters_or_digits_cannot_name_a_file() -> None:
    assert check_title("Total Place") is None
    assert check_title("!?!") == ("the title '!?!' has no letters a-z or digits to make the file name from; "
                                  "give a title with some (you can change it in the file afterwards)")


# --- the command ------------------------------------------------------------------------

def test_new_writes_the_post_and_prints_its_path(tiny: TinySite) -> None:
    done = new(tiny.root, "Total Place: what next?", "--date", "2010-04-23")
    path = tiny.root / "content/posts/2010-04-23-total-place-what-next.md"
    assert (done.code, done.out, done.err) == (0, f"{path}\n{ADVICE}\n", "")
    assert ADVICE == ("Started a draft post: write it in the file above. `make serve` previews it as you type "
                      "(or `.venv/bin/python build.py serve`); remove the line `draft: true` to publish it.")
    assert path.read_text(encoding="utf-8") == render_post("Total Place: what next?", date(2010, 4, 23), [])


def test_each_category_option_adds_a_category_in_the_order_given(tiny: TinySite) -> None:
    done = new(tiny.root, "Forum notes", "--date", "2010-04-23", "--category", "Events", "--category", "Total Place")
    assert done.code == 0, done.err
    text = (tiny.root / "content/posts/2010-04-23-forum-notes.md").read_text(encoding="utf-8")
    post, problems = parse_post("content/posts/2010-04-23-forum-notes.md", text, LONDON)
    assert problems == []
    assert [ref.name for ref in post.categories] == ["Events", "Total Place"]


def test_the_date_defaults_to_today_in_the_sites_time_zone(tiny: TinySite) -> None:
    # 23:30 UTC on 23 April is already 24 April in London (British Summer Time).
    done = new(tiny.root, "Late news", before=("--now", "2010-04-23T23:30:00Z"))
    assert done.code == 0, done.err
    assert done.out.splitlines()[0] == f"{tiny.root / 'content/posts/2010-04-24-late-news.md'}"


def test_without_now_the_date_is_todays_date_from_the_clock(tiny: TinySite) -> None:
    before = datetime.now(LONDON).date()
    done = new(tiny.root, "Today")
    after = datetime.now(LONDON).date()
    assert done.code == 0, done.err
    # Midnight may pass while the command runs; either day is right then.
    assert done.out.splitlines()[0] in {f"{tiny.root / f'content/posts/{day}-today.md'}" for day in (before, after)}


def test_an_existing_file_is_never_overwritten_and_the_command_fails_with_exit_code_1(tiny: TinySite) -> None:
    path = tiny.post("2010-04-23-total-place", "title: Already here\ndate: 2010-04-23", "Written by hand.\n")
    before = path.read_bytes()
    done = new(tiny.root, "Total Place", "--date", "2010-04-23")
    assert done.code == 1
    assert done.out == ""
    assert done.err == (f"build.py: error: {path} already exists; edit it, or choose another title or --date\n")
    assert path.read_bytes() == before


def test_a_title_that_gives_no_file_name_is_a_usage_error(tiny: TinySite) -> None:
    done = new(tiny.root, "???", "--date", "2010-04-23")
    assert done.code == 2
    assert "build.py: error: the title '???' has no letters a-z or digits to make the file name from" in done.err
    assert not (tiny.root / "content").exists()


def test_a_date_that_is_not_a_day_is_a_usage_error(tiny: TinySite) -> None:
    done = new(tiny.root, "Total Place", "--date", "23/04/2010")
    assert done.code == 2
    assert "build.py: error: --date must be a day written YYYY-MM-DD, e.g. 2010-04-23, found '23/04/2010'" in done.err


def test_an_empty_category_is_a_usage_error(tiny: TinySite) -> None:
    done = new(tiny.root, "Total Place", "--date", "2010-04-23", "--category", " ")
    assert done.code == 2
    assert "build.py: error: --category needs a name, e.g. --category Events" in done.err


def test_a_folder_without_pyproject_toml_is_not_a_project_and_is_left_alone(tmp_path: Path) -> None:
    done = new(tmp_path, "Total Place", "--date", "2010-04-23")
    assert done.code == 2
    assert f"build.py: error: {tmp_path} has no pyproject.toml, so it is not a PlacePress project" in done.err
    assert list(tmp_path.iterdir()) == []


# --- the new post in a build and in the preview ------------------------------------------

def test_a_new_post_builds_without_problems_but_is_published_only_in_the_preview(tiny: TinySite) -> None:
    tiny.post("2010-04-22-published", "title: Published\ndate: 2010-04-22")
    assert new(tiny.root, 'The "Total Place" pilots: what next?', "--date", "2010-04-23", "--category", "Events").code == 0

    built = tiny.build()
    assert built.code == 0, built.err
    assert (tiny.out / "2010/04/22/published/index.html").is_file()
    assert not (tiny.out / "2010/04/23").exists()
    assert "what next" not in (tiny.out / "index.html").read_text(encoding="utf-8")

    preview = Preview(tiny.root, datetime(2026, 1, 1, tzinfo=LONDON))
    assert preview.rebuild() == []
    page = (preview.folder / "2010/04/23/the-total-place-pilots-what-next/index.html").read_text(encoding="utf-8")
    assert "<h1>The &#34;Total Place&#34; pilots: what next?</h1>" in page
    assert "<strong>Draft.</strong>" in page
    assert "Write the post here, in Markdown, in place of this paragraph." in page


def test_a_new_post_whose_draft_line_is_removed_is_refused_until_its_paragraph_is_replaced(tiny: TinySite) -> None:
    assert new(tiny.root, "Total Place", "--date", "2010-04-23").code == 0
    path = tiny.root / "content/posts/2010-04-23-total-place.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    built = tiny.build()
    assert built.code == 1
    assert built.err.splitlines() == [
        "content/posts/2010-04-23-total-place.md:8: this is the paragraph that `build.py new` wrote for you to replace: "
        "write the post in its place (or put back 'draft: true' until it is ready)",
        "Found 1 problem in 1 file; site not written."]
    assert not tiny.out.exists()
    path.write_text(path.read_text(encoding="utf-8").split("---\n\n")[0] + "---\n\nThe forum met on Tuesday.\n", encoding="utf-8")
    built = tiny.build()
    assert built.code == 0, built.err
    assert "The forum met on Tuesday." in (tiny.out / "2010/04/23/total-place/index.html").read_text(encoding="utf-8")

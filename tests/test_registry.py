"""The pilots registry, data/pilots.yaml: schema and cross-checks on strings, then whole builds.

Each rule gets a failing input and the exact message at its line. Most inputs are a small valid
registry (SMALL, below, with its line numbers fixed) changed in one place; a few are the real
data/pilots.yaml changed in one place, with the line found from the text so that the test keeps
working when editors add to the file.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT
from placepress.registry import parse_registry
from placepress.schema import load_schema

LIBYAML = yaml.__with_libyaml__
SCHEMA = load_schema(PROJECT / "data/pilots.schema.json")
REAL = (PROJECT / "data/pilots.yaml").read_text(encoding="utf-8")
REG = "data/pilots.yaml"
FORUM = "forum-2010-05-18"

TOTAL_PLACE_AREAS = {
    "Birmingham", "Bradford", "Luton and Central Bedfordshire", "Coventry, Solihull and Warwickshire",
    "Croydon", "Dorset, Poole and Bournemouth", "Durham", "South of Tyne", "Kent",
    "Leicester and Leicestershire", "Lewisham", "Manchester City Region including Warrington", "Worcestershire",
}

# Line numbers are given on the right so that the expected messages can be checked by eye.
SMALL = textwrap.dedent("""\
    programmes:
      - id: total-place
        name: Total Place
        summary: A national programme.
        sources:
          - title: HM Treasury, Budget 2009
            date: 2009-04-22
      - id: gm-city-region
        name: Greater Manchester City Region pilot
        summary: A set of sub-pilots.
        sub_pilots:
          - id: gm-total-place
            name: Total Place (the Manchester City Region pilot area)
            area: manchester-warrington
          - id: gm-skills
            name: Skills
        sources:
          - title: Greater Manchester agreement signed in Bury
    areas:
      - id: manchester-warrington
        name: Manchester City Region including Warrington
        region: North West
        programme: total-place
        themes:
          - early years
        confidence: confirmed
        sources:
          - title: Total Place FAQ
      - id: lewisham
        name: Lewisham
        region: London
        programme: total-place
        confidence: confirmed
        sources:
          - title: Total Place FAQ
    forums:
      - id: forum-2010-05-18
        title: Sustainable Neighbourhoods Forum
        start: 2010-05-18 18:00
        end: 2010-05-18 20:00
        timezone: Europe/London
        venue:
          name: {text: Friends Meeting House, confidence: confirmed}
        concerns: [gm-city-region]
        status: scheduled
        updated: 2010-04-23
    """)
# 1 programmes · 7 source date · 14 sub-pilot area · 15 gm-skills · 29 lewisham · 31 region · 32 programme
# 37 forum id · 39 start · 40 end · 41 timezone · 44 concerns · 45 status · 46 updated


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced: a test that edits nothing proves nothing."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """The line number of the one line containing `fragment`."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}"
    return lines[0]


def problems(text: str) -> list[str]:
    _, found = parse_registry(text, SCHEMA, "Europe/London")
    return [str(p) for p in found]


# --- valid registries ---------------------------------------------------------------------------

def test_the_real_registry_has_no_problems_and_the_thirteen_total_place_areas():
    registry, found = parse_registry(REAL, SCHEMA, "Europe/London")
    assert found == []
    total_place = [a for a in registry.areas if a.programme == "total-place"]
    assert len(total_place) == 13
    assert {a.name for a in total_place} == TOTAL_PLACE_AREAS


def test_the_real_registry_has_the_city_region_pilot_with_its_known_sub_pilots():
    registry, _ = parse_registry(REAL, SCHEMA, "Europe/London")
    city_region = registry.programme("gm-city-region")
    assert city_region.name == "Greater Manchester City Region pilot"
    assert [s.id for s in city_region.sub_pilots] == [
        "gm-total-place", "gm-childrens-services", "gm-skills", "gm-young-people",
        "gm-housing", "gm-science-research", "gm-employment", "gm-early-years"]
    assert city_region.sub_pilots[0].area == "manchester-warrington"


def test_the_small_registry_used_below_has_no_problems():
    registry, found = parse_registry(SMALL, SCHEMA, "Europe/London")
    assert found == []
    assert [f.id for f in registry.forums] == [FORUM]


def test_a_past_forum_still_marked_scheduled_is_not_a_problem():
    # The forum in SMALL took place in 2010 and still says 'scheduled': it simply happened.
    registry, found = parse_registry(SMALL, SCHEMA, "Europe/London")
    assert found == []
    assert registry.forums[0].status == "scheduled"


def test_a_past_forum_still_marked_scheduled_builds_and_says_it_has_taken_place(example_site):
    # The example site is built at 2026-01-01, long after its forum of 18 May 2010.
    page = (example_site / "forums/sustainable-neighbourhoods-2010-05-18/index.html").read_text(encoding="utf-8")
    assert "This forum has taken place." in page
    assert "This forum has been cancelled" not in page


# --- the schema, in an editor's words --------------------------------------------------------------

def test_a_missing_required_field_is_reported_at_the_record_that_lacks_it():
    text = edit(SMALL, "    region: London\n", "")
    assert problems(text) == [f"{REG}:29: area 'lewisham' is missing the field 'region'"]


def test_a_missing_required_field_in_the_real_registry_is_reported_at_its_area():
    text = edit(REAL, "    region: Yorkshire and the Humber\n", "")
    assert problems(text) == [f"{REG}:{line_of(text, '- id: bradford')}: area 'bradford' is missing the field 'region'"]


def test_a_missing_top_level_list_is_reported_for_the_file():
    text = SMALL.split("areas:")[0]
    assert problems(text) == [f"{REG}:1: the file is missing the field 'areas'"]


def test_an_empty_registry_is_reported_on_line_one():
    assert problems("# nothing here yet\n") == [f"{REG}:1: the registry is empty; it needs 'programmes' and 'areas'"]


def test_an_unknown_field_is_reported_at_its_line_with_did_you_mean():
    text = edit(SMALL, "    region: London\n", "    region: London\n    themes_confidance: likely\n")
    assert problems(text) == [
        f"{REG}:32: unknown field 'themes_confidance' in area 'lewisham' (did you mean 'themes_confidence'?)"]


def test_a_misspelt_status_is_reported_with_the_choices_and_did_you_mean():
    text = edit(SMALL, "status: scheduled", "status: canceled")
    assert problems(text) == [
        f"{REG}:45: 'status' of forum '{FORUM}' must be one of: scheduled, cancelled, moved; found 'canceled' (did you mean 'cancelled'?)"]


def test_a_misspelt_status_in_the_real_registry_is_reported_at_its_line():
    text = edit(REAL, "status: scheduled", "status: canceled")
    assert problems(text) == [
        f"{REG}:{line_of(text, 'status: canceled')}: 'status' of forum 'sustainable-neighbourhoods-2010-05-18' "
        "must be one of: scheduled, cancelled, moved; found 'canceled' (did you mean 'cancelled'?)"]


def test_a_wrong_confidence_names_the_fact_by_its_position():
    text = edit(REAL, "confidence: likely\n      - text: \"The pilots mapped", "confidence: probable\n      - text: \"The pilots mapped")
    assert problems(text) == [
        f"{REG}:{line_of(text, 'confidence: probable')}: 'confidence' of the 1st fact of programme 'total-place' "
        "must be one of: confirmed, likely; found 'probable'"]


def test_an_id_that_is_not_lowercase_words_and_hyphens_is_reported_with_an_example():
    text = edit(SMALL, "  - id: lewisham", "  - id: Lewisham_Borough")
    assert problems(text) == [
        f"{REG}:29: 'id' of area 'Lewisham_Borough' must be lowercase letters, digits and single hyphens, "
        "e.g. 'south-of-tyne', found 'Lewisham_Borough'"]


def test_a_date_in_another_format_is_reported_with_the_format_wanted():
    text = edit(SMALL, "date: 2009-04-22", "date: 22/04/2009")
    assert problems(text) == [
        f"{REG}:7: 'date' of the 1st source of programme 'total-place' must be a date written YYYY-MM-DD "
        "(or YYYY-MM when only the month is known), found '22/04/2009'"]


@pytest.mark.parametrize("written", ["2010-05-18 6pm", "2010-05-18", "18/05/2010 18:00"])
def test_a_start_that_is_not_a_date_and_time_is_reported_with_an_example(written):
    text = edit(SMALL, "start: 2010-05-18 18:00", f"start: {written}")
    assert problems(text) == [
        f"{REG}:39: 'start' of forum '{FORUM}' must be a local date and time written YYYY-MM-DD HH:MM, "
        f"e.g. 2010-05-18 18:00, found '{written}'"]


def test_an_updated_that_is_neither_a_date_nor_a_date_and_time_names_both_formats():
    text = edit(SMALL, "updated: 2010-04-23", "updated: 23 April 2010")
    assert problems(text) == [
        f"{REG}:46: 'updated' of forum '{FORUM}' must be a date written YYYY-MM-DD (or YYYY-MM when only the month "
        "is known) or a local date and time written YYYY-MM-DD HH:MM, e.g. 2010-05-18 18:00, found '23 April 2010'"]


@pytest.mark.parametrize("updated", ["2010-04", "2010-04-23 10:30"])
def test_updated_may_be_a_month_or_a_date_and_time(updated):
    assert problems(edit(SMALL, "updated: 2010-04-23", f"updated: {updated}")) == []


def test_a_single_value_where_a_list_is_expected_is_reported():
    text = edit(SMALL, "concerns: [gm-city-region]", "concerns: gm-city-region")
    assert problems(text) == [f"{REG}:44: 'concerns' of forum '{FORUM}' must be a list, found 'gm-city-region'"]


def test_a_single_theme_where_a_list_is_expected_is_reported_in_the_real_registry():
    text = edit(REAL, "    themes:\n      - regeneration\n", "    themes: regeneration\n")
    assert problems(text) == [f"{REG}:{line_of(text, 'themes: regeneration')}: 'themes' of area 'durham' must be a list, found 'regeneration'"]


def test_an_empty_sources_list_is_reported():
    text = edit(SMALL, "    confidence: confirmed\n    sources:\n      - title: Total Place FAQ\nforums:",
                "    confidence: confirmed\n    sources: []\nforums:")
    assert problems(text) == [f"{REG}:34: 'sources' of area 'lewisham' needs at least 1 item"]


def test_a_booking_link_that_is_not_a_web_address_is_reported():
    text = edit(SMALL, "    status: scheduled\n", "    booking: www.example.org\n    status: scheduled\n")
    assert problems(text) == [
        f"{REG}:45: 'booking' of forum '{FORUM}' must be a full web address starting with https://, found 'www.example.org'"]


# --- what a schema cannot say ------------------------------------------------------------------

def test_a_duplicate_id_names_both_lines():
    text = edit(SMALL, "  - id: gm-skills", "  - id: lewisham")
    assert problems(text) == [f"{REG}:29: the id 'lewisham' is used twice: here and on line 15; ids must be unique"]


def test_a_duplicate_area_id_in_the_real_registry_names_both_lines():
    text = edit(REAL, "id: durham", "id: croydon")
    first, second = (n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "- id: croydon")
    assert problems(text) == [f"{REG}:{second}: the id 'croydon' is used twice: here and on line {first}; ids must be unique"]


def test_an_area_naming_an_unknown_programme_is_reported_with_did_you_mean():
    text = edit(SMALL, "    programme: total-place\n    confidence", "    programme: total-places\n    confidence")
    assert problems(text) == [f"{REG}:32: 'total-places' is not the id of any programme (did you mean 'total-place'?)"]


def test_a_sub_pilot_naming_an_unknown_area_is_reported_with_did_you_mean():
    text = edit(SMALL, "area: manchester-warrington", "area: manchester")
    assert problems(text) == [f"{REG}:14: 'manchester' is not the id of any area (did you mean 'manchester-warrington'?)"]


def test_a_forum_concerning_an_unknown_id_is_reported_with_did_you_mean():
    text = edit(SMALL, "concerns: [gm-city-region]", "concerns: [gm-city-regoin]")
    assert problems(text) == [
        f"{REG}:44: 'gm-city-regoin' is not the id of any programme, area or sub-pilot (did you mean 'gm-city-region'?)"]


def test_a_forum_may_concern_an_area_or_a_sub_pilot():
    assert problems(edit(SMALL, "concerns: [gm-city-region]", "concerns: [lewisham, gm-skills]")) == []


def test_a_forum_that_ends_before_it_starts_names_both_lines():
    text = edit(SMALL, "end: 2010-05-18 20:00", "end: 2010-05-18 17:00")
    assert problems(text) == [f"{REG}:40: forum '{FORUM}' ends before it starts: end 2010-05-18 17:00, "
                              "start 2010-05-18 18:00 (line 39); it must end after it starts"]


def test_a_forum_that_ends_when_it_starts_is_reported_without_saying_before():
    text = edit(SMALL, "end: 2010-05-18 20:00", "end: 2010-05-18 18:00")
    found = problems(text)
    assert len(found) == 1
    message = found[0]
    assert message == (f"{REG}:40: forum '{FORUM}' ends when it starts: end 2010-05-18 18:00, "
                       "start 2010-05-18 18:00 (line 39); it must end after it starts")
    # It ends exactly when it starts: 'before' is not true, and the editor is left puzzling over two equal times.
    assert "before" not in message


def test_a_forum_may_end_on_the_next_day():
    assert problems(edit(SMALL, "end: 2010-05-18 20:00", "end: 2010-05-19 01:00")) == []


@pytest.mark.parametrize("zone, hint", [("Europe/Manchester", ""), ("europe/london", " (did you mean 'Europe/London'?)"),
                                        ("GMT+1 (London)", ""), ("", "")])
def test_a_time_zone_that_is_not_an_iana_name_is_reported(zone, hint):
    text = edit(SMALL, "timezone: Europe/London", f"timezone: '{zone}'")
    assert problems(text) == [
        f"{REG}:41: 'timezone' of forum '{FORUM}' must be an IANA time zone such as 'Europe/London', found '{zone}'{hint}"]


def test_another_real_time_zone_is_accepted():
    registry, found = parse_registry(edit(SMALL, "timezone: Europe/London", "timezone: America/New_York"), SCHEMA, "Europe/London")
    assert found == []
    assert registry.forums[0].start.utcoffset().total_seconds() == -4 * 3600


def test_a_start_on_a_day_that_does_not_exist_says_how_many_days_the_month_has():
    text = edit(SMALL, "start: 2010-05-18 18:00", "start: 2010-02-30 18:00")
    assert problems(text) == [f"{REG}:39: 'start' of forum '{FORUM}' is not a real day: February 2010 has 28 days, "
                              "found '2010-02-30 18:00'"]


def test_an_updated_on_a_day_that_does_not_exist_says_how_many_days_the_month_has():
    text = edit(SMALL, "updated: 2010-04-23", "updated: 2010-04-31")
    assert problems(text) == [f"{REG}:46: 'updated' of forum '{FORUM}' is not a real day: April 2010 has 30 days, found '2010-04-31'"]


@pytest.mark.parametrize("key", ["name", "summary", "region"])
def test_a_value_that_looks_like_a_number_is_text_in_the_registry_as_in_front_matter(key):
    text = edit(SMALL, "    name: Lewisham\n    region: London\n", "    name: 2010\n    region: 1.5\n")
    text = text if key != "summary" else edit(text, "summary: A national programme.", "summary: yes")
    registry, found = parse_registry(text, SCHEMA, "Europe/London")
    assert found == []
    lewisham = next(a for a in registry.areas if a.id == "lewisham")
    assert (lewisham.name, lewisham.region) == ("2010", "1.5")
    assert registry.programmes[0].summary == ("yes" if key == "summary" else "A national programme.")


# --- YAML itself -----------------------------------------------------------------------------------

def test_a_yaml_syntax_error_in_the_registry_is_reported_at_its_line():
    wording = "mapping values are not allowed in this context" if LIBYAML else "mapping values are not allowed here"
    text = edit(SMALL, "    name: Lewisham\n", "    name: Lewisham: the borough\n")
    assert problems(text) == [
        f"{REG}:30: YAML syntax error: {wording} (column 19); a value containing ': ' must be put in quotes"]


def test_a_yaml_syntax_error_in_the_real_registry_is_reported_at_its_line():
    wording = "mapping values are not allowed in this context" if LIBYAML else "mapping values are not allowed here"
    text = edit(REAL, "lead: Be Birmingham partnership", "lead: Be Birmingham: a partnership")
    assert problems(text) == [
        f"{REG}:{line_of(text, 'lead: Be Birmingham')}: YAML syntax error: {wording} (column 24); "
        "a value containing ': ' must be put in quotes"]


def test_an_unclosed_quote_in_a_small_registry_is_reported_where_it_opens():
    text = edit(SMALL, "    name: Lewisham\n", "    name: 'Lewisham\n")
    assert problems(text) == [f"{REG}:30: YAML syntax error: a quoted value is never closed (column 11)"]


def test_an_unclosed_quote_in_the_real_registry_is_reported_where_it_opens():
    text = edit(REAL, "      - '\"Total Community\"'", "      - '\"Total Community\"")
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith(f"{REG}:{line_of(text, 'Total Community')}: YAML syntax error: ")


@pytest.mark.skipif(not LIBYAML, reason="the column is libyaml's")
@pytest.mark.parametrize("old, new, column", [
    ("    status: scheduled\n", "  status: scheduled\n", 3),
    ("    status: scheduled\n", "     status: scheduled\n", 6),
], ids=["field moved left", "field moved right"])
def test_an_indentation_slip_in_the_real_registry_is_explained_in_words_at_its_line(old, new, column):
    text = edit(REAL, old, new)
    assert problems(text) == [
        f"{REG}:{line_of(text, 'status: scheduled')}: YAML syntax error: this line is not indented like the lines above it: "
        "the fields of one record line up under each other, and each item of a list starts with '- ' in the same column "
        f"(column {column})"]


def test_a_key_given_twice_names_both_lines():
    text = edit(SMALL, "    region: London\n", "    region: London\n    region: Greater London\n")
    assert problems(text) == [f"{REG}:32: 'region' is given twice (first on line 31); keep one"]


# --- whole builds: registry and content problems in one report -------------------------------------

POST = "content/posts/2010-04-23-total-place.md"


def build(tiny, *args: str):
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")}
    return tiny.build(*args, env=env)


def with_registry(tiny, text: str | None = None) -> None:
    shutil.copytree(PROJECT / "data", tiny.root / "data")
    if text is not None:
        tiny.write("data/pilots.yaml", text)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_unknown_pilot_id_in_a_post_and_a_registry_problem_are_reported_together_and_the_site_is_untouched(tiny):
    with_registry(tiny)
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\npilots: [manchester-warrington]")
    assert build(tiny, "--now", "2010-05-01").code == 0
    before = snapshot(tiny.out)
    assert "pilots/manchester-warrington/index.html" in before

    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\npilots: [manchester]")
    text = edit(REAL, "end: 2010-05-18 20:00", "end: 2010-05-18 17:00")
    tiny.write("data/pilots.yaml", text)
    result = build(tiny, "--now", "2010-05-01")

    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[1:] == [
        f"{POST}:4: 'manchester' in 'pilots' is not an id in data/pilots.yaml (did you mean 'manchester-warrington'?)",
        "Found 2 problems in 2 files; site not written.",
    ]
    assert result.err.splitlines()[:1] == [
        f"{REG}:{line_of(text, 'end: 2010-05-18 17:00')}: forum 'sustainable-neighbourhoods-2010-05-18' ends before it "
        f"starts: end 2010-05-18 17:00, start 2010-05-18 18:00 (line {line_of(text, 'start: 2010-05-18 18:00')}); "
        "it must end after it starts",
    ]
    assert snapshot(tiny.out) == before


def test_a_schema_problem_in_the_registry_does_not_make_valid_pilot_ids_in_posts_unknown(tiny):
    with_registry(tiny, edit(REAL, "status: scheduled", "status: canceled"))
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\npilots: [manchester]")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24\npilots: [gm-city-region, manchester-warrington]")
    result = build(tiny, "--now", "2010-05-01")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{REG}:{line_of(REAL, 'status: scheduled')}: 'status' of forum 'sustainable-neighbourhoods-2010-05-18' "
        "must be one of: scheduled, cancelled, moved; found 'canceled' (did you mean 'cancelled'?)",
        f"{POST}:4: 'manchester' in 'pilots' is not an id in data/pilots.yaml (did you mean 'manchester-warrington'?)",
        "Found 2 problems in 2 files; site not written.",
    ]


def test_a_post_naming_a_sub_pilot_links_to_its_place_on_the_programme_page(tiny):
    with_registry(tiny)
    tiny.post("2010-04-23-skills", "title: Skills\ndate: 2010-04-23\npilots: [gm-skills]")
    assert build(tiny, "--now", "2010-05-01").code == 0
    page = (tiny.out / "2010/04/23/skills/index.html").read_text(encoding="utf-8")
    assert '<a href="/pilots/gm-city-region/#gm-skills">Skills (Greater Manchester City Region pilot)</a>' in page
    assert 'id="gm-skills"' in (tiny.out / "pilots/gm-city-region/index.html").read_text(encoding="utf-8")


def test_a_site_without_a_registry_builds_with_no_pilots_or_forums_pages_and_no_links_to_them(tiny):
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    result = build(tiny)
    assert result.code == 0, result.err
    assert not (tiny.out / "pilots").exists()
    assert not (tiny.out / "forums").exists()
    assert not (tiny.out / "forums.ics").exists()
    home = (tiny.out / "index.html").read_text(encoding="utf-8")
    assert ">Pilots</a>" not in home and "/pilots/" not in home
    assert ">Forums</a>" not in home and "/forums/" not in home


def test_a_registry_without_its_schema_file_is_a_problem_not_a_traceback(tiny):
    with_registry(tiny)
    (tiny.root / "data/pilots.schema.json").unlink()
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23")
    result = build(tiny)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[0].startswith("data/pilots.schema.json")


def test_aliases_in_the_registry_that_stand_for_billions_of_values_are_refused_at_the_first_alias():
    laughs = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi"))
    started = time.perf_counter()
    assert problems(SMALL + laughs) == [f"{REG}:48: through its aliases this file stands for more than 100,000 values; "
                                        "write the values out in full instead"]
    assert time.perf_counter() - started < 5  # a guard against a hang, not a measurement


def test_the_real_registry_shares_its_sources_through_aliases_and_that_is_allowed():
    assert REAL.count("*tp-faq") > 5
    assert problems(REAL) == []


# --- one round: every check the data allows; the cause only ----------------------------------------

def test_schema_mistakes_and_what_a_schema_cannot_say_are_reported_in_one_round():
    text = edit(SMALL, "status: scheduled", "status: canceled")
    text = edit(text, "end: 2010-05-18 20:00", "end: 2010-05-18 17:00")
    text = edit(text, "  - id: gm-skills", "  - id: lewisham")
    text = edit(text, "    programme: total-place\n    confidence", "    programme: total-places\n    confidence")
    assert problems(text) == [
        f"{REG}:45: 'status' of forum '{FORUM}' must be one of: scheduled, cancelled, moved; found 'canceled' (did you mean 'cancelled'?)",
        f"{REG}:29: the id 'lewisham' is used twice: here and on line 15; ids must be unique",
        f"{REG}:32: 'total-places' is not the id of any programme (did you mean 'total-place'?)",
        f"{REG}:40: forum '{FORUM}' ends before it starts: end 2010-05-18 17:00, start 2010-05-18 18:00 (line 39); "
        "it must end after it starts"]


def test_a_yaml_syntax_error_in_the_registry_is_the_only_problem_reported_not_every_post_naming_a_pilot(tiny):
    text = edit(REAL, "    status: scheduled\n", "  status: scheduled\n")
    with_registry(tiny, text)
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\npilots: [manchester-warrington]")
    tiny.post("2010-04-24-city-region", "title: City Region\ndate: 2010-04-24\npilots: [gm-city-region]")
    result = build(tiny, "--now", "2010-05-01")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{REG}:{line_of(text, 'status: scheduled')}: YAML syntax error: this line is not indented like the lines above it: "
        "the fields of one record line up under each other, and each item of a list starts with '- ' in the same column (column 3)",
        "Found 1 problem in 1 file; site not written."]


def test_the_registrys_problems_are_listed_before_the_contents_that_follow_from_them(tiny):
    with_registry(tiny, edit(REAL, "status: scheduled", "status: canceled"))
    tiny.post("2010-04-23-total-place", "title: Total Place\ndate: 2010-04-23\npilots: [manchester]")
    lines = build(tiny, "--now", "2010-05-01").err.splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == [REG, POST]

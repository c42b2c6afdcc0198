"""Forums on built sites: the /forums/ list, forum pages, the home page and the .ics calendars.

Every build writes into a temporary folder (the example site with --out, or a tiny site);
none touches the repository's site/. Calendars are read by two independent parsers,
icalendar and vobject, as two different calendar programs would.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import vobject

from conftest import MINIMAL_PYPROJECT, PROJECT, TinySite, build_example

FORUM = "sustainable-neighbourhoods-2010-05-18"
UID = f"{FORUM}@sustainable-neighbourhoods.cn4m"
FORUM_PAGE = f"forums/{FORUM}/index.html"

# A tiny site's registry: a forum on the day the clocks went forward (28 March 2010) and a cancelled one.
FORUMS_REGISTRY = textwrap.dedent("""\
    programmes:
      - id: total-place
        name: Total Place
        summary: A national programme.
        sources:
          - title: HM Treasury, Budget 2009
    areas:
      - id: lewisham
        name: Lewisham
        region: London
        programme: total-place
        confidence: confirmed
        sources:
          - title: Total Place FAQ
    forums:
      - id: clocks-change-2010-03-28
        title: Forum on the day the clocks change — “whole area” budgets, £82 billion and naïve cafés
        start: 2010-03-28 18:00
        end: 2010-03-28 20:00
        venue:
          name: {text: Friends Meeting House, confidence: confirmed}
          address: {text: 6 Mount Street, confidence: likely}
          town: {text: Manchester, confidence: confirmed}
        description: >-
          The clocks went forward at one o'clock this morning. Ça va: “Total Place” looks at all
          the public money spent in one place — over £82 billion — ééééééééééééééééééééééééééééé.
        concerns: [lewisham]
        status: scheduled
        updated: 2010-03-01
      - id: called-off-2010-04-20
        title: A forum that was called off
        start: 2010-04-20 18:30
        end: 2010-04-20 20:00
        venue:
          name: {text: Friends Meeting House, confidence: confirmed}
          town: {text: Manchester, confidence: confirmed}
        status: cancelled
        updated: 2010-04-01 12:00
    """)


# --- helpers -------------------------------------------------------------------------------------

class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld(page: Path) -> list[dict]:
    finder = _ScriptFinder()
    finder.feed(page.read_text(encoding="utf-8"))
    return [json.loads(block) for block in finder.blocks]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def main_of(page: Path) -> str:
    text = read(page)
    return text[text.index("<main"):text.index("</main>")]


def events_by_icalendar(data: bytes) -> list[dict]:
    calendar = icalendar.Calendar.from_ical(data)
    return [{"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART"), "end": e.decoded("DTEND"),
             "location": str(e["LOCATION"]), "status": str(e["STATUS"])} for e in calendar.walk("VEVENT")]


def events_by_vobject(data: bytes) -> list[dict]:
    calendar = vobject.readOne(data.decode("utf-8"))
    return [{"uid": e.uid.value, "summary": e.summary.value, "start": e.dtstart.value, "end": e.dtend.value,
             "location": e.location.value, "status": e.status.value} for e in calendar.vevent_list]


def the_event(data: bytes) -> icalendar.Event:
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def unfolded(data: bytes) -> list[str]:
    """The content lines of an .ics file, with folded lines joined again."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def forums_tiny(root: Path, registry: str = FORUMS_REGISTRY) -> TinySite:
    site = TinySite(root)
    shutil.copytree(PROJECT / "templates", root / "templates")
    shutil.copytree(PROJECT / "static", root / "static")
    site.write("pyproject.toml", MINIMAL_PYPROJECT)
    site.write("data/pilots.schema.json", (PROJECT / "data/pilots.schema.json").read_bytes())
    site.write("data/pilots.yaml", registry)
    site.post("2010-03-01-hello", "title: Hello\ndate: 2010-03-01")
    return site


@pytest.fixture(scope="module")
def forums_site(tmp_path_factory) -> Path:
    """The tiny forums site built on 1 March 2010, before both its forums."""
    site = forums_tiny(tmp_path_factory.mktemp("forums"))
    result = site.build("--now", "2010-03-01")
    assert result.code == 0, result.err
    return site.out


@pytest.fixture(scope="module")
def example_may(tmp_path_factory) -> Path:
    """The example site on 1 May 2010, before its forum of 18 May."""
    return build_example(tmp_path_factory.mktemp("may") / "site", "2010-05-01")


@pytest.fixture(scope="module")
def example_june(tmp_path_factory) -> Path:
    """The example site on 1 June 2010, after its forum."""
    return build_example(tmp_path_factory.mktemp("june") / "site", "2010-06-01")


def all_calendars(example_may: Path, forums_site: Path) -> list[Path]:
    found = sorted(example_may.rglob("*.ics")) + sorted(forums_site.rglob("*.ics"))
    assert len(found) == 2 + 3
    return found


# --- the calendars as files ------------------------------------------------------------------------

def test_icalendar_and_vobject_read_the_same_events_from_every_calendar(example_may, forums_site):
    for path in all_calendars(example_may, forums_site):
        data = path.read_bytes()
        by_icalendar, by_vobject = events_by_icalendar(data), events_by_vobject(data)
        assert by_icalendar, path
        assert by_icalendar == by_vobject, path


def test_the_example_calendar_holds_the_forum_with_its_details(example_may):
    event = the_event((example_may / "forums.ics").read_bytes())
    assert str(event["UID"]) == UID
    assert str(event["SUMMARY"]) == "Sustainable Neighbourhoods Forum"
    assert event.decoded("DTSTART") == datetime(2010, 5, 18, 17, 0, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2010, 5, 18, 19, 0, tzinfo=timezone.utc)
    assert str(event["LOCATION"]) == "Friends Meeting House, 6 Mount Street (unconfirmed), Manchester, M2 5NS (unconfirmed)"
    assert str(event["DESCRIPTION"]).startswith("A community forum themed around one of the Greater Manchester")
    assert str(event["URL"]) == f"https://sustainable-neighbourhoods.example.org/forums/{FORUM}/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_description_written_with_a_bar_ends_at_its_last_word_and_keeps_its_paragraphs_on_one_line(example_may):
    # data/pilots.yaml writes it `description: |`, which ends with a line break, over two lines.
    event = the_event((example_may / "forums.ics").read_bytes())
    assert str(event["DESCRIPTION"]) == ("A community forum themed around one of the Greater Manchester City Region "
                                         "sub-pilots. Which sub-pilot is not recorded.")


def test_the_forums_calendar_and_the_forum_calendar_hold_the_same_event(example_may):
    whole = events_by_icalendar((example_may / "forums.ics").read_bytes())
    single = events_by_icalendar((example_may / f"forums/{FORUM}.ics").read_bytes())
    assert whole == single


def test_every_calendar_line_ends_with_crlf_and_none_is_longer_than_75_octets(example_may, forums_site):
    for path in all_calendars(example_may, forums_site):
        data = path.read_bytes()
        assert data.endswith(b"\r\n"), path
        assert data.count(b"\n") == data.count(b"\r\n"), path
        assert data.count(b"\r") == data.count(b"\r\n"), path
        lines = data[:-2].split(b"\r\n")
        longest = max(lines, key=len)
        assert len(longest) <= 75, (path, longest)


def test_long_lines_with_non_ascii_text_are_folded_by_octets_and_unfold_intact(forums_site):
    data = (forums_site / "forums/clocks-change-2010-03-28.ics").read_bytes()
    assert any(line.startswith(b" ") for line in data.split(b"\r\n")), "the long lines should have been folded"
    event = the_event(data)
    assert str(event["SUMMARY"]) == "Forum on the day the clocks change — “whole area” budgets, £82 billion and naïve cafés"
    assert str(event["DESCRIPTION"]).endswith("over £82 billion — ééééééééééééééééééééééééééééé.")


def test_the_uid_is_the_forum_id_at_the_id_domain_and_does_not_change_with_the_host(example_may, tmp_path):
    assert str(the_event((example_may / "forums.ics").read_bytes())["UID"]) == UID

    moved = tmp_path / "moved"
    for folder in ("content", "data", "templates", "static"):
        shutil.copytree(PROJECT / folder, moved / folder)
    settings = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    old_url = 'url = "https://sustainable-neighbourhoods.example.org/"'
    assert settings.count(old_url) == 1
    (moved / "pyproject.toml").write_text(settings.replace(old_url, 'url = "https://cn4m.example.net/blog/"'), encoding="utf-8")
    result = TinySite(moved).build("--now", "2010-05-01")
    assert result.code == 0, result.err

    for name in ("forums.ics", f"forums/{FORUM}.ics"):
        event = the_event((moved / "site" / name).read_bytes())
        assert str(event["UID"]) == UID
        assert str(event["URL"]) == f"https://cn4m.example.net/blog/forums/{FORUM}/"


def test_dtstamp_is_utc_and_the_calendars_do_not_change_with_the_build_date(example_may, example_june):
    for name in ("forums.ics", f"forums/{FORUM}.ics"):
        may, june = (example_may / name).read_bytes(), (example_june / name).read_bytes()
        stamps = [line for line in unfolded(may) if line.startswith("DTSTAMP")]
        assert stamps == ["DTSTAMP:20100422T230000Z"]  # `updated: 2010-04-23`, midnight in London (BST)
        assert [line for line in unfolded(june) if line.startswith("DTSTAMP")] == stamps
        assert may == june


def test_start_and_end_are_in_london_time_with_its_vtimezone(example_may):
    data = (example_may / "forums.ics").read_bytes()
    lines = unfolded(data)
    assert "DTSTART;TZID=Europe/London:20100518T180000" in lines
    assert "DTEND;TZID=Europe/London:20100518T200000" in lines
    zones = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]


def test_a_forum_on_the_day_the_clocks_went_forward_starts_at_six_in_the_evening_british_summer_time(forums_site):
    data = (forums_site / "forums/clocks-change-2010-03-28.ics").read_bytes()
    assert "DTSTART;TZID=Europe/London:20100328T180000" in unfolded(data)
    seventeen_utc = datetime(2010, 3, 28, 17, 0, tzinfo=timezone.utc)
    assert the_event(data).decoded("DTSTART") == seventeen_utc
    assert events_by_vobject(data)[0]["start"] == seventeen_utc
    assert events_by_vobject(data)[0]["end"] == datetime(2010, 3, 28, 19, 0, tzinfo=timezone.utc)

    page = forums_site / "forums/clocks-change-2010-03-28/index.html"
    event = next(d for d in json_ld(page) if d["@type"] == "Event")
    assert event["startDate"] == "2010-03-28T18:00:00+01:00"
    assert event["endDate"] == "2010-03-28T20:00:00+01:00"
    assert "Sunday 28 March 2010, 6–8pm" in read(page)


def test_a_cancelled_forum_says_so_in_its_calendar_its_page_and_its_structured_data(forums_site):
    event = the_event((forums_site / "forums/called-off-2010-04-20.ics").read_bytes())
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["DESCRIPTION"]).startswith("This forum has been cancelled.")
    whole = {e["uid"]: e["status"] for e in events_by_icalendar((forums_site / "forums.ics").read_bytes())}
    assert whole == {"clocks-change-2010-03-28@example.org": "CONFIRMED", "called-off-2010-04-20@example.org": "CANCELLED"}

    page = forums_site / "forums/called-off-2010-04-20/index.html"
    assert "<strong>This forum has been cancelled.</strong>" in main_of(page)
    data = next(d for d in json_ld(page) if d["@type"] == "Event")
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert 'called-off-2010-04-20/">A forum that was called off</a> <strong class="status">Cancelled</strong>' in main_of(forums_site / "forums/index.html")


def test_the_sequence_rises_when_updated_is_moved_forward(tmp_path):
    site = forums_tiny(tmp_path)
    assert site.build("--now", "2010-03-01").code == 0
    before = int(the_event((site.out / "forums/called-off-2010-04-20.ics").read_bytes())["SEQUENCE"])
    stamp_before = the_event((site.out / "forums/called-off-2010-04-20.ics").read_bytes()).decoded("DTSTAMP")

    site.write("data/pilots.yaml", FORUMS_REGISTRY.replace("updated: 2010-04-01 12:00", "updated: 2010-04-01 12:05"))
    assert site.build("--now", "2010-03-01").code == 0
    after = the_event((site.out / "forums/called-off-2010-04-20.ics").read_bytes())
    assert int(after["SEQUENCE"]) > before
    assert after.decoded("DTSTAMP") > stamp_before
    # The other forum did not change, so neither did its revision.
    unchanged = the_event((site.out / "forums/clocks-change-2010-03-28.ics").read_bytes())
    assert unchanged.decoded("DTSTAMP") == datetime(2010, 3, 1, 0, 0, tzinfo=timezone.utc)


# --- upcoming and past, decided by --now ---------------------------------------------------------

def sections(page: Path) -> tuple[str, str]:
    """The 'Coming up' and 'Past forums' parts of /forums/."""
    text = main_of(page)
    upcoming, _, past = text.partition("<h2>Past forums</h2>")
    assert "<h2>Coming up</h2>" in upcoming
    return upcoming, past


def test_before_the_forum_it_is_coming_up_on_the_forums_page_and_the_home_page(example_may):
    upcoming, past = sections(example_may / "forums/index.html")
    link = f'<a href="/forums/{FORUM}/">Sustainable Neighbourhoods Forum</a>'
    assert link in upcoming
    assert past == ""
    assert "No forums are coming up" not in upcoming
    home = main_of(example_may / "index.html")
    assert '<h2 id="upcoming-forums">Coming up</h2>' in home
    assert link in home
    assert "Tuesday 18 May 2010, 6–8pm" in home


def test_after_the_forum_it_is_under_past_forums_by_year_and_gone_from_the_home_page(example_june):
    upcoming, past = sections(example_june / "forums/index.html")
    link = f'<a href="/forums/{FORUM}/">Sustainable Neighbourhoods Forum</a>'
    assert "No forums are coming up at the moment." in upcoming
    assert link not in upcoming
    year = past[past.index('<h3 id="past-2010">2010</h3>'):]
    assert link in year
    home = main_of(example_june / "index.html")
    assert "upcoming-forums" not in home
    assert f"/forums/{FORUM}/" not in home
    assert "This forum has taken place." in main_of(example_june / FORUM_PAGE)


def test_a_forum_in_progress_at_the_build_time_is_still_coming_up(tmp_path):
    out = build_example(tmp_path / "site", "2010-05-18T18:30+01:00")
    upcoming, past = sections(out / "forums/index.html")
    assert f"/forums/{FORUM}/" in upcoming
    assert past == ""


def test_a_forum_that_has_just_ended_is_past(tmp_path):
    out = build_example(tmp_path / "site", "2010-05-18T20:00+01:00")
    upcoming, past = sections(out / "forums/index.html")
    assert f"/forums/{FORUM}/" not in upcoming
    assert f"/forums/{FORUM}/" in past


def test_coming_up_lists_the_soonest_forum_first(forums_site):
    upcoming, past = sections(forums_site / "forums/index.html")
    assert upcoming.index("clocks-change-2010-03-28") < upcoming.index("called-off-2010-04-20")
    assert past == ""


# --- the forum page --------------------------------------------------------------------------------

def test_the_forum_page_writes_out_the_date_and_time(example_may):
    # data-pagefind-meta: the search index shows the same words as the date of the forum's result.
    assert ('<time datetime="2010-05-18T18:00:00+01:00" data-pagefind-meta="date, datetime[datetime]">'
            'Tuesday 18 May 2010, 6–8pm</time>') in main_of(example_may / FORUM_PAGE)


def test_the_forum_page_gives_the_venue_with_unconfirmed_parts_marked_and_an_openstreetmap_link(example_may):
    page = main_of(example_may / FORUM_PAGE)
    assert ("Friends Meeting House<br>6 Mount Street <span class=\"unconfirmed\">(unconfirmed)</span><br>Manchester<br>"
            "M2 5NS <span class=\"unconfirmed\">(unconfirmed)</span>") in page
    assert re.search(r'<a href="https://www\.openstreetmap\.org/search\?query=Friends%20Meeting%20House[^"]*">'
                     r"Find the venue on OpenStreetMap</a>", page)


def test_the_forum_page_has_its_description_and_what_it_concerns(example_may):
    page = main_of(example_may / FORUM_PAGE)
    assert "A community forum themed around one of the Greater Manchester City Region" in page
    assert '<a href="/pilots/gm-city-region/">Greater Manchester City Region pilot</a>' in page


def test_the_forum_page_links_to_its_own_calendar_and_subscribes_to_all_forums_by_webcal(example_may):
    page = main_of(example_may / FORUM_PAGE)
    assert f'<a href="/forums/{FORUM}.ics" download>Add to calendar</a>' in page
    assert '<a href="webcal://sustainable-neighbourhoods.example.org/forums.ics">Subscribe to all forums</a>' in page
    assert (example_may / f"forums/{FORUM}.ics").is_file()
    assert (example_may / "forums.ics").is_file()


def test_a_scheduled_upcoming_forum_page_shows_no_notice(example_may):
    page = main_of(example_may / FORUM_PAGE)
    assert "This forum has been cancelled" not in page
    assert "This forum has taken place" not in page

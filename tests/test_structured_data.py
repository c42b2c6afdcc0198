"""JSON-LD (schema.org) and the pilots pages of the example site, built into a temporary folder.

The JSON-LD blocks are found with html.parser and read with json.loads, as a search engine would.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from placepress.structured import indented_json

FORUM_PAGE = "forums/sustainable-neighbourhoods-2010-05-18/index.html"
POST_PAGE = "2010/04/23/total-place-and-the-city-region-pilots/index.html"
ORIGIN = "https://sustainable-neighbourhoods.example.org"
ORGANISATION = {"@type": "Organization", "name": "Community Network for Manchester (CN4M)", "url": f"{ORIGIN}/"}

TOTAL_PLACE_AREAS = [
    "Birmingham", "Bradford", "Coventry, Solihull and Warwickshire", "Croydon", "Dorset, Poole and Bournemouth",
    "Durham", "Kent", "Leicester and Leicestershire", "Lewisham", "Luton and Central Bedfordshire",
    "Manchester City Region including Warrington", "South of Tyne", "Worcestershire",
]
MANCHESTER_PLACES = ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
                     "Tameside", "Trafford", "Wigan", "Warrington"]


class _PageReader(HTMLParser):
    """JSON-LD blocks, and the rows of each table's body as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.json_ld: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._script = False
        self._tbody = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._script = True
            self.json_ld.append("")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self._tbody = True
        elif tag == "tr" and self._tbody:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self._tbody:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False
        elif tag == "tbody":
            self._tbody = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._script:
            self.json_ld[-1] += data
        if self._cell is not None:
            self._cell.append(data)


def read_page(path: Path) -> _PageReader:
    reader = _PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def json_ld(path: Path) -> list[dict]:
    return [json.loads(block) for block in read_page(path).json_ld]


def only(blocks: list[dict], kind: str) -> dict:
    found = [b for b in blocks if b.get("@type") == kind]
    assert len(found) == 1, [b.get("@type") for b in blocks]
    return found[0]


def main_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<main"):text.index("</main>")]


def has_utc_offset(stamp: str) -> bool:
    return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d", stamp) is not None


# --- Event on the forum page -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def event(example_site) -> dict:
    return only(json_ld(example_site / FORUM_PAGE), "Event")


def test_the_forum_page_has_one_event_with_its_name_and_address(event):
    assert event["@context"] == "https://schema.org"
    assert event["name"] == "Sustainable Neighbourhoods Forum"
    assert event["url"] == f"{ORIGIN}/forums/sustainable-neighbourhoods-2010-05-18/"


def test_the_event_start_and_end_carry_a_utc_offset(event):
    assert event["startDate"] == "2010-05-18T18:00:00+01:00"
    assert event["endDate"] == "2010-05-18T20:00:00+01:00"
    assert has_utc_offset(event["startDate"]) and has_utc_offset(event["endDate"])
    assert datetime.fromisoformat(event["endDate"]) > datetime.fromisoformat(event["startDate"])


def test_the_event_has_its_status_and_attendance_mode(event):
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_the_event_location_is_a_place_with_a_postal_address_of_its_confirmed_parts(event):
    assert event["location"] == {
        "@type": "Place",
        "name": "Friends Meeting House",
        "address": {"@type": "PostalAddress", "addressLocality": "Manchester", "addressCountry": "GB"},
    }


def test_the_event_organizer_is_the_organisation(event):
    assert event["organizer"] == ORGANISATION


def test_unconfirmed_venue_parts_are_left_out_of_the_structured_data(example_site):
    blocks = read_page(example_site / FORUM_PAGE).json_ld
    assert blocks
    for block in blocks:
        assert "6 Mount Street" not in block
        assert "M2 5NS" not in block
        assert "unconfirmed" not in block
    # The page itself still shows them, marked.
    assert "6 Mount Street <span class=\"unconfirmed\">(unconfirmed)</span>" in main_of(example_site / FORUM_PAGE)


def test_the_event_block_cannot_be_closed_early_by_the_text_in_it(example_site):
    text = (example_site / FORUM_PAGE).read_text(encoding="utf-8")
    for block in read_page(example_site / FORUM_PAGE).json_ld:
        assert "</" not in block and "<" not in block
    assert text.count('<script type="application/ld+json">') == 1


JSON_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)  # any character: quotes, controls, "<", "\u2028"
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | JSON_TEXT
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                           | st.dictionaries(JSON_TEXT, inner, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_the_structured_data_is_written_as_json_dumps_writes_it(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


@pytest.mark.parametrize("value", [{1: "a", "b": 2}, {"a": {None: 1}}, [1, {"x": object()}], {"a": datetime(2010, 1, 1)}])
def test_structured_data_that_only_json_dumps_can_write_or_refuse_is_left_to_it(value):
    try:
        expected = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    except TypeError as error:
        with pytest.raises(TypeError, match=re.escape(str(error))):
            indented_json(value)
    else:
        assert indented_json(value) == expected


def test_structured_data_that_holds_itself_is_refused_as_json_dumps_refuses_it():
    looped: dict = {"a": []}
    looped["a"].append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        indented_json(looped)


# --- BlogPosting on the post page, Organization on the home page ----------------------------------

def test_the_post_page_has_a_blog_posting_with_absolute_urls(example_site):
    posting = only(json_ld(example_site / POST_PAGE), "BlogPosting")
    url = f"{ORIGIN}/2010/04/23/total-place-and-the-city-region-pilots/"
    assert posting["@context"] == "https://schema.org"
    assert posting["headline"] == "Total Place and the Manchester City Region pilots"
    assert posting["datePublished"] == "2010-04-23T00:00:00+01:00"
    assert has_utc_offset(posting["datePublished"])
    assert posting["author"] == ORGANISATION
    assert posting["publisher"] == ORGANISATION
    assert posting["url"] == url
    assert posting["mainEntityOfPage"] == url


def test_the_home_page_has_the_organization(example_site):
    organisation = only(json_ld(example_site / "index.html"), "Organization")
    assert organisation == {"@context": "https://schema.org", **ORGANISATION,
                            "description": "Following public-service reform in Manchester: Total Place and the City Region pilot"}


def test_each_page_carries_only_its_own_kind_of_structured_data(example_site):
    assert [b["@type"] for b in json_ld(example_site / "index.html")] == ["Organization"]
    assert [b["@type"] for b in json_ld(example_site / POST_PAGE)] == ["BlogPosting"]
    assert [b["@type"] for b in json_ld(example_site / FORUM_PAGE)] == ["Event"]


# --- the pilots pages ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pilots_rows(example_site) -> list[list[str]]:
    tables = read_page(example_site / "pilots/index.html").tables
    assert len(tables) == 1, "one table: the Total Place areas"
    return tables[0]


def test_the_pilots_page_has_a_table_of_the_thirteen_total_place_areas(pilots_rows):
    assert len(pilots_rows) == 13
    assert [row[0] for row in pilots_rows] == TOTAL_PLACE_AREAS
    assert all(len(row) == 4 for row in pilots_rows)


def test_the_pilots_table_gives_area_region_themes_and_confidence(example_site, pilots_rows):
    head = main_of(example_site / "pilots/index.html")
    assert '<th scope="col">Area</th><th scope="col">Region</th><th scope="col">Themes</th><th scope="col">Confidence</th>' in head
    kent = next(row for row in pilots_rows if row[0] == "Kent")
    assert kent == ["Kent", "South East", "Gateway (access to services); single asset management; Margate Task Force", "Confirmed"]


def test_bradfords_themes_are_marked_unconfirmed(pilots_rows):
    bradford = next(row for row in pilots_rows if row[0] == "Bradford")
    assert bradford == ["Bradford", "Yorkshire and the Humber", "support for people leaving care, prison and hospital (unconfirmed)",
                        "Confirmed; themes unconfirmed"]


def test_lewishams_themes_are_not_recorded(pilots_rows):
    lewisham = next(row for row in pilots_rows if row[0] == "Lewisham")
    assert lewisham[2] == "Not recorded (Four themes; their names are not recorded.)"


def test_the_pilots_page_lists_the_city_region_pilot_with_its_known_sub_pilots(example_site):
    page = main_of(example_site / "pilots/index.html")
    section = page[page.index('id="programme-gm-city-region"'):]
    assert '<a href="/pilots/gm-city-region/">Greater Manchester City Region pilot</a>' in section
    assert "<h3>Known sub-pilots</h3>" in section
    for name in ("Children&#39;s services", "Skills", "Young people", "Housing", "Science and research", "Employment", "Early years"):
        assert f"<li>{name}</li>" in section
    assert '<a href="/pilots/manchester-warrington/">Total Place (the Manchester City Region pilot area)</a>' in section


def test_every_area_has_a_page_linked_from_the_table(example_site):
    page = main_of(example_site / "pilots/index.html")
    links = re.findall(r'<th scope="row"><a href="/pilots/([a-z0-9-]+)/">', page)
    assert len(links) == 13
    for ident in links:
        assert (example_site / f"pilots/{ident}/index.html").is_file()


def test_the_manchester_page_lists_its_eleven_places_and_links_to_the_post_naming_it(example_site):
    page = main_of(example_site / "pilots/manchester-warrington/index.html")
    assert f"<dd>{', '.join(MANCHESTER_PLACES)}. The ten Greater Manchester boroughs" in page
    assert len(MANCHESTER_PLACES) == 11
    assert ('<a href="/2010/04/23/total-place-and-the-city-region-pilots/">Total Place and the Manchester City Region pilots</a>, '
            '<time datetime="2010-04-23T00:00:00+01:00">Friday 23 April 2010</time>') in page


def test_the_manchester_page_shows_its_facts_and_sources(example_site):
    page = main_of(example_site / "pilots/manchester-warrington/index.html")
    assert "<dt>Region</dt>\n    <dd>North West</dd>" in page
    assert '<dt>Lead</dt>\n    <dd><span class="not-recorded">Not recorded</span></dd>' in page
    assert "<li>early years, 0–5, including pre-birth</li>" in page
    assert '<p>A pilot area of <a href="/pilots/total-place/">Total Place</a>.</p>' in page
    assert "<li>Sustainable Neighbourhoods, Total Place and the Manchester City Region pilots, 2010-04-23</li>" in page


def test_the_city_region_page_lists_the_forum_about_it(example_site):
    page = main_of(example_site / "pilots/gm-city-region/index.html")
    assert '<a href="/forums/sustainable-neighbourhoods-2010-05-18/">Sustainable Neighbourhoods Forum</a>' in page


def test_the_bradford_page_marks_its_themes_unconfirmed(example_site):
    page = main_of(example_site / "pilots/bradford/index.html")
    assert '<span class="unconfirmed">(unconfirmed)</span> These themes come from a single secondary source.' in page


def test_the_lewisham_page_says_its_themes_are_not_recorded(example_site):
    page = main_of(example_site / "pilots/lewisham/index.html")
    assert '<span class="not-recorded">Not recorded</span>. Four themes; their names are not recorded.' in page


def test_the_post_page_links_back_to_the_pilot_it_names(example_site):
    footer = main_of(example_site / POST_PAGE)
    assert ('<p>Pilots in this post: <a href="/pilots/manchester-warrington/">'
            "Manchester City Region including Warrington</a></p>") in footer


def test_the_pilots_and_forums_pages_are_in_the_main_navigation(example_site):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="/pilots/">Pilots</a></li>' in home
    assert '<li><a href="/forums/">Forums</a></li>' in home

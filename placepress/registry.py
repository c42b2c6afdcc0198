"""The pilots registry, data/pilots.yaml: programmes, pilot areas and forums.

Read like content: every mistake is a problem at its YAML line, the schema
(data/pilots.schema.json) first, then what a schema cannot say: ids unique,
references that resolve, a forum that ends after it starts, a real time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .fields import parse_when, why_not_when
from .problems import Problem, did_you_mean
from .schema import check_against_schema, load_schema
from .yamlnodes import Map, Node, Scalar, Seq, parse_yaml, to_plain

PATH = "data/pilots.yaml"
SCHEMA = "data/pilots.schema.json"


@dataclass(frozen=True)
class Sourced:
    """A fact with how sure we are of it: 'confirmed' or 'likely' (shown as unconfirmed)."""

    text: str
    confidence: str = "confirmed"

    @property
    def confirmed(self) -> bool:
        return self.confidence == "confirmed"


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    date: str = ""


@dataclass(frozen=True)
class SubPilot:
    id: str
    name: str
    area: str = ""


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    summary: str
    started: str
    started_note: str
    facts: tuple[Sourced, ...]
    sub_pilots: tuple[SubPilot, ...]
    sub_pilots_note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    region: str
    programme: str
    lead: str
    covers: tuple[str, ...]
    covers_note: str
    themes: tuple[str, ...]
    themes_confidence: str
    themes_note: str
    confidence: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Venue:
    name: Sourced
    address: Sourced | None
    town: Sourced | None
    postcode: Sourced | None
    note: str

    @property
    def parts(self) -> tuple[Sourced, ...]:
        return tuple(p for p in (self.name, self.address, self.town, self.postcode) if p)


@dataclass(frozen=True)
class Forum:
    id: str
    title: str
    start: datetime
    end: datetime
    timezone: str
    start_note: str
    venue: Venue
    description: str
    concerns: tuple[str, ...]
    booking: str
    status: str
    updated: datetime

    @property
    def sequence(self) -> int:
        """The calendar revision (iCalendar SEQUENCE): minutes from 2000 to `updated`.
        It rises whenever an editor moves `updated` forward, which they do with every change."""
        return int((self.updated - datetime(2000, 1, 1, tzinfo=timezone.utc)).total_seconds() // 60)


@dataclass(frozen=True)
class Registry:
    programmes: tuple[Programme, ...] = ()
    areas: tuple[Area, ...] = ()
    forums: tuple[Forum, ...] = ()
    declared: tuple[str, ...] = ()
    """Ids read from a file that has other mistakes, so that posts naming them are not
    wrongly reported too; empty when the records themselves could be built."""

    @property
    def ids(self) -> dict[str, str]:
        """Every id a post or a forum may name, with what it names ('area', 'programme', 'sub-pilot')."""
        found = dict.fromkeys(self.declared, "id")
        found.update({p.id: "programme" for p in self.programmes})
        found.update({s.id: "sub-pilot" for p in self.programmes for s in p.sub_pilots})
        found.update({a.id: "area" for a in self.areas})
        return found

    def programme(self, ident: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == ident), None)

    def owner_of(self, ident: str) -> Programme | Area | None:
        """The record with a page for this id: a sub-pilot lives on its programme's page."""
        for area in self.areas:
            if area.id == ident:
                return area
        for programme in self.programmes:
            if programme.id == ident or any(s.id == ident for s in programme.sub_pilots):
                return programme
        return None


def load_registry(root: Path, default_zone: str) -> tuple[Registry, list[Problem]]:
    """The registry, or an empty one when the site keeps none."""
    path = root / PATH
    if not path.exists():
        return Registry(), []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Registry(), [Problem(PATH, line, "the file is not UTF-8 text; save it as UTF-8")]
    try:
        schema = load_schema(root / SCHEMA)
    except FileNotFoundError:
        return Registry(), [Problem(SCHEMA, 0, f"the schema of {PATH} is missing; restore it from the project's history")]
    except ValueError as error:  # json.JSONDecodeError
        return Registry(), [Problem(SCHEMA, getattr(error, "lineno", 0), f"the schema is not valid JSON: {getattr(error, 'msg', error)}")]
    return parse_registry(text, schema, default_zone)


def parse_registry(text: str, schema: dict[str, Any], default_zone: str, path: str = PATH) -> tuple[Registry, list[Problem]]:
    """Pure: the registry from the YAML text and its schema."""
    root, problems = parse_yaml(text, path, aliases=True)
    if root is None:
        return Registry(), problems or [Problem(path, 1, "the registry is empty; it needs 'programmes' and 'areas'")]
    problems += check_against_schema(root, schema, path)
    if problems:
        return Registry(declared=_declared_ids(root)), problems
    registry, time_problems = _build(root, default_zone, path)
    return registry, time_problems + check_references(root, registry, path)


def _build(root: Map, default_zone: str, path: str) -> tuple[Registry, list[Problem]]:
    data = to_plain(root)
    programmes = tuple(_programme(p) for p in data.get("programmes", []))
    areas = tuple(_area(a) for a in data.get("areas", []))
    forums, problems = [], []
    forum_nodes = root.get("forums")
    for index, raw in enumerate(data.get("forums", [])):
        node = forum_nodes.value.items[index]
        forum, forum_problems = _forum(raw, node, default_zone, path)
        problems += forum_problems
        if forum:
            forums.append(forum)
    return Registry(programmes, areas, tuple(forums)), problems


def _sources(raw: list[dict]) -> tuple[Source, ...]:
    return tuple(Source(s["title"], s.get("url", ""), s.get("date", "")) for s in raw)


def _programme(raw: dict) -> Programme:
    return Programme(raw["id"], raw["name"], raw["summary"].strip(), raw.get("started", ""), raw.get("started_note", ""),
                     tuple(Sourced(f["text"], f["confidence"]) for f in raw.get("facts", [])),
                     tuple(SubPilot(s["id"], s["name"], s.get("area", "")) for s in raw.get("sub_pilots", [])),
                     raw.get("sub_pilots_note", "").strip(), _sources(raw["sources"]))


def _area(raw: dict) -> Area:
    return Area(raw["id"], raw["name"], raw["region"], raw["programme"], raw.get("lead", ""),
                tuple(raw.get("covers", [])), raw.get("covers_note", ""), tuple(raw.get("themes", [])),
                raw.get("themes_confidence", "confirmed"), raw.get("themes_note", ""), raw["confidence"],
                _sources(raw["sources"]))


def _part(raw: dict | None) -> Sourced | None:
    return Sourced(raw["text"], raw["confidence"]) if raw else None


def _forum(raw: dict, node: Map, default_zone: str, path: str) -> tuple[Forum | None, list[Problem]]:
    line = lambda key: node.get(key).line if node.get(key) else node.line  # noqa: E731
    zone_name = raw.get("timezone", default_zone)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None, [Problem(path, line("timezone"), f"'timezone' of forum '{raw['id']}' must be an IANA time zone such as "
                                                      f"'Europe/London', found '{zone_name}'{_zone_hint(zone_name)}")]
    moments, problems = {}, []
    for key in ("start", "end", "updated"):
        text = raw[key] + ("-01" if len(raw[key]) == 7 else "")
        moments[key] = parse_when(text, zone)
        if moments[key] is None:  # the schema's pattern allows 2010-02-30; the calendar does not
            why = why_not_when(text) or "is not a real date"
            problems.append(Problem(path, line(key), f"'{key}' of forum '{raw['id']}' {why}, found '{raw[key]}'"))
    if problems:
        return None, problems
    start, end, updated = moments["start"], moments["end"], moments["updated"]
    if end <= start:
        how = "ends when it starts" if end == start else "ends before it starts"
        problems.append(Problem(path, line("end"), f"forum '{raw['id']}' {how}: end {raw['end']}, start {raw['start']} (line {line('start')}); "
                                                   "it must end after it starts"))
    venue = raw["venue"]
    forum = Forum(raw["id"], raw["title"], start, end, zone_name, raw.get("start_note", ""),
                  Venue(_part(venue["name"]), _part(venue.get("address")), _part(venue.get("town")),
                        _part(venue.get("postcode")), venue.get("note", "")),
                  raw.get("description", "").strip(), tuple(raw.get("concerns", [])), raw.get("booking", ""),
                  raw["status"], updated)
    return forum, problems


def _zone_hint(name: str) -> str:
    zones = available_timezones()
    # Only a difference of case is suggested: a near spelling of a city is usually another city.
    same = next((z for z in sorted(zones) if z.lower() == name.lower()), None)
    return f" (did you mean '{same}'?)" if same else ""


def check_references(root: Map, registry: Registry, path: str) -> list[Problem]:
    """Ids unique across the file (both lines named); every id named elsewhere exists."""
    problems = []
    seen: dict[str, int] = {}
    for ident, line, _ in _ids(root):
        if ident in seen:
            problems.append(Problem(path, line, f"the id '{ident}' is used twice: here and on line {seen[ident]}; ids must be unique"))
        else:
            seen[ident] = line
    known = registry.ids
    programmes = {p.id for p in registry.programmes}
    areas = {a.id for a in registry.areas}
    for ident, line, what in _references(root):
        choices = {"programme": programmes, "area": areas}.get(what, known)
        if ident not in choices:
            problems.append(Problem(path, line, f"'{ident}' is not the id of any {what}{did_you_mean(ident, choices)}"))
    return problems


def _declared_ids(root: Node) -> tuple[str, ...]:
    """Whatever ids can be read from a file that failed its schema check."""
    found = []

    def walk(node):
        if isinstance(node, Map):
            entry = node.get("id")
            if entry and isinstance(entry.value, Scalar):
                found.append(entry.value.text)
            for item in node.entries:
                walk(item.value)
        elif isinstance(node, Seq):
            for item in node.items:
                walk(item)
    walk(root)
    return tuple(found)


def _items(root: Map, key: str) -> tuple[Node, ...]:
    entry = root.get(key)
    return entry.value.items if entry else ()


def _ids(root: Map):
    """(id, line, list) for every record with an id."""
    for key in ("programmes", "areas", "forums"):
        for item in _items(root, key):
            yield item.get("id").value.text, item.get("id").value.line, key
            if key == "programmes":
                for sub in _items(item, "sub_pilots"):
                    yield sub.get("id").value.text, sub.get("id").value.line, "sub_pilots"


def _references(root: Map):
    """(id, line, kind) for every id that must name something else in the file."""
    for area in _items(root, "areas"):
        entry = area.get("programme")
        yield entry.value.text, entry.value.line, "programme"
    for programme in _items(root, "programmes"):
        for sub in _items(programme, "sub_pilots"):
            if sub.get("area"):
                yield sub.get("area").value.text, sub.get("area").value.line, "area"
    for forum in _items(root, "forums"):
        for ident in _items(forum, "concerns"):
            yield ident.text, ident.line, "programme, area or sub-pilot"

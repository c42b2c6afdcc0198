"""The pilots registry, data/pilots.yaml: programmes, pilot areas and forums.

Read like content: every mistake is a problem at its YAML line, the schema
(data/pilots.schema.json) first, then what a schema cannot say: ids unique,
references that resolve, a forum that ends after it starts, a real time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .dates import parse_when
from .fields import why_not_when
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
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """The line of each field in data/pilots.yaml, for reports."""

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
    unreadable: bool = False
    """The file could not be read at all (a YAML syntax error): which ids it holds is unknown,
    so posts' pilot ids are not checked against it (its own problem is the cause to report)."""

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
        return Registry(unreadable=True), [Problem(PATH, line, "the file is not UTF-8 text; save it as UTF-8")]
    try:
        schema = load_schema(root / SCHEMA)
    except FileNotFoundError:
        return Registry(unreadable=True), [Problem(SCHEMA, 0, f"the schema of {PATH} is missing; restore it from the project's history")]
    except ValueError as error:  # json.JSONDecodeError
        return Registry(unreadable=True), [Problem(SCHEMA, getattr(error, "lineno", 0), f"the schema is not valid JSON: {getattr(error, 'msg', error)}")]
    return parse_registry(text, schema, default_zone)


def parse_registry(text: str, schema: dict[str, Any], default_zone: str, path: str = PATH) -> tuple[Registry, list[Problem]]:
    """Pure: the registry from the YAML text and its schema. Every check runs in one round,
    wherever the data allows it: what a schema cannot say (ids, references, times) is checked
    on the records that can be read, even when others fail the schema."""
    root, problems = parse_yaml(text, path, aliases=True)
    if root is None:
        return Registry(unreadable=True), problems or [Problem(path, 1, "the registry is empty; it needs 'programmes' and 'areas'")]
    problems += check_against_schema(root, schema, path)
    reported = {p.line for p in problems}
    problems += [p for p in check_references(root, path) + check_forums(root, default_zone, path) if p.line not in reported]
    if problems:
        return Registry(declared=_declared_ids(root)), problems
    return _build(root, default_zone), []


def _build(root: Map, default_zone: str) -> Registry:
    """The records of a registry that has passed every check."""
    data = to_plain(root)
    programmes = tuple(_programme(p) for p in data.get("programmes", []))
    areas = tuple(_area(a) for a in data.get("areas", []))
    forums = tuple(_forum(raw, node, default_zone) for raw, node in zip(data.get("forums", []), _items(root, "forums")))
    return Registry(programmes, areas, forums)


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


def _forum(raw: dict, node: Map, default_zone: str) -> Forum:
    zone_name, moments, _ = forum_times(node, default_zone, PATH)
    venue = raw["venue"]
    return Forum(raw["id"], raw["title"], moments["start"], moments["end"], zone_name, raw.get("start_note", ""),
                 Venue(_part(venue["name"]), _part(venue.get("address")), _part(venue.get("town")),
                       _part(venue.get("postcode")), venue.get("note", "")),
                 raw.get("description", "").strip(), tuple(raw.get("concerns", [])), raw.get("booking", ""),
                 raw["status"], moments["updated"], {entry.key: entry.line for entry in node.entries})


def check_forums(root: Node, default_zone: str, path: str) -> list[Problem]:
    """Each forum's time zone is real, its times are real, and it ends after it starts."""
    problems = []
    for node in _items(root, "forums"):
        problems += forum_times(node, default_zone, path)[2]
    return problems


def forum_times(node: Node, default_zone: str, path: str) -> tuple[str, dict[str, datetime | None], list[Problem]]:
    """A forum's time zone, its start, end and updated moments (None where unreadable), and the
    problems with them; what is missing or not text is the schema's to report."""
    ident = _text(node, "id") or "?"
    line = lambda key: node.get(key).line if isinstance(node, Map) and node.get(key) else getattr(node, "line", 0)  # noqa: E731
    zone_name = _text(node, "timezone") if isinstance(node, Map) and node.get("timezone") else default_zone
    try:
        zone = ZoneInfo(zone_name or "")
    except (ZoneInfoNotFoundError, ValueError):
        return zone_name or "", {}, [Problem(path, line("timezone"), f"'timezone' of forum '{ident}' must be an IANA time zone such as "
                                                                     f"'Europe/London', found '{zone_name or ''}'{_zone_hint(zone_name or '')}")]
    moments: dict[str, datetime | None] = {}
    problems = []
    for key in ("start", "end", "updated"):
        written = _text(node, key)
        text = (written or "") + ("-01" if written and len(written) == 7 else "")
        moments[key] = parse_when(text, zone) if written else None
        if written and moments[key] is None:  # the schema's pattern allows 2010-02-30; the calendar does not
            why = why_not_when(text) or "is not a real date"
            problems.append(Problem(path, line(key), f"'{key}' of forum '{ident}' {why}, found '{written}'"))
    start, end = moments.get("start"), moments.get("end")
    if start and end and end <= start:
        how = "ends when it starts" if end == start else "ends before it starts"
        problems.append(Problem(path, line("end"), f"forum '{ident}' {how}: end {_text(node, 'end')}, start {_text(node, 'start')} "
                                                   f"(line {line('start')}); it must end after it starts"))
    return zone_name or "", moments, problems


def _text(node: Node, key: str) -> str | None:
    """The text of a single value under `key`, or None when there is none."""
    entry = node.get(key) if isinstance(node, Map) else None
    if entry is None or not isinstance(entry.value, Scalar) or entry.value.tag == "null":
        return None
    return entry.value.text


def _zone_hint(name: str) -> str:
    zones = available_timezones()
    # Only a difference of case is suggested: a near spelling of a city is usually another city.
    same = next((z for z in sorted(zones) if z.lower() == name.lower()), None)
    return f" (did you mean '{same}'?)" if same else ""


def check_references(root: Node, path: str) -> list[Problem]:
    """Ids unique across the file (both lines named); every id named elsewhere exists. Read
    from the nodes, so that it runs even when some records fail the schema."""
    problems = []
    seen: dict[str, int] = {}
    kinds: dict[str, set[str]] = {"programmes": set(), "areas": set(), "sub_pilots": set(), "forums": set()}
    for ident, line, key in _ids(root):
        kinds[key].add(ident)
        if ident in seen:
            problems.append(Problem(path, line, f"the id '{ident}' is used twice: here and on line {seen[ident]}; ids must be unique"))
        else:
            seen[ident] = line
    known = kinds["programmes"] | kinds["areas"] | kinds["sub_pilots"]
    # A list that is missing or not a list is the schema's problem; what names it follows from it.
    lists = {key for key in ("programmes", "areas") if isinstance(root, Map) and root.get(key)
             and isinstance(root.get(key).value, Seq)}
    needs = {"programme": {"programmes"}, "area": {"areas"}}
    for ident, line, what in _references(root):
        choices = {"programme": kinds["programmes"], "area": kinds["areas"]}.get(what, known)
        if ident not in choices and needs.get(what, {"programmes", "areas"}) <= lists:
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


def _items(root: Node, key: str) -> tuple[Node, ...]:
    entry = root.get(key) if isinstance(root, Map) else None
    return entry.value.items if entry and isinstance(entry.value, Seq) else ()


def _scalar(node: Node, key: str) -> Scalar | None:
    entry = node.get(key) if isinstance(node, Map) else None
    return entry.value if entry and isinstance(entry.value, Scalar) and entry.value.tag != "null" else None


def _ids(root: Node):
    """(id, line, list) for every record with an id that can be read."""
    for key in ("programmes", "areas", "forums"):
        for item in _items(root, key):
            ident = _scalar(item, "id")
            if ident:
                yield ident.text, ident.line, key
            for sub in _items(item, "sub_pilots") if key == "programmes" else ():
                ident = _scalar(sub, "id")
                if ident:
                    yield ident.text, ident.line, "sub_pilots"


def _references(root: Node):
    """(id, line, kind) for every id that must name something else in the file."""
    for area in _items(root, "areas"):
        named = _scalar(area, "programme")
        if named:
            yield named.text, named.line, "programme"
    for programme in _items(root, "programmes"):
        for sub in _items(programme, "sub_pilots"):
            named = _scalar(sub, "area")
            if named:
                yield named.text, named.line, "area"
    for forum in _items(root, "forums"):
        for ident in _items(forum, "concerns"):
            if isinstance(ident, Scalar):
                yield ident.text, ident.line, "programme, area or sub-pilot"

"""Reading typed fields from a YAML mapping, with a problem for each bad one.

Each reader names the field and says in words what was expected, quoting
what was found. Values are read from the text as written, so `title: 2024`
is the title "2024", not a number.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from .dates import MONTHS, parse_when
from .model import Ref
from .problems import Problem
from .yamlnodes import Map, Node, Scalar, Seq

# '2010-5-20' is reported with the fix (parse_when, in dates.py, takes YYYY-MM-DD only).
_LOOSE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ]+)(\d{1,2}):(\d{1,2})(.*))?$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REFS: dict[tuple[str, int], Ref] = {}
"""Each (name, line) made into a Ref once: posts name the same few dozen terms on the same
lines (the bench's 10,000 posts: 57,777 uses, 87 pairs), and the pickled cache of parsed
content then holds one object for each pair, not one for each use."""


def describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a set of fields"
    if isinstance(node, Seq):
        return "a list"
    return f"'{node.text}'"


def slugify(text: str) -> str:
    """'Reports & Briefings' gives 'reports-briefings', as WordPress did."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


def why_not_when(text: str) -> str | None:
    """What is wrong with a date that is almost right, to follow the field's name ("is not a real
    day: February 2010 has 28 days"), or None when it is not shaped like a date at all."""
    match = _LOOSE_DATE.match(text.strip())
    if not match:
        return None
    year, month, day, between, hour, minute, rest = match.groups()
    if not 1 <= int(month) <= 12:
        return f"is not a real date: there is no month {int(month)}"
    days = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= days:
        return f"is not a real day: {MONTHS[int(month) - 1]} {year} has {days} days"
    if hour is not None and (int(hour) > 23 or int(minute) > 59):
        return f"is not a real time: there is no {hour}:{minute} on a 24-hour clock"
    written = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is not None:
        written += f"{between if between.strip() else ' '}{int(hour):02d}:{int(minute):02d}{rest}"
    if written == text.strip():
        return None  # well formed up to here: something after it is wrong
    return f"must be written with two digits for the month, the day and the hour: {written}" if hour is not None \
        else f"must be written with two digits for the month and the day: {written}"


class FieldReader:
    """Reads fields of one mapping, adding a problem for each bad or missing one."""

    def __init__(self, root: Map, path: str, problems: list[Problem]):
        self.root = root
        self.path = path
        self.problems = problems
        self.lines = {entry.key: entry.line for entry in root.entries}

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or self.lines.get(key, self.root.line), message))

    def _scalar(self, key: str, required: bool, expected: str) -> Scalar | None:
        entry = self.root.get(key)
        if entry is None or (isinstance(entry.value, Scalar) and entry.value.tag == "null"):
            if required:
                what = "missing" if entry is None else "empty"
                self.problem(key, f"the field '{key}' is {what}; every file here needs {expected}")
            return None
        if not isinstance(entry.value, Scalar):
            self.problem(key, f"'{key}' must be {expected}, found {describe(entry.value)}")
            return None
        return entry.value

    def text(self, key: str, required: bool = False) -> str:
        node = self._scalar(key, required, "a line of text, e.g. 'title: Our new post'")
        if node is None:
            return ""
        if required and not node.text.strip():
            self.problem(key, f"the field '{key}' is empty; write the {key} after '{key}:'")
        return node.text.strip()

    def when(self, key: str, zone: ZoneInfo, required: bool = False) -> datetime | None:
        node = self._scalar(key, required, "a date, e.g. 'date: 2010-04-23'")
        if node is None:
            return None
        value = parse_when(node.text, zone)
        if value is None:
            why = why_not_when(node.text) or ("must be a date written YYYY-MM-DD (e.g. 2010-04-23) "
                                              "or with a time (2010-04-23 18:30)")
            self.problem(key, f"'{key}' {why}, found '{node.text}'")
        return value

    def flag(self, key: str, default: bool) -> bool:
        node = self._scalar(key, False, "true or false")
        if node is None:
            return default
        if node.tag != "bool":
            quoted = node.text.lower() in ("true", "false")
            how = " without quotes" if quoted else ""
            self.problem(key, f"'{key}' must be true or false{how}, found '{node.text}'" + (" in quotes" if quoted else ""))
            return default
        return node.text.lower() in ("true", "yes", "on", "y")

    def number(self, key: str) -> int | None:
        node = self._scalar(key, False, "a whole number")
        if node is None:
            return None
        if node.tag != "int" or not node.text.lstrip("+-").isdigit():
            quoted = " in quotes; remove them" if node.text.lstrip("+-").isdigit() else ""
            self.problem(key, f"'{key}' must be a whole number, e.g. '{key}: 1', found '{node.text}'{quoted}")
            return None
        return int(node.text)

    def slug(self, key: str, default: str) -> str:
        node = self._scalar(key, False, "a slug: lowercase letters, digits and hyphens")
        if node is None:
            return default
        if not _SLUG.match(node.text):
            suggestion = slugify(node.text)
            hint = f"; try '{suggestion}'" if suggestion else ""
            self.problem(key, f"'{key}' may use only lowercase letters, digits and single hyphens, found '{node.text}'{hint}")
            return default
        return node.text

    def words(self, key: str) -> tuple[Ref, ...]:
        """A list of names; one name on its own is a list of one."""
        entry = self.root.get(key)
        if entry is None or (isinstance(entry.value, Scalar) and entry.value.tag == "null"):
            return ()
        items = (entry.value,) if isinstance(entry.value, Scalar) else getattr(entry.value, "items", None)
        if items is None:
            self.problem(key, f"'{key}' must be a list such as '{key}: [first, second]', found a set of fields")
            return ()
        refs = []
        for item in items:
            if not isinstance(item, Scalar) or not item.text.strip():
                found = describe(item) if not isinstance(item, Scalar) else "an empty item"
                self.problem(key, f"each item of '{key}' must be a name, found {found}", item.line)
                continue
            name = item.text.strip()
            ref = _REFS.get((name, item.line))
            refs.append(ref if ref is not None else _REFS.setdefault((name, item.line), Ref(name, item.line)))
        return tuple(refs)

"""Dates and times written out the British way, with no dependence on the machine's locale."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# One rule for every date an editor writes (front matter, the registry, --now): year, month
# and day in full, YYYY-MM-DD, as the docs say; '2010-5-20' is reported with the fix.
_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ]+(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_when(text: str, zone: ZoneInfo) -> datetime | None:
    """'2010-04-23', '2010-04-23 18:30' or an ISO 8601 time; local to `zone` unless an offset is given."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        naive = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if not offset:
        return naive.replace(tzinfo=zone)
    stamp = naive.isoformat() + ("+00:00" if offset in "Zz" else offset)
    return datetime.fromisoformat(stamp).astimezone(zone)


def long_date(moment: datetime) -> str:
    """'Friday 23 April 2010'."""
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def clock(moment: datetime) -> tuple[str, str]:
    """('6', 'pm') for 18:00, ('6.30', 'pm') for 18:30, ('12', 'pm') for midday."""
    hour = moment.hour % 12 or 12
    minutes = f".{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}", "am" if moment.hour < 12 else "pm"


def time_range(start: datetime, end: datetime) -> str:
    """'Tuesday 18 May 2010, 6–8pm'; '11am–1pm' across midday; both dates when it spans days."""
    first, first_half = clock(start)
    last, last_half = clock(end)
    if start.date() != end.date():
        return f"{long_date(start)}, {first}{first_half} to {long_date(end)}, {last}{last_half}"
    hours = f"{first}–{last}{last_half}" if first_half == last_half else f"{first}{first_half}–{last}{last_half}"
    return f"{long_date(start)}, {hours}"

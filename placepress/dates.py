"""Dates and times written out the British way, with no dependence on the machine's locale."""

from __future__ import annotations

from datetime import datetime

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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

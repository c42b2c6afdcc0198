"""iCalendar files for the forums, made with the icalendar library.

Everything in them comes from the registry, so two builds give the same
bytes: DTSTAMP is the forum's `updated` time in UTC, not the build's clock,
and SEQUENCE is derived from it too (see Forum.sequence).
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta, timezone
from typing import Sequence

from .registry import Forum
from .site import Site

_STATUS = {"scheduled": "CONFIRMED", "moved": "CONFIRMED", "cancelled": "CANCELLED"}
_TAGS = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|\n")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|pre|blockquote|td|th)>")


def forum_uid(site: Site, forum: Forum) -> str:
    """Stable across builds and hosts: the forum's id at the site's id domain."""
    return f"{forum.id}@{site.config.identity}"


def location_text(forum: Forum) -> str:
    """The venue on one line; what is only likely is marked, as on the page."""
    return ", ".join(part.text + ("" if part.confirmed else " (unconfirmed)") for part in forum.venue.parts)


def plain_text(rendered: str) -> str:
    """The forum's description as calendar apps show it: paragraphs apart, each on one line
    (the line breaks of the YAML source are not the editor's), list items as '- ', and nothing
    after the last word (`description: |` ends with a line break)."""
    parts = []
    for block in _BLOCK_END.split(rendered):
        words = " ".join(html.unescape(_TAGS.sub("", _BREAK.sub(" ", block))).split())
        if words:
            parts.append(("\n- " if "<li" in block else "\n\n") + words)
    return "".join(parts).strip()


def plain_description(forum: Forum, rendered: str) -> str:
    text = plain_text(rendered)
    if forum.status == "cancelled":
        text = "This forum has been cancelled.\n\n" + text
    elif forum.status == "moved":
        text = "This forum has moved: the date, time or venue here replace those given before.\n\n" + text
    return text


def forum_event(site: Site, forum: Forum, url: str, rendered: str):
    """One VEVENT (an icalendar.Event)."""
    import icalendar

    event = icalendar.Event()
    event.add("uid", forum_uid(site, forum))
    event.add("dtstamp", forum.updated.astimezone(timezone.utc))
    event.add("last-modified", forum.updated.astimezone(timezone.utc))
    event.add("sequence", forum.sequence)
    event.add("dtstart", forum.start)
    event.add("dtend", forum.end)
    event.add("summary", forum.title)
    event.add("location", location_text(forum))
    event.add("description", plain_description(forum, rendered))
    event.add("url", url)
    event.add("status", _STATUS[forum.status])
    return event


def calendar(site: Site, forums: Sequence[Forum], name: str, urls: dict[str, str], bodies: dict[str, str]) -> bytes:
    """A VCALENDAR with one VEVENT a forum and the VTIMEZONEs they use, limited to the years needed."""
    import icalendar  # imported when used: most builds take the calendars from the cache

    cal = icalendar.Calendar()
    cal.add("prodid", "-//PlacePress//Forums//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.config.timezone)
    for forum in sorted(forums, key=lambda f: (f.start, f.id)):
        cal.add_component(forum_event(site, forum, urls[forum.id], bodies[forum.id]))
    if forums:
        first = min(f.start for f in forums).date() - timedelta(days=366)
        last = max(f.end for f in forums).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))
    return cal.to_ical()

"""WordPress's dates, in the site's time zone.

An item carries its time twice: `post_date` in the old site's local time and `post_date_gmt` in
UTC. UTC is the truth and is converted to the site's zone, so a post written at 00:30 in
summer keeps its day. A draft that was never published has no UTC time
(`0000-00-00 00:00:00`), and the export does not name the old site's zone: it is learnt from the
items that have both times (the site's own zone when every offset agrees with it, else the
offset of the nearest dated item).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def parse_stamp(text: str) -> datetime | None:
    """'2010-04-23 18:30:00' as a naive datetime; None for WordPress's empty '0000-00-00 00:00:00'."""
    text = text.strip()
    if not text or text.startswith("0000"):
        return None
    for shape in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, shape)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class OldZone:
    """How the old site's local times are read when there is no UTC time beside them."""

    zone: ZoneInfo | None
    """The site's zone, when every dated item agrees with it."""
    samples: tuple[tuple[datetime, timedelta], ...] = ()
    """Otherwise (local time, its offset from UTC) of each dated item, sorted."""

    def to_utc(self, local: datetime) -> datetime:
        if self.zone is not None:
            return local.replace(tzinfo=self.zone).astimezone(timezone.utc)
        offset = timedelta(0)
        if self.samples:
            index = bisect.bisect_left(self.samples, (local, timedelta.min))
            near = [self.samples[i] for i in (index - 1, index) if 0 <= i < len(self.samples)]
            offset = min(near, key=lambda sample: abs(sample[0] - local))[1]
        return (local - offset).replace(tzinfo=timezone.utc)

    def describe(self) -> str:
        if self.zone is not None:
            return f"in {self.zone.key}, as every dated item agrees"
        offsets = sorted({offset for _, offset in self.samples})
        if len(offsets) == 1:
            return f"at UTC{_offset_words(offsets[0])}, the offset of every dated item"
        return "at the offset of the nearest dated item" if offsets else "as UTC: no item had both times to learn the old zone from"


def learn_zone(pairs: list[tuple[datetime, datetime]], site_zone: ZoneInfo) -> OldZone:
    """From (local, utc) pairs of the export's dated items."""
    if all(local.replace(tzinfo=site_zone).utcoffset() == local - utc for local, utc in pairs):
        return OldZone(site_zone)
    return OldZone(None, tuple(sorted((local, local - utc) for local, utc in pairs)))


def item_time(local_text: str, gmt_text: str, old: OldZone, site_zone: ZoneInfo) -> datetime | None:
    """The moment of an item (or comment) in the site's zone, or None when it has no date at all."""
    utc = parse_stamp(gmt_text)
    if utc is not None:
        return utc.replace(tzinfo=timezone.utc).astimezone(site_zone)
    local = parse_stamp(local_text)
    return old.to_utc(local).astimezone(site_zone) if local is not None else None


def minute(moment: datetime) -> str:
    """'2010-04-23 18:30', as the front matter and comment files write a time."""
    return f"{moment:%Y-%m-%d %H:%M}"


def _offset_words(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

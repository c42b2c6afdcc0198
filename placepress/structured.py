"""schema.org data (JSON-LD) for search engines: Event, BlogPosting, Organization.

Only confirmed facts go in: structured data has no way to say "unconfirmed",
so a likely street number or postcode is left out here (the page shows it,
marked).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from markupsafe import Markup

from .model import Post
from .pictures.html import Cover
from .registry import Forum
from .site import Site, Term

_STATUS = {"scheduled": "EventScheduled", "cancelled": "EventCancelled", "moved": "EventRescheduled"}
CONTEXT = "https://schema.org"


def json_ld(data: dict[str, Any]) -> Markup:
    """A <script type="application/ld+json"> block, safe inside HTML ('</' cannot close it)."""
    text = indented_json(data)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


_STRING = json.encoder.encode_basestring  # Python's own, in C where it has it


def indented_json(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1), the same text, sooner.
    Given an indent, json.dumps leaves its C encoder for one written in Python, made of
    generators: 1,000 post pages took 216 ms to render with it and 184 ms with this (in one
    process, as a render worker does, the median of 12). What this does not cover (keys that
    are not strings, objects JSON cannot hold, a value that holds itself) goes to json.dumps,
    to be written or refused."""
    try:
        return _indented(value, 0)
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


class _Unusual(Exception):
    pass


def _indented(value: Any, depth: int) -> str:
    if isinstance(value, str):
        return _STRING(value)
    if isinstance(value, (list, tuple, dict)):
        is_dict = isinstance(value, dict)
        opening, closing = "{}" if is_dict else "[]"
        if not value:
            return opening + closing
        step = depth + 1
        inner = "\n" + " " * step
        # A string is written here rather than by a call of this function: most values are
        # strings (1,000 posts' data in 13.4 ms instead of 15.8, the median of 15).
        if is_dict:
            try:
                pairs = sorted(value.items())
            except TypeError:  # keys that cannot be ordered: json.dumps's to refuse
                raise _Unusual from None
            items = []
            for key, item in pairs:
                if not isinstance(key, str):
                    raise _Unusual
                items.append(_STRING(key) + ": " + (_STRING(item) if isinstance(item, str) else _indented(item, step)))
        else:
            items = [_STRING(item) if isinstance(item, str) else _indented(item, step) for item in value]
        return opening + inner + ("," + inner).join(items) + "\n" + " " * depth + closing
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    raise _Unusual


def organization(site: Site) -> dict[str, Any]:
    config = site.config
    data = {"@type": "Organization", "name": config.author or config.title, "url": config.url}
    return data


def organization_data(site: Site) -> dict[str, Any]:
    return {"@context": CONTEXT, **organization(site), "description": site.config.tagline} if site.config.tagline \
        else {"@context": CONTEXT, **organization(site)}


def posting_data(site: Site, post: Post, description: str, categories: Sequence[Term], tags: Sequence[Term],
                 cover: Cover | None = None) -> dict[str, Any]:
    """The post's terms as the page shows them (their names taken here: Jinja's
    `map(attribute='name') | list`, twice a page, took a tenth of a post page's rendering time)."""
    config = site.config
    url = config.absolute_url(site.url_of(post))
    author = {"@type": "Person", "name": post.author} if post.author else organization(site)
    data = {
        "@context": CONTEXT, "@type": "BlogPosting", "headline": post.title, "url": url,
        "mainEntityOfPage": url, "datePublished": post.date.isoformat(),
        "dateModified": (post.updated or post.date).isoformat(), "author": author,
        "publisher": organization(site), "inLanguage": config.language, "identifier": post.id,
    }
    if description:
        data["description"] = description
    if categories:
        data["articleSection"] = [term.name for term in categories]
    if tags:
        data["keywords"] = ", ".join(term.name for term in tags)
    if cover:
        picture = cover.picture
        data["image"] = {"@type": "ImageObject", "url": config.absolute_url(picture.url),
                         "width": picture.width, "height": picture.height}
        if cover.alt:
            data["image"]["description"] = cover.alt
    return data


def event_data(site: Site, forum: Forum, url: str, description: str) -> dict[str, Any]:
    venue = forum.venue
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "GB"}
    for part, key in ((venue.address, "streetAddress"), (venue.town, "addressLocality"), (venue.postcode, "postalCode")):
        if part and part.confirmed:
            address[key] = part.text
    place = {"@type": "Place", "address": address}
    if venue.name.confirmed:
        place["name"] = venue.name.text
    data = {
        "@context": CONTEXT, "@type": "Event", "name": forum.title, "url": url,
        "startDate": forum.start.isoformat(), "endDate": forum.end.isoformat(),
        "eventStatus": f"{CONTEXT}/{_STATUS[forum.status]}",
        "eventAttendanceMode": f"{CONTEXT}/OfflineEventAttendanceMode",
        "location": place, "organizer": organization(site), "inLanguage": site.config.language,
    }
    if description:
        data["description"] = description
    if forum.booking:
        data["offers"] = {"@type": "Offer", "url": forum.booking}
    return data

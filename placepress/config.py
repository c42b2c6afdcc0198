"""Site settings: the [tool.placepress] table of pyproject.toml.

The schema is closed: a setting we do not know is a problem with a "did you
mean", because a misspelt setting that is silently ignored costs an editor
an afternoon.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .comments import SECTION as COMMENTS_SECTION, CommentsConfig, parse_comments
from .pictures.model import PictureSettings
from .problems import Problem, did_you_mean

SECTION = "tool.placepress"
PERMALINK_FIELDS = ("year", "month", "day", "slug")


@dataclass(frozen=True)
class Config:
    title: str = "PlacePress site"
    """The site's name, shown in every page's header and title."""
    tagline: str = ""
    """One sentence under the title; also the description of pages that have none."""
    url: str = ""
    """Where the site is published, e.g. 'https://example.org/blog/'. Required.
    Every link and asset honours its path, so a site can live under a sub-folder."""
    language: str = "en-GB"
    """The pages' language (a BCP 47 tag), used by screen readers and search engines."""
    timezone: str = "Europe/London"
    """IANA time zone that post dates and forum times are written in."""
    author: str = ""
    """The organisation or person credited for posts that name no author."""
    posts_per_page: int = 10
    """Posts on each page of the home, category and tag listings."""
    permalink: str = "/{year}/{month}/{day}/{slug}/"
    """Where a post is published: any of {year}, {month}, {day} and {slug}, starting
    and ending with '/'. The default is WordPress's, so old links keep working."""
    feed_entries: int = 20
    """How many of the latest posts each Atom feed carries."""
    comments: CommentsConfig = CommentsConfig()
    """The [tool.placepress.comments] table: which comments provider, and its settings."""
    id_domain: str = ""
    """A name for this site that never changes, used in feed entry ids and calendar UIDs so
    that readers and calendars see no duplicates when the site moves to another address.
    Defaults to the host name of `url`."""
    picture_widths: tuple[int, ...] = (480, 960, 1600)
    """The widths, in pixels, each picture is published in (never wider than it is); phones
    download the smallest that fills the screen."""
    picture_quality: int = 80
    """JPEG and WebP quality of published pictures, from 1 to 100."""
    search: bool = True
    """A search page and a search field on every page, with the index Pagefind makes; false
    leaves them out (and the seconds Pagefind takes whenever a page changes)."""

    @functools.cached_property  # asked for by every link of every page
    def base_path(self) -> str:
        """The URL's path, always ending in '/': '/' or '/blog/'."""
        path = urlsplit(self.url).path or "/"
        return path if path.endswith("/") else path + "/"

    @functools.cached_property
    def origin(self) -> str:
        """'https://example.org' without the path."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def path_url(self, path: str) -> str:
        """A site-relative path ('/2010/04/') as linked from pages: under the base path."""
        return self.base_path + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        """A site-relative path as a full address, for feeds, the sitemap and calendars."""
        return self.origin + self.path_url(path)

    @property
    def identity(self) -> str:
        return self.id_domain or urlsplit(self.url).hostname or "localhost"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def pictures(self) -> PictureSettings:
        return PictureSettings(self.picture_widths, self.picture_quality)


_KINDS = {field.name: field.type for field in fields(Config)}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read pyproject.toml in `root`; a file with no settings gives the defaults."""
    path = root / "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), [Problem("pyproject.toml", 0, "file not found; the site's settings live in its [tool.placepress] table")]
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        return Config(), [Problem("pyproject.toml", line, "the file is not UTF-8 text; save it as UTF-8")]
    return parse_config(text)


def parse_config(text: str, path: str = "pyproject.toml") -> tuple[Config, list[Problem]]:
    """Pure: the settings from the text of a pyproject.toml."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(), [_toml_problem(error, path)]
    table = data.get("tool", {}).get("placepress")
    lines = setting_lines(text)
    if not isinstance(table, dict):
        return Config(), [Problem(path, 0, "no [tool.placepress] table; add one with at least url = \"https://…/\"")]
    problems: list[Problem] = []
    values = {}
    for key, value in table.items():
        line = lines.get(key, lines.get("", 0))
        if key not in _KINDS:
            problems.append(Problem(path, line, f"unknown setting '{key}'{did_you_mean(key, _KINDS)}"))
            continue
        if key == "comments":
            comment_lines = setting_lines(text, COMMENTS_SECTION)
            comment_lines.setdefault("", line)  # written inline (comments = {…}): its own line
            values[key], comment_problems = parse_comments(value, comment_lines, path)
            problems += comment_problems
            continue
        problem = _check_setting(key, value)
        if problem:
            problems.append(Problem(path, line, problem))
        else:
            values[key] = tuple(sorted(set(value))) if isinstance(value, list) else value
    if "url" not in table:
        problems.append(Problem(path, lines.get("", 0), "the setting 'url' is missing: where will the site be published? e.g. url = \"https://example.org/\""))
    return Config(**values), problems


def setting_lines(text: str, section: str = SECTION) -> dict[str, int]:
    """Line of each `key =` in the [section] table; '' maps to the header's line.

    tomllib keeps no positions, and a setting's line is what makes a report useful.
    """
    lines: dict[str, int] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            current = line.split("#", 1)[0].strip().strip("[] ").replace(" ", "")
            if current == section:
                lines[""] = number
            elif current.startswith(section + "."):
                lines.setdefault(current[len(section) + 1:].split(".")[0], number)
            continue
        if current == section and "=" in line and not line.startswith("#"):
            key = line.split("=", 1)[0].strip().strip('"\'')
            lines.setdefault(key, number)
    return lines


def _toml_problem(error: tomllib.TOMLDecodeError, path: str) -> Problem:
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    line = int(found.group(1)) if found else 0
    if not found and "(at end of document)" in str(error):
        line = max(1, error.doc.count("\n") + (0 if error.doc.endswith("\n") else 1))
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error)) or "invalid TOML"
    hint = next((h for start, h in _TOML_HINTS.items() if message.startswith(start)), "")
    return Problem(path, line, f"TOML syntax error: {message}{hint}")


_TOML_HINTS = {
    "Illegal character '\\n'": "; is a quoted value missing its closing quote?",
    "Invalid value": "; text values must be in quotes, e.g. title = \"My site\"",
    "Expected '=' after a key in a key/value pair": "; each setting is written name = value",
}


def _check_setting(key: str, value) -> str | None:
    """The message for a bad value, or None when it is fine."""
    kind = _KINDS[key]
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return f"'{key}' must be a whole number of 1 or more, found {_toml(value)}"
        return _CHECKS.get(key, lambda v: None)(value)
    if kind == "bool":
        return None if isinstance(value, bool) else f"'{key}' must be true or false (without quotes), found {_toml(value)}"
    if kind == "tuple[int, ...]":
        if not isinstance(value, list) or not value or any(not isinstance(v, int) or isinstance(v, bool) or not 16 <= v <= 8000 for v in value):
            return f"'{key}' must be a list of widths in pixels from 16 to 8000, e.g. {key} = [480, 960, 1600], found {_toml(value)}"
        return None
    if not isinstance(value, str):
        return f"'{key}' must be text in quotes, found {_toml(value)}"
    return _CHECKS.get(key, lambda v: None)(value)


def _toml(value) -> str:
    """A value as it is spelt in TOML, not in Python."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _check_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'url' must be a full address starting with https:// (or http://), found '{value}'"
    if parts.query or parts.fragment:
        return f"'url' must not have a '?' or '#' part, found '{value}'"
    return None


def _check_timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'timezone' must be an IANA time zone such as 'Europe/London', found '{value}'"
    return None


def _check_language(value: str) -> str | None:
    if not _LANGUAGE.match(value):
        return f"'language' must be a language tag such as 'en-GB', found '{value}'"
    return None


def _check_permalink(value: str) -> str | None:
    names = re.findall(r"\{([^}]*)\}", value)
    unknown = [n for n in names if n not in PERMALINK_FIELDS]
    if unknown:
        return f"'permalink' may use {{year}}, {{month}}, {{day}} and {{slug}}, found '{{{unknown[0]}}}'"
    if "slug" not in names:
        return "'permalink' must contain {slug}, or every post would have the same address"
    if not (value.startswith("/") and value.endswith("/")):
        return f"'permalink' must start and end with '/', found '{value}'"
    try:
        value.format(year="2010", month="04", day="23", slug="x")
    except (ValueError, IndexError, KeyError):
        return f"'permalink' has a '{{' or '}}' that does not pair up, found '{value}'"
    return None


def _check_id_domain(value: str) -> str | None:
    if not re.match(r"^[a-z0-9]+([.-][a-z0-9]+)*$", value):
        return f"'id_domain' must be a domain-like name such as 'example.org' (lowercase letters, digits, dots and hyphens), found '{value}'"
    return None


def _check_quality(value: int) -> str | None:
    if value > 100:
        return f"'picture_quality' must be from 1 to 100 (80 suits photos), found {value}"
    return None


_CHECKS = {"picture_quality": _check_quality, "id_domain": _check_id_domain, "url": _check_url, "timezone": _check_timezone, "language": _check_language, "permalink": _check_permalink}

"""Old addresses that keep working: data/redirects.yaml, published for every kind of host.

Each redirect leads an old address (`/?p=123`, `/about-us/`, `/feed/`) to a content file or to
an address the build makes. The build publishes them twice: as `_redirects`, which Netlify
(and Cloudflare Pages) answer with a real 301, and as a small HTML page at each old path, with
a refresh, a canonical link and a visible link, for hosts that know no redirects, like GitHub
Pages. An address with a query string cannot be a file: only `_redirects` carries it (see
docs/publishing.md for what each host can do).
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

from .problems import Problem, did_you_mean
from .yamlnodes import Map, Scalar, parse_list_file

PATH = "data/redirects.yaml"
PAGE_SUFFIXES = ("", ".html", ".htm")
"""An old path gets a redirect page only where a web server would serve HTML: a folder
('/about-us/'), a name without an extension, or an .html file (not /old.pdf or /feed.php)."""


@dataclass(frozen=True)
class Redirect:
    old: str
    """The old address from the site's root: '/?p=123', '/about-us/'."""
    target: str
    """As written: a content file ('content/posts/….md') or an address ('/feed.xml')."""
    line: int

    @property
    def query(self) -> str:
        """'p=123' for '/?p=123': an address no static file can answer."""
        return urlsplit(self.old).query

    @property
    def page(self) -> str | None:
        """The file of the redirect page ('about-us/index.html'), or None where there can be none."""
        parts = urlsplit(self.old)
        if parts.query or posixpath.splitext(parts.path)[1].lower() not in PAGE_SUFFIXES:
            return None
        path = parts.path.lstrip("/")
        if not path or path.endswith("/"):
            return path + "index.html"
        return path if path.endswith((".html", ".htm")) else path + "/index.html"


def load_redirects(root: Path) -> tuple[tuple[Redirect, ...], list[Problem]]:
    path = root / PATH
    if not path.is_file():
        return (), []
    return parse_redirects(path.read_text(encoding="utf-8"))


def parse_redirects(text: str, path: str = PATH) -> tuple[tuple[Redirect, ...], list[Problem]]:
    """Pure: the redirects of the file's text, and every mistake in it."""
    _, items, problems = parse_list_file(text, path, "redirects",
                                         "a list, each item '- from: /old/address/' with 'to: content/….md' below it")
    if items is None:
        return (), problems
    found: list[Redirect] = []
    first: dict[str, int] = {}
    for item in items.items:
        redirect = _redirect(item, path, problems)
        if redirect is None:
            continue
        if redirect.old in first:
            problems.append(Problem(path, redirect.line, f"'{redirect.old}' is redirected twice: here and on line "
                                                         f"{first[redirect.old]}; keep one"))
            continue
        first[redirect.old] = redirect.line
        found.append(redirect)
    return tuple(found), problems


def _redirect(item, path: str, problems: list[Problem]) -> Redirect | None:
    if not isinstance(item, Map):
        problems.append(Problem(path, item.line, "each redirect must be 'from:' and 'to:' fields, e.g. "
                                                 "'- from: /about-us/' then '  to: content/pages/about.md'"))
        return None
    values = {}
    for entry in item.entries:
        if entry.key not in ("from", "to"):
            problems.append(Problem(path, entry.line, f"unknown field '{entry.key}' in a redirect{did_you_mean(entry.key, ('from', 'to'))}; "
                                                      "a redirect has 'from' and 'to'"))
        elif not isinstance(entry.value, Scalar) or not entry.value.text.strip():
            problems.append(Problem(path, entry.line, f"'{entry.key}' must be an address or a file, e.g. "
                                                      f"'{entry.key}: {'/about-us/' if entry.key == 'from' else 'content/pages/about.md'}'"))
        else:
            values[entry.key] = entry.value.text.strip()
    misspelt = any(e.key not in ("from", "to") for e in item.entries)  # the cause, reported above
    for key in ("from", "to"):
        if key not in values and not misspelt and not any(e.key == key for e in item.entries):
            problems.append(Problem(path, item.line, f"this redirect has no '{key}'"))
    old = values.get("from")
    if old is not None and (not old.startswith("/") or "#" in old or " " in old):
        problems.append(Problem(path, item.get("from").line, f"'from' must be an address from the site's root, starting with '/' "
                                                            f"and without '#' or spaces (e.g. /2010/04/old-post/ or /?p=123), found '{old}'"))
        return None
    if old is None or "to" not in values:
        return None
    return Redirect(old, values["to"], item.get("from").line)


def check_targets(redirects: tuple[Redirect, ...], urls: Mapping[str, str], unpublished: set[str],
                  generated: Callable[[str], bool], pages: set[str], path: str = PATH) -> list[Problem]:
    """Every target exists: a content file the site publishes (`urls`), or an address
    `generated` says the build makes; no redirect page would replace one of the site's `pages`."""
    problems = []
    for redirect in redirects:
        target = redirect.target
        if target.startswith("/"):
            if not generated(target):
                problems.append(Problem(path, redirect.line, f"'to' names {target}, which the site does not have; "
                                                             "give an address the build makes, or a content file"))
        elif target not in urls:
            why = "is not published (a draft?)" if target in unpublished else f"does not exist{did_you_mean(target, urls)}"
            problems.append(Problem(path, redirect.line, f"'to' names {target}, which {why}"))
        if redirect.page in pages:
            problems.append(Problem(path, redirect.line, f"{redirect.old} is an address of the site itself; remove this redirect"))
    return problems


def netlify_file(redirects: tuple[Redirect, ...], url_of: Callable[[str], str], base_path: str) -> bytes:
    """`_redirects`: '/old/ /new/ 301', and '/ p=123 /new/ 301' for a query string."""
    lines = ["# Made by PlacePress from data/redirects.yaml: old addresses, moved permanently (301)."]
    for redirect in redirects:
        parts = urlsplit(redirect.old)
        query = " ".join(f"{key}={value}" for key, value in parse_qsl(parts.query, keep_blank_values=True))
        source = base_path + parts.path.lstrip("/")
        lines.append(" ".join(word for word in (source, query, url_of(redirect.target), "301") if word))
    return ("\n".join(lines) + "\n").encode("utf-8")


def query_addresses(redirects: tuple[Redirect, ...], url_of: Callable[[str], str], base_path: str) -> bytes | None:
    """`old-addresses.json`: each old address with a query string ('/blog/?p=123') and where it
    leads, for static/js/old-addresses.js; None when there is none."""
    import json

    found = {base_path + r.old.lstrip("/"): url_of(r.target) for r in redirects if urlsplit(r.old).query}
    return (json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8") if found else None


def redirect_page(target_url: str, absolute_url: str, language: str, site_title: str) -> bytes:
    """A page that sends the reader on at once, says where, and tells search engines the new address."""
    link, whole = html.escape(target_url), html.escape(absolute_url)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This page has moved – {html.escape(site_title)}</title>
<meta http-equiv="refresh" content="0; url={link}">
<link rel="canonical" href="{whole}">
<meta name="robots" content="noindex">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>It is now at <a href="{link}">{whole}</a>.</p>
</main>
</body>
</html>
""".encode("utf-8")

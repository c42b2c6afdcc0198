"""Routes to bytes through Jinja2, and template mistakes to problems.

Templates are compiled before anything is rendered, so a syntax error in one
is reported once at its line. A mistake found while rendering is reported at
the template's line, naming the content file that was being rendered; the
same mistake on a thousand posts is one problem, not a thousand.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Mapping

import jinja2

from . import model, site as site_module
from .markup import Body
from .problems import Problem, did_you_mean
from .routes import MONTHS, Route
from .site import Site

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Mistakes a template can make that Python reports as ordinary exceptions.
# They are the template's only when raised from a template's own line.
_TEMPLATE_MISTAKES = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError)
_RECORDS = {cls.__name__: cls for cls in (model.Post, model.Page, site_module.Term)}


def long_date(moment: datetime) -> str:
    """'Friday 23 April 2010': written out, no locale needed, British order."""
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def make_environment(templates: Path, site: Site, assets: Mapping[str, str], bodies: Mapping[str, Body]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    config = site.config

    def url(path: str) -> str:
        return config.base_path + path.lstrip("/")

    def absolute(path: str) -> str:
        return config.origin + url(path)

    def asset(path: str) -> str:
        # The content hash makes browsers fetch a changed file and cache the rest for good.
        return f"{url(path)}?v={assets[path]}" if path in assets else url(path)

    env.globals.update(site=site, config=config, url=url, absolute_url=absolute, asset=asset,
                       url_of=site.url_of, body_of=lambda record: bodies[record.source])
    env.filters.update(long_date=long_date, iso=lambda moment: moment.isoformat())
    return env


def compile_templates(env: jinja2.Environment, root: Path) -> list[Problem]:
    problems = []
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(_relative(error.filename, root, name), error.lineno, f"template syntax error: {error.message}"))
    return problems


def render_routes(env: jinja2.Environment, routes: list[Route], root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every route rendered; template mistakes grouped into one problem each."""
    pages: dict[str, bytes] = {}
    failures: dict[tuple[str, int, str], list[str]] = {}
    for route in routes:
        try:
            text = env.get_template(route.template).render(route.context, page_url=route.url)
        except _TEMPLATE_MISTAKES as error:
            where = template_line(error, Path(env.loader.searchpath[0]), root)
            if where is None:
                raise
            failures.setdefault((*where, friendly(error)), []).append(route.source or route.url)
            continue
        pages[route.url] = text.encode("utf-8")
    return pages, [_grouped(key, sources) for key, sources in failures.items()]


def _grouped(key: tuple[str, int, str], sources: list[str]) -> Problem:
    path, line, message = key
    others = len(sources) - 1
    more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
    return Problem(path, line, f"{message} (while rendering {sources[0]}{more})")


def template_line(error: BaseException, templates: Path, root: Path) -> tuple[str, int] | None:
    """The innermost template file and line in the traceback, or None if no template raised it."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return _relative(error.filename, root, error.name or ""), error.lineno
    found = None
    tb = error.__traceback__
    folder = str(templates.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(folder):
            found = (_relative(filename, root, ""), tb.tb_lineno)
        tb = tb.tb_next
    return found


def friendly(error: BaseException) -> str:
    """Jinja's message, with Python's object names put in an editor's words."""
    message = str(error) if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
    match = re.search(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message)
    if match and match.group(1) in _RECORDS:
        kind, name = match.groups()
        choices = [f.name for f in dataclasses.fields(_RECORDS[kind])]
        return f"a {kind.lower()} has no field '{name}'{did_you_mean(name, choices)}"
    return message


def _relative(filename: str, root: Path, fallback: str) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return fallback or filename

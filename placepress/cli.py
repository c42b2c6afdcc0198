"""The command line: `python build.py [build] [--now DATE] [--out DIR]`.

Exit codes: 0 built, 1 the input has problems (all printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .fields import parse_when
from .output import UnsafeOutput, check_output_folder
from .a11y import MissingTool, check_accessibility
from .check import check_site
from .isso import run_isso
from .pipeline import build, page_sources
from .problems import ProblemsFound, format_report

DESCRIPTION = "Build the Sustainable Neighbourhoods site from content/, data/ and templates/."


def parse_now(value: str | None, environ: dict[str, str]) -> datetime:
    """The build's "now", read once: --now, else SOURCE_DATE_EPOCH, else the clock."""
    if value:
        moment = parse_when(value, ZoneInfo("UTC"))
        if moment is None:
            raise ValueError(f"--now must be a date such as 2010-05-01 or 2010-05-01T18:00+01:00, found '{value}'")
        return moment
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, found '{epoch}'")
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION)
    add_build_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="check every file, then write the site (the default)",
                                    description="Check every file, then write the site. Nothing is written if any file has a problem.")
    # SUPPRESS keeps `build.py --now X build` from being reset by the subcommand's defaults.
    add_build_options(build_cmd, argparse.SUPPRESS)
    comments_cmd = commands.add_parser("comments", help="run an Isso comment server on 127.0.0.1 for previews",
                                       description="Run a real Isso comment server on 127.0.0.1, its database under .cache/isso/.")
    comments_cmd.add_argument("--port", type=int, default=8080, help="the port Isso listens on (default 8080)")
    comments_cmd.add_argument("--site-url", default="http://127.0.0.1:8000/",
                              help="the address the preview site is served from; Isso accepts comments only from it")
    comments_cmd.add_argument("--root", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="the project folder")
    check_cmd = commands.add_parser("check", help="check a built site: links, HTML, feeds, calendars, sitemap, alt text, headings",
                                    description="Check a built site before it is published. Exit code 1 on any problem.")
    check_cmd.add_argument("--site", metavar="DIR", type=Path, help="the built site to check (default: site/)")
    check_cmd.add_argument("--a11y", action="store_true", help="also run axe-core in Chromium on a sample of pages")
    check_cmd.add_argument("--no-html", dest="html", action="store_false", help="skip the Nu Html Checker (it needs Java)")
    check_cmd.add_argument("--root", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="the project folder (default: the current one)")
    return parser


def add_build_options(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument("--now", metavar="DATE", default=default,
                        help="the build's date and time, e.g. 2010-05-01 or 2010-05-01T18:00+01:00 "
                             "(default: SOURCE_DATE_EPOCH, else the clock); posts dated later are not published yet")
    parser.add_argument("--out", metavar="DIR", type=Path, default=default, help="write the site here instead of site/")
    parser.add_argument("--comments-url", metavar="URL", default=default,
                        help="for previews: use the Isso server at URL (see `build.py comments`) instead of the configured one")
    parser.add_argument("--root", metavar="DIR", type=Path, default=default if default else Path("."),
                        help="the project folder (default: the current one)")


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        now = parse_now(args.now, dict(os.environ))
    except ValueError as error:
        parser.error(str(error))
    if args.command == "comments":
        return run_isso(args.root, args.site_url, args.port)
    if args.command == "check":
        return run_check(args.root, args.site or args.root / "site", args.html, args.a11y, now, parser)
    out = args.out or args.root / "site"
    reason = check_output_folder(out, args.root)
    if reason:
        parser.error(reason)
    return run_build(args.root, out, now, args.comments_url)


def report(problems, outcome: str) -> None:
    print(format_report(problems, github=os.environ.get("GITHUB_ACTIONS") == "true", outcome=outcome), file=sys.stderr)


def run_build(root: Path, out: Path, now: datetime, comments_url: str | None = None) -> int:
    started = time.perf_counter()
    try:
        result = build(root, out, now, comments_url)
    except ProblemsFound as found:
        report(found.problems, "site not written")
        return 1
    except UnsafeOutput as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    others = result.files - result.pages
    print(f"Built {result.pages} pages and {others} other files ({result.changed} changed, {result.removed} removed) in {seconds:.2f} s")
    return 0


def run_check(root: Path, folder: Path, html: bool, a11y: bool, now: datetime, parser: argparse.ArgumentParser) -> int:
    if not (folder / "index.html").is_file():
        parser.error(f"{folder} holds no built site; run `python build.py` first or give --site DIR")
    started = time.perf_counter()
    if not (root / "pyproject.toml").is_file():
        parser.error(f"{root} has no pyproject.toml: run check from the project folder or give --root DIR")
    config, sources = page_sources(root, now)
    problems = check_site(folder, config, sources, validate_html=html)
    if a11y:
        try:
            problems += check_accessibility(folder, config.base_path, folder.name, sources=sources)
        except MissingTool as error:
            print(f"build.py: error: {error}", file=sys.stderr)
            return 2
    if problems:
        report(problems, "not fit to publish")
        return 1
    pages = sum(1 for _ in folder.rglob("*.html"))
    print(f"Checked {pages} pages in {folder}: no problems ({time.perf_counter() - started:.1f} s)")
    return 0

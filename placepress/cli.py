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
from .pipeline import build
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="check every file, then write the site (the default)",
                                    description="Check every file, then write the site. Nothing is written if any file has a problem.")
    add_build_options(parser)
    # SUPPRESS keeps `build.py --now X build` from being reset by the subcommand's defaults.
    add_build_options(build_cmd, argparse.SUPPRESS)
    return parser


def add_build_options(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument("--now", metavar="DATE", default=default,
                        help="the build's date and time, e.g. 2010-05-01 or 2010-05-01T18:00+01:00 "
                             "(default: SOURCE_DATE_EPOCH, else the clock); posts dated later are not published yet")
    parser.add_argument("--out", metavar="DIR", type=Path, default=default, help="write the site here instead of site/")
    parser.add_argument("--root", metavar="DIR", type=Path, default=default if default else Path("."),
                        help="the project folder (default: the current one)")


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        now = parse_now(args.now, dict(os.environ))
    except ValueError as error:
        parser.error(str(error))
    root = args.root
    out = args.out or root / "site"
    reason = check_output_folder(out, root)
    if reason:
        parser.error(reason)
    return run_build(root, out, now)


def run_build(root: Path, out: Path, now: datetime) -> int:
    started = time.perf_counter()
    try:
        report = build(root, out, now)
    except ProblemsFound as found:
        print(format_report(found.problems, github=os.environ.get("GITHUB_ACTIONS") == "true"), file=sys.stderr)
        return 1
    except UnsafeOutput as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    others = report.files - report.pages
    print(f"Built {report.pages} pages and {others} other files ({report.changed} changed, {report.removed} removed) in {seconds:.2f} s")
    return 0

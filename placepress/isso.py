"""`build.py comments`: a real Isso comment server on 127.0.0.1 for previews.

The settings kept in the repository (comments/isso.cfg) are completed with what
depends on the machine: the database under .cache/isso/ (ignored by git), the
preview site's address (Isso allows requests only from it) and where to listen.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

REPO_CONFIG = "comments/isso.cfg"


def write_preview_config(root: Path, site_url: str, port: int, state: Path | None = None) -> Path:
    """The effective Isso config for a preview; returns its path."""
    state = state or root / ".cache" / "isso"
    state.mkdir(parents=True, exist_ok=True)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(root / REPO_CONFIG, encoding="utf-8")
    for section in ("general", "server"):
        if not parser.has_section(section):
            parser.add_section(section)
    parser.set("general", "dbpath", str((state / "comments.db").resolve()))
    parser.set("general", "host", site_url)
    parser.set("server", "listen", f"http://127.0.0.1:{port}/")
    path = state / "isso.cfg"
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return path


def isso_command(config: Path) -> list[str]:
    """How to start Isso with this Python: its console script if installed beside it."""
    script = Path(sys.executable).with_name("isso")
    if script.exists():
        return [str(script), "-c", str(config), "run"]
    found = shutil.which("isso")
    if found:
        return [found, "-c", str(config), "run"]
    return [sys.executable, "-c", "import sys; from isso import main; sys.exit(main())", "-c", str(config), "run"]


def run_isso(root: Path, site_url: str, port: int) -> int:
    try:
        import isso  # noqa: F401  (only to say clearly when it is missing)
    except ModuleNotFoundError:
        print("build.py: error: Isso is not installed: run `make comments` or pip install -e '.[comments]'", file=sys.stderr)
        return 2
    config = write_preview_config(root, site_url, port)
    print(f"Isso is serving comments at http://127.0.0.1:{port}/ for the site at {site_url}")
    print(f"Build the preview with: .venv/bin/python build.py build --comments-url http://127.0.0.1:{port}/")
    print("Stop it with Ctrl+C.")
    try:
        return subprocess.call(isso_command(config))
    except KeyboardInterrupt:
        return 0

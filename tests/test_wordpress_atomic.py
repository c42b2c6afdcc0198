"""A killed import never leaves half an import: the next one puts everything back first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT, TinySite, run_build_py
from wordpress_export import export, item

MANY = 1500


def big_export(path: Path, text: str) -> Path:
    posts = [item(1, "Kept", text, name="kept")] + [item(n, f"Post {n}", name=f"post-{n}") for n in range(2, MANY)]
    path.write_text(export(*posts), encoding="utf-8")
    return path


def start(site: TinySite, export_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "import-wordpress", str(export_path), "--root", str(site.root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_when(process: subprocess.Popen, marker: Path, limit: float = 60.0) -> bool:
    """SIGKILL the import as soon as `marker` appears; False if it finished first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if marker.exists():
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.0002)
    process.wait()
    return False


def posts(site: TinySite) -> list[str]:
    folder = site.root / "content" / "posts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def import_small(site: TinySite, text: str) -> None:
    small = site.root.parent / "small.xml"
    small.write_text(export(item(1, "Kept", text, name="kept")), encoding="utf-8")
    done = run_build_py("import-wordpress", small, "--root", site.root)
    assert done.returncode == 0, done.stderr


def test_an_import_killed_while_moving_files_is_rolled_back_by_the_next(tiny: TinySite) -> None:
    import_small(tiny, "The old words.")
    big = big_export(tiny.root.parent / "big.xml", "The new words.")
    for _ in range(5):
        if kill_when(start(tiny, big), tiny.root / ".cache/import/journal.json"):
            break
        import_small(tiny, "The old words.")  # it finished first: start again from the small import
        for name in posts(tiny):
            if name != "2010-04-23-kept.md":
                (tiny.root / "content/posts" / name).unlink()
    else:
        pytest.skip("the import always finished before it could be killed while moving files")
    assert (tiny.root / ".cache/import/journal.json").exists()
    import_small(tiny, "The old words.")  # any import first undoes the one that was killed
    assert posts(tiny) == ["2010-04-23-kept.md"]
    assert (tiny.root / "content/posts/2010-04-23-kept.md").read_text().endswith("The old words.\n")
    assert not (tiny.root / ".cache/import/journal.json").exists()


def test_an_import_killed_while_converting_has_written_nothing(tiny: TinySite) -> None:
    big = big_export(tiny.root.parent / "big.xml", "Words.")
    if not kill_when(start(tiny, big), tiny.root / ".cache/import/staging"):
        pytest.skip("the import finished before it could be killed")
    assert not (tiny.root / "content").exists() and not (tiny.root / "data").exists()

"""Every file of an import appears at once, or none does; an editor's change is never overwritten.

While the export is converted, files go into a staging folder inside the project
(.cache/import/staging, so on the same file system). Then, for each file, the one it replaces
(if any) is moved aside into .cache/import/backup and the new one renamed into place, each
rename atomic. Before the first rename a journal lists them all; it is removed once the last
is done. An import that is killed half-way leaves the journal, and the next import first
rolls everything back from it, so a half import is never kept.

data/wordpress-import.json (committed with the content) records the SHA-256 of every file the
import wrote. A file whose bytes no longer match, or that is gone, was changed or deleted by an
editor: it is left alone unless --force, and the report says so. Committing the record, rather
than keeping it under .cache/ (which `make clean` deletes), means any clone can re-import safely.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .report import Note

WORK = ".cache/import"
MANIFEST = "data/wordpress-import.json"
ABOUT = ("What `build.py import-wordpress` last wrote, with the SHA-256 of each file, so that a later import never overwrites "
         "a file an editor has changed or deleted. Do not edit it; delete it to make the next import treat every existing file "
         "as an editor's.")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[Note] = field(default_factory=list)
    rolled_back: int = 0


class Staging:
    """Files of one import, held aside until `commit`. With dry_run nothing touches the disk."""

    def __init__(self, root: Path, dry_run: bool):
        self.root = root
        self.dry_run = dry_run
        self.folder = root / WORK / "staging"
        self.digests: dict[str, str] = {}
        if not dry_run:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)

    def put(self, relative: str, data: bytes) -> None:
        self.digests[relative] = digest(data)
        if not self.dry_run:
            path = self.folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def put_stream(self, relative: str, stream: BinaryIO) -> None:
        hasher = hashlib.sha256()
        target = None
        if not self.dry_run:
            (self.folder / relative).parent.mkdir(parents=True, exist_ok=True)
            target = (self.folder / relative).open("wb")
        with stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(chunk)
                if target:
                    target.write(chunk)
        if target:
            target.close()
        self.digests[relative] = hasher.hexdigest()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def decide(self, force: bool) -> tuple[list[str], Outcome, dict[str, str]]:
        """(files to write, the outcome so far, the manifest to write)."""
        before = read_manifest(self.root)
        outcome = Outcome()
        changes = []
        for relative, new in sorted(self.digests.items()):
            current = _file_digest(self.root / relative)
            recorded = before.get(relative)
            if current == new:
                outcome.unchanged.append(relative)
            elif force or (current is None and recorded is None) or (current is not None and current == recorded):
                changes.append(relative)
            else:
                why = "was deleted since the import" if current is None else \
                    "was changed since the import" if recorded else "was not written by the import"
                outcome.kept.append(Note("kept", relative, f"{why}; left as it is (--force replaces it)"))
        kept = {note.where for note in outcome.kept}
        manifest = {**before, **{r: d for r, d in self.digests.items() if r not in kept}}
        return changes, outcome, manifest

    def commit(self, force: bool) -> Outcome:
        changes, outcome, manifest = self.decide(force)
        if self.dry_run:
            outcome.written = changes
            return outcome
        manifest_bytes = manifest_text(manifest).encode("utf-8")
        if _file_digest(self.root / MANIFEST) != digest(manifest_bytes) and (changes or manifest != read_manifest(self.root)):
            self.put(MANIFEST, manifest_bytes)
            changes.append(MANIFEST)
        move_into_place(self.root, changes)
        self.discard()
        outcome.written = [c for c in changes if c != MANIFEST]
        return outcome


def move_into_place(root: Path, changes: list[str]) -> None:
    """Rename each staged file over its target, with a journal that `recover` can undo."""
    work = root / WORK
    journal = [{"target": c, "existed": (root / c).exists()} for c in changes]
    _write_durably(work / "journal.json", json.dumps(journal).encode("utf-8"))
    for entry in journal:
        target = root / entry["target"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry["existed"]:
            backup = work / "backup" / entry["target"]
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, backup)
        os.replace(work / "staging" / entry["target"], target)
    (work / "journal.json").unlink()
    shutil.rmtree(work / "backup", ignore_errors=True)


def recover(root: Path) -> int:
    """Undo an import that was killed while moving files into place; how many files it undid."""
    work = root / WORK
    journal_path = work / "journal.json"
    if not journal_path.exists():
        shutil.rmtree(work / "staging", ignore_errors=True)
        return 0
    journal = json.loads(journal_path.read_text(encoding="utf-8"))
    undone = 0
    for entry in reversed(journal):
        target, backup = root / entry["target"], work / "backup" / entry["target"]
        if backup.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, target)
            undone += 1
        elif not entry["existed"] and target.exists() and not (work / "staging" / entry["target"]).exists():
            target.unlink()
            _remove_empty_parents(root, target.parent)
            undone += 1
    journal_path.unlink()
    shutil.rmtree(work / "backup", ignore_errors=True)
    shutil.rmtree(work / "staging", ignore_errors=True)
    return undone


def read_manifest(root: Path) -> dict[str, str]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return {}  # unreadable: every existing file counts as an editor's, the safe side
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def manifest_text(files: dict[str, str]) -> str:
    return json.dumps({"about": ABOUT, "files": dict(sorted(files.items()))}, indent=1, ensure_ascii=False) + "\n"


def _file_digest(path: Path) -> str | None:
    if not path.is_file():
        return None
    hasher = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def _remove_empty_parents(root: Path, folder: Path) -> None:
    stop = {root, root / "content", root / "data"}
    while folder not in stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent

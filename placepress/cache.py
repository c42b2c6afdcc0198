"""The build cache under .cache/: safe to delete, never trusted blindly.

Each file holds a pickle behind a header (format, code version, SHA-256 of the
payload). A file from another version of PlacePress, a half-written file (a
build killed with kill -9) or one that was tampered with fails the check and
is ignored: the build then does the work again. Files are replaced atomically
(written beside, then renamed), so a reader sees the old one or the new one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
from pathlib import Path
from typing import Any

FORMAT = b"placepress-cache-1\n"


_known_version: list[str] = []


def code_version() -> str:
    """Changes whenever our code or a library that shapes the output changes."""
    if not _known_version:
        _known_version.append(_code_digest())
    return _known_version[0]


def trust_code_version(version: str) -> None:
    """Take `version` as code_version(), as the last build's stamp recorded it beside a listing
    of our modules and the libraries' files that is still true (stamp.py): working it out again
    reads every module and looks through the installed packages, 20-40 ms of a rebuild."""
    _known_version[:] = [version]


def _code_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for package in ("markdown", "jinja2", "yaml", "icalendar", "pagefind_bin"):
        digest.update(f"{package}={_installed_as(package)}".encode())
    return digest.hexdigest()


def _installed_as(package: str) -> str:
    """The package's dist-info folder name (it carries the version), found without importing
    the package or importlib.metadata, which would cost more than a no-change build's work."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return "absent"
    folder = Path(spec.origin).parent.parent
    top = Path(spec.origin).parent.name
    for info in sorted(folder.glob("*.dist-info")):
        top_level = info / "top_level.txt"
        names = top_level.read_text(encoding="utf-8").split() if top_level.is_file() else []
        if top in names or info.name.lower().startswith(top.lower() + "-"):
            return info.name
    return str(Path(spec.origin).stat().st_mtime_ns)


def sha(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each followed by a NUL byte."""
    try:  # the usual case, text only: one string, one call (a fingerprint may have thousands of parts)
        return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8")).hexdigest() if parts else hashlib.sha256().hexdigest()
    except TypeError:
        pass
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def read_cache(path: Path, key: str) -> Any | None:
    """The object saved under `key`, or None if the file is missing, stale or damaged."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    header = FORMAT + key.encode() + b"\n"
    if not data.startswith(header) or len(data) < len(header) + 64:
        return None
    # A view, not a copy: the records of a 10,000-post site are megabytes, read on every build.
    checksum, payload = data[len(header):len(header) + 64], memoryview(data)[len(header) + 64:]
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    try:
        return pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None  # written by code we no longer have: do the work again


def write_cache(path: Path, key: str, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:  # the header, then the payload: not joined into a copy
        file.write(FORMAT + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode())
        file.write(payload)
    os.replace(temporary, path)


def forget(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass

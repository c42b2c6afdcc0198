"""Which of the project's files change, told as soon as they do (the file system's change
events, inotify on Linux through watchfiles, or polling where there are none), and rebuilding
on each change in a thread of its own.

With events, two watchers run, each in its own thread. One watches the folders a build reads
(content/, data/, templates/, static/) and all below them. The other watches the project
folder alone, not what is below it: it sees pyproject.toml change even when an editor saves
by writing a new file and renaming it over the old one (which ends a watch on the file
itself), and sees a watched folder made or removed while the preview runs; the first watcher
then starts again on the folders there are now. Events a few milliseconds apart (one save is
often several: write, rename, change of attributes) are told as one change.

Polling is used when asked (`build.py serve --poll`, for a network drive, whose changes made
from another machine raise no event here) and when the events cannot be had (inotify's limit
of watches reached). It is our own, not watchfiles': that one compares modification times to
the second, so a second save within the same second as the first would go unseen. Ours
compares each file's time to the nanosecond, and its size.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from .files import list_files, never_read

WATCHED = ("content", "data", "templates", "static", "pyproject.toml")
"""Everything a build reads, inside the project folder."""
STEP_MS = 5
"""Events are told once none has come for this long (one save's come within a millisecond)."""
READY_MS = 100
"""How long watchfiles waits before answering that nothing changed (the first answer says that
it watches)."""
POLL_S = 0.3
"""Polling looks this often, or less often on a project so large that looking takes more
than a quarter of that time."""


def is_source_change(root: Path, kind: str, path: str) -> bool:
    """Whether a change ('added', 'modified' or 'deleted') to `path` may change the site: not
    when it is an editor's leftover or in a hidden folder, which the build never reads either
    (files.py's one rule)."""
    relative = Path(path).relative_to(root)
    if not relative.parts or relative.parts[0] not in WATCHED or never_read(relative.as_posix()):
        return False
    # A folder is reported as modified when a file in it changes, which is reported too.
    return not (kind == "modified" and os.path.isdir(path))


def snapshot_sources(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of each file a build may read, by its path in the project."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        for path in [top] if top.is_file() else [top / relative for relative in list_files(top)]:
            try:
                info = path.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            if stat.S_ISREG(info.st_mode):
                found[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return found


class Either:
    """Set when any of its events is: what watchfiles checks between its steps."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


class SourceWatcher:
    """Calls `changed(paths)`, from a thread of its own, after each change to the project's
    sources: `paths` are the files and folders changed, by their path in the project ('content/
    posts/x.md'), or None when changes may have gone untold (events were given up for polling)."""

    def __init__(self, root: Path, changed: Callable[[frozenset[str] | None], None], poll: bool = False, watch=None):
        """`watch`: watchfiles.watch, or a function that behaves as it does."""
        import watchfiles  # imported here: only serve watches
        from watchfiles._rust_notify import WatchfilesRustInternalError

        self.root = root.absolute()
        self.changed = changed
        self.polling = poll
        self.failures = (OSError, WatchfilesRustInternalError)
        """What watchfiles raises when it cannot have the events."""
        self._watch = watch or watchfiles.watch
        self._stopping = threading.Event()
        self._no_events = threading.Event()
        self._restart = threading.Event()
        self._switching = threading.Lock()
        self._threads: list[threading.Thread] = []

    @property
    def method(self) -> str:
        return f"polling every {POLL_S:g} s" if self.polling else "the file system's change events"

    def start(self) -> None:
        """Watch; returns once watching, so that no change made after it is missed."""
        if not self.polling:
            try:
                self._thread(self._follow_folders, self._open_folders())
                self._thread(self._follow_project, self._open([self.root], False, Either(self._stopping, self._no_events)))
            except self.failures as error:
                self._fall_back(error)
                return
        else:
            self._thread(self._poll, snapshot_sources(self.root))

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join()

    def _thread(self, target: Callable, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name=f"placepress{target.__name__}")
        thread.start()
        self._threads.append(thread)

    def _open(self, paths: list[Path], recursive: bool, stop: Either) -> Iterator[set]:
        """watchfiles' changes under `paths`, once it watches them (its first answer)."""
        changes = self._watch(*paths, watch_filter=None, step=STEP_MS, stop_event=stop, rust_timeout=READY_MS,
                              yield_on_timeout=True, force_polling=False, recursive=recursive, raise_interrupt=False)
        self._tell(next(changes), recursive)
        return changes

    def _open_folders(self) -> Iterator[set]:
        while True:
            self._restart.clear()
            folders = [self.root / name for name in WATCHED if (self.root / name).is_dir()]
            try:
                return self._open(folders, True, Either(self._stopping, self._no_events, self._restart))
            except FileNotFoundError:  # a folder removed between looking and watching: look again
                continue

    def _follow_folders(self, changes: Iterator[set]) -> None:
        while True:
            for found in changes:
                self._tell(found, True)
            if self._stopping.is_set() or self._no_events.is_set():
                return
            try:  # a watched folder came or went: watch the ones there are now
                changes = self._open_folders()
            except self.failures as error:
                self._fall_back(error, missed=True)
                return
            self.changed(None)  # what was made in a new folder before it was watched raised no event

    def _follow_project(self, changes: Iterator[set]) -> None:
        try:
            for found in changes:
                self._tell(found, False)
        except self.failures as error:
            self._fall_back(error, missed=True)

    def _tell(self, changes: set, below: bool) -> None:
        relevant = [(change.name, path) for change, path in changes if is_source_change(self.root, change.name, path)]
        if not relevant:
            return
        if not below and any(kind != "modified" and Path(path).name != "pyproject.toml" for kind, path in relevant):
            self._restart.set()
        self.changed(frozenset(Path(path).relative_to(self.root).as_posix() for _, path in relevant))

    def _fall_back(self, error: BaseException, missed: bool = False) -> None:
        """Poll from now on; `missed`: changes may have gone untold meanwhile, so tell one."""
        with self._switching:
            if self._no_events.is_set():
                return  # the other watcher has done it
            self._no_events.set()
        self.polling = True
        print(f"File system events are not available here ({error}); {self.method} instead.", file=sys.stderr, flush=True)
        self._thread(self._poll, snapshot_sources(self.root))
        if missed:
            self.changed(None)

    def _poll(self, seen: dict[str, tuple[int, int]]) -> None:
        wait = POLL_S
        while not self._stopping.wait(wait):
            started = time.perf_counter()
            current = snapshot_sources(self.root)
            wait = max(POLL_S, 3 * (time.perf_counter() - started))
            if current != seen:
                self.changed(frozenset(path for path in current.keys() | seen.keys() if current.get(path) != seen.get(path)))
                seen = current


SETTLE_S = 0.2
"""Changes made during a rebuild, or this soon after it, are rebuilt once none has come for
this long."""


class Rebuilder:
    """Rebuilds in a thread of its own each time it is asked, then reloads every open page
    (once the files are written, never before).

    Asks that come while a rebuild runs, or just after, are answered by one more rebuild once
    they stop coming for SETTLE_S: never lost, and a burst of saves makes one or two rebuilds.
    Each rebuild is given the paths changed since the last one began (those of every ask it
    answers), or None when one of those asks could not say."""

    def __init__(self, rebuild: Callable[[frozenset[str] | None], object], follow_up: Callable[[], object] | None = None):
        """`follow_up`: more work after each rebuild and reload (the search index), unless
        another change has come meanwhile, when it waits for the rebuild after that."""
        self.rebuild = rebuild
        self.follow_up = follow_up
        self.wanted = threading.Event()
        self._paths: frozenset[str] | None = frozenset()
        self._paths_lock = threading.Lock()
        self.stopping = False
        self.reload: Callable[[], None] = lambda: None
        self.started = False
        self.thread = threading.Thread(target=self.run, daemon=True, name="placepress-rebuild")

    def request(self, paths: frozenset[str] | None = None) -> None:
        """Rebuild for a change to `paths` (None: not known which)."""
        with self._paths_lock:
            self._paths = None if paths is None or self._paths is None else self._paths | paths
        self.wanted.set()
        if self.started and not self.thread.is_alive() and not self.stopping:
            # A bug ended the last thread (its traceback is printed): rebuild in a new one.
            self.thread = threading.Thread(target=self.run, daemon=True, name="placepress-rebuild")
            self.thread.start()

    def start(self, reload: Callable[[], None]) -> None:
        self.reload = reload
        self.started = True
        self.thread.start()

    def run(self) -> None:
        finished = -SETTLE_S
        while True:
            self.wanted.wait()
            # The first change after a quiet while is rebuilt at once; one that comes during a
            # rebuild or just after it may be part of a burst (a formatter, a git checkout, an
            # editor saving several files): it is rebuilt when the burst is over.
            if time.monotonic() - finished < SETTLE_S:
                while self.still_changing(SETTLE_S):
                    pass
            if self.stopping:
                return
            self.wanted.clear()
            with self._paths_lock:  # an ask from now on is for the next rebuild
                paths, self._paths = self._paths, frozenset()
            self.rebuild(paths)
            self.reload()
            if self.follow_up is not None and not self.wanted.is_set():
                self.follow_up()
            finished = time.monotonic()

    def still_changing(self, seconds: float) -> bool:
        """Whether another change comes within `seconds` (as part of the same burst)."""
        self.wanted.clear()
        changed = self.wanted.wait(seconds)
        if not changed:
            self.wanted.set()  # the burst is over: rebuild
        return changed and not self.stopping

    def stop(self) -> None:
        self.stopping = True
        self.wanted.set()
        if self.thread.is_alive():
            self.thread.join()

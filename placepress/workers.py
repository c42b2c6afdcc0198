"""Worker processes forked from the build, for the work that is spread over both cores
(Markdown bodies in bodies.py, pages in render.py, pictures in pictures/library.py).

They are forked, not started afresh, so they begin with everything the build holds already:
the site, the compiled templates, the texts. Before the fork, every object the build holds is
moved out of the garbage collector's sight (gc.freeze). A collection in a worker would
otherwise walk all of them, the parent's whole heap, and, by marking each, copy every page of
memory that holds one, which fork had left shared: after a template edit at 10,000 posts,
0.27–0.31 s of each render worker's 2.2–2.4 processor-seconds. The parent's objects are
given back to the collector when the pool is done.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:  # imported where used, for start-up time
    from concurrent.futures import ProcessPoolExecutor

WORKERS = 2
"""As many as the machines we build on have cores; more only share them."""


@contextmanager
def forked_pool(initializer: Callable | None = None, initargs: tuple = (), processes: int = WORKERS
                ) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers (`processes`, at most one a core), with the heap out of the
    collector's sight while it lasts."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # costs a no-change build 15 ms to import

    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(processes, os.cpu_count() or 1), initializer=initializer,
                                 initargs=initargs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def shares(count: int, largest: int, smallest: int = 1, processes: int = WORKERS) -> list[range]:
    """`count` items cut into consecutive shares for a pool of `processes`, the first ones
    `largest` at most, then smaller and smaller (a quarter of what is left for two workers, down
    to `smallest`, or `largest` if that is less): a worker takes the next share when it is done
    with one, so both finish within a small share of each other. With shares of one size, the last ones taken left a
    core idle for most of a share: 0.7–0.9 s of a 10,000-post cold build, in each of the two
    pools (the bodies' and the pages')."""
    found, start = [], 0
    smallest = max(1, min(smallest, largest))
    while start < count:
        size = max(smallest, min(largest, (count - start) // (2 * processes)))
        found.append(range(start, min(count, start + size)))
        start += size
    return found

"""The worker processes forked for bodies and pages (placepress/workers.py)."""

from __future__ import annotations

import gc
import os

import pytest

from placepress.workers import forked_pool


def _process(_: int) -> int:
    return os.getpid()


def _divide(number: int) -> float:
    return 1 / number


def test_the_pool_works_in_other_processes_with_the_heap_hidden_from_the_collector_until_it_is_done():
    assert gc.get_freeze_count() == 0
    with forked_pool() as pool:
        frozen = gc.get_freeze_count()
        processes = set(pool.map(_process, range(8)))
    assert frozen > 0  # the build's objects, out of the collector's sight while workers share their pages
    assert os.getpid() not in processes
    # Given back: a preview that builds again and again must still collect its old sites.
    assert gc.get_freeze_count() == 0


def test_the_heap_is_given_back_to_the_collector_when_a_worker_fails():
    with pytest.raises(ZeroDivisionError):
        with forked_pool() as pool:
            list(pool.map(_divide, [1, 0]))
    assert gc.get_freeze_count() == 0

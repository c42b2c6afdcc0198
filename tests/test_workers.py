"""The worker processes forked for bodies and pages (placepress/workers.py)."""

from __future__ import annotations

import gc
import os

import pytest

from placepress.workers import forked_pool, shares


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


@pytest.mark.parametrize("count, largest, smallest", [(10_000, 313, 4), (16_586, 1_036, 16), (1_000, 32, 4), (77, 3, 4),
                                                      (200, 12, 16), (5, 1, 1), (1, 50, 4)])
def test_shares_cover_every_item_once_in_order_and_shrink_to_the_end(count: int, largest: int, smallest: int) -> None:
    found = shares(count, largest, smallest)
    assert [i for share in found for i in share] == list(range(count))
    sizes = [len(share) for share in found]
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= largest
    assert all(size >= min(smallest, largest) for size in sizes[:-1])
    if count >= 8 * largest:  # many shares: the last ones are small, so the cores finish close together
        assert sizes[0] == largest and sizes[-2] <= max(smallest, largest // 4)


def test_no_items_no_shares() -> None:
    assert shares(0, 10, 4) == []

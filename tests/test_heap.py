"""A serving process freezes its start-up heap (bot/heap.py): full collections under a burst
stopped the event loop for 130-150 ms each (docs/benchmarks.md, session 10)."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator

import pytest

from bot import cli
from bot.heap import freeze_startup_heap


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_what_exists_at_start_up_is_left_out_of_every_collection() -> None:
    kept = [[i] for i in range(1000)]  # long-lived, as the model and the texts are
    assert freeze_startup_heap() >= len(kept)
    tracked = {id(o) for o in gc.get_objects()}
    assert not any(id(o) in tracked for o in kept)
    later = [[i] for i in range(10)]  # made while serving: collected as before
    assert all(gc.is_tracked(o) for o in later)
    assert any(id(o) in {id(x) for x in gc.get_objects()} for o in later)


def test_qamqor_run_freezes_once_it_has_started() -> None:
    source = inspect.getsource(cli._run)
    assert source.index("freeze_startup_heap()") > source.index("await site.start()")

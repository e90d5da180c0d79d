"""A table import runs with Python's cyclic garbage collector paused, and leaves it as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tracker.importers import table
from tracker.importers.gc_pause import collector_paused
from tracker.importers.table import TableImportError, import_table


@pytest.fixture
def collector_on() -> Iterator[None]:
    """The collector enabled for the test, and put back as it was after it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_in_the_block_and_enabled_after_it(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds its pause
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_a_failing_block_enables_the_collector_again(collector_on: None) -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the import failed")
    assert gc.isenabled()


def test_pauses_in_threads_end_with_the_last_one(collector_on: None) -> None:
    """Two imports at once in one process: the first to end leaves the other's pause."""
    first_in, first_out, second_done = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            first_out.wait(5)

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            first_out.set()
            worker.join(5)  # the first block has ended; this one still runs
            seen.append(gc.isenabled())
        second_done.set()

    worker = threading.Thread(target=first)
    other = threading.Thread(target=second)
    worker.start()
    other.start()
    other.join(10)
    assert second_done.is_set()
    assert seen == [False]
    assert gc.isenabled()


def _watching_collector(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was enabled each time the import read its table."""
    seen: list[bool] = []
    read = table.read_table

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return read(*args, **kwargs)

    monkeypatch.setattr(table, "read_table", watched)
    return seen


def test_an_import_runs_with_the_collector_paused(
    session: Session, monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen = _watching_collector(monkeypatch)
    content = b"donor,item,amount,currency,announced\nGermany,aid,1000.00,EUR,2025-07-01\n"
    result = import_table(session, content, "table.csv")
    assert result.created == 1
    assert seen == [False]
    assert gc.isenabled()


def test_a_refused_import_enables_the_collector_again(
    session: Session, monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen = _watching_collector(monkeypatch)
    with pytest.raises(TableImportError):
        import_table(session, b"donor,item,amount\nNowhere,nothing,x\n", "bad.csv")
    assert seen == [False]
    assert gc.isenabled()

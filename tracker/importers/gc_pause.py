"""Python's cyclic garbage collector paused for the length of a bulk import.

A table import holds a few million objects at once (its columns, the pairs the
matching reads, the rows it writes) and makes hundreds of thousands of tuples.
The collector runs each time enough container objects have been made, and its
collections of the older generations walk every object still alive: at 100,000
rows that was 1.2–1.9 s of the import's CPU on PostgreSQL's client side, none of
it finding garbage (the import's objects are freed by their reference counts).

The pause is counted, so imports running at once in threads of one process (a
web server's) keep it until the last one ends; the collector is then enabled
again only if it was enabled when the first began. Cycles made meanwhile are
collected at the next collection after that.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many blocks have paused the collector, and whether it was enabled before."""

    lock = threading.Lock()
    count = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (see the module's docstring)."""
    with _Pauses.lock:
        if _Pauses.count == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.count += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.count -= 1
            if _Pauses.count == 0 and _Pauses.was_enabled:
                gc.enable()

"""Article extractions made in worker processes, for imports of many articles at once.

Extraction is pure text work (tracker.extract: no database), so the articles ahead of the
one being stored can be read in other processes while this one matches and writes. A
worker reads with the vocabulary the import would read with (the database's names, see
tracker.importers.vocabulary): each task carries the names' key the vocabulary was built
for, and the vocabulary itself, pickled once per key; a worker unpickles it only when the
key is new to it. The import uses a worker's extraction only when the names' key it reads
is the one the worker read with, so the stored rows are those of importing the articles one
by one.

Each extraction is made once, here or in a worker, never in both: the tasks are numbered in
the order they are submitted, which is the order the workers take them in, and the pool and
its workers share two numbers under one lock, the last task a worker began and the last one
the import gave up. When the import reaches an article whose extraction a worker has begun,
it waits for it (`result`); one no worker has begun is given up (with every earlier one),
and a worker that takes a task given up returns at once without extracting it. So while the
workers start (≈ 0.2 s of CPU to import the extractor) the import extracts the first articles
itself, and none is extracted twice.

The workers are started with `spawn`, not `fork`: a forked child would inherit the
parent's open database connections (sockets, SQLite file handles) and the threads' locks;
a spawned one starts clean and imports only the extractor.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any

from tracker.extract import extract
from tracker.extract.models import Extraction
from tracker.extract.vocabulary import Vocabulary

NamesKey = tuple[object, ...]

# The shared numbers' places: the last task a worker began, the last one given up
_BEGUN, _GIVEN_UP = 0, 1

# In a worker: the vocabulary last unpickled, with its names' key; the shared numbers
_WORKER_VOCABULARY: tuple[NamesKey, Vocabulary] | None = None
_WORKER_PROGRESS: Any = None


def default_workers() -> int:
    """One worker per core beside the one this process (and the database) use, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


def _start_worker(progress: Any) -> None:
    """Keep the shared numbers (run once in each worker as it starts)."""
    global _WORKER_PROGRESS
    _WORKER_PROGRESS = progress


def _extract_in_worker(
    number: int, text: str, published: date | None, key: NamesKey, pickled_vocabulary: bytes
) -> Extraction | None:
    """The extraction of `text` with the vocabulary of `key` (run in a worker process), or
    None for a task the import has given up (see the module's docstring)."""
    global _WORKER_VOCABULARY
    with _WORKER_PROGRESS.get_lock():
        if _WORKER_PROGRESS[_GIVEN_UP] >= number:
            return None
        _WORKER_PROGRESS[_BEGUN] = max(_WORKER_PROGRESS[_BEGUN], number)
    if _WORKER_VOCABULARY is None or _WORKER_VOCABULARY[0] != key:
        _WORKER_VOCABULARY = (key, pickle.loads(pickled_vocabulary))
    return extract(text, published, _WORKER_VOCABULARY[1])


@dataclass(frozen=True)
class Task:
    """An extraction submitted to the workers: its number and its future."""

    number: int
    future: Future[Extraction | None]


class ExtractionPool:
    """Worker processes extracting articles with a database's vocabulary."""

    def __init__(self, workers: int) -> None:
        """Start `workers` processes (spawned: see the module's docstring)."""
        context = multiprocessing.get_context("spawn")
        self._progress: Any = context.Array("q", 2)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self._progress,),
        )
        self._pickled: tuple[NamesKey, bytes] | None = None
        self._submitted = 0

    def submit(
        self, text: str, published: date | None, key: NamesKey, vocabulary: Vocabulary
    ) -> Task:
        """Extract `text` in a worker with `vocabulary`, the vocabulary of the names' `key`."""
        if self._pickled is None or self._pickled[0] != key:
            self._pickled = (key, pickle.dumps(vocabulary, pickle.HIGHEST_PROTOCOL))
        self._submitted += 1
        future = self._executor.submit(
            _extract_in_worker, self._submitted, text, published, key, self._pickled[1]
        )
        return Task(self._submitted, future)

    def result(self, task: Task) -> Extraction | None:
        """The task's extraction: waited for when a worker has begun it; None when none has
        (it is then taken back: the caller extracts it) or when the extraction failed (the
        caller extracts it again and reports the error)."""
        if not task.future.done() and self.take_back(task):
            return None
        if task.future.cancelled() or task.future.exception() is not None:
            return None
        return task.future.result()

    def take_back(self, task: Task) -> bool:
        """Give up `task` and every earlier one, unless a worker has begun it: True when
        given up (a worker that takes one of them does not extract it)."""
        with self._progress.get_lock():
            if self._progress[_BEGUN] >= task.number:
                return False
            self._progress[_GIVEN_UP] = max(self._progress[_GIVEN_UP], task.number)
        task.future.cancel()
        return True

    def close(self) -> None:
        """Stop the workers, dropping the extractions not started."""
        with self._progress.get_lock():
            self._progress[_GIVEN_UP] = self._submitted
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractionPool:
        """The pool, closed when the block ends."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the pool."""
        self.close()

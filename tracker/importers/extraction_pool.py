"""Article extractions made in worker processes, for imports of many articles at once.

Extraction is pure text work (tracker.extract: no database), so the articles ahead of the
one being stored can be read in other processes while this one matches and writes. A
worker reads with the vocabulary the import would read with (the database's names, see
tracker.importers.vocabulary): each task carries the names' key the vocabulary was built
for, and the vocabulary itself, pickled once per key; a worker unpickles it only when the
key is new to it. The import uses a worker's extraction only when the names' key it reads
is the one the worker read with, so the stored rows are those of importing the articles one
by one.

The workers are started with `spawn`, not `fork`: a forked child would inherit the
parent's open database connections (sockets, SQLite file handles) and the threads' locks;
a spawned one starts clean and imports only the extractor.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from types import TracebackType

from tracker.extract import extract
from tracker.extract.models import Extraction
from tracker.extract.vocabulary import Vocabulary

NamesKey = tuple[object, ...]

# In a worker: the vocabulary last unpickled, with its names' key
_WORKER_VOCABULARY: tuple[NamesKey, Vocabulary] | None = None


def default_workers() -> int:
    """One worker per core beside the one this process (and the database) use, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


def _extract_in_worker(
    text: str, published: date | None, key: NamesKey, pickled_vocabulary: bytes
) -> Extraction:
    """The extraction of `text` with the vocabulary of `key` (run in a worker process)."""
    global _WORKER_VOCABULARY
    if _WORKER_VOCABULARY is None or _WORKER_VOCABULARY[0] != key:
        _WORKER_VOCABULARY = (key, pickle.loads(pickled_vocabulary))
    return extract(text, published, _WORKER_VOCABULARY[1])


class ExtractionPool:
    """Worker processes extracting articles with a database's vocabulary."""

    def __init__(self, workers: int) -> None:
        """Start `workers` processes (spawned: see the module's docstring)."""
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        self._pickled: tuple[NamesKey, bytes] | None = None

    def submit(
        self, text: str, published: date | None, key: NamesKey, vocabulary: Vocabulary
    ) -> Future[Extraction]:
        """Extract `text` in a worker with `vocabulary`, the vocabulary of the names' `key`."""
        if self._pickled is None or self._pickled[0] != key:
            self._pickled = (key, pickle.dumps(vocabulary, pickle.HIGHEST_PROTOCOL))
        return self._executor.submit(_extract_in_worker, text, published, key, self._pickled[1])

    def close(self) -> None:
        """Stop the workers, dropping the extractions not started."""
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

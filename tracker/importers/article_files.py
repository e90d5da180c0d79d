"""Import many article files at once: each its own import and its own transaction.

The articles are imported in the order given, each matched against everything stored before
it (article k + 1 can corroborate the pledges of article k), each committed on its own: a
file that cannot be read or imported is reported with its name and rolled back alone, and
the others are still imported. While one article is matched and written, the next few are
extracted in worker processes (tracker.importers.extraction_pool); an extraction is used
only when it was made with the vocabulary the import reads with, so the stored rows are
those of importing the files one by one. The workers are spawned: a program that calls
`import_article_files` from a script of its own guards the script's top level with
`if __name__ == "__main__":`, as `multiprocessing` asks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tracker.extract import ExtractError
from tracker.extract.models import Extraction
from tracker.extract.vocabulary import Vocabulary
from tracker.importers.article import (
    ArticleFileError,
    ArticleImportResult,
    ArticleMeta,
    import_article,
    read_article,
)
from tracker.importers.deferred_writes import DeferredWrites, waited_before_reads
from tracker.importers.extraction_pool import ExtractionPool, NamesKey, Task, default_workers
from tracker.importers.vocabulary import database_vocabulary, names_key
from tracker.models import User
from tracker.services.pledge_rules import PledgeError
from tracker.services.reference import CatalogueMissing


@dataclass
class ArticleOutcome:
    """What became of one file: its import's result and description, or why it failed."""

    path: Path
    result: ArticleImportResult | None = None
    summary: str | None = None  # the import described before its commit
    error: str | None = None  # names the file


def article_files(paths: Iterable[Path]) -> list[Path]:
    """The files to import, in the order given; a directory stands for the files under it,
    sorted by their path, less the `meta.json` files beside them and hidden files."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        files += sorted(
            found
            for found in path.rglob("*")
            if found.is_file()
            and found.name != "meta.json"
            and not any(part.startswith(".") for part in found.relative_to(path).parts)
        )
    return files


@dataclass
class _Pending:
    """A file read and waiting for its import, with its extraction under way."""

    path: Path
    text: str = ""
    meta: ArticleMeta | None = None
    error: str | None = None
    task: Task | None = None
    key: NamesKey | None = None  # the names' key of the vocabulary the task reads with


class _Vocabularies:
    """The names' key and vocabulary the next imports will read with, as last seen."""

    def __init__(self, session: Session) -> None:
        """Read the database's names' key and vocabulary now."""
        self.session = session
        self.key: NamesKey = names_key(session)
        self.vocabulary: Vocabulary = database_vocabulary(session, self.key)

    def seen(self, key: NamesKey) -> bool:
        """Note the key an import reads with; True when it differs from the one known."""
        if key == self.key:
            return False
        self.key, self.vocabulary = key, database_vocabulary(self.session, key)
        return True


def import_article_files(
    session: Session,
    paths: Iterable[Path],
    *,
    adjust: Callable[[ArticleMeta], ArticleMeta] = lambda meta: meta,
    dry_run: bool = False,
    user: User | None = None,
    workers: int | None = None,
    ahead: int | None = None,
    describe: Callable[[ArticleImportResult], str] | None = None,
) -> Iterator[ArticleOutcome]:
    """Import the article files `paths` in order, committing each (see the module's
    docstring), and yield what became of each as it is done.

    `adjust` turns each file's metadata into the one to store (the command line's options);
    `workers` processes extract (default: one per core less one; 0: extract here), at most
    `ahead` articles beyond the one being stored (default: twice the workers, plus one);
    `describe` describes each result before its commit (after it, its rows would be read
    again).
    """
    workers = default_workers() if workers is None else workers
    files = deque(paths)
    queue: deque[_Pending] = deque()
    writes = DeferredWrites(session) if not dry_run and DeferredWrites.supported(session) else None
    with ExitStack() as stack:
        if writes is not None:
            stack.enter_context(waited_before_reads(session.get_bind(), writes))
        pool = stack.enter_context(ExtractionPool(workers)) if workers > 0 else None
        limit = ahead if ahead is not None else 2 * workers + 1
        names = _Vocabularies(session) if pool is not None else None

        def submit(pending: _Pending) -> None:
            """Start the extraction of a read file in a worker, with the vocabulary known."""
            if pool is not None and names is not None and pending.error is None:
                assert pending.meta is not None
                pending.key = names.key
                pending.task = pool.submit(
                    pending.text, pending.meta.published, names.key, names.vocabulary
                )

        def fill() -> None:
            """Read files until `limit` wait beyond the one being imported."""
            while len(queue) <= limit and files:
                pending = _Pending(files.popleft())
                try:
                    pending.text, meta = read_article(pending.path)
                    pending.meta = adjust(meta)
                except ArticleFileError as exc:
                    pending.error = str(exc)
                submit(pending)
                queue.append(pending)

        def extracted(current: _Pending) -> Callable[[NamesKey], Extraction | None]:
            """`import_article`'s `extracted` for `current`: its worker's extraction with
            the key the import reads with, waited for when a worker has begun it (None, and
            extracted here, when none has: see tracker.importers.extraction_pool). A new key
            restarts the extractions of the files waiting, with the new vocabulary."""

            def answer(key: NamesKey) -> Extraction | None:
                if pool is None or names is None or current.task is None:
                    return None
                if names.seen(key):
                    for waiting in queue:
                        if waiting.task is not None:
                            pool.take_back(waiting.task)
                        submit(waiting)
                if current.key != key:  # another vocabulary's
                    pool.take_back(current.task)
                    return None
                return pool.result(current.task)

            return answer

        if not dry_run:
            stack.enter_context(_WalCheckpoints(session))
        commits = stack.enter_context(_Commits(session, defer=not dry_run, writes=writes))
        if writes is not None:  # an import stopped midway leaves pipeline mode first
            stack.callback(writes.abandon)
        fill()
        while queue:
            current = queue.popleft()
            if current.error is not None:
                fill()
                yield ArticleOutcome(current.path, error=current.error)
                continue
            assert current.meta is not None
            try:
                result = import_article(
                    session,
                    current.text,
                    current.meta,
                    dry_run=dry_run,
                    user=user,
                    extracted=extracted(current),
                    writes=writes,
                )
                summary = describe(result) if describe is not None else None
                commits.send(last=not queue and not files)
                fill()  # while PostgreSQL writes what was sent (tracker.importers.deferred_writes)
                commits.wait()
            except (ExtractError, CatalogueMissing, PledgeError, SQLAlchemyError) as exc:
                commits.abandon()
                session.rollback()
                fill()
                yield ArticleOutcome(current.path, error=f"{current.path}: {exc}")
                continue
            yield ArticleOutcome(current.path, result, summary)


class _Commits:
    """Each article's commit. On PostgreSQL an article with more files after it commits
    without waiting for its commit to reach the disk (`synchronous_commit = off` for its
    transaction: ≈ 3 ms of waiting an article, as long as the server's own work on it);
    the last one waits, and with it every commit before it, whose records the log holds
    before its own. A crash of the server while the files are imported can lose the
    commits of the last articles imported (whole articles, never part of one: an import
    run again stores them, and skips those kept). When the files end without a commit that
    waited (the last file failed, or the import stopped early), one empty transaction given
    an id commits and waits for the others to reach the disk.

    With `writes` (PostgreSQL), the commit is sent behind the article's last statements
    without waiting for it (`send`), and waited for with them (`wait`): the article's
    outcome is given only once its commit has answered."""

    def __init__(
        self, session: Session, *, defer: bool = True, writes: DeferredWrites | None = None
    ) -> None:
        """No commit made yet; none deferred unless `defer` (a dry run writes nothing)."""
        self.session = session
        self.defer = defer and session.get_bind().dialect.name == "postgresql"
        self.writes = writes
        self.unwritten = False  # whether a commit has not been waited for
        self.sent: bool | None = None  # `last` of a commit sent and not waited for

    def send(self, *, last: bool) -> None:
        """Commit the article's transaction, waiting for the disk only when `last`; with
        `writes`, only send the commit (`wait` waits for it)."""
        if self.writes is not None and self.writes.commit(wait_for_disk=last or not self.defer):
            self.sent = last
            return
        self.commit(last=last)

    def wait(self) -> None:
        """Wait for the statements and the commit sent (their errors raised here)."""
        if self.writes is not None:
            self.writes.wait()
        if self.sent is not None:
            self.session.commit()  # the driver's transaction has ended: nothing is sent
            self.unwritten, self.sent = not self.sent, None

    def abandon(self) -> None:
        """Forget what was sent for an article that failed (the caller rolls it back)."""
        if self.writes is not None:
            self.writes.abandon()
        self.sent = None

    def commit(self, *, last: bool) -> None:
        """Commit the article's transaction, waiting for the disk only when `last`."""
        if self.defer and not last and self.session.in_transaction():
            self.session.execute(text("SET LOCAL synchronous_commit = off"))
            self.session.commit()
            self.unwritten = True
            return
        self.session.commit()
        self.unwritten = False

    def __enter__(self) -> _Commits:
        """The commits of the files."""
        return self

    def __exit__(self, *_error: object) -> None:
        """Wait for the commits not waited for yet (see the class's docstring)."""
        if self.unwritten:
            self.session.rollback()
            self.session.execute(text("SELECT pg_current_xact_id()"))
            self.session.commit()
            self.unwritten = False


# Pages of SQLite's write-ahead log between two checkpoints while files are imported
# (SQLite's own default: 1,000)
SQLITE_CHECKPOINT_PAGES = 10_000


class _WalCheckpoints:
    """SQLite: the write-ahead log checkpointed every SQLITE_CHECKPOINT_PAGES pages while
    the files are imported, not every 1,000. An article writes some hundreds of pages (the
    pledge table's indexes at a million pledges), so SQLite copied the log into the
    database file, and waited for the disk, every few articles; a page written by several
    articles between two checkpoints (an index's upper levels, the rollup's) is now copied
    once. At the end the setting is put back and the log checkpointed once, so no
    checkpoint is left to the next writer. The setting belongs to the connection the
    session holds; when the session is bound to a connection of its caller (a transaction
    of theirs open), only the setting is put back. Nothing happens on PostgreSQL."""

    def __init__(self, session: Session) -> None:
        """The session whose connection's setting changes."""
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.previous: int | None = None

    def __enter__(self) -> _WalCheckpoints:
        """Raise the log's checkpoint threshold."""
        if self.sqlite:
            connection = self.session.connection()
            self.previous = int(
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
            )
            connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
        return self

    def __exit__(self, *_error: object) -> None:
        """Put the threshold back and checkpoint the log (outside any transaction)."""
        if self.previous is None:
            return
        setting = f"PRAGMA wal_autocheckpoint = {self.previous}"
        bind = self.session.get_bind()
        if not isinstance(bind, Engine):
            self.session.connection().exec_driver_sql(setting)
            return
        self.session.rollback()  # the last article's transaction is committed already
        raw = bind.raw_connection()
        try:
            driver: Any = raw.driver_connection
            driver.execute(setting)
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            raw.close()

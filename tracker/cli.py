"""The `tracker` command: database, seeding, imports, exports, users, the server.

Each command that writes opens one session and commits once, so a command
either does all of its work or none of it.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.cli_users import USER_OPTION_HELP, acting_user
from tracker.config import SEEDS_DIR, database_url
from tracker.db import (
    WRITE_TRANSACTION,
    DatabaseConfigError,
    check_connection,
    make_engine,
    make_session_factory,
    safe_url,
)
from tracker.money import format_quantity
from tracker.wording import count_of, first_few, ids_in_brief, money, qualified

if TYPE_CHECKING:
    from tracker.extract.models import ExtractedPledge
    from tracker.importers.article import ArticleImportResult, ArticleMeta


# How many of an article's pledges (and of its requests) an import lists, one a line; the
# rest are counted ("… and 80 more pledges": the review queue and the export list them all)
STATEMENTS_SHOWN = 20


def open_engine() -> Engine:
    """The configured engine, checked: a bad URL or unreachable database exits with status 2."""
    try:
        engine = make_engine(database_url())
        check_connection(engine)
    except DatabaseConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return engine


@contextmanager
def session_scope(*, write: bool = False) -> Iterator[Session]:
    """One session for one command: committed if the command succeeds, rolled back if not.
    A command that `write`s takes SQLite's write lock when it begins (see tracker.db). A
    database not migrated to the newest schema stops the command with one line."""
    engine = open_engine()
    try:
        require_current_schema(engine)
    except click.ClickException:
        engine.dispose()
        raise
    factory = make_session_factory(engine)
    session = factory(execution_options=WRITE_TRANSACTION) if write else factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        engine.dispose()


def require_current_schema(engine: Engine) -> None:
    """Stop with a clear message when the database has not been migrated to the newest schema."""
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise click.ClickException(
            f"the database {safe_url(engine.url)} is at revision {current or 'none'}, "
            f"not {head}: run `tracker db upgrade` first"
        )


class TrackerGroup(click.Group):
    """A command group whose errors exit with status 2 and one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command, turning database configuration errors into a one-line message."""
        try:
            return super().invoke(ctx)
        except DatabaseConfigError as exc:
            raise click.ClickException(str(exc)) from exc


click.ClickException.exit_code = 2


@click.group(cls=TrackerGroup)
def main() -> None:
    """Track aid pledges: who promised what, to whom, when, and where it was read."""


@main.group()
def db() -> None:
    """Create or migrate the database schema."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    engine = open_engine()
    before = migrate.current_revision(engine)
    target = migrate.head_revision() if revision == "head" else revision
    if before == target:
        click.echo(f"The database {safe_url(engine.url)} is already at revision {before}.")
        return
    migrated(migrate.upgrade, engine, revision, "up")
    click.echo(f"Migrated {safe_url(engine.url)} from {before or 'an empty database'} to {target}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" empties it)."""
    engine = open_engine()
    migrated(migrate.downgrade, engine, revision, "down")
    click.echo(f"Migrated {safe_url(engine.url)} down to {revision}.")


def migrated(
    step: Callable[[Engine, str], None], engine: Engine, revision: str, direction: str
) -> None:
    """Run a migration `step` to `revision`; one Alembic cannot find or take stops the
    command with one line naming it (exit status 2), the database unchanged."""
    from alembic.util import CommandError

    try:
        step(engine, revision)
    except CommandError as error:
        raise click.ClickException(f"cannot migrate {direction} to {revision!r}: {error}") from None


@db.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    engine = open_engine()
    click.echo(migrate.current_revision(engine) or "none")


@db.command("rebuild-totals")
def db_rebuild_totals() -> None:
    """Recompute the totals rollup from the pledge table.

    Every write through the app keeps the rollup in step; this repairs it after
    writes that bypassed the app (SQL typed by hand, a restored table).
    """
    from tracker.models import TotalsRollup
    from tracker.services.totals import rebuild_totals

    with session_scope() as session:
        rebuild_totals(session)
        rows = session.scalar(select(func.count()).select_from(TotalsRollup))
    click.echo(f"Rebuilt the totals rollup: {rows} rows.")


@main.command()
def seed() -> None:
    """Load the reference data and the seed articles in seeds/ (idempotent)."""
    from tracker.importers.article import ArticleFileError, import_article, read_article
    from tracker.services.reference import seed_reference

    with session_scope() as session:
        report = seed_reference(session)
        if report.total:
            added = ", ".join(f"{n} {what}" for what, n in report.added.items() if n)
            click.echo(f"Reference data: added {added}.")
        else:
            click.echo("Reference data: nothing to add, already loaded.")
        for article in sorted(SEEDS_DIR.glob("*/article.txt")):
            try:
                text, meta = read_article(article)
            except ArticleFileError as exc:
                raise click.ClickException(str(exc)) from exc
            result = import_article(session, text, meta)
            click.echo(f"{article.parent.name}: {describe_article_import(result).splitlines()[0]}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per worker: requests served at once by each worker process.",
)
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the web app with gunicorn (gthread workers)."""
    from tracker.config import Config, ConfigError, check_settings
    from tracker.server import run_gunicorn

    try:
        check_settings(vars(Config))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    engine = open_engine()
    require_current_schema(engine)
    engine.dispose()
    check_can_listen(host, port)
    click.echo(f"Serving the tracker on http://{host}:{port} (press Ctrl+C to stop)")
    sys.stdout.flush()
    run_gunicorn(host=host, port=port, workers=workers, threads=threads)


def check_can_listen(host: str, port: int) -> None:
    """Refuse in one line a host and port the server cannot listen on (a port in use, a
    host name that does not resolve), before gunicorn retries it five times and leaves a
    traceback."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host.strip("[]"), port), family=family):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise click.ClickException(f"cannot serve on {host}:{port}: {reason}") from None


def parse_date_option(value: str | None, option: str) -> date | None:
    """A --published style option as a date, or a clear usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a date like 2025-07-10", param_hint=option
        ) from exc


@main.command("extract")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--published", help="Publication date (YYYY-MM-DD); overrides meta.json.")
def extract_command(file: Path, published: str | None) -> None:
    """Print the pledges and requests found in an article FILE as JSON (nothing is stored)."""
    from tracker.extract import extract, to_contract
    from tracker.importers.article import ArticleFileError, read_article

    try:
        text, meta = read_article(file)
    except ArticleFileError as exc:
        raise click.ClickException(str(exc)) from exc
    when = parse_date_option(published, "--published") or meta.published
    extraction = extract(text, when)
    source = {
        "title": meta.title,
        "publisher": meta.publisher,
        "url": meta.url,
        "published": when.isoformat() if when else None,
        "file": file.name,
    }
    click.echo(json.dumps(to_contract(extraction, source), ensure_ascii=False, indent=2))
    click.echo(
        f"{count_of(len(extraction.pledges), 'pledge')} found, "
        f"{count_of(len(extraction.requests), 'request')}.",
        err=True,
    )


@main.command("import-article")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD); overrides meta.json.")
@click.option("--url", help="Where the article was published (one FILE only).")
@click.option("--title", help="The article's headline (one FILE only).")
@click.option("--publisher", help="Who published it.")
@click.option("--dry-run", is_flag=True, help="Show what would be stored; write nothing.")
@click.option("--user", "username", help=USER_OPTION_HELP)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    help="Processes extracting the next articles of several FILES (default: cores less one).",
)
def import_article_command(
    files: tuple[Path, ...],
    published: str | None,
    url: str | None,
    title: str | None,
    publisher: str | None,
    dry_run: bool,
    username: str | None,
    workers: int | None,
) -> None:
    """Import article FILES: their pledges (awaiting review), requests and evidence.

    Several FILES (a directory stands for the files under it) are imported in the order
    given, each on its own and committed on its own, each matched against everything
    stored before it; a file that fails is reported and the others are still imported
    (exit status 1 if any failed).
    """
    from dataclasses import replace

    from tracker.importers.article import ArticleFileError, import_article, read_article
    from tracker.models._types import utcnow
    from tracker.services.entry_checks import mistyped_day
    from tracker.services.manual_sources import is_web_address
    from tracker.services.pledge_rules import PledgeError
    from tracker.services.reference import CatalogueMissing

    published_on = parse_date_option(published, "--published")
    mistyped = published_on and mistyped_day("published", published_on, today=utcnow().date())
    if mistyped:
        raise click.BadParameter(mistyped, param_hint="--published")
    if url is not None and not is_web_address(url.strip()):
        raise click.BadParameter(
            f"{url!r} is not a web address: write it whole, https://...", param_hint="--url"
        )

    def adjust(meta: ArticleMeta) -> ArticleMeta:
        """The file's metadata, the command line's options taking precedence."""
        return replace(
            meta,
            published=published_on or meta.published,
            url=(url or "").strip() or meta.url,
            title=title or meta.title,
            publisher=publisher or meta.publisher,
        )

    if len(files) > 1 or files[0].is_dir():
        if url or title:
            raise click.UsageError("--url and --title name one article: give one FILE")
        import_article_files_command(files, adjust, dry_run, username, workers)
        return
    file = files[0]
    try:
        text, meta = read_article(file)
    except ArticleFileError as exc:
        raise click.ClickException(str(exc)) from exc
    meta = adjust(meta)
    with session_scope() as session:
        user = acting_user(session, username)
        try:
            result = import_article(session, text, meta, dry_run=dry_run, user=user)
        except (CatalogueMissing, PledgeError) as exc:
            raise click.ClickException(f"{file}: {exc}") from exc
        click.echo(describe_article_import(result))


def import_article_files_command(
    files: tuple[Path, ...],
    adjust: Callable[[ArticleMeta], ArticleMeta],
    dry_run: bool,
    username: str | None,
    workers: int | None,
) -> None:
    """`import-article` of several files (see tracker.importers.article_files): each file's
    description headed by its name, the failures on standard error, then a count."""
    from tracker.importers.article_files import article_files, import_article_files

    paths = article_files(files)
    failed = 0
    # Each file is committed on its own (import_article_files): the scope's own commit at
    # the end finds nothing left to write
    with session_scope(write=True) as session:
        user = acting_user(session, username)
        outcomes = import_article_files(
            session,
            paths,
            adjust=adjust,
            dry_run=dry_run,
            user=user,
            workers=workers,
            describe=describe_article_import,
        )
        for outcome in outcomes:
            if outcome.error is not None:
                failed += 1
                click.echo(outcome.error, err=True)
            else:
                click.echo(f"{outcome.path}: {outcome.summary}")
    done = "checked" if dry_run else "imported"
    click.echo(f"{len(paths) - failed} of {len(paths)} articles {done}, {failed} failed.")
    if failed:
        raise click.exceptions.Exit(1)


def stated_figure(pledge: ExtractedPledge) -> str:
    """An extracted pledge's figure as the pages write it: "up to £283,000,000.00",
    "≥ 5,000 missiles", "an unknown number of drones"."""
    if pledge.amount is None or pledge.currency is None:
        return format_quantity(pledge.quantity, pledge.unit, pledge.qualifier)
    return qualified(money(pledge.amount, pledge.currency, compact=False), pledge.qualifier)


def describe_article_import(result: ArticleImportResult) -> str:
    """What an article import did, in a few lines for the terminal."""
    source = result.source
    if result.already_imported and source is not None:
        return (
            f"Already imported as source #{source.id} ({source.title or source.file_name}): "
            "unchanged, nothing imported."
        )
    stated = result.imported or result.extraction  # of an updated article, what is new
    pledges, more_pledges = first_few(stated.pledges, STATEMENTS_SHOWN)
    lines = [f"  {p.donor}: {p.item}, {stated_figure(p)} ({p.kind})" for p in pledges]
    if more_pledges:
        lines.append(f"  … and {count_of(more_pledges, 'more pledge')}")
    requests, more_requests = first_few(stated.requests, STATEMENTS_SHOWN)
    lines.extend(f"  request by {r.requester}: {r.item}" for r in requests)
    if more_requests:
        lines.append(f"  … and {count_of(more_requests, 'more request')}")
    found = (
        f"{count_of(result.pledge_count, 'pledge')} found, "
        f"{count_of(len(result.extraction.requests), 'request')}"
    )
    if result.updates is not None:
        previous = result.updates
        found = (
            f"updated: {count_of(result.new_statements, 'new statement')}, "
            f"{result.already_recorded} already recorded (an earlier version of this URL is "
            f"source #{previous.id})"
        )
    if result.dry_run:
        head = f"Dry run: {found}; nothing written."
    else:
        assert source is not None
        name = source.title or source.file_name
        head = f"Imported source #{source.id} ({name}): {found}, awaiting review."
        new = len(result.pledges)
        lines.append(
            f"  {count_of(new, 'new pledge')}; {count_of(len(result.reports), 'report')} "
            "added to earlier pledges"
        )
        flagged = [p.id for p in result.pledges if p.duplicate_of_id is not None]
        if flagged:
            lines.append(
                f"  {count_of(len(flagged), 'possible duplicate')}, left out of the totals: "
                f"{ids_in_brief(flagged)}"
            )
        lines.extend(f"  not recorded: {problem}" for problem in result.problems)
    return "\n".join([head, *lines])


def register_subcommands() -> None:
    """Attach the command groups that live in their own modules."""
    from tracker.cli_rates import db_reconvert, rates
    from tracker.cli_tables import register
    from tracker.cli_users import users

    register(main, session_scope)
    main.add_command(users)
    main.add_command(rates)
    db.add_command(db_reconvert)


register_subcommands()

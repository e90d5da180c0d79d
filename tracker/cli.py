"""The `tracker` command: database, seeding, imports, exports, users, the server.

Each command that writes opens one session and commits once, so a command
either does all of its work or none of it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.config import PROJECT_ROOT, database_url
from tracker.db import (
    DatabaseConfigError,
    check_connection,
    make_engine,
    make_session_factory,
    safe_url,
)

SEEDS_DIR = PROJECT_ROOT / "seeds"


def open_engine() -> Engine:
    """The configured engine, checked: a bad URL or unreachable database exits with status 2."""
    try:
        engine = make_engine(database_url())
        check_connection(engine)
    except DatabaseConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return engine


@contextmanager
def session_scope() -> Iterator[Session]:
    """One session for one command: committed if the command succeeds, rolled back if not."""
    engine = open_engine()
    session = make_session_factory(engine)()
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
    migrate.upgrade(engine, revision)
    click.echo(f"Migrated {safe_url(engine.url)} from {before or 'an empty database'} to {target}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" empties it)."""
    engine = open_engine()
    migrate.downgrade(engine, revision)
    click.echo(f"Migrated {safe_url(engine.url)} down to {revision}.")


@db.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    engine = open_engine()
    click.echo(migrate.current_revision(engine) or "none")


@main.command()
def seed() -> None:
    """Load the reference data (idempotent): countries, organisations, groups, items."""
    from tracker.services.reference import seed_reference

    with session_scope() as session:
        require_current_schema(session.get_bind())  # type: ignore[arg-type]
        report = seed_reference(session)
    if report.total:
        added = ", ".join(f"{n} {what}" for what, n in report.added.items() if n)
        click.echo(f"Reference data: added {added}.")
    else:
        click.echo("Reference data: nothing to add, already loaded.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app with gunicorn."""
    from tracker.config import Config, ConfigError, check_settings
    from tracker.server import run_gunicorn

    try:
        check_settings(vars(Config))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    engine = open_engine()
    require_current_schema(engine)
    engine.dispose()
    click.echo(f"Serving the tracker on http://{host}:{port} (press Ctrl+C to stop)")
    sys.stdout.flush()
    run_gunicorn(host=host, port=port, workers=workers)


def register_subcommands() -> None:
    """Attach the command groups that live in their own modules."""
    from tracker.cli_tables import register
    from tracker.cli_users import users

    register(main, session_scope)
    main.add_command(users)


register_subcommands()

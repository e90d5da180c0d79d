"""Alembic's entry point: migrate the connection it is handed, or TRACKER_DATABASE_URL."""

from __future__ import annotations

from alembic import context

import tracker.models  # noqa: F401  (registers every table on the metadata)
from tracker.config import database_url
from tracker.db import Base, make_engine
from tracker.migrate import schema_transaction
from tracker.models.pledge_text import is_text_search_object

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    """Compare every schema object but the text search index, which the models do not
    declare (tracker.models.pledge_text)."""
    return not is_text_search_object(name, type_)


def run_migrations(connection) -> None:
    """Run the migrations on one connection, in batch mode so SQLite can alter tables."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with schema_transaction(engine) as conn:
        run_migrations(conn)
    engine.dispose()

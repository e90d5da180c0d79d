"""Text search index over the pledge's wording and notes; an (item_id, announced) index

The `q` filter looks for a case-insensitive substring of the pledge's wording
(`item_text`) and notes. Without an index every search read the whole table.

- SQLite: an FTS5 table `pledge_text` with the trigram tokenizer, external content
  (the pledge table itself: the index holds trigrams, not a copy of the text),
  rowid = pledge id. Triggers on the pledge table keep it in step, whatever writes:
  the pledge service, the imports, the API, a plain SQL statement. Rows with neither
  text stay out of it (FTS5's 'rebuild' would enter them: fill it as upgrade() does).
- PostgreSQL: pg_trgm GIN indexes on item_text and notes, which ILIKE '%...%' uses.
  Only rows with a text are entered (an ILIKE implies the column is not null, so the
  partial index serves it), and without GIN's pending list (`fastupdate = off`): a
  search never reads a list of unsorted recent entries, at the price of a slower
  insert of a row with text.

A database that holds pledges gets its index filled here. Down drops all of it.

The pledge list filtered by an item, in its default order (newest first), reads one
page of (item_id, announced) instead of walking the announced index past every other
item's pledges; the donor filter has had (donor_id, announced) since 0001.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.models.pledge_text import (
    PLEDGE_TEXT_TABLE,
    PLEDGE_TEXT_TRIGGERS,
    TEXT_COLUMNS,
    trigram_index_name,
)

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_TEXT = "({row}.item_text IS NOT NULL OR {row}.notes IS NOT NULL)"
_ADD = (
    f"INSERT INTO {PLEDGE_TEXT_TABLE} (rowid, item_text, notes) "
    f"SELECT new.id, new.item_text, new.notes WHERE {_HAS_TEXT.format(row='new')};"
)
_REMOVE = (
    f"INSERT INTO {PLEDGE_TEXT_TABLE} ({PLEDGE_TEXT_TABLE}, rowid, item_text, notes) "
    f"SELECT 'delete', old.id, old.item_text, old.notes WHERE {_HAS_TEXT.format(row='old')};"
)
# Only rows with a text are entered: most pledges have none, and entering an empty row
# costs an insert as dear as the pledge's own. An external-content FTS5 table forgets a
# row by being told the values it entered, so each trigger passes the old ones. An
# update removes then adds in one trigger (two triggers on one event run in no promised
# order).
_TRIGGERS = {
    "pledge_text_insert": f"AFTER INSERT ON pledge WHEN {_HAS_TEXT.format(row='new')} "
    f"BEGIN {_ADD} END",
    "pledge_text_delete": f"AFTER DELETE ON pledge WHEN {_HAS_TEXT.format(row='old')} "
    f"BEGIN {_REMOVE} END",
    "pledge_text_update": "AFTER UPDATE OF id, item_text, notes ON pledge "
    f"BEGIN {_REMOVE} {_ADD} END",
}
assert tuple(_TRIGGERS) == PLEDGE_TEXT_TRIGGERS


ITEM_INDEX = "ix_pledge_item_id_announced"


def upgrade() -> None:
    """Create the index of the backend and fill it from the stored pledges."""
    op.create_index(ITEM_INDEX, "pledge", ["item_id", "announced"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {PLEDGE_TEXT_TABLE} USING fts5("
            f"{', '.join(TEXT_COLUMNS)}, content='pledge', content_rowid='id', "
            "tokenize='trigram')"
        )
        op.execute(
            f"INSERT INTO {PLEDGE_TEXT_TABLE} (rowid, item_text, notes) "
            f"SELECT id, item_text, notes FROM pledge WHERE {_HAS_TEXT.format(row='pledge')}"
        )
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # the operator class lives in the schema the extension was made in, maybe not ours
    schema = op.get_bind().scalar(
        sa.text(
            "SELECT nspname FROM pg_extension JOIN pg_namespace ON pg_namespace.oid = "
            "extnamespace WHERE extname = 'pg_trgm'"
        )
    )
    for column in TEXT_COLUMNS:
        op.execute(
            f"CREATE INDEX {trigram_index_name(column)} ON pledge "
            f'USING gin ({column} "{schema}".gin_trgm_ops) WITH (fastupdate = off) '
            f"WHERE {column} IS NOT NULL"
        )


def downgrade() -> None:
    """Drop the triggers and the FTS table (SQLite) or the trigram indexes (PostgreSQL).
    The pg_trgm extension stays: other objects may use it."""
    op.drop_index(ITEM_INDEX, table_name="pledge")
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {PLEDGE_TEXT_TABLE}")
        return
    for column in TEXT_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS {trigram_index_name(column)}")

"""The text search index over the pledge's wording and notes (migration 0024).

It lives outside the models' metadata, as the backend builds it: on SQLite an FTS5
table with the trigram tokenizer whose rowid is the pledge id, kept in step by
triggers on the pledge table; on PostgreSQL pg_trgm GIN indexes on the columns.
Schema comparison (`alembic check`) leaves these objects alone: `is_text_search_object`.
"""

from __future__ import annotations

__all__ = [
    "PLEDGE_TEXT_TABLE",
    "PLEDGE_TEXT_TRIGGERS",
    "TEXT_COLUMNS",
    "is_text_search_object",
    "trigram_index_name",
]

PLEDGE_TEXT_TABLE = "pledge_text"
TEXT_COLUMNS = ("item_text", "notes")
PLEDGE_TEXT_TRIGGERS = (
    "pledge_text_insert",
    "pledge_text_delete",
    "pledge_text_update",
)


def trigram_index_name(column: str) -> str:
    """The PostgreSQL trigram index on one text column of the pledge table."""
    return f"ix_pledge_{column}_trgm"


def is_text_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index is part of the text search index: the FTS5
    table and its shadow tables (pledge_text, pledge_text_data, ...) or a trigram index."""
    if name is None:
        return False
    if type_ == "table":
        return name == PLEDGE_TEXT_TABLE or name.startswith(f"{PLEDGE_TEXT_TABLE}_")
    if type_ == "index":
        return name in {trigram_index_name(column) for column in TEXT_COLUMNS}
    return False

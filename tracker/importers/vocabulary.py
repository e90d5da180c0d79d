"""The extractor's vocabulary read from the database: a name an admin adds (a donor alias, an
item, an item alias) is used by the next import.

Building it reads every alias and item and compiles one regex of the donor names the
built-in lists lack, so it is kept per database and rebuilt only when the names' version
moves (every write to donors, aliases, items, item aliases or categories bumps it, pledge
writes do not; see ``services.data_version``). A rolled-back transaction gives its version
number back, so the cache key also holds a fingerprint of the name tables (row counts, last
ids and the lengths of the names of donor aliases, items, item aliases and recipients): a
later transaction that reaches the same version number with other names does not read a
stale vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from threading import Lock
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import Session

from tracker.extract.vocabulary import ItemEntry, Vocabulary, build_vocabulary
from tracker.models import (
    DATA_VERSION_ROW,
    DataVersion,
    Donor,
    DonorAlias,
    Item,
    ItemAlias,
    ItemCategory,
    Recipient,
)

_Key = tuple[object, ...]
_CACHE: dict[str, tuple[_Key, Vocabulary]] = {}
_LOOKUPS: dict[str, tuple[_Key, dict[Any, Any]]] = {}
_LOCK = Lock()


@cache
def _fingerprint_query() -> Select[tuple[object, ...]]:
    """The names' version, then counts, last ids and name lengths of the tables a
    vocabulary is read from: one round trip (built once)."""
    columns: list[Any] = [
        select(DataVersion.names_version)
        .where(DataVersion.id == DATA_VERSION_ROW)
        .scalar_subquery()
    ]
    for table, name in ((DonorAlias, DonorAlias.alias), (ItemAlias, ItemAlias.alias),
                        (Item, Item.name), (Recipient, Recipient.name)):  # fmt: skip
        columns += [
            select(func.count()).select_from(table).scalar_subquery(),
            select(func.max(table.id)).scalar_subquery(),
            select(func.coalesce(func.sum(func.length(name)), 0)).scalar_subquery(),
        ]
    return select(*columns)


def names_key(session: Session) -> _Key:
    """What the names of the session's database are now known by: the key of the caches
    of this module."""
    return tuple(session.execute(_fingerprint_query()).one())


def names_key_with(
    session: Session, value: ScalarSelect[Any], parameters: Mapping[str, Any]
) -> tuple[_Key, Any]:
    """`names_key` and the scalar subquery `value` (its parameters bound by name from
    `parameters`), read in the same round trip. The statement is built once for each
    `value`, so the caller keeps the subquery it passes (building and compiling it again
    cost ≈ 0.3 ms an article)."""
    statement = _WITH.get(value)
    if statement is None:
        statement = _WITH[value] = _fingerprint_query().add_columns(value)
    session.flush()  # as session.execute would: the statement runs on the connection
    values = tuple(session.connection().execute(statement, dict(parameters)).one())
    return values[:-1], values[-1]


_WITH: dict[ScalarSelect[Any], Select[tuple[object, ...]]] = {}


def database_vocabulary(session: Session, key: _Key | None = None) -> Vocabulary:
    """The vocabulary of the session's database (built again when its names have changed);
    `key` is `names_key(session)` when read already."""
    bind = str(session.get_bind().engine.url)
    key = names_key(session) if key is None else key
    with _LOCK:
        cached = _CACHE.get(bind)
    if cached is not None and cached[0] == key:
        return cached[1]
    vocabulary = _read_vocabulary(session)
    with _LOCK:
        _CACHE[bind] = (key, vocabulary)
    return vocabulary


def name_lookups(session: Session, key: _Key) -> dict[Any, Any]:
    """A dictionary for what callers find by name in the session's database (a donor's id,
    an item's, a recipient's), kept while its names stay as `key` says and emptied when they change.
    Only rows a look-up found may go in, never one the caller has just added: its
    transaction could still be rolled back."""
    bind = str(session.get_bind().engine.url)
    with _LOCK:
        cached = _LOOKUPS.get(bind)
        if cached is None or cached[0] != key:
            cached = _LOOKUPS[bind] = (key, {})
    return cached[1]


def _read_vocabulary(session: Session) -> Vocabulary:
    """Donor aliases, items and item aliases as the database holds them now. ISO codes
    ("IT", "NO") are left out of the donor names: they are everyday words in capitals."""
    donor_rows = session.execute(
        select(DonorAlias.alias, Donor.kind, Donor.name, Donor.iso_code).join(Donor)
    )
    donors = {
        alias: (kind, name, code)
        for alias, kind, name, code in donor_rows
        if not (len(alias) <= 3 and alias.isupper())
    }
    items = [
        ItemEntry(name, category, unit, kind)
        for name, category, unit, kind in session.execute(
            select(Item.name, ItemCategory.name, Item.unit, ItemCategory.kind).join(ItemCategory)
        )
    ]
    aliases = session.execute(select(ItemAlias.alias, Item.name).join(Item))
    return build_vocabulary(donors, items, [(alias, name) for alias, name in aliases])

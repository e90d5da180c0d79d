"""The extractor's vocabulary read from the database: a name an admin adds (a donor alias, an
item, an item alias) is used by the next import.

Building it reads every alias and item and compiles one regex of the donor names the
built-in lists lack, so it is kept per database and rebuilt only when the names' version
moves (every write to donors, aliases, items, item aliases or categories bumps it, pledge
writes do not; see ``services.data_version``). A rolled-back transaction gives its version
number back, so the cache key also holds a fingerprint of the name tables (row counts, last
ids and the lengths of the names): a later transaction that reaches the same version
number with other names does not read a stale vocabulary.
"""

from __future__ import annotations

from threading import Lock

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.extract.vocabulary import ItemEntry, Vocabulary, build_vocabulary
from tracker.models import Donor, DonorAlias, Item, ItemAlias, ItemCategory
from tracker.services.data_version import read_names_version

_Key = tuple[object, ...]
_CACHE: dict[str, tuple[_Key, Vocabulary]] = {}
_LOCK = Lock()


def _fingerprint_query() -> Select[tuple[object, ...]]:
    """Counts, last ids and name lengths of the tables a vocabulary is read from."""
    columns = []
    for table, name in ((DonorAlias, DonorAlias.alias), (ItemAlias, ItemAlias.alias),
                        (Item, Item.name)):  # fmt: skip
        columns += [
            select(func.count()).select_from(table).scalar_subquery(),
            select(func.max(table.id)).scalar_subquery(),
            select(func.coalesce(func.sum(func.length(name)), 0)).scalar_subquery(),
        ]
    return select(*columns)


def database_vocabulary(session: Session) -> Vocabulary:
    """The vocabulary of the session's database (built again when its names have changed)."""
    bind = str(session.get_bind().engine.url)
    key: _Key = (read_names_version(session), *session.execute(_fingerprint_query()).one())
    with _LOCK:
        cached = _CACHE.get(bind)
    if cached is not None and cached[0] == key:
        return cached[1]
    vocabulary = _read_vocabulary(session)
    with _LOCK:
        _CACHE[bind] = (key, vocabulary)
    return vocabulary


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

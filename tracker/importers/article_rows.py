"""An article's evidence, pledges, reports and audit events written as rows, not as ORM
objects.

An article states some thirty pledges. Writing them through the unit of work (an object
per pledge, report and audit event, each table flushed, every object refreshed) cost
more than everything else the import does, extraction included. Here each table gets
one multi-row INSERT .. RETURNING id, with its rows built in Python by the rules the
pledge service uses: `check_inputs` (the checks of `check_input`, the rows referred to
read once per table), `derive_columns` (bounds and conversions, one rate look-up per
(currency, day)), `snapshot`'s JSON values for the audit, and the rollup's own measures
and keys for one upsert. The rows and ids are those the pledge service writes for the
same pledges one at a time (tests/importers/test_article_batch.py compares both).
The new pledges and reports are handed back as persistent objects built from the
rows, without reading them again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, event, insert, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached

from tracker.importers.deferred_writes import DeferredWrites
from tracker.models import AuditEvent, Evidence, Item, ItemCategory, Pledge, Report, User
from tracker.models._types import utcnow
from tracker.services.audit import audit_values, json_value
from tracker.services.data_version import bump_data_version
from tracker.services.match_windows import padded_with
from tracker.services.matching import Figures, Match, Stated
from tracker.services.pledge_numbers import derive_columns
from tracker.services.pledge_rules import INPUT_FIELDS, PledgeError, PledgeInput, check_inputs
from tracker.services.pledges import ENTITY
from tracker.services.reports import StageError
from tracker.services.rollup import (
    Measures,
    TotalsDelta,
    apply_totals_delta,
    pledge_keys,
    pledge_measures,
)

PLEDGE_COLUMNS = tuple(attr.key for attr in inspect(Pledge).column_attrs)
# The host parameters one SQLite statement may hold (SQLITE_MAX_VARIABLE_NUMBER)
SQLITE_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


def inserted_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows` (dictionaries with the same keys) into the model's table with one
    statement and return their ids, in the order of the rows.

    SQLAlchemy's multi-row INSERT .. RETURNING does not serve either database well here.
    On PostgreSQL it writes one placeholder per value (≈ 1,600 for an article's pledges),
    which the driver parses again for every statement: `_postgres_insert` sends one array
    per column instead. SQLAlchemy cannot order SQLite's RETURNING rows by the parameters,
    so asked to it sends SQLite one INSERT per row: `_sqlite_insert` writes the multi-row
    INSERT itself.
    """
    if not rows:
        return []
    table = model.__table__
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _postgres_insert(session, table, rows)
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, list(rows)).scalars())
    return _sqlite_insert(session, table, rows, returning=True)


def reserved_ids(session: Session, wanted: Sequence[tuple[Any, int]]) -> list[list[int]]:
    """PostgreSQL: for each (model, count) of `wanted`, the next `count` ids of the model's
    table, taken from its sequence in one statement, ascending: the ids `inserted_ids` would
    have given rows inserted in that order (its rows take the sequence's next values in
    their order). Rows written with them need no answer from the server: they can be sent
    without waiting (`insert_rows` with `writes`)."""
    arrays = ", ".join(
        f"ARRAY(SELECT nextval((SELECT pg_get_serial_sequence('{model.__table__.name}', 'id'))) "
        f"FROM generate_series(1, %(n{index})s) ORDER BY 1)"
        for index, (model, _count) in enumerate(wanted)
    )
    counts = {f"n{index}": count for index, (_model, count) in enumerate(wanted)}
    session.flush()  # as session.execute would: the statement goes to the driver directly
    row = session.connection().exec_driver_sql(f"SELECT {arrays}", counts).one()
    return [list(ids) for ids in row]


def _sqlite_insert(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], *, returning: bool
) -> list[int]:
    """`inserted_ids` on SQLite (and, without `returning`, `insert_rows`): one multi-row
    INSERT sent to the driver as it is, with the values of `_column_values`. Built by
    SQLAlchemy, the statement's parameters cost ≈ 0.1 ms of Python a row (each row's
    dictionary checked and processed key by key).

    SQLite gives each row of a table without AUTOINCREMENT the largest rowid plus one,
    row after row in the order of the VALUES, and the statement holds the write lock: the
    ids are consecutive, and their ascending order is the rows' order (checked).
    """
    keys, columns = _column_values(session, table, rows)
    names = ", ".join(f'"{table.c[key].name}"' for key in keys)
    marks = "(" + ", ".join("?" * len(keys)) + ")"
    per_statement = max(1, SQLITE_VARIABLES // len(keys))
    session.flush()  # as session.execute would: the statement goes to the driver directly
    connection = session.connection()
    ids: list[int] = []
    for start in range(0, len(rows), per_statement):
        count = min(per_statement, len(rows) - start)
        values = [column[index] for index in range(start, start + count) for column in columns]
        statement = f"INSERT INTO {table.name} ({names}) VALUES {', '.join([marks] * count)}"
        if not returning:
            connection.exec_driver_sql(statement, tuple(values))
            continue
        chunk = sorted(
            connection.exec_driver_sql(f"{statement} RETURNING id", tuple(values)).scalars()
        )
        if chunk[-1] - chunk[0] != len(chunk) - 1:
            raise RuntimeError(f"{table.name}: the ids of one INSERT are not consecutive")
        ids += chunk
    return ids


def _column_values(
    session: Session, table: Any, rows: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """The keys of the columns to write and their values, column by column, each value
    turned into what the driver takes by its column type's bind processor (as SQLAlchemy
    would, value by value: a JSON column's None becomes JSON's null). A column that is
    None in every row, with no server default and a type that writes None as NULL, is left
    out: the database writes NULL there all the same (an article's new pledges leave some
    twenty of their columns empty), and the statement has fewer parameters to send
    (psycopg parses a statement of more than 50 again at every execution)."""
    dialect = session.get_bind().dialect
    keys: list[str] = []
    columns: list[list[Any]] = []
    for key in rows[0]:
        values = [row[key] for row in rows]
        column = table.c[key]
        if (
            column.server_default is None
            and not column.type.should_evaluate_none
            and all(value is None for value in values)
        ):
            continue
        process = column.type._cached_bind_processor(dialect)
        if process is not None:
            values = [process(value) for value in values]
        keys.append(key)
        columns.append(values)
    return keys, columns


def insert_rows(
    session: Session,
    model: Any,
    rows: Sequence[dict[str, Any]],
    writes: DeferredWrites | None = None,
) -> None:
    """Insert `rows` (dictionaries with the same keys) into the model's table in one
    statement, as `inserted_ids` does, without reading their ids back (on PostgreSQL, given
    `writes`, sent without waiting for it). (SQLAlchemy's executemany sent PostgreSQL one
    INSERT per row, ≈ 36 an article.)"""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        _postgres_insert(session, model.__table__, rows, returning=False, writes=writes)
    elif dialect == "sqlite":
        _sqlite_insert(session, model.__table__, rows, returning=False)
    else:
        session.connection().execute(insert(model.__table__), list(rows))


def _postgres_insert(
    session: Session,
    table: Any,
    rows: Sequence[dict[str, Any]],
    *,
    returning: bool = True,
    writes: DeferredWrites | None = None,
) -> list[int]:
    """`inserted_ids` on PostgreSQL (and, without `returning`, `insert_rows`): the rows
    travel as one array per column, unnested by the server in their order, each given the
    next id of the table's sequence; the ids come back in that order. The statement's text
    depends only on the table and its columns, so the driver parses it once and the
    server prepares it once. The arrays go in psycopg's binary format (`%(name)b`): its
    text format quotes and escapes every value in Python, ≈ 3 × the CPU (≈ 3.6 ms for an
    article's ≈ 30 pledges)."""
    keys, values = _column_values(session, table, rows)
    columns = [table.c[key] for key in keys]
    dialect = session.get_bind().dialect
    arrays = ", ".join(
        f"CAST(%(c{index})b AS {column.type.compile(dialect=dialect)}[])"
        for index, column in enumerate(columns)
    )
    aliases = ", ".join(f"c{index}" for index in range(len(columns)))
    names = ", ".join(f'"{column.name}"' for column in columns)
    if returning:
        statement = (
            f"WITH new_rows AS (SELECT nextval((SELECT pg_get_serial_sequence('{table.name}', "
            f"'id'))) AS id, r.* FROM unnest({arrays}) WITH ORDINALITY AS r({aliases}, n)), "
            f"written AS (INSERT INTO {table.name} (id, {names}) SELECT id, {aliases} "
            "FROM new_rows) SELECT id FROM new_rows ORDER BY n"
        )
    else:
        statement = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"
    arguments = dict(zip(aliases.split(", "), values, strict=True))
    if writes is not None and not returning:
        writes.send(statement, arguments)
        return []
    session.flush()  # as session.execute would: the statement goes to the driver directly
    result = session.connection().exec_driver_sql(statement, arguments)
    return list(result.scalars()) if returning else []


class EvidenceRows:
    """The evidence sentences of one source: one row per sentence (by its offsets), however
    many pledges, reports or requests it states, inserted when first asked for."""

    def __init__(self, session: Session, source_id: int) -> None:
        """No sentence stored yet."""
        self.session = session
        self.source_id = source_id
        self.ids: dict[tuple[int, int], int] = {}

    def __call__(self, start: int, end: int, sentence: str) -> int:
        """The id of the sentence's row."""
        return self.many([(start, end, sentence)])[0]

    def many(self, sentences: Sequence[tuple[int, int, str]]) -> list[int]:
        """The ids of the sentences' rows, those not stored yet inserted in one statement."""
        new: dict[tuple[int, int], str] = {}
        for start, end, sentence in sentences:
            if (start, end) not in self.ids:
                new.setdefault((start, end), sentence)
        if new:
            rows = [
                {"source_id": self.source_id, "start": start, "end": end, "text": sentence}
                for (start, end), sentence in new.items()
            ]
            self.ids.update(zip(new, inserted_ids(self.session, Evidence, rows), strict=True))
        return [self.ids[(start, end)] for start, end, _sentence in sentences]


def stated_pledges(inputs: Sequence[PledgeInput], categories: Mapping[int, int]) -> list[Stated]:
    """What matching compares of pledges about to be stored (`stated_pledge` for each: the
    item's category, given by item id, the EUR value derived)."""
    amounts = [None if d.amount is None else Decimal(str(d.amount)) for d in inputs]
    quantities = [None if d.quantity is None else Decimal(str(d.quantity)) for d in inputs]
    eur = derive_columns(
        quantity=quantities, amount=amounts, currency=[d.currency for d in inputs],
        qualifier=[d.qualifier for d in inputs], announced=[d.announced for d in inputs],
        stated_amount=[None] * len(inputs), stated_currency=[None] * len(inputs),
    )["eur"]  # fmt: skip
    stated = []
    for data, amount, quantity, in_eur in zip(inputs, amounts, quantities, eur, strict=True):
        assert data.donor_id is not None and data.recipient_id is not None
        assert data.item_id is not None
        figures = Figures(quantity, amount, data.currency, in_eur, data.qualifier)
        stated.append(
            Stated(
                data.donor_id, data.recipient_id, data.item_id, categories[data.item_id],
                data.announced, figures, data.source_id,
            )
        )  # fmt: skip
    return stated


@dataclass
class WrittenPledges:
    """What `write_pledges` stored: the new pledges and the corroborating reports (in the
    order of the stated pledges), and the pledge each stated pledge became or corroborates."""

    pledges: list[Pledge]
    reports: list[Report]
    placed: list[int | None]


class PreparedPledges:
    """The rows an article's stated pledges would be written as, were they all new, built
    before matching says which are: the data version's lock taken and the items' kinds,
    units and categories read (`__init__`, two statements), then every input checked and
    its derived columns computed (`build`, no statement), which on PostgreSQL runs while
    the database reads the candidates (tracker.services.matching.find_matches). The rows of
    the pledges that match none are then taken (`write_pledges`), on SQLite built only then
    and only for them; a refused input is refused only if it is one of those, as when only
    they were checked."""

    def __init__(
        self,
        session: Session,
        inputs: Sequence[PledgeInput],
        *,
        user: User | None,
        known: Mapping[str, Collection[int]],
        sentences: Sequence[str] | None = None,
    ) -> None:
        """Take the data version's lock and read the items' facts. `known`: ids the caller
        has read or written in its transaction, by link field (`check_inputs`); every
        donor, recipient, source and evidence the inputs name must be among them, so that
        `build` sends no statement. `sentences`: each input's evidence sentence, named in
        the error that refuses it."""
        # The data version's lock first, so the items' categories are read as they are now
        bump_data_version(session)
        self.session = session
        self.inputs = inputs
        self.known = known
        self.now = utcnow()
        self.user = user
        self.user_id = user.id if user is not None else None
        self.sentences = sentences
        self.items, self.categories = _item_facts(session, inputs)
        self._rows: dict[int, dict[str, Any] | PledgeError] | None = None

    def build(self) -> None:
        """Check every input and build its row (once)."""
        if self._rows is None:
            self._rows = self._built(range(len(self.inputs)))

    def _built(self, indexes: Sequence[int]) -> dict[int, dict[str, Any] | PledgeError]:
        """The rows of the inputs at `indexes`, by index, each checked and built."""
        chosen = [self.inputs[index] for index in indexes]
        for data in chosen:
            for name in ("donor_id", "recipient_id", "source_id", "evidence_id"):
                value = getattr(data, name)
                if value is not None and value not in self.known.get(name, ()):
                    raise ValueError(f"{name} {value} is not known: checking it reads a row")
            if data.source_ref is not None or data.package_id is not None:
                raise ValueError("an article's pledges have no reference and no package")
        built = _pledge_rows(self.session, chosen, self.user_id, self.now, self.known, self.items)
        return dict(zip(indexes, built, strict=True))

    def rows(
        self, new: Sequence[tuple[int, int | None]], stored: Collection[int]
    ) -> list[dict[str, Any]]:
        """The rows of the inputs at the indexes of `new`, each with the pledge it may
        duplicate (or None), in their order; the first refused one raises PledgeError, a
        duplicate of a pledge not among `stored` first (the order of `check_input`). Not
        built during the candidates' read (`build`), only these are built."""
        built = self._rows if self._rows is not None else self._built([i for i, _ in new])
        rows = []
        for index, duplicate_of_id in new:
            if duplicate_of_id is not None and duplicate_of_id not in stored:
                raise PledgeError(
                    "duplicate_of_id", f"there is no pledge with id {duplicate_of_id}"
                )
            row = built[index]
            if isinstance(row, PledgeError) and self.sentences is not None:
                raise PledgeError(row.field, f"{row.message}, in {self.sentences[index]!r}")
            if isinstance(row, PledgeError):
                raise row
            rows.append(row | {"duplicate_of_id": duplicate_of_id})
        return rows


def write_pledges(
    session: Session,
    inputs: Sequence[PledgeInput],
    matches: Sequence[Match],
    prepared: PreparedPledges,
    *,
    published: date | None,
    writes: DeferredWrites | None = None,
) -> WrittenPledges:
    """Store the article's pledges: those that are not corroborations (marked as
    duplicates where they may be) as pledges with their announcing reports, from their
    `prepared` rows, the others as corroborating reports of the pledges they match; an
    audit event for each, in the order of `inputs`, and the new pledges' share of the
    totals in one upsert.

    Refused input raises PledgeError (the caller then rolls back). Given `writes`
    (PostgreSQL), the ids of the new pledges and of the reports are taken first
    (`reserved_ids`, one statement), and the pledges', reports' and audit events' INSERTs
    and the totals' upsert are sent without waiting for them
    (tracker.importers.deferred_writes): the process builds the reports, the audit events,
    the totals' delta and the persistent objects while the server writes the pledges and
    their fourteen indexes. The rows and ids are those of `inserted_ids`; only an article
    refused by these statements leaves its taken ids unused, as a failed INSERT leaves the
    sequence's numbers it took.
    """
    now, user_id = prepared.now, prepared.user_id
    # The inputs that become pledges, by index, with the pledge each may duplicate
    new = [
        (index, match.pledge_id if match.outcome == "possible_duplicate" else None)
        for index, match in enumerate(matches)
        if match.outcome != "corroborates" or match.pledge_id is None
    ]
    # The stored pledges the article refers to, read once: those it corroborates (their
    # versions, for the audit) and those its new pledges may duplicate
    corroborates = [m.pledge_id for m in matches if m.outcome == "corroborates" and m.pledge_id]
    duplicated = {pledge_id for _index, pledge_id in new if pledge_id is not None}
    referred = _stored_pledges(session, {*corroborates, *duplicated})
    rows = prepared.rows(new, referred)
    categories, user = prepared.categories, prepared.user
    report_ids: list[int] | None = None
    if writes is None:
        pledge_ids = iter(inserted_ids(session, Pledge, rows))
    else:  # the ids taken first, the rows sent without waiting for the server to write them
        taken_pledge_ids, report_ids = reserved_ids(
            session, [(Pledge, len(rows)), (Report, len(inputs))]
        )
        for row, pledge_id in zip(rows, taken_pledge_ids, strict=True):
            row["id"] = pledge_id
        insert_rows(session, Pledge, rows, writes)
        pledge_ids = iter(taken_pledge_ids)
    corroborated = _live_versions(referred, corroborates)
    new_rows = iter(rows)
    report_rows: list[dict[str, Any]] = []
    stored: list[dict[str, Any] | None] = []  # the new pledge's row, None for a corroboration
    placed: list[int | None] = []
    for data, match in zip(inputs, matches, strict=True):
        if match.outcome == "corroborates" and match.pledge_id is not None:
            placed.append(match.pledge_id)
            stored.append(None)
            report_rows.append(
                _report_row(
                    match.pledge_id, "corroborates", data, data.announced or published,
                    match.reason, user_id, now,
                )
            )  # fmt: skip
        else:
            row = next(new_rows)
            row["id"] = next(pledge_ids)
            placed.append(row["id"])
            stored.append(row)
            report_rows.append(
                _report_row(row["id"], "announces", data, row["announced"], None, user_id, now)
            )
    if report_ids is None:
        report_ids = inserted_ids(session, Report, report_rows)
    for report, report_id in zip(report_rows, report_ids, strict=True):
        report["id"] = report_id
    if writes is not None:
        insert_rows(session, Report, report_rows, writes)
    events = []
    for pledge, report in zip(stored, report_rows, strict=True):
        if pledge is not None:
            details: dict[str, Any] = {
                "action": "create", "entity": ENTITY, "entity_id": pledge["id"], "before": None,
                "after": _json_row(pledge),
                "version": pledge["version"],
            }  # fmt: skip
        else:
            details = {
                "action": "record", "entity": ENTITY, "entity_id": report["pledge_id"],
                "before": None,
                "after": {"report": report["id"], "role": report["role"],
                          "source_id": report["source_id"]},
                "version": corroborated[report["pledge_id"]],
                "note": f"corroborated by report {report['id']}",
            }  # fmt: skip
        events.append(audit_values(**details, user=user) | {"at": now})
    insert_rows(session, AuditEvent, events, writes)
    apply_totals_delta(
        session, _totals_delta(rows, categories), writes.send if writes is not None else None
    )
    return WrittenPledges(
        pledges=persistent_objects(session, Pledge, rows),
        reports=persistent_objects(
            session, Report, [r for r, p in zip(report_rows, stored, strict=True) if p is None]
        ),
        placed=placed,
    )


def _json_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """`snapshot` of a pledge's row: every column's value as JSON holds it (`json_value`),
    those JSON holds as they are (most columns) passed by without a call."""
    return {
        name: value if (value := row[name]) is None or type(value) in _AS_THEY_ARE
        else json_value(value)
        for name in PLEDGE_COLUMNS
    }  # fmt: skip


_AS_THEY_ARE = frozenset({int, str, bool})


def _item_facts(
    session: Session, inputs: Sequence[PledgeInput]
) -> tuple[dict[int, tuple[str, str | None]], dict[int, int]]:
    """The kind and unit of each item the inputs name, and its category."""
    item_ids = _stable_list({data.item_id for data in inputs})
    session.flush()  # as session.execute would; plain rows come back from the connection
    facts = session.connection().execute(_ITEM_FACTS, {"ids": item_ids}).all()
    items = {item_id: (kind, unit) for item_id, kind, unit, _category in facts}
    return items, {item_id: category for item_id, _kind, _unit, category in facts}


def _pledge_rows(
    session: Session,
    inputs: Sequence[PledgeInput],
    user_id: int | None,
    now: datetime,
    known: Mapping[str, Collection[int]],
    items: Mapping[int, tuple[str, str | None]],
) -> list[dict[str, Any] | PledgeError]:
    """Every column of each pledge (all but its id), as `create_pledge` writes it, or the
    PledgeError refusing it (`known`, `items`: see `check_inputs`)."""
    try:
        checked: list[PledgeInput | PledgeError] = list(
            check_inputs(session, inputs, known=known, items=items)
        )
    except PledgeError:  # which of them are refused, each with its own error
        checked = []
        for data in inputs:
            try:
                checked += check_inputs(session, [data], known=known, items=items)
            except PledgeError as error:
                checked.append(error)
    valid = [data for data in checked if not isinstance(data, PledgeError)]
    for data in valid:
        if data.package_id is not None or data.package_total:
            raise ValueError("an article's pledges are stored outside packages, then grouped")
    column = {name: [getattr(d, name) for d in valid] for name in INPUT_FIELDS}
    derived = derive_columns(
        quantity=column["quantity"], amount=column["amount"], currency=column["currency"],
        qualifier=column["qualifier"], announced=column["announced"],
        stated_amount=column["stated_amount"], stated_currency=column["stated_currency"],
    )  # fmt: skip
    empty = dict.fromkeys(PLEDGE_COLUMNS)
    del empty["id"]
    rows: list[dict[str, Any] | PledgeError] = []
    index = 0
    for one in checked:
        if isinstance(one, PledgeError):
            rows.append(one)
            continue
        row = empty | vars(one)  # every field of the input, as INPUT_FIELDS lists them
        row.update({name: values[index] for name, values in derived.items()})
        row.update(
            counts_money=True, version=1, created_at=now, updated_at=now,
            created_by_id=user_id, updated_by_id=user_id,
        )  # fmt: skip
        rows.append(row)
        index += 1
    return rows


def _report_row(
    pledge_id: int,
    role: str,
    data: PledgeInput,
    reported_on: date | None,
    review_flag: str | None,
    user_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The report of the article's sentence `data` states, about pledge `pledge_id`."""
    return {
        "pledge_id": pledge_id, "source_id": data.source_id, "evidence_id": data.evidence_id,
        "role": role, "reported_on": reported_on, "quantity": None, "amount": None,
        "currency": None, "eur": None, "review_flag": review_flag, "moved_from_id": None,
        "created_at": now, "created_by_id": user_id,
    }  # fmt: skip


def _stored_pledges(session: Session, pledge_ids: Collection[int]) -> dict[int, Any]:
    """The id, version and deletion time of the pledges with these ids that exist."""
    if not pledge_ids:
        return {}
    session.flush()  # as session.execute would; plain rows come back from the connection
    rows = session.connection().execute(_STORED_PLEDGES, {"ids": _stable_list(pledge_ids)})
    return {row.id: row for row in rows}


# The two reads of an article's write, built once: a statement built anew for each article
# cost ≈ 0.5 ms of the process's CPU in SQLAlchemy (the construct and its cache key) beside
# ≈ 0.15 ms to run it
_ITEM_FACTS = (
    select(Item.id, ItemCategory.kind, Item.unit, Item.category_id)
    .join(ItemCategory)
    .where(Item.id.in_(bindparam("ids", expanding=True)))
)
_STORED_PLEDGES = select(Pledge.id, Pledge.version, Pledge.deleted_at).where(
    Pledge.id.in_(bindparam("ids", expanding=True))
)


def _stable_list(ids: Collection[int | None]) -> list[int | None]:
    """`ids` for an IN list, their number padded to a power of two with the first of them
    repeated (the same rows): the statement then has a few texts whatever the article, which
    psycopg converts once and PostgreSQL prepares once, not a new text for every count."""
    listed = sorted(ids, key=lambda value: (value is None, value or 0))
    return padded_with(listed, listed[0]) if listed else listed


def _live_versions(found: Mapping[int, Any], pledge_ids: Sequence[int]) -> dict[int, int]:
    """The version of each pledge a report is about (`found`: the stored pledges read);
    each must exist and not be deleted (StageError, as `corroboration` says it)."""
    for pledge_id in pledge_ids:
        row = found.get(pledge_id)
        if row is None:
            raise StageError(None, f"there is no pledge with id {pledge_id}")
        if row.deleted_at is not None:
            raise StageError(
                None, f"pledge {pledge_id} is deleted: restore it before adding reports to it"
            )
    return {pledge_id: found[pledge_id].version for pledge_id in pledge_ids}


def _totals_delta(rows: Sequence[dict[str, Any]], categories: dict[int, int]) -> TotalsDelta:
    """What the new pledges count for, by the rollup's measures and keys (those of
    `add_contributions`); possible duplicates count nowhere."""
    sums: dict[Any, list[int]] = {}  # the pledges' measures summed by key
    for row in rows:
        if row["duplicate_of_id"] is not None or row["deleted_at"] is not None:
            continue
        pledge: Any = SimpleNamespace(**row)
        values = pledge_measures(pledge).values()
        for key in pledge_keys(pledge, categories[row["item_id"]]):
            total = sums.get(key)
            if total is None:
                sums[key] = list(values)
            else:
                for index, value in enumerate(values):
                    total[index] += value
    return {key: Measures.of_list(total) for key, total in sums.items()}


def persistent_objects(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Objects of `model` for rows just inserted, in the session as if loaded from them (the
    values go into the instance's dictionary, as loading does), no query."""
    manager = inspect(model).class_manager
    objects = []
    for row in rows:
        obj = manager.new_instance()
        obj.__dict__.update(row)
        make_transient_to_detached(obj)
        session.add(obj)
        objects.append(obj)
    made = _made_in_transactions(session)
    transaction = session.get_nested_transaction() or session.get_transaction()
    made += [(transaction, obj) for obj in objects]
    return objects


_MADE = "article_rows_made_persistent"


def _made_in_transactions(session: Session) -> list[tuple[Any, Any]]:
    """The objects `persistent_objects` made, each with the session's transaction (or
    savepoint) it was made in. A rollback takes those made in the transaction it ends, or
    in one inside it, out of the session, as it takes the objects its flushes inserted (the
    session holds these as loaded ones, which it would keep): their rows are gone, and
    SQLite gives the next rows the same ids. A commit of the whole forgets them."""
    made: list[tuple[Any, Any]] | None = session.info.get(_MADE)
    if made is None:
        made = session.info[_MADE] = []
        event.listen(session, "after_soft_rollback", _forget_rolled_back)
        event.listen(session, "after_commit", _keep_committed)
    return made


def _forget_rolled_back(session: Session, previous: Any) -> None:
    """After a rollback of `previous`: the objects made from rows it removed leave the
    session."""
    kept = []
    for transaction, obj in session.info.get(_MADE, []):
        inside = transaction
        while inside is not None and inside is not previous:
            inside = inside.parent
        if inside is None:
            kept.append((transaction, obj))
        elif obj in session:
            session.expunge(obj)
    session.info[_MADE] = kept


def _keep_committed(session: Session) -> None:
    """After a commit of the whole: the objects' rows are stored, none to take out later."""
    session.info[_MADE] = []

"""The row writes of an article import: ids handed back in the rows' order, one statement
per table, and input checks that skip only the rows the caller vouches for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Text, cast, event, func, insert, select
from sqlalchemy.orm import Session

from tests.factories import item_named, make_donor, make_pledge, make_source, recipient
from tracker.importers.article_rows import (
    PreparedPledges,
    _column_values,
    _stored_pledges,
    insert_rows,
    inserted_ids,
)
from tracker.models import AuditEvent, Evidence, Pledge
from tracker.models._types import utcnow
from tracker.services.matching import Figures, Stated, find_matches
from tracker.services.pledge_rules import PledgeError, PledgeInput, check_inputs


@contextmanager
def statements(session: Session, *, many_only: bool = False) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block (`many_only`: only those
    sent with many sets of parameters, one execution per set on PostgreSQL)."""
    seen: list[str] = []
    connection = session.connection()

    def record(*args: object) -> None:
        if args[5] or not many_only:
            seen.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


@settings(
    max_examples=5,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sizes=st.lists(st.integers(1, 1200), min_size=1, max_size=3))
def test_inserted_ids_are_those_of_the_rows_in_their_order(
    session: Session, sizes: list[int]
) -> None:
    savepoint = session.begin_nested()
    try:
        source = make_source(session)
        for size in sizes:
            texts = [f"sentence {n} of {size}" for n in range(size)]
            rows = [
                {"source_id": source.id, "start": n, "end": n + 1, "text": text}
                for n, text in enumerate(texts)
            ]
            with statements(session) as sent:
                ids = inserted_ids(session, Evidence, rows)
            # one statement (SQLite: per 1,000 rows, SQLAlchemy's batch), never one per row
            assert len([s for s in sent if "evidence" in s]) <= -(-size // 1000)
            stored = dict(session.execute(select(Evidence.id, Evidence.text).where(
                Evidence.id.in_(ids))).all())  # fmt: skip
            assert [stored[evidence_id] for evidence_id in ids] == texts
            assert ids == sorted(ids)  # the order one INSERT at a time gives
    finally:
        savepoint.rollback()


def test_inserted_rows_keep_their_text_whatever_it_holds(session: Session) -> None:
    texts = ["{a,b}", 'say "NULL"', "NULL", "", "back\\slash, comma", "Київ € 5 000", "x" * 3000]
    source = make_source(session)
    rows = [{"source_id": source.id, "start": n, "end": n, "text": t} for n, t in enumerate(texts)]
    ids = inserted_ids(session, Evidence, rows)
    stored = dict(
        session.execute(select(Evidence.id, Evidence.text).where(Evidence.id.in_(ids))).all()
    )
    assert [stored[evidence_id] for evidence_id in ids] == texts


def test_inserted_ids_of_no_rows_send_nothing(session: Session) -> None:
    with statements(session) as sent:
        assert inserted_ids(session, Evidence, []) == []
    assert sent == []


def _input(session: Session, **fields: object) -> PledgeInput:
    donor, ukraine, aid = make_donor(session), recipient(session), item_named(session, "aid")
    values: dict[str, object] = {
        "donor_id": donor.id, "recipient_id": ukraine.id, "item_id": aid.id,
        "amount": Decimal("1000000"), "currency": "EUR",
    }  # fmt: skip
    return PledgeInput(**(values | fields))  # type: ignore[arg-type]


def test_check_inputs_does_not_look_up_rows_the_caller_knows(session: Session) -> None:
    data = _input(session)
    with statements(session) as sent:
        (checked,) = check_inputs(
            session, [data], known={"donor_id": {data.donor_id}, "recipient_id": set()}
        )
    assert checked.amount == Decimal("1000000.00")
    assert not [s for s in sent if "FROM donor" in s]
    assert [s for s in sent if "FROM recipient" in s]  # not vouched for: read


def test_check_inputs_still_refuses_ids_the_caller_does_not_know(session: Session) -> None:
    data = _input(session)
    known = {"donor_id": {data.donor_id}}
    with pytest.raises(PledgeError, match="there is no recipient with id 987654"):
        check_inputs(session, [_input(session, recipient_id=987654)], known=known)
    with pytest.raises(PledgeError, match="there is no item with id 987654"):
        check_inputs(session, [data, _input(session, item_id=987654)], known=known)


# JSON values as an audit event holds them: texts of any character (but NUL, which no
# text column of PostgreSQL takes), numbers, nested lists and objects
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXTS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(TEXTS.filter(lambda t: len(t) < 6), inner, max_size=3)
    ),
    max_leaves=8,
)
AUDIT_ROWS = st.lists(
    st.fixed_dictionaries({
        "action": st.sampled_from(("create", "record")), "entity": st.just("pledge"),
        "entity_id": st.integers(1, 10**6), "version": st.none() | st.integers(1, 99),
        "before": st.none() | st.dictionaries(TEXTS, JSON_VALUES, max_size=4),
        "after": st.dictionaries(TEXTS, JSON_VALUES, max_size=4),
        "note": st.none() | TEXTS.filter(lambda t: len(t) <= 40),
        "user_id": st.none(), "username": st.none(),
    }),
    min_size=1, max_size=12,
)  # fmt: skip


def _stored_events(session: Session, ids: list[int]) -> list[tuple[object, ...]]:
    """The audit events with these ids, as the database holds them (JSON as its text: JSON's
    null is not SQL's NULL)."""
    columns = [AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.version,
               AuditEvent.note, AuditEvent.user_id, AuditEvent.username, AuditEvent.at,
               cast(AuditEvent.before, Text), cast(AuditEvent.after, Text)]  # fmt: skip
    query = select(*columns).where(AuditEvent.id.in_(ids)).order_by(AuditEvent.id)
    return [tuple(row) for row in session.execute(query)]


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=AUDIT_ROWS)
def test_inserted_rows_are_those_sqlalchemy_writes(
    session: Session, rows: list[dict[str, object]]
) -> None:
    """`insert_rows` stores what SQLAlchemy's own INSERT stores for the same rows (JSON
    text included), in one statement, never one per row."""
    savepoint = session.begin_nested()
    try:
        now = utcnow()
        rows = [row | {"at": now} for row in rows]
        first = session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
        session.connection().execute(insert(AuditEvent.__table__), rows)
        middle = session.scalar(select(func.max(AuditEvent.id)))
        with statements(session) as sent, statements(session, many_only=True) as many:
            insert_rows(session, AuditEvent, rows)
        assert len([s for s in sent if "audit_event" in s]) == 1
        assert many == []
        last = session.scalar(select(func.max(AuditEvent.id)))
        ours = _stored_events(session, list(range(middle + 1, last + 1)))
        theirs = _stored_events(session, list(range(first + 1, middle + 1)))
        assert ours == theirs
        assert len(ours) == len(rows)
    finally:
        savepoint.rollback()


def test_columns_empty_in_every_row_are_left_out_of_the_insert(session: Session) -> None:
    """A column None in every row is not sent (the database writes NULL there), unless it
    has a server default, which would then be written in NULL's place."""
    source = make_source(session)
    rows = [
        {"action": "create", "entity": "pledge", "entity_id": n, "before": None,
         "after": {"n": n}, "note": None if n else "first", "user_id": None,
         "username": None, "version": None, "at": utcnow()}
        for n in range(3)
    ]  # fmt: skip
    with statements(session) as sent:
        insert_rows(session, AuditEvent, rows)
    (statement,) = [s for s in sent if "audit_event" in s]
    # JSON's None is written as JSON's null, as SQLAlchemy writes it
    assert '"user_id"' not in statement and '"version"' not in statement
    assert '"note"' in statement and '"before"' in statement
    stored = session.execute(
        select(cast(AuditEvent.before, Text), AuditEvent.user_id, AuditEvent.note)
        .where(AuditEvent.entity_id.in_([0, 1, 2]), AuditEvent.entity == "pledge")
        .order_by(AuditEvent.entity_id)
    ).all()
    assert [tuple(row) for row in stored] == [("null", None, "first"), ("null", None, None),
                                              ("null", None, None)]  # fmt: skip
    # A column with a server default is sent even when every row leaves it empty
    evidence = inserted_ids(
        session, Evidence, [{"source_id": source.id, "start": 0, "end": 1, "text": "x"}]
    )
    assert len(evidence) == 1
    keys, _values = _column_values(
        session, Pledge.__table__, [{"counts_money": None, "notes": None, "kind": "military"}]
    )
    assert keys == ["counts_money", "kind"]


@settings(
    max_examples=10,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=st.integers(0, 9), missing=st.integers(0, 4))
def test_stored_pledges_read_every_id_asked_for_once_in_few_statement_texts(
    session: Session, stored: int, missing: int
) -> None:
    savepoint = session.begin_nested()
    try:
        pledges = [make_pledge(session) for _ in range(stored)]
        session.flush()
        asked = {p.id for p in pledges} | {-1 - n for n in range(missing)}
        with statements(session) as sent:
            found = _stored_pledges(session, asked)
        assert set(found) == {p.id for p in pledges}
        assert all(found[p.id].version == p.version for p in pledges)
        # the IN list is padded to a power of two: one text for 5 to 8 ids, not four
        if asked:
            assert sent[-1].count("pledge.id IN") == 1
            size = len(asked)
            padded = 1 << (size - 1).bit_length()
            assert sent[-1].count(",") - sent[-1].split("FROM")[0].count(",") == padded - 1
    finally:
        savepoint.rollback()


def _prepared(session: Session, inputs: list[PledgeInput]) -> PreparedPledges:
    """The inputs prepared as an article import prepares them, every link vouched for."""
    known = {
        name: {getattr(data, name) for data in inputs}
        for name in ("donor_id", "recipient_id", "source_id", "evidence_id")
    }
    return PreparedPledges(session, inputs, user=None, known=known)


def test_a_refused_input_refuses_its_article_only_when_it_becomes_a_pledge(
    session: Session,
) -> None:
    """Every input is checked before matching; the refusal of one that corroborates a
    stored pledge (and is not written as a pledge) is dropped, as when only the new ones
    were checked, and the first refused new one raises its own error."""
    good = _input(session)
    bad = _input(session, qualifier="sometimes")
    worse = _input(session, currency="XXQ")
    prepared = _prepared(session, [good, bad, worse])
    (row,) = prepared.rows([(0, None)], stored=set())
    assert row["amount"] == Decimal("1000000.00") and row["eur"] == Decimal("1000000.00")
    with pytest.raises(PledgeError, match="sometimes"):
        prepared.rows([(0, None), (1, None), (2, None)], stored=set())
    with pytest.raises(PledgeError, match="XXQ"):
        prepared.rows([(2, None), (1, None)], stored=set())
    with pytest.raises(PledgeError, match="there is no pledge with id 987654"):
        prepared.rows([(0, 987654)], stored=set())
    (duplicate,) = prepared.rows([(0, 987654)], stored={987654})
    assert duplicate["duplicate_of_id"] == 987654 and row["duplicate_of_id"] is None


STATED_FIGURES = st.tuples(
    st.decimals(0, 10**12, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["exact", "about", "at_least", "up_to"]),
    st.sampled_from(["EUR", "GBP", "USD", "NOK", "XXQ"]),
)


@settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(figures=st.lists(STATED_FIGURES, min_size=1, max_size=6), data=st.data())
def test_the_rows_prepared_before_matching_equal_those_of_the_new_ones_alone(
    session: Session, figures: list[tuple[Decimal, str, str]], data: st.DataObject
) -> None:
    """The rows of all the inputs built ahead (`build`, as during PostgreSQL's read of the
    candidates), taken for some, are those built for these only when taken (as on
    SQLite) and those built for these alone; a refusal is the one checking these alone
    gives."""
    inputs = [
        _input(session, amount=amount, qualifier=qualifier, currency=currency)
        for amount, qualifier, currency in figures
    ]
    new = data.draw(st.lists(st.sampled_from(range(len(inputs))), unique=True, min_size=1))

    def rows(prepared: PreparedPledges, indexes: list[int]) -> list[dict[str, object]] | str:
        try:
            built = prepared.rows([(index, None) for index in indexes], stored=set())
        except PledgeError as error:
            return str(error)
        return [{**row, "created_at": None, "updated_at": None} for row in built]

    ahead = _prepared(session, inputs)
    ahead.build()
    alone = _prepared(session, [inputs[index] for index in new])
    expected = rows(alone, list(range(len(new))))
    assert rows(ahead, new) == expected
    assert rows(_prepared(session, inputs), new) == expected


def _stated_again(session: Session) -> Stated:
    """A stored pledge as another source states it again."""
    pledge = make_pledge(session)
    session.flush()
    return Stated(
        pledge.donor_id, pledge.recipient_id, pledge.item_id, pledge.item.category_id,
        pledge.announced, Figures.of(pledge), make_source(session).id,
    )  # fmt: skip


def test_the_candidates_are_read_while_the_work_given_runs(session: Session) -> None:
    """`meanwhile` runs once, while PostgreSQL's read is under way (in the driver's
    pipeline), and not at all on SQLite, where nothing runs beside the read; the matches
    are those found without it; an error it raises leaves the connection usable."""
    stated = _stated_again(session)
    driver = session.connection().connection.driver_connection
    seen: list[str] = []

    def meanwhile() -> None:
        pipeline = getattr(getattr(driver, "pgconn", None), "pipeline_status", None)
        seen.append("pipeline" if pipeline else "after the read")

    assert find_matches(session, [stated], meanwhile=meanwhile) == find_matches(session, [stated])
    postgres = session.get_bind().dialect.name == "postgresql"
    assert seen == (["pipeline"] if postgres else [])
    if not postgres:
        return

    def fails() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        find_matches(session, [stated], meanwhile=fails)
    assert session.scalar(select(func.count()).select_from(Pledge)) >= 1


def test_without_the_driver_s_pipeline_the_work_waits_for_the_read(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A libpq without pipeline mode (older than 14): the same matches, the work done after
    the read."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the driver's pipeline is PostgreSQL's")
    import psycopg

    stated = _stated_again(session)
    expected = find_matches(session, [stated])
    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    driver = session.connection().connection.driver_connection
    modes: list[object] = []
    found = find_matches(
        session, [stated], meanwhile=lambda: modes.append(driver.pgconn.pipeline_status)
    )
    assert found == expected
    assert modes == [psycopg.pq.PipelineStatus.OFF]

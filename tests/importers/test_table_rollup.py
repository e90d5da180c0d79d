"""A table import keeps the totals rollup exact, and derives values as the pledge service does."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table
from tracker.models import Pledge, TotalsRollup
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.rollup import (
    KEY_COLUMNS,
    MEASURE_NAMES,
    NEW_KEYS,
    NEW_VALUES,
    counted_pledges,
)
from tracker.services.totals import rebuild_totals

HEADER = (
    "donor,item,kind,stage,quantity,amount,currency,qualifier,announced,reviewed,is_correction,"
    "stated_amount,stated_currency"
)
ROWS = (
    "Germany,aid,,announced,,1000000.00,EUR,exact,2025-07-01,true,,,",
    "Germany,aid,,committed,,500.50,GBP,at_least,2025-07-02,false,,,",
    "France,missiles,,delivered,5000,,,about,2025-07-03,false,,,",
    "France,missiles,,allocated,2.5,,,up_to,2024-01-15,true,,,",
    "Poland,aid,,announced,,,,unknown,,false,,,",
    "Poland,aid,,announced,,12000.00,UAH,exact,2025-03-04,false,,,",
    "Poland,aid,,cancelled,,750.25,USD,about,,true,,,",
    "Germany,missiles,,delivered,-3,,,exact,2023-12-31,false,true,,",
    "Germany,aid,,announced,,-100.00,EUR,exact,2025-07-01,false,true,,",
    "France,aid,financial,committed,,99.99,NOK,up_to,2022-02-24,true,,,",
    "Germany,aid,,announced,,283000000.00,GBP,exact,2025-07-10,false,,403300000.00,USD",
    "France,aid,,committed,,283000000.00,GBP,up_to,2025-07-10,false,,384000000.00,USD",
    "Germany,aid,,delivered,,2500000.00,EUR,about,1998-11-03,false,,,",
    "Poland,aid,,announced,,90000000.00,ISK,exact,2012-06-01,false,,,",
)


def rollup_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every rollup row with a non-zero count, sorted by key."""
    columns = [getattr(TotalsRollup, name) for name in (*KEY_COLUMNS, *MEASURE_NAMES)]
    rows = session.execute(select(*columns).where(TotalsRollup.pledges != 0)).all()
    return sorted(tuple(row) for row in rows)


def service_pledge(session: Session, donor: str, **fields: Any) -> Pledge:
    """A pledge written through the pledge service (its rollup kept by the service)."""
    data = PledgeInput(
        donor_id=donor_named(session, donor).id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id,
        **fields,
    )
    return create_pledge(session, data)


def test_rollup_after_an_import_equals_a_rebuild(session: Session) -> None:
    service_pledge(session, "Germany", amount="100.00", currency="EUR", announced=date(2025, 7, 1))
    service_pledge(session, "Poland", amount="80.00", currency="PLN", announced=date(2024, 5, 6))
    session.flush()
    content = "\n".join((HEADER, *ROWS)).encode()
    result = import_table(session, content, "mixed.csv")
    assert result.created == len(ROWS)
    after_import = rollup_rows(session)
    rebuild_totals(session)
    assert after_import == rollup_rows(session)


def test_the_import_s_table_of_new_values_keys_on_what_the_rebuild_reads(
    session: Session,
) -> None:
    rebuild = counted_pledges(session)
    assert tuple(rebuild.of) == NEW_KEYS
    assert [column.name for column in NEW_VALUES.c] == [*NEW_KEYS, *MEASURE_NAMES]


def test_imported_rows_derive_what_the_service_derives(session: Session) -> None:
    content = "\n".join((HEADER, *ROWS)).encode()
    import_table(session, content, "mixed.csv")
    imported = session.scalars(select(Pledge).order_by(Pledge.id)).all()
    derived = (
        "quantity_lower", "quantity_upper", "amount_lower", "amount_upper", "eur", "eur_lower",
        "usd", "eur_rate", "usd_rate", "rate_date", "rate_origin", "conversion_status", "kind",
        "review_flag",
    )  # fmt: skip
    for pledge in imported:
        twin = create_pledge(
            session,
            PledgeInput(
                donor_id=pledge.donor_id,
                recipient_id=pledge.recipient_id,
                item_id=pledge.item_id,
                kind=pledge.kind,
                stage=pledge.stage,
                quantity=pledge.quantity,
                amount=pledge.amount,
                currency=pledge.currency,
                qualifier=pledge.qualifier,
                announced=pledge.announced,
                is_correction=pledge.is_correction,
                stated_amount=pledge.stated_amount,
                stated_currency=pledge.stated_currency,
            ),  # fmt: skip
        )
        session.flush()
        session.refresh(pledge)
        session.refresh(twin)
        assert {n: getattr(pledge, n) for n in derived} == {n: getattr(twin, n) for n in derived}
    assert any(p.conversion_status == "unconverted" for p in imported)
    assert any(p.conversion_status == "stale" for p in imported)
    early = next(p for p in imported if p.announced == date(1998, 11, 3))
    assert (early.eur, early.usd, early.conversion_status) == (early.amount, None, "native")
    in_gap = next(p for p in imported if p.currency == "ISK")
    assert (in_gap.conversion_status, in_gap.rate_date) == ("stale", date(2008, 12, 9))
    assert any(p.eur_lower == Decimal(0) for p in imported)
    flags = [p.review_flag for p in imported if p.review_flag is not None]
    assert len(flags) == 1 and "US$403.3m" in flags[0] and "US$384.1m" in flags[0]


def test_an_import_moves_the_data_version_on(session: Session) -> None:
    from tracker.services.data_version import read_data_version

    before = read_data_version(session)
    import_table(session, "\n".join((HEADER, *ROWS[:2])).encode(), "two.csv")
    assert read_data_version(session) > before


def test_text_with_tabs_backslashes_and_line_breaks_comes_in_as_written(session: Session) -> None:
    notes = 'first line\twith a tab\nsecond \\N line, "quoted"\r\nthird'
    quoted = '"' + notes.replace('"', '""') + '"'
    header = "donor,item,amount,currency,announced,notes"
    content = f"{header}\nGermany,aid,10.00,EUR,2025-07-01,{quoted}"
    import_table(session, content.encode(), "notes.csv")
    pledge = session.scalars(select(Pledge).where(Pledge.notes.is_not(None))).one()
    assert pledge.notes == notes


MATCHING = b"""
columns: {donor: donor, item: item, stage: stage, quantity: quantity, amount: amount,
          currency: currency, qualifier: qualifier, announced: announced, reviewed: reviewed}
match: true
"""
BASE_AMOUNT = Decimal("1000000")
table_rows = st.fixed_dictionaries(
    {
        "donor": st.sampled_from(("Germany", "France")),
        "item": st.sampled_from(("aid", "grant", "missiles")),
        "stage": st.sampled_from(("announced", "committed", "delivered", "cancelled")),
        "qualifier": st.sampled_from(("exact", "exact", "about", "at_least", "unknown")),
        "steps": st.integers(-6, 6),  # tenths of a percent away from BASE_AMOUNT
        "currency": st.sampled_from(("EUR", "EUR", "GBP")),
        "day": st.one_of(st.none(), st.integers(0, 40)),
        "reviewed": st.booleans(),
    }
)


def _table(rows: list[dict[str, Any]]) -> bytes:
    """A table of drawn rows (missiles by quantity, money items by amount)."""
    lines = ["donor,item,stage,quantity,amount,currency,qualifier,announced,reviewed"]
    for row in rows:
        number = BASE_AMOUNT * (1 + Decimal(row["steps"]) / 1000)
        known = row["qualifier"] != "unknown"
        by_quantity = row["item"] == "missiles"
        day = "" if row["day"] is None else (date(2024, 3, 1) + timedelta(days=row["day"]))
        lines.append(
            ",".join(
                (
                    row["donor"],
                    row["item"],
                    row["stage"],
                    str(number) if known and by_quantity else "",
                    str(number) if known and not by_quantity else "",
                    row["currency"] if known and not by_quantity else "",
                    row["qualifier"],
                    str(day),
                    "true" if row["reviewed"] else "false",
                )
            )  # fmt: skip
        )
    return "\n".join(lines).encode()


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(table_rows, min_size=1, max_size=12),
    second=st.lists(table_rows, min_size=1, max_size=12),
)
def test_the_rollup_after_matched_imports_of_generated_tables_equals_a_rebuild(
    session: Session, first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    """Two tables imported with matching on (the second's rows corroborating, flagging or
    adding to the first's): the rollup kept by the imports is the rebuilt one."""
    mapping = Mapping.loads(MATCHING, "m.yaml")
    savepoint = session.begin_nested()
    try:
        import_table(session, _table(first), "first.csv", mapping=mapping)
        import_table(session, _table(second), "second.csv", mapping=mapping)
        session.flush()
        after_imports = rollup_rows(session)
        rebuild_totals(session)
        assert after_imports == rollup_rows(session)
    finally:
        savepoint.rollback()

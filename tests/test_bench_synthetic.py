"""The benchmark's bulk path writes the same pledge rows as the pledge service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from bench.synthetic import (
    PLEDGE_TABLE,
    StatedPledge,
    bulk_load,
    pledge_row,
    prepare_catalogue,
    stated_pledges,
)
from tests.test_migrations import empty_engine  # noqa: F401 - the fixture
from tracker import migrate
from tracker.models._types import utcnow
from tracker.money import convert
from tracker.reference import KINDS, QUALIFIERS, STAGES
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.reference import seed_reference

NOT_COMPARED = {"id", "created_at", "updated_at"}


def varied_sample(session: Session) -> list[StatedPledge]:
    """One synthetic pledge per (qualifier, currency) pair that the generator produces."""
    catalogue = prepare_catalogue(session)
    chosen: dict[tuple[str, str | None, bool], StatedPledge] = {}
    for stated in stated_pledges(catalogue, 3000):
        key = (stated.qualifier, stated.currency, stated.quantity is None)
        chosen.setdefault(key, stated)
    return list(chosen.values())


def stored(session: Session, pledge_id: int) -> dict[str, Any]:
    """Every column of one stored pledge row except its id and timestamps."""
    row = session.execute(select(PLEDGE_TABLE).where(PLEDGE_TABLE.c.id == pledge_id)).one()
    return {k: v for k, v in row._mapping.items() if k not in NOT_COMPARED}


def test_generator_is_deterministic_and_covers_every_kind_stage_and_qualifier(
    session: Session,
) -> None:
    """The same seed gives the same pledges; all kinds, stages and qualifiers occur."""
    catalogue = prepare_catalogue(session)
    first = list(stated_pledges(catalogue, 2000))
    assert first == list(stated_pledges(catalogue, 2000))
    assert len(catalogue.donor_ids) == 200 and len(catalogue.items) == 300
    assert {p.kind for p in first} == set(KINDS)
    assert {p.stage for p in first} == set(STAGES)
    assert {p.qualifier for p in first} == set(QUALIFIERS)
    money = [p for p in first if p.currency is not None]
    share = sum(p.currency != "EUR" for p in money) / len(money)
    assert 0.15 < share < 0.25
    assert {"GBP", "USD", "NOK", "SEK", "PLN", "JPY", "UAH"} <= {p.currency for p in money}


def test_bulk_rows_equal_what_create_pledge_writes(session: Session) -> None:
    """For a varied sample, the bulk row and the service's row agree column by column."""
    sample = varied_sample(session)
    assert len(sample) >= 20
    now = utcnow()
    for stated in sample:
        created = create_pledge(
            session,
            PledgeInput(
                donor_id=stated.donor_id,
                recipient_id=stated.recipient_id,
                item_id=stated.item_id,
                kind=stated.kind,
                stage=stated.stage,
                quantity=stated.quantity,
                unit=stated.unit,
                amount=stated.amount,
                currency=stated.currency,
                qualifier=stated.qualifier,
                qualifier_text=stated.qualifier_text,
                announced=stated.announced,
                reviewed=stated.reviewed,
            ),
        )
        bulk_id = session.execute(
            PLEDGE_TABLE.insert().values(pledge_row(stated, now)).returning(PLEDGE_TABLE.c.id)
        ).scalar_one()
        assert stored(session, bulk_id) == stored(session, created.id), stated


def test_cached_conversion_matches_convert_to_the_cent(session: Session) -> None:
    """Bulk EUR/USD values equal tracker.money.convert for every sampled money pledge."""
    for stated in varied_sample(session):
        if stated.amount is None or stated.currency is None:
            continue
        row = pledge_row(stated, None)
        direct = convert(stated.amount, stated.currency, stated.announced)
        assert (row["eur"], row["usd"], row["conversion_status"]) == (
            direct.eur,
            direct.usd,
            direct.status,
        )
        if stated.currency == "UAH":
            assert row["eur"] is None and row["conversion_status"] == "unconverted"
        else:
            assert isinstance(row["eur"], Decimal)


def test_a_load_paused_at_a_checkpoint_stores_every_pledge(
    empty_engine: Engine,  # noqa: F811 - the fixture imported above
) -> None:
    """The checkpoint sees the pledges written so far, committed, and the load then goes on
    to store all of them (PostgreSQL writes by COPY, outside SQLAlchemy's autobegin)."""
    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        catalogue = prepare_catalogue(session)
        session.commit()
    seen: list[int] = []

    def count() -> int:
        with empty_engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM pledge")).scalar_one())

    bulk_load(empty_engine, catalogue, 120, checkpoint=(12, lambda: seen.append(count())))
    assert seen == [12]
    assert count() == 120

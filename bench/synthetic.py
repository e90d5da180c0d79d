"""Deterministic synthetic pledges, written in bulk with the columns the pledge service derives.

The stated part of each pledge (donor, item, kind, stage, number, currency,
qualifier, date) comes from a seeded random generator, so every run at the same
N writes the same pledges. The derived part (bounds, EUR and USD values, rates,
conversion status) follows the rules of the pledge service: bounds from
`tracker.money.bounds`, conversions from `tracker.money.convert`'s rates for the
(currency, day), remembered so a million pledges need a few thousand look-ups.
tests/test_bench_synthetic.py checks that a bulk row equals what `create_pledge`
writes for the same input.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from sqlalchemy import Connection, Engine, func, literal, select, text
from sqlalchemy.orm import Session

from tracker.db import Base
from tracker.models import Donor, Item, ItemCategory, Pledge, Recipient
from tracker.models._types import utcnow
from tracker.money import Conversion, bounds, rates_on
from tracker.reference import QUALIFIERS, STAGES

SEED = 20250710
DONORS = 200
ITEMS = 300
FIRST_DAY = date(2020, 1, 1)
DAYS = 5 * 365 + 1  # 2020-01-01 .. 2024-12-31
CENT = Decimal("0.01")
CURRENCY_WEIGHTS = (
    ("EUR", 80.0),
    ("GBP", 5.0),
    ("USD", 5.0),
    ("NOK", 2.5),
    ("SEK", 2.5),
    ("PLN", 2.0),
    ("JPY", 2.0),
    ("UAH", 1.0),  # the ECB publishes no UAH rate: stored unconverted
)
QUALIFIER_WORDS = {"about": "about", "at_least": "more than", "up_to": "up to"}
QUALIFIER_WEIGHTS = (70, 10, 8, 8, 4)  # in the order of tracker.reference.QUALIFIERS
STAGE_WEIGHTS = (40, 25, 15, 15, 5)  # in the order of tracker.reference.STAGES
UNITS = {"military": "piece", "humanitarian": "tonne"}
CHUNK = 5000


@dataclass(frozen=True)
class CatalogueEntry:
    """An item a synthetic pledge can name: its id, kind and unit (None for money)."""

    item_id: int
    kind: str
    unit: str | None


@dataclass(frozen=True)
class Catalogue:
    """The donors, items and recipient synthetic pledges are drawn from."""

    donor_ids: tuple[int, ...]
    items: tuple[CatalogueEntry, ...]
    recipient_id: int


def prepare_catalogue(session: Session) -> Catalogue:
    """200 donors and 300 items: the seeded ones, topped up with numbered extras."""
    donor_ids = list(session.scalars(select(Donor.id).order_by(Donor.id).limit(DONORS)))
    for number in range(len(donor_ids), DONORS):
        donor = Donor(name=f"Benchmark donor {number:03d}", kind="organisation")
        session.add(donor)
        session.flush()
        donor_ids.append(donor.id)
    categories = list(session.scalars(select(ItemCategory).order_by(ItemCategory.id)))
    existing = session.scalar(select(func.count()).select_from(Item)) or 0
    for number in range(existing, ITEMS):
        category = categories[number % len(categories)]
        unit = None if category.kind in ("financial", "reconstruction") else UNITS[category.kind]
        session.add(Item(name=f"Benchmark item {number:03d}", category=category, unit=unit))
    session.flush()
    rows = session.execute(
        select(Item.id, ItemCategory.kind, Item.unit)
        .join(ItemCategory, ItemCategory.id == Item.category_id)
        .order_by(Item.id)
        .limit(ITEMS)
    ).all()
    recipient_id = session.scalars(select(Recipient.id).where(Recipient.iso_code == "UA")).one()
    items = tuple(CatalogueEntry(item_id, kind, unit) for item_id, kind, unit in rows)
    return Catalogue(tuple(donor_ids), items, recipient_id)


@dataclass(frozen=True)
class StatedPledge:
    """What a source would state for one pledge: the input of the pledge service."""

    donor_id: int
    recipient_id: int
    item_id: int
    kind: str
    stage: str
    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    qualifier_text: str | None
    announced: date
    reviewed: bool


def stated_pledges(catalogue: Catalogue, n: int, seed: int = SEED) -> Iterator[StatedPledge]:
    """`n` pledges drawn with a fixed seed: every kind, stage, qualifier; 20% not in EUR."""
    rng = random.Random(seed)
    currencies = [code for code, _ in CURRENCY_WEIGHTS]
    currency_weights = [weight for _, weight in CURRENCY_WEIGHTS]
    for _ in range(n):
        entry = rng.choice(catalogue.items)
        qualifier = rng.choices(QUALIFIERS, QUALIFIER_WEIGHTS)[0]
        quantity = amount = currency = None
        if qualifier != "unknown":
            if entry.unit is not None:
                quantity = Decimal(rng.randint(1, 5000))
            if entry.unit is None or rng.random() < 0.3:
                currency = rng.choices(currencies, currency_weights)[0]
                amount = Decimal(rng.randint(1, 2_000_000) * 1000 + rng.randint(0, 99)) / 100
        yield StatedPledge(
            donor_id=rng.choice(catalogue.donor_ids),
            recipient_id=catalogue.recipient_id,
            item_id=entry.item_id,
            kind=entry.kind,
            stage=rng.choices(STAGES, STAGE_WEIGHTS)[0],
            quantity=quantity,
            unit=entry.unit,
            amount=amount,
            currency=currency,
            qualifier=qualifier,
            qualifier_text=QUALIFIER_WORDS.get(qualifier),
            announced=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            reviewed=rng.random() < 0.6,
        )


def converted(amount: Decimal, rates: Conversion) -> tuple[Decimal | None, Decimal | None]:
    """`amount` in EUR and USD at `rates`, computed and rounded exactly as `convert` does."""
    if rates.eur_rate is None or rates.usd_rate is None:
        return None, None
    with localcontext(prec=60):
        eur = (amount * Decimal(1) / rates.eur_rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
        usd = (amount * rates.usd_rate / rates.eur_rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return eur, usd


def pledge_row(stated: StatedPledge, now: Any) -> dict[str, Any]:
    """The full pledge row the pledge service would write for `stated`."""
    row: dict[str, Any] = {
        "donor_id": stated.donor_id,
        "recipient_id": stated.recipient_id,
        "item_id": stated.item_id,
        "item_text": None,
        "kind": stated.kind,
        "stage": stated.stage,
        "quantity": stated.quantity,
        "unit": stated.unit,
        "amount": stated.amount,
        "currency": stated.currency,
        "qualifier": stated.qualifier,
        "qualifier_text": stated.qualifier_text,
        "quantity_lower": None,
        "quantity_upper": None,
        "amount_lower": None,
        "amount_upper": None,
        "is_correction": False,
        "eur": None,
        "eur_lower": None,
        "usd": None,
        "eur_rate": None,
        "usd_rate": None,
        "rate_date": None,
        "rate_origin": None,
        "conversion_status": None,
        "stated_amount": None,
        "stated_currency": None,
        "review_flag": None,
        "announced": stated.announced,
        "announced_precision": "day",
        "reviewed": stated.reviewed,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    if stated.quantity is not None:
        quantity_bounds = bounds(stated.quantity, stated.qualifier)
        row["quantity_lower"] = quantity_bounds.lower
        row["quantity_upper"] = quantity_bounds.upper
    if stated.amount is not None and stated.currency is not None:
        money = bounds(stated.amount, stated.qualifier)
        row["amount_lower"], row["amount_upper"] = money.lower, money.upper
        rates = rates_on(stated.currency, stated.announced)
        row["eur"], row["usd"] = converted(stated.amount, rates)
        row["eur_rate"], row["usd_rate"] = rates.eur_rate, rates.usd_rate
        row["rate_date"], row["rate_origin"] = rates.rate_date, rates.origin
        row["conversion_status"] = rates.status
        if money.lower is not None and row["eur"] is not None:
            row["eur_lower"] = converted(money.lower, rates)[0]
    return row


PLEDGE_TABLE: Any = Pledge.__table__


def _copy_rows(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Write rows with PostgreSQL's COPY (the fastest bulk path psycopg offers)."""
    raw: Any = connection.connection.driver_connection
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY pledge ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def bulk_load(
    engine: Engine,
    catalogue: Catalogue,
    n: int,
    seed: int = SEED,
    checkpoint: tuple[int, Callable[[], None]] | None = None,
) -> None:
    """Write `n` synthetic pledges, then analyse the table.

    With a `checkpoint` (count, action) the pledges written so far are committed and
    analysed once `count` of them are written, `action` runs, and the load goes on: the
    same pledges as without it, measured on the way.
    """
    now = utcnow()
    postgres = engine.dialect.name == "postgresql"
    pause_at, action = checkpoint if checkpoint is not None else (n + 1, None)
    written = 0
    with engine.connect() as connection:
        # Begun explicitly: COPY goes through the driver's own cursor, which SQLAlchemy's
        # autobegin does not see, so a commit with no begun transaction would drop the rows.
        transaction = connection.begin()
        chunk: list[dict[str, Any]] = []
        for stated in stated_pledges(catalogue, n, seed):
            chunk.append(pledge_row(stated, now))
            if len(chunk) == CHUNK or written + len(chunk) == pause_at:
                _write(connection, chunk, postgres)
                written += len(chunk)
                chunk = []
                if action is not None and written >= pause_at:
                    transaction.commit()
                    analyze_loaded(engine)
                    action()
                    action = None
                    transaction = connection.begin()
        if chunk:
            _write(connection, chunk, postgres)
        transaction.commit()
    analyze_loaded(engine)


def analyze_loaded(engine: Engine) -> None:
    """Bring the loaded database to rest: ANALYZE on SQLite; on PostgreSQL VACUUM (ANALYZE)
    of the tables that hold rows, as autovacuum would after a load (it is off on the
    bench's server), so the visibility map lets covering indexes answer alone (an
    index-only scan of a never-vacuumed table still visits every row). The empty tables
    (sources, evidence, reports, audit events) are left without statistics, as a fresh
    database's are: analysed while empty, a table stays "empty" for the planner until it
    is analysed again, which only autovacuum would do, so the first foreign-key check of a
    connection into it is planned as a sequential scan and that plan is kept as the table
    grows (the article import then read every evidence row for each pledge and report it
    wrote)."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        return
    # VACUUM runs outside a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in Base.metadata.sorted_tables:
            if connection.execute(select(literal(1)).select_from(table).limit(1)).first():
                connection.execute(text(f'VACUUM (ANALYZE) "{table.name}"'))


def _write(connection: Connection, rows: list[dict[str, Any]], postgres: bool) -> None:
    """One chunk of rows, by COPY on PostgreSQL and executemany on SQLite."""
    if postgres:
        _copy_rows(connection, rows)
    else:
        connection.execute(PLEDGE_TABLE.insert(), rows)

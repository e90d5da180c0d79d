"""One record per commitment: a sum that is the price of counted things, in the same clause,
is one pledge with the amount, its currency, the quantity and the counted item ("C$60m for 10
rocket launchers", "will spend £350m on 100,000 drones", "a $400m contract for 12 systems",
"12 systems worth $400m").

Kept apart: a sum and a count of different things joined by "and" ("€500m and 20 tanks": two
pledges), a package's total and a count "including" in it (the total and its part, never
added up), and a price of one unit ("12 tanks at €2m each": the count's pledge, the unit price
no commitment of its own and never multiplied into one).

Gold changed to this convention (one record where it had two): news article 30 ("Canada will
provide C$60 million for 10 CRV7 rocket launchers"), article 46's table row ("Canada | 25 LAV
6.0 armoured vehicles | C$150m": the value column is what the row's things cost), and the test
articles past_and_dates ("£1.6 billion for more than 5,000 air defence missiles", the record
taking the sum's qualifier, as article 21's "£1.6 billion to buy more than 5,000" does) and
uk_drones_spend ("£350m on 100,000 drones"). Left as two records, being no price in the same
clause: a sum "paid for with" after a comma (articles 41 and 48), things "as part of" a
package or contract (articles 17 and 54), a worth after two counted things (article 69) or
after things of which only the last is uncounted (20, 28), parts "including" in a package
(44, 64, 71 and the test articles ap_passive_voice, donors_and_recipients, live_blog).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract import extract
from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Pledge

ON = date(2026, 12, 3)
DONORS = st.sampled_from(["Germany", "Norway", "Sweden", "Denmark", "Italy", "Poland"])
MILLIONS = st.integers(min_value=2, max_value=900)
COUNTS = st.integers(min_value=2, max_value=5000)
# (written before the figure, ISO code)
CURRENCIES = st.sampled_from([("€", "EUR"), ("£", "GBP"), ("NOK ", "NOK"), ("DKK ", "DKK"),
                              ("SEK ", "SEK")])  # fmt: skip
ITEMS = st.sampled_from(["howitzers", "air defence missiles", "Leopard tanks", "drones",
                         "armoured vehicles"])  # fmt: skip
SUM_FIRST = [
    "{donor} will provide {sum} for {count} {item} for Ukraine.",
    "{donor} will provide {sum} to Ukraine for {count} {item}.",
    "{donor} will spend {sum} to buy {count} {item} for Ukraine.",
    "{donor} will spend {sum} on {count} {item} for Ukraine.",
    "{donor} will pay {sum} for {count} {item} for Ukraine.",
    "{donor} signed a {sum} contract for {count} {item} for Ukraine.",
]
COUNT_FIRST = [
    "{donor} will send Ukraine {count} {item} worth {sum}.",
    "{donor} will send Ukraine {count} {item} at a cost of {sum}.",
    "{donor} will finance {count} {item} for {sum} for Ukraine.",
]


def _records(text: str) -> list[tuple[str, Decimal | None, str | None, Decimal | None, str]]:
    """(donor, amount, currency, quantity, item) of each pledge the text states."""
    return [(p.donor, p.amount, p.currency, p.quantity, p.item) for p in extract(text, ON).pledges]


@pytest.mark.parametrize("wording", SUM_FIRST + COUNT_FIRST)
@given(donor=DONORS, millions=MILLIONS, currency=CURRENCIES, count=COUNTS, item=ITEMS)
def test_a_sum_that_is_the_price_of_counted_things_is_one_pledge(
    wording: str, donor: str, millions: int, currency: tuple[str, str], count: int, item: str
) -> None:
    symbol, iso = currency
    text = wording.format(
        donor=donor, sum=f"{symbol}{millions} million", count=f"{count:,}", item=item
    )
    records = _records(text)
    assert len(records) == 1, records
    got_donor, amount, got_iso, quantity, got_item = records[0]
    assert (got_donor, amount, got_iso, quantity) == (donor, millions * 1_000_000, iso, count)
    assert got_item.split()[-1] == item.split()[-1]  # the counted item, not "military aid"
    (pledge,) = extract(text, ON).pledges
    assert pledge.kind == "military"


@given(donor=DONORS, millions=MILLIONS, currency=CURRENCIES, count=COUNTS, item=ITEMS)
def test_a_sum_and_a_count_joined_by_and_stay_two(
    donor: str, millions: int, currency: tuple[str, str], count: int, item: str
) -> None:
    symbol, iso = currency
    text = f"{donor} will give Ukraine {symbol}{millions} million and {count:,} {item}."
    figures = [(amount, got_iso, quantity) for _, amount, got_iso, quantity, _ in _records(text)]
    assert figures == [(millions * 1_000_000, iso, None), (None, None, count)]


@given(donor=DONORS, millions=MILLIONS, currency=CURRENCIES, count=COUNTS, item=ITEMS)
def test_a_count_including_in_a_package_is_its_part(
    donor: str, millions: int, currency: tuple[str, str], count: int, item: str
) -> None:
    symbol, iso = currency
    text = (
        f"{donor} announced a new {symbol}{millions} million military aid package for Ukraine,"
        f" including {count:,} {item}."
    )
    figures = [(amount, got_iso, quantity) for _, amount, got_iso, quantity, _ in _records(text)]
    assert figures == [(millions * 1_000_000, iso, None), (None, None, count)]


@pytest.mark.parametrize("each", ["each", "apiece", "per unit"])
@given(donor=DONORS, millions=st.integers(min_value=1, max_value=9), currency=CURRENCIES,
       count=COUNTS, item=ITEMS)  # fmt: skip
def test_a_price_of_one_unit_is_no_pledge_of_its_own(
    each: str, donor: str, millions: int, currency: tuple[str, str], count: int, item: str
) -> None:
    symbol, _ = currency
    text = f"{donor} will send Ukraine {count:,} {item} at {symbol}{millions} million {each}."
    figures = [(amount, quantity) for _, amount, _, quantity, _ in _records(text)]
    assert figures == [(None, count)]


@pytest.mark.parametrize(("text", "rows"), [
    ("Norway will pay NOK 450 million for 26 howitzers for Ukraine.", 1),
    ("Norway will give Ukraine NOK 450 million and 26 howitzers.", 2),
])  # fmt: skip
def test_an_imported_price_counts_its_money_once_and_its_things_once(
    session: Session, text: str, rows: int
) -> None:
    result = import_article(session, text, ArticleMeta(title="prices", published=ON))
    session.flush()
    assert result.source is not None
    source_id = result.source.id
    pledges = session.scalars(select(Pledge).where(Pledge.source_id == source_id)).all()
    assert len(pledges) == rows
    assert sum(p.amount or 0 for p in pledges) == Decimal("450000000")
    assert sum(p.quantity or 0 for p in pledges) == 26
    assert {p.currency for p in pledges if p.amount is not None} == {"NOK"}
    assert sum(1 for p in pledges if p.eur is not None) == 1  # one figure in euros

"""A pledge that states no number (qualifier unknown) or a figure of 0 neither agrees nor
disagrees with one that states a number: matching neither corroborates it nor marks the
other "a possible duplicate, another number" (a Kiel allocation row whose commitment is
€0 no longer keeps an article's $450m out of the totals)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Item, Pledge
from tracker.services.matching import Figures, Match, Stated, classify, number_verdict
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.totals import grand_total, rebuild_totals, totals

ARTICLE = (
    "Germany pledges $450m for Ukraine\n\n"
    "BERLIN — Germany has pledged $450 million in military aid to Ukraine, the defence "
    "ministry said on Tuesday.\n"
)


def _kiel_like_row(session: Session, amount: str, qualifier: str = "exact") -> Pledge:
    """A pledge of Germany's military aid from a dataset, its promised figure `amount` EUR
    (None: no figure, qualifier unknown), allocated €120m."""
    source = make_source(session, kind="dataset", title="kiel.csv")
    return create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "military aid").id,
            amount=amount if qualifier != "unknown" else None,
            currency="EUR" if qualifier != "unknown" else None,
            qualifier=qualifier,
            announced=date(2025, 3, 1),
            source_id=source.id,
            reviewed=True,
        ),
    )


def test_an_articles_450m_beside_a_stored_promise_of_0_is_new_and_counted(
    session: Session,
) -> None:
    stored = _kiel_like_row(session, "0")
    before = grand_total(session)
    import_article(session, ARTICLE, ArticleMeta(published=date(2025, 3, 4)))
    session.flush()
    new = session.scalars(select(Pledge).where(Pledge.amount == Decimal("450000000"))).one()
    assert new.duplicate_of_id is None
    assert new.id != stored.id
    after = grand_total(session)
    assert after.pledges == before.pledges + 1
    assert after.eur == before.eur + new.eur
    by_donor = {row.key_id: row for row in totals(session, "donor")}
    snapshot = [totals(session, by) for by in ("donor", "item", "stage")]
    rebuild_totals(session)
    assert snapshot == [totals(session, by) for by in ("donor", "item", "stage")]
    assert by_donor[stored.donor_id].eur == after.eur


def test_a_promise_without_a_number_is_no_other_number_either(session: Session) -> None:
    _kiel_like_row(session, "", qualifier="unknown")
    import_article(session, ARTICLE, ArticleMeta(published=date(2025, 3, 4)))
    session.flush()
    new = session.scalars(select(Pledge).where(Pledge.amount == Decimal("450000000"))).one()
    assert new.duplicate_of_id is None


def test_another_number_still_makes_a_possible_duplicate(session: Session) -> None:
    stored = _kiel_like_row(session, "100000000")
    import_article(session, ARTICLE, ArticleMeta(published=date(2025, 3, 4)))
    session.flush()
    new = session.scalars(select(Pledge).where(Pledge.amount == Decimal("450000000"))).one()
    assert new.duplicate_of_id == stored.id


NUMBERS = st.one_of(
    st.just(Decimal(0)),
    st.decimals(min_value=-1000, max_value=10**9, places=2, allow_nan=False),
)


@st.composite
def figures(draw: st.DrawFn) -> Figures:
    """Any figures a pledge may hold: none, a quantity, an amount, or both; 0 as often as not."""
    qualifier = draw(st.sampled_from(("exact", "about", "at_least", "up_to", "unknown")))
    if qualifier == "unknown":
        return Figures(None, None, None, None, qualifier)
    quantity = draw(st.none() | NUMBERS)
    amount = draw(NUMBERS) if quantity is None else draw(st.none() | NUMBERS)
    currency = None if amount is None else draw(st.sampled_from(("EUR", "USD")))
    eur = None if amount is None else (amount if currency == "EUR" else amount * Decimal("0.9"))
    return Figures(quantity, amount, currency, eur, qualifier)


def _no_number(f: Figures) -> bool:
    return f.qualifier == "unknown" or not (f.quantity or f.amount)


@settings(max_examples=300)
@given(a=figures(), b=figures())
def test_the_verdict_is_symmetric_and_silent_where_a_side_states_no_number(
    a: Figures, b: Figures
) -> None:
    verdict = number_verdict(a, b)
    assert number_verdict(b, a) == verdict
    if a.qualifier == b.qualifier == "unknown":
        assert verdict is True
    elif _no_number(a) or _no_number(b):
        assert verdict is None


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(stated=figures(), same_item=st.booleans())
def test_a_candidate_of_0_never_makes_a_stated_pledge_anything_but_new(
    session: Session, stated: Figures, same_item: bool
) -> None:
    item = session.scalars(select(Item).where(Item.name == "military aid")).one()
    candidate: Any = Pledge(id=7, item_id=item.id, quantity=None, amount=Decimal(0),
                            currency="EUR", eur=Decimal(0), qualifier="exact")  # fmt: skip
    stated_item = item.id if same_item else item.id + 1
    one = Stated(1, 1, stated_item, item.category_id, date(2025, 3, 4), stated)
    assert classify(one, [(candidate, item.category_id)]) == Match("new")

"""An article import maps the article's words to the catalogue and never extends it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Donor, DonorAlias, Item, ItemAlias
from tracker.services.reference import alias_key

META = ArticleMeta(title="t", publisher="p", url=None, published=date(2025, 7, 10))


def _items(session: Session) -> int:
    """Catalogue rows."""
    return session.scalar(select(func.count()).select_from(Item)) or 0


def test_a_system_named_by_an_alias_is_its_catalogue_item(session: Session) -> None:
    before = _items(session)
    result = import_article(session, "Germany pledged 4 IRIS-T SLM systems to Ukraine.", META)
    (pledge,) = result.pledges
    assert pledge.item.name == "IRIS-T"
    assert pledge.item.category.name == "air defence"
    assert _items(session) == before


def test_unknown_words_go_to_the_general_item_of_their_category_flagged(session: Session) -> None:
    before = _items(session)
    text = "Germany pledged 40 Wiesel weapon carriers to Ukraine."
    (pledge,) = import_article(session, text, META).pledges
    assert pledge.item.name == "military aid"
    assert pledge.item_text == "Wiesel weapon carriers"
    assert pledge.notes is not None and "not in the catalogue" in pledge.notes
    assert not pledge.reviewed
    assert _items(session) == before


def test_an_alias_an_admin_adds_is_used_by_the_next_import(session: Session) -> None:
    tanks = session.scalars(select(Item).where(Item.name == "tanks")).one()
    session.add(ItemAlias(item=tanks, alias="Wiesel weapon carriers",
                          key=alias_key("Wiesel weapon carriers")))  # fmt: skip
    session.flush()
    text = "Germany pledged 40 Wiesel weapon carriers to Ukraine."
    (pledge,) = import_article(session, text, META).pledges
    assert pledge.item.name == "tanks"
    assert pledge.notes is None


def test_a_donor_alias_an_admin_adds_is_read_by_the_next_import(session: Session) -> None:
    text = "The Bundesregierung pledged 5 tanks to Ukraine."
    assert import_article(session, text, META).pledges == []
    germany = session.scalars(select(Donor).where(Donor.name == "Germany")).one()
    session.add(DonorAlias(donor=germany, alias="Bundesregierung", key="bundesregierung"))
    session.flush()
    again = "The Bundesregierung pledged 7 tanks to Ukraine."
    (pledge,) = import_article(session, again, META).pledges
    assert (pledge.donor.name, pledge.quantity) == ("Germany", 7)

"""An article import reads the extractor's vocabulary from the database: a donor alias, an
item or an item alias an admin adds is recognised by the next import."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.extract import extract, reference_vocabulary
from tracker.importers.article import ArticleMeta, import_article
from tracker.importers.vocabulary import database_vocabulary
from tracker.models import Donor, Item, ItemAlias, ItemCategory, Recipient
from tracker.services.catalogue import (
    DonorInput,
    ItemInput,
    create_item,
    donor_snapshot,
    update_donor,
)
from tracker.services.data_version import read_data_version
from tracker.services.reference import alias_key

META = ArticleMeta(title="t", publisher="p", url=None, published=date(2025, 7, 10))


def _add_donor_alias(session: Session, donor_name: str, alias: str) -> None:
    donor = session.scalars(select(Donor).where(Donor.name == donor_name)).one()
    snapshot = donor_snapshot(donor)
    data = DonorInput(
        name=donor.name, kind=donor.kind, iso_code=donor.iso_code,
        aliases=[*snapshot["aliases"], alias],
    )  # fmt: skip
    update_donor(session, donor.id, data)
    session.flush()


def test_a_donor_alias_added_through_the_service_names_the_donor(session: Session) -> None:
    text = "The Koninkrijk pledged 6 howitzers to Ukraine."
    assert extract(text, META.published).pledges == ()  # unknown to the reference data
    assert import_article(session, text, META).pledges == []
    _add_donor_alias(session, "Netherlands", "Koninkrijk")
    again = "The Koninkrijk pledged 8 howitzers to Ukraine."
    (pledge,) = import_article(session, again, META).pledges
    assert (pledge.donor.name, pledge.quantity) == ("Netherlands", 8)


def test_an_item_added_through_the_service_is_read_without_a_number(session: Session) -> None:
    text = "Germany will send more Skyhook launchers to Ukraine."
    assert extract(text, META.published).pledges == ()  # no category: nothing countable
    category = session.scalars(select(ItemCategory).where(ItemCategory.name == "air defence")).one()
    create_item(
        session, ItemInput(name="Skyhook launchers", category_id=category.id, unit="launcher")
    )
    session.flush()
    (pledge,) = import_article(session, text, META).pledges
    assert (pledge.donor.name, pledge.item.name, pledge.quantity) == (
        "Germany",
        "Skyhook launchers",
        None,
    )
    assert pledge.item.category.name == "air defence"


def test_an_item_alias_gives_the_extractor_its_category(session: Session) -> None:
    text = "Germany will send more Gepard guns to Ukraine."
    guns = session.scalars(select(Item).where(Item.name == "air defence systems")).one()
    session.add(ItemAlias(item=guns, alias="Gepard guns", key=alias_key("Gepard guns")))
    session.flush()
    (found,) = extract(text, META.published, database_vocabulary(session)).pledges
    assert (found.item, found.category, found.kind) == ("Gepard guns", "air defence", "military")
    (pledge,) = import_article(session, text, META).pledges
    assert pledge.item.name == "air defence systems"


def test_the_vocabulary_is_rebuilt_only_when_the_data_changes(session: Session) -> None:
    first = database_vocabulary(session)
    assert database_vocabulary(session) is first
    _add_donor_alias(session, "Norway", "Kongeriket")
    second = database_vocabulary(session)
    assert second is not first
    assert "Kongeriket" in second.donors.forms
    assert database_vocabulary(session) is second


def test_importing_pledges_keeps_the_vocabulary_in_use(session: Session) -> None:
    first = database_vocabulary(session)
    version = read_data_version(session)
    text = "Germany will send 6 howitzers to Ukraine. Norway pledged €20m in aid."
    assert len(import_article(session, text, META).pledges) == 2
    assert read_data_version(session) > version  # the dashboard sees the pledges ...
    assert database_vocabulary(session) is first  # ... the extractor's names did not move


def test_without_a_database_the_reference_data_is_read() -> None:
    text = "Germany pledged 4 NASAMS to Ukraine."
    (pledge,) = extract(text, META.published).pledges
    assert pledge.category == "air defence"
    assert extract(text, META.published, reference_vocabulary()).pledges == (pledge,)


def test_the_recipient_found_is_remembered_until_the_names_change(session: Session) -> None:
    """The recipient an article names is looked up once while the names stay as they are,
    and again once they change (a renamed recipient is not found under its old name)."""
    (first,) = import_article(session, "Germany pledged 6 howitzers to Ukraine.", META).pledges
    sent: list[str] = []

    def record(*args: object) -> None:
        sent.append(str(args[2]))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        (second,) = import_article(session, "Germany pledged 7 howitzers to Ukraine.", META).pledges
        assert second.recipient_id == first.recipient_id
        assert not [s for s in sent if "lower(recipient.name)" in s]
        ukraine = session.get(Recipient, first.recipient_id)
        assert ukraine is not None
        ukraine.name = "Ukraina"
        session.flush()
        (third,) = import_article(session, "Germany pledged 8 howitzers to Ukraine.", META).pledges
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert [s for s in sent if "lower(recipient.name)" in s]
    added = session.get(Recipient, third.recipient_id)
    assert added is not None and added.name == "Ukraine" and added.id != ukraine.id

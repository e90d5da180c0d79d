"""The catalogue service: donors and items, their rules, their audit, and the totals rollup
when an item moves to another category."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named
from tests.services.test_totals import assert_rollup_is_fresh, give, rollup_rows
from tracker.importers.parsing import donor_ids_by_name
from tracker.models import AuditEvent, Donor, DonorAlias, Item, ItemCategory
from tracker.services.catalogue import (
    CatalogueError,
    DonorInput,
    ItemInput,
    create_donor,
    create_item,
    update_donor,
    update_item,
)
from tracker.services.data_version import read_data_version
from tracker.services.pledges import delete_pledge, find_donor
from tracker.services.reference import alias_key
from tracker.services.totals import TotalsFilter, totals


def category(session: Session, name: str) -> ItemCategory:
    """A seeded item category."""
    return session.scalars(select(ItemCategory).where(ItemCategory.name == name)).one()


def events(session: Session, entity: str) -> list[AuditEvent]:
    """The audit events of one kind of record, oldest first."""
    query = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
    return list(session.scalars(query))


def test_a_new_donor_goes_by_its_name_and_aliases(session: Session) -> None:
    donor = create_donor(
        session,
        DonorInput(
            name=" Nordic  Fund ",
            kind="organisation",
            aliases=["Nordic fund for Ukraine", "NORDIC FUND", ""],
        ),
    )
    assert donor.name == "Nordic Fund"
    assert sorted(a.key for a in donor.aliases) == ["nordic fund", "nordic fund for ukraine"]
    known = donor_ids_by_name(session)
    assert known["nordic fund"] == known["nordic fund for ukraine"] == donor.id
    [event] = events(session, "donor")
    assert event.action == "create" and event.before is None
    assert event.after is not None and event.after["aliases"] == [
        "Nordic Fund",
        "Nordic fund for Ukraine",
    ]


def test_a_renamed_donor_keeps_its_old_name_as_an_alias(session: Session) -> None:
    uk = donor_named(session, "United Kingdom")
    data = DonorInput(name="United Kingdom of Great Britain", kind="country", iso_code="gb",
                      aliases=[a.alias for a in uk.aliases])  # fmt: skip
    update_donor(session, uk.id, data)
    session.flush()
    assert find_donor(session, "United Kingdom") is uk
    assert donor_ids_by_name(session)[alias_key("United Kingdom of Great Britain")] == uk.id
    [event] = events(session, "donor")
    assert event.before is not None and event.after is not None
    assert event.before["name"] == "United Kingdom"
    assert event.after["name"] == "United Kingdom of Great Britain"
    assert "United Kingdom" in event.after["aliases"]


def test_aliases_can_be_removed_but_the_name_stays_one(session: Session) -> None:
    donor = create_donor(session, DonorInput(name="Test Fund", kind="organisation",
                                             aliases=["Test Fund Ltd", "The Fund"]))  # fmt: skip
    update_donor(session, donor.id, DonorInput(name="Test Fund", kind="organisation",
                                               aliases=["Test Fund Ltd"]))  # fmt: skip
    session.flush()
    assert sorted(a.alias for a in donor.aliases) == ["Test Fund", "Test Fund Ltd"]
    assert session.scalar(select(DonorAlias).where(DonorAlias.key == "the fund")) is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (DonorInput(name="  ", kind="country"), "name", "Enter the donor's name."),
        (DonorInput(name="france", kind="country"), "name", "'france' already names France."),
        (DonorInput(name="Fund", kind="organisation", aliases=["Britain"]), "aliases",
         "'Britain' already names United Kingdom."),
        (DonorInput(name="Fund", kind="planet"), "kind", "The kind is one of"),
        (DonorInput(name="Fund", kind="organisation", iso_code="EU"), "iso_code", "Only a country"),
        (DonorInput(name="Atlantis", kind="country", iso_code="QQ"), "iso_code", "ISO 3166"),
        (DonorInput(name="Atlantis", kind="country", iso_code="fr"), "iso_code",
         "FR is already the code of France."),
        (DonorInput(name="Club", kind="group", members=["Narnia"]), "members",
         "No donor is known as 'Narnia'."),
        (DonorInput(name="Club", kind="group", members=["G7"]), "members", "G7 is a group"),
        (DonorInput(name="Fund", kind="organisation", members=["France"]), "members",
         "Only a group has members"),
    ],
)  # fmt: skip
def test_a_donor_that_breaks_a_rule_is_refused_and_nothing_is_written(
    session: Session, data: DonorInput, field: str, message: str
) -> None:
    donors = session.scalar(select(func.count(Donor.id)))
    with pytest.raises(CatalogueError) as refused:
        create_donor(session, data)
    assert refused.value.field == field and message in refused.value.message
    assert session.scalar(select(func.count(Donor.id))) == donors
    assert events(session, "donor") == []


HIDDEN = st.sampled_from(["\u200b", "\ufeff", "\u202e", "\u2066", "\x07", "\u00ad"])
NO_WORD = st.text(alphabet=st.characters(categories=["P", "S", "Zs"]), min_size=1, max_size=8)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    hidden=HIDDEN, at=st.integers(0, 8), no_word=NO_WORD,
    where=st.sampled_from(["donor", "alias", "item"]),
)  # fmt: skip
def test_a_name_with_an_invisible_character_or_no_word_is_refused(
    session: Session, hidden: str, at: int, no_word: str, where: str
) -> None:
    visible = "Freedonia"
    for name, message in (
        (visible[:at] + hidden + visible[at:], "holds an invisible character"),
        (no_word, "has no letter or digit"),
    ):
        if not " ".join(name.split()):
            continue  # blank: "Enter the donor's name"
        donors, items = (session.scalar(select(func.count(m.id))) for m in (Donor, Item))
        with pytest.raises(CatalogueError, match=message) as refused:
            if where == "item":
                create_item(
                    session, ItemInput(name=name, category_id=category(session, "drones").id)
                )
            elif where == "alias":
                create_donor(session, DonorInput(name="Fund", kind="organisation", aliases=[name]))
            else:
                create_donor(session, DonorInput(name=name, kind="country"))
        assert refused.value.field == ("aliases" if where == "alias" else "name")
        assert (donors, items) == tuple(
            session.scalar(select(func.count(m.id))) for m in (Donor, Item)
        )


def test_a_name_in_a_script_with_joiners_is_kept(session: Session) -> None:
    persian = "\u0628\u0646\u06cc\u0627\u062f\u200c\u0647\u0627"  # with a zero-width non-joiner
    donor = create_donor(session, DonorInput(name=persian, kind="organisation"))
    assert donor.name == persian and find_donor(session, persian) == donor


def test_group_membership_from_either_side(session: Session) -> None:
    club = create_donor(session, DonorInput(name="Club", kind="group", members=["FR", "germany"]))
    assert [m.name for m in club.members] == ["France", "Germany"]
    norway = donor_named(session, "Norway")
    update_donor(session, norway.id, DonorInput(name="Norway", kind="country", iso_code="NO",
                                                aliases=[a.alias for a in norway.aliases],
                                                groups=[club.id]))  # fmt: skip
    session.flush()
    assert [m.name for m in club.members] == ["France", "Germany", "Norway"]
    give(session, norway)
    [row] = totals(session, "kind", TotalsFilter(group_id=club.id))
    assert row.pledges == 1
    with pytest.raises(CatalogueError, match="cannot be a member of another group"):
        update_donor(session, club.id, DonorInput(name="Club", kind="group", groups=[club.id]))


def test_an_unchanged_save_writes_no_audit_event(session: Session) -> None:
    other_military = category(session, "other military").id
    item = create_item(
        session, ItemInput(name="sandbags", category_id=other_military, unit="sandbag")
    )
    update_item(session, item.id, ItemInput(name="sandbags", category_id=item.category_id,
                                            unit="sandbag"))  # fmt: skip
    assert [e.action for e in events(session, "item")] == ["create"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ItemInput(name="", category_id=None), "name"),
        (ItemInput(name="AID", category_id=None), "name"),
        (ItemInput(name="sandbags", category_id=None), "category"),
        (ItemInput(name="sandbags", category_id=999_999), "category"),
        (ItemInput(name="sandbags", category_id=1, unit="x" * 41), "unit"),
    ],
)
def test_an_item_that_breaks_a_rule_is_refused(
    session: Session, data: ItemInput, field: str
) -> None:
    items = session.scalar(select(func.count(Item.id)))
    with pytest.raises(CatalogueError) as refused:
        create_item(session, data)
    assert refused.value.field == field
    assert session.scalar(select(func.count(Item.id))) == items
    assert events(session, "item") == []


def test_moving_an_item_moves_its_pledges_in_the_category_totals(session: Session) -> None:
    aid = item_named(session, "aid")
    old, new = aid.category, category(session, "humanitarian")
    germany, france = donor_named(session, "Germany"), donor_named(session, "France")
    give(session, germany, amount="2000000000")
    give(session, germany, amount="300000000", currency="GBP", stage="delivered")
    give(session, france, amount="5000000", qualifier="about", reviewed=True,
         announced=date(2024, 3, 1))  # fmt: skip
    gone = give(session, france, amount="7000000")
    delete_pledge(session, gone.id, expected_version=gone.version)
    give(session, france, item_id=item_named(session, "humanitarian aid").id, amount="1000000")
    give(session, france, item_id=item_named(session, "budget support").id, amount="4000000")
    before = {r.key: r.pledges for r in totals(session, "category")}

    update_item(session, aid.id, ItemInput(name="aid", category_id=new.id, unit=aid.unit))

    assert_rollup_is_fresh(session)
    after = {r.key: r.pledges for r in totals(session, "category")}
    assert after[new.name] == before[new.name] + 3
    assert after.get(old.name, 0) == before[old.name] - 3
    [event] = events(session, "item")
    assert event.before is not None and event.after is not None
    assert (event.before["category"], event.after["category"]) == (old.name, new.name)
    # and back again: the rows of both categories still equal a rebuild
    update_item(session, aid.id, ItemInput(name="aid", category_id=old.id, unit=aid.unit))
    assert_rollup_is_fresh(session)
    assert {r.key: r.pledges for r in totals(session, "category")} == before
    assert rollup_rows(session)


def test_every_catalogue_save_bumps_the_data_version(session: Session) -> None:
    versions = [read_data_version(session)]
    fund = create_donor(session, DonorInput(name="Test Fund", kind="organisation"))
    versions.append(read_data_version(session))
    update_donor(session, fund.id, DonorInput(name="Test Fund", kind="organisation",
                                              aliases=["Test Fund Ltd"]))  # fmt: skip
    versions.append(read_data_version(session))
    g7 = donor_named(session, "G7")
    in_g7 = DonorInput(name="Test Fund", kind="organisation", aliases=["Test Fund Ltd"],
                       groups=[g7.id])  # fmt: skip
    update_donor(session, fund.id, in_g7)
    versions.append(read_data_version(session))
    grant = category(session, "grant").id
    item = create_item(session, ItemInput(name="sandbags", category_id=grant))
    versions.append(read_data_version(session))
    update_item(session, item.id, ItemInput(name="sandbags", category_id=grant, unit="sandbag"))
    versions.append(read_data_version(session))
    assert versions == sorted(set(versions)), versions


SINGULAR_PLURAL = st.sampled_from(
    [("widget", "widgets"), ("box", "boxes"), ("battery", "batteries"), ("fuse", "fuses")]
)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=SINGULAR_PLURAL,
    prefix=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
    plural_first=st.booleans(),
    shout=st.booleans(),
)
def test_an_item_named_as_another_in_the_other_number_waits_for_a_confirmation(
    session: Session, words: tuple[str, str], prefix: str, plural_first: bool, shout: bool
) -> None:
    first, second = (f"Test {prefix} {word}" for word in words)
    if plural_first:
        first, second = second, first
    if shout:
        second = second.upper()
    grant = category(session, "humanitarian").id
    with session.begin_nested() as example:
        existing = create_item(session, ItemInput(name=first, category_id=grant))
        items = session.scalar(select(func.count(Item.id)))
        with pytest.raises(CatalogueError) as refused:
            create_item(session, ItemInput(name=second, category_id=grant))
        assert refused.value.field == "plural_confirmed"
        assert repr(existing.name) in refused.value.message
        assert session.scalar(select(func.count(Item.id))) == items
        other = create_item(session, ItemInput(name="Test unrelated", category_id=grant))
        with pytest.raises(CatalogueError) as renamed:
            update_item(session, other.id, ItemInput(name=second, category_id=grant))
        assert renamed.value.field == "plural_confirmed"
        meant = ItemInput(name=second, category_id=grant, plural_confirmed=True)
        added = create_item(session, meant)
        assert added.name == second
        moved = update_item(session, added.id, ItemInput(name=second, category_id=grant, unit="u"))
        assert moved.unit == "u"  # its name unchanged, an edit is not asked again
        example.rollback()

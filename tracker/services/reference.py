"""Load the reference data: countries, organisations, groups, categories, items, Ukraine.

Every function here is idempotent: it adds what is missing and leaves what is
there, so `tracker seed` can run on every start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Donor, DonorAlias, Item, ItemAlias, ItemCategory, Recipient
from tracker.reference import (
    CATEGORIES,
    COUNTRY_ALIASES,
    DEFAULT_RECIPIENT,
    GENERAL_ITEMS,
    GROUPS,
    ITEMS,
    ORGANISATIONS,
)


@dataclass
class SeedReport:
    """How many rows of each kind a seed run added."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        """Record `n` more rows of `what`."""
        self.added[what] = self.added.get(what, 0) + n

    @property
    def total(self) -> int:
        """All rows added."""
        return sum(self.added.values())


def alias_key(name: str) -> str:
    """The lookup key of a donor name: folded case, single spaces."""
    return " ".join(name.casefold().split())


def country_name(country: object) -> str:
    """The name the tracker shows for a pycountry country."""
    code = country.alpha_2  # type: ignore[attr-defined]
    if code in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[code][0]
    return getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]


def _add_aliases(session: Session, donor: Donor, names: list[str], taken: set[str]) -> int:
    """Attach each name in `names` to `donor` unless some donor already goes by it."""
    added = 0
    for name in names:
        key = alias_key(name)
        if key in taken:
            continue
        taken.add(key)
        session.add(DonorAlias(donor=donor, alias=name, key=key))
        added += 1
    return added


def seed_reference(session: Session) -> SeedReport:
    """Add every missing reference row; return what was added."""
    report = SeedReport()
    taken = set(session.scalars(select(DonorAlias.key)))
    donors = {d.name: d for d in session.scalars(select(Donor))}
    by_code = {d.iso_code: d for d in donors.values() if d.iso_code}

    for country in pycountry.countries:
        code = country.alpha_2
        donor = by_code.get(code)
        if donor is None:
            donor = Donor(name=country_name(country), kind="country", iso_code=code)
            session.add(donor)
            donors[donor.name] = donor
            by_code[code] = donor
            report.count("donors")
        names = [donor.name, country.name, code, country.alpha_3]
        for attr in ("common_name", "official_name"):
            if value := getattr(country, attr, None):
                names.append(value)
        names.extend(COUNTRY_ALIASES.get(code, ()))
        report.count("aliases", _add_aliases(session, donor, names, taken))

    for org in ORGANISATIONS:
        donor = donors.get(org.name)
        if donor is None:
            donor = Donor(name=org.name, kind="organisation")
            session.add(donor)
            donors[org.name] = donor
            report.count("donors")
        report.count("aliases", _add_aliases(session, donor, [org.name, *org.aliases], taken))

    for group in GROUPS:
        donor = donors.get(group.name)
        if donor is None:
            donor = Donor(name=group.name, kind="group")
            session.add(donor)
            donors[group.name] = donor
            report.count("donors")
            for code in group.members:
                donor.members.append(by_code[code])
                report.count("group members")
        report.count("aliases", _add_aliases(session, donor, [group.name, *group.aliases], taken))

    categories = {c.name: c for c in session.scalars(select(ItemCategory))}
    for category in CATEGORIES:
        if category.name not in categories:
            categories[category.name] = ItemCategory(name=category.name, kind=category.kind)
            session.add(categories[category.name])
            report.count("item categories")

    items = {item.name: item for item in session.scalars(select(Item))}
    item_keys = set(session.scalars(select(ItemAlias.key)))
    for entry in ITEMS:
        item = items.get(entry.name)
        if item is None:
            item = Item(name=entry.name, category=categories[entry.category], unit=entry.unit)
            session.add(item)
            report.count("items")
        for alias in entry.aliases:
            if alias_key(alias) not in item_keys:
                item_keys.add(alias_key(alias))
                session.add(ItemAlias(item=item, alias=alias, key=alias_key(alias)))
                report.count("item aliases")

    if session.scalar(select(Recipient).where(Recipient.name == DEFAULT_RECIPIENT)) is None:
        session.add(Recipient(name=DEFAULT_RECIPIENT, iso_code="UA"))
        report.count("recipients")

    session.flush()
    return report


class CatalogueMissing(LookupError):
    """The catalogue lacks the general item of a category (the reference data is not seeded)."""


def item_names(session: Session) -> dict[str, int]:
    """Every item's name and alias, as `alias_key` writes them, with the item's id."""
    names: dict[str, int] = {alias_key(name): id_ for id_, name in session.execute(
        select(Item.id, Item.name))}  # fmt: skip
    names.update(
        (key, id_) for key, id_ in session.execute(select(ItemAlias.key, ItemAlias.item_id))
    )
    return names


def resolve_item(
    session: Session, words: str, category: str, names: Mapping[str, int] | None = None
) -> tuple[Item, bool]:
    """The catalogue item an article's words name, and whether it is only the general item
    of ``category`` (no name or alias matched: an analyst should review it).

    The longest run of the words that is an item's name or an alias (``item_alias``, edited
    by an admin, so a name added there is used by the next import) wins: "IRIS-T SLM
    systems" → IRIS-T, "additional munitions for HIMARS" → HIMARS. Never adds a catalogue row.
    `names` is `item_names(session)` when read already (an article names several items).
    """
    names = item_names(session) if names is None else names
    tokens = alias_key(words).split()
    for size in range(len(tokens), 0, -1):
        for first in range(len(tokens) - size, -1, -1):
            key = " ".join(tokens[first : first + size])
            found = names.get(key) or names.get(key.removesuffix("s")) or names.get(key + "s")
            if found is not None:
                return session.get_one(Item, found), False
    general = GENERAL_ITEMS.get(category)
    item = session.scalars(select(Item).where(Item.name == general)).first() if general else None
    if item is None:
        item = session.scalars(
            select(Item).join(ItemCategory).where(ItemCategory.name == category).order_by(Item.id)
        ).first()
    if item is None:
        raise CatalogueMissing(
            f"the catalogue has no item in the category {category!r} for {words!r}: "
            "run `tracker seed` to load the reference data"
        )
    return item, True

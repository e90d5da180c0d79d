"""Editing the catalogue: donors (name, kind, ISO code, aliases, groups) and items.

Imports resolve donors through their aliases only (`parsing.donor_ids_by_name`), so
a donor's own name is always one of its aliases, and renaming a donor keeps the old
name as an alias: files and articles that use the old name still find it. An alias
key (`alias_key`) points at one donor; a clash is an error naming the donor that has it.

Items have no aliases: they are found by name. Moving an item to another category
moves its live pledges' share of the totals rollup's category rows in the same
transaction (`rollup.move_item_totals`).

Every create and update writes one audit event with the fields before and after,
inside a savepoint of the caller's transaction: a refused write leaves nothing behind.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pycountry
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.models import Donor, DonorAlias, Item, ItemCategory, User
from tracker.reference import DONOR_KINDS
from tracker.services.audit import record, snapshot
from tracker.services.pledges import find_donor
from tracker.services.reference import alias_key
from tracker.services.rollup import move_item_totals

__all__ = [
    "CatalogueError",
    "DonorInput",
    "ItemInput",
    "create_donor",
    "create_item",
    "donor_snapshot",
    "item_snapshot",
    "update_donor",
    "update_item",
]

NAME_LIMIT = 200
# Joiners some scripts need inside a word; every other control or format character
# (zero-width space, byte-order mark, right-to-left override) has no place in a name.
NAME_JOINERS = frozenset("\u200c\u200d")
UNIT_LIMIT = 40


class CatalogueError(ValueError):
    """A catalogue change that breaks a rule; `field` names the form field at fault."""

    def __init__(self, field: str | None, message: str) -> None:
        """Keep the field name beside the message."""
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class DonorInput:
    """A donor as an admin gives it: aliases and members are names, groups are donor ids."""

    name: str
    kind: str
    iso_code: str | None = None
    aliases: Sequence[str] = ()
    groups: Sequence[int] = ()
    members: Sequence[str] = ()


@dataclass
class ItemInput:
    """A catalogue item: a name, a category, and the unit a quantity counts (None: money)."""

    name: str
    category_id: int | None
    unit: str | None = None
    plural_confirmed: bool = False  # meant beside an item named as its singular or plural


@dataclass
class _CheckedItem:
    """An ItemInput that passed the rules, with its category loaded."""

    name: str
    category: ItemCategory
    unit: str | None


@dataclass
class _CheckedDonor:
    """A DonorInput that passed the rules, with its groups and members loaded."""

    name: str
    kind: str
    iso_code: str | None
    aliases: dict[str, str] = field(default_factory=dict)
    groups: list[Donor] = field(default_factory=list)
    members: list[Donor] = field(default_factory=list)


def donor_snapshot(donor: Donor) -> dict[str, Any]:
    """The donor's columns, its aliases, and its groups' and members' names, JSON-safe."""
    return {
        **snapshot(donor),
        "aliases": sorted((a.alias for a in donor.aliases), key=str.casefold),
        "groups": sorted(g.name for g in donor.groups),
        "members": sorted(m.name for m in donor.members),
    }


def item_snapshot(item: Item) -> dict[str, Any]:
    """The item's columns and its category's name, JSON-safe."""
    return {**snapshot(item), "category": item.category.name}


def _clean_name(text: str, field_name: str, what: str) -> str:
    """A name with single spaces, not blank and not too long."""
    name = " ".join((text or "").split())
    if not name:
        raise CatalogueError(field_name, f"Enter the {what}'s name.")
    if len(name) > NAME_LIMIT:
        raise CatalogueError(field_name, f"A name has at most {NAME_LIMIT} characters.")
    _check_visible(name, field_name)
    return name


def _check_visible(name: str, field_name: str) -> None:
    """A name (or alias) reads as what it is: it holds a letter or a digit, and no control
    or format character that hides or reorders text."""
    hidden = next(
        (c for c in name if unicodedata.category(c) in ("Cc", "Cf") and c not in NAME_JOINERS),
        None,
    )
    if hidden is not None:
        raise CatalogueError(
            field_name,
            f"{name!r} holds an invisible character (U+{ord(hidden):04X} "
            f"{unicodedata.name(hidden, 'control')}): type the name again.",
        )
    if not any(c.isalnum() for c in name):
        raise CatalogueError(field_name, f"{name!r} has no letter or digit: it names nothing.")


def _alias_owner(session: Session, key: str, donor_id: int | None) -> Donor | None:
    """Another donor that goes by `key`, as an alias or as its name."""
    query = select(Donor).join(DonorAlias).where(DonorAlias.key == key)
    named = select(Donor).where(func.lower(Donor.name) == key)
    for candidates in (query, named):
        for donor in session.scalars(candidates):
            if donor.id != donor_id:
                return donor
    return None


def _iso_code(session: Session, data: DonorInput, donor_id: int | None) -> str | None:
    """The ISO 3166 alpha-2 code, upper case, for a country only, unused by other donors."""
    code = (data.iso_code or "").strip().upper() or None
    if code is None:
        return None
    if data.kind != "country":
        raise CatalogueError("iso_code", "Only a country has an ISO code: clear it.")
    if pycountry.countries.get(alpha_2=code) is None:
        raise CatalogueError("iso_code", f"{code!r} is not an ISO 3166 two-letter country code.")
    holder = session.scalars(select(Donor).where(Donor.iso_code == code)).first()
    if holder is not None and holder.id != donor_id:
        raise CatalogueError("iso_code", f"{code} is already the code of {holder.name}.")
    return code


def _aliases(
    session: Session, name: str, texts: Sequence[str], donor: Donor | None
) -> dict[str, str]:
    """Alias key → alias text: the name, the given aliases, and on a rename the old name
    (unless another donor already goes by it)."""
    donor_id = donor.id if donor is not None else None
    aliases: dict[str, str] = {}
    for text in [name, *texts]:
        alias = " ".join((text or "").split())
        if not alias:
            continue
        if len(alias) > NAME_LIMIT:
            raise CatalogueError("aliases", f"An alias has at most {NAME_LIMIT} characters.")
        _check_visible(alias, "aliases")
        aliases.setdefault(alias_key(alias), alias)
    for key, alias in aliases.items():
        owner = _alias_owner(session, key, donor_id)
        if owner is not None:
            target = "name" if alias_key(name) == key else "aliases"
            raise CatalogueError(target, f"{alias!r} already names {owner.name}.")
    old_key = alias_key(donor.name) if donor is not None else ""
    if (
        donor is not None
        and old_key not in aliases
        and not _alias_owner(session, old_key, donor_id)
    ):
        aliases[old_key] = donor.name
    return aliases


def _groups(session: Session, kind: str, group_ids: Sequence[int]) -> list[Donor]:
    """The groups a donor is in: group donors other than itself; a group is in none."""
    if not group_ids:
        return []
    if kind == "group":
        raise CatalogueError("groups", "A group cannot be a member of another group.")
    groups = list(session.scalars(select(Donor).where(Donor.id.in_(set(group_ids)))))
    if len(groups) != len(set(group_ids)) or any(g.kind != "group" for g in groups):
        raise CatalogueError("groups", "Choose groups from the list.")
    return sorted(groups, key=lambda g: g.name)


def _members(
    session: Session, kind: str, names: Sequence[str], donor_id: int | None
) -> list[Donor]:
    """A group's members by name or alias: countries and organisations, each once."""
    names = [n.strip() for n in names if n.strip()]
    if not names:
        return []
    if kind != "group":
        raise CatalogueError("members", "Only a group has members: clear them or make it a group.")
    members: dict[int, Donor] = {}
    for name in names:
        member = find_donor(session, name)
        if member is None:
            raise CatalogueError("members", f"No donor is known as {name!r}.")
        if member.id == donor_id:
            raise CatalogueError("members", "A group cannot be a member of itself.")
        if member.kind == "group":
            raise CatalogueError(
                "members", f"{member.name} is a group: a group has no groups in it."
            )
        members[member.id] = member
    return sorted(members.values(), key=lambda m: m.name)


def _check_donor(session: Session, data: DonorInput, donor: Donor | None) -> _CheckedDonor:
    """`data` checked against the rules and the other donors; CatalogueError if it breaks one."""
    donor_id = donor.id if donor is not None else None
    name = _clean_name(data.name, "name", "donor")
    if data.kind not in DONOR_KINDS:
        raise CatalogueError("kind", f"The kind is one of: {', '.join(DONOR_KINDS)}.")
    return _CheckedDonor(
        name=name,
        kind=data.kind,
        iso_code=_iso_code(session, data, donor_id),
        aliases=_aliases(session, name, data.aliases, donor),
        groups=_groups(session, data.kind, data.groups),
        members=_members(session, data.kind, data.members, donor_id),
    )


def _apply_donor(donor: Donor, checked: _CheckedDonor) -> None:
    """Set the donor's fields, aliases (kept rows keep their ids), groups and members."""
    donor.name = checked.name
    donor.kind = checked.kind
    donor.iso_code = checked.iso_code
    existing = {a.key: a for a in donor.aliases}
    for key, alias in checked.aliases.items():
        if key in existing:
            existing[key].alias = alias
        else:
            donor.aliases.append(DonorAlias(alias=alias, key=key))
    for key, row in existing.items():
        if key not in checked.aliases:
            donor.aliases.remove(row)
    donor.groups = checked.groups
    donor.members = checked.members


def _save(session: Session, entity: str) -> None:
    """Flush, turning a unique constraint another writer won into a CatalogueError."""
    try:
        session.flush()
    except IntegrityError as error:
        raise CatalogueError(
            None, f"Another {entity} took one of these names meanwhile: reload and try again."
        ) from error


def _add_audited(session: Session, row: Donor | Item, entity: str, user: User | None) -> None:
    """Add a new donor or item, flush it, and audit its creation."""
    session.add(row)
    _save(session, entity)
    after = donor_snapshot(row) if isinstance(row, Donor) else item_snapshot(row)
    record(
        session, action="create", entity=entity, entity_id=row.id, before=None, after=after,
        user=user,
    )  # fmt: skip


def _audit_update(
    session: Session,
    entity: str,
    entity_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    user: User | None,
) -> None:
    """Audit a change to a donor or item, when anything changed."""
    if after != before:
        record(
            session, action="update", entity=entity, entity_id=entity_id, before=before,
            after=after, user=user,
        )  # fmt: skip


def create_donor(session: Session, data: DonorInput, *, user: User | None = None) -> Donor:
    """Check `data`, add the donor with its aliases, groups and members, and audit it."""
    checked = _check_donor(session, data, None)
    with session.begin_nested():
        donor = Donor(name=checked.name, kind=checked.kind)
        _apply_donor(donor, checked)
        _add_audited(session, donor, "donor", user)
    return donor


def update_donor(
    session: Session, donor_id: int, data: DonorInput, *, user: User | None = None
) -> Donor:
    """Change a donor; a new name keeps the old one as an alias. Audited when anything changed."""
    donor = session.get(Donor, donor_id)
    if donor is None:
        raise CatalogueError(None, f"There is no donor {donor_id}.")
    before = donor_snapshot(donor)
    checked = _check_donor(session, data, donor)
    with session.begin_nested():
        _apply_donor(donor, checked)
        _save(session, "donor")
        _audit_update(session, "donor", donor.id, before, donor_snapshot(donor), user)
    return donor


def _check_item(session: Session, data: ItemInput, item_id: int | None) -> _CheckedItem:
    """`data` checked: a name no other item has (ignoring case), a known category, a unit."""
    name = _clean_name(data.name, "name", "item")
    same_name = session.scalars(select(Item).where(func.lower(Item.name) == alias_key(name)))
    for other in same_name:
        if other.id != item_id:
            raise CatalogueError(
                "name", f"The catalogue already has an item called {other.name!r}."
            )
    current = session.get(Item, item_id) if item_id is not None else None
    renamed = current is None or alias_key(current.name) != alias_key(name)
    if renamed and not data.plural_confirmed:
        _check_not_plural(session, name, item_id)
    category = session.get(ItemCategory, data.category_id) if data.category_id else None
    if category is None:
        raise CatalogueError("category", "Choose a category from the list.")
    unit = " ".join((data.unit or "").split()) or None
    if unit is not None and len(unit) > UNIT_LIMIT:
        raise CatalogueError("unit", f"A unit has at most {UNIT_LIMIT} characters.")
    return _CheckedItem(name=name, category=category, unit=unit)


def number_forms(name: str) -> set[str]:
    """The lookup keys of `name`'s last word in the other number: "test widgets" for
    "Test widget" and back, "batteries" for "battery", "boxes" for "box"."""
    key = alias_key(name)
    forms = {key + "s", key + "es"}
    if key.endswith("y"):
        forms.add(key[:-1] + "ies")
    if key.endswith("ies"):
        forms.add(key[:-3] + "y")
    if key.endswith("es"):
        forms.add(key[:-2])
    if key.endswith("s"):
        forms.add(key[:-1])
    forms.discard(key)
    return {form for form in forms if form and not form.endswith(" ")}


def _check_not_plural(session: Session, name: str, item_id: int | None) -> None:
    """Refuse, until the admin confirms it, a name that is another item's name in the other
    number ("Test widgets" beside "Test widget"): most often the same item typed again."""
    query = select(Item).where(func.lower(Item.name).in_(sorted(number_forms(name))))
    for other in session.scalars(query.order_by(Item.id)):
        if other.id != item_id:
            raise CatalogueError(
                "plural_confirmed",
                f"The catalogue has an item called {other.name!r}: is {name!r} the same item? "
                "Use that one, or tick the box if this is another item.",
            )


def create_item(session: Session, data: ItemInput, *, user: User | None = None) -> Item:
    """Check `data`, add the item to the catalogue and audit it."""
    checked = _check_item(session, data, None)
    with session.begin_nested():
        item = Item(name=checked.name, category=checked.category, unit=checked.unit)
        _add_audited(session, item, "item", user)
    return item


def update_item(
    session: Session, item_id: int, data: ItemInput, *, user: User | None = None
) -> Item:
    """Change an item; a new category takes its pledges' totals along. Audited when changed.

    The rollup moves after the item's row is written: that flush takes the data version's
    row lock first, so pledge writers of the item queue behind this change.
    """
    item = session.get(Item, item_id)
    if item is None:
        raise CatalogueError(None, f"There is no item {item_id}.")
    before = item_snapshot(item)
    checked = _check_item(session, data, item_id)
    old_category_id = item.category_id
    with session.begin_nested():
        item.name = checked.name
        item.unit = checked.unit
        item.category = checked.category
        _save(session, "item")
        if item.category_id != old_category_id:
            move_item_totals(session, item.id, old_category_id, item.category_id)
        _audit_update(session, "item", item.id, before, item_snapshot(item), user)
    return item

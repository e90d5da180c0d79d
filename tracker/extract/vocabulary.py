"""The names the extractor reads an article with: donors beyond the built-in lists and the
item catalogue with its aliases.

An article import builds one from the database (``tracker.importers.vocabulary``), so a
name an admin adds is used by the next import; ``tracker extract`` on a file, and every
call that passes none, reads with ``reference_vocabulary()``, built from
``tracker/reference.py``. A vocabulary is compared by identity: the item matches made with
it are cached per vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from tracker import reference
from tracker.extract.donors import KnownNames, known_names


class ItemEntry(NamedTuple):
    """A catalogue item as the extractor sees it."""

    name: str
    category: str
    unit: str | None  # None for money items
    kind: str  # the kind of support its category counts as


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Donor names and catalogue items to read articles with."""

    donors: KnownNames  # names the built-in donor lists lack
    items: dict[str, ItemEntry] = field(repr=False)  # by normalised name
    item_aliases: dict[str, str] = field(repr=False)  # normalised alias → normalised name


def normalise_item(phrase: str) -> str:
    """Lower-case, British spelling, single spaces: how item names and aliases are looked up."""
    phrase = phrase.lower().replace("defense", "defence").replace("armored", "armoured")
    return " ".join(phrase.split())


def build_vocabulary(
    donor_forms: dict[str, tuple[str, str, str | None]],
    items: Iterable[ItemEntry],
    item_aliases: Iterable[tuple[str, str]],
) -> Vocabulary:
    """A vocabulary of donor surface forms (form → (kind, display name, ISO code)), catalogue
    items and (alias, item name) pairs; aliases of items not given are left out."""
    entries = {normalise_item(entry.name): entry for entry in items}
    aliases = {
        normalise_item(alias): normalise_item(name)
        for alias, name in item_aliases
        if normalise_item(name) in entries and normalise_item(alias) not in entries
    }
    return Vocabulary(known_names(donor_forms), entries, aliases)


def reference_items() -> tuple[list[ItemEntry], list[tuple[str, str]]]:
    """The catalogue of ``tracker/reference.py`` and its aliases."""
    entries = [
        ItemEntry(item.name, item.category, item.unit, reference.CATEGORY_KIND[item.category])
        for item in reference.ITEMS
    ]
    aliases = [(alias, item.name) for item in reference.ITEMS for alias in item.aliases]
    return entries, aliases


@cache
def reference_vocabulary() -> Vocabulary:
    """The vocabulary of the reference data alone (no database), built once."""
    entries, aliases = reference_items()
    return build_vocabulary({}, entries, aliases)

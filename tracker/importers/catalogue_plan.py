"""The catalogue side of a table import: donors and items named by the file, matched to
the catalogue or (by a mapping) planned as additions, which only an admin may make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers import parsing
from tracker.importers.mapping import Mapping, Problem
from tracker.importers.table_file import TableImportError
from tracker.limits import TEXT_LIMITS
from tracker.models import ItemCategory, User
from tracker.services.reference import alias_key

if TYPE_CHECKING:
    from tracker.importers.table import Plan

CATALOGUE_ROLE = "admin"


def check_catalogue_right(plan: Plan, user: User | None) -> None:
    """Adding donors, aliases or items is an admin's right (the command line holds the
    database and may: no user, or the login it records on an account never stored,
    `cli_users.acting_user`); anyone else is refused before anything is written."""
    additions = [
        *(f"alias {name!r}" for name in plan.new_aliases),
        *(f"donor {name!r}" for name, _kind in plan.new_donors.values()),
        *(f"item {name!r}" for name, _category, _unit in plan.new_items.values()),
        *(f"recipient {name!r}" for name in plan.new_recipients.values()),
    ]
    if not additions or user is None or user.id is None or user.role == CATALOGUE_ROLE:
        return
    shown = ", ".join(additions[:5]) + (
        f" and {len(additions) - 5} more" if len(additions) > 5 else ""
    )
    raise TableImportError(
        [
            Problem(
                None,
                None,
                f"this import would add to the catalogue ({shown}); only an admin may: "
                "ask an admin to add them in the catalogue pages or to run this import",
            )
        ]
    )


def plan_donors(
    session: Session,
    frame: pd.DataFrame,
    mapping: Mapping | None,
    plan: Plan,
    out: dict[str, pd.Series],
    problems: list[Problem],
) -> None:
    """Donor ids by name; the mapping's `donors` section adds aliases and new donors."""
    known = parsing.donor_ids_by_name(session)
    for name, target in (mapping.donors if mapping else {}).items():
        key = alias_key(name)
        if key in known:
            continue
        if isinstance(target, str):
            if alias_key(target) not in known:
                problems.append(Problem(None, "donor", f"mapping: no donor is called {target!r}"))
                continue
            known[key] = known[alias_key(target)]
            plan.new_aliases[name] = known[key]
        else:
            plan.new_donors[key] = (
                str(target.get("name", name)),
                str(target.get("kind", "organisation")),
            )
    pending = frozenset(plan.new_donors)
    out["donor"] = parsing.resolve_names(frame, "donor", known, problems, pending=pending)


def plan_items(
    session: Session,
    frame: pd.DataFrame,
    mapping: Mapping | None,
    plan: Plan,
    out: dict[str, pd.Series],
    problems: list[Problem],
) -> None:
    """Item ids by name; a mapping with categories creates the items the catalogue lacks,
    and so does our own export, whose `category` column names each item's category (a copy
    of the pledges of another database brings the items its catalogue added)."""
    known = parsing.item_ids_by_name(session)
    if mapping is None and "category" in frame.columns:
        categories = set(session.scalars(select(ItemCategory.name)))
        named = frame.loc[frame["item"] != "", ["item", "category"]].drop_duplicates("item")
        for name, category in named.itertuples(index=False, name=None):
            key = alias_key(name)
            if key in known or key in plan.new_items or category not in categories:
                continue  # an unknown category: the item is named as unknown below
            if len(name) <= TEXT_LIMITS["item"]:
                plan.new_items[key] = (name, category, None)
    if mapping is not None and mapping.item_by_kind:
        kinds = out["kind"]
        chosen = kinds.map(lambda k: mapping.item_by_kind.get(k or "", ""))
        frame["item"] = frame["item"].where(frame["item"] != "", chosen)
    if mapping is not None and mapping.categories:
        categories = set(session.scalars(select(ItemCategory.name)))
        pairs = frame.loc[frame["item"] != "", ["item", "category", "_row"]].drop_duplicates("item")
        for name, category, row in pairs.itertuples(index=False, name=None):
            key = alias_key(name)
            if key in known or key in plan.new_items:
                continue
            if category not in mapping.categories:
                problems.append(
                    Problem(int(row), "category", f"{category!r} is not in the mapping")
                )
                continue
            if mapping.categories[category] not in categories:
                problems.append(
                    Problem(
                        int(row),
                        "category",
                        f"mapping: there is no item category {mapping.categories[category]!r}",
                    )
                )
                continue
            if len(name) > TEXT_LIMITS["item"]:
                problems.append(
                    Problem(
                        int(row),
                        "item",
                        f"a new item's name is longer than {TEXT_LIMITS['item']} characters",
                    )
                )
                continue
            plan.new_items[key] = (name, mapping.categories[category], mapping.units.get(category))
    pending = frozenset(plan.new_items)
    out["item"] = parsing.resolve_names(frame, "item", known, problems, pending=pending)


def plan_recipients(
    session: Session, frame: pd.DataFrame, plan: Plan, problems: list[Problem], *, own: bool
) -> pd.Series:
    """Recipient ids by name. Our `own` export names recipients the catalogue may lack (a
    copy of the pledges of another database, where an article named them): they are
    planned as additions, as an article import adds the recipients it names."""
    known = parsing.recipient_ids_by_name(session)
    for name in frame.loc[frame["recipient"] != "", "recipient"].drop_duplicates() if own else ():
        key = alias_key(name)
        if key not in known and len(name) <= TEXT_LIMITS["recipient"]:
            plan.new_recipients.setdefault(key, name)
    pending = frozenset(plan.new_recipients)
    return parsing.resolve_names(frame, "recipient", known, problems, pending=pending)

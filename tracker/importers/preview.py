"""What a table import would write, in words a reader checks: the first rows with names
(donor, item, recipient) instead of ids, and the problems counted by column."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from numbers import Integral
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Donor, Item, Pledge, Recipient

if TYPE_CHECKING:
    from tracker.importers.mapping import Problem
    from tracker.importers.table import Plan

PREVIEW_ROWS = 50
PLAIN_FIELDS = ("kind", "stage", "amount", "currency", "quantity", "unit", "qualifier", "announced")


@dataclass(frozen=True)
class PreviewRow:
    """One table row as the import reads it."""

    row: int
    action: str
    donor: str
    item: str
    recipient: str
    kind: str | None
    stage: str | None
    amount: Decimal | None
    currency: str | None
    quantity: Decimal | None
    unit: str | None
    qualifier: str | None
    announced: date | None
    pledge_id: int | None = None
    changes: str = ""


def _names(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    """id -> name for the given rows of a catalogue table."""
    if not ids:
        return {}
    return dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _as_id(value: Any) -> int | None:
    """A row id as a plain int (pandas may hand over NumPy integers), else None."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value)
    return None


def _name(value: Any, known: dict[int, str], pending: dict[str, str]) -> str:
    """A resolved id's name, a pending key's new name (marked new), or the text itself."""
    if (number := _as_id(value)) is not None:
        return known.get(number, f"#{number}")
    if isinstance(value, str):
        return f"{pending[value]} (new)" if value in pending else value.title()
    return "—"


def preview_rows(session: Session, plan: Plan, limit: int = PREVIEW_ROWS) -> list[PreviewRow]:
    """The first `limit` rows the plan creates or updates, in table order, with names."""
    creates = plan.creates or {}
    count = min(plan.create_count, limit)
    head = {name: values[:count] for name, values in creates.items()}
    updates = sorted(plan.updates, key=lambda u: u[0])[:limit]
    updated_ids = [pledge_id for _row, _version, pledge_id, _changes in updates]
    pledges = {p.id: p for p in session.scalars(select(Pledge).where(Pledge.id.in_(updated_ids)))}
    ids: dict[str, set[int]] = {"donor_id": set(), "item_id": set(), "recipient_id": set()}
    for name, found in ids.items():
        found.update(n for v in head.get(name, []) if (n := _as_id(v)) is not None)
        for _row, _version, pledge_id, changes in updates:
            pledge = pledges.get(pledge_id)
            for value in (changes.get(name), getattr(pledge, name, None)):
                if (number := _as_id(value)) is not None:
                    found.add(number)
    models = {"donor_id": Donor, "item_id": Item, "recipient_id": Recipient}
    names = {field: _names(session, model, ids[field]) for field, model in models.items()}
    pending = {
        "donor_id": {key: name for key, (name, _kind) in plan.new_donors.items()},
        "item_id": {key: name for key, (name, _cat, _unit) in plan.new_items.items()},
        "recipient_id": {},
    }

    def row(number: int, action: str, values: dict[str, Any], **extra: Any) -> PreviewRow:
        """One preview row from a row's field values, references given by name."""
        fields: dict[str, Any] = {name: values.get(name) for name in PLAIN_FIELDS}
        for field, known in names.items():
            fields[field.removesuffix("_id")] = _name(values.get(field), known, pending[field])
        return PreviewRow(row=number, action=action, **fields, **extra)

    rows = []
    for index in range(count):
        value = {name: values[index] for name, values in head.items()}
        rows.append(row(int(value["_row"]), "create", value))
    for number, _version, pledge_id, changes in updates:
        before = _fields(pledges.get(pledge_id))
        described = _changed(before, changes, names)
        rows.append(row(number, "update", {**before, **changes}, pledge_id=pledge_id,
                        changes=described))  # fmt: skip
    return sorted(rows, key=lambda r: r.row)[:limit]


def _changed(
    before: dict[str, Any], changes: dict[str, Any], names: dict[str, dict[int, str]]
) -> str:
    """ "stage announced → committed, donor Norway → Denmark": each change with names."""
    shown = []
    for field_name, new in sorted(changes.items()):
        old = before.get(field_name)
        if field_name in names:
            old, new = _name(old, names[field_name], {}), _name(new, names[field_name], {})
        shown.append(f"{field_name.removesuffix('_id')} {_text(old)} → {_text(new)}")
    return ", ".join(shown)


def _text(value: Any) -> str:
    """A value as the preview writes it: Decimals without padding, blanks as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _fields(pledge: Pledge | None) -> dict[str, Any]:
    """The preview's fields of a stored pledge (empty when it is gone)."""
    if pledge is None:
        return {}
    names = ("donor_id", "item_id", "recipient_id", *PLAIN_FIELDS)
    return {name: getattr(pledge, name) for name in names}


def problems_by_column(problems: list[Problem]) -> list[tuple[str, int]]:
    """How many problems each column has, most first (problems of no column as "table")."""
    counts = Counter(problem.place or "table" for problem in problems)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

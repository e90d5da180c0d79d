"""Sorting checked table rows into pledges to create and changes to existing pledges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers.mapping import Mapping, Problem
from tracker.models import Pledge

if TYPE_CHECKING:
    from tracker.importers.table import ImportResult, Plan

ID_CHUNK = 900


def load_pledges(session: Session, ids: list[int]) -> dict[int, Pledge]:
    """The live pledges with these ids, by id (fetched in chunks of ids)."""
    found: dict[int, Pledge] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        query = select(Pledge).where(Pledge.id.in_(chunk), Pledge.deleted_at.is_(None))
        found.update({pledge.id: pledge for pledge in session.scalars(query)})
    return found


def plan_creates_and_updates(
    session: Session,
    columns: dict[str, pd.Series],
    mapping: Mapping | None,
    done: set[str],
    plan: Plan,
    result: ImportResult,
    problems: list[Problem],
) -> None:
    """Fill `plan` with one create or update per row, adding a Problem for each bad row."""
    from tracker.importers.table import EDITABLE_FIELDS, NAME_COLUMNS, describe

    names = list(columns)
    ids = sorted({int(i) for i in columns["id"] if i is not None})
    existing = load_pledges(session, ids)
    corrections = bool(mapping and mapping.negative_is_correction)
    for values in zip(*(columns[name] for name in names), strict=True):
        row: dict[str, Any] = dict(zip(names, values, strict=True))
        number = int(row["_row"])
        for name, id_field in NAME_COLUMNS.items():
            if row[name] is not None:
                row[id_field] = row[name]
        negative = any(row[n] is not None and row[n] < 0 for n in ("amount", "quantity"))
        if negative and corrections:
            row["is_correction"] = True
        if row["id"] is not None:
            pledge = existing.get(row["id"])
            if pledge is None:
                problems.append(Problem(number, "id", f"there is no pledge with id {row['id']}"))
                continue
            if row["version"] is not None and row["version"] != pledge.version:
                problems.append(
                    Problem(
                        number,
                        "version",
                        f"pledge {pledge.id} is at version {pledge.version} but the table has "
                        f"version {row['version']}: it changed after the export; export again",
                    )
                )
                continue
            changes = {
                name: row[name]
                for name in EDITABLE_FIELDS
                if row[name] is not None and row[name] != getattr(pledge, name)
            }
            if not changes:
                plan.unchanged += 1
                continue
            plan.updates.append((number, row["version"], pledge.id, changes))
            shown = ", ".join(f"{k} {getattr(pledge, k)} -> {v}" for k, v in changes.items())
            result.changes.append(f"row {number}: update pledge {pledge.id}: {shown}")
            continue
        if row["_ref"] in done:
            result.skipped += 1
            continue
        record = check_new_row(row, number, problems)
        if record is None:
            continue
        plan.creates.append(record)
        if result.dry_run:
            result.changes.append(f"row {number}: create pledge: {describe(record)}")


def check_new_row(
    row: dict[str, Any], number: int, problems: list[Problem]
) -> dict[str, Any] | None:
    """The fields of a new pledge from one row, or None (with Problems) when it cannot be one."""
    from tracker.importers.table import DEFAULT_RECIPIENT

    ok = True
    for field in ("donor", "item"):
        if row[f"{field}_id"] is None:
            problems.append(Problem(number, field, f"a new pledge needs a {field}"))
            ok = False
    qualifier = row["qualifier"] or "exact"
    amount, quantity, currency = row["amount"], row["quantity"], row["currency"]
    if qualifier != "unknown" and amount is None and quantity is None:
        problems.append(Problem(number, "amount", "enter an amount or a quantity"))
        ok = False
    if qualifier == "unknown" and (amount is not None or quantity is not None):
        problems.append(Problem(number, "qualifier", "'unknown' means no number is given"))
        ok = False
    if (amount is None) != (currency is None):
        missing = "currency" if currency is None else "amount"
        problems.append(
            Problem(number, missing, "an amount needs a currency, and a currency an amount")
        )
        ok = False
    if (row["stated_amount"] is None) != (row["stated_currency"] is None):
        problems.append(
            Problem(number, "stated_amount", "a stated conversion needs amount and currency")
        )
        ok = False
    negative = any(row[n] is not None and row[n] < 0 for n in ("amount", "quantity"))
    if negative and not row["is_correction"]:
        problems.append(
            Problem(number, "amount", "a negative number is only allowed in a correction")
        )
        ok = False
    if not ok:
        return None
    record = {key: value for key, value in row.items() if key not in ("id", "version")}
    record.update(
        qualifier=qualifier,
        stage=row["stage"] or "announced",
        is_correction=bool(row["is_correction"]),
        reviewed=bool(row["reviewed"]),
        recipient_id=row["recipient_id"] or DEFAULT_RECIPIENT,
        announced_precision=row["announced_precision"]
        or ("day" if row["announced"] is not None else None),
    )
    return record

"""Sorting checked table rows into pledges to create and changes to existing pledges."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers.mapping import Mapping, Problem
from tracker.importers.source_urls import COLUMN, new_addresses
from tracker.models import Pledge, Report, Source
from tracker.services.pledge_numbers import STAGE_DAYS, STAGE_FIGURES, negative_stage_figure

if TYPE_CHECKING:
    from tracker.importers.table import ImportResult, Plan

ID_CHUNK = 900


@dataclass(frozen=True)
class RecordedRows:
    """The rows of a dataset that an earlier import of it recorded, by the row's key (its
    `source_ref`): as the pledge the row created, or, for a row matched to a stored pledge
    (`match: true`), as the report of it the row became. A recorded row is not imported
    again."""

    pledges: frozenset[str] = frozenset()
    reports: frozenset[str] = frozenset()

    @classmethod
    def of(cls, session: Session, source_id: int) -> RecordedRows:
        """The rows of the dataset `source_id` recorded so far (two index reads)."""
        pledges = select(Pledge.source_ref).where(Pledge.source_id == source_id)
        reports = select(Report.source_ref).where(
            Report.source_id == source_id, Report.source_ref.is_not(None)
        )
        return cls(frozenset(session.scalars(pledges)), frozenset(session.scalars(reports)))


def load_pledges(session: Session, ids: list[int]) -> dict[int, Pledge]:
    """The live pledges with these ids, by id (fetched in chunks of ids)."""
    found: dict[int, Pledge] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        query = select(Pledge).where(Pledge.id.in_(chunk), Pledge.deleted_at.is_(None))
        found.update({pledge.id: pledge for pledge in session.scalars(query)})
    return found


def deleted_ids(session: Session, ids: list[int]) -> set[int]:
    """Those of these pledge ids that name a deleted pledge (fetched in chunks of ids)."""
    found: set[int] = set()
    for start in range(0, len(ids), ID_CHUNK):
        query = select(Pledge.id).where(
            Pledge.id.in_(ids[start : start + ID_CHUNK]), Pledge.deleted_at.is_not(None)
        )
        found.update(session.scalars(query))
    return found


def known_addresses(session: Session, pledge_ids: Iterable[int]) -> dict[int, set[str]]:
    """The URLs of the sources of each pledge's reports, by pledge id."""
    ids = sorted(set(pledge_ids))
    known: dict[int, set[str]] = {pledge_id: set() for pledge_id in ids}
    for start in range(0, len(ids), ID_CHUNK):
        rows = session.execute(
            select(Report.pledge_id, Source.url)
            .join(Source, Source.id == Report.source_id)
            .where(Report.pledge_id.in_(ids[start : start + ID_CHUNK]), Source.url.is_not(None))
        )
        for pledge_id, url in rows:
            known[pledge_id].add(str(url))
    return known


def plan_creates_and_updates(
    session: Session,
    columns: dict[str, pd.Series],
    mapping: Mapping | None,
    done: RecordedRows,
    plan: Plan,
    result: ImportResult,
    problems: list[Problem],
) -> None:
    """Fill `plan` with one create or update per row, adding a Problem for each bad row.

    Rows with an id are compared with their pledge one by one (they go through the
    pledge service). Rows without one are checked column-wise, all at once.
    Problems and dry-run lines come out in row order either way.
    """
    from tracker.importers.table import NAME_COLUMNS

    frame = pd.DataFrame(columns, dtype=object)
    for name, id_field in NAME_COLUMNS.items():
        frame[id_field] = frame[name].where(frame[name].notna(), frame[id_field])
    negative = _negative(frame["amount"]) | _negative(frame["quantity"])
    for name in STAGE_FIGURES:
        negative |= _negative(frame[name])
    if mapping is not None and mapping.negative_is_correction:
        frame["is_correction"] = frame["is_correction"].where(~negative, True)
    frame["_negative"] = negative
    has_id = frame["id"].notna()
    found: list[Problem] = []
    changes: list[tuple[int, str]] = []
    _plan_updates(session, frame[has_id], plan, found, changes)
    new = frame[~has_id]
    already = new["_ref"].isin(done.pledges)
    reported = new["_ref"].isin(done.reports) & ~already
    result.skipped += int(already.sum()) + int(reported.sum())
    result.already_reported += int(reported.sum())
    already |= reported
    _plan_creates(new[~already], plan, found, changes, dry_run=result.dry_run)
    problems.extend(sorted(found, key=lambda problem: problem.row or 0))
    result.changes.extend(text for _number, text in sorted(changes, key=lambda pair: pair[0]))


def _negative(values: pd.Series) -> pd.Series:
    """True where a number is given and below zero."""
    return pd.Series([v is not None and v < 0 for v in values], index=values.index, dtype=bool)


def _plan_updates(
    session: Session,
    rows: pd.DataFrame,
    plan: Plan,
    problems: list[Problem],
    changes_shown: list[tuple[int, str]],
) -> None:
    """Rows with an id: compare each with its stored pledge and plan the changes."""
    from tracker.importers.table import EDITABLE_FIELDS

    if rows.empty:
        return
    existing = load_pledges(session, sorted({int(i) for i in rows["id"]}))
    deleted = deleted_ids(session, sorted({int(i) for i in rows["id"]} - set(existing)))
    known = known_addresses(session, existing) if COLUMN in rows.columns else {}
    first_row: dict[int, int] = {}  # pledge id -> the row that names it first
    for row in rows.to_dict("records"):
        number = int(row["_row"])
        pledge = existing.get(row["id"])
        if pledge is None and row["id"] in deleted:
            message = f"pledge {row['id']} is deleted: restore it before a table updates it"
            problems.append(Problem(number, "id", message))
            continue
        if pledge is None:
            problems.append(Problem(number, "id", f"there is no pledge with id {row['id']}"))
            continue
        earlier = first_row.setdefault(pledge.id, number)
        if earlier != number:
            message = f"pledge {pledge.id} is in row {earlier} too: one row per pledge"
            problems.append(Problem(number, "id", message))
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
        moved = _stage_figures_moved(row, pledge)
        if moved:
            problems.extend(moved)
            continue
        changes = {
            name: row[name]
            for name in EDITABLE_FIELDS
            if row[name] is not None and row[name] != getattr(pledge, name)
        }
        added = new_addresses(row.get(COLUMN), known.get(pledge.id, set()))
        if not changes and not added:
            plan.unchanged += 1
            continue
        if changes:
            plan.updates.append((number, row["version"], pledge.id, changes))
        if added:
            plan.source_urls.append((number, pledge.id, added))
        shown = [f"{k} {getattr(pledge, k)} -> {v}" for k, v in changes.items()]
        shown += [f"reported at {address}" for address in added]
        changes_shown.append(
            (number, f"row {number}: update pledge {pledge.id}: {', '.join(shown)}")
        )


def _stage_figures_moved(row: dict[str, Any], pledge: Pledge) -> list[Problem]:
    """A row that updates a pledge and states other allocated or delivered figures or days
    than the pledge has: refused by column, not ignored (they are the sums of the pledge's
    reports, which the pledge page records, splits and undoes); a blank cell leaves them."""
    number, found = int(row["_row"]), []
    for name in (*STAGE_FIGURES, *STAGE_DAYS):
        value, stored = row.get(name), getattr(pledge, name)
        if value is not None and value != stored:
            found.append(
                Problem(
                    number, name,
                    f"pledge {pledge.id} has {name} {'blank' if stored is None else stored}, "
                    f"not {value}: a table does not change the allocations and deliveries "
                    "recorded; record them on the pledge page (or leave the cell as exported)",
                )
            )  # fmt: skip
    return found


def _plan_creates(
    rows: pd.DataFrame,
    plan: Plan,
    problems: list[Problem],
    changes_shown: list[tuple[int, str]],
    *,
    dry_run: bool,
) -> None:
    """Rows without an id: check every rule column-wise, then keep the good rows as creates."""
    from tracker.importers.table import DEFAULT_RECIPIENT, describe

    if rows.empty:
        return
    given = {name: rows[name].notna() for name in NEW_ROW_FIELDS}
    qualifier = rows["qualifier"].where(given["qualifier"], "exact")
    unknown = qualifier == "unknown"
    numbers = given["amount"] | given["quantity"]
    correction = rows["is_correction"].where(given["is_correction"], False).astype(bool)
    checks: list[tuple[pd.Series, str, str | pd.Series]] = [
        (~given["donor_id"], "donor", "a new pledge needs a donor"),
        (~given["item_id"], "item", "a new pledge needs an item"),
        (~unknown & ~numbers, "amount", "enter an amount or a quantity"),
        (unknown & numbers, "qualifier", "'unknown' means no number is given"),
        (
            given["amount"] != given["currency"],
            pd.Series("amount", index=rows.index).where(given["currency"], "currency"),
            "an amount needs a currency, and a currency an amount",
        ),
        (
            given["stated_amount"] != given["stated_currency"],
            "stated_amount",
            "a stated conversion needs amount and currency",
        ),
        *(
            (_negative(rows[name]) & ~correction, name, NEGATIVE_OUTSIDE_CORRECTION)
            for name in ("amount", "quantity")
        ),
        *(
            (_negative(rows[name]) & ~correction, name, negative_stage_figure(name))
            for name in STAGE_FIGURES
        ),
        (
            given["announced_precision"] & ~given["announced"],
            "announced_precision",
            "a precision needs the announced day",
        ),
    ]
    checks.extend(_days_without_figures(rows))
    checks.extend(_stage_figures_unlike_the_promise(rows, given, unknown))
    bad = pd.Series(False, index=rows.index)
    for failing, _column, _message in checks:
        bad |= failing
    for index in rows.index[bad]:
        number = int(rows.at[index, "_row"])
        for failing, column, message in checks:
            if failing[index]:
                field = column if isinstance(column, str) else str(column[index])
                problems.append(Problem(number, field, message))
    good = rows[~bad].drop(columns=["id", "version", "_negative"])
    good = good.assign(
        qualifier=qualifier[~bad],
        stage=good["stage"].where(good["stage"].notna(), "announced"),
        is_correction=correction[~bad],
        reviewed=good["reviewed"].where(good["reviewed"].notna(), False).astype(bool),
        recipient_id=good["recipient_id"].where(good["recipient_id"].notna(), DEFAULT_RECIPIENT),
        announced_precision=good["announced_precision"].where(
            good["announced_precision"].notna(),
            pd.Series("day", index=good.index).where(good["announced"].notna(), None),
        ),
    )
    names = list(good.columns)
    plan.creates = {
        name: good[name].astype(object).where(good[name].notna(), None).tolist() for name in names
    }
    if dry_run:
        for row in zip(*plan.creates.values(), strict=True):
            record = dict(zip(names, row, strict=True))
            number = int(record["_row"])
            changes_shown.append((number, f"row {number}: create pledge: {describe(record)}"))


def _stage_figures_unlike_the_promise(
    rows: pd.DataFrame, given: dict[str, pd.Series], unknown: pd.Series
) -> list[tuple[pd.Series, str, str]]:
    """An allocated or delivered figure of another kind than the row's promise, refused with
    its column as the pledge page refuses it (`reports.record_stage`): an amount beside a
    promise of things (it would be a sum in no currency, or in one the promise is not in),
    a quantity beside a promise of money only (a count of nothing promised)."""
    found = []
    for stage in ("allocated", "delivered"):
        amount, quantity = rows[f"{stage}_amount"], rows[f"{stage}_quantity"]
        found.append(
            (
                amount.notna() & ~given["amount"],
                f"{stage}_amount",
                f"the row promises no amount of money: give what was {stage} as "
                f"{stage}_quantity, in the promise's unit",
            )
        )
        found.append(
            (
                quantity.notna() & ~given["quantity"] & given["amount"] & ~unknown,
                f"{stage}_quantity",
                f"the row promises an amount of money, not a number of things: give what was "
                f"{stage} as {stage}_amount, in the row's currency",
            )
        )
    return found


def _days_without_figures(rows: pd.DataFrame) -> list[tuple[pd.Series, str, str]]:
    """A day of allocation or delivery on a row that states nothing allocated or delivered
    would be dropped (`stage_columns` dates only a figure): refused, with its column."""
    found = []
    for day in STAGE_DAYS:
        if day not in rows.columns:
            continue
        stage = day.removesuffix("_on")
        figure = rows[f"{stage}_amount"].map(bool) | rows[f"{stage}_quantity"].map(bool)
        article = "an" if stage.startswith("a") else "a"
        message = f"{article} {stage} day needs the {stage} amount or quantity it dates"
        found.append((rows[day].notna() & ~figure, day, message))
    return found


NEGATIVE_OUTSIDE_CORRECTION = "a negative number is only allowed in a correction"
NEW_ROW_FIELDS = (
    "donor_id", "item_id", "qualifier", "amount", "quantity", "currency", "stated_amount",
    "stated_currency", "is_correction", "stage", "reviewed", "recipient_id", "announced",
    "announced_precision",
)  # fmt: skip

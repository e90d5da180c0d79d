"""Packages in a table: rows that name the same package are one announcement's pledges.

A mapping may map two columns (see tracker.importers.mapping): `package`, a name or id that
the rows of one package share ("UK July package", "P-17"), and `package_total`, true on the
row that is the package's stated total ("£283m in all") and false (or blank) on its itemised
parts. Each package a table names becomes one Package (named by the cell, with the donor
and earliest day of its rows, the table as its source), and its rows are put in it as the
pledge page would put them: the stated total counts its money, the parts count theirs only
where the package states no total, and every part's quantity counts (the rule is
tracker.services.package_money's `counts_money_of`). So a total and its parts count money
once, as for an article's package.

Our own pledges export carries `package_id`, `package` and `package_total`: read back, its
new rows are grouped by `package_id` (a key within the file) and named by `package`, so an
export imported into another database makes the same packages; its rows that update a
pledge must state the package the pledge is in (a table does not move pledges between
packages). With `match: true`, where the stored pledges that rows repeat go:
tracker.importers.package_matches.

Checked with the other cells, before anything is written, each a Problem naming its row and
column: a total outside a package, a total without an amount of money, a second total in
one package, rows of one package from different donors, a package cell on a row that
updates a stored pledge (packages are given to new rows only; in our own export, one that
differs from the pledge's), an over-long name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from tracker.importers import parsing
from tracker.importers.mapping import PACKAGE_FIELDS
from tracker.importers.rows import ID_CHUNK
from tracker.importers.table_file import Problem
from tracker.models import Package, Pledge
from tracker.services.package_money import counts_money_of
from tracker.services.packages import NAME_LIMIT

if TYPE_CHECKING:
    from tracker.importers.table import Plan

PACKAGE_TABLE: Table = Package.__table__  # type: ignore[assignment]
OWN_KEY = "package_id"  # our own export's column naming each row's package
MOVED = "a table import does not change a pledge's package; the pledge page does"
RENAMED = "a table import does not rename a package"


def parse_package_columns(frame: pd.DataFrame, problems: list[Problem]) -> dict[str, pd.Series]:
    """The `package` (the key the rows of one package share), `package_name` and
    `package_total` cells of every row (None where blank); empty when the table has none.

    A mapped table's packages are keyed and named by the `package` cell. Our own export
    keys them by `package_id` (the exporting database's id, a number, so never equal to a
    name) and names them by `package` ("package <id>" where blank): two packages of one
    name stay two.
    """
    own = OWN_KEY in frame.columns
    if not own and not any(name in frame.columns for name in PACKAGE_FIELDS):
        return {}
    for name in PACKAGE_FIELDS:
        if name not in frame.columns:
            frame[name] = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    names = parsing.parse_texts(frame, "package", problems)
    for row, name in zip(frame["_row"], names, strict=True):
        if name is not None and len(name) > NAME_LIMIT:
            problems.append(
                Problem(int(row), "package", f"a package name has at most {NAME_LIMIT} characters")
            )
    keys = names
    if own:
        ids = parsing.parse_integers(frame, OWN_KEY, problems)
        keys = ids.where(ids.notna(), names)
    return {
        "package": keys,
        "package_name": names,
        "package_total": parsing.parse_booleans(frame, "package_total", problems),
    }


def check_package_rows(
    session: Session, columns: dict[str, pd.Series], problems: list[Problem], *, own_format: bool
) -> None:
    """A Problem for each row whose package cells cannot be: see the module's docstring."""
    if "package" not in columns:
        return
    rows = pd.DataFrame(
        {
            "row": columns["_row"], "id": columns["id"], "package": columns["package"],
            "name": columns["package_name"], "stated_total": columns["package_total"],
            "total": columns["package_total"].where(columns["package_total"].notna(), False),
            "amount": columns["amount"],
            "donor": columns["donor"].where(columns["donor"].notna(), columns["donor_id"]),
        },
        dtype=object,
    )  # fmt: skip
    found: list[tuple[int, str, str]] = []

    def report(mask: pd.Series, column: str, message: Callable[[dict[str, Any]], str]) -> None:
        """A problem for each row of `mask` (only bad rows are visited)."""
        for record in rows[mask].to_dict("records"):
            found.append((int(record["row"]), column, message(record)))

    given = rows["package"].notna()
    total = rows["total"].astype(bool)
    updating = rows["id"].notna() & (given | total)
    if own_format:  # our export's rows state the package their pledge is in: it must be so
        found.extend(_unlike_stored(session, rows[rows["id"].notna()]))
    else:
        report(
            updating,
            "package",
            lambda r: f"packages are given to new rows only: this row updates pledge {r['id']}",
        )
    report(
        ~updating & total & ~given,
        "package_total",
        lambda r: "only a row in a package can be its stated total: its package cell is blank",
    )
    member = ~updating & given
    report(
        member & total & rows["amount"].isna(),
        "package_total",
        lambda r: "a package's stated total is an amount of money: this row states none",
    )
    totals = rows[member & total & rows["amount"].notna()]
    first_total = totals.groupby("package", sort=False)["row"].first()
    report(
        _rows_in(rows, totals.index[totals["package"].duplicated()]),
        "package_total",
        lambda r: (
            f"package {r['package']!r} already has a stated total (row {first_total[r['package']]})"
        ),
    )
    named = rows[member & rows["donor"].notna()]
    first = named.groupby("package", sort=False)[["donor", "row"]].first()
    other = named["donor"] != named["package"].map(first["donor"])
    report(
        _rows_in(rows, named.index[other]),
        "donor",
        lambda r: (
            f"package {r['package']!r} is one donor's: row "
            f"{first.at[r['package'], 'row']} names another donor"
        ),
    )
    problems.extend(Problem(row, column, message) for row, column, message in sorted(found))


def _unlike_stored(session: Session, rows: pd.DataFrame) -> list[tuple[int, str, str]]:
    """Our export's rows that update a pledge: where their package cells differ from the
    pledge's package (its id, name, or whether the pledge is its stated total), a problem:
    a table does not move pledges between packages (the pledge page does)."""
    stated = rows[rows["package"].notna() | rows["stated_total"].notna()]
    if stated.empty:
        return []
    ids = sorted({int(i) for i in stated["id"]})
    stored: dict[int, tuple[int | None, bool, str | None]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        query = (
            select(Pledge.id, Pledge.package_id, Pledge.package_total, Package.name)
            .outerjoin(Package, Package.id == Pledge.package_id)
            .where(Pledge.id.in_(ids[start : start + ID_CHUNK]))
        )
        for pledge_id, package_id, is_total, name in session.execute(query):
            stored[pledge_id] = (package_id, bool(is_total), name)
    found: list[tuple[int, str, str]] = []
    for record in stated.to_dict("records"):
        row, pledge_id = int(record["row"]), int(record["id"])
        if pledge_id not in stored:
            continue  # the row's own problem (no such pledge) is reported with its id
        package_id, is_total, named = stored[pledge_id]
        key, where = (
            record["package"],
            f"in package {package_id}" if package_id else "in no package",
        )
        if key is not None and key != package_id:
            column = OWN_KEY if isinstance(key, int) else "package"
            found.append((row, column, f"pledge {pledge_id} is {where}: {MOVED}"))
        elif key is not None and record["name"] not in (None, named):
            found.append((row, "package", f"package {package_id} is named {named!r}: {RENAMED}"))
        elif record["stated_total"] is not None and record["stated_total"] != is_total:
            role = "its stated total" if is_total else "not its stated total"
            found.append((row, "package_total", f"pledge {pledge_id} is {role}: {MOVED}"))
    return found


def _rows_in(rows: pd.DataFrame, index: pd.Index) -> pd.Series:
    """A mask of the rows at these index labels."""
    return pd.Series(rows.index.isin(index), index=rows.index)


def place_in_packages(session: Session, plan: Plan, source_id: int) -> int:
    """Make a Package for each package the plan's new rows name and give those rows its
    `package_id`, `package_total` and `counts_money` (donor ids already resolved: after
    `write_catalogue_additions`); returns how many packages were made."""
    creates = plan.creates
    keys = creates.get("package")
    if not keys or all(key is None for key in keys):
        for name in (*PACKAGE_FIELDS, "package_name"):
            creates.pop(name, None)
        return 0
    totals = [bool(value) for value in creates["package_total"]]
    donors = [
        plan.donor_keys[donor] if isinstance(donor, str) else donor for donor in creates["donor_id"]
    ]
    members = members_by_key(keys)
    package_ids = make_packages(session, creates, members, donors, source_id)
    has_total = {key: any(totals[i] for i in indexes) for key, indexes in members.items()}
    creates["package_id"] = [package_ids.get(key) if key is not None else None for key in keys]
    creates["package_total"] = [
        total and key is not None for total, key in zip(totals, keys, strict=True)
    ]
    creates["counts_money"] = [
        counts_money_of(key is not None, total, key is not None and has_total[key])
        for key, total in zip(keys, totals, strict=True)
    ]
    del creates["package"], creates["package_name"]
    return len(package_ids)


def members_by_key(keys: list[Any]) -> dict[Any, list[int]]:
    """The indexes of the rows of each package, by its key, in the order of first rows."""
    members: dict[Any, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            members.setdefault(key, []).append(index)
    return members


def make_packages(
    session: Session,
    creates: dict[str, list[Any]],
    members: dict[Any, list[int]],
    donors: list[int],
    source_id: int,
) -> dict[Any, int]:
    """One Package per key of `members` (the indexes of its rows in `creates`): named by
    its first named row, with the donor of its first row and the earliest day of its rows,
    the table as its source; returns the new ids by key."""
    names = creates["package_name"]
    values = [
        {
            "name": next((names[i] for i in indexes if names[i]), f"package {key}")[:NAME_LIMIT],
            "donor_id": donors[indexes[0]], "source_id": source_id,
            "announced": _earliest([creates["announced"][i] for i in indexes]),
        }
        for key, indexes in members.items()
    ]  # fmt: skip
    if not values:
        return {}
    made = session.execute(
        insert(PACKAGE_TABLE).returning(PACKAGE_TABLE.c.id, sort_by_parameter_order=True), values
    )
    return dict(zip(members, made.scalars(), strict=True))


def _earliest(days: list[date | None]) -> date | None:
    """The earliest of the days given, None when there is none."""
    known = [day for day in days if day is not None]
    return min(known) if known else None

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

Checked with the other cells, before anything is written, each a Problem naming its row and
column: a total outside a package, a total without an amount of money, a second total in
one package, rows of one package from different donors, a package cell on a row that
updates a stored pledge (packages are given to new rows only), an over-long name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from tracker.importers import parsing
from tracker.importers.mapping import PACKAGE_FIELDS
from tracker.importers.table_file import Problem
from tracker.models import Package
from tracker.services.package_money import counts_money_of
from tracker.services.packages import NAME_LIMIT

if TYPE_CHECKING:
    from tracker.importers.table import Plan

PACKAGE_TABLE: Table = Package.__table__  # type: ignore[assignment]


def parse_package_columns(frame: pd.DataFrame, problems: list[Problem]) -> dict[str, pd.Series]:
    """The `package` and `package_total` cells of every row (None where blank); empty when
    the table maps neither."""
    if not any(name in frame.columns for name in PACKAGE_FIELDS):
        return {}
    out: dict[str, pd.Series] = {}
    for name in PACKAGE_FIELDS:
        if name not in frame.columns:
            frame[name] = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    names = parsing.parse_texts(frame, "package", problems)
    for row, name in zip(frame["_row"], names, strict=True):
        if name is not None and len(name) > NAME_LIMIT:
            problems.append(
                Problem(int(row), "package", f"a package name has at most {NAME_LIMIT} characters")
            )
    out["package"] = names
    out["package_total"] = parsing.parse_booleans(frame, "package_total", problems)
    return out


def check_package_rows(columns: dict[str, pd.Series], problems: list[Problem]) -> None:
    """A Problem for each row whose package cells cannot be: see the module's docstring."""
    if "package" not in columns:
        return
    rows = pd.DataFrame(
        {
            "row": columns["_row"], "id": columns["id"], "package": columns["package"],
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


def _rows_in(rows: pd.DataFrame, index: pd.Index) -> pd.Series:
    """A mask of the rows at these index labels."""
    return pd.Series(rows.index.isin(index), index=rows.index)


def place_in_packages(session: Session, plan: Plan, source_id: int) -> int:
    """Make a Package for each package the plan's new rows name and give those rows its
    `package_id`, `package_total` and `counts_money` (donor ids already resolved: after
    `write_catalogue_additions`); returns how many packages were made."""
    creates = plan.creates
    names = creates.get("package")
    if not names or all(name is None for name in names):
        for name in PACKAGE_FIELDS:
            creates.pop(name, None)
        return 0
    totals = [bool(value) for value in creates["package_total"]]
    donors = [
        plan.donor_keys[donor] if isinstance(donor, str) else donor for donor in creates["donor_id"]
    ]
    members: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        if name is not None:
            members.setdefault(name, []).append(index)
    values = [
        {
            "name": name[:NAME_LIMIT], "donor_id": donors[indexes[0]], "source_id": source_id,
            "announced": _earliest([creates["announced"][i] for i in indexes]),
        }
        for name, indexes in members.items()
    ]  # fmt: skip
    # one executemany, then the new ids by name (the names of one table are its keys)
    before = session.scalar(select(func.max(Package.id))) or 0
    session.execute(insert(PACKAGE_TABLE), values)
    made = session.execute(
        select(Package.name, Package.id).where(Package.source_id == source_id, Package.id > before)
    )
    by_name: dict[str, int] = {name: package_id for name, package_id in made}
    package_ids = {name: by_name[name[:NAME_LIMIT]] for name in members}
    has_total = {name: any(totals[i] for i in indexes) for name, indexes in members.items()}
    creates["package_id"] = [package_ids.get(name) if name else None for name in names]
    creates["package_total"] = [
        total and name is not None for total, name in zip(totals, names, strict=True)
    ]
    creates["counts_money"] = [
        counts_money_of(name is not None, total, name is not None and has_total[name])
        for name, total in zip(names, totals, strict=True)
    ]
    del creates["package"]
    return len(package_ids)


def _earliest(days: list[date | None]) -> date | None:
    """The earliest of the days given, None when there is none."""
    known = [day for day in days if day is not None]
    return min(known) if known else None

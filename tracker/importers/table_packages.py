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

from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy.orm import Session

from tracker.importers import parsing
from tracker.importers.mapping import PACKAGE_FIELDS
from tracker.importers.table_file import Problem
from tracker.models import Package
from tracker.services.package_money import counts_money_of
from tracker.services.packages import NAME_LIMIT

if TYPE_CHECKING:
    from tracker.importers.table import Plan


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
    found: list[Problem] = []
    totals: dict[str, int] = {}
    donors: dict[str, tuple[Any, int]] = {}
    for record in rows.to_dict("records"):
        row, package, total = int(record["row"]), record["package"], bool(record["total"])
        if record["id"] is not None and (package is not None or total):
            found.append(Problem(row, "package", "packages are given to new rows only: "
                                 "this row updates pledge " + str(record["id"])))  # fmt: skip
            continue
        if total and package is None:
            found.append(Problem(row, "package_total", "only a row in a package can be its "
                                 "stated total: its package cell is blank"))  # fmt: skip
            continue
        if package is None:
            continue
        if total and record["amount"] is None:
            found.append(Problem(row, "package_total", "a package's stated total is an amount "
                                 "of money: this row states none"))  # fmt: skip
        elif total and package in totals:
            found.append(Problem(row, "package_total", f"package {package!r} already has a "
                                 f"stated total (row {totals[package]})"))  # fmt: skip
        elif total:
            totals[package] = row
        donor = record["donor"]
        first = donors.setdefault(package, (donor, row))
        if donor is not None and first[0] is not None and donor != first[0]:
            found.append(Problem(row, "donor", f"package {package!r} is one donor's: row "
                                 f"{first[1]} names another donor"))  # fmt: skip
    problems.extend(found)


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
    packages = {
        name: Package(
            name=name[:NAME_LIMIT],
            donor_id=donors[indexes[0]],
            source_id=source_id,
            announced=_earliest([creates["announced"][i] for i in indexes]),
        )  # fmt: skip
        for name, indexes in members.items()
    }
    session.add_all(packages.values())
    session.flush()
    package_ids = {name: package.id for name, package in packages.items()}
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

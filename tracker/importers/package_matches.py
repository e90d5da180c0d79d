"""Packages of a table whose rows are matched against stored pledges (`match: true`).

Each row is matched on its own (tracker.services.matching); a row that repeats a stored
pledge becomes a report of it, and that pledge takes the row's place in the package:

- the stored pledges a table package's rows repeat are in no package, or all in one
  stored package: the table's package is that stored package (its new rows join it),
  else a new one; stored pledges in no package join it, as its stated total when the
  row that repeats one is the table's stated total, else as parts;
- a new stated total becomes the package's when the stored package has none.

Money then counts once by the package rule (tracker.services.package_money). Where the
table and the store disagree, nothing is attached and nothing counts twice: the table's
package is made new, each of its rows that repeats a stored pledge is a new pledge marked
as a possible duplicate of it, and its stated total (when new) a possible duplicate of
the first pledge its rows repeat, so the package's money stays out of the totals until
an analyst links or keeps each one. The table and the store disagree when a package's
rows repeat pledges of two stored packages; a stored pledge or package is repeated by rows
of two table packages, or one stored pledge by two rows; the row that is the table's
stated total repeats a part, or a part repeats a stated total; or the stored package has
a stated total other than the one the table states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.importers.rows import ID_CHUNK
from tracker.importers.table_file import Problem, TableImportError
from tracker.importers.table_packages import PACKAGE_FIELDS, make_packages, members_by_key
from tracker.models import Pledge, User
from tracker.services.matching import Match
from tracker.services.package_money import counts_money_of, sync_package_money
from tracker.services.pledges import PledgeError, update_pledge
from tracker.services.rollup import TotalsDelta, apply_totals_delta

if TYPE_CHECKING:
    from tracker.importers.table import Plan

FLAG_LIMIT = 500


def has_package_rows(plan: Plan) -> bool:
    """Whether any new row of the plan is in a package."""
    return any(key is not None for key in plan.creates.get("package") or ())


@dataclass
class Stored:
    """What a stored pledge a row repeats brings to a package."""

    package_id: int | None
    is_total: bool
    states_money: bool


@dataclass
class PackageMatcher:
    """Places a matched table's rows in packages (called with the matches, before the rows
    are written; `finish` then moves the stored pledges that join packages)."""

    session: Session
    plan: Plan
    source_id: int
    joins: list[tuple[int, int, bool, str]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    made: int = 0

    def __call__(self, columns: dict[str, list[Any]], matches: list[Match]) -> list[Match]:
        """The matches revised by the packages' rule; sets the rows' package columns."""
        creates = self.plan.creates
        keys: list[Any] = creates["package"]
        totals = [bool(value) for value in creates["package_total"]]
        refs = columns["source_ref"]
        members = members_by_key(keys)
        repeats = {
            i: m.pledge_id
            for i, m in enumerate(matches)
            if m.outcome == "corroborates" and m.pledge_id is not None and keys[i] is not None
        }
        stored = self._stored(set(repeats.values()))
        stated = self._stated_totals({s.package_id for s in stored.values() if s.package_id})
        conflicts = self._shared(members, repeats, stored)
        target: dict[Any, int | None] = {}
        for key, indexes in members.items():
            places = {stored[repeats[i]].package_id for i in indexes if i in repeats} - {None}
            target[key] = next(iter(places)) if len(places) == 1 else None
            conflicts.setdefault(
                key, _conflict(indexes, repeats, stored, places, stated, totals, refs)
            )
        revised = list(matches)
        new_keys = [key for key in members if conflicts[key] or target[key] is None]
        made = make_packages(
            self.session, creates, {key: members[key] for key in new_keys},
            columns["donor_id"], self.source_id,
        )  # fmt: skip
        self.made = len(made)
        flags = list(columns["review_flag"])
        package_of: dict[Any, int | None] = {}
        counting: dict[Any, bool] = {}
        for key, indexes in members.items():
            reason = conflicts[key]
            package_of[key] = made[key] if key in made else target[key]
            if reason:
                self._flag(key, indexes, reason, repeats, totals, revised, flags, refs)
            else:
                into = package_of[key]
                assert into is not None  # a package made, or the one stored package
                for i in indexes:
                    if i in repeats and stored[repeats[i]].package_id is None:
                        self.joins.append((repeats[i], into, totals[i], refs[i]))
                if target[key] is not None:
                    self.touched.add(into)
            counting[key] = (
                any(totals[i] and revised[i].outcome in ("new", "corroborates") for i in indexes)
                or stated.get(package_of[key] or 0, (0, False))[1]
            )
        columns["review_flag"] = flags
        columns["package_id"] = [package_of[k] if k is not None else None for k in keys]
        columns["package_total"] = [t and k is not None for t, k in zip(totals, keys, strict=True)]
        columns["counts_money"] = [
            counts_money_of(k is not None, t and k is not None, k is not None and counting[k])
            for k, t in zip(keys, totals, strict=True)
        ]
        for name in (*PACKAGE_FIELDS, "package_name"):
            creates.pop(name, None)
        return revised

    def _stored(self, ids: set[int]) -> dict[int, Stored]:
        """The package and role of each stored pledge the rows repeat."""
        query = select(Pledge.id, Pledge.package_id, Pledge.package_total, Pledge.amount)
        return {
            i: Stored(package_id, bool(total), amount is not None)
            for i, package_id, total, amount in _in_chunks(self.session, query, Pledge.id, ids)
        }

    def _stated_totals(self, package_ids: set[int]) -> dict[int, tuple[int, bool]]:
        """Each of these packages' stated total (any: one per package), and whether it counts."""
        query = select(
            Pledge.package_id, Pledge.id, Pledge.deleted_at, Pledge.duplicate_of_id
        ).where(Pledge.package_total.is_(True))
        found: dict[int, tuple[int, bool]] = {}
        for package_id, i, deleted, duplicate in _in_chunks(
            self.session, query, Pledge.package_id, package_ids
        ):
            if package_id is not None:
                found[package_id] = (i, deleted is None and duplicate is None)
        return found

    @staticmethod
    def _shared(
        members: dict[Any, list[int]], repeats: dict[int, int], stored: dict[int, Stored]
    ) -> dict[Any, str]:
        """The table packages that claim a stored pledge or package another one claims too
        (or one stored pledge twice), with why."""
        owners: dict[tuple[str, int], set[Any]] = {}
        rows: dict[int, int] = {}
        for key, indexes in members.items():
            for i in indexes:
                if i in repeats:
                    pledge_id = repeats[i]
                    place = stored[pledge_id].package_id
                    claim = ("package", place) if place else ("pledge", pledge_id)
                    owners.setdefault(claim, set()).add(key)
                    rows[pledge_id] = rows.get(pledge_id, 0) + 1
        found: dict[Any, str] = {}
        for (what, number), keys in owners.items():
            if len(keys) > 1:
                for key in keys:
                    found[key] = f"{what} #{number} is repeated by rows of several packages"
        for key, indexes in members.items():
            twice = sorted({repeats[i] for i in indexes if i in repeats and rows[repeats[i]] > 1})
            if twice and key not in found:
                found[key] = f"pledge #{twice[0]} is repeated by more than one row"
        return found

    def _flag(
        self,
        key: Any,
        indexes: list[int],
        reason: str,
        repeats: dict[int, int],
        totals: list[bool],
        revised: list[Match],
        flags: list[str | None],
        refs: list[str],
    ) -> None:
        """A disputed package: its rows that repeat stored pledges, and its new stated total,
        become possible duplicates, flagged with why."""
        first = next(repeats[i] for i in indexes if i in repeats)
        why = f"package {key!r} of this table: {reason}; not attached"
        for i in indexes:
            of = repeats.get(i)
            if of is None and not (totals[i] and revised[i].outcome == "new"):
                continue
            of = of if of is not None else first
            revised[i] = Match("possible_duplicate", of, why)
            note = f"row {refs[i]}: possible duplicate of #{of}: {why}"
            flags[i] = (f"{flags[i]}; {note}" if flags[i] else note)[:FLAG_LIMIT]

    def finish(self, user: User | None) -> int:
        """Move the stored pledges the rows repeat into their packages (through the pledge
        service: version-checked, audited), and let the packages' other pledges follow;
        returns how many packages were made or given rows."""
        for pledge_id, package_id, as_total, ref in self.joins:
            pledge = self.session.get_one(Pledge, pledge_id)
            role = "its stated total" if as_total else "a part"
            note = f"package {package_id}: {role}, as row {ref} of source {self.source_id} states"
            try:
                update_pledge(
                    self.session, pledge_id, {"package_id": package_id, "package_total": as_total},
                    expected_version=pledge.version, user=user, note=note,
                )  # fmt: skip
            except PledgeError as error:  # the import's savepoint undoes everything
                problem = Problem(int(ref.split(":")[0]), "package", f"pledge {pledge_id}: {error}")
                raise TableImportError([problem]) from None
        delta: TotalsDelta = {}
        sync_package_money(self.session, delta, self.touched, written=0, user=user)
        apply_totals_delta(self.session, delta)
        return self.made + len(self.touched)


def _in_chunks(
    session: Session, query: Select[*tuple[Any, ...]], column: Any, values: set[int]
) -> list[Any]:
    """The rows of `query` whose `column` is one of `values`, asked for in chunks of ids."""
    ordered = sorted(values)
    rows: list[Any] = []
    for start in range(0, len(ordered), ID_CHUNK):
        rows += session.execute(query.where(column.in_(ordered[start : start + ID_CHUNK]))).all()
    return rows


def _conflict(
    indexes: list[int],
    repeats: dict[int, int],
    stored: dict[int, Stored],
    places: set[int | None],
    stated: dict[int, tuple[int, bool]],
    totals: list[bool],
    refs: list[str],
) -> str:
    """Why a table package's rows cannot join the stored pledges they repeat ("" when they
    can; the sharing of stored pledges between packages is found apart)."""
    if len(places) > 1:
        shown = ", ".join(f"#{p}" for p in sorted(p for p in places if p is not None))
        return f"its rows repeat pledges of packages {shown}"
    for i in indexes:
        if i not in repeats:
            continue
        found = stored[repeats[i]]
        if totals[i] and not found.states_money:
            return f"row {refs[i]}, its stated total, repeats pledge #{repeats[i]}, of no money"
        if totals[i] and found.package_id is not None and not found.is_total:
            return (
                f"row {refs[i]}, its stated total, repeats pledge #{repeats[i]}, "
                f"a part of package #{found.package_id}"
            )
        if not totals[i] and found.is_total:
            return (
                f"row {refs[i]}, a part, repeats pledge #{repeats[i]}, "
                f"the stated total of package #{found.package_id}"
            )
    place = next(iter(places), None)
    total_rows = [i for i in indexes if totals[i]]
    if place is not None and place in stated and total_rows:
        total_id = stated[place][0]
        if repeats.get(total_rows[0]) != total_id:
            return (
                f"row {refs[total_rows[0]]} states its total, but package #{place} "
                f"has another (pledge #{total_id})"
            )
    return ""

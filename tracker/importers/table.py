"""Importing a table of pledges (CSV or XLSX): our own export, or a foreign table via a mapping.

Rows with an `id` update that pledge through the pledge service (version
checked, audited); rows without one create pledges through the bulk path. A
blank cell leaves a value as it is. Every cell is checked first, column by
column; any problem (unknown column, currency, donor or item, bad date or
number) is reported with its row and column and nothing is written. The writes
run in one savepoint, so a conflict found while writing undoes them all.

The file is recorded as a Source of kind "dataset", identified by the SHA-256 of its rows
(tracker.importers.table_identity: the same rows in another encoding are the same dataset;
the import's audit event keeps the SHA-256 of the file's bytes);
each created pledge keeps its row reference in `source_ref`, and so does each report
of a row that corroborates a stored pledge (`match: true`), so importing the same file
again creates nothing twice, adds no report and, when nothing else changes, no audit
event (`RecordedRows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.exports import PLEDGE_COLUMNS
from tracker.importers import parsing
from tracker.importers.bulk import insert_pledges, write_catalogue_additions
from tracker.importers.catalogue_plan import (
    check_catalogue_right,
    plan_donors,
    plan_items,
    plan_recipients,
)
from tracker.importers.gc_pause import collector_paused
from tracker.importers.mapping import Mapping, Problem
from tracker.importers.package_matches import PackageMatcher, has_package_rows
from tracker.importers.preview import PreviewRow, preview_rows
from tracker.importers.rows import RecordedRows
from tracker.importers.source_urls import (
    COLUMN,
    add_source_url_reports,
    add_update_source_reports,
    parse_source_urls,
)
from tracker.importers.table_file import TableImportError, TableTooLarge, read_table
from tracker.importers.table_identity import file_sha256, rows_sha256
from tracker.importers.table_packages import (
    check_package_rows,
    parse_package_columns,
    place_in_packages,
)
from tracker.models import AuditEvent, Pledge, Source, User
from tracker.models.audit import NOTE_LENGTH
from tracker.services.pledge_numbers import STAGE_DAYS, STAGE_FIGURES
from tracker.wording import count_of

EDITABLE_FIELDS = (
    "donor_id",
    "recipient_id",
    "item_id",
    "kind",
    "stage",
    "quantity",
    "unit",
    "amount",
    "currency",
    "qualifier",
    "qualifier_text",
    "announced",
    "announced_precision",
    "is_correction",
    "stated_amount",
    "stated_currency",
    "item_text",
    "notes",
    "reviewed",
)
NAME_COLUMNS = {"donor": "donor_id", "recipient": "recipient_id", "item": "item_id"}
TEXT_FIELDS = ("unit", "qualifier_text", "item_text", "notes")
DEFAULT_RECIPIENT = "ukraine"

__all__ = ["ImportResult", "TableImportError", "TableTooLarge", "import_table", "import_table_file"]


class AlreadyImporting(TableImportError):
    """The same file was imported by another request while this one was checking it."""

    status = 409


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    file_name: str
    dry_run: bool
    source_id: int | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows recorded by an earlier import of the same file
    already_reported: int = 0  # of those, rows recorded as reports of a stored pledge
    corroborated: int = 0
    possible_duplicates: int = 0
    packages: int = 0
    # rows flagged for review: new pledges flagged (a stage figure above or before its
    # promise among them), and rows matched to a stored pledge whose stage figures call
    # for a check (`stage_reports.RowStages`)
    flagged: int = 0
    new_donors: list[str] = field(default_factory=list)
    new_items: list[str] = field(default_factory=list)
    new_recipients: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    reviewed: bool = False
    preview: list[PreviewRow] = field(default_factory=list)

    def summary(self) -> str:
        """One line: what was (or would be) created, updated and skipped."""
        verb = "would import" if self.dry_run else "imported"
        parts = [
            f"{self.created} created" + (" as reviewed" if self.reviewed else ""),
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.skipped} already imported"
            + (
                f" ({self.already_reported} of them as reports of earlier pledges)"
                if self.already_reported
                else ""
            ),
        ]
        if self.corroborated or self.possible_duplicates:
            parts.append(
                f"{self.corroborated} reports of earlier pledges, "
                f"{self.possible_duplicates} possible duplicates left out of the totals"
            )
        if self.packages:
            parts.append(f"{self.packages} packages")
        if self.flagged:
            parts.append(f"{self.flagged} flagged for review")
        if self.new_donors:
            parts.append(f"new donors: {', '.join(self.new_donors)}")
        if self.new_items:
            parts.append(count_of(len(self.new_items), "new item"))
        if self.new_recipients:
            parts.append(f"new recipients: {', '.join(self.new_recipients)}")
        return f"{self.file_name}: {verb} {', '.join(parts)}."


@dataclass
class Plan:
    """The checked table: pledges to create, changes to make, catalogue rows to add.

    `creates` holds the new pledges column by column (field name -> one value per row).
    """

    creates: dict[str, list[Any]] = field(default_factory=dict)
    updates: list[tuple[int, int | None, int, dict[str, Any]]] = field(default_factory=list)
    # rows that update a pledge and name new addresses in `source_urls`: (row, pledge, them)
    source_urls: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    new_aliases: dict[str, int] = field(default_factory=dict)
    new_donors: dict[str, tuple[str, str]] = field(default_factory=dict)
    new_items: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    new_recipients: dict[str, str] = field(default_factory=dict)
    donor_keys: dict[str, int] = field(default_factory=dict)
    item_keys: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def create_count(self) -> int:
        """How many pledges the plan creates."""
        return len(self.creates["_row"]) if self.creates else 0

    @property
    def writes(self) -> bool:
        """Whether the plan writes anything: a pledge, a change or a catalogue row."""
        return bool(
            self.create_count
            or self.updates
            or self.source_urls
            or self.new_aliases
            or self.new_donors
            or self.new_items
            or self.new_recipients
        )


def import_table_file(
    session: Session,
    path: str | Path,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    reviewed: bool = False,
    user: User | None = None,
) -> ImportResult:
    """Import the table at `path` (see `import_table`)."""
    file = Path(path)
    return import_table(
        session, file.read_bytes(), file.name, mapping=mapping, dry_run=dry_run,
        reviewed=reviewed, user=user,
    )  # fmt: skip


@collector_paused()
def import_table(
    session: Session,
    content: bytes,
    file_name: str,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    reviewed: bool = False,
    user: User | None = None,
) -> ImportResult:
    """Check every row of the table, then (unless `dry_run`) write it all in one savepoint.

    `reviewed` imports a curated table: every pledge it creates counts as reviewed
    (a `reviewed` column of the table is overridden), so it does not flood the queue.
    Raises TableImportError listing every problem when anything is wrong. Python's
    cyclic garbage collector is paused meanwhile (tracker.importers.gc_pause).
    """
    problems: list[Problem] = []
    table = read_table(content, file_name)
    sha256, file_hash = rows_sha256(table), file_sha256(content)
    frame = mapping.apply(table, problems) if mapping is not None else own_format(table, problems)
    if problems:
        raise TableImportError(problems)
    try:
        return _import_frame(
            session, frame, file_name, (sha256, file_hash), mapping=mapping, dry_run=dry_run,
            reviewed=reviewed, user=user,
        )  # fmt: skip
    except TableImportError as error:
        if mapping is None:
            raise
        # the checks name our fields: the analyst reads the file's columns
        raise type(error)(mapping.in_file_terms(error.problems)) from None


def _import_frame(
    session: Session,
    frame: pd.DataFrame,
    file_name: str,
    hashes: tuple[str, str],
    *,
    mapping: Mapping | None,
    dry_run: bool,
    reviewed: bool,
    user: User | None,
) -> ImportResult:
    """`import_table` once the table's columns are our fields: check, plan and write."""
    problems: list[Problem] = []
    sha256, file_hash = hashes
    source = dataset_source(session, sha256, file_hash)
    done = RecordedRows.of(session, source.id) if source is not None else RecordedRows()
    result = ImportResult(file_name=file_name, dry_run=dry_run)
    plan = plan_rows(session, frame, mapping, done, result, problems)
    if problems:
        raise TableImportError(problems)
    check_catalogue_right(plan, user)
    if reviewed and plan.creates:
        plan.creates["reviewed"] = [True] * plan.create_count
    result.reviewed = reviewed
    result.preview = preview_rows(session, plan)
    result.created, result.updated, result.unchanged = (
        plan.create_count,
        len({row for row, *_rest in plan.updates} | {row for row, *_rest in plan.source_urls}),
        plan.unchanged,
    )
    result.new_donors = sorted(name for name, _kind in plan.new_donors.values())
    result.new_items = sorted(name for name, _cat, _unit in plan.new_items.values())
    result.new_recipients = sorted(plan.new_recipients.values())
    if dry_run:
        return result
    if source is not None and not plan.writes:  # the same file again: nothing to record
        result.source_id = source.id
        return result
    with session.begin_nested():
        if source is None:
            source = _add_source(session, sha256, file_name, mapping)
        result.source_id = source.id
        write_catalogue_additions(session, plan, user)
        match = bool(mapping and mapping.match)
        arrange = (
            PackageMatcher(session, plan, source.id) if match and has_package_rows(plan) else None
        )
        if arrange is None:
            result.packages = place_in_packages(session, plan, source.id)
        apply_updates(session, plan, user, problems)
        if problems:
            raise TableImportError(problems)
        add_update_source_reports(session, plan.source_urls, user)
        last_id = session.scalar(select(func.max(Pledge.id))) or 0
        matched = insert_pledges(session, plan, source.id, user, match=match, arrange=arrange)
        result.flagged = matched.flagged + (
            session.scalar(
                select(func.count(Pledge.id)).where(
                    Pledge.source_id == source.id,
                    Pledge.id > last_id,
                    Pledge.review_flag.is_not(None),
                )
            )
            or 0
        )
        add_source_url_reports(session, plan.creates, source.id, user)
        if arrange is not None:
            result.packages = arrange.finish(user)
        result.corroborated = matched.corroborated
        result.possible_duplicates = matched.possible_duplicates
        result.created -= matched.corroborated
        session.add(
            AuditEvent(
                user_id=user.id if user else None,
                username=user.username if user else None,
                action="import",
                entity="source",
                entity_id=source.id,
                note=import_note(result.summary(), file_hash),
            )
        )
        session.flush()
    return result


def import_note(summary: str, file_hash: str) -> str:
    """The import's audit note: its summary, cut to fit, then the SHA-256 of the file's bytes
    (kept whole however long the summary)."""
    evidence = f" (file SHA-256 {file_hash})"
    return summary[: NOTE_LENGTH - len(evidence)] + evidence


def dataset_source(session: Session, rows_hash: str, file_hash: str) -> Source | None:
    """The dataset with these rows, or one recorded (before datasets were known by their
    rows) by this very file's bytes; None for a new dataset."""
    found = session.scalars(select(Source).where(Source.sha256.in_((rows_hash, file_hash))))
    return min(found, key=lambda source: source.sha256 != rows_hash, default=None)


def _add_source(session: Session, sha256: str, file_name: str, mapping: Mapping | None) -> Source:
    """Record the file as a dataset source; another import of the same file at the same
    moment makes this one an AlreadyImporting error, with nothing written."""
    source = Source(kind="dataset", sha256=sha256, file_name=file_name[:500])
    if mapping is not None:
        source.title = mapping.source.get("title")
        source.publisher = mapping.source.get("publisher")
        source.url = mapping.source.get("url")
    try:
        with session.begin_nested():
            session.add(source)
            session.flush()
    except IntegrityError:
        raise AlreadyImporting(
            [
                Problem(
                    None,
                    None,
                    f"{file_name} was already imported by another request "
                    "at the same moment; nothing was imported again",
                )
            ]
        ) from None
    return source


def own_format(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Our pledges export read back: every column must be one the export writes."""
    for column in frame.columns:
        if column != "_row" and column not in PLEDGE_COLUMNS:
            problems.append(Problem(1, column, "unknown column: not one the pledges export writes"))
    frame = frame.copy()
    frame["_ref"] = frame["_row"].astype(str)
    return frame


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column of the frame, or a column of blanks when the table has none."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


def _with_column(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame itself when it has the column, else a copy with a column of blanks."""
    return frame if name in frame.columns else frame.assign(**{name: _column(frame, name)})


def parse_columns(
    session: Session,
    frame: pd.DataFrame,
    mapping: Mapping | None,
    plan: Plan,
    problems: list[Problem],
) -> dict[str, pd.Series]:
    """Every field of every row, parsed (None where the cell is blank)."""
    for name in ("donor", "recipient", "item", "category"):
        frame[name] = _column(frame, name)
    rounding = bool(mapping and mapping.round_amounts)
    out: dict[str, pd.Series] = {"_row": frame["_row"], "_ref": frame["_ref"]}
    for name in ("id", "version", "donor_id", "recipient_id", "item_id"):
        out[name] = parsing.parse_integers(_with_column(frame, name), name, problems)
    numbers = (("amount", 2), ("stated_amount", 2), ("quantity", 3))
    for name, places in numbers + tuple(
        (n, 2 if n.endswith("amount") else 3) for n in STAGE_FIGURES
    ):
        column = _with_column(frame, name)
        out[name] = parsing.parse_decimals(column, name, problems, places=places, round_to=rounding)
    for name in ("currency", "stated_currency"):
        out[name] = parsing.parse_currencies(_with_column(frame, name), name, problems)
    out["announced"] = parsing.parse_dates(_with_column(frame, "announced"), "announced", problems)
    for name in STAGE_DAYS:  # only where the table has the column: else the announcement
        if name in frame.columns:
            out[name] = parsing.parse_dates(frame, name, problems)
    if COLUMN in frame.columns:  # our export's: reports at those addresses (source_urls.py)
        out[COLUMN] = parse_source_urls(frame, problems)
    for name in parsing.CHOICES:
        out[name] = parsing.parse_choices(_with_column(frame, name), name, problems)
    for name in ("is_correction", "reviewed"):
        out[name] = parsing.parse_booleans(_with_column(frame, name), name, problems)
    for name in TEXT_FIELDS:
        out[name] = parsing.parse_texts(_with_column(frame, name), name, problems)
    plan_donors(session, frame, mapping, plan, out, problems)
    plan_items(session, frame, mapping, plan, out, problems)
    out["recipient"] = plan_recipients(session, frame, plan, problems, own=mapping is None)
    out.update(parse_package_columns(frame, problems))
    return out


def plan_rows(
    session: Session,
    frame: pd.DataFrame,
    mapping: Mapping | None,
    done: RecordedRows,
    result: ImportResult,
    problems: list[Problem],
) -> Plan:
    """Check every row and sort it into a create, an update or nothing to do."""
    from tracker.importers.rows import plan_creates_and_updates

    plan = Plan()
    columns = parse_columns(session, frame, mapping, plan, problems)
    if problems:
        return plan
    check_package_rows(session, columns, problems, own_format=mapping is None)
    if problems:
        return plan
    plan_creates_and_updates(session, columns, mapping, done, plan, result, problems)
    return plan


def apply_updates(session: Session, plan: Plan, user: User | None, problems: list[Problem]) -> None:
    """Each change through the pledge service; a version conflict is a problem of its row."""
    from tracker.services.pledges import EditConflict, PledgeError, update_pledge

    for row, version, pledge_id, changes in plan.updates:
        try:
            update_pledge(
                session,
                pledge_id,
                changes,
                expected_version=version
                if version is not None
                else _current_version(session, pledge_id),
                user=user,
            )
        except EditConflict as error:
            problems.append(Problem(row, "version", f"pledge {pledge_id}: {error}"))
        except PledgeError as error:
            problems.append(Problem(row, error.field, f"pledge {pledge_id}: {error}"))


def _current_version(session: Session, pledge_id: int) -> int:
    """The stored version of a pledge (for rows that carry no version column)."""
    version = session.scalar(select(Pledge.version).where(Pledge.id == pledge_id))
    return int(version or 1)


def describe(values: dict[str, Any]) -> str:
    """A short `field=value` list for dry-run output."""
    shown = []
    for name, value in values.items():
        if value is None or name.startswith("_"):
            continue
        shown.append(f"{name}={value:f}" if isinstance(value, Decimal) else f"{name}={value}")
    return ", ".join(shown)

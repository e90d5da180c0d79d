"""The only way pledges are created or changed: forms, the API and both importers call these.

Every write validates the input (PledgeError naming the field), derives bounds and
EUR/USD values, updates the totals rollup and writes one audit event, all inside a
savepoint of the caller's transaction: a refused write leaves nothing behind and the
caller's session stays usable. Writes based on an old version end in EditConflict,
whether the caller's version is already stale or another transaction wins the race
(SQLAlchemy's version counter on Pledge turns that into StaleDataError on flush).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import (
    AuditEvent,
    Donor,
    DonorAlias,
    Evidence,
    Item,
    Pledge,
    Recipient,
    Report,
    User,
)
from tracker.models._types import utcnow
from tracker.reference import STAGES
from tracker.services.audit import last_change, record, snapshot
from tracker.services.data_version import bump_data_version
from tracker.services.entry_checks import flag_numbers_off_evidence
from tracker.services.package_money import prepare_money, sync_package_money
from tracker.services.pledge_numbers import is_stage_note, stage_notes, with_flag, without_notes
from tracker.services.pledge_rules import (
    INPUT_FIELDS,
    PledgeError,
    PledgeInput,
    apply_input,
    check_input,
    input_from_pledge,
    set_derived_numbers,
)
from tracker.services.reference import alias_key
from tracker.services.review import require_may_reject
from tracker.services.rollup import (
    TotalsDelta,
    add_contribution,
    add_contributions,
    apply_totals_delta,
)

__all__ = [
    "EditConflict",
    "PledgeError",
    "PledgeInput",
    "PledgeNotFound",
    "create_pledge",
    "delete_pledge",
    "find_donor",
    "find_item",
    "find_recipient",
    "rederive_pledge",
    "restore_pledge",
    "restore_version",
    "review_pledge",
    "update_pledge",
]

ENTITY = "pledge"
DECIMAL_FIELDS = ("quantity", "amount", "stated_amount")


class PledgeNotFound(LookupError):
    """No pledge has the given id."""


class EditConflict(Exception):
    """A write based on an older version of a pledge than the one stored; nothing was saved.

    `current` is the stored pledge, `current_version` its version, `changed_by` and
    `changed_at` who made the newest change (from the audit), `expected_version` the
    version the refused edit was based on.
    """

    def __init__(
        self,
        current: Pledge,
        *,
        expected_version: int,
        changed_by: str | None,
        changed_at: datetime | None,
    ) -> None:
        """Describe the conflict in a sentence a person can act on."""
        self.current = current
        self.current_version = current.version
        self.expected_version = expected_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by or "someone else"
        super().__init__(
            f"pledge {current.id} was changed by {who} and is now at version "
            f"{current.version}; this edit was based on version {expected_version} "
            "and was not saved: review the current values and edit again"
        )


def _user_id(user: User | None) -> int | None:
    """The id of the acting user, None when the system acts."""
    return user.id if user is not None else None


def _load(session: Session, pledge_id: int) -> Pledge:
    """The pledge with `pledge_id`, or PledgeNotFound."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        raise PledgeNotFound(f"there is no pledge with id {pledge_id}")
    return pledge


def _conflict(session: Session, pledge_id: int, expected_version: int) -> EditConflict:
    """An EditConflict carrying the pledge as stored now and its last change."""
    current = session.get(Pledge, pledge_id, populate_existing=True)
    assert current is not None
    last = last_change(session, ENTITY, pledge_id)
    return EditConflict(
        current,
        expected_version=expected_version,
        changed_by=last.username if last else None,
        changed_at=last.at if last else None,
    )


def check_version(session: Session, pledge: Pledge, expected_version: int) -> None:
    """Refuse an edit based on a version other than the stored one."""
    if pledge.version != expected_version:
        raise _conflict(session, pledge.id, expected_version)


def change_pledge(
    session: Session,
    pledge: Pledge,
    mutate: Callable[[Pledge], None],
    *,
    action: str,
    user: User | None,
    expected_version: int,
    note: str | None = None,
) -> Pledge:
    """Apply `mutate`, keep the rollup in step and audit it, all or nothing (every change of
    a stored pledge goes through here, those of tracker.services.reports too)."""
    pledge_id = pledge.id
    # Read the user's id before touching the pledge: loading an expired User inside the
    # change would autoflush it half-made and count two versions for one change.
    acting_user_id = _user_id(user)
    before = snapshot(pledge)
    left_package = pledge.package_id
    # The data version's lock before reading what the pledge counts for, so an item's
    # category moved meanwhile (catalogue.update_item) is read as it is now.
    bump_data_version(session)
    delta: TotalsDelta = {}
    add_contribution(session, delta, pledge, -1)
    try:
        with session.begin_nested():
            mutate(pledge)
            if not session.is_modified(pledge):
                return pledge
            pledge.updated_by_id = acting_user_id
            prepare_money(session, pledge)
            session.flush()
            packages = (left_package, pledge.package_id)
            sync_package_money(session, delta, packages, written=pledge_id, user=user)
            add_contribution(session, delta, pledge, 1)
            apply_totals_delta(session, delta)
            record(
                session, action=action, entity=ENTITY, entity_id=pledge_id, before=before,
                after=snapshot(pledge), user=user, version=pledge.version, note=note,
            )  # fmt: skip
    except StaleDataError:
        raise _conflict(session, pledge_id, expected_version) from None
    return pledge


def create_pledge(
    session: Session,
    data: PledgeInput,
    *,
    user: User | None = None,
    announcing: Report | None = None,
) -> Pledge:
    """Check `data`, store a new pledge with the report that announces it, count it in the
    totals and audit it. `announcing` is an existing report to move onto the new pledge as
    its announcement (a split) instead of a new one."""
    delta: TotalsDelta = {}
    with session.begin_nested():
        (pledge,) = insert_pledges(session, [data], user=user)
        sync_package_money(session, delta, (pledge.package_id,), written=pledge.id, user=user)
        if announcing is None:
            announcing = announcing_report(pledge)
            session.add(announcing)
        announcing.pledge_id, announcing.role = pledge.id, "announces"
        apply_totals_delta(session, delta)
        count_new_pledges(session, [pledge])
        record(session, **created_event(pledge, user))
    return pledge


def insert_pledges(
    session: Session, inputs: Sequence[PledgeInput], *, user: User | None = None
) -> list[Pledge]:
    """Check each input and insert the new pledges in one flush, in order; their reports,
    totals and audit events are the caller's (see `create_pledge`, the article import)."""
    checked = [check_input(session, data) for data in inputs]
    # The data version's lock before `prepare_money` reads the other pledges of a package,
    # as `change_pledge` takes it: a writer stating a package's total waits for one doing
    # the same, then sees its total and is refused by the rule, not by the unique index.
    bump_data_version(session)
    pledges = []
    for data in checked:
        pledge = Pledge()
        apply_input(pledge, data)
        pledge.created_by_id = pledge.updated_by_id = _user_id(user)
        prepare_money(session, pledge)
        pledges.append(pledge)
    session.add_all(pledges)
    session.flush()
    return pledges


def announcing_report(pledge: Pledge) -> Report:
    """The report of the source that announces a new pledge (not added to the session)."""
    return Report(
        pledge_id=pledge.id, role="announces", source_id=pledge.source_id,
        evidence_id=pledge.evidence_id, reported_on=pledge.announced,
        created_by_id=pledge.created_by_id,
    )  # fmt: skip


def count_new_pledges(session: Session, pledges: Sequence[Pledge]) -> None:
    """Add what new pledges count for to the totals rollup, in one upsert."""
    delta: TotalsDelta = {}
    add_contributions(session, delta, pledges, 1)
    apply_totals_delta(session, delta)


def created_event(pledge: Pledge, user: User | None) -> dict[str, Any]:
    """The audit details of a new pledge (for `record` or `audit_event`)."""
    return {
        "action": "create", "entity": ENTITY, "entity_id": pledge.id, "before": None,
        "after": snapshot(pledge), "user": user, "version": pledge.version,
    }  # fmt: skip


def update_pledge(
    session: Session,
    pledge_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int,
    user: User | None = None,
    note: str | None = None,
) -> Pledge:
    """Change the named fields of a pledge edited from `expected_version`.

    Changing the item without naming a kind or unit takes the new item's. Fields not in
    `changes` keep their values; derived values are recomputed.
    """
    for name in changes:
        if name not in INPUT_FIELDS:
            raise PledgeError(name, f"{name!r} is not a pledge field that can be changed")
    pledge = _load(session, pledge_id)
    check_version(session, pledge, expected_version)
    if pledge.deleted_at is not None:
        raise PledgeError(None, f"pledge {pledge_id} is deleted: restore it before editing")
    overrides = dict(changes)
    if "item_id" in changes and changes["item_id"] != pledge.item_id:
        overrides.setdefault("kind", None)
        overrides.setdefault("unit", None)
    if "announced" in changes and changes["announced"] is None:
        overrides.setdefault("announced_precision", None)  # no day, nothing to be precise about
    checked = check_input(
        session, replace(input_from_pledge(pledge), **overrides), pledge_id=pledge_id
    )
    check_stage_figures_kept(pledge, checked)
    old_amount, old_quantity = pledge.amount, pledge.quantity
    promise = (pledge.quantity, pledge.amount, pledge.qualifier, pledge.announced)
    # Read before the change: loading it inside would autoflush a half-made edit.
    evidence = session.get(Evidence, checked.evidence_id) if checked.evidence_id else None
    sentence = evidence.text if evidence is not None else None

    def edit(p: Pledge) -> None:
        """Apply the checked input; a number moved off its evidence sentence is flagged, and
        so is a promise or day moved past the allocations and deliveries recorded."""
        apply_input(p, checked)
        flag_numbers_off_evidence(p, sentence, old_amount, old_quantity)
        if (p.quantity, p.amount, p.qualifier, p.announced) != promise:
            p.review_flag = without_notes(p.review_flag, is_stage_note)
            for note in stage_notes(p):
                p.review_flag = with_flag(p.review_flag, note)

    return change_pledge(
        session, pledge, edit, action="update", user=user, expected_version=expected_version,
        note=note,
    )  # fmt: skip


STAGES_WITH_FIGURES = ("allocated", "delivered")


def check_stage_figures_kept(pledge: Pledge, checked: PledgeInput) -> None:
    """Refuse an edit that leaves the pledge's recorded allocations or deliveries in another
    figure than its own: they are counted in its unit or currency, so a pledge that has
    them keeps a quantity in that unit, or an amount in that currency; and a stage moved
    by the edit is not behind them (cancelled stays possible)."""
    recorded = {
        figure: [s for s in STAGES_WITH_FIGURES if getattr(pledge, f"{s}_{figure}") is not None]
        for figure in ("quantity", "amount")
    }
    reached = [s for s in STAGES_WITH_FIGURES if s in recorded["quantity"] + recorded["amount"]]
    if (
        reached
        and checked.stage != pledge.stage
        and checked.stage in STAGES[: STAGES.index(reached[-1])]
    ):
        raise PledgeError(
            "stage",
            f"pledge {pledge.id} has {reached[-1]} figures recorded: its stage is "
            f"{reached[-1]}, or cancelled (undo or split off those reports to move it back)",
        )
    for figure, field, kept, measure in (
        ("quantity", "quantity", checked.unit == pledge.unit, pledge.unit or "units"),
        ("amount", "currency", checked.currency == pledge.currency, pledge.currency),
    ):
        if recorded[figure] and (getattr(checked, figure) is None or not kept):
            raise PledgeError(
                field,
                f"pledge {pledge.id} has {' and '.join(recorded[figure])} figures in {measure}: "
                f"it keeps {'a quantity' if figure == 'quantity' else 'an amount'} in "
                f"{measure} (undo or split off those reports to change it)",
            )


def review_pledge(
    session: Session,
    pledge_id: int,
    *,
    accept: bool,
    expected_version: int,
    user: User | None = None,
) -> Pledge:
    """Accept an imported pledge (it becomes reviewed) or reject it (soft delete).

    Rejecting a pledge already reviewed takes an admin (ReviewError, see services.review).
    """
    pledge = _load(session, pledge_id)
    check_version(session, pledge, expected_version)
    if pledge.deleted_at is not None:
        raise PledgeError(None, f"pledge {pledge_id} is deleted: restore it before reviewing")
    if not accept:
        require_may_reject(pledge, user)

    def decide(p: Pledge) -> None:
        """Mark reviewed, or take the pledge out of the totals."""
        if accept:
            p.reviewed = True
        else:
            p.deleted_at = utcnow()

    return change_pledge(
        session, pledge, decide, action="review", user=user, expected_version=expected_version,
        note="accepted" if accept else "rejected",
    )  # fmt: skip


def delete_pledge(
    session: Session, pledge_id: int, *, expected_version: int, user: User | None = None
) -> Pledge:
    """Soft-delete a pledge: it leaves the totals and stays in the audit, restorable."""
    pledge = _load(session, pledge_id)
    check_version(session, pledge, expected_version)
    if pledge.deleted_at is not None:
        raise PledgeError(None, f"pledge {pledge_id} is already deleted")

    def remove(p: Pledge) -> None:
        """Mark deleted now."""
        p.deleted_at = utcnow()

    return change_pledge(
        session, pledge, remove, action="delete", user=user, expected_version=expected_version
    )


def restore_pledge(session: Session, pledge_id: int, *, user: User | None = None) -> Pledge:
    """Bring a soft-deleted pledge back into the totals."""
    pledge = _load(session, pledge_id)
    if pledge.deleted_at is None:
        raise PledgeError(None, f"pledge {pledge_id} is not deleted")
    announces = select(Report.id).where(Report.pledge_id == pledge.id, Report.role == "announces")
    if pledge.duplicate_of_id is not None and session.scalar(announces.limit(1)) is None:
        raise PledgeError(
            None, f"pledge {pledge_id} was linked to pledge {pledge.duplicate_of_id}, which "
            "holds its reports now: unlink it to bring it back",
        )  # fmt: skip

    def undelete(p: Pledge) -> None:
        """Clear the deletion mark."""
        p.deleted_at = None

    return change_pledge(
        session, pledge, undelete, action="restore", user=user, expected_version=pledge.version
    )


def rederive_pledge(
    session: Session, pledge_id: int, *, note: str, user: User | None = None
) -> Pledge:
    """Derive a pledge's bounds, EUR and USD values and review flag again from its stated
    figures, at the rates in use now (after newer ECB rates were loaded); deleted pledges
    too, so a restored one comes back converted. Audited as an update with `note`."""
    pledge = _load(session, pledge_id)
    return change_pledge(
        session, pledge, set_derived_numbers, action="update", user=user,
        expected_version=pledge.version, note=note,
    )  # fmt: skip


def _input_value(name: str, value: Any) -> Any:
    """A snapshot's JSON value turned back into what PledgeInput holds."""
    if value is None:
        return None
    if name in DECIMAL_FIELDS:
        return Decimal(value)
    if name == "announced":
        return date.fromisoformat(value)
    return value


def restore_version(
    session: Session,
    pledge_id: int,
    audit_event_id: int,
    *,
    expected_version: int,
    user: User | None = None,
) -> Pledge:
    """Set the fields back to those recorded after an earlier audit event, as a new update."""
    event = session.get(AuditEvent, audit_event_id)
    if event is None or event.entity != ENTITY or event.entity_id != pledge_id:
        raise PledgeError(
            None, f"audit event {audit_event_id} is not a change of pledge {pledge_id}"
        )
    values = event.after or event.before
    if not values:
        raise PledgeError(None, f"audit event {audit_event_id} records no field values")
    changes = {name: _input_value(name, values.get(name)) for name in INPUT_FIELDS}
    note = f"restored the values of version {event.version} (audit event {event.id})"
    return update_pledge(
        session, pledge_id, changes, expected_version=expected_version, user=user, note=note
    )


# --- lookups for pickers and imports -------------------------------------------


def find_donor(session: Session, text: str) -> Donor | None:
    """The donor called `text` or known by it as an alias, ignoring case and spacing."""
    key = alias_key(text or "")
    if not key:
        return None
    by_alias = select(Donor).join(DonorAlias, DonorAlias.donor_id == Donor.id)
    donor = session.scalars(by_alias.where(DonorAlias.key == key)).first()
    if donor is None:
        donor = session.scalars(select(Donor).where(func.lower(Donor.name) == key)).first()
    return donor


def find_item(session: Session, text: str) -> Item | None:
    """The catalogue item called `text` (case-insensitive; singular or plural)."""
    key = alias_key(text or "")
    if not key:
        return None
    for name in (key, key + "s", key.removesuffix("s")):
        item = session.scalars(select(Item).where(func.lower(Item.name) == name)).first()
        if item is not None:
            return item
    return None


def find_recipient(session: Session, text: str) -> Recipient | None:
    """The recipient called `text` or with that ISO code, ignoring case."""
    key = alias_key(text or "")
    if not key:
        return None
    query = select(Recipient).where(
        (func.lower(Recipient.name) == key) | (Recipient.iso_code == key.upper())
    )
    return session.scalars(query).first()

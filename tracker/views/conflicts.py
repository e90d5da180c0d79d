"""The two versions of a pledge in an edit conflict, field by field, for the 409 page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import select
from wtforms import BooleanField

from tracker.forms.pledge import PledgeForm
from tracker.models import AuditEvent
from tracker.services.audit import snapshot
from tracker.services.audit_log import QUIET_FIELDS
from tracker.services.pledges import EditConflict
from tracker.views import pledge_form_io as io
from tracker.views.database import db_session

# Form fields that are not the pledge's values: the form's own, and the confirmations of
# an unusual entry, which the stored pledge does not keep.
NOT_COMPARED = frozenset({"csrf_token", "version", "zero_confirmed", "repeat_confirmed"})
# Snapshot fields that are bookkeeping or derived, not what an analyst typed.
HIDDEN_SNAPSHOT_FIELDS = QUIET_FIELDS
# A field every snapshot of a pledge holds (`audit.snapshot`), and no note of a report does
SNAPSHOT_MARK = "donor_id"


@dataclass(frozen=True)
class ComparedField:
    """One field as the refused edit had it and as it is stored now."""

    label: str
    yours: str
    stored: str

    @property
    def differs(self) -> bool:
        """Whether the two versions disagree on this field."""
        return self.yours != self.stored


def text_of(value: Any) -> str:
    """A value as shown on the page (empty for nothing)."""
    return "" if value is None else str(value)


def form_comparison(conflict: EditConflict) -> list[ComparedField]:
    """The submitted edit form beside the stored pledge, with the form's labels; a tick box
    reads yes or no on both sides (a box left unticked is not sent at all)."""
    stored = PledgeForm(formdata=None, meta={"csrf": False})
    io.prepare(stored, db_session())
    io.fill_from_pledge(stored, conflict.current)
    rows = []
    for field in stored:
        if field.name in NOT_COMPARED:
            continue
        yours = request.form.get(field.name, "")
        stored_value = field.data
        if isinstance(field, BooleanField):
            ticked = yours.lower() not in ("", *map(str, field.false_values))
            yours, stored_value = ("yes" if ticked else "no"), ("yes" if field.data else "no")
        elif hasattr(field, "iter_choices"):
            labels = {str(choice[0]): str(choice[1]) for choice in field.iter_choices()}
            yours = labels.get(yours, yours)
            stored_value = labels.get(text_of(stored_value), stored_value)
        rows.append(ComparedField(str(field.label.text), text_of(yours), text_of(stored_value)))
    return rows


def version_comparison(conflict: EditConflict) -> list[ComparedField]:
    """The version the refused write was based on (from the audit: the newest event of that
    version holding the pledge's fields; a report recorded on the pledge, a corroboration,
    leaves the version as it was and notes only the report) beside the stored one."""
    events = db_session().scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "pledge",
            AuditEvent.entity_id == conflict.current.id,
            AuditEvent.version == conflict.expected_version,
        )
        .order_by(AuditEvent.id.desc())
    )
    now = snapshot(conflict.current)
    before = next((e.after for e in events if e.after and SNAPSHOT_MARK in e.after), {})
    return [
        ComparedField(name.replace("_", " "), text_of(before.get(name)), text_of(now.get(name)))
        for name in sorted(now)
        if name not in HIDDEN_SNAPSHOT_FIELDS
    ]


def compared_fields(conflict: EditConflict) -> tuple[str, list[ComparedField]]:
    """What the refused write is compared with the stored pledge by, and the rows.

    An edit form is shown as submitted; other writes (review, restore, the API)
    are shown as the version they were based on.
    """
    if request.method == "POST" and "donor" in request.form and "item" in request.form:
        return "Your edit (not saved)", form_comparison(conflict)
    return f"Version {conflict.expected_version} (yours)", version_comparison(conflict)

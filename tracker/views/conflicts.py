"""The two versions of a pledge in an edit conflict, field by field, for the 409 page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import BooleanField, Field

from tracker.forms.pledge import PledgeForm
from tracker.models import AuditEvent, Donor, Item, Pledge, Source
from tracker.services.pledges import EditConflict
from tracker.views import pledge_form_io as io
from tracker.views.database import db_session

# Form fields that are not the pledge's values: the form's own, and the confirmations of
# an unusual entry, which the stored pledge does not keep.
NOT_COMPARED = frozenset({"csrf_token", "version", "zero_confirmed", "repeat_confirmed"})
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


@dataclass(frozen=True)
class PastPledge:
    """A pledge's fields as an audit snapshot holds them, read back as the edit form shows a
    stored pledge (`pledge_form_io.fill_from_pledge`): its donor, item and source as rows,
    its numbers as Decimals, its day as a date."""

    donor: Donor
    recipient_id: int
    kind: str
    item: Item
    item_text: str | None
    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    qualifier_text: str | None
    announced: date | None
    announced_precision: str | None
    stage: str
    source: Source | None
    notes: str | None
    reviewed: bool
    version: int

    @classmethod
    def of(cls, session: Session, fields: dict[str, Any]) -> PastPledge | None:
        """The pledge a snapshot (`audit.snapshot`) holds; None when its donor or item is
        gone from the catalogue."""
        donor, item = session.get(Donor, fields["donor_id"]), session.get(Item, fields["item_id"])
        if donor is None or item is None:
            return None
        source_id = fields.get("source_id")
        number = partial(_stored, Decimal)
        return cls(
            donor=donor, recipient_id=fields["recipient_id"], kind=fields["kind"], item=item,
            item_text=fields.get("item_text"), quantity=number(fields.get("quantity")),
            amount=number(fields.get("amount")), currency=fields.get("currency"),
            qualifier=fields["qualifier"], qualifier_text=fields.get("qualifier_text"),
            announced=_stored(date.fromisoformat, fields.get("announced")),
            announced_precision=fields.get("announced_precision"), stage=fields["stage"],
            source=session.get(Source, source_id) if source_id is not None else None,
            notes=fields.get("notes"), reviewed=bool(fields.get("reviewed")),
            version=fields["version"],
        )  # fmt: skip


def _stored(read: Callable[[str], Any], text: str | None) -> Any:
    """A snapshot's text read back (`read`), None for none."""
    return None if text is None else read(text)


def form_showing(pledge: Pledge | PastPledge) -> PledgeForm:
    """The edit form filled with a pledge, stored or past, as the analyst would see it."""
    form = PledgeForm(formdata=None, meta={"csrf": False})
    io.prepare(form, db_session())
    io.fill_from_pledge(form, pledge)
    return form


def compared(form: PledgeForm) -> Iterator[Field]:
    """The fields of the form an analyst edits, in the form's order."""
    return (field for field in form if field.name not in NOT_COMPARED)


def shown(field: Field, value: Any) -> str:
    """A field's value as the analyst reads it: a choice by its label, a tick box yes or
    no, anything else as typed."""
    if isinstance(field, BooleanField):
        return "yes" if value else "no"
    if hasattr(field, "iter_choices"):
        labels = {str(choice[0]): str(choice[1]) for choice in field.iter_choices()}
        return labels.get(text_of(value), text_of(value))
    return text_of(value)


def form_comparison(conflict: EditConflict) -> list[ComparedField]:
    """The submitted edit form beside the stored pledge, with the form's labels; a tick box
    reads yes or no on both sides (a box left unticked is not sent at all)."""
    rows = []
    for field in compared(form_showing(conflict.current)):
        yours: Any = request.form.get(field.name, "")
        if isinstance(field, BooleanField):
            yours = yours.lower() not in ("", *map(str, field.false_values))
        label = str(field.label.text)
        rows.append(ComparedField(label, shown(field, yours), shown(field, field.data)))
    return rows


def version_comparison(conflict: EditConflict) -> list[ComparedField]:
    """The version the refused write was based on (from the audit: the newest event of that
    version holding the pledge's fields; a report recorded on the pledge, a corroboration,
    leaves the version as it was and notes only the report) beside the stored one, as the
    edit form shows them: its labels and values, its fields only. Nothing when the audit
    does not hold that version."""
    session = db_session()
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "pledge",
            AuditEvent.entity_id == conflict.current.id,
            AuditEvent.version == conflict.expected_version,
        )
        .order_by(AuditEvent.id.desc())
    )
    before = next((e.after for e in events if e.after and SNAPSHOT_MARK in e.after), None)
    past = PastPledge.of(session, before) if before is not None else None
    if past is None:
        return []
    now = form_showing(conflict.current)
    return [
        ComparedField(
            str(field.label.text), shown(field, field.data), shown(now_field, now_field.data)
        )
        for field, now_field in zip(compared(form_showing(past)), compared(now), strict=True)
    ]


def compared_fields(conflict: EditConflict) -> tuple[str, list[ComparedField]]:
    """What the refused write is compared with the stored pledge by, and the rows.

    An edit form is shown as submitted; other writes (review, restore, the API)
    are shown as the version they were based on.
    """
    if request.method == "POST" and "donor" in request.form and "item" in request.form:
        return "Your edit (not saved)", form_comparison(conflict)
    return f"Version {conflict.expected_version} (yours)", version_comparison(conflict)

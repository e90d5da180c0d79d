"""The dashboard filters, read from the query string so a view can be bookmarked and shared.

Parameter names are the ones the export and API routes read: `from`, `to`,
`donor`, `group`, `kind`, `stage`, `recipient`, `reviewed` (plus `cur`, the
display currency, which only the dashboard uses). The same query string drives
the CSV export links: `canonical_args` gives the
filters back with the donor resolved to its id, ready to append to any URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from tracker.models import Donor, Recipient
from tracker.reference import KINDS, STAGES
from tracker.services.pledges import find_donor
from tracker.services.totals import TotalsFilter
from tracker.views.filters import filters_from_args

CURRENCIES_SHOWN = ("EUR", "USD")


class FilterForm(Form):
    """Date range, donor, donor group, kind, stage, recipient, reviewed only, display currency."""

    start = DateField("From", validators=[Optional()], name="from")
    end = DateField("To", validators=[Optional()], name="to")
    donor = StringField("Donor", validators=[Optional()])
    group = SelectField("Donor group", validate_choice=False, default="")
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "any kind"), *[SelectChoice(k) for k in KINDS]],
        default="",
    )
    stage = SelectField(
        "Stage",
        choices=[SelectChoice("", "any stage"), *[SelectChoice(s) for s in STAGES]],
        default="",
    )
    recipient = SelectField("Recipient", validate_choice=False, default="")
    reviewed = BooleanField("Reviewed only")
    cur = SelectField("Show in", choices=[SelectChoice(c) for c in CURRENCIES_SHOWN], default="EUR")


@dataclass
class DashboardFilters:
    """The parsed filters: the service filter, the form to redisplay, and the canonical args."""

    totals_filter: TotalsFilter
    form: FilterForm
    args: dict[str, str] = field(default_factory=dict)
    currency: str = "EUR"
    donor: Donor | None = None


FilterChoices = tuple[list[tuple[int, str]], list[tuple[int, str]]]
"""(groups, recipients) as (id, name) pairs in name order."""


def load_filter_choices(session: Session) -> FilterChoices:
    """The donor groups and recipients the form offers, from the database."""
    groups = session.execute(
        select(Donor.id, Donor.name).where(Donor.kind == "group").order_by(Donor.name)
    )
    recipients = session.execute(select(Recipient.id, Recipient.name).order_by(Recipient.name))
    return [(g.id, g.name) for g in groups], [(r.id, r.name) for r in recipients]


def _choices(form: FilterForm, choices: FilterChoices) -> None:
    """Fill the group and recipient choices."""
    groups, recipients = choices
    form.group.choices = [
        SelectChoice("", "any group"),
        *[SelectChoice(str(group_id), name) for group_id, name in groups],
    ]
    form.recipient.choices = [
        SelectChoice("", "any recipient"),
        *[SelectChoice(str(recipient_id), name) for recipient_id, name in recipients],
    ]


def _values(field: SelectField) -> set[str]:
    """The values a select field offers."""
    return {choice.value for choice in field.choices or []}  # type: ignore[union-attr]


def _int_or_none(text: str | None) -> int | None:
    """A positive id from query text, or None."""
    return int(text) if text and text.isdigit() else None


def _resolve_donor(session: Session, text: str) -> Donor | None:
    """A donor from its id or any of its names."""
    if text.isdigit():
        return session.get(Donor, int(text))
    return find_donor(session, text)


def parse_filters(
    session: Session, query: MultiDict[str, str], *, choices: FilterChoices | None = None
) -> DashboardFilters:
    """Read the filters from the query string; unknown or malformed values become form errors
    and are left out of the filter, so a bad bookmark still shows a page. `choices` (groups,
    recipients) saves reading them from the database again."""
    form = FilterForm(query)
    _choices(form, choices if choices is not None else load_filter_choices(session))
    form.validate()
    args: dict[str, str] = {}
    start: date | None = None if form.start.errors else form.start.data
    end: date | None = None if form.end.errors else form.end.data
    if start and end and start > end:
        form.end.errors = [*form.end.errors, "The end date is before the start date."]
        end = None
    if start:
        args["from"] = start.isoformat()
    if end:
        args["to"] = end.isoformat()

    donor = None
    donor_text = (form.donor.data or "").strip()
    if donor_text:
        donor = _resolve_donor(session, donor_text)
        if donor is None:
            form.donor.errors = [*form.donor.errors, f"No donor is known as {donor_text!r}."]
        else:
            form.donor.data = donor.name
            args["donor"] = str(donor.id)

    group_id = _int_or_none(form.group.data)
    if group_id is not None and str(group_id) not in _values(form.group):
        form.group.errors = [*form.group.errors, "No such donor group."]
        group_id = None
    recipient_id = _int_or_none(form.recipient.data)
    if recipient_id is not None and str(recipient_id) not in _values(form.recipient):
        form.recipient.errors = [*form.recipient.errors, "No such recipient."]
        recipient_id = None
    kind = form.kind.data if form.kind.data in KINDS else None
    stage = form.stage.data if form.stage.data in STAGES else None
    for name, value in (("group", group_id), ("recipient", recipient_id)):
        if value is not None:
            args[name] = str(value)
    for name, text in (("kind", kind), ("stage", stage)):
        if text:
            args[name] = text
    if form.reviewed.data:
        args["reviewed"] = "1"
    currency = form.cur.data if form.cur.data in CURRENCIES_SHOWN else "EUR"

    # The page and its export links read the same canonical arguments the same way.
    totals_filter = filters_from_args(args, session)
    return DashboardFilters(totals_filter, form, args, currency, donor)

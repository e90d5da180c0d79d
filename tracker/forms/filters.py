"""The filter form shown on the dashboard and the pledge list, read from the query string so
a view can be bookmarked and shared.

The form only redisplays: the values are read by the one parser
(tracker.services.filter_args), the one the exports, the API and the CLI use, and
a value it refuses becomes an error beside its field (the page answers 400).
`cur`, the display currency, is the dashboard's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from tracker.models import Donor, ItemCategory, Recipient
from tracker.reference import KINDS, STAGES
from tracker.services.filter_args import FilterError, ParsedFilters, parse_filter_args
from tracker.services.totals import TotalsFilter

CURRENCIES_SHOWN = ("EUR", "USD")


class FilterForm(Form):
    """Every filter of the vocabulary, with a visible label each, plus the display currency."""

    start = DateField("From", validators=[Optional()], name="from")
    end = DateField("To", validators=[Optional()], name="to")
    donor = StringField("Donor", validators=[Optional()])
    group = SelectField("Donor group", validate_choice=False, default="")
    recipient = SelectField("Recipient", validate_choice=False, default="")
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
    item = StringField("Item", validators=[Optional()])
    category = SelectField("Category", validate_choice=False, default="")
    source = StringField("Source id", validators=[Optional()])
    reviewed = SelectField(
        "Reviewed",
        choices=[
            SelectChoice("", "reviewed or not"),
            SelectChoice("1", "reviewed only"),
            SelectChoice("0", "unreviewed only"),
        ],
        default="",
    )
    q = SearchField("Text", validators=[Optional()])
    cur = SelectField("Show in", choices=[SelectChoice(c) for c in CURRENCIES_SHOWN], default="EUR")


FilterChoices = tuple[list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]]]
"""(groups, recipients, categories) as (id, name) pairs in name order."""


@dataclass
class DashboardFilters:
    """The parsed filters, the form to redisplay, and the canonical args (empty on error)."""

    parsed: ParsedFilters
    form: FilterForm
    currency: str = "EUR"
    error: FilterError | None = None
    labels: dict[str, list[str]] = field(default_factory=dict)

    @property
    def totals_filter(self) -> TotalsFilter:
        """The service filter."""
        return self.parsed.filter

    @property
    def args(self) -> dict[str, str | list[str]]:
        """The canonical arguments, for `url_for`."""
        return self.parsed.arg_dict()

    @property
    def query(self) -> str:
        """The canonical arguments as a query string (no leading "?")."""
        return urlencode(self.parsed.args)


def load_filter_choices(session: Session) -> FilterChoices:
    """The donor groups, recipients and item categories the form offers."""
    groups = session.execute(
        select(Donor.id, Donor.name).where(Donor.kind == "group").order_by(Donor.name)
    )
    recipients = session.execute(select(Recipient.id, Recipient.name).order_by(Recipient.name))
    categories = session.execute(select(ItemCategory.id, ItemCategory.name).order_by("name"))
    return (
        [(g.id, g.name) for g in groups],
        [(r.id, r.name) for r in recipients],
        [(c.id, c.name) for c in categories],
    )


def _choices(form: FilterForm, choices: FilterChoices) -> None:
    """Fill the group, recipient and category choices."""
    groups, recipients, categories = choices
    for select_field, empty, pairs in (
        (form.group, "any group", groups),
        (form.recipient, "any recipient", recipients),
        (form.category, "any category", categories),
    ):
        select_field.choices = [
            SelectChoice("", empty),
            *[SelectChoice(str(row_id), name) for row_id, name in pairs],
        ]


def parse_filters(
    session: Session, query: MultiDict[str, str], *, choices: FilterChoices | None = None
) -> DashboardFilters:
    """Read the filters from the query string with the one parser. A refused value is set
    as its field's error and `error` is kept (the page answers 400, filtering nothing)."""
    form = FilterForm(query)
    _choices(form, choices if choices is not None else load_filter_choices(session))
    asked = (query.get("cur") or "").strip()
    currency = asked.upper() or "EUR"
    form.cur.data = currency
    try:
        if currency not in CURRENCIES_SHOWN:
            raise FilterError("cur", f"cur={asked!r} is not one of: {', '.join(CURRENCIES_SHOWN)}")
        parsed = parse_filter_args(query, session)
    except FilterError as error:
        names = {"from": "start", "to": "end"}
        bad = getattr(form, names.get(error.field, error.field), None)
        if bad is not None:
            bad.errors = [*bad.errors, str(error)]
        shown = currency if currency in CURRENCIES_SHOWN else "EUR"
        return DashboardFilters(ParsedFilters(TotalsFilter()), form, shown, error)
    if parsed.filter.donor_ids:
        form.donor.data = parsed.labels["donor"][0]
    if parsed.filter.item_id is not None:
        form.item.data = parsed.labels["item"][0]
    return DashboardFilters(parsed, form, currency, None, parsed.labels)

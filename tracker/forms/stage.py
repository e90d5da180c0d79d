"""Recording an allocation or delivery from the pledge page, the duplicate decisions and
the pledge's package: shape checks only; tracker.services.reports, .duplicates and
.packages apply the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from tracker.forms.choices import ChoiceField
from tracker.forms.pledge import parse_number, source_url_field
from tracker.models._types import utcnow
from tracker.services.entry_checks import mistyped_day
from tracker.views.hardening import MAX_WHOLE_NUMBER

STAGE_DECISIONS = ("corroborates", "adds")


class StageForm(FlaskForm):
    """An allocation or a delivery of a pledge, as of the version the analyst saw."""

    stage = ChoiceField(
        "Stage",
        choices=[SelectChoice("delivered"), SelectChoice("allocated")],
        default="delivered",
    )
    quantity = StringField("Quantity", validators=[Optional(), Length(max=40)])
    amount = StringField("Amount", validators=[Optional(), Length(max=40)])
    currency = StringField("Currency", validators=[Optional(), Length(max=3)])
    reported_on = DateField("Date", validators=[Optional()])
    source_url = source_url_field()
    version = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]+$")])
    # The analyst's answer when the figure repeats a stage report (the page asks): the
    # report it repeats, and whether it corroborates that report or adds to the figure.
    repeats = HiddenField(validators=[Optional(), Regexp(r"^[0-9]+$")])
    decision = StringField(validators=[Optional(), AnyOf(STAGE_DECISIONS)])

    def validate_decision(self, field: StringField) -> None:
        """A corroboration names the report it corroborates."""
        if field.data == "corroborates" and not (self.repeats.data or "").strip():
            raise ValidationError("Say which report this figure corroborates: record it again.")

    def validate_quantity(self, field: StringField) -> None:
        """A quantity is a number of at most three decimals; one of quantity or amount. A
        negative one is refused by the stage rules (`reports.record_stage`), which say what
        to do in the words of every path."""
        parse_number(field.data, field="quantity", money=False, allow_negative=True)
        if not (field.data or "").strip() and not (self.amount.data or "").strip():
            raise ValidationError("Enter the quantity or the amount allocated or delivered.")

    def validate_amount(self, field: StringField) -> None:
        """An amount is a number of at most two decimals (a negative one: as a quantity)."""
        parse_number(field.data, field="amount", money=True, allow_negative=True)

    def validate_reported_on(self, field: DateField) -> None:
        """Not before 1900 nor more than a year ahead (a mistyped year)."""
        problem = mistyped_day("date", field.data, today=utcnow().date()) if field.data else None
        if problem is not None:
            raise ValidationError(problem)


def number_in_range(what: str, text: str | None) -> None:
    """A typed "#N" names a row only when N fits a database integer (like an id in a URL);
    a larger N is refused here, before the database is asked for it."""
    digits = (text or "").strip().lstrip("#")
    if digits.isdigit() and int(digits) > MAX_WHOLE_NUMBER:
        raise ValidationError(f"There is no {what} {digits}.")


class DecisionForm(FlaskForm):
    """A CSRF-protected button: link, split, keep separate or undo."""

    target = StringField("Pledge", validators=[Optional(), Regexp(r"^#?[0-9]+$")])

    def validate_target(self, field: StringField) -> None:
        """The pledge number names a pledge a database can hold."""
        number_in_range("pledge", field.data)


class PackageForm(FlaskForm):
    """A pledge's package (a package number, "new", or blank for none) and whether the
    pledge is its stated total, as of the version the analyst saw."""

    package = StringField(
        "Package",
        validators=[
            Optional(),
            Regexp(r"^\s*(#?[0-9]+|new)\s*$", message='Give a package number, "new" or nothing.'),
        ],
    )
    stated_total = BooleanField("Stated total of its package")
    version = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]+$")])

    def validate_package(self, field: StringField) -> None:
        """The package number names a package a database can hold."""
        number_in_range("package", field.data)

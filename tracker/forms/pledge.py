"""The pledge form (new and edit): shape checks only; the pledge service applies the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from tracker.forms.choices import ChoiceField
from tracker.limits import PLEDGE_TEXT_LIMITS, SOURCE_TEXT_LIMITS
from tracker.money import MoneyError, parse_amount, parse_quantity
from tracker.rates import rate_table
from tracker.reference import KINDS, PRECISIONS, QUALIFIERS, STAGES
from tracker.services.entry_checks import current_currencies
from tracker.views.formatting import QUALIFIER_LABELS

COMMON_CURRENCIES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "JPY",
    "CAD",
    "AUD",
    "NOK",
    "SEK",
    "DKK",
    "PLN",
    "CZK",
)


def currency_choices() -> list[tuple[str, str]]:
    """No currency (an item pledge), the common currencies first, then the rest of the
    current ISO 4217 list; those the ECB publishes no rate for are marked unconverted."""
    published = rate_table().currencies
    others = [c for c in current_currencies() if c not in COMMON_CURRENCIES]
    return [
        ("", "— none (item pledge) —"),
        *[(c, c) for c in COMMON_CURRENCIES],
        *[(c, c if c in published else f"{c} (no ECB rate: shown unconverted)") for c in others],
    ]


def parse_number(
    text: str | None, *, field: str, money: bool, allow_negative: bool = False
) -> Decimal | None:
    """An amount or quantity typed in the form ("5,000", "283000000"), or None when blank;
    below 0 only where `allow_negative` (the rules of a service then say whether it may)."""
    if text is None or not text.strip():
        return None
    read = parse_amount if money else parse_quantity
    try:
        return read(text, field=field, allow_negative=allow_negative)
    except MoneyError as error:
        raise ValidationError(str(error)) from error


def source_url_field(label: str = "Source URL") -> StringField:
    """The field for a source's URL, optional: an http(s) URL no longer than the source's
    column holds (a pledge's, an allocation's or delivery's, an article's)."""
    limit = Length(max=SOURCE_TEXT_LIMITS["url"])
    return StringField(label, validators=[Optional(), URL(require_tld=False), limit])


class PledgeForm(FlaskForm):
    """Every field of a pledge an analyst sets; labels are the ones the design names."""

    donor = StringField("Donor", validators=[DataRequired(), Length(max=200)])
    recipient = ChoiceField("Recipient", coerce=int, validators=[InputRequired()], noun="recipient")
    kind = ChoiceField(
        "Kind",
        choices=[SelectChoice("", "from the item's category"), *[SelectChoice(k) for k in KINDS]],
        default="",
    )
    item = StringField("Item", validators=[DataRequired(), Length(max=200)])
    item_text = StringField(
        "Item as worded", validators=[Optional(), Length(max=PLEDGE_TEXT_LIMITS["item_text"])]
    )
    quantity = StringField("Quantity", validators=[Optional(), Length(max=40)])
    amount = StringField("Amount", validators=[Optional(), Length(max=40)])
    currency = ChoiceField("Currency", choices=[], default="")
    qualifier = ChoiceField(
        "Qualifier",
        choices=[SelectChoice(q, QUALIFIER_LABELS[q]) for q in QUALIFIERS],
        default="exact",
    )
    qualifier_text = StringField(
        "Qualifier words", validators=[Optional(), Length(max=PLEDGE_TEXT_LIMITS["qualifier_text"])]
    )
    announced = DateField("Announced", validators=[Optional()])
    announced_precision = ChoiceField(
        "Date precision", choices=[SelectChoice(p) for p in PRECISIONS], default="day"
    )
    stage = ChoiceField("Stage", choices=[SelectChoice(s) for s in STAGES], default="announced")
    source_url = source_url_field()
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=PLEDGE_TEXT_LIMITS["notes"])])
    reviewed = BooleanField("Reviewed: I checked this pledge against its source")
    zero_confirmed = BooleanField("Yes, 0 is meant: a pledge of nothing")
    repeat_confirmed = BooleanField("Yes, a second pledge like an existing one")
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency.choices = currency_choices()

    def validate_quantity(self, field: StringField) -> None:
        """A quantity is a number of at most three decimals, zero or more."""
        parse_number(field.data, field="quantity", money=False)

    def validate_amount(self, field: StringField) -> None:
        """An amount is a number of at most two decimals, zero or more, with a currency."""
        value = parse_number(field.data, field="amount", money=True)
        if value is not None and not self.currency.data:
            raise ValidationError("Choose the currency of the amount.")

    def validate_currency(self, field: ChoiceField) -> None:
        """A currency only goes with an amount."""
        if field.data and not (self.amount.data or "").strip():
            raise ValidationError("A currency needs an amount; clear it or enter the amount.")

    def validate_qualifier(self, field: ChoiceField) -> None:
        """Without a number the qualifier is "unknown"; with one it is not."""
        has_number = bool((self.quantity.data or "").strip() or (self.amount.data or "").strip())
        if field.data == "unknown" and has_number:
            raise ValidationError('"unknown" means no number: clear the quantity and amount.')
        if field.data != "unknown" and not has_number:
            raise ValidationError('Enter a quantity or an amount, or choose "unknown (no number)".')

    @property
    def quantity_value(self) -> Decimal | None:
        """The parsed quantity (call after validation)."""
        return parse_number(self.quantity.data, field="quantity", money=False)

    @property
    def amount_value(self) -> Decimal | None:
        """The parsed amount (call after validation)."""
        return parse_number(self.amount.data, field="amount", money=True)

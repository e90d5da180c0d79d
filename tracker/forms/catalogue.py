"""The catalogue forms (donor and item, new and edit): shape checks only; the catalogue
service applies the rules across rows (unique names and aliases, groups, categories)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from tracker.forms.choices import ChoiceField, ChoicesField
from tracker.reference import DONOR_KINDS
from tracker.services.catalogue import DonorInput, ItemInput


def lines(text: str | None) -> list[str]:
    """The non-blank lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CheckboxesField(ChoicesField):
    """A multiple choice shown as a list of checkboxes (the template puts it in a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DonorForm(FlaskForm):
    """A donor's name, kind, ISO code, other names, groups and (for a group) members."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = ChoiceField("Kind", choices=[SelectChoice(k) for k in DONOR_KINDS], default="country")
    iso_code = StringField(
        "ISO code",
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z]{2}$", message="Two letters, e.g. GB."),
        ],
    )
    aliases = TextAreaField("Also known as", validators=[Optional(), Length(max=20_000)])
    groups = CheckboxesField("Member of", coerce=int, choices=[], noun="donor group")
    members = TextAreaField("Members", validators=[Optional(), Length(max=20_000)])

    def donor_input(self) -> DonorInput:
        """The donor as the form gives it (call after validation)."""
        return DonorInput(
            name=self.name.data or "",
            kind=self.kind.data,
            iso_code=self.iso_code.data or None,
            aliases=lines(self.aliases.data),
            groups=list(self.groups.data or ()),
            members=lines(self.members.data),
        )


class ItemForm(FlaskForm):
    """A catalogue item's name, category and unit."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    category = ChoiceField("Category", coerce=int, choices=[], noun="item category")
    unit = StringField("Unit", validators=[Optional(), Length(max=40)])
    plural_confirmed = BooleanField("Yes, another item than the one named in the other number")

    def item_input(self) -> ItemInput:
        """The item as the form gives it (call after validation)."""
        return ItemInput(
            name=self.name.data or "",
            category_id=self.category.data,
            unit=self.unit.data or None,
            plural_confirmed=bool(self.plural_confirmed.data),
        )

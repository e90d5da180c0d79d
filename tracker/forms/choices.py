"""Choice fields whose refusals say which field and what was wrong, in the project's words.

A value outside a field's choices (a hand-made request, a stale page, a row deleted since
the page was drawn) is refused with the field's label and the value: "Recipient: no
recipient with id 99", 'Kind: "weapons" is not one of military, financial, ...', never
WTForms' bare "Not a valid choice." Every form with choices uses these two fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from wtforms import SelectField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectFieldBase

LISTED_CHOICES = 12
"""Up to this many choices are listed in the message; past it the message only counts them."""


def refused_choice(field: SelectFieldBase, values: Iterable[object], noun: str | None) -> str:
    """Why `values` (as posted) are not among `field`'s choices: the label first, then each
    value and what was wrong with it. `noun` names what an id choice stands for."""
    label = field.label.text
    shown = [str(value).strip() for value in values]
    if not any(shown):
        return f"{label}: choose one of the offered choices."
    wrong = [value for value in shown if value]
    if noun is not None:
        problems = [
            f"no {noun} with id {value}" if value.isascii() and value.isdigit()
            else f'"{value}" is not an id (a whole number)'
            for value in wrong
        ]  # fmt: skip
        return f"{label}: {'; '.join(problems)}."
    offered = [str(choice.value) for choice in field._iter_choices_normalized() if choice.value]
    quoted = ", ".join(f'"{value}"' for value in wrong)
    verb = "is" if len(wrong) == 1 else "are"
    if len(offered) <= LISTED_CHOICES:
        return f"{label}: {quoted} {verb} not one of {', '.join(offered)}."
    return f"{label}: {quoted} {verb} not one of the {len(offered)} choices offered."


class NamedRefusals(SelectFieldBase):
    """What both choice fields share: `noun` (an id of what), and a refusal that names the
    field and the values, whether they could not be coerced or are not among the choices."""

    def __init__(self, *args: Any, noun: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.noun = noun

    def refused(self, posted: Sequence[object]) -> list[object]:
        """Which of the posted values are at fault."""
        raise NotImplementedError

    def process_formdata(self, valuelist: Sequence[str]) -> None:
        """Coerce the posted values; any that cannot be are refused in the project's words."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(refused_choice(self, self.refused(valuelist), self.noun)) from error

    def pre_validate(self, form: Any) -> None:
        """Values outside the choices are refused in the project's words."""
        try:
            super().pre_validate(form)
        except ValidationError as error:
            posted = self.raw_data or [self.data]
            raise ValidationError(refused_choice(self, self.refused(posted), self.noun)) from error


class ChoiceField(NamedRefusals, SelectField):
    """A select whose refusal names the field and the value (`noun`: an id of what)."""

    def refused(self, posted: Sequence[object]) -> list[object]:
        """The one value posted."""
        return list(posted[:1])


class ChoicesField(NamedRefusals, SelectMultipleField):
    """A multiple choice whose refusal names the field and the values not offered."""

    def refused(self, posted: Sequence[object]) -> list[object]:
        """The posted values that are not offered (all of them when they cannot be coerced)."""
        offered = {str(choice.value) for choice in self._iter_choices_normalized()}
        return [value for value in posted if str(value) not in offered] or list(posted)

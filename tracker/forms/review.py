"""The review queue's forms: one decision, a decision on many pledges, and undoing one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from tracker.forms.choices import ChoiceField
from tracker.services.review import MAX_REASON
from tracker.views.hardening import MAX_WHOLE_NUMBER

BULK_ACTIONS = ("accept-selected", "reject-selected", "accept-all", "reject-all")


class ReviewForm(FlaskForm):
    """One accept or reject decision about the version of a pledge the analyst saw."""

    version = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]+$")])
    reason = StringField("Reason", validators=[Optional(), Length(max=MAX_REASON)])


class BulkReviewForm(FlaskForm):
    """Accept or reject the ticked pledges ("id:version" each), or every pledge the queue's
    filter matches (the filter travels in hidden fields), with a reason."""

    pledge = SelectMultipleField("Pledges", validate_choice=False)
    action = ChoiceField(
        "Decision", choices=[SelectChoice(a) for a in BULK_ACTIONS], validators=[DataRequired()]
    )
    reason = StringField("Reason", validators=[Optional(), Length(max=MAX_REASON)])
    source = HiddenField()
    donor = HiddenField()
    kind = HiddenField()
    flag = HiddenField()

    def chosen_versions(self) -> dict[int, int] | None:
        """{pledge id: version seen} of the ticked boxes; None when one is malformed (not
        two whole numbers, or one past what a database integer holds)."""
        chosen = {}
        for value in self.pledge.data or []:
            pledge_id, _, version = str(value).partition(":")
            numbers = (pledge_id, version)
            if not all(n.isascii() and n.isdigit() and int(n) <= MAX_WHOLE_NUMBER for n in numbers):
                return None
            chosen[int(pledge_id)] = int(version)
        return chosen


class UndoDecisionForm(FlaskForm):
    """The undo button of one review decision (its CSRF token)."""

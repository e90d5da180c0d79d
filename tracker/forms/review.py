"""The accept/reject buttons of the review queue: a CSRF token and the version reviewed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp


class ReviewForm(FlaskForm):
    """One accept or reject decision about the version of a pledge the analyst saw."""

    version = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]+$")])

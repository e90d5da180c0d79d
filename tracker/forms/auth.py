"""Forms for signing in and out."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Account name and password."""

    username = StringField("Account name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that no other site can sign a user out."""


class ConfirmForm(FlaskForm):
    """No fields: a CSRF-protected button for an action such as restoring a version."""

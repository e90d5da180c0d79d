"""Forms for signing in and out, confirming an action, and managing accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.forms.choices import ChoiceField
from tracker.models import ROLES


class LoginForm(FlaskForm):
    """Account name and password."""

    username = StringField("Account name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token, so that no other site can sign a user out."""


class ConfirmForm(FlaskForm):
    """No fields: a CSRF-protected button for an action such as restoring a version."""


class NewAccountForm(FlaskForm):
    """An admin creates an account: name, role, and the password twice."""

    username = StringField("Account name", validators=[DataRequired(), Length(max=80)])
    role = ChoiceField("Role", choices=[SelectChoice(r) for r in ROLES], default="viewer")
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


class AccountForm(FlaskForm):
    """An admin changes an account's role or whether it may sign in."""

    role = ChoiceField("Role", choices=[SelectChoice(r) for r in ROLES])
    active = BooleanField("May sign in")

"""Accounts in the browser: an admin lists them, creates them, changes roles."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from tracker.forms import why_refused
from tracker.forms.auth import AccountForm, NewAccountForm
from tracker.models import User
from tracker.services.users import UserError, create_user, list_users, set_active, set_role
from tracker.views.access import current_account, role_required
from tracker.views.database import db_session

bp = Blueprint("users", __name__, url_prefix="/users")


def render_accounts(new_form: NewAccountForm, status: int = 200) -> ResponseReturnValue:
    """The accounts page with one form per account and the new-account form."""
    accounts = list_users(db_session())
    forms = {
        user.id: AccountForm(
            formdata=None, prefix=f"u{user.id}", role=user.role, active=user.active
        )
        for user in accounts
    }
    return render_template(
        "auth/users.html", accounts=accounts, forms=forms, new_form=new_form
    ), status


@bp.get("")
@role_required("admin")
def index() -> ResponseReturnValue:
    """Every account with its role and state."""
    return render_accounts(NewAccountForm())


@bp.post("")
@role_required("admin")
def create() -> ResponseReturnValue:
    """Create an account from the form."""
    form = NewAccountForm()
    if not form.validate_on_submit():
        return render_accounts(form, 400)
    session = db_session()
    try:
        user = create_user(
            session, form.username.data or "", form.password.data or "", form.role.data,
            by=current_account(),
        )  # fmt: skip
        session.commit()
    except UserError as error:
        session.rollback()
        form.username.errors = [*form.username.errors, str(error)]
        return render_accounts(form, 422)
    flash(f"Created the account {user.username} ({user.role}).", "success")
    return redirect(url_for("users.index"), 303)


@bp.post("/<int:user_id>")
@role_required("admin")
def update(user_id: int) -> ResponseReturnValue:
    """Change one account's role and whether it may sign in."""
    session = db_session()
    user = session.get(User, user_id)
    if user is None:
        abort(404, description=f"There is no account {user_id}.")
    form = AccountForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        hint = "reload the page and try again."
        abort(400, description=why_refused(form, "The account form", hint))
    try:
        set_role(session, user.username, form.role.data, by=current_account())
        set_active(session, user.username, bool(form.active.data), by=current_account())
        session.commit()
    except UserError as error:
        session.rollback()
        flash(f"{user.username} was not changed: {error}", "error")
    else:
        state = "may sign in" if user.active else "cannot sign in"
        flash(f"{user.username} is now {user.role} and {state}.", "success")
    return redirect(url_for("users.index"), 303)


def init_app(app: Flask) -> None:
    """Register the accounts page."""
    app.register_blueprint(bp)

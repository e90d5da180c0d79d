"""The audit trail in the browser: recent changes with filters, one pledge's history.

Both name accounts, so they need a signed-in account even when reading is public.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker.forms.auth import ConfirmForm
from tracker.models import AUDIT_ACTIONS, Pledge
from tracker.services.audit_log import (
    AuditFilter,
    audited_entities,
    field_changes,
    recent_events,
    record_history,
    reference_names,
)
from tracker.services.pledges import PledgeError, delete_pledge, restore_pledge, restore_version
from tracker.views.access import current_account, role_required
from tracker.views.database import db_session
from tracker.wording import count_of

bp = Blueprint("audit", __name__)
PER_PAGE = 50


def date_argument(name: str) -> date | None:
    """A YYYY-MM-DD query argument, or 400 saying which one is malformed."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        abort(400, description=f"The {name} date {value!r} is not a date like 2025-07-10.")
    if not date.min < day < date.max:
        abort(400, description=f"The {name} date {value!r} is outside the dates we can search.")
    return day


def int_argument(name: str, default: int | None) -> int | None:
    """A whole-number query argument, or 400 saying which one is malformed."""
    value = request.args.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        abort(400, description=f"The {name} {value!r} is not a whole number.")
    return int(value)


@bp.get("/audit")
@role_required("viewer")
def audit_log() -> ResponseReturnValue:
    """Recent changes, newest first, filtered by entity, account, action and dates."""
    action = request.args.get("action", "").strip() or None
    if action and action not in AUDIT_ACTIONS:
        abort(400, description=f"Unknown action {action!r}: use one of {', '.join(AUDIT_ACTIONS)}.")
    audit_filter = AuditFilter(
        entity=request.args.get("entity", "").strip() or None,
        entity_id=int_argument("entity_id", None),
        username=request.args.get("user", "").strip() or None,
        action=action,
        since=date_argument("since"),
        until=date_argument("until"),
    )
    if audit_filter.since and audit_filter.until and audit_filter.since > audit_filter.until:
        abort(400, description=f"until={audit_filter.until} is before since={audit_filter.since}.")
    asked = int_argument("page", 1) or 1
    page = recent_events(db_session(), audit_filter, asked, PER_PAGE)
    if asked > page.pages:
        filled = count_of(page.pages, "page")
        abort(404, description=f"There is no page {asked} of these changes: they fill {filled}.")
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    names = reference_names(db_session(), page.events)
    return render_template(
        "audit/log.html",
        page=page,
        filters=filters,
        audit_filter=audit_filter,
        actions=AUDIT_ACTIONS,
        entities=audited_entities(db_session()),
        field_changes=partial(field_changes, names=names),
        pledge_names=names.get(Pledge, {}),
    )


@bp.get("/pledges/<int:pledge_id>/history")
@role_required("viewer")
def pledge_history(pledge_id: int) -> ResponseReturnValue:
    """Every change to one pledge, with who made it and the fields before and after."""
    session = db_session()
    pledge = session.get(Pledge, pledge_id)
    events = record_history(session, "pledge", pledge_id)
    if pledge is None and not events:
        abort(404, description=f"There is no pledge {pledge_id}.")
    return render_template(
        "audit/history.html",
        pledge=pledge,
        pledge_id=pledge_id,
        events=list(reversed(events)),
        field_changes=partial(field_changes, names=reference_names(session, events)),
        restore_form=ConfirmForm(),
    )


@bp.post("/pledges/<int:pledge_id>/history/<int:event_id>/restore")
@role_required("admin")
def restore_pledge_version(pledge_id: int, event_id: int) -> ResponseReturnValue:
    """Set a pledge back to the values recorded by an earlier change: a new, audited update.

    The form carries the version the admin saw; if someone saved since, the answer is 409.
    """
    expected = expected_version_from_form()
    session = db_session()
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    try:
        pledge = restore_version(
            session, pledge_id, event_id, expected_version=expected, user=current_account()
        )
        session.commit()
    except PledgeError as error:
        session.rollback()
        flash(f"Pledge {pledge_id} was not restored: {error}", "error")
    else:
        flash(f"Pledge {pledge_id} restored; it is now version {pledge.version}.", "success")
    return redirect(url_for("audit.pledge_history", pledge_id=pledge_id), 303)


def expected_version_from_form() -> int:
    """The version the admin's page showed (CSRF-checked), or 400."""
    form = ConfirmForm()
    expected = request.form.get("expected_version", "")
    if not form.validate_on_submit() or not expected.isdigit():
        abort(400, description="The form is incomplete: reload the history and try again.")
    return int(expected)


@bp.post("/pledges/<int:pledge_id>/delete")
@role_required("admin")
def delete_pledge_softly(pledge_id: int) -> ResponseReturnValue:
    """Take a pledge out of the totals; it stays in the audit and can be brought back."""
    expected = expected_version_from_form()
    session = db_session()
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    try:
        delete_pledge(session, pledge_id, expected_version=expected, user=current_account())
        session.commit()
    except PledgeError as error:
        session.rollback()
        flash(f"Pledge {pledge_id} was not deleted: {error}", "error")
    else:
        flash(f"Pledge {pledge_id} deleted: it no longer counts in the totals.", "success")
    return redirect(url_for("audit.pledge_history", pledge_id=pledge_id), 303)


@bp.post("/pledges/<int:pledge_id>/undelete")
@role_required("admin")
def undelete_pledge(pledge_id: int) -> ResponseReturnValue:
    """Bring a deleted pledge back into the totals (a new audited change)."""
    expected = expected_version_from_form()
    session = db_session()
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    if pledge.version != expected:
        abort(409, description=f"Pledge {pledge_id} changed since you loaded the page: reload it.")
    try:
        restore_pledge(session, pledge_id, user=current_account())
        session.commit()
    except PledgeError as error:
        session.rollback()
        flash(f"Pledge {pledge_id} was not restored: {error}", "error")
    else:
        flash(f"Pledge {pledge_id} restored: it counts in the totals again.", "success")
    return redirect(url_for("audit.pledge_history", pledge_id=pledge_id), 303)


def init_app(app: Flask) -> None:
    """Register the audit pages."""
    app.register_blueprint(bp)

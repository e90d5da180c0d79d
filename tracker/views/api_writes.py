"""The JSON API (writes): create and edit pledges through the pledge service.

Every write route is in this one blueprint, so an access rule (analysts only)
can wrap them all with one `before_request`.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request

from tracker.models import Pledge
from tracker.models._types import utcnow
from tracker.services.entry_checks import check_entry
from tracker.services.pledges import (
    EditConflict,
    PledgeError,
    PledgeInput,
    PledgeNotFound,
    create_pledge,
    update_pledge,
)
from tracker.views.access import api_role_required, current_account
from tracker.views.api import error_response, pledge_record
from tracker.views.database import db_session

bp = Blueprint("api_writes", __name__, url_prefix="/api")
INPUT_FIELDS = tuple(f.name for f in dataclass_fields(PledgeInput))
ZERO_CONFIRMED = "zero_confirmed"  # true: an amount of 0 is meant (see entry_checks)
ID_FIELDS = ("donor_id", "recipient_id", "item_id", "package_id", "source_id", "evidence_id")


class BadBody(ValueError):
    """A request body that is not the JSON object a write needs."""

    def __init__(self, field: str | None, message: str) -> None:
        """Keep the field beside the message."""
        super().__init__(message)
        self.field = field


def _body() -> dict[str, Any]:
    """The request's JSON object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadBody(None, "send a JSON object (Content-Type: application/json)")
    return body


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    """Pledge fields from a body: known names only, dates read, ids whole numbers."""
    fields: dict[str, Any] = {}
    for name, value in body.items():
        if name in ("version", ZERO_CONFIRMED):
            continue
        if name not in INPUT_FIELDS:
            raise BadBody(name, f"{name!r} is not a pledge field")
        if name == "announced" and isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise BadBody(name, f"announced {value!r} is not a date (YYYY-MM-DD)") from None
        if name in ID_FIELDS and value is not None and not isinstance(value, int):
            raise BadBody(name, f"{name} must be a whole number")
        if isinstance(value, float):
            raise BadBody(name, f'{name}: send numbers as strings ("1250000.00"), not floats')
        fields[name] = value
    return fields


def _confirmed(body: dict[str, Any]) -> bool:
    """Whether the body confirms an amount of 0 (`"zero_confirmed": true`, a JSON boolean)."""
    value = body.get(ZERO_CONFIRMED, False)
    if not isinstance(value, bool):
        raise BadBody(ZERO_CONFIRMED, f"{ZERO_CONFIRMED} must be true or false")
    return value


@bp.errorhandler(BadBody)
def on_bad_body(error: BadBody) -> Response:
    """A malformed body: 400 naming the field."""
    return error_response(400, str(error), field=error.field)


@bp.errorhandler(PledgeError)
def on_pledge_error(error: PledgeError) -> Response:
    """A pledge that breaks a rule: 422 naming the field."""
    db_session().rollback()
    return error_response(422, str(error), field=error.field)


@bp.post("/pledges")
@api_role_required("analyst")
def api_create_pledge() -> tuple[Response, int]:
    """Create a pledge from a JSON object of pledge fields."""
    session = db_session()
    body = _body()
    fields = _fields(body)
    for name in ("donor_id", "recipient_id", "item_id"):
        fields.setdefault(name, None)
    check_entry(fields, today=utcnow().date(), zero_confirmed=_confirmed(body))
    pledge = create_pledge(session, PledgeInput(**fields), user=current_account())
    session.commit()
    return jsonify(pledge_record(pledge.id)), 201


@bp.patch("/pledges/<int:pledge_id>")
@api_role_required("analyst")
def api_update_pledge(pledge_id: int) -> Response:
    """Change fields of a pledge; `version` must be the version the edit is based on."""
    session = db_session()
    body = _body()
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise BadBody("version", "send the pledge's version (a whole number) with the changes")
    fields = _fields(body)
    stored = session.get(Pledge, pledge_id)
    if stored is not None:
        check_entry(fields, today=utcnow().date(), zero_confirmed=_confirmed(body), before=stored)
    try:
        update_pledge(session, pledge_id, fields, expected_version=version, user=current_account())
    except PledgeNotFound:
        session.rollback()
        return error_response(404, f"there is no pledge with id {pledge_id}")
    except EditConflict as conflict:
        session.rollback()
        return error_response(
            409,
            str(conflict),
            changed_by=conflict.changed_by,
            current=pledge_record(pledge_id),
            yours={"version": version, **{k: _shown(v) for k, v in fields.items()}},
        )
    session.commit()
    return jsonify(pledge_record(pledge_id))


def _shown(value: Any) -> Any:
    """A submitted value as JSON shows it."""
    return value.isoformat() if isinstance(value, date) else value

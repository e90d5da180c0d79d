"""The JSON API (writes): create and edit pledges through the pledge service.

Every write route is in this one blueprint, so an access rule (analysts only)
can wrap them all with one `before_request`.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, Response, jsonify, request

from tracker.models import Pledge
from tracker.models._types import utcnow
from tracker.services.entry_checks import REPEAT_CONFIRMED, check_entry, check_not_typed_twice
from tracker.services.pledge_numbers import STAGE_DAYS, STAGE_FIGURES, negative_stage_figure
from tracker.services.pledge_rules import INPUT_FIELDS
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
from tracker.views.hardening import MAX_WHOLE_NUMBER

bp = Blueprint("api_writes", __name__, url_prefix="/api")
ZERO_CONFIRMED = "zero_confirmed"  # true: an amount of 0 is meant (see entry_checks)
ID_FIELDS = (
    "donor_id", "recipient_id", "item_id", "package_id", "source_id", "evidence_id",
    "duplicate_of_id",
)  # fmt: skip
BOOLEAN_FIELDS = ("is_correction", "reviewed", "package_total")
NUMBER_FIELDS = ("quantity", "amount", "stated_amount")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # a day as the form and the exports write it


class BadBody(ValueError):
    """A request body that is not the JSON object a write needs."""

    def __init__(self, field: str | None, message: str, status: int = 400) -> None:
        """Keep the field and the status (422: a field of the wrong type) beside the message."""
        super().__init__(message)
        self.field = field
        self.status = status


def _body() -> dict[str, Any]:
    """The request's JSON object (a body nested deeper than the parser's recursion limit
    is refused as one that is not JSON)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise BadBody(None, "the JSON body is nested too deeply: send a flat object") from None
    if not isinstance(body, dict):
        raise BadBody(None, "send a JSON object (Content-Type: application/json)")
    return body


def _field_value(name: str, value: Any) -> Any:
    """One field's JSON value checked for its type: ids whole numbers a database integer
    holds (MAX_WHOLE_NUMBER, as in the query string), flags true or false,
    numbers strings (or whole numbers), dates ISO strings, everything else text."""
    if value is None:
        return None
    if name in BOOLEAN_FIELDS:
        if not isinstance(value, bool):
            raise BadBody(name, f"{name} must be true or false, not {json_shape(value)}", 422)
        return value
    if name in ID_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadBody(name, f"{name} must be a whole number", 422)
        if not 1 <= value <= MAX_WHOLE_NUMBER:
            message = f"{name} must be a whole number from 1 to {MAX_WHOLE_NUMBER:,}"
            raise BadBody(name, message, 422)
        return value
    if isinstance(value, float):
        raise BadBody(name, f'{name}: send numbers as strings ("1250000.00"), not floats', 422)
    if name in NUMBER_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | str) or "\x00" in str(value):
            raise BadBody(name, f"{name} must be a number written as a string", 422)
        return value
    if not isinstance(value, str):
        raise BadBody(name, f"{name} must be text, not {json_shape(value)}", 422)
    if "\x00" in value:
        raise BadBody(name, f"{name} holds a NUL character", 422)
    if name == "announced":
        day = None
        if ISO_DAY.fullmatch(value):  # fromisoformat alone also reads "20250301", "2025-W09-6"
            with suppress(ValueError):
                day = date.fromisoformat(value)
        if day is None:
            message = f"announced {value[:40]!r} is not a date (YYYY-MM-DD)"
            raise BadBody(name, message, 422)
        return day
    return value


def json_shape(value: Any) -> str:
    """How a JSON value looks, for messages: an object, a list, a string, a number."""
    for kind, shape in (
        (dict, "an object"),
        (list, "a list"),
        (str, "a string"),
        (bool, "a boolean"),
    ):
        if isinstance(value, kind):
            return shape
    return "a number"


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    """Pledge fields from a body: known names only, each value of its field's type."""
    fields: dict[str, Any] = {}
    for name, value in body.items():
        if name in ("version", ZERO_CONFIRMED, REPEAT_CONFIRMED):
            continue
        if name in (*STAGE_FIGURES, *STAGE_DAYS):
            raise BadBody(name, _stage_field_refusal(name, value))
        if name not in INPUT_FIELDS:
            raise BadBody(name, f"{str(name)[:40]!r} is not a pledge field")
        fields[name] = _field_value(name, value)
    return fields


def _stage_field_refusal(name: str, value: Any) -> str:
    """Why a body may not set a stage figure or day: the pledge's reports give them; a
    negative figure is told first what is wrong with it, in the words of every path."""
    stage = name.split("_")[0]
    where = (
        f"{name} comes from the pledge's reports (the sum of its {stage} figures), not a "
        "field to set: record an allocation or delivery on the pledge page"
    )
    negative = False
    if name in STAGE_FIGURES and not isinstance(value, bool):
        with suppress(InvalidOperation, ValueError):
            negative = Decimal(str(value)) < 0
    return f"{negative_stage_figure(name)}; and {where}" if negative else where


def _confirmed(body: dict[str, Any], name: str = ZERO_CONFIRMED) -> bool:
    """Whether the body confirms something (`"zero_confirmed": true`: an amount of 0 is
    meant; `"repeat_confirmed": true`: a second pledge like a live one), a JSON boolean."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise BadBody(name, f"{name} must be true or false")
    return value


@bp.errorhandler(BadBody)
def on_bad_body(error: BadBody) -> Response:
    """A malformed body: 400 (422 for a field of the wrong type) naming the field."""
    return error_response(error.status, str(error), field=error.field)


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
    data = PledgeInput(**fields)
    check_not_typed_twice(session, data, confirmed=_confirmed(body, REPEAT_CONFIRMED))
    pledge = create_pledge(session, data, user=current_account())
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

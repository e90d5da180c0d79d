"""The dashboard's filters, read from a query string once for every page, export and API.

Names: `from`, `to` (YYYY-MM-DD), `donor` (id, repeatable), `group` (id), `kind`,
`stage`, `recipient` (id), `reviewed` (1 for reviewed pledges only).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Donor, Recipient
from tracker.reference import KINDS, STAGES
from tracker.services.totals import BY, TotalsFilter

FILTER_NAMES = ("from", "to", "donor", "group", "kind", "stage", "recipient", "reviewed")


class FilterError(ValueError):
    """A filter value that cannot be used; `field` names the query parameter."""

    def __init__(self, field: str, message: str) -> None:
        """Keep the parameter name beside the message."""
        super().__init__(message)
        self.field = field


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    """Every non-blank value of `name` (a MultiDict gives all; a dict gives one)."""
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else ([args[name]] if name in args else [])
    return [str(value).strip() for value in raw if str(value).strip()]


def _date(args: Mapping[str, Any], name: str) -> date | None:
    """One optional ISO date."""
    values = _values(args, name)
    if not values:
        return None
    try:
        return date.fromisoformat(values[0])
    except ValueError:
        raise FilterError(name, f"{name}={values[0]!r} is not a date (YYYY-MM-DD)") from None


def _id(session: Session, value: str, name: str, model: type[Any]) -> int:
    """One id that must name an existing row."""
    if not value.isdigit():
        raise FilterError(name, f"{name}={value!r} is not an id")
    if session.get(model, int(value)) is None:
        raise FilterError(name, f"there is no {name} with id {value}")
    return int(value)


def _choice(args: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    """One optional word from `allowed`."""
    values = _values(args, name)
    if not values:
        return None
    if values[0] not in allowed:
        raise FilterError(name, f"{name}={values[0]!r} is not one of: {', '.join(allowed)}")
    return values[0]


def filters_from_args(args: Mapping[str, Any], session: Session) -> TotalsFilter:
    """The TotalsFilter a query string asks for; FilterError names a bad parameter."""
    start, end = _date(args, "from"), _date(args, "to")
    if start and end and start > end:
        raise FilterError("to", f"to={end} is before from={start}")
    group = _values(args, "group")
    recipient = _values(args, "recipient")
    reviewed = _values(args, "reviewed")
    return TotalsFilter(
        start=start,
        end=end,
        donor_ids=tuple(_id(session, v, "donor", Donor) for v in _values(args, "donor")),
        group_id=_id(session, group[0], "group", Donor) if group else None,
        kind=_choice(args, "kind", KINDS),
        stage=_choice(args, "stage", STAGES),
        recipient_id=_id(session, recipient[0], "recipient", Recipient) if recipient else None,
        reviewed_only=bool(reviewed) and reviewed[0] not in ("0", "false", "no"),
    )


def by_from_args(args: Mapping[str, Any], default: str = "donor") -> str:
    """The `by` parameter: what totals are grouped by."""
    values = _values(args, "by")
    by = values[0] if values else default
    if by not in BY:
        raise FilterError("by", f"by={by!r} is not one of: {', '.join(BY)}")
    return by

"""Between the pledge form and the pledge service: form → PledgeInput/changes, pledge → form,
and service errors back onto the form field they concern."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tracker.forms.pledge import PledgeForm
from tracker.models import Donor, Item, Pledge
from tracker.models._types import utcnow
from tracker.services.entry_checks import check_entry, check_not_typed_twice
from tracker.services.manual_sources import source_for_url
from tracker.services.pledges import PledgeError, PledgeInput, find_donor, find_item
from tracker.views.pickers import recipient_choices

if TYPE_CHECKING:
    from tracker.views.conflicts import PastPledge

# Service field names → the form field that shows their errors.
FORM_FIELD_OF = {
    "donor_id": "donor",
    "donor": "donor",
    "item_id": "item",
    "item": "item",
    "recipient_id": "recipient",
    "source_id": "source_url",
    "evidence_id": "source_url",  # the evidence sentence is the source's
    "unit": "quantity",
    "stated_amount": "amount",
    "stated_currency": "currency",
}


def prepare(form: PledgeForm, session: Session) -> None:
    """Fill the choices that come from the database."""
    form.recipient.choices = recipient_choices(session)


def resolve_names(form: PledgeForm, session: Session) -> tuple[Donor, Item] | None:
    """The donor and item the analyst typed (names or aliases); errors on the form if unknown
    (a blank one has its "required" already)."""
    donor = find_donor(session, form.donor.data or "")
    item = find_item(session, form.item.data or "")
    if donor is None and (form.donor.data or "").strip():
        form.donor.errors = [*form.donor.errors, f"No donor is known as {form.donor.data!r}: "
                             "pick a name from the list."]  # fmt: skip
    if item is None and (form.item.data or "").strip():
        form.item.errors = [*form.item.errors, f"No catalogue item is called {form.item.data!r}: "
                            "pick one from the list."]  # fmt: skip
    if donor is None or item is None:
        return None
    return donor, item


def pledge_fields(form: PledgeForm, session: Session, donor: Donor, item: Item) -> dict[str, Any]:
    """The pledge's fields as the form gives them, ready for the service.

    A blank Source URL leaves the pledge's source as it is (an article without a URL
    stays linked); kind and unit left blank are the item's.
    """
    fields: dict[str, Any] = {
        "donor_id": donor.id,
        "recipient_id": form.recipient.data,
        "item_id": item.id,
        "item_text": form.item_text.data or None,
        "kind": form.kind.data or None,
        "stage": form.stage.data,
        "quantity": form.quantity_value,
        "amount": form.amount_value,
        "currency": form.currency.data or None,
        "qualifier": form.qualifier.data,
        "qualifier_text": form.qualifier_text.data or None,
        "announced": form.announced.data,
        "announced_precision": form.announced_precision.data if form.announced.data else None,
        "notes": form.notes.data or None,
        "reviewed": bool(form.reviewed.data),
    }
    if form.source_url.data:
        fields["source_id"] = source_for_url(session, form.source_url.data).id
    return fields


def new_pledge_input(form: PledgeForm, session: Session, fields: dict[str, Any]) -> PledgeInput:
    """A PledgeInput for a pledge typed in by an analyst (reviewed only when ticked); one
    identical to a live pledge is refused unless the analyst ticked "a second pledge"."""
    data = PledgeInput(**fields)
    check_not_typed_twice(session, data, confirmed=bool(form.repeat_confirmed.data))
    return data


def check_typed_entry(form: PledgeForm, fields: dict[str, Any], before: Pledge | None) -> None:
    """The checks on hand-typed pledges (services.entry_checks); PledgeError on a slip."""
    check_entry(
        fields, today=utcnow().date(), zero_confirmed=bool(form.zero_confirmed.data),
        before=before,
    )  # fmt: skip


def fill_from_pledge(form: PledgeForm, pledge: Pledge | PastPledge) -> None:
    """Show a stored pledge (or one of its past versions) in the form, with its version for
    the conflict check."""
    form.donor.data = pledge.donor.name
    form.recipient.data = pledge.recipient_id
    form.kind.data = pledge.kind
    form.item.data = pledge.item.name
    form.item_text.data = pledge.item_text or ""
    form.quantity.data = "" if pledge.quantity is None else f"{pledge.quantity.normalize():f}"
    form.amount.data = "" if pledge.amount is None else f"{pledge.amount:f}"
    form.currency.data = pledge.currency or ""
    form.qualifier.data = pledge.qualifier
    form.qualifier_text.data = pledge.qualifier_text or ""
    form.announced.data = pledge.announced
    form.announced_precision.data = pledge.announced_precision or "day"
    form.stage.data = pledge.stage
    form.source_url.data = pledge.source.url if pledge.source and pledge.source.url else ""
    form.notes.data = pledge.notes or ""
    form.reviewed.data = pledge.reviewed
    form.version.data = str(pledge.version)


def show_service_error(form: PledgeForm, error: PledgeError) -> None:
    """Put a refused save's message on the field it concerns, or above the form."""
    name = FORM_FIELD_OF.get(error.field or "", error.field or "")
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors") and name != "version":
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)

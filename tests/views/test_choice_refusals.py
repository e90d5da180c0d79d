"""A value outside a form's choices is refused with the field's label and the value, in the
project's words, with a 4xx status, on every form that has choices."""

from __future__ import annotations

import html
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import form_fields, make_user, signed_in_client
from tests.views.helpers import add_pledge
from tracker.models import AuditEvent
from tracker.views.hardening import parameter_problem

BARE_WTFORMS = ("Not a valid choice", "Invalid Choice", "not a valid choice", "could not coerce")


@dataclass(frozen=True)
class ChoiceCase:
    """One choice field of one form: where its page is, where it posts, its label, what
    its ids stand for (None: a fixed list of words), and the fields that make the rest valid."""

    page: str
    action: str
    field: str
    label: str
    noun: str | None = None
    valid: tuple[tuple[str, str], ...] = ()
    role: str = "admin"


PLEDGE = (("donor", "Norway"), ("item", "aid"), ("amount", "1000"), ("currency", "EUR"))
CASES = [
    ChoiceCase("/pledges/new", "/pledges/new", "recipient", "Recipient", "recipient", PLEDGE),
    ChoiceCase("/pledges/new", "/pledges/new", "kind", "Kind", None, PLEDGE),
    ChoiceCase("/pledges/new", "/pledges/new", "currency", "Currency", None, PLEDGE),
    ChoiceCase("/pledges/new", "/pledges/new", "qualifier", "Qualifier", None, PLEDGE),
    ChoiceCase("/pledges/new", "/pledges/new", "announced_precision", "Date precision", None,
               PLEDGE),
    ChoiceCase("/pledges/new", "/pledges/new", "stage", "Stage", None, PLEDGE),
    ChoiceCase("/pledges/{pledge}", "/pledges/{pledge}/stage", "stage", "Stage", None,
               (("amount", "10"), ("currency", "EUR"))),
    ChoiceCase("/donors/new", "/donors/new", "kind", "Kind", None, (("name", "Atlantis"),)),
    ChoiceCase("/donors/new", "/donors/new", "groups", "Member of", "donor group",
               (("name", "Atlantis"),)),
    ChoiceCase("/items/new", "/items/new", "category", "Category", "item category",
               (("name", "Sandbags"),)),
    ChoiceCase("/users", "/users", "role", "Role", None,
               (("username", "newcomer"), ("password", "long enough password"),
                ("confirm", "long enough password"))),
    ChoiceCase("/review", "/review/decide", "action", "Decision", None,
               (("pledge", "{pledge}:1"),), role="analyst"),
]  # fmt: skip

POSTED = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
)
VALUES = st.one_of(POSTED, st.integers(10**6, 2**32).map(str))


def offered(page: str, action: str, field: str) -> set[str]:
    """The values the page offers for `field` in the form posting to `action`."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    form = next(f for f in soup.find_all("form") if f.get("action", "") == action)
    options = form.select(f'select[name="{field}"] option, input[name="{field}"]')
    return {str(option.get("value", option.text)) for option in options}


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(CASES), value=VALUES)
def test_a_value_outside_the_choices_names_the_field_and_the_value(
    app: Flask, session: Session, case: ChoiceCase, value: str
) -> None:
    client: FlaskClient = signed_in_client(app, make_user(session, case.role))
    pledge = add_pledge(session, reviewed=False)
    page_url = case.page.format(pledge=pledge.id)
    action = case.action.format(pledge=pledge.id)
    page = client.get(page_url).get_data(as_text=True)
    assume(value not in offered(page, action, case.field))
    fields: dict[str, str | list[str]] = dict(form_fields(page, action))
    fields.update({name: text.format(pledge=pledge.id) for name, text in case.valid})
    fields[case.field] = value
    events = session.scalar(select(func.count()).select_from(AuditEvent))

    response = client.post(action, data=fields)

    assert response.status_code in (400, 422), (case, value)
    text = html.unescape(response.get_data(as_text=True))
    guarded = parameter_problem(case.field, value, query=False)
    if guarded is not None:  # the request guard refuses it first ("²", past 2**31 - 1)
        expected = guarded
    elif case.noun is not None and value.isascii() and value.isdigit():
        expected = f"{case.label}: no {case.noun} with id {value}."
    elif case.noun is not None:
        expected = f'{case.label}: "{value}" is not an id (a whole number).'
    else:
        expected = f'{case.label}: "{value}" is not one of '
    assert expected in text, (case, value)
    assert not any(bare in text for bare in BARE_WTFORMS), (case, value)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events

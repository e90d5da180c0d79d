"""The 409 page of a write refused on a changed pledge sets the version it was based on
beside the stored one. A report recorded on the pledge without a new version (another
outlet's corroboration) notes only the report in the audit: the version's fields are read
from the event that holds them, so only the fields changed since are marked as differing."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named
from tests.views.helpers import add_pledge
from tests.views.test_stage_currency import post_stage
from tracker.models import Pledge
from tracker.services.pledges import update_pledge
from tracker.services.reports import add_corroboration
from tracker.views.formatting import QUALIFIER_LABELS

# The fields another analyst may change meanwhile, by the service's name: the edit form's
# label, and the values drawn
CHANGES: dict[str, tuple[str, st.SearchStrategy[Any]]] = {
    "donor_id": ("Donor", st.sampled_from(["Germany", "France"])),
    "item_text": ("Item as worded", st.sampled_from(["budget aid", "support"])),
    "amount": ("Amount", st.integers(2, 999).map(lambda n: f"{n * 1000}.00")),
    "qualifier": ("Qualifier", st.sampled_from(["about", "at_least", "up_to"])),
    "qualifier_text": ("Qualifier words", st.sampled_from(["some", "up to"])),
    "announced": ("Announced", st.dates(date(2025, 1, 1), date(2025, 7, 9))),
    "stage": ("Stage", st.just("committed")),
    "notes": ("Notes", st.text("abc ", min_size=1, max_size=8).map(lambda t: f"x{t}")),
    "reviewed": ("Reviewed: I checked this pledge against its source", st.just(False)),
}
INTERNAL_NAMES = {column.name for column in Pledge.__table__.columns}


def marked(page: str) -> set[str]:
    """The labels of the rows the conflict page marks as differing."""
    return set(re.findall(r'<tr class="differs"><th scope="row">([^<]+?) <span', page))


@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corroborations=st.integers(1, 3), notes=st.text("abc ", min_size=1, max_size=8))
def test_a_stage_form_on_a_changed_pledge_marks_only_what_changed(
    client: FlaskClient, session: Session, corroborations: int, notes: str
) -> None:
    pledge = add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000")
    for _ in range(corroborations):  # each notes its report, at version 1
        add_corroboration(session, pledge.id, source_id=None, evidence_id=None, reported_on=None)
    session.commit()
    seen = pledge.version
    update_pledge(session, pledge.id, {"notes": f"x{notes}"}, expected_version=seen)
    session.commit()
    response = post_stage(client, pledge, version=str(seen), quantity="1000")
    assert response.status_code == 409
    assert marked(response.get_data(as_text=True)) == {"Notes"}


def table_rows(page: str) -> dict[str, tuple[str, str]]:
    """The conflict table's rows: label -> (the version the write was based on, stored)."""
    table = page.split('<table class="conflict">')[1].split("</table>")[0]
    rows = re.findall(
        r'<th scope="row">([^<]+?)(?: <span class="marker">\(differs\)</span>)?</th>\s*'
        r"<td>([^<]*)</td><td>([^<]*)</td>",
        table,
    )
    return {label: (based_on, stored) for label, based_on, stored in rows}


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.fixed_dictionaries({}, optional=dict(CHANGES.values())).filter(bool))
def test_the_conflict_page_names_each_changed_field_by_its_label_and_shows_its_value(
    client: FlaskClient, session: Session, changes: dict[str, Any]
) -> None:
    """Another analyst's edit of drawn fields, then a stage form sent on the version before
    it: the page lists every field of the edit form by its label, marks exactly the drawn
    ones, shows names and choices as the form does (not ids or stored codes), and no
    column's internal name."""
    pledge = add_pledge(session)
    seen = pledge.version
    by_name = {label: name for name, (label, _values) in CHANGES.items()}
    edit = {by_name[label]: value for label, value in changes.items()}
    if "donor_id" in edit:
        edit["donor_id"] = donor_named(session, edit["donor_id"]).id
    update_pledge(session, pledge.id, edit, expected_version=seen)
    session.commit()
    response = post_stage(client, pledge, version=str(seen), amount="1000", currency="EUR")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    rows = table_rows(page)
    assert marked(page) == set(changes)
    assert {label for label, _values in CHANGES.values()} <= set(rows)
    assert not {name for label in rows for name in (label, label.replace(" ", "_"))} & (
        INTERNAL_NAMES
    )
    if "Donor" in changes:
        assert rows["Donor"] == ("Norway", changes["Donor"])
    if "Qualifier" in changes:
        assert rows["Qualifier"][1] == QUALIFIER_LABELS[changes["Qualifier"]]
    if "Reviewed: I checked this pledge against its source" in changes:
        assert rows["Reviewed: I checked this pledge against its source"] == ("yes", "no")

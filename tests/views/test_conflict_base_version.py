"""The 409 page of a write refused on a changed pledge sets the version it was based on
beside the stored one. A report recorded on the pledge without a new version (another
outlet's corroboration) notes only the report in the audit: the version's fields are read
from the event that holds them, so only the fields changed since are marked as differing."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge
from tests.views.test_stage_currency import post_stage
from tracker.services.pledges import update_pledge
from tracker.services.reports import add_corroboration


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
    assert marked(response.get_data(as_text=True)) == {"notes"}

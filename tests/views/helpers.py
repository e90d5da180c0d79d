"""Helpers for the web tests: pledges through the real service, CSRF tokens from real forms."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.models import Evidence, Pledge, Source
from tracker.services.pledges import PledgeInput, create_pledge

CSRF_FIELD = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form served at `url` (the client keeps the session cookie)."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    assert match, f"no CSRF token in the form at {url}"
    return match.group(1)


def add_pledge(
    session: Session,
    donor: str = "Norway",
    item: str = "aid",
    *,
    amount: str | None = None,
    currency: str | None = None,
    quantity: str | None = None,
    **fields: Any,
) -> Pledge:
    """A pledge written by the pledge service (so the totals see it), committed."""
    if amount is None and quantity is None and fields.get("qualifier") != "unknown":
        amount, currency = "1000000", "EUR"
    fields.setdefault("announced", date(2025, 7, 10))
    fields.setdefault("reviewed", True)
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, donor).id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, item).id,
            amount=Decimal(amount) if amount else None,
            currency=currency,
            quantity=Decimal(quantity) if quantity else None,
            **fields,
        ),
    )
    session.commit()
    return pledge


ARTICLE = (
    "London, 10 July. Britain said it would send more than 5,000 air defence missiles "
    "to Ukraine. <script>alert('x')</script> Germany & France pledged up to €2bn in aid."
)
SENTENCE = "Britain said it would send more than 5,000 air defence missiles to Ukraine."


def add_article_with_evidence(session: Session, text: str = ARTICLE) -> tuple[Source, Pledge]:
    """An article source, one evidence sentence and an unreviewed pledge that cites it."""
    source = make_source(session, kind="article", title="Allies pledge missiles", text=text,
                         publisher="Test Gazette", published=date(2025, 7, 10))  # fmt: skip
    start = text.index(SENTENCE)
    evidence = Evidence(source=source, start=start, end=start + len(SENTENCE), text=SENTENCE)
    session.add(evidence)
    session.flush()
    pledge = add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
                        qualifier="at_least", qualifier_text="more than", source_id=source.id,
                        evidence_id=evidence.id, reviewed=False)  # fmt: skip
    return source, pledge

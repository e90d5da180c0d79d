"""The links behind every total (`drill_url`): the page's filters, then the row's key."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.views.filters import FILTER_NAMES
from tracker.views.pledges import DRILL_KEYS, drill_url

NAMES = sorted(FILTER_NAMES) + ["cur", "page", "sort"]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
DAY = st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat)
# A month row's key is "YYYY-MM" or a word, and the page's dates are valid: the filters
# were parsed before any link is drawn.
KEY = TEXT.filter(lambda key: not key[:4].isdigit()) | st.sampled_from(["2025-02", "2024-12"])


def spelled_out(args: dict[str, Any] | None, by: str | None, row: Any) -> str:
    """The link as the rule states it: every filter of the page encoded with the row's key."""
    wanted = {k: v for k, v in (args or {}).items() if k in FILTER_NAMES}
    if by in DRILL_KEYS and row is not None:
        wanted[DRILL_KEYS[by]] = str(row.key_id if row.key_id is not None else row.key)
    elif by == "month" and row is not None and row.key[:4].isdigit():
        year, month = int(row.key[:4]), int(row.key[5:7])
        first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        wanted["from"] = max(first, date.fromisoformat(str(wanted.get("from", first))))
        wanted["to"] = min(last, date.fromisoformat(str(wanted.get("to", last))))
    path = url_for("pledges.index")
    return f"{path}?{urlencode(wanted, doseq=True)}" if wanted else path


@settings(max_examples=200,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    args=st.none()
    | st.dictionaries(st.sampled_from(NAMES), TEXT | st.lists(TEXT, max_size=2)).map(
        lambda args: {k: v for k, v in args.items() if k not in ("from", "to")}
    )
    | st.fixed_dictionaries({}, optional={"from": DAY, "to": DAY, "kind": TEXT}),
    by=st.sampled_from([*DRILL_KEYS, "month", "currency", None]),
    row=st.none() | st.builds(SimpleNamespace, key_id=st.none() | st.integers(0, 10**6),
                              key=KEY),
)  # fmt: skip
def test_each_rows_link_is_the_pages_filters_and_its_key(app, args, by, row) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        assert drill_url(args, by, row) == spelled_out(args, by, row)
        assert drill_url(args, by, row) == spelled_out(args, by, row)  # kept, the same again


def test_a_filter_the_row_narrows_is_replaced_in_place(app) -> None:  # type: ignore[no-untyped-def]
    row = SimpleNamespace(key_id=None, key="military")
    with app.test_request_context("/"):
        link = drill_url({"kind": "financial", "stage": "delivered"}, "kind", row)
        other = drill_url({"stage": "delivered", "q": "a b&c"}, "kind", row)
    assert link.endswith("?kind=military&stage=delivered")
    assert other.endswith("?stage=delivered&q=a+b%26c&kind=military")

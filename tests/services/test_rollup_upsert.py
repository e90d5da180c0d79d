"""The rollup upsert writes exactly the keys and measures it is given, whatever the text of
a key holds (PostgreSQL receives each column as the text of an array)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.models import TotalsRollup
from tracker.models.totals import MEASURE_NAMES
from tracker.services.rollup import KEY_COLUMNS, Measures, TotalsDelta, apply_totals_delta

# Texts of up to 20 characters (the key column's size), with what an array's text must
# quote or escape: quotes, backslashes, commas, braces, spaces, NULL spelt out, nothing
KEY_TEXT = st.text(
    alphabet=st.sampled_from(['"', "\\", ",", "{", "}", " ", "N", "U", "L", "a", "é", "-"]),
    max_size=20,
)
MEASURE = st.integers(min_value=-(2**62), max_value=2**62)


def stored(session: Session) -> dict[tuple[object, ...], tuple[int, ...]]:
    """The rollup rows of the test dimension, as (key) -> measures."""
    table = TotalsRollup.__table__
    rows = session.execute(
        select(*(table.c[n] for n in (*KEY_COLUMNS, *MEASURE_NAMES))).where(
            table.c.dimension == "month"
        )
    )
    width = len(KEY_COLUMNS)
    return {tuple(row[:width]): tuple(row[width:]) for row in rows}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.dictionaries(
        st.tuples(KEY_TEXT, st.sampled_from(["financial", "weapons"]), st.booleans()),
        st.lists(MEASURE, min_size=len(MEASURE_NAMES), max_size=len(MEASURE_NAMES)),
        min_size=1,
        max_size=6,
    )
)
def test_the_upsert_stores_every_key_and_adds_on_a_second_write(
    session: Session, rows: dict[tuple[str, str, bool], list[int]]
) -> None:
    session.execute(delete(TotalsRollup).where(TotalsRollup.dimension == "month"))
    delta: TotalsDelta = {
        ("month", 0, key, kind, "announced", 1, reviewed): Measures.of_list(list(values))
        for (key, kind, reviewed), values in rows.items()
    }
    expected = {
        ("month", 0, key, kind, "announced", 1, reviewed): tuple(values)
        for (key, kind, reviewed), values in rows.items()
        if any(values)
    }
    apply_totals_delta(session, delta)
    assert stored(session) == expected
    halves = {key: Measures.of_list([v // 2 for v in m.values()]) for key, m in delta.items()}
    apply_totals_delta(session, halves)
    twice = {
        key: tuple(v + v // 2 for v in delta[key].values())
        for key in delta
        if any(delta[key].values()) or any(v // 2 for v in delta[key].values())
    }
    assert stored(session) == twice
    session.execute(delete(TotalsRollup).where(TotalsRollup.dimension == "month"))

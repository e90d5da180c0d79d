"""Chart labels that read: month ticks that never overlap, names never clipped."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.views.charts import (
    DonorKindTotals,
    monthly_bars,
    stacked_donor_bars,
    text_width,
)


def euros(value: Decimal) -> str:
    """A short money label."""
    return f"€{value / 1_000_000:.1f}m"


def label_extent(x: Decimal, anchor: str, text: str) -> tuple[Decimal, Decimal]:
    """Where a label starts and ends, from its anchor."""
    width = text_width(text)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return start, start + width


months_drawn = st.lists(
    st.tuples(st.integers(2015, 2030), st.integers(1, 12)), min_size=1, max_size=150, unique=True
).map(lambda pairs: [(f"{y}-{m:02d}", Decimal(1 + m)) for y, m in sorted(pairs)])


@given(months=months_drawn, width=st.sampled_from([320, 390, 640, 960]))
def test_month_labels_never_overlap_and_stay_inside(
    months: list[tuple[str, Decimal]], width: int
) -> None:
    chart = monthly_bars(months, euros, width=width)
    ticks = [label for label in chart.labels if label[1] == Decimal(chart.height - 8)]
    assert ticks, "at least one month is labelled"
    extents = [label_extent(x, anchor, text) for x, _y, anchor, text in ticks]
    for (start, end), (_x, _y, _a, text) in zip(extents, ticks, strict=True):
        assert start >= 0 and end <= width, text
    for (_, end), (start, _) in zip(extents, extents[1:], strict=False):
        assert end <= start, "two month labels overlap"


def test_months_are_labelled_by_half_year_then_by_year() -> None:
    three = [(f"{y}-{m:02d}", Decimal(1)) for y in (2023, 2024, 2025) for m in range(1, 13)]
    ticks = [text for _x, y, _a, text in monthly_bars(three, euros).labels if y > 100]
    assert ticks == ["Jan 2023", "Jul 2023", "Jan 2024", "Jul 2024", "Jan 2025", "Jul 2025"]
    ten = [(f"{y}-{m:02d}", Decimal(1)) for y in range(2016, 2026) for m in range(1, 13)]
    ticks = [text for _x, y, _a, text in monthly_bars(ten, euros).labels if y > 100]
    assert ticks == ["2016", "2018", "2020", "2022", "2024"]


@given(names=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=10))
def test_donor_names_fit_left_of_their_bars(names: list[str]) -> None:
    rows = [DonorKindTotals(n, {"military": Decimal(1_000_000 * (i + 1))}) for i, n in
            enumerate(names)]  # fmt: skip
    chart = stacked_donor_bars(rows, euros)
    for x, _y, anchor, text in chart.labels:
        start, end = label_extent(x, anchor, text)
        assert start >= 0 and end <= chart.width, text


def test_conference_participants_is_not_clipped() -> None:
    rows = [DonorKindTotals("Conference participants", {"financial": Decimal(10**10)})]
    names = [text for _x, _y, anchor, text in stacked_donor_bars(rows, euros).labels
             if anchor == "end"]  # fmt: skip
    assert names == ["Conference participants"]

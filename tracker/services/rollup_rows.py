"""The totals rollup delta of many new pledges at once, for bulk writes such as table imports.

`rows_totals_delta` computes, from the column values of pledges about to be
inserted, exactly what `add_contribution` would add for each of them one by one
(the same measures from `pledge_measures`' rules, the same six keys from
`pledge_keys`), but summed per rollup key with one pandas group-by per
dimension. The result goes to `apply_totals_delta` once, so an import costs in
proportion to the file, not to the pledge table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from tracker.services.rollup import (
    HUNDRED,
    MEASURE_NAMES,
    THOUSAND,
    Measures,
    TotalsDelta,
)

COMMON_COLUMNS = ("kind", "stage", "recipient_id", "reviewed")
ROW_COLUMNS = (
    "donor_id",
    "item_id",
    *COMMON_COLUMNS,
    "announced",
    "currency",
    "qualifier",
    "quantity",
    "quantity_lower",
    "amount",
    "eur",
    "eur_lower",
    "usd",
    "conversion_status",
)


def _scaled_column(values: pd.Series, factor: Decimal) -> list[int]:
    """Each Decimal in whole cents or thousandths, as `pledge_measures` scales it (0 for None).

    The same arithmetic as `rollup._scaled`, written out in the loop.
    """
    return [0 if value is None else int((value * factor).to_integral_value()) for value in values]


def _month(day: date | None) -> str:
    """The rollup month of an announcement day ("" when undated), as `month_key` writes it."""
    return "" if day is None or pd.isna(day) else f"{day.year:04d}-{day.month:02d}"


def measures_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """One row of `Measures` per pledge row, by the rules of `pledge_measures`."""
    known = rows["qualifier"] != "unknown"
    quantity = rows["quantity"].where(known, None)
    money = rows["amount"].notna() & known
    status = rows["conversion_status"]
    return pd.DataFrame(
        {
            "pledges": 1,
            "quantified": (quantity.notna()).astype("int64"),
            "quantity_milli": _scaled_column(quantity, THOUSAND),
            "quantity_lower_milli": _scaled_column(rows["quantity_lower"], THOUSAND),
            "eur_cents": _scaled_column(rows["eur"], HUNDRED),
            "eur_lower_cents": _scaled_column(rows["eur_lower"], HUNDRED),
            "usd_cents": _scaled_column(rows["usd"], HUNDRED),
            "open_ended": (rows["qualifier"] == "at_least").astype("int64"),
            "approximate": (rows["qualifier"] == "about").astype("int64"),
            "unconverted": (money & (status == "unconverted")).astype("int64"),
            "stale": (money & (status == "stale")).astype("int64"),
        },
        index=rows.index,
    )


def rows_totals_delta(
    rows: Sequence[Mapping[str, Any]], category_of_item: Mapping[int, int]
) -> TotalsDelta:
    """What inserting these live pledges (one mapping per row) adds to the rollup."""
    columns = {name: [row[name] for row in rows] for name in ROW_COLUMNS}
    return columns_totals_delta(columns, category_of_item)


def columns_totals_delta(
    columns: Mapping[str, Sequence[Any]], category_of_item: Mapping[int, int]
) -> TotalsDelta:
    """What inserting these live pledges (given column by column) adds to the rollup,
    summed per rollup key."""
    delta: TotalsDelta = {}
    if not columns or not len(columns[ROW_COLUMNS[0]]):
        return delta
    frame = pd.DataFrame(
        {name: pd.Series(columns[name], dtype=object) for name in ROW_COLUMNS}, dtype=object
    )
    frame = frame.where(frame.notna(), None)
    measures = measures_frame(frame)
    keys = pd.DataFrame(
        {
            "kind": frame["kind"].astype(str),
            "stage": frame["stage"].astype(str),
            "recipient_id": frame["recipient_id"].astype("int64"),
            "reviewed": frame["reviewed"].astype(bool),
        }
    )
    zero = pd.Series(0, index=frame.index, dtype="int64")
    empty = pd.Series("", index=frame.index, dtype=object)
    month_of_day: dict[Any, str] = {}
    for day in frame["announced"].unique():
        month_of_day[day] = _month(day)
    months = pd.Series(list(map(month_of_day.__getitem__, frame["announced"])), index=frame.index)
    categories = frame["item_id"].map(lambda item_id: category_of_item[int(item_id)])
    every = pd.Series(True, index=frame.index)
    dimensions: list[tuple[str, pd.Series, pd.Series, pd.Series]] = [
        ("all", zero, empty, every),
        ("donor", frame["donor_id"].astype("int64"), empty, every),
        ("item", frame["item_id"].astype("int64"), empty, every),
        ("category", categories.astype("int64"), empty, every),
        ("month", zero, months, every),
        ("currency", zero, frame["currency"], frame["currency"].notna()),
    ]
    for dimension, key_ids, key_texts, counted in dimensions:
        grouped = measures[counted].assign(
            _key_id=key_ids[counted], _key=key_texts[counted].astype(str), **keys[counted]
        )
        sums = grouped.groupby(["_key_id", "_key", *COMMON_COLUMNS], sort=True)[
            list(MEASURE_NAMES)
        ].sum()
        for index, values in zip(sums.index, sums.itertuples(index=False, name=None), strict=True):
            key_id, key, kind, stage, recipient_id, reviewed = index
            rollup_key = (
                dimension, int(key_id), str(key), str(kind), str(stage), int(recipient_id),
                bool(reviewed),
            )  # fmt: skip
            delta[rollup_key] = Measures(*(int(value) for value in values))  # keys are unique
    return delta

"""The totals rollup delta of many new pledges at once, for bulk writes such as table imports.

`columns_totals_delta` computes, from the column values of pledges about to be
inserted, exactly what `add_contribution` would add for each of them one by one
(the same measures, made from their one declaration tracker.models.totals.MEASURES,
and the same keys as `pledge_keys`), but summed per rollup key. The measures are
whole numbers (cents, thousandths, counts) in one int64 matrix; each dimension's rows are grouped by
one integer code per (key, kind, stage, recipient, reviewed) and summed with a
pandas group-by. The result goes to `apply_totals_delta` once, so an import costs
in proportion to the file, not to the pledge table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tracker.models.totals import MEASURES, Measure
from tracker.services.rollup import (
    MEASURE_TESTS,
    PARTLY_CROSSED,
    Measures,
    TotalsDelta,
    partly_crossed_common,
)


def _month(day: date | None) -> str:
    """The rollup month of an announcement day ("" when undated), as `month_key` writes it."""
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def _measure_column(measure: Measure, columns: Mapping[str, Sequence[Any]], size: int) -> list[int]:
    """What each pledge adds to `measure`, by the rules of `measure_value`, column-wise."""
    if measure.column is None:
        values: list[int] = [1] * size
    else:
        cells = list(columns[measure.column])
        if measure.otherwise is not None:
            holds = [True] * size
            for column, test, expected in measure.otherwise_when:
                check = MEASURE_TESTS[test]
                holds = [
                    h and check(c, expected) for h, c in zip(holds, columns[column], strict=True)
                ]
            cells = [
                other if cell is None and h else cell
                for cell, other, h in zip(cells, columns[measure.otherwise], holds, strict=True)
            ]
        values = [
            0 if v is None else int(v.scaleb(measure.places).to_integral_value()) for v in cells
        ]
    for column, test, expected in measure.when:
        passes = MEASURE_TESTS[test]
        values = [
            v if passes(cell, expected) else 0
            for v, cell in zip(values, columns[column], strict=True)
        ]
    return values


def measure_matrix(columns: Mapping[str, Sequence[Any]]) -> np.ndarray:
    """One row of `Measures` (in MEASURE_NAMES order) per pledge, by the rules of
    `pledge_measures`, as int64."""
    size = len(columns["qualifier"])
    return np.column_stack(
        [np.asarray(_measure_column(m, columns, size), dtype=np.int64) for m in MEASURES]
    )


def columns_totals_delta(
    columns: Mapping[str, Sequence[Any]], category_of_item: Mapping[int, int]
) -> TotalsDelta:
    """What inserting these live pledges (given column by column: donor_id, item_id, kind,
    stage, recipient_id, reviewed, announced, currency and every column a measure reads)
    adds to the rollup,
    summed per rollup key. Rows marked as possible duplicates count nowhere (`counted`)."""
    delta: TotalsDelta = {}
    pending = columns.get("duplicate_of_id")
    if pending is not None and any(value is not None for value in pending):
        counted = [i for i, value in enumerate(pending) if value is None]
        columns = {name: [values[i] for i in counted] for name, values in columns.items()}
    if not columns or not len(columns["kind"]):
        return delta
    measures = measure_matrix(columns)
    common = list(
        zip(
            columns["kind"],
            columns["stage"],
            map(int, columns["recipient_id"]),
            map(bool, columns["reviewed"]),
            strict=True,
        )
    )
    common_codes, common_index = pd.factorize(pd.Series(common, dtype=object), sort=False)
    common_keys = common_index.tolist()
    month_of = {day: _month(day) for day in set(columns["announced"])}
    dimensions: list[tuple[str, Sequence[Any], bool]] = [
        ("all", [0] * len(common), True),
        ("donor", columns["donor_id"], True),
        ("item", columns["item_id"], True),
        ("category", [category_of_item[int(item)] for item in columns["item_id"]], True),
        ("month", [month_of[day] for day in columns["announced"]], False),
        ("currency", columns["currency"], False),
    ]  # fmt: skip
    for dimension, values, by_id in dimensions:
        codes, key_index = pd.factorize(pd.Series(values, dtype=object), sort=False)
        keys = key_index.tolist()
        counted = codes >= 0  # the currency dimension counts money pledges only
        group = codes.astype(np.int64) * len(common_keys) + common_codes
        sums = pd.DataFrame(measures[counted]).groupby(group[counted], sort=False).sum()
        for code, totals in zip(sums.index.tolist(), sums.to_numpy().tolist(), strict=True):
            key_code, common_code = divmod(code, len(common_keys))
            key = keys[key_code]
            kind, stage, recipient_id, reviewed = common_keys[common_code]
            rollup_key = (
                dimension, int(key) if by_id else 0, "" if by_id else str(key),
                kind, stage, recipient_id, reviewed,
            )  # fmt: skip
            delta[rollup_key] = Measures.of_list(totals)  # keys are unique within a dimension
    of: dict[str, Sequence[Any]] = {
        "donor": columns["donor_id"],
        "item": columns["item_id"],
        "month": [month_of[day] for day in columns["announced"]],
    }
    for dimension, (id_of, key_of, _keeps) in PARTLY_CROSSED.items():
        id_codes, id_index = pd.factorize(np.asarray(of[id_of], dtype=np.int64), sort=False)
        keyed = [""] * len(common) if key_of is None else of[key_of]
        key_codes, key_index = pd.factorize(pd.Series(keyed, dtype=object), sort=False)
        own_codes, own_keys = _partly_crossed_codes(dimension, common_keys, common_codes)
        width, depth = len(key_index), len(own_keys)
        group = (id_codes.astype(np.int64) * width + key_codes) * depth + own_codes
        sums = pd.DataFrame(measures).groupby(group, sort=False).sum()
        ids, texts = id_index.tolist(), [str(key) for key in key_index.tolist()]
        for code, totals in zip(sums.index.tolist(), sums.to_numpy().tolist(), strict=True):
            rest, own_code = divmod(code, depth)
            id_code, key_code = divmod(rest, width)
            rollup_key = (dimension, ids[id_code], texts[key_code], *own_keys[own_code])
            delta[rollup_key] = Measures.of_list(totals)
    return delta


def _partly_crossed_codes(
    dimension: str, common_keys: list[Any], common_codes: np.ndarray
) -> tuple[np.ndarray, list[tuple[str, str, int, bool]]]:
    """Per pledge, a code of what `dimension` (of PARTLY_CROSSED) keeps of its kind, stage,
    recipient and reviewed (`partly_crossed_common`), and the values of each code."""
    own = [partly_crossed_common(dimension, kind, stage) for kind, stage, *_r in common_keys]
    codes, index = pd.factorize(pd.Series(own, dtype=object), sort=False)
    return codes.astype(np.int64)[common_codes], index.tolist()

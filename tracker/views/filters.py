"""The filter vocabulary for the web: the one parser lives in tracker.services.filter_args
(the CLI reads its options with it too); pages, exports and the API import it from here."""

from __future__ import annotations

from tracker.services.filter_args import (
    FILTER_NAMES,
    FilterError,
    ParsedFilters,
    by_from_args,
    filters_from_args,
    parse_filter_args,
)

__all__ = [
    "FILTER_NAMES",
    "FilterError",
    "ParsedFilters",
    "by_from_args",
    "filters_from_args",
    "parse_filter_args",
]

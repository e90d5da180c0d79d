"""Which page of a long list a request asks for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def page_and_pages(args: Mapping[str, Any], count: int, page_size: int) -> tuple[int, int]:
    """The page `?page=` asks for (1 when missing or malformed, at most the last) and how
    many pages `count` rows fill."""
    pages = max(1, -(-count // page_size))
    text = str(args.get("page", "1"))
    wanted = int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 9 else 1
    return max(1, min(wanted, pages)), pages

"""Sources an analyst names by URL when entering a pledge by hand."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Source

WEB_ADDRESS = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def is_web_address(url: str) -> bool:
    """Whether `url` is a web address (http:// or https://), the only kind a source's URL
    may be: a page links it, and a "javascript:" one would run in the reader's browser."""
    return WEB_ADDRESS.fullmatch(url) is not None


def source_for_url(session: Session, url: str) -> Source:
    """The source already recorded at `url`, or a new manual-entry source for it."""
    cleaned = url.strip()
    existing = session.scalars(
        select(Source).where(Source.url == cleaned, Source.deleted_at.is_(None)).order_by(Source.id)
    ).first()
    if existing is not None:
        return existing
    source = Source(kind="manual", url=cleaned)
    session.add(source)
    session.flush()
    return source

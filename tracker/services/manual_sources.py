"""Sources an analyst names by URL when entering a pledge by hand."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Source


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

"""The review queue: imported pledges nobody has accepted or rejected yet, and the filter
that narrows it by source, donor, kind and flag (for the page and for decisions on a
whole source at once, see services.review)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from tracker.models import Donor, Pledge, Source


@dataclass(frozen=True)
class ReviewFilter:
    """Which queued pledges to show or decide on: by source, donor, kind, and flag.

    `flagged` True keeps pledges carrying a review flag, False those without one.
    """

    source_id: int | None = None
    donor_id: int | None = None
    kind: str | None = None
    flagged: bool | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """WHERE clauses for queued pledges (unreviewed, not rejected) under this filter."""
        where: list[ColumnElement[bool]] = [
            Pledge.reviewed.is_(False),
            Pledge.deleted_at.is_(None),
        ]
        if self.source_id is not None:
            where.append(Pledge.source_id == self.source_id)
        if self.donor_id is not None:
            where.append(Pledge.donor_id == self.donor_id)
        if self.kind is not None:
            where.append(Pledge.kind == self.kind)
        if self.flagged is not None:
            flag = Pledge.review_flag.is_not(None) & (Pledge.review_flag != "")
            where.append(flag if self.flagged else ~flag)
        return where

    def describe(self, session: Session) -> str:
        """The filter in words, for a decision's scope ("every queued pledge of source …")."""
        parts = []
        if self.source_id is not None:
            source = session.get(Source, self.source_id)
            label = (source.title or source.file_name or source.url) if source else None
            parts.append(f"source {self.source_id}" + (f" ({label})" if label else ""))
        if self.donor_id is not None:
            donor = session.get(Donor, self.donor_id)
            parts.append(f"donor {donor.name if donor else self.donor_id}")
        if self.kind is not None:
            parts.append(f"kind {self.kind}")
        if self.flagged is not None:
            parts.append("flagged" if self.flagged else "not flagged")
        return "every queued pledge" + (" of " + ", ".join(parts) if parts else "")


def queue_query(review_filter: ReviewFilter) -> Select[Any]:
    """The queued pledges under the filter, oldest first."""
    return select(Pledge).where(*review_filter.conditions()).order_by(Pledge.id)


def queue_count(session: Session, review_filter: ReviewFilter) -> int:
    """How many pledges the filter leaves in the queue."""
    query = select(func.count()).select_from(Pledge).where(*review_filter.conditions())
    return int(session.scalar(query) or 0)

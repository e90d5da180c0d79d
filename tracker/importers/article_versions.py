"""An article read again from its URL with its text changed: a new version of it.

A live blog or an updated news story keeps its URL and adds statements. Each version is
its own Source row (its text, SHA-256 and evidence kept, so every report still points at
the sentence it was read from); the versions of an article are the live article sources
of its URL, oldest first. A new version imports only its new statements: one stated by
an earlier version (the same donor, recipient, item and figure, whatever the sentence's
wording, place or date) was recorded then, and is left out, so that a source never
corroborates itself and nothing is counted twice. The new statements go through the
normal import (matching, updates, stage reports, requests).

The earlier versions' statements are read again from their stored texts with today's
extractor, so both sides of the comparison are read by the same rules.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract import extract
from tracker.extract.models import Extraction
from tracker.extract.vocabulary import Vocabulary
from tracker.importers.update_reports import keep_pledges
from tracker.models import Source

# What tells two statements apart besides the pledge and its figure: where and how the
# sentence says it, and the announcement day an updated page may read from a newer date
_NOT_COMPARED = frozenset(
    {
        "evidence", "evidence_start", "evidence_end", "part_of", "qualifier_text",
        "announced", "announced_precision", "notes", "stated_conversion",
    }
)  # fmt: skip


@dataclass(frozen=True)
class NewStatements:
    """What a new version of an article states that its earlier versions did not."""

    extraction: Extraction  # the new version's extraction, its repeated statements left out
    repeated: int  # statements an earlier version stated already
    previous: Source  # the latest earlier version


def statement_key(statement: Any) -> tuple[Hashable, ...]:
    """What makes a statement (an extracted pledge, stage report or request) the same one in
    two versions of an article: its kind and every field but `_NOT_COMPARED`."""
    return (
        type(statement).__name__,
        *(getattr(statement, f.name) for f in fields(statement) if f.name not in _NOT_COMPARED),
    )


def _keys(extraction: Extraction) -> set[tuple[Hashable, ...]]:
    """The statement keys of one extraction."""
    statements = (*extraction.pledges, *extraction.stage_reports, *extraction.requests)
    return {statement_key(s) for s in statements}


def earlier_versions(session: Session, url: str) -> list[Source]:
    """The live article sources read from `url`, oldest first."""
    return list(
        session.scalars(
            select(Source)
            .where(Source.kind == "article", Source.url == url, Source.deleted_at.is_(None))
            .order_by(Source.id)
        )
    )


def new_statements(
    extraction: Extraction, earlier: Sequence[Source], vocabulary: Vocabulary | None
) -> NewStatements:
    """`extraction` without the statements any of the `earlier` versions (at least one,
    oldest first) states, read again from their texts and publication dates. A package
    total stated before stays when one of its parts is new, so the part is grouped under
    it and its money is not counted beside the total's."""
    known: set[tuple[Hashable, ...]] = set()
    for version in earlier:
        known |= _keys(extract(version.text or "", version.published, vocabulary))
    pledges = extraction.pledges
    new = [i for i, p in enumerate(pledges) if statement_key(p) not in known]
    totals = {pledges[i].part_of for i in new if pledges[i].part_of is not None}
    kept = sorted({*new, *(t for t in totals if t is not None)})
    stage_reports = tuple(s for s in extraction.stage_reports if statement_key(s) not in known)
    requests = tuple(r for r in extraction.requests if statement_key(r) not in known)
    repeated = (
        len(pledges) - len(kept)
        + len(extraction.stage_reports) - len(stage_reports)
        + len(extraction.requests) - len(requests)
    )  # fmt: skip
    trimmed = replace(
        keep_pledges(extraction, kept), stage_reports=stage_reports, requests=requests
    )
    return NewStatements(trimmed, repeated, earlier[-1])

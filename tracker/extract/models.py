"""The frozen records the extractor returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class Sentence(NamedTuple):
    """A sentence and its character offsets into the article text (a named tuple: one is
    built for every sentence, four times faster than a frozen dataclass)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ExtractedPromisedFigure:
    """The earlier promise a stage report names ("of the more than 5,000 ... promised")."""

    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str


@dataclass(frozen=True)
class ExtractedPledge:
    """One donor's promise of one item or of an amount of money, with its evidence."""

    donor: str
    donor_kind: str
    recipient: str
    kind: str
    item: str
    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    qualifier_text: str | None
    announced: date | None
    announced_precision: str | None
    stated_conversion: tuple[Decimal, str] | None
    evidence: str
    evidence_start: int
    evidence_end: int
    category: str | None = None
    notes: str | None = None  # "jointly with Norway": a joint pledge, counted once
    part_of: int | None = None  # index in Extraction.pledges of the package total it itemises
    # A revision of an earlier promise ("raised its pledge to"): the words that say so, and
    # the figure before it where the sentence states it (see revisions.py).
    updates: str | None = None
    previous: ExtractedPromisedFigure | None = None


@dataclass(frozen=True)
class ExtractedRequest:
    """Something the recipient asks for, with the sentence that says so."""

    requester: str
    item: str
    evidence: str
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class ExtractedStageReport:
    """An allocation or delivery of an earlier pledge ("has delivered the first 1,000 of ...").

    It is not a new pledge: the import attaches it to the pledge it refers to. ``stage`` is
    ``allocated`` or ``delivered``; ``refers_to`` keeps the words that point back to the
    promise ("promised in July", "the previously announced package") and ``promised`` the
    earlier figure where the sentence states it. ``wording`` says how the figure is told
    (``stages.STAGE_WORDINGS``): ``increment`` ("another 1,000", "a second tranche"), a
    figure added to what was handed over before; ``cumulative`` ("the first 1,000", "3,000
    so far"), the whole handed over to date; ``plain`` neither.
    """

    donor: str
    donor_kind: str
    recipient: str
    kind: str
    item: str
    stage: str
    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None
    currency: str | None
    qualifier: str
    qualifier_text: str | None
    announced: date | None
    announced_precision: str | None
    refers_to: str | None
    promised: ExtractedPromisedFigure | None
    evidence: str
    evidence_start: int
    evidence_end: int
    category: str | None = None
    wording: str = "plain"


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article; offsets point into ``text``."""

    text: str
    pledges: tuple[ExtractedPledge, ...] = field(default_factory=tuple)
    requests: tuple[ExtractedRequest, ...] = field(default_factory=tuple)
    stage_reports: tuple[ExtractedStageReport, ...] = field(default_factory=tuple)

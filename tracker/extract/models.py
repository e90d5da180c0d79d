"""The frozen records the extractor returns."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

_Record = TypeVar("_Record")


def filled_at_once(cls: type[_Record]) -> type[_Record]:
    """Give a frozen dataclass an ``__init__`` with the same parameters that sets all its
    fields with one update of the instance's ``__dict__``. The one ``dataclass`` writes sets
    them one by one through ``object.__setattr__`` (a frozen class refuses plain assignment),
    about three times slower for the many fields of a pledge, and the extractor builds one
    record for every pledge it reads. The record stays frozen: ``__setattr__`` still refuses.
    """
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: a record built at once runs no __post_init__")
    names = [item.name for item in fields(cls)]  # type: ignore[arg-type]
    defaults: dict[str, Any] = {}
    params = []
    for item in fields(cls):  # type: ignore[arg-type]
        if item.default is not MISSING:
            defaults[f"_default_{item.name}"] = item.default
            params.append(f"{item.name}=_default_{item.name}")
        elif item.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{item.name}: default factories are not supported")
        else:
            params.append(item.name)
    entries = ", ".join(f"{name!r}: {name}" for name in names)
    source = f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({{{entries}}})\n"
    namespace: dict[str, Any] = {}
    exec(source, dict(defaults), namespace)  # noqa: S102 (as dataclasses builds its own)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


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


@filled_at_once
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


@filled_at_once
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

"""Package totals and their parts among an article's pledges (pure: no database).

A package is recorded whole: its stated total and each itemised part are all pledges
of the extraction, and this step marks which pledges itemise which total
(`ExtractedPledge.part_of`, the index of the total in `Extraction.pledges`), so the
import can count the money once. Two rules:

1. **Sums.** A money pledge is a stated total when the amounts of two or more other
   money pledges of the same donor and currency, stated next to it (one after the
   other, just after it or just before it, within `PACKAGE_WINDOW` characters), add up
   to it exactly: "$820 million ... valued at up to $50 million ... and $770 million"
   (within 1% where a figure is rounded: "nearly $424 million").
   The recipients may differ ("€45 million for Ukraine and €5 million for Moldova").
2. **Contents.** The pledges of a sentence naming a package's contents ("The package
   includes ...", "Capabilities in this package include:") and of the list lines that
   follow it are parts of the pledge of the same donor stated before them (the nearest
   one that is neither contents nor a part, and states money if one within the window
   does: the package is named by its sum), whether they carry money or not.
3. **Tranches.** Money paid or to be paid as a tranche of a facility (a pledge whose
   sentence also reports the handing over of that sum, or one noted "tranche i of n") is
   a part of the facility's ceiling where the article states it: the pledge of the same
   donor and currency that the tranche's own sentence names as the promise ("a sixth
   tranche of €1.5bn under the package worth up to €18bn"), else the nearest larger
   "up to" sum of that donor and currency in the article ("The Ukraine Facility of up to
   €50bn"). Without a stated ceiling a tranche stands alone.

Every pledge is still emitted: `tracker extract` and its scorer see the same pledges.
The rules look only at the pledges within the window (`_Nearby`) and at the ceilings of
the tranche's donor and currency, so the step grows with the article, not with its
square: a long text full of pledges is read in bounded time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from tracker.extract.lists import contents_start, list_item_start, opens_list
from tracker.extract.models import ExtractedPledge, Extraction
from tracker.extract.sentences import sentences_backwards

PACKAGE_WINDOW = 1500  # how far (characters) a part's sentence may be from its total's
MIN_PARTS = 2
# "nearly $424 million ... $276 million ... and $147 million": rounded figures add up to
# their total within this share of it; exact ones exactly.
ROUNDED_SHARE = Decimal("0.01")


def with_packages(extraction: Extraction) -> Extraction:
    """The extraction with `part_of` set on each pledge that itemises a package total."""
    pledges = extraction.pledges
    part_of: dict[int, int] = {}
    _summed_parts(pledges, part_of)
    _contents_parts(extraction.text, pledges, part_of)
    _tranche_parts(extraction, part_of)
    if not part_of:
        return extraction
    marked = tuple(replace(p, part_of=part_of.get(i)) for i, p in enumerate(pledges))
    return replace(extraction, pledges=marked)


class _Nearby:
    """Pledge indexes by where their sentences start, for the ones within PACKAGE_WINDOW
    characters of a pledge's sentence without a walk over them all."""

    def __init__(self, pledges: tuple[ExtractedPledge, ...], indexes: Iterable[int]) -> None:
        ordered = sorted((pledges[i].evidence_start, i) for i in indexes)
        self._starts = [start for start, _i in ordered]
        self._indexes = [i for _start, i in ordered]

    def around(self, pledge: ExtractedPledge) -> list[int]:
        """The indexes of the sentences starting within the window of `pledge`'s, in
        index order."""
        start = pledge.evidence_start
        low = bisect_left(self._starts, start - PACKAGE_WINDOW)
        high = bisect_right(self._starts, start + PACKAGE_WINDOW)
        return sorted(self._indexes[low:high])


def _money(pledge: ExtractedPledge) -> Decimal | None:
    """The pledge's amount when it states a positive sum in a currency, else None."""
    if pledge.amount is None or pledge.currency is None or pledge.amount <= 0:
        return None
    return pledge.amount


def _run_to(target: Decimal, run: list[tuple[int, Decimal]], slack: Decimal) -> list[int]:
    """The first pledges of `run` whose amounts add up to `target` (give or take `slack`),
    at least MIN_PARTS of them, else nothing."""
    total, chosen = Decimal(0), []
    for index, amount in run:
        total += amount
        chosen.append(index)
        if total >= target - slack:
            break
    return chosen if abs(total - target) <= slack and len(chosen) >= MIN_PARTS else []


def _summed_parts(pledges: tuple[ExtractedPledge, ...], part_of: dict[int, int]) -> None:
    """Rule 1: totals whose parts, stated next to them, add up to them exactly."""
    totals: set[int] = set()
    money = [(i, amount) for i, p in enumerate(pledges) if (amount := _money(p)) is not None]
    # the money pledges of each donor and currency, in order: a total's only peers
    same: dict[tuple[str, str | None], list[int]] = {}
    for i, _amount in money:
        same.setdefault((pledges[i].donor, pledges[i].currency), []).append(i)
    near = {key: _Nearby(pledges, group) for key, group in same.items() if len(group) > MIN_PARTS}
    amounts = dict(money)
    for index, target in money:
        if index in part_of:
            continue
        total = pledges[index]
        nearby = near.get((total.donor, total.currency))
        if nearby is None:
            continue  # itself and fewer than MIN_PARTS others
        peers = [
            (i, amounts[i])
            for i in nearby.around(total)
            if i != index and i not in part_of and i not in totals and amounts[i] < target
        ]  # fmt: skip
        if len(peers) < MIN_PARTS:
            continue
        after = [peer for peer in peers if peer[0] > index]
        before = [peer for peer in reversed(peers) if peer[0] < index]
        rounded = {pledges[i].qualifier for i, _amount in (*after, *before)} | {total.qualifier}
        slack = target * ROUNDED_SHARE if "about" in rounded else Decimal(0)
        chosen = _run_to(target, after, slack) or _run_to(target, before, slack)
        if chosen:
            totals.add(index)
            part_of.update(dict.fromkeys(chosen, index))


def _contents_parts(
    text: str, pledges: tuple[ExtractedPledge, ...], part_of: dict[int, int]
) -> None:
    """Rule 2: the contents of a package, parts of the pledge stated before them."""
    in_contents = _contents_flags(text, pledges)
    if not any(in_contents):
        return
    nearby = _Nearby(pledges, range(len(pledges)))
    for index, pledge in enumerate(pledges):
        if not in_contents[index] or index in part_of:
            continue
        heads = [
            i
            for i in reversed(nearby.around(pledge))
            if i < index and not in_contents[i] and i not in part_of
            and pledges[i].donor == pledge.donor
        ]  # fmt: skip
        head = next(
            (i for i in heads if _money(pledges[i]) is not None), heads[0] if heads else None
        )
        if head is not None:
            part_of[index] = head


def _contents_flags(text: str, pledges: tuple[ExtractedPledge, ...]) -> list[bool]:
    """For each pledge: whether its sentence names a package's contents, or is a line of
    a list of contents (opened by a sentence ending in ":", or by a pledge's contents
    sentence, with only list lines in between)."""
    flags: list[bool] = []
    for index, pledge in enumerate(pledges):
        previous = pledges[index - 1] if index else None
        if previous is not None and previous.evidence_start == pledge.evidence_start:
            flags.append(flags[index - 1])  # the same sentence: read once
            continue
        if contents_start(pledge.evidence) is not None:
            flags.append(True)
            continue
        start = previous.evidence_end if previous is not None else 0
        opened = previous is not None and flags[index - 1]
        if not opened and ":" not in text[start : pledge.evidence_start]:
            # no list opens between the pledge before (itself not in one) and this one
            flags.append(False)
        elif list_item_start(pledge.evidence) is None:
            flags.append(False)
        else:
            for sentence in sentences_backwards(text[start : pledge.evidence_start]):
                if opens_list(sentence):
                    opened = True
                    break
                if list_item_start(sentence) is None:
                    opened = False
                    break
            flags.append(opened)
    return flags


def _tranche_parts(extraction: Extraction, part_of: dict[int, int]) -> None:
    """Rule 3: tranches of a facility, parts of the ceiling the article states."""
    pledges = extraction.pledges
    handed_over = {
        (report.evidence_start, report.amount): report.promised
        for report in extraction.stage_reports
        if report.amount is not None
    }
    tranches = [
        i
        for i, p in enumerate(pledges)
        if i not in part_of and _money(p) is not None
        and ((p.evidence_start, p.amount) in handed_over or (p.notes or "").startswith("tranche "))
    ]  # fmt: skip
    if not tranches:
        return
    # the sums that may be a ceiling, by donor and currency
    tranche_set = set(tranches)
    sums: dict[tuple[str, str | None], list[int]] = {}
    for i, p in enumerate(pledges):
        if i not in tranche_set and i not in part_of and _money(p) is not None:
            sums.setdefault((p.donor, p.currency), []).append(i)
    for index in tranches:
        tranche = pledges[index]
        amount = _money(tranche)
        assert amount is not None
        ceilings = [
            i
            for i in sums.get((tranche.donor, tranche.currency), ())
            if (_money(pledges[i]) or 0) > amount
        ]  # fmt: skip
        promised = handed_over.get((tranche.evidence_start, amount))
        named = [
            i for i in ceilings
            if promised is not None and promised.amount == pledges[i].amount
            and promised.currency == pledges[i].currency
        ]  # fmt: skip
        stated = [i for i in ceilings if pledges[i].qualifier == "up_to"]
        chosen = named or sorted(
            stated, key=lambda i: abs(pledges[i].evidence_start - tranche.evidence_start)
        )
        if chosen:
            part_of[index] = chosen[0]

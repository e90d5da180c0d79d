"""A package total and its parts among an article's pledges: every pledge is still
emitted, and each part names the total it itemises (tracker.extract.packages)."""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import decode_article, extract, to_contract
from tracker.extract.lists import contents_start, list_item_start, opens_list
from tracker.extract.models import ExtractedPledge, Extraction
from tracker.extract.packages import PACKAGE_WINDOW, _contents_flags, _Nearby, with_packages
from tracker.extract.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "dev-corpus" / "articles"


def corpus_text(name: str) -> str:
    """One dev-corpus article's text; skipped (failed under CI) when the corpus is absent."""
    path = CORPUS / name
    if not path.is_file():
        message = f"the development corpus is missing: expected {path}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return decode_article(path.read_bytes())


def money(amount: int, *, donor: str = "Norway", currency: str = "EUR", at: int = 0,
          qualifier: str = "exact", recipient: str = "Ukraine") -> ExtractedPledge:  # fmt: skip
    """A money pledge whose sentence starts at `at`."""
    return ExtractedPledge(
        donor=donor, donor_kind="country", recipient=recipient, kind="financial", item="aid",
        quantity=None, unit=None, amount=Decimal(amount), currency=currency,
        qualifier=qualifier, qualifier_text=None, announced=None, announced_precision=None,
        stated_conversion=None, evidence=f"sentence at {at}", evidence_start=at,
        evidence_end=at + 10,
    )  # fmt: skip


def parts(*pledges: ExtractedPledge, text: str = "") -> list[int | None]:
    """The `part_of` of each pledge after the step."""
    return [p.part_of for p in with_packages(Extraction(text, pledges)).pledges]


def test_the_820m_total_and_its_50m_and_770m_parts_and_its_equipment_list() -> None:
    found = extract(corpus_text("06_us-dod-820m-pda-usai-list.txt"))
    total = next(i for i, p in enumerate(found.pledges) if p.amount == Decimal("820000000"))
    assert found.pledges[total].part_of is None
    by_amount = {p.amount: p.part_of for p in found.pledges if p.amount is not None}
    assert by_amount[Decimal("50000000")] == by_amount[Decimal("770000000")] == total
    listed = [p for p in found.pledges if p.amount is None]
    assert len(listed) >= 3  # NASAMS, rounds, radars: lines of "Included in this package are:"
    assert all(p.part_of == total for p in listed)


def test_a_total_whose_parts_go_to_different_recipients() -> None:
    found = extract(corpus_text("12_eu-echo-ukraine-50m-apr2022.txt"))
    amounts = [(p.amount, p.part_of) for p in found.pledges]
    total = amounts.index((Decimal("50000000"), None))
    assert (Decimal("45000000"), total) in amounts
    assert (Decimal("5000000"), total) in amounts


def test_the_contract_and_the_pledges_are_unchanged_by_the_step() -> None:
    found = extract(corpus_text("06_us-dod-820m-pda-usai-list.txt"))
    unmarked = replace(found, pledges=tuple(replace(p, part_of=None) for p in found.pledges))
    assert with_packages(unmarked) == found  # the step adds part_of and nothing else
    assert to_contract(found, {}) == to_contract(unmarked, {})


def test_parts_before_their_total_and_rounded_figures() -> None:
    assert parts(money(45), money(5, at=20), money(50, at=40)) == [2, 2, None]
    rounded = (money(424, qualifier="about"), money(276, at=5), money(147, at=6))
    assert parts(*rounded) == [None, 0, 0]
    assert parts(money(424), money(276, at=5), money(147, at=6)) == [None, None, None]


@pytest.mark.parametrize(
    "pledges",
    [
        (money(50), money(50, at=10)),  # one part is a restatement, not a package
        (money(50), money(45, at=10), money(5, at=20, donor="Sweden")),
        (money(50), money(45, at=10), money(5, at=20, currency="USD")),
        (money(50), money(45, at=10), money(5, at=5000)),  # too far to be its part
        (money(50), money(30, at=10), money(30, at=20)),  # sums past it
    ],
)
def test_no_package_without_two_near_parts_of_that_donor_and_currency(
    pledges: tuple[ExtractedPledge, ...],
) -> None:
    assert parts(*pledges) == [None] * len(pledges)


def test_a_contents_sentence_itemises_the_money_pledge_before_it() -> None:
    text = "Norway pledged €100 million. Norway sends 5 trucks. The package includes 30 tanks."
    found = extract(text)
    total = next(i for i, p in enumerate(found.pledges) if p.amount is not None)
    tanks = next(p for p in found.pledges if p.quantity == 30)
    assert tanks.part_of == total


@given(
    st.lists(st.integers(1, 10_000), min_size=2, max_size=6),
    st.integers(0, 3),
)
def test_any_parts_that_add_up_to_a_total_stated_before_them_are_its_parts(
    amounts: list[int], others: int
) -> None:
    total = money(sum(amounts))
    listed = [money(a, at=10 * (i + 1)) for i, a in enumerate(amounts)]
    elsewhere = [money(7, donor="Sweden", at=500 + i) for i in range(others)]
    marked = parts(total, *listed, *elsewhere)
    assert marked == [None, *([0] * len(amounts)), *([None] * others)]


def test_tranches_are_parts_of_the_ceiling_their_article_states() -> None:
    found = extract(corpus_text("15_eu-mfa-plus-sixth-tranche-jul2023.txt"))
    ceiling = next(i for i, p in enumerate(found.pledges) if p.amount == Decimal("18000000000"))
    tranches = [p for p in found.pledges if p.amount == Decimal("1500000000")]
    assert len(tranches) == 3  # the sixth, paid; two further, unlocked
    assert all(p.part_of == ceiling for p in tranches)
    assert found.pledges[ceiling].part_of is None


def test_a_disbursement_under_a_facility_is_a_part_of_its_ceiling() -> None:
    found = extract(corpus_text("14_eu-ukraine-facility-4-5bn-bridge.txt"))
    ceiling = next(i for i, p in enumerate(found.pledges) if p.amount == Decimal("50000000000"))
    paid = next(p for p in found.pledges if p.amount == Decimal("4500000000"))
    assert paid.part_of == ceiling


def test_a_tranche_without_a_stated_ceiling_stands_alone() -> None:
    tranche = replace(money(1_500_000_000), notes="tranche 1 of 2")
    other = replace(money(900_000_000, at=50), notes="tranche 2 of 2")
    assert parts(tranche, other, money(2_000_000_000, donor="Germany", qualifier="up_to")) == [
        None,
        None,
        None,
    ]
    ceiling = money(18_000_000_000, at=100, qualifier="up_to")
    assert parts(tranche, other, ceiling) == [2, 2, None]


def _contents_flags_by_splitting(text: str, pledges: tuple[ExtractedPledge, ...]) -> list[bool]:
    """``_contents_flags`` as first written: every sentence between two pledges is split
    and read back from the later one (what the shortcuts of the step must agree with)."""
    flags: list[bool] = []
    for index, pledge in enumerate(pledges):
        previous = pledges[index - 1] if index else None
        if contents_start(pledge.evidence) is not None:
            flags.append(True)
        elif previous is not None and previous.evidence_start == pledge.evidence_start:
            flags.append(flags[index - 1])
        elif list_item_start(pledge.evidence) is None:
            flags.append(False)
        else:
            start = previous.evidence_end if previous is not None else 0
            between = split_sentences(text[start : pledge.evidence_start])
            opened = previous is not None and flags[index - 1]
            for sentence in reversed(between):
                if opens_list(sentence.text):
                    opened = True
                    break
                if list_item_start(sentence.text) is None:
                    opened = False
                    break
            flags.append(opened)
    return flags


_LINES = (
    "Germany pledged €50m in military aid.", "The package includes: ",
    "Included in this package are:",
    "Two NASAMS;", "Up to 150,000 rounds of 155mm artillery ammunition; and",
    "- 20 armoured vehicles,", "• Generators.", "Analysts said the support would take months: "
    "officials agreed.", "The package also includes 30 tanks and 12 howitzers.",
    "It was the largest package so far, officials said on Wednesday in a statement to reporters.",
    "Capabilities in this package include:", "Mr. Smith said:", "", "  ",
)  # fmt: skip


@given(
    st.lists(st.sampled_from(_LINES), max_size=14).map("\n".join),
    st.lists(st.integers(0, 2), max_size=30),
)
def test_contents_flags_agree_with_reading_every_sentence_between(
    text: str, repeats: list[int]
) -> None:
    sentences = split_sentences(text)
    pledges = tuple(
        replace(
            money(1, at=sentence.start), evidence=sentence.text, evidence_end=sentence.end
        )  # fmt: skip
        for sentence, count in zip(sentences, repeats, strict=False)
        for _ in range(count)
    )
    assert _contents_flags(text, pledges) == _contents_flags_by_splitting(text, pledges)


@given(
    starts=st.lists(st.integers(min_value=0, max_value=6 * PACKAGE_WINDOW), max_size=40),
    data=st.data(),
)
def test_the_pledges_near_one_are_those_within_the_window_in_index_order(
    starts: list[int], data: st.DataObject
) -> None:
    """`_Nearby` finds, without a walk over every pledge, exactly the pledges whose
    sentences start within PACKAGE_WINDOW characters of one's, in any order of starts."""
    pledges = tuple(money(100, at=at) for at in starts)
    chosen = (
        data.draw(st.lists(st.sampled_from(range(len(pledges))), unique=True)) if pledges else []
    )
    nearby = _Nearby(pledges, chosen)
    for pledge in pledges:
        expected = sorted(
            i for i in chosen
            if abs(pledges[i].evidence_start - pledge.evidence_start) <= PACKAGE_WINDOW
        )  # fmt: skip
        assert nearby.around(pledge) == expected

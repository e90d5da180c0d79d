"""Every word listed in the extractor's vocabulary is found by the matcher built from it."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract import extract, lexicon
from tracker.extract.lists import CONTENTS_SUBJECTS, contents_start
from tracker.extract.patterns import fold_case
from tracker.extract.stages import HANDING_OVER_VERBS, PROMISE_WORDS, handing_over_stage
from tracker.extract.triggers import HEDGE_RE, NEGATION_RE, find_triggers, has_request

ON = date(2025, 7, 10)


def _found(sentence: str, word: str) -> bool:
    """True when a trigger covers ``word`` in ``sentence``."""
    start = sentence.index(word)
    return any(t.start == start and t.end == start + len(word) for t in find_triggers(sentence))


@pytest.mark.parametrize("form", lexicon.forms_of(lexicon.GIVING_VERBS))
def test_every_form_of_a_verb_of_giving_is_a_trigger(form: str) -> None:
    assert _found(f"Germany {form} tanks to Ukraine.", form)


@pytest.mark.parametrize("form", lexicon.forms_of(lexicon.RECEIVE_VERBS))
def test_every_form_of_a_verb_of_receiving_is_a_trigger(form: str) -> None:
    assert _found(f"Ukraine {form} tanks from Germany.", form)


@pytest.mark.parametrize("form", lexicon.forms_of(lexicon.BENEFIT_VERBS))
def test_verbs_of_benefit_are_triggers_only_for_the_recipient(form: str) -> None:
    assert _found(f"Germany {form} €5m on drones for Ukraine.", form)
    assert not _found(f"Germany {form} €5m on drones for its army.", form)


def test_forms_that_are_nouns_are_left_out() -> None:
    forms = lexicon.forms_of(lexicon.GIVING_VERBS)
    assert "funding" not in forms and "financing" not in forms and "pay" not in forms
    assert lexicon.inflections("supply") == ("supply", "supplies", "supplied", "supplying")
    assert lexicon.inflections("commit") == ("commit", "commits", "committed", "committing")


@pytest.mark.parametrize("verb", [v for v in HANDING_OVER_VERBS if v.isalpha()] + ["handed over"])
def test_every_verb_of_handing_over_reports_a_stage(verb: str) -> None:
    text = f"Germany has {verb} the first tranche of the aid."
    assert _found(text, verb.split()[0]) or "over" in verb
    start = text.index(verb)
    assert handing_over_stage(fold_case(text), len("Germany"), start, start + len(verb), None)


@pytest.mark.parametrize("word", PROMISE_WORDS)
def test_every_promise_word_keeps_a_handing_over_a_pledge(word: str) -> None:
    text = f"Germany {word} delivered the first tranche of the aid."
    start = text.index("delivered")
    assert handing_over_stage(fold_case(text), len("Germany"), start, start + 9, None) is None


@pytest.mark.parametrize("subject", CONTENTS_SUBJECTS)
def test_every_contents_subject_opens_a_list(subject: str) -> None:
    assert contents_start(f"The {subject} includes 30 tanks.") is not None


def _pledged(text: str) -> bool:
    return bool(extract(text, ON).pledges)


def test_the_plain_sentence_of_the_tests_below_is_a_pledge() -> None:
    assert _pledged("Germany will send 5 tanks to Ukraine.")
    assert not extract("Ukraine mentioned more air defence.", ON).requests


@pytest.mark.parametrize("word", [*lexicon.forms_of(lexicon.HEDGE_VERBS), *lexicon.HEDGE_WORDS])
def test_every_hedge_keeps_a_verb_of_giving_from_pledging(word: str) -> None:
    text = f"Germany {word} send 5 tanks to Ukraine."
    assert HEDGE_RE.search(text) is not None
    assert not _pledged(text)


@pytest.mark.parametrize(
    "word",
    [
        *lexicon.NEGATION_WORDS,
        *lexicon.NEGATION_STEMS,
        *lexicon.forms_of(lexicon.NEGATION_VERBS),
        *(f"do{suffix}" for suffix in lexicon.NEGATION_SUFFIXES),
    ],
)
def test_every_negation_keeps_a_verb_of_giving_from_pledging(word: str) -> None:
    text = f"Germany {word} send 5 tanks to Ukraine."
    assert NEGATION_RE.search(fold_case(text)) is not None
    assert not _pledged(text)


def _request_sentences() -> list[str]:
    sentences = []
    for verb, gap, after in lexicon.REQUEST_PHRASES:
        for form in lexicon.forms_of((verb,)):
            between = " allies" if gap else ""
            for asked in lexicon.ASKED_GIVING if "<giving>" in after else ("",):
                words = after.replace("<giving>", asked)
                sentences.append(f"Ukraine {form}{between} {words} more air defence.")
    sentences += [f"For Ukraine, {s} more air defence." for s in lexicon.REQUEST_STATEMENTS]
    for needer in lexicon.NEEDERS:
        for adverb in ("", *lexicon.NEED_ADVERBS):
            for form in lexicon.NEED_FORMS:
                sentences.append(
                    f"Zelensky said {needer} {adverb} {form} more air defence.".replace("  ", " ")
                )
    return sentences


@pytest.mark.parametrize("text", _request_sentences())
def test_every_phrase_of_asking_makes_a_request(text: str) -> None:
    assert has_request(text)
    assert [r.item for r in extract(text, ON).requests] == ["air defence"]


@pytest.mark.parametrize("verb", lexicon.forms_of(lexicon.CONTINUING_VERBS))
def test_every_verb_of_going_on_keeps_a_giving_without_a_number_from_pledging(
    verb: str,
) -> None:
    to = "" if verb.endswith("ing") else " to"
    assert _pledged("Germany will send more air defence systems to Ukraine.")
    assert not _pledged(f"Germany {verb}{to} send more air defence systems to Ukraine.")
    assert _pledged(f"Germany {verb}{to} send 5 air defence systems to Ukraine.")


@pytest.mark.parametrize("words", lexicon.TAKEN_BACK_WORDS)
def test_every_word_taking_a_sum_back_leaves_the_sum_after_it(words: str) -> None:
    text = f"The Netherlands pledged 40 million euros - {words}, 400 million euros for drones."
    assert [p.amount for p in extract(text, ON).pledges] == [400_000_000]


@pytest.mark.parametrize("staple", lexicon.STAPLE_FOODS)
def test_every_staple_food_given_by_weight_is_counted_in_tonnes(staple: str) -> None:
    (pledge,) = extract(f"Thailand will donate 1,000 tonnes of {staple}.", ON).pledges
    assert (pledge.quantity, pledge.unit) == (1000, "tonnes")

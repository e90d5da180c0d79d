"""The stages of reading one sentence, each on its own (see tracker/extract/clauses.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract
from tracker.extract.clauses import (
    HANDED_OVER_PARTICIPLES,
    SentenceState,
    build_pledges,
    classify,
    denied,
    read_actors,
    read_figures,
    read_recipient,
    read_sentence,
)
from tracker.extract.givers import ArticleContext
from tracker.extract.models import Sentence
from tracker.extract.stage_clauses import report_stages

ON = date(2025, 7, 10)


def _view(text: str) -> tuple:
    context = ArticleContext(ON, article=text)
    sentence = Sentence(0, len(text), text)
    view = read_sentence(sentence, context.mentions_of(text), context)
    return view, context


def test_the_stages_read_a_joint_sum_as_one_pledge_of_the_first_donor() -> None:
    view, context = _view("Germany and Norway will fund €300m of air defence for Ukraine.")
    assert view is not None and len(view.triggers) == 1
    state = SentenceState()
    clause = read_actors(view, 0, context, state)
    assert clause is not None
    assert [d.name for d in clause.donors] == ["Germany", "Norway"]
    assert clause.recipient is None
    clause = read_recipient(view, clause)
    assert clause.recipient == "Ukraine"
    assert not denied(view, clause)
    figures = read_figures(view, clause, context, state)
    assert [d.name for d in figures.donors] == ["Germany"]
    assert figures.notes == "jointly with Norway"
    verdict = classify(view, clause, figures)
    assert verdict.stage is None and verdict.pledged == figures.found
    (pledge,) = build_pledges(view, clause, figures, verdict, context)
    assert (pledge.donor, pledge.amount, pledge.currency) == ("Germany", Decimal(300000000), "EUR")


def test_a_denied_clause_is_not_a_pledge() -> None:
    view, context = _view("Hungary will not send 5 tanks to Ukraine.")
    clause = read_actors(view, 0, context, SentenceState())
    assert clause is not None and denied(view, clause)


def test_a_sentence_without_a_word_of_giving_has_no_view() -> None:
    assert _view("Russia fired 40 missiles at Kyiv overnight.")[0] is None


def test_a_handing_over_is_a_stage_report_and_a_tranche_also_a_pledge() -> None:
    view, context = _view("The EU has disbursed a second tranche of €4bn to Ukraine.")
    state = SentenceState()
    clause = read_actors(view, 0, context, state)
    assert clause is not None
    clause = read_recipient(view, clause)
    figures = read_figures(view, clause, context, state)
    verdict = classify(view, clause, figures)
    assert verdict.stage == "delivered"
    assert [money.value for _, _, _, money in verdict.pledged if money] == [Decimal(4000000000)]
    (report,) = report_stages(view, clause, figures, verdict.stage, context)
    assert report.amount == Decimal(4000000000)

    view, context = _view(
        "Britain has delivered the first 1,000 of the 5,000 missiles it promised."
    )
    clause = read_actors(view, 0, context, SentenceState())
    assert clause is not None
    figures = read_figures(view, clause, context, SentenceState())
    assert classify(view, clause, figures) == ("delivered", [])


def test_a_pronoun_subject_stands_for_the_donor_before_at_its_own_place() -> None:
    context = ArticleContext(ON, article="")
    context.previous_sentence = "Officials welcomed a statement by the German government."
    text = "It will send 5 tanks to Ukraine."
    sentence = Sentence(0, len(text), text)
    view = read_sentence(sentence, context.mentions_of(text), context)
    clause = read_actors(view, 0, context, SentenceState())
    assert clause is not None
    (donor,) = clause.donors
    assert donor.name == "Germany"
    assert donor.start <= text.index("It") < clause.trigger.start  # the subject, not elsewhere
    assert clause.objects_from == clause.trigger  # so no passive: the objects follow the verb


@given(
    participle=st.sampled_from(HANDED_OVER_PARTICIPLES),
    told=st.sampled_from([", all of which have been {}", ", both of which were {} in May",
                          ", all of them had now been {}"]),
    count=st.integers(min_value=2, max_value=90),
    millions=st.integers(min_value=2, max_value=900),
)  # fmt: skip
def test_every_participle_of_handing_over_tells_a_promise_done(
    participle: str, told: str, count: int, millions: int
) -> None:
    """Each word of HANDED_OVER_PARTICIPLES, after "all of which have been" or after a
    promise's participle set off by commas: the promise is handed over, no pledge."""
    promise = f"Germany financed {count} radars for Ukraine under a €{millions}m contract"
    assert extract(f"{promise}, to be delivered next year.", ON).pledges != ()
    assert extract(f"{promise}{told.format(participle)}.", ON).pledges == ()
    set_off = f"Germany's {count} tanks, pledged in March, have been {participle}."
    assert extract(set_off, ON).pledges == ()

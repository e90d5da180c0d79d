"""The stages that read the pledges of one sentence, each a small function with typed
inputs and outputs (``rules.sentence_pledges`` runs them in order):

1. ``read_sentence`` — find the words of giving (``SentenceView``: the triggers, with the
   sentence's numbers, dates and actors read once);
2. ``read_actors`` — for one trigger, its donors and clause (``Clause``);
3. ``denied`` — not a pledge: a denial, a hedge or a running total (its objects are passed
   over); else ``read_recipient`` gives the clause its recipient;
4. ``read_figures`` — the objects: sums and counted items with their catalogue items, one
   donor for a joint sum, the date of the announcement (``Figures``);
5. ``classify`` — a pledge, a stage report of an earlier pledge, or both for a disbursed
   tranche (``Verdict``);
6. ``stage_clauses.report_stages`` and ``build_pledges`` — the records.

``SentenceState`` carries what one clause leaves to the next (the objects read so far, the
donors of the last clause, whether a handing over was read).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from tracker import reference
from tracker.extract.dates import DateMention, date_near, find_dates, speech_date
from tracker.extract.donors import Mention
from tracker.extract.givers import (
    FACILITY_NAME_RE,
    SUM_SUBJECT_RE,
    ArticleContext,
    donors_for,
    names_default_recipient,
    negated_or_hedged,
    recipient_of,
)
from tracker.extract.items import ItemMatch, match_item
from tracker.extract.lexicon import CONTINUING_VERBS, forms_of, phrase_union
from tracker.extract.models import ExtractedPledge, Sentence
from tracker.extract.numbers import NumberPhrase, find_numbers, resolve_local_currency
from tracker.extract.objects import read_objects
from tracker.extract.patterns import (
    contains_any,
    first_letter_union,
    fold_lowered,
    folded_regex,
    group_name,
    lower_case,
)
from tracker.extract.phrases import equipment_list, unknown_item
from tracker.extract.revisions import counted_revision, may_revise
from tracker.extract.stages import (
    SINCE_WHAT,
    handed_over_part,
    handing_over_stage,
    hands_over_a_known_thing,
    passive_points_back,
    pays_a_tranche,
    running_total_stage,
    tranche_count,
)
from tracker.extract.triggers import CLAUSE_BREAK_RE, Trigger, find_triggers

_CUMULATIVE_RE = folded_regex(
    rf"(?P<since>\bsince)\s+(?:{'|'.join(SINCE_WHAT)})\b|\bin\s+total\b|\bto\s+date\b"
)
# "since" between a verb of handing over and its auxiliary ("we have since sent 200
# vehicles"), and a noun of giving that "now totals" a figure ("The UK's contributions to the
# fund now total £77m"): what was given to date.
_SINCE_BEFORE_RE = folded_regex(r"\b(?:has|have|had)\s+since\s+$")
_HANDED_SINCE_RE = folded_regex(
    r"(?:sent|delivered|provided|given|supplied|transferred|donated|handed)\b"
)
_NOW_TOTALS_RE = folded_regex(
    r"[^,;.]{0,60}?\bnow\s+(?:total(?:s|led)?|stands?\s+at|amounts?\s+to)\b"
)
_CUMULATIVE_WORDS = ("since", "total", "date")  # one is in every match above
_CONTINUING_RE = folded_regex(rf"\b(?:{phrase_union(forms_of(CONTINUING_VERBS))})\b")
_RESPECTIVE_WORDS = ("respectively", "in that order")
_RESPECTIVELY_RE = folded_regex(rf"[^,;.]*?,?\s*\b(?:{phrase_union(_RESPECTIVE_WORDS)})\b")
_EACH_RE = folded_regex(rf"\b(?:each|both|apiece|{phrase_union(_RESPECTIVE_WORDS)})\b")
# "The new systems are part of a €1.2bn package": the package of the pledge named before.
_PART_OF_RE = re.compile(
    r"\b(?:is|are|was|were|form|forms)\s+(?:all\s+)?part\s+of\s+(?:a|an|the)\s"
)
# Ordinals in words, up to the twelfth and by their endings after it.
_ORDINAL_WORDS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|\w+teenth|\w+tieth"
)
# "its 72nd package since 2021", "our thirteenth drawdown of arms ... since August 2021", "its
# biggest since the start of the war": it ranks the package, it sums nothing.
_ORDINAL_BEFORE_RE = re.compile(
    rf"(?:\d(?:st|nd|rd|th)|\b(?:{_ORDINAL_WORDS}|\w+-(?:first|second|third|\w+th)"
    r"|biggest|largest|greatest|highest|heaviest|strongest|smallest|lowest))"
    r"\s+(?:[\w.’'-]+\s+){0,14}$",
    re.IGNORECASE,
)
_POSTPOSED_PARTICIPLE_RE = re.compile(
    r"[$€£\d][^,;]{0,60}\b(?:aid|assistance|funding|support|package|money|funds)\s+$"
)
# (a verb of saying as a whole word: its first letter not after a word character; starting
# with the letters, the engine skips to where one may start)
_SAID_WORDS = ("said", "says", "announced", "added", "confirmed")
_SAID_THAT_RE = re.compile(first_letter_union({"said": _SAID_WORDS}, r"\w") + r"\s+(?:that\s+)?")
_COORDINATED_RE = re.compile(r"\band\s+(?:also\s+)?$")
# A donor standing in a list of sums, its verb left out: "Sweden will give $250m, Denmark
# $150m and Norway $100m" (the joiner before the donor, nothing between it and its sum).
_GAPPED_BEFORE_RE = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")
# A clause opened by ", bringing" or ", taking" ("..., bringing its total to €252m", "...,
# taking its contributions to the fund to £1bn") tells a running total.
_RUNNING_TOTAL_START_RE = re.compile(r",\s*(?:bringing|taking)$")
# After a speaker's words set off by commas, the sums of the clause before go on: another
# donor's sum without its verb, or a part ("..., Baerbock said, and France €110m", "...,
# the minister said, including €100m for ...").
_LIST_GOES_ON_RE = re.compile(
    r"\s*(?:and\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s+|including\s+)"
    r"(?:about\s+|some\s+|more\s+than\s+|up\s+to\s+)?(?:[$€£¥]|[A-Z]{1,3}\$|[A-Z]{3}\s|\d)"
)
_WHICH_WILL_RE = re.compile(r",\s*which\s+(?:will|would|shall)\s+(?:also\s+)?$")
# ", which sets aside ...": a verb of giving (not of receiving) keeps the donor before too.
_WHICH_RE = re.compile(r",\s*which\s+(?:also\s+)?$")
# The participles that tell things handed over, done, after "has been", "was" or "all of
# which were" (money's own, "paid", "disbursed", are added where a sum may be meant).
HANDED_OVER_PARTICIPLES = ("delivered", "handed over", "transferred")
_HANDED_OVER = phrase_union(HANDED_OVER_PARTICIPLES)
# The verb of the antecedent of a relative clause of giving, done: what was promised has been
# handed over ("The $20bn that Washington lent ... was paid in full last year").
_PAID_IN_FULL_RE = re.compile(
    r"[^,;:]*?\b(?:(?:was|were|(?:has|have|had)\s+(?:already\s+|now\s+)?been)\s+"
    r"(?:already\s+|now\s+|fully\s+)?"
    rf"(?:paid|disbursed|{_HANDED_OVER}|spent)"
    r"|(?:has|have|had)\s+(?:already\s+|now\s+)?(?:arrived|reached))\b"
)
# A promise told handed over right after the words set off by commas that follow its verb
# or noun ("its order of 18 howitzers, announced in the spring, had now been delivered"), or
# after a participle of giving set off itself ("The 12 tanks, pledged in March, have been
# delivered").
_DONE = (
    r"\s+(?:(?:has|have|had)\s+(?:now\s+|already\s+)?been|was|were)\s+(?:now\s+|already\s+"
    rf"|fully\s+)?(?:paid|disbursed|{_HANDED_OVER})\b"
)
_SET_OFF_DONE_RE = re.compile(rf"[^,;:.]*,\s+\w+ed\b[^,;:]*,{_DONE}")
# A clause after the promise telling all of it handed over ("four radars for Ukraine under a
# contract of €62m, all of which have been delivered"; "..., completing its delivery of six
# aircraft"): a delivery told, no pledge.
_ALL_DONE_RE = re.compile(
    r",\s*(?:(?:all|both)\s+of\s+(?:which|them)\s+(?:(?:has|have|had)\s+(?:now\s+|already\s+)?"
    rf"(?:been\s+(?:{_HANDED_OVER}|shipped)|arrived)|(?:was|were)\s+"
    rf"(?:already\s+)?(?:{_HANDED_OVER}))"
    r"|complet(?:ing|ed)\s+(?:its|their|the)\s+deliver(?:y|ies)\s+of)\b",
    re.IGNORECASE,
)
_ALL_DONE_HINTS = ("all of", "both of", "complet")  # one is in every match above
_SET_OFF_PARTICIPLE_DONE_RE = re.compile(rf"[^,;:]*,{_DONE}")


def _set_off_paid(text: str, trigger: Trigger) -> int | None:
    """Where the words telling a promise handed over end, when they follow a verb or noun of
    giving and the words set off after it, or a participle of giving set off by commas,
    else None."""
    done = _SET_OFF_DONE_RE.match(text, trigger.end)
    if (
        done is None
        and text.startswith(", ", trigger.start - 2)
        and text.endswith("ed", trigger.start, trigger.end)
    ):
        done = _SET_OFF_PARTICIPLE_DONE_RE.match(text, trigger.end)
    return done.end() if done is not None else None


# The last part of a promise, before the noun that names it: "the last of three instalments
# of its £2.26bn loan", "the final tranche of the €18bn loan".
_LAST_PART_RE = re.compile(
    r"\bthe\s+(?:last|final|remaining)\s+(?:of\b|(?:\w+\s+)?(?:instal+ments?|tranches?"
    r"|payments?)\b)",
    re.IGNORECASE,
)
_RELATIVE_PRONOUN_RE = re.compile(r"\b(?:that|which)\s+(?:the\s+)?$")
_SPEECH_VERB_RE = re.compile(
    r"\b(?:said|says|announced|confirmed|added|stated|noted|told\s+\w+)\s+(?:on\s+\w+\s+)?$"
)


# What ``read_objects`` gives: (item, number, quantity, money).
Found = tuple[ItemMatch, NumberPhrase | None, Decimal | None, NumberPhrase | None]


class SentenceView(NamedTuple):
    """Stage 1: a sentence with its words of giving, read once for every later stage."""

    sentence: Sentence
    text: str
    lowered: str  # lower_case(text)
    folded: str  # fold_case(text)
    triggers: list[Trigger]
    numbers: list[NumberPhrase]
    dates: list[DateMention]
    mentions: list[Mention]
    revising: bool  # revisions.may_revise(folded): the sentence may revise a promise


@dataclass
class SentenceState:
    """What the clauses of a sentence read so far leave to the next one."""

    consumed_until: int = 0  # the objects before this offset belong to an earlier clause
    last_donors: list[Mention] = field(default_factory=list)
    handed_over: bool = False
    pledged: list[Found] = field(default_factory=list)  # what earlier clauses pledged
    # an "of which" clause telling a part of the promise handed over: (start, its verb's
    # end, stage); the words of giving in it start no clause of their own
    part: tuple[int, int, str] | None = None
    joint: list[Mention] | None = None  # the donors of a joint sum an earlier clause pledged
    done_until: int = 0  # the end of the verb telling a promise named before it handed over


class Clause(NamedTuple):
    """Stage 2: one word of giving with its donors, where its clause runs, its recipient."""

    position: int  # of the trigger in SentenceView.triggers
    trigger: Trigger  # the clause's start, for a verb in a relative clause
    donors: list[Mention]
    recipient: str | None  # set by read_recipient; None: not counted ("to Russia")
    clause_start: int
    segment_end: int  # where its objects end
    objects_from: Trigger  # where its objects start (before the verb in a passive)


class Figures(NamedTuple):
    """Stage 4: what a clause gives, by whom, and when it was announced."""

    found: list[Found]
    donors: list[Mention]  # the first donor alone for a joint sum
    notes: str | None  # "jointly with Norway"
    announced: date | None
    precision: str | None


class Verdict(NamedTuple):
    """Stage 5: what the clause states."""

    stage: str | None  # "delivered": a handing over of an earlier promise (a stage report)
    pledged: list[Found]  # what is pledged (none for a plain handing over)


def read_sentence(
    sentence: Sentence,
    mentions: list[Mention],
    context: ArticleContext,
    lowered: str | None = None,
    first_trigger: int = 0,
) -> SentenceView | None:
    """Stage 1: the words of giving of a sentence (none start before ``first_trigger``),
    with its numbers and dates; None without any."""
    text = sentence.text
    if lowered is None:
        lowered = lower_case(text)
    triggers = find_triggers(text, lowered, first_trigger)
    if not triggers:
        return None
    folded = fold_lowered(lowered)
    return SentenceView(sentence, text, lowered, folded, triggers, find_numbers(text, lowered),
                        find_dates(text, context.published, lowered), mentions,
                        may_revise(folded))  # fmt: skip


def read_actors(
    view: SentenceView, index: int, context: ArticleContext, state: SentenceState
) -> Clause | None:
    """Stage 2: the donors of the ``index``-th word of giving and its clause; None when it
    has no donor. A verb coordinated with the one before ("... and earmarked
    €50m") or after ", which will" keeps that one's donors."""
    text, trigger = view.text, view.triggers[index]
    if state.part is not None and state.part[0] <= trigger.start < state.part[1]:
        return None  # "of which €10bn has been delivered": a part of the promise before
    donors = donors_for(text, trigger, view.mentions, context, view.folded)
    # ("which" is in every match of the relative patterns: a cheap test first)
    relative_words = "which" in text
    which = (
        _WHICH_RE.search(text, 0, trigger.start) if relative_words and not trigger.receive else None
    )
    if which is not None and (antecedent := _which_donor(view.mentions, which.start())):
        donors = [antecedent]  # "... together with Germany, which supplied seven more"
    if (
        not donors
        and state.last_donors
        and (
            _COORDINATED_RE.search(text, 0, trigger.start)
            or (relative_words and _WHICH_WILL_RE.search(text, 0, trigger.start))
            or (relative_words and not trigger.receive and _WHICH_RE.search(text, 0, trigger.start))
        )
    ):  # "agreed to give Moldova €270m ... and earmarked €50m for...", "I am authorizing
        donors = state.last_donors  # our 41st drawdown, which will provide $500 million"
    if not donors:
        return None
    state.last_donors = donors
    segment_end = _segment_end(text, view.triggers, index)
    if index + 1 < len(view.triggers) and view.triggers[index + 1].noun:
        segment_end = _before_noun_s_figure(view, view.triggers[index + 1], segment_end)
    clause_start = _clause_start(text, trigger.start)
    relative = _relative_before(text, donors[0], trigger, view.numbers)
    if relative is not None and state.handed_over:
        return None  # "delivered 12 howitzers that Berlin had promised": the promise named
    if trigger.start < state.done_until:
        return None  # "... was paid in full": the verb of a promise told handed over
    if contains_any(text, _ALL_DONE_HINTS) and _ALL_DONE_RE.search(text, trigger.end):
        return None  # "..., all of which have been delivered": the whole promise handed over
    if relative is not None and (done := _PAID_IN_FULL_RE.match(text, donors[0].end)):
        state.done_until = done.end()
        return None  # "The $20bn that Washington lent was paid in full": the promise handed over
    if (
        (" been " in text or " was " in text or " were " in text)
        and text.find(",", trigger.end) >= 0
        and (done_at := _set_off_paid(text, trigger))
    ):
        state.done_until = done_at
        return None  # "its order of 18 howitzers, announced in the spring, has been delivered"
    if (
        trigger.noun
        and _LAST_PART_RE.search(text, clause_start, trigger.start)
        and _PAID_IN_FULL_RE.match(text, trigger.end)
    ):
        return None  # "the last of three instalments of its £2.26bn loan had reached Kyiv"
    if relative is not None:  # "a €1.2bn package that Berlin unveiled"
        clause_start = _clause_start(text, relative)
        segment_end = relative
        trigger = Trigger(clause_start, clause_start, False, False)
    part = handed_over_part(view.folded, trigger.end, segment_end)
    if part is not None:  # "pledged €28bn, of which €10bn has been delivered"
        state.part, segment_end = part, part[0]
    objects_from = trigger
    if donors[0].start >= trigger.end and not trigger.receive:
        # passive: "a €500m package was announced by Berlin"
        objects_from = Trigger(clause_start, clause_start, False, False)
    elif not trigger.receive and (said := _said_sum(text, donors[0].end, trigger.start)):
        # "Downing Street said a further £283m in aid would be made available": the sum
        # is the subject of the passive verb, the speaker its giver
        objects_from = Trigger(said, said, False, False)
    return Clause(index, trigger, donors, None, clause_start, segment_end, objects_from)


def _said_sum(text: str, start: int, end: int) -> int | None:
    """Where a sum that is the subject of the passive verb of giving at ``end`` starts,
    after a verb of saying ("... said a further £283m will be given"); else None."""
    if not contains_any(text, _SAID_WORDS):
        return None
    saids = list(_SAID_THAT_RE.finditer(text, start, end))
    if not saids or not SUM_SUBJECT_RE.fullmatch(text, saids[-1].end(), end):
        return None
    return saids[-1].end()


def read_recipient(view: SentenceView, clause: Clause) -> Clause:
    """Stage 2, after ``denied``: the clause with its recipient (None: not counted)."""
    start = max(clause.clause_start, clause.trigger.start)
    recipient = recipient_of(view.text, start, clause.segment_end, view.mentions)
    # built positionally: ``_replace`` costs several times as much (this runs for every clause)
    return Clause(clause.position, clause.trigger, clause.donors, recipient, clause.clause_start,
                  clause.segment_end, clause.objects_from)  # fmt: skip


# A verb of giving done, then all of what the donor had: "gave all of its 19 F-16s", "has
# sent all its Leopard 1 tanks": the whole handed over, no promise ("will give all of its 10
# Gepards" still pledges).
_GAVE_ALL_RE = re.compile(
    r"(?:gave|given|sent|donated|delivered|provided|supplied|transferred|handed\s+over)"
    r"\s+(?:\w+\s+)?all\s+(?:of\s+)?(?:its|their|the)\b",
    re.IGNORECASE,
)


# A tally or a ranking of what donors gave, not a promise: "the tracker shows", "according to
# a tally by ...", "the largest donor with €42 billion, followed by Britain with €27 billion".
_TALLY_RE = folded_regex(
    r"\btracker\s+(?:shows|showed|finds|found)\b"
    r"|\baccording\s+to\s+(?:the|a)\s+(?:[\w'’-]+\s+){0,5}?(?:tracker|tally)\b"
    # "..., according to FTS data", "according to the UN's Financial Tracking Service"
    r"|\baccording\s+to\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(?:data|tracking\s+service)\b"
    r"|\b(?:largest|biggest|second-largest|third-largest)\s+(?:[\w-]+\s+){0,2}donors?\s+with\b"
    r"|\bfollowed\s+by\s+(?:the\s+)?[\w .'’-]{2,40}?\s+with\s"
)
# one of these is in every match
_TALLY_WORDS = ("tracker", "tally", "donor", "followed", "kiel", "data", "tracking")
# "have allocated less military aid than Denmark": a comparison, no promise.
_COMPARED_RE = folded_regex(r"\s*(?:less|more|fewer)\s+(?:[a-z-]+\s+){1,3}than\b")

# What the donor gave is in use already: "are already in service with Ukrainian units".
_IN_SERVICE_RE = folded_regex(
    r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:already\s+|now\s+)?in\s+service\b"
)


# A donor ranked, with what it has given so far and nothing new: "Japan, the largest donor
# outside Europe, has allocated €12 billion".
_RANKED_RE = folded_regex(r"\b(?:largest|biggest)\s+(?:[\w-]+\s+){0,2}donors?\b")
# A support tracker counts what donors have given so far: "According to the Kiel Institute,
# Denmark has committed €9.8 billion".
_KIEL_RE = folded_regex(r"\bkiel\s+institute\b")
_SO_FAR_RE = folded_regex(
    r"\b(?:has|have|had)\s+(?:now\s+|so\s+far\s+)?(?:allocated|committed|provided|given|pledged"
    r"|contributed)\b"
)
_NEW_RE = folded_regex(r"\b(?:new|further|additional|another|fresh|more|extra)\b")


def tallied(folded: str) -> bool:
    """True for a sentence telling a tracker's tally or a ranking of donors (``folded``:
    ``fold_case`` of its text)."""
    if not contains_any(folded, _TALLY_WORDS):
        return False
    if _TALLY_RE.search(folded) is not None:
        return True
    return (  # (a total "since" a time is a running total: ``_cumulative`` reads it)
        (_RANKED_RE.search(folded) is not None or _KIEL_RE.search(folded) is not None)
        and _SO_FAR_RE.search(folded) is not None
        and _NEW_RE.search(folded) is None
        and "since" not in folded
    )


def denied(view: SentenceView, clause: Clause) -> bool:
    """Stage 3: True when the clause is not a pledge: denied, hedged or persuaded ("does not
    plan to send", "could", "urged Germany to"), or a running total ("since 2022") that is
    no stage of an earlier promise ("To date, Britain has delivered 3,000 missiles" is one:
    ``classify`` reports it; a group's running total is not: "Allies have provided $100bn
    since 2022" sums the members' support)."""
    donor = clause.donors[-1]
    if view.text.endswith(("bringing", "taking"), 0, clause.clause_start) and (
        _RUNNING_TOTAL_START_RE.search(view.text, 0, clause.clause_start)
    ):
        return True  # "..., bringing the Dutch contribution to €252m": the sum to date
    if (
        view.folded.find("all", clause.trigger.start) >= 0  # in every match: a cheap test first
        and _GAVE_ALL_RE.match(view.text, clause.trigger.start)
        and _stage(view, clause, donor, handing_over_stage) is None
    ):
        return True  # "Denmark, which gave all of its 19 F-16s, ...": the whole, handed over
    if tallied(view.folded) or (
        "than" in view.folded and _COMPARED_RE.match(view.folded, clause.trigger.end)
    ):
        return True  # "followed by Britain with €27 billion", "less aid than Denmark"
    if "in service" in view.folded and _IN_SERVICE_RE.search(view.folded, clause.trigger.end):
        return True  # "Two systems donated by Germany are already in service": handed over
    if (
        clause.position == 0  # (after a promise in the sentence, a stage of it: stage_clauses)
        and " since " in view.folded
        and _HANDED_SINCE_RE.match(view.folded, clause.trigger.start)
        and _SINCE_BEFORE_RE.search(
            view.folded, max(0, clause.trigger.start - 16), clause.trigger.start
        )
    ):
        return True  # "we have since sent more than 200 armoured vehicles": to date
    if (
        clause.trigger.noun
        and " now " in view.folded
        and _NOW_TOTALS_RE.match(view.folded, clause.trigger.end)
    ):
        return True  # "Its contributions to the fund now total £77 million": to date
    return negated_or_hedged(view.text, donor, clause.trigger, view.folded) or (
        _cumulative(view.text, view.folded, clause.clause_start, clause.segment_end)
        and (donor.kind == "group" or _stage(view, clause, donor, running_total_stage) is None)
    )


def _stage(
    view: SentenceView,
    clause: Clause,
    donor: Mention,
    stage_of: Callable[[str, int, int, int, NumberPhrase | None], str | None],
) -> str | None:
    """The stage of an earlier promise the clause's verb reports by ``stage_of``
    (``stages.handing_over_stage`` or ``running_total_stage``), read with its first figure
    after the verb, or, in a passive, the last before it ("Some 40 tanks have so far been
    delivered by Germany")."""
    trigger = clause.trigger
    subject_end = donor.end if donor.end <= trigger.start else trigger.start
    figure = passive_figure(view, clause)
    if figure is not None:
        stage = stage_of(view.folded, figure.end, trigger.start, trigger.end, figure)
        if (
            stage is None
            and stage_of is handing_over_stage
            and passive_points_back(view.folded, clause.clause_start, figure, trigger.start)
        ):
            return "delivered"  # "Of the €50bn promised, €20bn has been disbursed by the EU"
        return stage
    figure = next(
        (
            n
            for n in view.numbers
            if trigger.end <= n.start < clause.segment_end and not (n.percent or n.year)
        ),
        None,
    )
    return stage_of(view.folded, subject_end, trigger.start, trigger.end, figure)


def _which_donor(mentions: list[Mention], comma: int) -> Mention | None:
    """The donor named right before the comma of ", which <verb of giving>", if any (as a
    giver, though read as a place: "together with Germany, which supplied seven more")."""
    named = next((m._replace(location=False) for m in mentions if m.end == comma), None)
    return named if named is not None and named.can_give and not named.is_recipient_side else None


def passive_figure(view: SentenceView, clause: Clause) -> NumberPhrase | None:
    """In a passive clause, whose objects come before its verb, the last figure before the
    verb; else None."""
    trigger = clause.trigger
    if clause.objects_from.start >= trigger.start:
        return None
    return next(
        (
            n
            for n in reversed(view.numbers)
            if clause.clause_start <= n.start and n.end <= trigger.start
            and not (n.percent or n.year)
        ),
        None,
    )  # fmt: skip


def read_figures(
    view: SentenceView, clause: Clause, context: ArticleContext, state: SentenceState
) -> Figures:
    """Stage 4: the sums and counted items a clause gives (a sum before a participle of
    giving when nothing follows it), one pledge's donor for a joint sum, and its date."""
    text, folded, trigger = view.text, view.folded, clause.trigger
    loan = text[trigger.start : trigger.start + 4].lower() in ("lend", "lent")
    consumed_before = state.consumed_until
    found, state.consumed_until = read_objects(
        text, folded, clause.objects_from, clause.segment_end, view.numbers,
        state.consumed_until, clause.donors, context, loan,
    )  # fmt: skip
    if not found and _POSTPOSED_PARTICIPLE_RE.search(text, clause.clause_start, trigger.start):
        # "the $85 million in U.S. assistance announced for Türkiye": the sum comes first
        before = Trigger(clause.clause_start, clause.clause_start, False, False)
        found, _ = read_objects(text, folded, before, trigger.start, view.numbers,
                                consumed_before, clause.donors, context)  # fmt: skip
    if not found and trigger.noun and folded.startswith("guarantee", trigger.start):
        # "backed by guarantees from Japan and Britain": the guarantees, without a figure
        found = unknown_item(text, trigger.start, clause.segment_end, context.vocabulary)
    if not found and state.pledged:
        found = _elliptical_count(view, clause, state.pledged)
    elif not found and " more" in text and (thing := _ordinal_thing(view, clause, context)):
        # "the eleventh IRIS-T SLM fire unit has been handed over, and Berlin has pledged one
        # more": the thing named with its ordinal, at this count
        found = _elliptical_count(view, clause, [(thing, None, Decimal(1), None)], more=True)
    elif found and all(entry[2] is not None and entry[3] is None for entry in found):
        found = _with_named_before_count(view, clause, found, context)
    revision = (
        counted_revision(text, folded, view.numbers, clause.clause_start, clause.segment_end,
                         context.vocabulary)
        if view.revising
        else None
    )  # fmt: skip
    if revision is not None:
        found = _with_revised_count(found, *revision)
    donors, notes = clause.donors, None
    if len(donors) > 1 and (
        (
            any(n for _, n, _, _ in found if n and n.qualifier != "unknown")
            and not _EACH_RE.search(folded, donors[0].start, clause.segment_end)
        )
        or donors == state.joint  # "will together pay $1.6bn for new packages of weapons"
    ):
        notes = "jointly with " + " and ".join(d.name for d in donors[1:])
        state.joint = donors
        donors = donors[:1]  # one pledge for a joint sum: the first donor, the others noted
    date_end = _date_span_end(text, view.triggers, clause.position)
    announced, precision = _announced(text, view.lowered, trigger, date_end, context, view.dates)
    return Figures(found, donors, notes, announced, precision)


# A count that ends its clause: "..., and Norway pledged eight", "... supplied seven more."
_CLAUSE_END_RE = re.compile(r"\s*(?:more\b\s*)?(?:[.;,!]|\band\b|$)")
# "... pledged one more for the first quarter", "two more next year": a count of "more" whose
# clause goes on with a time or purpose, no thing.
_MORE_END_RE = re.compile(
    r"\s+more\b(?:\s*(?:[.;,!]|\band\b|$)|\s+(?:for|in|by|next|this|later|before|after|from"
    r"|within|during)\b)"
)


# A thing named with its ordinal before the verb of giving ("the eleventh IRIS-T SLM fire unit
# has been handed over"), up to the verb or comma after it.
_ORDINAL_THING_RE = re.compile(
    rf"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:\d+(?:st|nd|rd|th)|{_ORDINAL_WORDS})\s+"
    r"(?P<thing>[\w-]+(?:\s+[\w-]+){0,4}?)(?=\s+(?:has|have|had|was|were|is|are|arrived)\b|,)"
)


def _ordinal_thing(view: SentenceView, clause: Clause, context: ArticleContext) -> ItemMatch | None:
    """The thing the sentence names with an ordinal before the clause's verb, if the
    catalogue knows it, else None."""
    named = _ORDINAL_THING_RE.search(view.text, 0, clause.trigger.start)
    if named is None:
        return None
    item = match_item(named.group("thing"), context.vocabulary)
    return item if item is not None and item.category is not None else None


def _elliptical_count(
    view: SentenceView, clause: Clause, pledged: list[Found], more: bool = False
) -> list[Found]:
    """A bare count with nothing named after it counts the item an earlier clause of the
    sentence pledged a number of ("Canada will send four Leopard 2 tanks, and Norway pledged
    eight"): that item at this count; else nothing. ``more``: only a count "more"
    follows."""
    counted = [entry for entry in pledged if entry[2] is not None and entry[3] is None]
    if not counted:
        return []
    start = max(clause.objects_from.end, clause.trigger.end)
    for number in view.numbers:
        if not start <= number.start < clause.segment_end:
            continue
        if number.currency or number.percent or number.year or number.has_scale:
            return []
        if view.text[start : number.start].strip(" ") not in ("", "another", "a further"):
            return []
        if more:
            if _MORE_END_RE.match(view.text, number.end) is None:
                return []
        elif _CLAUSE_END_RE.match(view.text, number.end) is None:
            return []
        return [(counted[-1][0], number, number.value, None)]
    return []


# "and" with the words that may lead a count right before it, where the count stands ("a
# further batch of Hawk missiles and two more launchers").
_AND_BEFORE_COUNT_RE = re.compile(r"\s+and\s+(?:(?:also|then)\s+)?$")


def _with_named_before_count(
    view: SentenceView, clause: Clause, found: list[Found], context: ArticleContext
) -> list[Found]:
    """Counted items with the things a list names before the first count, without a number
    ("will send 155mm ammunition, anti-drone systems and 40 power generators"): one entry
    each of a kind not counted; also one thing joined by "and" ("will send a further batch of
    Hawk missiles and two more Aspide launchers")."""
    start = clause.objects_from.end
    first = min((e[1].start for e in found if e[1] is not None), default=len(view.text))
    if "," not in view.text[start:first] and not _AND_BEFORE_COUNT_RE.search(
        view.text, start, first
    ):
        return found
    counted = {entry[0].category or entry[0].item for entry in found}
    named = [
        entry
        for entry in equipment_list(view.text[:first], start, context.vocabulary,
                                    without_digits=True, uncatalogued=True)
        if (entry[0].category or entry[0].item) not in counted
    ]  # fmt: skip
    return named + found


def _with_revised_count(found: list[Found], item: ItemMatch, new: NumberPhrase) -> list[Found]:
    """What a clause gives when it revises a count ("raised the number of tanks it will send
    to 14"): the items at their new count, in place of the same items without a number."""
    if any(number is not None and number.start == new.start for _, number, _, _ in found):
        return found
    kept = [entry for entry in found if entry[2] is not None or entry[3] is not None]
    return [*kept, (item, new, new.value, None)]


# The first of something received, with no number: the arrival of what was promised before.
_FIRST_RECEIVED_RE = re.compile(r"\s+(?:its|their|the)\s+first\b")
# A noun of giving whose clause tells it arrived: "Norway's donations of Leopard 2 tanks
# arrived last year", "the pledged howitzers, which were delivered in May".
_ARRIVED_RE = folded_regex(r"\b(?:arrived|(?:was|were|has\s+been|have\s+been)\s+delivered)\b")


def classify(
    view: SentenceView, clause: Clause, figures: Figures, promise: Found | None = None
) -> Verdict:
    """Stage 5: a pledge of everything found; or a handing over of an earlier promise (a
    stage report, no pledge), except that a disbursed tranche of money is a pledge too, with
    the ceiling it is paid under. A handing over done of what an earlier clause of the
    sentence pledged (``promise``, see ``stage_clauses.promise_of``) is a stage of that
    pledge ("pledged €28bn and has delivered €10bn")."""
    trigger, donor = clause.trigger, figures.donors[-1]
    subject_end = donor.end if donor.end <= trigger.start else trigger.start
    stage = _stage(view, clause, donor, handing_over_stage)
    if trigger.noun and _ARRIVED_RE.search(view.folded, trigger.end, clause.segment_end):
        return Verdict(None, [])  # an arrival of what was given before
    if stage is None and promise is not None:
        return Verdict("delivered", [])
    if stage is None:
        numberless = all(
            quantity is None and money is None for _, _, quantity, money in figures.found
        )
        if numberless and hands_over_a_known_thing(
            view.folded, subject_end, trigger.start, trigger.end
        ):
            return Verdict(None, [])  # "is delivering the aircraft": named before, not promised
        if numberless and trigger.receive and _FIRST_RECEIVED_RE.match(view.folded, trigger.end):
            return Verdict(None, [])  # "Ukraine has received its first F-16s": an arrival
        if numberless and _CONTINUING_RE.search(view.folded, subject_end, trigger.start):
            return Verdict(None, [])  # "will continue to provide food assistance": going on
        return Verdict(None, figures.found)
    money = [entry for entry in figures.found if entry[3] is not None]
    first = money[0][3] if money else None
    if first is not None and pays_a_tranche(view.folded, trigger.end, first):
        return Verdict(stage, money)
    return Verdict(stage, [])


def build_pledges(
    view: SentenceView, clause: Clause, figures: Figures, verdict: Verdict,
    context: ArticleContext,
) -> list[ExtractedPledge]:  # fmt: skip
    """Stage 6: one pledge per donor and thing pledged; a package is remembered for the
    contents that may follow it ("The package includes ...")."""
    text, sentence, found = view.text, view.sentence, verdict.pledged
    announced, precision = figures.announced, figures.precision
    recipient = clause.recipient
    assert recipient is not None
    part_of = "part" in text and _PART_OF_RE.search(text, 0, clause.trigger.end + 40) is not None
    if found and not part_of:
        context.last_donor = figures.donors[0]
        context.last_announced = (announced, precision)
        context.last_kind = found[0][0].kind
        context.last_recipient = recipient
    gapped = (
        _gapped_donors(view, clause, found)
        if len(found) > 1 and view.mentions and view.mentions[-1].start > clause.trigger.end
        else {}
    )
    respective = _respective_donors(view, clause, figures.donors, found)
    receivers = _receivers_by_sum(view, clause, found) if len(found) > 1 else {}
    pledges = []
    for donor in figures.donors:
        for item, number, quantity_value, money, tranche in _by_tranche(view, found):
            giver = donor
            if number is not None and respective.get(number.start, donor) is not donor:
                continue  # "Sweden and Norway will add SEK 800m and NOK 600m respectively"
            if number is not None and number.start in gapped:
                if donor is not figures.donors[0]:
                    continue
                giver = gapped[number.start]
            currency = resolve_local_currency(money.currency, giver.code) if money else None
            qualifier = number.qualifier if number else "unknown"
            qualifier_text = number.qualifier_text if number else None
            if money is not None and number is not money and qualifier == "exact":
                qualifier, qualifier_text = money.qualifier, money.qualifier_text
            kind, dated = item.kind, (announced, precision)
            if part_of and money is not None and context.last_announced is not None:
                kind, dated = context.last_kind or kind, context.last_announced
            if item.item == "aid" and kind == "military":  # read from the context
                item = ItemMatch("military aid", "other military", None, kind)
            pledges.append(
                ExtractedPledge(
                    donor=giver.name, donor_kind=giver.kind,
                    recipient=receivers.get(money.start, recipient) if money else recipient,
                    kind=kind, item=item.item,
                    quantity=quantity_value, unit=item.unit if quantity_value else None,
                    amount=money.value if money else None, currency=currency,
                    qualifier=qualifier, qualifier_text=qualifier_text,
                    announced=dated[0], announced_precision=dated[1],
                    stated_conversion=money.conversion if money else None,
                    evidence=text, evidence_start=sentence.start, evidence_end=sentence.end,
                    category=item.category, notes=tranche or figures.notes,
                )
            )  # fmt: skip
    return pledges


def _receivers_by_sum(view: SentenceView, clause: Clause, found: list[Found]) -> dict[int, str]:
    """The receiver of each sum of a clause that names one after each of two or more of its
    sums ("€40 million for Sudan and €12 million for neighbouring Chad"), by the sum's
    start: the one named between the sum and the next; none when fewer name their own
    ("€5m and €3m for Sudan": the clause's receiver is every sum's)."""
    starts = sorted({money.start for _, _, _, money in found if money is not None})
    if len(starts) < 2:
        return {}
    text, mentions = view.text, view.mentions
    ends = [*starts[1:], clause.segment_end]
    receivers = {}
    for start, end in zip(starts, ends, strict=True):
        named = recipient_of(text, start, end, mentions)
        if named is not None and (
            named != reference.DEFAULT_RECIPIENT or names_default_recipient(text[start:end])
        ):
            receivers[start] = named
    return receivers if len(receivers) > 1 else {}


def _gapped_donors(view: SentenceView, clause: Clause, found: list[Found]) -> dict[int, Mention]:
    """The donors named right before the later sums of a list whose verb is left out
    ("Sweden will contribute $250m, Denmark $150m and Norway $100m"), by the sum's start.
    A name before the first sum too lists receivers ("give Moldova €5m and Romania €2m")."""
    gapped: dict[int, Mention] = {}
    text = view.text
    mentions = [m for m in view.mentions if clause.trigger.end <= m.start and m.can_give]
    if not mentions or found[0][1] is None:
        return gapped
    named = {m.end: m for m in mentions if not m.is_recipient_side}
    for _, number, _, _ in found:
        if number is None:
            continue
        name_end = _before_qualifier(text, number)
        mention = named.get(name_end)
        if mention is None:
            continue
        if number is found[0][1]:
            return {}
        if _GAPPED_BEFORE_RE.search(text, 0, mention.start):
            gapped[number.start] = mention
    return gapped


def _respective_donors(
    view: SentenceView, clause: Clause, donors: list[Mention], found: list[Found]
) -> dict[int, Mention]:
    """Joint donors given as many figures as there are donors, "respectively" right after
    the last ("Sweden and Norway will add SEK 800m and NOK 600m respectively"): each figure
    is its donor's, in the order named, by the figure's start; else nothing."""
    if len(donors) < 2 or not contains_any(view.folded, _RESPECTIVE_WORDS):
        return {}
    numbers = [number for _, number, _, _ in found if number is not None]
    if len(numbers) != len(donors):
        return {}
    last = numbers[-1].end
    if not _RESPECTIVELY_RE.match(view.folded, last, last + 40):
        return {}
    return {number.start: donor for number, donor in zip(numbers, donors, strict=True)}


def _before_qualifier(text: str, number: NumberPhrase) -> int:
    """Where the words before a figure end, its qualifier left out ("Norway about $350m":
    the end of "Norway")."""
    before = text[: number.start].rstrip()
    qualifier = number.qualifier_text
    if qualifier and before.lower().endswith(qualifier.lower()):
        before = before[: -len(qualifier)].rstrip()
    return len(before)


def _by_tranche(
    view: SentenceView, found: list[Found]
) -> list[tuple[ItemMatch, NumberPhrase | None, Decimal | None, NumberPhrase | None, str | None]]:
    """``found`` as (item, number, quantity, money, note): a sum that stands for several
    tranches ("two further tranches worth €1.5bn each") once per tranche, noted "tranche 1
    of 2", "tranche 2 of 2"."""
    spread: list[
        tuple[ItemMatch, NumberPhrase | None, Decimal | None, NumberPhrase | None, str | None]
    ]
    spread = []
    for item, number, quantity, money in found:
        count = tranche_count(view.folded, view.numbers, money) if money is not None else 1
        if count == 1:
            spread.append((item, number, quantity, money, None))
        for index in range(1, count + 1) if count > 1 else ():
            spread.append((item, number, quantity, money, f"tranche {index} of {count}"))
    return spread


def _announced(
    text: str,
    lowered: str,
    trigger: Trigger,
    date_end: int,
    context: ArticleContext,
    dates: list[DateMention],
) -> tuple[date | None, str | None]:
    """When a trigger's pledge was announced: the date nearest to it before ``date_end``
    (``lowered``: ``lower_case(text)``; ``dates``: the sentence's ``find_dates``)."""
    if date_end == len(text):
        return date_near(text, trigger.start, context.published, dates)
    span = text[:date_end]
    span_dates = find_dates(span, context.published, lowered[:date_end])
    announced, precision = date_near(span, trigger.start, context.published, span_dates)
    if (announced, precision) == (context.published, "day"):
        # no date in the clause: the day the statement was made, named later on
        return speech_date(text, context.published, dates) or (announced, precision)
    return announced, precision


def running_total(text: str, lowered: str) -> bool:
    """True for a sentence stating a total to date ("EU support since the start of the war
    has amounted to €76 billion"): what "This includes" lists after it is no package; nor is
    a sum that "brings" the total to a figure told after it ("The 20th package, of SEK 12.5
    billion, brings the value of aid since 2022 to SEK 85 billion": the package is one)."""
    return _cumulative(text, fold_lowered(lowered), 0, _total_brought(text, 0, len(text)))


# A sum's verb bringing a total to date to a figure: "The package, of €500m, brings Germany's
# aid since 2022 to €10bn" (as ", bringing its total to" does; see CLAUSE_BREAK_RE).
_BRINGS_RE = re.compile(r",?\s+(?:brings|brought|takes|took)\s+(?:the|its|their|\w+['’]s)\s")
_FIGURE_BEFORE_RE = re.compile(r"\d")


def _total_brought(text: str, start: int, end: int) -> int:
    """Where a verb bringing a total to date to a figure starts, after a figure of the text
    from ``start`` (its sum's clause ends there), else ``end``."""
    if " brings " not in text and " brought " not in text and " takes " not in text:
        return end
    brings = _BRINGS_RE.search(text, start, end)
    if brings is None or not _FIGURE_BEFORE_RE.search(text, start, brings.start()):
        return end
    return brings.start()


def _cumulative(text: str, folded: str, start: int, end: int) -> bool:
    """True for totals to date ("since 2022", "in total"); "its 72nd package since 2021"
    counts packages, not money (``folded``: ``fold_case(text)``)."""
    if not contains_any(folded[start:end], _CUMULATIVE_WORDS):
        return False
    for match in _CUMULATIVE_RE.finditer(folded, start, end):
        if not (match.group("since") and _ORDINAL_BEFORE_RE.search(text, 0, match.start())):
            return True
    return False


def _relative_before(
    text: str, donor: Mention, trigger: Trigger, numbers: list[NumberPhrase]
) -> int | None:
    """Where "that"/"which" starts when the donor's verb sits in a relative clause whose
    antecedent holds the number ("a €1.2bn package that Berlin unveiled"), else None."""
    if donor.end > trigger.start or not donor.start:
        return None  # (a donor opening the sentence has no pronoun before it)
    pronoun = _RELATIVE_PRONOUN_RE.search(text, max(0, donor.start - 12), donor.start)
    if pronoun is None or _SPEECH_VERB_RE.search(text, 0, pronoun.start()):
        return None
    if (
        text.startswith("that", pronoun.start())
        and _COORDINATED_RE.search(text, max(0, pronoun.start() - 10), pronoun.start())
        and not FACILITY_NAME_RE.match(text, donor.end)  # "and that the Afghanistan Fund"
    ):
        return None  # "said that Norway would give 8bn kroner, and that Germany ...": speech
    position = pronoun.start()
    while position > 0 and text[position - 1] in " ,":
        position -= 1
    clause_start = _clause_start(text, position)
    if not any(clause_start <= n.start and n.end <= position for n in numbers):
        return None
    return position


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` starts: after the last clause break before it."""
    start = 0
    for match in CLAUSE_BREAK_RE.finditer(text, 0, position):
        if not match.group(0).strip().startswith(("said", "says", "told", "added", "announced")):
            start = match.end()
    return start


def _date_span_end(text: str, triggers: list[Trigger], index: int) -> int:
    """The end of the text whose dates may date a trigger: up to the next clause's trigger."""
    for following in triggers[index + 1 :]:
        if CLAUSE_BREAK_RE.search(text, triggers[index].end, following.start):
            return following.start
    return len(text)


# Between a figure and the noun of giving it sizes: "a £500mn guarantee", "a €2bn loan
# guarantee" (one word at most, and no word that makes it a share: "€2bn of its loan").
_FIGURE_NOUN_GAP_RE = re.compile(r"\s+(?:(?!(?:of|in|to|for|from)\b)[\w-]+\s+)?")


def _before_noun_s_figure(view: SentenceView, noun: Trigger, segment_end: int) -> int:
    """Where a clause's objects end when the next word of giving is a noun sized by the
    figure right before it ("..., backed by a £500mn guarantee from the UK": that figure is
    the noun's); ``segment_end`` otherwise."""
    for number in view.numbers:
        if number.end <= noun.start and _FIGURE_NOUN_GAP_RE.fullmatch(
            view.text, number.end, noun.start
        ):
            return min(segment_end, number.start)
    return segment_end


def _segment_end(text: str, triggers: list[Trigger], index: int) -> int:
    """Where the objects of a trigger end: the next trigger or clause break, or a verb
    bringing a total to date to a figure after a noun of giving's figure."""
    end = triggers[index + 1].start if index + 1 < len(triggers) else len(text)
    if triggers[index].noun:
        end = _total_brought(text, triggers[index].end, end)
    clause = CLAUSE_BREAK_RE.search(text, triggers[index].end, end)
    while (
        clause is not None
        and clause.group().endswith(",")
        and group_name(clause) == "speech"
        and _LIST_GOES_ON_RE.match(text, clause.end())
    ):  # "will give €244m, the minister said, and France €110m": the list goes on
        clause = CLAUSE_BREAK_RE.search(text, clause.end(), end)
    return clause.start() if clause else end

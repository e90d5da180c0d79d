"""Article text → pledges, requests and their evidence. Pure functions: no database, no web.

Public API: :func:`decode_article` (bytes → the text offsets point into),
:func:`extract` (text → :class:`Extraction`) and :func:`to_contract`
(extraction → the JSON shape of ``tracker extract``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from tracker import reference
from tracker.extract.arrivals import ARRIVAL_HINTS, told_arrival
from tracker.extract.clauses import running_total
from tracker.extract.contract import to_contract
from tracker.extract.currency_notes import declared_dollar, home_dollar, in_declared_dollar
from tracker.extract.dates import date_near
from tracker.extract.donors import (
    SHARED_OFFICE_NAMES,
    Mention,
    brussels_as_belgium,
    shared_office_as,
)
from tracker.extract.errors import ExtractError
from tracker.extract.givers import (
    OPENING_SENTENCES,
    ArticleContext,
    article_subject,
    names_default_recipient,
)
from tracker.extract.items import guess_kind, suggests_a_kind
from tracker.extract.lists import (
    CAPITALS_WORD_RE,
    CONTENTS_HINTS,
    LABEL_DASHES,
    NAMED_ALONE,
    SUM_OF_IT_WORDS,
    as_names,
    contents_after,
    contents_start,
    dash_opened,
    donor_sums,
    gapped_sums,
    gives_a_list,
    handed_over_clause,
    is_headline,
    labelled_items,
    labelled_line,
    list_item_start,
    named_alone,
    opens_list,
    part_told,
    points_back,
    share_start,
    share_told,
    without_group_summaries,
    without_guarantees_told_with_figures,
    without_restated_headlines,
    without_restatements,
)
from tracker.extract.models import (
    ExtractedPledge,
    ExtractedRequest,
    ExtractedStageReport,
    Extraction,
    Sentence,
)
from tracker.extract.numbers import NumberPhrase, find_numbers
from tracker.extract.packages import with_packages
from tracker.extract.patterns import (
    DIGIT,
    contains_any,
    first_letter_union,
    fold_lowered,
    folded_regex,
    lower_case,
    present_words,
)
from tracker.extract.prices import priced_count
from tracker.extract.requests import sentence_requests
from tracker.extract.rules import contents_pledges, sentence_pledges
from tracker.extract.sentences import split_sentences
from tracker.extract.stages import fronted_promise_done, owned_promise
from tracker.extract.tables import TableRow, table_rows
from tracker.extract.text import decode_article
from tracker.extract.triggers import HEDGE_RE, REQUEST_WORDS, first_giving, has_request
from tracker.extract.unstated import not_stated
from tracker.extract.vocabulary import Vocabulary, reference_vocabulary

__all__ = [
    "ExtractError",
    "ExtractedPledge",
    "ExtractedRequest",
    "Extraction",
    "Sentence",
    "Vocabulary",
    "decode_article",
    "extract",
    "split_sentences",
    "reference_vocabulary",
    "to_contract",
]

# The longest sentence read: real sentences are far shorter, and a text without full stops
# would make every rule that looks back over its sentence slow.
MAX_SENTENCE = 3000
_DIGIT_RE = re.compile(DIGIT)
# A figure: digits that are no ordinal ("signed the 48th package" states none).
_FIGURE_RE = re.compile(DIGIT + r"\d*(?!\d|st\b|nd\b|rd\b|th\b)")
# The items a package is read as when the sentence names no figure and no thing.
_PACKAGE_ITEMS = frozenset(["aid", "military aid", "humanitarian aid"])
_CONFERENCE_WORDS = ("conference", "summit", "forum", "met", "meeting", "gathering")
# One of them as a whole word, over a sentence's fold_case (grouped by first letters, so the
# engine skips to the letters they start with, and no letter is lowered as it is read).
_CONFERENCE_RE = folded_regex(
    first_letter_union({"conference": [rf"{word}\b" for word in _CONFERENCE_WORDS]}, r"\w")
)


def extract(
    text: str, published: date | None = None, vocabulary: Vocabulary | None = None
) -> Extraction:
    """Read the pledges and requests an article states; offsets point into ``text``.
    ``vocabulary``: the donor names and catalogue items to read with (an import builds it
    from the database); the reference data's when None."""
    sentences = split_sentences(text)
    for sentence in sentences:
        if sentence.end - sentence.start > MAX_SENTENCE:
            raise ExtractError(
                f"the sentence at character {sentence.start} is {sentence.end - sentence.start:,}"
                f" characters long; sentences of at most {MAX_SENTENCE:,} characters are read"
                " (is the text missing its full stops?)"
            )
    lowered_texts = [lower_case(sentence.text) for sentence in sentences]
    # The words of each sentence's cheap tests that the article holds at all: no sentence
    # holds the others (``present_words``; the sentences' lower_case joined, as the article's
    # own would cost a lowering of every character of a text that is not ASCII).
    folded_article = fold_lowered("\n".join(lowered_texts))
    request_words = present_words(folded_article, REQUEST_WORDS)
    contents_hints = present_words(folded_article, CONTENTS_HINTS)
    sum_words = present_words(folded_article, SUM_OF_IT_WORDS)
    arrival_hints = present_words(folded_article, ARRIVAL_HINTS)
    payment_hints = present_words(folded_article, _PAYMENT_ARRIVED_HINTS)
    context = ArticleContext(
        published,
        conference_kind=_conference_kind(
            sentences, lowered_texts, present_words(folded_article, _CONFERENCE_WORDS)
        ),
        article=text,
        vocabulary=vocabulary or reference_vocabulary(),
    )
    pledges: list[ExtractedPledge] = []
    requests: list[ExtractedRequest] = []
    reports: list[ExtractedStageReport] = []
    previous: Sentence | None = None
    list_open = False
    bulleted = False  # whether the last line of a list had a bullet
    previous_lowered: str | None = None
    # The label of the line being read ("11:47 Germany: ..."): "Also €150m ..." after it in
    # the same line is its donor's too.
    line_label: str | None = None
    heading: str | None = None  # a donor named alone on a line above ("🇩🇪 Germany")
    headlines: set[int] = set()
    pledged_before = 0
    pledged_last = 0  # how many pledges the sentence before made
    summed: dict[tuple[Decimal, str | None], str] = {}  # the donor of each sum pledged so far
    # Whether the last sentence with a figure pledged something: its shares may follow.
    shares_open = False
    # The sums the last sentence that pledged gave: shares that name one ("Of the €1.4
    # billion, ...") are its parts, whatever was said between.
    last_sums: set[tuple[object, str | None]] = set()
    for sentence, lowered in zip(sentences, lowered_texts, strict=True):
        first_trigger = first_giving(lowered)
        if first_trigger is not None and not_stated(sentence.text, lowered):
            first_trigger = None  # "Has Germany sent Taurus missiles?": asked, not told
        giving = first_trigger is not None
        asking = has_request(sentence.text, request_words)
        items_start = contents_start(sentence.text, lowered, contents_hints)
        if (
            items_start is None
            and summed
            and (" loan" in lowered or " grant" in lowered or " credit" in lowered)
            and (part := part_told(sentence.text)) is not None
        ):
            # "The other $700m are grants": a part of the last larger sum of the donor named
            items_start = 0 if _part_of(part, summed, context) else None
        elif items_start is None and (shares_open or last_sums):
            # "Of the total, €1.2bn will go to ..."
            items_start = share_start(sentence.text, sum_words)
            if not shares_open and items_start is not None:
                items_start = _shares_of(sentence.text, items_start, last_sums)
            elif items_start is not None and _larger_than(sentence.text, items_start, last_sums):
                # "Of the total, €4.2bn are grants and €1.6bn loans" after a $14m pledge: the
                # shares of a total told before, no pledge
                items_start, first_trigger = None, None
        list_line = list_item_start(sentence.text) if list_open else None
        if list_line == 0 and bulleted:
            list_line = None  # a line without a bullet after bulleted ones: the list has ended
        bulleted = bool(list_line)
        contents: list[ExtractedPledge] = []
        start = items_start if items_start is not None else list_line
        if (
            start is not None
            and start == items_start
            and _own_package(sentence.text, start, context)
        ):
            start = None  # "Sweden's 21st package, worth ..., includes ...": its own
        if start is not None and not (
            points_back(sentence.text)
            and previous_lowered is not None
            and previous is not None
            and running_total(previous.text, previous_lowered)
        ):
            contents = contents_pledges(sentence, context, start)
            pledges.extend(contents)
        list_open = opens_list(sentence.text) or (list_open and list_line is not None)
        if list_line is None and is_headline(sentence, text):
            headlines.add(sentence.start)
        line_start = sentence.start == 0 or text[sentence.start - 1] == "\n"
        if line_start and heading is not None and not dash_opened(sentence.text):
            heading = None  # the lines opened by a dash under a donor's name have ended
        label = (
            labelled_line(sentence.text, line_start, heading)
            if not contents
            and (
                ": " in sentence.text
                or (line_start and (heading or contains_any(sentence.text, LABEL_DASHES)))
            )
            else None
        )
        if line_start:
            line_label = None
            if len(sentence.text) <= NAMED_ALONE and (alone := named_alone(sentence.text)):
                # "3/8 🇩🇪 Germany": a donor's name alone labels the dashed lines below it
                heading = alone if _label_donors((0, alone, 0), context) else None
        elif label is None and line_label is not None:
            label = _also_labelled(sentence.text, line_label, context)
        labelled = _label_donors(label, context) if label is not None else []
        if labelled and label is not None:
            line_label = label[1]
            if first_trigger is not None and ";" in sentence.text:
                handed = handed_over_clause(sentence.text, label[2])
                if handed is not None and first_trigger > handed:
                    first_trigger = None  # "...: €9bn in military aid; delivered €6.8bn": a stage
        arrival = told_arrival(sentence, lowered, context, arrival_hints)
        if arrival is not None:
            reports.extend(arrival.reports)
        elif first_trigger is not None and _money_arrived(sentence.text, lowered, payment_hints):
            first_trigger = None  # "A first payment of NOK 200m from Norway's ... arrived"
        if giving or asking:
            said = sentence.text
            mentions = context.mentions_of(_names_cased(said) if said.isupper() else said)
            if said[:2].isupper() and not said.isupper():
                mentions = _capitals_opening(said, mentions, context)
            if previous is not None and "Brussels" in sentence.text:
                mentions = brussels_as_belgium(mentions, context.mentions_of(previous.text))
            if contains_any(said, SHARED_OFFICE_NAMES):
                mentions = shared_office_as(mentions, context.principal_donors())
            if labelled:
                mentions = labelled + mentions
            if first_trigger is not None and not contents:
                context.previous_sentence = previous.text if previous else None
                told = (arrival.start, arrival.end) if arrival is not None else None
                contents = sentence_pledges(
                    sentence, mentions, context, lowered, first_trigger, reports, told
                )
                pledges.extend(contents)
                if contents and ";" in said and (pairs := gapped_sums(said)):
                    # "Saudi Arabia pledged $1.5bn; Qatar, $1bn; and Kuwait, $400m"
                    sums_read = {(p.donor, p.amount, p.currency) for p in contents}
                    pledges.extend(
                        p
                        for p in _donor_sum_pledges(sentence, pairs, context)
                        if (p.donor, p.amount, p.currency) not in sums_read
                    )
                if not contents and gives_a_list(said, lowered):
                    # "... decided to provide Ukraine with the following equipment:"
                    list_open = _open_given_list(sentence, mentions, first_trigger, context)
                elif (
                    not contents
                    and "package" in lowered[first_trigger:]
                    and not _FIGURE_RE.search(said)
                    and not HEDGE_RE.search(said)
                ):
                    # "Pistorius announced a new package on Thursday. It includes: ...": the
                    # package without a figure (an ordinal is none: "signed the 48th
                    # package") whose contents the next sentence names (not
                    # one that "could be announced"; nor packages told of before the verb,
                    # "Each package is ... bought by NATO")
                    _open_given_list(sentence, mentions, first_trigger, context)
                figureless = (
                    len(contents) == 1
                    and contents[0].item in _PACKAGE_ITEMS
                    and contents[0].qualifier == "unknown"
                )
                if (
                    contents
                    and "nclud" in said
                    and (included := contents_after(said, figureless)) is not None
                ):
                    # "... worth €300m and also included Aster missiles": not read already
                    read = {(p.item, p.quantity, p.amount) for p in contents}
                    named = [
                        p
                        for p in contents_pledges(sentence, context, included)
                        if (p.item, p.quantity, p.amount) not in read
                    ]
                    if named and figureless:
                        # "its next package, which includes 300 drones": a package without a
                        # figure is told by what it includes
                        pledges = [p for p in pledges if p is not contents[0]]
                    pledges.extend(named)
            if asking:
                requests.extend(sentence_requests(sentence, mentions))
        if labelled and not contents and label is not None:
            by_label = _labelled_pledges(sentence, label[2], labelled[0], context)
            if by_label and (joint := _label_joint(label, context)) is not None:
                # "- Denmark and Norway: jointly €150 million": the first donor's, noted
                by_label = [replace(p, notes=p.notes or joint) for p in by_label]
            pledges.extend(by_label)
        elif not contents and (share := share_told(sentence.text, lowered)):
            pledges.extend(_share_pledges(sentence, share, context))
        elif not contents and ";" in sentence.text and (pairs := donor_sums(sentence.text)):
            pledges.extend(_donor_sum_pledges(sentence, pairs, context))
        if (
            giving
            and sentence.text.startswith("Of ")
            and (head := fronted_promise_done(sentence.text)) is not None
        ):
            # "Of the €2 billion France promised in June, only €700 million has arrived"
            pledges[pledged_before:] = _fronted_promise(
                sentence, head, pledges[pledged_before:], context
            )
        elif (
            giving
            and len(pledges) == pledged_before
            and ("'s " in sentence.text[:40] or "’s " in sentence.text[:40])
            and (owned := owned_promise(sentence.text)) is not None
        ):
            # "Portugal's €220 million for 2026, announced in March, has been fully contracted"
            pledges.extend(_owned_promise(sentence, owned, context))
        if (
            not giving
            and len(pledges) == pledged_before
            and pledged_last
            and (priced := priced_count(sentence.text, lowered, pledges[-pledged_last:]))
        ):
            pledges[-1] = priced  # "... for 50,000 drones. He put the cost at £350m."
        if len(pledges) > pledged_before:
            for pledge in pledges[pledged_before:]:
                if pledge.amount:
                    summed[pledge.amount, pledge.currency] = pledge.donor
            shares_open = True
            last_sums = {(p.amount, p.currency) for p in pledges[pledged_before:] if p.amount}
        elif shares_open and _DIGIT_RE.search(sentence.text):
            shares_open = False
        pledged_last = len(pledges) - pledged_before
        pledged_before = len(pledges)
        previous = sentence
        previous_lowered = lowered
    if rows := table_rows(text):  # "Norway | Funding for a Patriot system | NOK 5.5bn"
        pledges = _with_table_rows(pledges, rows, context, headlines)
        headlines -= {row.start for row in rows}  # a row is no headline, though it is short
    pledges = without_restated_headlines(pledges, headlines)
    pledges = without_restatements(pledges, text)
    pledges = without_group_summaries(pledges)
    pledges = without_guarantees_told_with_figures(pledges)
    pledges = _with_article_subject(pledges, sentences, context)
    dollar = declared_dollar(text)  # "All figures in Australian dollars"
    if dollar is None and "$" in text:
        dollar = home_dollar(text, pledges)  # an Australian outlet's "$95 million package"
    if dollar is not None:
        pledges = in_declared_dollar(pledges, dollar)
        reports = in_declared_dollar(reports, dollar)
    return with_packages(
        Extraction(
            text=text,
            pledges=tuple(pledges),
            requests=tuple(requests),
            stage_reports=tuple(reports),
        )
    )


def _with_article_subject(
    pledges: list[ExtractedPledge], sentences: list[Sentence], context: ArticleContext
) -> list[ExtractedPledge]:
    """The pledges, those whose sentence names no receiver given the receiver the article
    is about ("Donors pledge $2.1 billion for Sudan": "Britain pledged £89m" is for Sudan
    too), not the default recipient."""
    default = reference.DEFAULT_RECIPIENT
    if not any(p.recipient == default for p in pledges):
        return pledges
    openings = [s.text for s in sentences[:OPENING_SENTENCES]]
    subject = article_subject(openings, {p.donor for p in pledges}, context)
    if subject is None:
        return pledges
    return [
        replace(p, recipient=subject)
        if p.recipient == default and not names_default_recipient(p.evidence)
        else p
        for p in pledges
    ]


def _with_table_rows(
    pledges: list[ExtractedPledge],
    rows: list[TableRow],
    context: ArticleContext,
    headlines: set[int],
) -> list[ExtractedPledge]:
    """``pledges`` with each table row's read from the sentence telling it, its evidence the
    row (what the row's words gave as a sentence of the text is dropped, and so is a row's
    figure the text below the headlines states for the same donor: the table restates it)."""
    starts = {row.start for row in rows}
    kept = [pledge for pledge in pledges if pledge.evidence_start not in starts]
    stated = {
        (p.donor, p.amount, p.quantity, p.currency)
        for p in kept
        if p.evidence_start not in headlines
    }
    for row in rows:
        told = extract(row.told, context.published, context.vocabulary).pledges
        evidence = context.article[row.start : row.end]
        kept.extend(
            replace(pledge, evidence=evidence, evidence_start=row.start, evidence_end=row.end)
            for pledge in told
            if (pledge.donor, pledge.amount, pledge.quantity, pledge.currency) not in stated
        )
    return sorted(kept, key=lambda pledge: pledge.evidence_start)


def _part_of(
    part: NumberPhrase, summed: dict[tuple[Decimal, str | None], str], context: ArticleContext
) -> bool:
    """True when the donor named last pledged a larger sum in the part's currency."""
    donor = context.last_donor
    return donor is not None and any(
        who == donor.name and currency == part.currency and amount > part.value
        for (amount, currency), who in summed.items()
    )


def _shares_of(text: str, start: int, sums: set[tuple[object, str | None]]) -> int | None:
    """``start`` when the words opening the shares (before ``start``) name one of ``sums``
    ("Of the €1.4 billion,"), else None."""
    named = find_numbers(text[:start])
    return start if any((n.value, n.currency) in sums for n in named) else None


# A payment as the subject of its arrival: "A first payment of NOK 200 million from Norway's
# contribution arrived on Tuesday", "The tranche of €1.5bn was received on Friday" (at the
# receiving end: a tranche the giver disburses or transfers is told as given).
_PAYMENT_ARRIVED_RE = re.compile(
    r"(?:an?|the)\s+(?:[\w-]+\s+)?(?:payment|tranche|instal+ment|disbursement|transfer)\s+of\s+"
    r"[^.;:]{0,80}?\b(?:arrived|reached|(?:was|were|has\s+been|have\s+been)\s+"
    r"(?:received|credited))\b",
    re.IGNORECASE,
)
_PAYMENT_ARRIVED_HINTS = ("arrived", "reached", "received", "credited")


def _money_arrived(text: str, lowered: str, hints: Sequence[str]) -> bool:
    """True when a sentence opens with a payment as the subject of its arrival: the handing
    over of a sum pledged before, no pledge of its own (``hints``: those of
    _PAYMENT_ARRIVED_HINTS the article holds)."""
    if not contains_any(lowered, hints):
        return False
    return _PAYMENT_ARRIVED_RE.match(text) is not None


def _larger_than(text: str, start: int, sums: set[tuple[object, str | None]]) -> bool:
    """True when a share from ``start`` on is larger than every one of ``sums``, the sums the
    sentence before pledged: a share of some other total, not of theirs."""
    largest = max((value for value, _ in sums if isinstance(value, Decimal)), default=None)
    if largest is None:
        return False
    return any(n.value > largest for n in find_numbers(text[start:]) if n.currency)


def _names_cased(text: str) -> str:
    """A line written in capitals ("* GERMANY'S BUDGET COMMITTEE APPROVED EUR 7 BLN") with
    its words as names are written ("Germany's Budget Committee Approved EUR 7 Bln"), so its
    names are found (`as_names`); a line of fewer than four such words as it is."""
    return text if len(CAPITALS_WORD_RE.findall(text)) < 4 else as_names(text)


# Words in capitals opening a sentence in lower case, as a tabloid opens a paragraph
# ("BRITAIN is sending Ukraine ...", "NEW ZEALAND will give ...").
_OPENING_CAPITALS_RE = re.compile(r"[A-Z][A-Z’'-]{2,}(?:\s+[A-Z][A-Z’'-]+)*(?=\s+[a-z])")
_WORD_RE = re.compile(r"\S+")


def _capitalized(word: re.Match[str]) -> str:
    """A word in capitals as a name's word is written ("ZEALAND" → "Zealand")."""
    return word.group().capitalize()


def _capitals_opening(text: str, mentions: list[Mention], context: ArticleContext) -> list[Mention]:
    """``mentions`` with the name a sentence's opening words in capitals write as a name
    would ("BRITAIN is sending ..."), when they are no name as they stand ("NATO")."""
    opening = _OPENING_CAPITALS_RE.match(text)
    if opening is None or any(mention.start < opening.end() for mention in mentions):
        return mentions
    cased = _WORD_RE.sub(_capitalized, text[: opening.end()]) + text[opening.end() :]
    named = [m for m in context.mentions_of(cased) if m.end <= opening.end()]
    return named + mentions if named else mentions


def _open_given_list(
    sentence: Sentence, mentions: list[Mention], trigger: int, context: ArticleContext
) -> bool:
    """Whether a sentence that gives what the lines after it list opens that list, as the
    contents of a package of its donor: the giver named before the verb of giving, else (a
    government or ministry unnamed) the donor the article names most."""
    givers = [
        mention
        for mention in mentions
        if mention.start < trigger and mention.can_give and not mention.location
        and not mention.is_recipient_side
    ]  # fmt: skip
    donor = givers[-1] if givers else next(iter(context.principal_donors()), None)
    if donor is None or running_total(sentence.text, lower_case(sentence.text)):
        return False
    context.last_donor = donor
    context.last_announced = date_near(sentence.text, trigger, context.published)
    context.last_recipient = None
    return True


# A post's next sentence adding a sum without a verb: "Also \"a further €150m\" to the fund."
_ALSO_RE = re.compile(r"Also,?\s+[\"“]?")


def _also_labelled(text: str, words: str, context: ArticleContext) -> tuple[int, str, int] | None:
    """A sentence opening "Also" and a sum or count without a donor of its own, read as the
    line's label (``words``) labels it, else None."""
    if not text.startswith("Also") or (also := _ALSO_RE.match(text)) is None:
        return None
    if any(m.can_give and not m.is_recipient_side for m in context.mentions_of(text)):
        return None  # "Also, Norway will give €5m": its own donor's
    return 0, words, also.end()


def _label_donors(label: tuple[int, str, int], context: ArticleContext) -> list[Mention]:
    """The donor a factbox line's label names ("* GERMANY: ..."), placed where it stands."""
    start, words, _ = label
    return [
        mention._replace(start=mention.start + start, end=mention.end + start)
        for mention in context.mentions_of(words)
        if mention.can_give and not mention.is_recipient_side
    ][:1]


def _label_joint(label: tuple[int, str, int], context: ArticleContext) -> str | None:
    """ "jointly with Norway" for a label naming more than one donor ("- Denmark and Norway:
    jointly €150 million"), else None: the first is the pledge's donor, as for a joint sum."""
    donors = [m for m in context.mentions_of(label[1]) if m.can_give and not m.is_recipient_side]
    if len(donors) < 2:
        return None
    return "jointly with " + " and ".join(d.name for d in donors[1:])


def _labelled_pledges(
    sentence: Sentence, body: int, donor: Mention, context: ArticleContext
) -> list[ExtractedPledge]:
    """What a factbox line names without a verb of giving ("* LITHUANIA: 30 armoured
    personnel carriers and ammunition worth 5 million euros"): the label's donor's pledges,
    read as the contents of a package of its own."""
    numbers = find_numbers(sentence.text)
    first = next((n.start for n in numbers if not (n.percent or n.year) and n.start >= body), None)
    handed = handed_over_clause(sentence.text, body) if ";" in sentence.text else None
    if not labelled_items(sentence.text, body, first, handed):
        return []
    return _donor_s_contents(sentence, body, donor, context, handed)


def _share_pledges(
    sentence: Sentence, share: tuple[int, int, int], context: ArticleContext
) -> list[ExtractedPledge]:
    """A donor's share told with "is" ("JAPAN'S SHARE OF G7 ERA LOANS IS $4.5 BLN, FIRST
    TRANCHE OF $1 BLN"): the figures after it, the donor's pledges."""
    start, end, body = share
    name = sentence.text[start:end]
    donors = [
        mention
        for mention in context.mentions_of(as_names(name) if name.isupper() else name)
        if mention.can_give and not mention.is_recipient_side
    ]
    if not donors:
        return []
    return _donor_s_contents(sentence, body, donors[0], context)


def _donor_sum_pledges(
    sentence: Sentence, pairs: list[tuple[str, int, int]], context: ArticleContext
) -> list[ExtractedPledge]:
    """The pledges of a run of "Donor, sum;" pairs (``lists.donor_sums``): each read as the
    donor giving its sum, its evidence the whole sentence."""
    pledges = []
    for name, start, end in pairs:
        told = f"{name} will give {sentence.text[start:end]}."
        for pledge in extract(told, context.published, context.vocabulary).pledges:
            pledges.append(
                replace(pledge, evidence=sentence.text, evidence_start=sentence.start,
                        evidence_end=sentence.end)
            )  # fmt: skip
    return pledges


def _own_package(text: str, items_start: int, context: ArticleContext) -> bool:
    """True when a sentence naming contents opens with the possessive of another donor than
    the last package's ("Sweden's 21st package, worth 18.4 billion crowns, includes ..."):
    that donor's own package, no parts of the last."""
    if text[:1] == "T" and text.startswith("The "):
        text = text[4:]
        items_start -= 4
    if "'s " not in text[:items_start] and "’s " not in text[:items_start]:
        return False
    mentions = context.mentions_of(text)
    return (
        bool(mentions)
        and mentions[0].start == 0
        and text.startswith(("'s ", "’s "), mentions[0].end)
        and mentions[0].can_give
        and not mentions[0].is_recipient_side
        and (context.last_donor is None or mentions[0].name != context.last_donor.name)
    )


def _owned_promise(
    sentence: Sentence, owned: tuple[int, int], context: ArticleContext
) -> list[ExtractedPledge]:
    """The pledge of a sum its donor's possessive owns, at ``owned`` (``stages.owned_promise``):
    read as the donor's package of its own, to the words that set off its promise."""
    donors = [
        m
        for m in context.mentions_of(sentence.text)
        if m.end < owned[0] and m.can_give and not m.is_recipient_side
    ]
    if not donors:
        return []
    return _donor_s_contents(sentence, owned[0], donors[-1], context, owned[1])


def _fronted_promise(
    sentence: Sentence, head: int, told: list[ExtractedPledge], context: ArticleContext
) -> list[ExtractedPledge]:
    """The pledges of a sentence whose head (to ``head``) names a promise and whose rest tells
    a part of it handed over (``stages.fronted_promise_done``): of those ``told``, none of the
    rest's figures, and the promise of the donor the head names when none was read."""
    numbers = find_numbers(sentence.text)
    handed = {n.value for n in numbers if n.start >= head}
    kept = [p for p in told if (p.quantity if p.amount is None else p.amount) not in handed]
    promised = {n.value for n in numbers if n.start < head}
    if any((p.quantity if p.amount is None else p.amount) in promised for p in kept):
        return kept
    donors = [
        m
        for m in context.mentions_of(sentence.text)
        if m.start < head and m.can_give and not m.is_recipient_side
    ]
    return kept + _donor_s_contents(sentence, 0, donors[0], context, head) if donors else kept


def _donor_s_contents(
    sentence: Sentence, body: int, donor: Mention, context: ArticleContext, end: int | None = None
) -> list[ExtractedPledge]:
    """The things named from ``body`` on (to ``end``, when given), read as ``donor``'s
    package of its own."""
    context.last_donor = donor
    context.last_announced = date_near(sentence.text, body, context.published)
    context.last_recipient = None
    return contents_pledges(sentence, context, body, end)


def _conference_kind(
    sentences: list[Sentence], lowered_texts: list[str], words: Sequence[str]
) -> str | None:
    """The kind of support a conference the article reports on is about, if any (read from
    the sentences in the first 4,000 characters; ``lowered_texts``: their ``lower_case``;
    ``words``: those of _CONFERENCE_WORDS the article holds)."""
    if not words:
        return None
    conferences = []
    for sentence, lowered in zip(sentences, lowered_texts, strict=True):
        if sentence.start >= 4000:
            break
        folded = fold_lowered(lowered)
        if contains_any(folded, words) and _CONFERENCE_RE.search(folded):
            conferences.append(sentence.text)
    # (the words of a kind one of them holds are in their lines joined: one search of them
    # all first, as most meetings' sentences name none)
    if not conferences or not suggests_a_kind("\n".join(conferences)):
        return None
    for text in conferences:
        if kind := guess_kind(text, ""):
            return kind
    return None

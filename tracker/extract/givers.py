"""Who gives and to whom: the donors of a verb of giving, the recipient, denials and hedges.

Also the article context that carries what earlier sentences said (the date, the last
currency, the last donor) to later ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker import reference
from tracker.extract.donors import Mention, find_mentions
from tracker.extract.patterns import contains_any, first_letter_union, fold_case, folded_regex
from tracker.extract.triggers import (
    CONDITION_RE,
    CONDITIONAL_KEYS,
    CONDITIONAL_RE,
    HEDGE_RE,
    NEGATION_RE,
    PERSUADED_RE,
    Trigger,
)
from tracker.extract.vocabulary import Vocabulary, reference_vocabulary

_JOINER_RE = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|as\s+well\s+as\s+)(?:the\s+)?$")
_THEY_RE = re.compile(r"(?:[,;]\s*|\b(?:said|says|added)\s+)?they\b", re.IGNORECASE)
# A time before the subject without a comma: "Earlier this year it also pledged ...", "In
# December 2024 it pledged ...".
_LEADING_TIME = (
    r"(?:(?:earlier|later)(?:\s+(?:this|that|last|in\s+the)\s+\w+)?"
    r"|(?:last|this|in)\s+\w+(?:\s+(?:19|20)\d\d)?"
    r"|in\s+the\s+\w+(?:\s+\w+)?\s+of\s+(?:19|20)\d\d)\s+"  # "in the spring of 2025"
    # the date opening a line of a timeline: "29 January 2024 – ", "March 2025: "
    r"|(?:\d{1,2}\s+)?[a-z]+\s+(?:19|20)\d\d\s*(?:[–—-]|:)\s+"
)
# The words before a name compared with another ("second-largest backer after the US").
_COMPARED_BEFORE_RE = re.compile(r"\b(?:after|than|behind|like)\s+(?:the\s+)?$")
# A name a sum goes to or is for ("For Israel, the bill includes ...", "€5m to Moldova"): the
# receiver, no subject a pronoun after it stands for.
_SUM_FOR_BEFORE_RE = re.compile(r"\b(?:[Ff]or|to)\s+(?:the\s+)?$")
_PRONOUN_SUBJECT_RE = re.compile(
    rf"(?:^(?:[-•*–·]\s*)?(?:{_LEADING_TIME})?|[,;]\s*(?:and\s+)?(?:{_LEADING_TIME})?|\b(?:said|says|added)\s+)(?:it|he|she|they|the\s+(?:(?:federal\s+|national\s+|central\s+)?government|ministry"
    r"|(?:foreign(?:\s+trade)?|defen[cs]e|finance|economy|development)\s+ministry|country|kingdom"
    r"|package|contract|deal|value|cabinet|(?:budget\s+)?committee|bank|administration|minister"
    r"|chancellor|prime\s+minister"
    r"|(?:defen[cs]e|foreign|finance|development)\s+(?:minister|secretary)"
    r"|president|bloc"
    r"|department|alliance|agency|city|town|council|municipality)|(?:the|this|these)\s+(?:new\s+|agreed\s+)?(?:liability|commitment"
    r"|guarantee|assistance\s+measures?|measures?|bill|legislation|contribution|support|funding))"
    # (a name set off by commas may follow: "The Minister of the Armed Forces, Élise
    # Maréchal, announced ...")
    r"\b[^,;]*(?:,[^,;]{1,40},[^,;]*)?$"
    # (after an answer's letter or a speaker's label, as transcripts write them: "Q: ", "Sir
    # Edward Fanshawe (Chichester Downs) (Con): ")
    r"|^(?:[QA]:\s+|[\w. ’'-]{2,40}(?:\s\([^()]{1,40}\))*:\s+)?"
    r"(?:[A-Z]\w+\s+){0,2}(?:Minister|Secretary|Ministry|Department|Councillors"
    r"|Parliament)\b[^,;]*$",
    re.IGNORECASE,
)
# "Rheinmetall said it would supply...", "The World Food Programme said it needed ...": "it" is
# a company or body we do not know, not a donor (not "The Government", "The Ministry", ...).
_NAMED_SUBJECT_RE = re.compile(
    r"^(?:The\s+(?!(?:Government|Ministry|Department|Cabinet|Treasury|Foreign|Defen[cs]e"
    r"|Finance|Prime|President|Chancellor|Minister|Secretary|State|Commission|Council"
    r"|Administration|Bloc|Country)\b))?"
    r"(?!(?:The|It|He|She|They|We|This|That|Officials|Separately|Meanwhile)\b)"
    r"[A-Z][\w&.-]+(?:\s+[A-Z][\w&.-]+)*\s+(?:said|says|announced)\s+(?:on\s+\w+\s+)?(?:that\s+)?it\b"
)
# A mention right after a verb of giving or "to"/"for" is the receiver: "agreed to give Moldova".
_OBJECT_BEFORE_RE = re.compile(
    r"\b(?:give|gives|gave|giving|provide[sd]?|providing|send|sends|sent|lend|lends|lent|offer"
    r"|offers|offered|to|for)\s+(?:the\s+)?(?:neighbou?ring\s+)?$"
)
# After a name, a maker or seller it qualifies: "built by the U.S. manufacturer", "bought from
# a German company" (a firm of that country, which gives nothing).
_MAKER_AFTER_RE = re.compile(
    r"\s+(?:(?:arms|defen[cs]e|state-owned|private)\s+)?(?:manufacturer|maker|company|firm"
    r"|producer|contractor|supplier|industry|shipyard|plant|factory)s?\b",
    re.IGNORECASE,
)
# The leaders of a group set off by commas: "the IT coalition, led by Estonia and Luxembourg,
# added €80m" (the group gives, not its leaders).
_LED_BY_RE = re.compile(
    r"\b(?:coalition|group|alliance|initiative|partnership|consortium|format)s?,\s+"
    r"(?:co-)?(?:led|chaired|headed)\s+by\s+[^,;]{2,60},"
)
# A name in the possessive set off by commas: ", the World Bank's private-sector arm,".
_APPOSITION_BEFORE_RE = re.compile(r",\s+the\s+$")
_APPOSITION_AFTER_RE = re.compile(r"['’]s\s+[^,;]{1,40},")
# A noun of giving opening the sentence: "The package", "The new package", "This pledge".
# (after the date opening a line of a timeline, "8 January 2026 – The 20th package, of ...",
# "March 2025: The new package ...", a package told by its rank)
_NOUN_SUBJECT_RE = re.compile(
    r"(?:(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}\s*(?:[–—-]|:)\s+)?"
    r"(?:The|This|Its|Their)\s+(?:new\s+|latest\s+|\d{1,3}(?:st|nd|rd|th)\s+)?"
)
# The figure of a noun of giving, then its giver: "of €150m from", "of up to $10m by the".
_NOUN_AGENT_RE = re.compile(r"(?:\s+of\s+[^,;]{1,40}?)?\s+(?:from|by)\s+(?:the\s+)?")
_PASSIVE_BY_RE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$")  # "... announced by Berlin"
# A facility named after a receiver: "the Ukraine Facility", "the Ukraine Recovery Fund".
FACILITY_NAME_RE = re.compile(
    r"(?:\s+[A-Z][\w’'-]*){0,3}?\s+(?:Facility|Fund|Programme|Program|Instrument|Mechanism)\b"
)
# The words before a country that receives: "to Moldova", "give Moldova".
_RECEIVER_BEFORE_RE = re.compile(
    r"(?:\b(?:to|for)\s+(?:the\s+)?(?:people\s+(?:in\s+need\s+)?(?:in|of)\s+(?:the\s+)?"
    r"|(?:[a-z]+-(?:hit|stricken|affected)\s+)?(?:areas|parts|regions)\s+of\s+(?:the\s+)?)?"
    r"|\b(?:give|gives|giving|gave|provide|provides|send|sends"
    r"|lend|lends|offer|offers)\s+|\b(?:people|civilians|refugees|population)\s+(?:in\s+need\s+)?"
    r"(?:in|of)\s+(?:the\s+)?|\b(?:earthquakes?|quakes?|crisis|war|conflict|floods?|cyclone"
    r"|typhoon|hurricane|storm|drought)\s+(?:in|that\s+(?:struck|hit))\s+)"
    # "neighbouring Chad", "northwest Syria", "flood-hit Libya", "drought-stricken Somalia"
    r"(?:neighbou?ring\s+|(?:north|south|east|west)[a-z-]*\s+|[a-z]+-(?:hit|stricken|affected)\s+)?$"
)
# The words before a place where what is given serves: "for" or "to" and a verb of helping,
# then up to six words in lower case that name no meeting (a list's commas between them),
# then "in".
_SERVED_IN_RE = re.compile(
    r"\b(?:for|to\s+(?:help|support|rebuild|feed|restore|repair))\s+"
    r"(?:(?!(?:conferences?|summits?|meetings?|talks|visits?|gatherings?|session)\b)"
    r"[a-z][\w'-]*,?\s+){1,6}in\s+(?:the\s+)?(?:(?:north|south|east|west)[a-z-]*\s+)?$"
)
_RECEIVER_JOINER_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")
_AND_RE = re.compile(r"\s+and\s+(?:the\s+)?")
_RELATIVE_RE = re.compile(r",\s*(?:which|who)\b")
# A relative clause set off by commas right after the donor: what it denies or hedges is said
# of the donor, not of the verb after it ("South Korea, which does not send weapons to
# countries at war, said it would give $300m").
_DONOR_RELATIVE_RE = re.compile(r",\s*(?:which|who)\b[^,;]*,")
# Any relative clause set off by commas ("Taiwan, which Guatemala recognises diplomatically,
# pledged", "Japan, whose aid Kyiv welcomed, will give"): a name inside it is its subject.
_SET_OFF_RELATIVE_RE = re.compile(r",\s*(?:which|who|whom|whose)\b[^,;]*,")
# A relative clause closed after the object of the donor's first verb, then a second verb of
# the same donor: "agreed to donate two fire engines, which were replaced in the spring, and
# will give £25,000".
_OBJECT_RELATIVE_RE = re.compile(
    r",\s*(?:which|who)\b[^,;]*,\s+and\s+(?:(?:will|would|has|have|had|also)\s+)*"
)
# A factbox label's donor named again after its colon ("* SWITZERLAND: The government, which
# ..."): the relative clause after it is said of the donor.
_DONOR_NOUN_RE = re.compile(r":\s+(?:The|the)\s+(?:government|cabinet|country)")
# A programme as the subject: it gives for the donor the article speaks for.
_PROGRAMME_SUBJECT_RE = re.compile(
    r"(?:The\s+)?(?:[A-Z][\w’'-]*\s+(?:(?:of|for|the)\s+)?){0,5}"
    r"(?:Facility|Fund|Programme|Program|Initiative|Instrument|Mechanism|Act)\b[^,;]*$"
)
# A participle after the sum it describes, with no agent: "The £8.5m funding announced".
# A passive verb of giving and its agent: "had been pledged by", "will be provided by the".
_PASSIVE_AUX = ("been", "be", "being", "is", "are", "was", "were")
_PASSIVE_ADVERBS = ("also", "already", "now")
_PASSIVE_AUX_RE = re.compile(
    rf"\b(?:{'|'.join(_PASSIVE_AUX)})\s+(?:(?:{'|'.join(_PASSIVE_ADVERBS)})\s+)?$"
)
# The last word before the verb whenever _PASSIVE_AUX_RE matches: a cheap test first.
_PASSIVE_AUX_ENDS = _PASSIVE_AUX + _PASSIVE_ADVERBS
_PASSIVE_AGENT_RE = re.compile(r"(?:\s+[\w’'-]+){0,4}?\s+by\s+(?:the\s+)?")
_POSTPOSED_RE = re.compile(
    r"^(?:The|This|That)\s+[$€£]?[\d.,]+\s?(?:m|bn|million|billion)?\s+(?:[\w-]+\s+){0,2}$"
)
# A sum as the subject of a passive verb of giving, no giver named: "A further £100m will be
# given", "An additional €50m is allocated", "€20m will also be made available", "A second
# grant, of KWD 5 million, is earmarked".
SUM_SUBJECT_RE = re.compile(
    r"(?:(?:A|An|Another)\s+)?(?:(?:further|additional|extra|new|second|third)\s+)?"
    r"(?:(?:grant|loan|tranche|contribution|payment),?\s+of\s+)?(?:[$€£]|[A-Z]{3}\s)?"
    r"[\d.,]+\s?(?:m|bn|mn|million|billion)?(?:\s*\([^()]{1,30}\))?,?(?:\s+[a-z]+){0,2}\s+"
    r"(?:(?:will|would|has|have)\s+(?:also\s+)?(?:be|been)|(?:is|are)(?:\s+also)?)\s+",
    re.IGNORECASE,
)
# Pledges named as a whole, the subject of a verb of totalling: "pledges made so far
# exceeded €10bn", "Pledges at the conference topped $5bn", "commitments now total €2bn".
# The figure sums other donors' promises: not the speaker's.
_PLEDGES_TOTAL_RE = re.compile(
    r"(?:pledges|commitments|promises|contributions)(?:\s+[\w,'’-]+){0,5}?"
    r"\s+(?:(?:now|already|have|had|has)\s+)?(?:exceeded|exceed|exceeds|topped|top|tops"
    r"|surpassed|reached|totall?ed|total|amounted\s+to|amount\s+to|stood\s+at|stand\s+at"
    r"|came\s+to|come\s+to|rose\s+to|climbed\s+to|passed)\s+",
    re.IGNORECASE,
)
# Givers named only as a kind, the subject of a verb of giving after a verb of saying:
# "Meloni said countries and businesses at the conference had pledged ...".
_COLLECTIVES = (
    r"(?:countries|nations|donors|governments|delegations|businesses|investors|states|partners"
    r"|allies)"
)
# (Over fold_case(text), its verbs grouped by first letters: the engine skips to where one
# may start.)
_COLLECTIVE_SPEECH = ("said", "says", "told", "added")  # one is in every match below
_COLLECTIVE_SUBJECT_RE = folded_regex(
    first_letter_union({"said": ("said", "says", r"told\s+[\w]+", "added")}, r"\w")
    + r"\s+(?:that\s+)?(?:the\s+)?(?:other\s+|western\s+"
    rf"|international\s+|foreign\s+|partner\s+)?{_COLLECTIVES}(?:\s+(?:and|&)\s+(?:other\s+)?"
    rf"{_COLLECTIVES})?(?:\s+(?:at|in|attending)\s+the\s+(?:conference|summit|meeting|gathering"
    r"|talks))?\s+(?:(?:had|have|has|would|will)\s+)?(?:already\s+|together\s+|collectively\s+)?$"
)
# Who made pledges named as a whole when no one is named: the participants of the
# conference the article is about (the reference data's alias of that group).
PARTICIPANTS = "participants"
# "We will send", "we have decided to give Ukraine a package", ", and we are giving", "Last
# week I announced": up to four words to the verb, and the verb's object before a noun of
# giving; at the start, a time may come first.
_FIRST_PERSON_RE = re.compile(  # (after partners maybe: "Together with Denmark we will ...")
    r"(?:^(?:(?:Last|This|Today|Yesterday|Earlier|Tonight|Now)\b[\w ]{0,20}?,?\s"
    r"|(?:Together|Jointly|Along)\s+with\s+(?:the\s+)?[A-Z][\w-]*(?:\s+and\s+[A-Z][\w-]*)?,?\s)?"
    r"|[,;:]\s*(?:and\s+)?)(?:I|[Ww]e)\s+(?:[a-z]+\s+){0,4}(?:[A-Z]\w+\s+an?\s+(?:[a-z]+\s+)?)?$"
)
_QUOTED_WE_RE = re.compile(r"^[\"“‘']\s*[Ww]e\b")
_PAYMENT_RE = re.compile(r"[Pp]ayments?\b")
_SPEAKER_RE = re.compile(r"[,.!?][\"”’']\s*")


@dataclass
class ArticleContext:
    """What earlier sentences tell later ones: the date, currency and last donor named."""

    published: date | None
    conference_kind: str | None = None
    last_currency: str | None = None
    previous_sentence: str | None = None
    last_donor: Mention | None = None
    last_announced: tuple[date | None, str | None] | None = None
    last_kind: str | None = None
    last_recipient: str | None = None  # of the last package named, for its contents
    article: str = ""  # the whole text, for the donor who speaks in the first person
    # the donor names and catalogue items to read with (the database's, on an import)
    vocabulary: Vocabulary = field(default_factory=reference_vocabulary, repr=False)
    # The actors named in each sentence already read, by its text (read once per article).
    mentions_by_text: dict[str, list[Mention]] = field(default_factory=dict, repr=False)
    # The donor the article names most (``principal_donors``), read once when first asked.
    principal: list[Mention] | None = field(default=None, repr=False)

    def mentions_of(self, sentence: str) -> list[Mention]:
        """The actors a sentence of this article names (``find_mentions``, read once)."""
        mentions = self.mentions_by_text.get(sentence)
        if mentions is None:
            mentions = self.mentions_by_text[sentence] = find_mentions(
                sentence, self.published, self.vocabulary.donors
            )
        return mentions

    def principal_donors(self) -> list[Mention]:
        """The donor an official text speaks for ("I am authorizing our ..."): the possible
        donor the article names most often, at least twice; else none."""
        if self.principal is None:
            self.principal = self._most_named()
        return self.principal

    def _most_named(self) -> list[Mention]:
        """``principal_donors``, read from the whole article."""
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for mention in find_mentions(self.article, self.published, self.vocabulary.donors):
            if mention.can_give and not mention.location and not mention.is_recipient_side:
                counts[mention.name] = counts.get(mention.name, 0) + 1
                first.setdefault(mention.name, mention)
        if not counts:
            return []
        name = max(counts, key=lambda key: counts[key])
        return [first[name]] if counts[name] >= 2 else []

    def previous_donors(self, plural: bool = False) -> list[Mention]:
        """The last possible donor named in the previous sentence, for "It will send...";
        for a ``plural`` pronoun ("They will also send ...") with the donors joined to it
        ("Sweden and Denmark announced ...")."""
        if self.previous_sentence is None:
            return []
        mentions = self.mentions_of(self.previous_sentence)
        actors = [m for m in mentions if m.can_give]
        if not actors and self.last_donor is not None:
            return [self.last_donor]  # "The government will also spend..." two sentences on
        if plural and actors:
            return chain(self.previous_sentence, actors)
        if len(actors) > 1:  # "Germany ..., second after the United States": not the latter
            actors = [m for m in actors if not _aside(self.previous_sentence, m)] or actors
        elif actors and _received(self.previous_sentence, actors[0]):
            # "For Israel, the bill includes $4bn. It also ...": the giver told before
            return [self.last_donor] if self.last_donor else self.principal_donors()
        return actors[-1:]


def _aside(sentence: str, mention: Mention) -> bool:
    """True when a name is only compared with or owns something in ``sentence`` ("after the
    United States", "than Germany", "Sudan's largest donor"): no subject a pronoun stands for."""
    return (
        sentence.startswith(("'s ", "’s "), mention.end)
        or _COMPARED_BEFORE_RE.search(sentence, max(0, mention.start - 16), mention.start)
        is not None
        or _received(sentence, mention)
    )


# A deal signed for another to receive, right before a verb of receiving: its signer gives.
_DEAL_FOR_RE = re.compile(
    r"\b(?:signed|agreed|struck|reached|concluded)\s+(?:a|an|the)\s+(?:[\w-]+\s+)?"
    r"(?:deal|agreement|contract)\s+for\s+[^,;]{1,30}?\s+to\s+$"
)


def _inside_relative(text: str, mention: Mention, verb: int) -> bool:
    """True when a name stands in a relative clause set off by commas and closed before the
    verb at ``verb`` ("Taiwan, which Guatemala recognises diplomatically, pledged $1m"): the
    clause's subject, not the verb's."""
    opening = text.rfind(",", 0, mention.start)
    if opening < 0:
        return False
    clause = _SET_OFF_RELATIVE_RE.match(text, opening, verb)
    return clause is not None and clause.end() > mention.end


def _received(sentence: str, mention: Mention) -> bool:
    """True when a name is what a sum goes to or is for in ``sentence``."""
    return _SUM_FOR_BEFORE_RE.search(sentence, max(0, mention.start - 8), mention.start) is not None


def donors_for(
    text: str,
    trigger: Trigger,
    mentions: list[Mention],
    context: ArticleContext,
    folded: str | None = None,
) -> list[Mention]:
    """The donor (or donors joined by "and") of a verb of giving (``folded``: the text's
    ``fold_case``, when the caller has it)."""
    if folded is None:
        folded = fold_case(text)
    led = _LED_BY_RE.search(text, 0, trigger.start) if "d by " in text else None
    before = [
        m
        for m in mentions
        if m.end <= trigger.start
        and not (m.start and _OBJECT_BEFORE_RE.search(text, max(0, m.start - 30), m.start))
        and not (led is not None and led.start() < m.start < led.end())
        and not _MAKER_AFTER_RE.match(text, m.end)
    ]
    if trigger.noun and (agent := _agent_of_noun(text, trigger, mentions)):
        return agent  # "supported by a guarantee of €150m from Germany"
    if (
        not trigger.noun
        and contains_any(folded, _COLLECTIVE_SPEECH)
        and (kind := _COLLECTIVE_SUBJECT_RE.search(folded, 0, trigger.start))
    ):
        # "Meloni said countries and businesses at the conference had pledged €10bn": the
        # conference's participants; elsewhere the group the words name, if any
        if context.conference_kind is not None:
            return _participants(context, trigger.start)
        return [m for m in mentions if kind.start() < m.start and m.kind == "group"][:1]
    if trigger.noun and (total := _PLEDGES_TOTAL_RE.match(text, trigger.start)):
        named = [m for m in mentions if trigger.end < m.start < total.end() and m.can_give_passive]
        if named and _PASSIVE_BY_RE.search(text, 0, named[0].start):
            # "commitments from participants totalled €10bn"
            return chain_forward(text, [m for m in mentions if m.start >= named[0].start])
        return _participants(context, trigger.start)
    if (
        not trigger.noun
        and text[max(0, trigger.start - 24) : trigger.start].rstrip().endswith(_PASSIVE_AUX_ENDS)
        and _PASSIVE_AUX_RE.search(text, max(0, trigger.start - 24), trigger.start)
    ):
        # "The Italian prime minister said €10bn had been pledged by participants": the
        # passive's agent gives, not a name before it
        by = _PASSIVE_AGENT_RE.match(text, trigger.end)
        named = [m for m in mentions if by is not None and m.start == by.end()]
        if named and named[0].can_give_passive and not named[0].is_recipient_side:
            return chain_forward(text, [m for m in mentions if m.start >= named[0].start])
    if trigger.receive and before and (deal := _DEAL_FOR_RE.search(text, 0, trigger.start)):
        # "Belgium signed a deal for Ukraine to receive 12 more F-16 jets": the deal's signer
        signers = [m for m in before if m.end <= deal.start() and m.can_give]
        return chain(text, signers[-1:]) if signers else []
    if not trigger.receive:
        for position in range(len(before) - 1, -1, -1):
            mention = before[position]
            if (
                mention.location
                or mention.is_recipient_side
                or (text.startswith(("'s", "’s"), mention.end) and _in_apposition(text, mention))
            ):
                continue  # "the IFC, the World Bank's private-sector arm, said": not the subject
            if "wh" in text and _inside_relative(text, mention, trigger.start):
                continue  # "Taiwan, which Guatemala recognises, pledged": not the subject
            if not mention.can_give:
                return []
            relative = (
                _RELATIVE_RE.search(text, mention.end, trigger.start) if "wh" in text else None
            )  # ("which" or "who" is in every match: a cheap test first)
            if (
                relative is not None
                and relative.start() > mention.end
                and not (
                    _DONOR_NOUN_RE.fullmatch(text, mention.end, relative.start())
                    and _DONOR_RELATIVE_RE.match(text, relative.start(), trigger.start)
                )  # the label's donor, its relative clause closed before the verb
                and not _OBJECT_RELATIVE_RE.fullmatch(text, relative.start(), trigger.start)
            ):
                return []  # "..., the initiative, which has delivered": another subject
            return _organisation_of_members(text, mention, mentions) or chain(
                text, before[: position + 1]
            )
    after = [m for m in mentions if m.start >= trigger.end]
    for position, mention in enumerate(after):
        if _PASSIVE_BY_RE.search(text, 0, mention.start) and not (
            trigger.noun and len(text[trigger.end : mention.start].split()) > 3
        ):  # "a pledge by Germany", not "a commitment to guarantee lending by the World Bank"
            if trigger.receive and FACILITY_NAME_RE.match(text, mention.end):
                return _facility_owner(before, trigger, context)
            if mention.kind == "place":
                continue  # "will be managed by the World Health Organization": a receiver
            if mention.is_recipient_side or not mention.can_give_passive:
                return []
            return chain_forward(text, after[position:])
    if any(not (m.location or m.is_recipient_side) for m in before):
        return []
    if SUM_SUBJECT_RE.fullmatch(text, 0, trigger.start):
        # "A further £100m will be given as grants": given by the donor of the sentence before,
        # standing after the verb as the agent of a passive does (the figure is the subject)
        return [m._replace(start=trigger.end, end=trigger.end) for m in context.previous_donors()]
    if _NAMED_SUBJECT_RE.match(text):
        return []
    if _PROGRAMME_SUBJECT_RE.match(text, 0, trigger.start) or _POSTPOSED_RE.search(
        text, 0, trigger.start
    ):
        # "The Ukraine Facility of up to €50bn will provide", "The £8.5m funding announced
        # will be ...": the figure is in the subject, so the donor stands after the verb, as
        # the agent of a passive does
        return [m._replace(start=trigger.end, end=trigger.end) for m in context.principal_donors()]
    if _QUOTED_WE_RE.match(text, 0, trigger.start):
        speaker = _SPEAKER_RE.search(text, trigger.end)
        if speaker is not None:
            named = [m for m in after if m.start >= speaker.start() and m.can_give]
            return named[:1]
    if _FIRST_PERSON_RE.search(text, 0, trigger.start):
        # "I am authorizing our eleventh drawdown": named elsewhere, placed at the start
        return [m._replace(start=0, end=0) for m in context.principal_donors()]
    if trigger.noun and _NOUN_SUBJECT_RE.fullmatch(text, 0, trigger.start):
        # "The package is worth €600m": the package the sentence before named, its donor's
        return [m._replace(start=0, end=0) for m in context.previous_donors()]
    if not trigger.receive and (subject := _PRONOUN_SUBJECT_RE.search(text, 0, trigger.start)):
        # (the subject of a verb of receiving receives: "the city would receive 20 generators")
        # "It will send ...": the donor of the sentence before, standing as the subject here
        at = subject.start()
        plural = _THEY_RE.match(text, subject.start()) is not None
        donors = context.previous_donors(plural)
        if "government" in subject.group():  # a country's, not a council's before it
            donors = [m for m in donors if m.kind == "country"]
        if not plural and (not donors or donors[0] is context.last_donor):
            # "It will instead give €60m ..., Defence Minister Guido Crosetto said": none in
            # the sentence before, so the one who speaks after the verb, if named
            donors = _speaker_after(text, trigger, after) or donors
        if not donors and ("government" in subject.group() or "cabinet" in subject.group()):
            # "The federal government will send ...", "The cabinet approved ..." before any
            # donor was named in the body (after the headline and byline, or in a speaker's
            # words): the country the article names most
            donors = [m for m in context.principal_donors() if m.kind == "country"]
        return [m._replace(start=at, end=at) for m in donors]
    if trigger.noun and _PAYMENT_RE.match(text, trigger.start):
        # "will unlock the payment of two further tranches": paid by whom the article speaks for
        return [m._replace(start=trigger.end, end=trigger.end) for m in context.principal_donors()]
    return []


# After a name set off by a comma, a verb of saying: the name speaks ("..., Defence Minister
# Guido Crosetto said").
_SAYS_AFTER_RE = re.compile(r"\s+(?:said|says|told|announced|added)\b")


def _speaker_after(text: str, trigger: Trigger, after: list[Mention]) -> list[Mention]:
    """The donor who speaks in the words set off by a comma after a verb of giving, else
    none."""
    for mention in after:
        if (
            mention.can_give
            and not (mention.location or mention.is_recipient_side)
            and text.rfind(",", trigger.end, mention.start) >= 0
            and _SAYS_AFTER_RE.match(text, mention.end)
        ):
            return [mention]
    return []


def _participants(context: ArticleContext, at: int) -> list[Mention]:
    """The donors of pledges named as a whole ("pledges made so far exceeded €10bn"): the
    conference's participants, as a group, when the article is about a conference; else
    none (the donors are not named, and the speaker only reports their sum)."""
    if context.conference_kind is None:
        return []
    found = [m for m in context.mentions_of(PARTICIPANTS) if m.kind == "group"]
    return [m._replace(start=at, end=at) for m in found[:1]]


def _facility_owner(
    before: list[Mention], trigger: Trigger, context: ArticleContext
) -> list[Mention]:
    """Who pays out of a facility named after its receiver ("Ukraine would receive €3.5bn
    from the Ukraine Facility"): the giver who says so before the verb ("The European
    Commission said"), else the donor the article speaks for, placed after the verb."""
    givers = [m for m in before if m.can_give and not (m.location or m.is_recipient_side)]
    if givers:
        return givers[-1:]
    return [m._replace(start=trigger.end, end=trigger.end) for m in context.principal_donors()]


def _in_apposition(text: str, mention: Mention) -> bool:
    """True for a name in the possessive (the caller has found its "'s") inside words set
    off by commas after another subject ("the IFC, the World Bank's private-sector arm, said
    it would lend")."""
    return (
        _APPOSITION_BEFORE_RE.search(text, max(0, mention.start - 8), mention.start) is not None
        and _APPOSITION_AFTER_RE.match(text, mention.end) is not None
    )


def _agent_of_noun(text: str, trigger: Trigger, mentions: list[Mention]) -> list[Mention]:
    """The giver named right after the figure of a noun of giving ("a guarantee of €150m
    from Germany", "a donation of $10m by Saudi Arabia"), whoever the sentence's subject."""
    for position, mention in enumerate(mentions):
        if mention.start < trigger.end:
            continue
        if _NOUN_AGENT_RE.fullmatch(text, trigger.end, mention.start) and mention.can_give_passive:
            return chain_forward(text, mentions[position:])
        break
    return []


def _organisation_of_members(text: str, mention: Mention, mentions: list[Mention]) -> list[Mention]:
    """For "NATO allies" or "EU countries", the organisation named right before the group."""
    if mention.kind != "group":
        return []
    for other in mentions:
        if other.kind == "organisation" and text[other.end : mention.start] == " ":
            return [other]
    return []


def chain_forward(text: str, after: list[Mention]) -> list[Mention]:
    """The first mention plus those joined after it by commas and "and" (after "by" or
    "from" too: "guarantees from Japan and Norway", where "Norway" reads as a place)."""
    chain = [after[0]]
    for mention in after[1:]:
        if not _JOINER_RE.match(text[chain[-1].end : mention.start]) or not (
            mention.can_give or (chain[-1].location and mention.can_give_passive)
        ):
            break
        chain.append(mention)
    return chain


def chain(text: str, before: list[Mention]) -> list[Mention]:
    """The last mention plus those joined to it by commas and "and", up to one naming the
    same donor again."""
    chain = [before[-1]]
    for mention in reversed(before[:-1]):
        if not _JOINER_RE.match(text[mention.end : chain[0].start]) or not mention.can_give:
            break
        if mention.name == chain[0].name:
            break  # "the governments of Kenya and the United Kingdom, Britain pledged": no list
        chain.insert(0, mention)
    return chain


def negated_or_hedged(
    text: str, donor: Mention, trigger: Trigger, folded: str | None = None
) -> bool:
    """True when the giving is denied or only hoped for (``folded``: ``fold_case(text)``)."""
    if folded is None:
        folded = fold_case(text)
    start = max(donor.end, trigger.start - 80)
    if text.startswith(",", donor.end):
        relative = _DONOR_RELATIVE_RE.match(text, donor.end, trigger.start)
        if relative is not None:
            start = max(start, relative.end())
    elif text.startswith(":", donor.end):
        relative = _DONOR_RELATIVE_RE.search(text, donor.end, trigger.start)
        if relative is not None and _DONOR_NOUN_RE.fullmatch(text, donor.end, relative.start()):
            start = max(start, relative.end())  # "* SWITZERLAND: The government, which ...,"
    # (a donor opening the sentence has no words before it: nothing to search)
    if donor.start and _denied_before(text, folded, donor.start):
        return True
    return bool(
        NEGATION_RE.search(folded[start : trigger.end])
        or HEDGE_RE.search(text[start : trigger.end])
        or (  # "If Congress approves, the US would send $60bn": a hypothetical
            contains_any(folded, CONDITIONAL_KEYS)
            and CONDITIONAL_RE.search(folded, start, trigger.start)
            and CONDITION_RE.search(folded)
        )
    )


def _denied_before(text: str, folded: str, start: int) -> bool:
    """True when the words before a donor starting at ``start`` deny or wish its giving
    ("urged Germany to", "Hungary refused to back EU plans to send")."""
    if PERSUADED_RE.search(folded, max(0, start - 40), start):
        return True
    clause_start = max(text.rfind(",", 0, start), text.rfind(";", 0, start), 0)
    return NEGATION_RE.search(folded, max(clause_start, start - 40), start) is not None


def recipient_of(text: str, start: int, end: int, mentions: list[Mention]) -> str | None:
    """Ukraine unless the objects name other receivers ("to Moldova", "for people in need in
    Sudan", "the earthquakes in Türkiye and Syria": joined by "; "); None for hostile ones."""
    for position, mention in enumerate(mentions):
        if not (start <= mention.start < end and mention.kind in ("country", "place")):
            continue
        ukraine = mention.code == "UA"
        if ukraine and not (  # Ukraine alone is the default; "Ukraine and Moldova" is not
            position + 1 < len(mentions)
            and _AND_RE.fullmatch(text, mention.end, mentions[position + 1].start)
        ):
            continue
        if _RECEIVER_BEFORE_RE.search(
            text, max(start, mention.start - 40), mention.start
        ) or _served_in(text, start, mention):
            if not ukraine and mention.kind == "country" and not mention.can_give_passive:
                return None  # aid "to Russia" is not what the tracker counts
            joined = [_receiver_name(mention)]
            length = len(joined[0])
            for other in mentions[position + 1 :]:
                if not _RECEIVER_JOINER_RE.fullmatch(
                    text, joined_end(mentions, other), other.start
                ) or (
                    (other.kind == "country" and not other.can_give_passive)
                    or other.kind not in ("country", "place")  # "to UNRWA, the U.N. agency"
                ):
                    break
                name = _receiver_name(other)
                length += len(name) + 2
                if length > reference.RECIPIENT_NAME_LENGTH:
                    break  # a list longer than a stored name: the receivers it can hold
                joined.append(name)
            if ukraine and len(joined) == 1:
                continue
            return "; ".join(dict.fromkeys(joined))
    return reference.DEFAULT_RECIPIENT


def _served_in(text: str, start: int, mention: Mention) -> bool:
    """True when the words before a place (after ``start``) make it where what is given
    serves ("for food and medicine in Gaza", "to support the health sector in Gaza"); a
    country named by a capital is none ("for a donors' meeting in Rome")."""
    if not (mention.kind == "place" or mention.text == mention.name):
        return False
    window = max(start, mention.start - 60)
    return (
        text.find(" in ", window, mention.start) >= 0
        and _SERVED_IN_RE.search(text, window, mention.start) is not None
    )


def _receiver_name(mention: Mention) -> str:
    """The name a receiver is shown by ("Türkiye" for "Turkey")."""
    if mention.code is None:
        return mention.name
    return reference.RECIPIENT_NAMES.get(mention.code, mention.name)


def joined_end(mentions: list[Mention], mention: Mention) -> int:
    """Where the mention before ``mention`` ends."""
    index = mentions.index(mention)
    return mentions[index - 1].end if index else 0


# The sentences an article opens with (headline, standfirst, dateline lead) where its
# subject is read, and the words that name the default recipient in them.
OPENING_SENTENCES = 4
_DEFAULT_RECIPIENT_WORDS = ("Ukrain", "Kyiv", "Kiev")


def article_subject(openings: list[str], donors: set[str], context: ArticleContext) -> str | None:
    """The receiver an article is about, when its opening sentences name one before (or
    without) naming the default recipient ("Donors pledge $2.1 billion for Sudan at Paris
    conference"), and it is none of the article's ``donors`` ("Attributed to Pentagon
    Press Secretary ..."); else None."""
    for text in openings:
        if contains_any(text, _DEFAULT_RECIPIENT_WORDS):
            return None
        named = recipient_of(text, 0, len(text), context.mentions_of(text))
        if named is not None and named != reference.DEFAULT_RECIPIENT:
            return None if donors.intersection(named.split("; ")) else named
    return None


def names_default_recipient(evidence: str) -> bool:
    """True when a pledge's sentence names the default recipient itself."""
    return contains_any(evidence, _DEFAULT_RECIPIENT_WORDS)

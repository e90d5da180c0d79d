"""Generated news articles of about 6 KB, in the genre the extractor reads.

Each article mixes sentences that state pledges (donors, verbs of giving,
amounts in several currencies, quantities with qualifiers), sentences with
numbers that are not pledges (attacks, casualties) and plain reporting, drawn
from a seeded random generator so every run reads the same text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

TARGET_BYTES = 6000
DONORS = (
    "The United Kingdom",
    "Germany",
    "France",
    "Norway",
    "Sweden",
    "Poland",
    "Japan",
    "The Netherlands",
    "Canada",
    "Denmark",
    "The European Union",
    "The World Bank",
)
MONEY = (
    "{q}{n} million euros",
    "{q}£{n}m",
    "{q}${n}m",
    "{q}{n} billion Norwegian kroner",
    "{q}€{n}bn",
)
QUALIFIERS = ("", "about ", "more than ", "up to ", "nearly ", "at least ")
THINGS = (
    "air defence missiles",
    "interceptor drones",
    "artillery shells",
    "armoured vehicles",
    "air defence systems",
    "drones",
)
PLEDGE_SENTENCES = (
    "{donor} said it would provide {money} in aid to Ukraine.",
    "{donor} pledged {money} for reconstruction, officials said on {weekday}.",
    "{donor} will supply {qualifier}{count} {things} to Ukraine over the coming months.",
    "{donor} announced a package of {money} in budget support and {count} {things}.",
    "On {weekday}, {donor} committed {money} to help repair the power grid.",
    "{donor} promised to deliver {qualifier}{count} {things} and {money} in humanitarian aid.",
)
OTHER_SENTENCES = (
    "Russia launched {count} drones and {small} missiles overnight, the air force said.",
    "At least {small} people were killed and {count} injured in the attack on {city}.",
    "Air defence units shot down {count} of the drones, officials said.",
    "More than {count} delegates from {small} countries attended the meeting in {city}.",
    "The conference in {city} brought together governments, banks and companies.",
    "Officials said talks on a ceasefire would continue next week.",
    "Analysts said the support would take months to arrive at the front.",
    "The president thanked partners for their help and asked for more air defence supplies.",
    "Power cuts hit {city} again after strikes on energy infrastructure.",
)
CITIES = ("Kyiv", "Kharkiv", "Odesa", "Lviv", "Rome", "Berlin", "Dnipro")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class Article:
    """A generated article and its publication date."""

    text: str
    published: date


def _sentence(rng: random.Random, pledge: bool) -> str:
    """One sentence: a pledge or other reporting, with its blanks filled."""
    template = rng.choice(PLEDGE_SENTENCES if pledge else OTHER_SENTENCES)
    money = rng.choice(MONEY).format(q=rng.choice(QUALIFIERS), n=rng.randint(2, 950))
    return template.format(
        donor=rng.choice(DONORS),
        money=money,
        qualifier=rng.choice(QUALIFIERS),
        count=f"{rng.randint(2, 9000):,}",
        small=rng.randint(2, 60),
        things=rng.choice(THINGS),
        weekday=rng.choice(WEEKDAYS),
        city=rng.choice(CITIES),
    )


def generate_articles(count: int, seed: int = 6000) -> list[Article]:
    """`count` articles of about TARGET_BYTES each, the same ones for the same seed."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        paragraphs: list[str] = []
        size = 0
        while size < TARGET_BYTES:
            paragraph = " ".join(_sentence(rng, rng.random() < 0.35) for _ in range(3))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
        published = date(2023, 1, 2) + timedelta(days=rng.randrange(700))
        articles.append(Article("\n".join(paragraphs), published))
    return articles

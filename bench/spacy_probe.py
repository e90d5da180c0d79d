"""spaCy's rule matcher against the extractor's own, for the job they would share: finding
the words of giving and the number phrases in an article's sentences.

    python -m bench.spacy_probe [--articles N] [--corpus DIR]

The own side runs ``find_triggers`` and ``find_numbers`` over every sentence; spaCy tokenises
the article with ``spacy.blank("en")`` and runs a ``Matcher`` built from the same lexicon
(every form of every verb of giving, the nouns of giving, and numbers with or without a
currency) — without the extractor's context rules, which it would still need. Both are
timed by process CPU time, best of three passes, over the bench's generated articles and
the development corpus; the words of giving each finds are compared (how many of the own
matcher's the spaCy one finds too). Prints one JSON line. Without spaCy installed it says so
and exits 0: spaCy is no dependency of the project.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.articles import generate_articles
from bench.report import python_yardstick
from tracker.extract.lexicon import GIVING_VERBS, forms_of
from tracker.extract.numbers import find_numbers
from tracker.extract.patterns import lower_case
from tracker.extract.sentences import split_sentences
from tracker.extract.triggers import find_triggers

_NOUNS = ("pledge", "pledges", "promise", "promises", "commitment", "commitments", "donation",
          "donations", "contribution", "contributions", "package", "packages")  # fmt: skip
_CURRENCY = ("€", "£", "$", "US$", "EUR", "USD", "GBP", "NOK", "SEK", "DKK", "CAD", "JPY")
_SCALES = ("million", "billion", "m", "bn", "mn", "mln", "bln", "trillion", "k")


def _own(texts: list[str]) -> tuple[int, set[tuple[int, int]]]:
    """The own matcher over every sentence: words of giving and number phrases found, and
    the article offsets of the words of giving (of the last text)."""
    found = 0
    starts: set[tuple[int, int]] = set()
    for number, text in enumerate(texts):
        for sentence in split_sentences(text):
            lowered = lower_case(sentence.text)
            triggers = find_triggers(sentence.text, lowered)
            found += len(triggers) + len(find_numbers(sentence.text, lowered))
            starts.update((number, sentence.start + t.start) for t in triggers)
    return found, starts


def _spacy_matcher() -> Callable[[list[str]], tuple[int, set[tuple[int, int]]]] | None:
    """spaCy's blank English tokeniser and a Matcher of the same words, or None."""
    try:
        import spacy
        from spacy.matcher import Matcher
    except ImportError:
        return None
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    matcher.add("GIVE", [[{"LOWER": {"IN": [*forms_of(GIVING_VERBS), *_NOUNS]}}]])
    money: list[dict[str, Any]] = [{"TEXT": {"IN": list(_CURRENCY)}, "OP": "?"}, {"LIKE_NUM": True},
             {"LOWER": {"IN": list(_SCALES)}, "OP": "?"}]  # fmt: skip
    matcher.add("NUMBER", [money], greedy="LONGEST")
    give = nlp.vocab.strings["GIVE"]

    def run(texts: list[str]) -> tuple[int, set[tuple[int, int]]]:
        found = 0
        starts: set[tuple[int, int]] = set()
        for number, text in enumerate(texts):
            doc = nlp.make_doc(text)
            matches = matcher(doc)
            found += len(matches)
            starts.update((number, doc[s].idx) for key, s, _ in matches if key == give)
        return found, starts

    return run


def _rate(run: Callable[[list[str]], object], texts: list[str]) -> float:
    """Articles per second of process CPU time, best of three passes."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        run(texts)
        best = min(best, time.process_time() - start)
    return len(texts) / best


def measure(texts: list[str]) -> dict[str, Any]:
    """Both matchers' rates over ``texts`` and how far their words of giving agree."""
    spacy_run = _spacy_matcher()
    if spacy_run is None:
        return {"note": "spaCy is not installed: nothing measured"}
    spacy_run(texts[:1])
    _own(texts[:1])
    own_rate = _rate(_own, texts)
    spacy_rate = _rate(spacy_run, texts)
    _, own_starts = _own(texts)
    _, spacy_starts = spacy_run(texts)
    both = len(own_starts & spacy_starts)
    return {
        "articles": len(texts),
        "own_articles_per_s": round(own_rate, 1),
        "spacy_articles_per_s": round(spacy_rate, 1),
        "spacy_over_own": round(spacy_rate / own_rate, 2),
        "own_giving_words": len(own_starts),
        "spacy_giving_words": len(spacy_starts),
        "found_by_both": both,
    }


def main(argv: list[str] | None = None) -> int:
    """Measure on the generated articles and, when it is there, the development corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    default_corpus = Path(__file__).resolve().parents[1].parent / "shared" / "dev-corpus"
    parser.add_argument("--corpus", type=Path, default=default_corpus / "articles")
    arguments = parser.parse_args(argv)
    report: dict[str, Any] = {"python_yardstick_s": python_yardstick()}
    generated = [article.text for article in generate_articles(arguments.articles)]
    report["generated"] = measure(generated)
    if arguments.corpus.is_dir():
        corpus = [p.read_text(encoding="utf-8") for p in sorted(arguments.corpus.glob("*.txt"))]
        report["dev_corpus"] = measure(corpus * 10)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

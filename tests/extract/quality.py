"""Precision and recall of the extractor over the seed article and the hand-written articles.

Run ``python -m tests.extract.quality [-v] [NAME ...]`` (names limit the articles scored;
"seed" is the seed article). A pledge matches an expected one when donor,
kind, quantity, amount, currency, qualifier, announced date and evidence sentence are equal
(the item's wording is not scored). Requests match on requester, item and evidence.
Not a unit test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from tracker.extract import decode_article, extract, to_contract

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "seeds" / "aljazeera-2025-07-10-rome-conference"
ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
PLEDGE_KEY = (
    "donor", "kind", "quantity", "amount", "currency", "qualifier", "announced", "evidence",
)  # fmt: skip


def _cases() -> list[tuple[str, Path, dict, dict]]:
    """(name, article file, meta, expected) for the seed and every test article."""
    cases = []
    seed_expected = json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))
    cases.append(("seed", SEED_DIR / "article.txt", seed_expected["source"], seed_expected))
    for path in sorted(ARTICLES_DIR.glob("*.txt")):
        name = path.name.removesuffix(".txt")
        meta = json.loads((ARTICLES_DIR / f"{name}.meta.json").read_text(encoding="utf-8"))
        expected = json.loads((ARTICLES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
        cases.append((name, path, meta, expected))
    return cases


def _pledge_keys(pledges: list[dict]) -> Counter:
    """The scored fields of each pledge, as a multiset."""
    return Counter(tuple(json.dumps(p[k]) for k in PLEDGE_KEY) for p in pledges)


def _request_keys(requests: list[dict]) -> Counter:
    """Requests as a multiset; "same sentence" evidence is carried forward."""
    keys: Counter = Counter()
    evidence = None
    for request in requests:
        if request["evidence"] != "same sentence":
            evidence = request["evidence"]
        keys[(request["requester"], request["item"], evidence)] += 1
    return keys


def score(verbose: bool = False, names: list[str] | None = None) -> dict[str, tuple[int, int, int]]:
    """Print and return (true positives, extracted, expected) for pledges and requests."""
    totals = {"pledges": [0, 0, 0], "requests": [0, 0, 0]}
    for name, path, meta, expected in _cases():
        if names and name not in names:
            continue
        text = decode_article(path.read_bytes())
        output = to_contract(extract(text, date.fromisoformat(meta["published"])), meta)
        for part, keys in (("pledges", _pledge_keys), ("requests", _request_keys)):
            got, want = keys(output[part]), keys(expected[part])
            hits = sum((got & want).values())
            total = totals[part]
            total[0] += hits
            total[1] += sum(got.values())
            total[2] += sum(want.values())
            if verbose:
                for extra in got - want:
                    print(f"{name}: unexpected {part[:-1]}: {extra}")
                for missing in want - got:
                    print(f"{name}: missed {part[:-1]}: {missing}")
    for part, (hits, extracted, wanted) in totals.items():
        precision = hits / extracted if extracted else 1.0
        recall = hits / wanted if wanted else 1.0
        print(f"{part}: precision {precision:.3f} ({hits}/{extracted}), "
              f"recall {recall:.3f} ({hits}/{wanted})")  # fmt: skip
    return {part: (t[0], t[1], t[2]) for part, t in totals.items()}


if __name__ == "__main__":
    arguments = sys.argv[1:]
    score(verbose="-v" in arguments, names=[a for a in arguments if not a.startswith("-")])

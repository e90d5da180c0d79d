"""The spaCy probe in bench/ measures when spaCy is there and says so when it is not."""

from __future__ import annotations

import json
import sys

import pytest

from bench import spacy_probe


def test_without_spacy_the_probe_measures_nothing_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)  # an import of it fails
    assert spacy_probe.main(["--articles", "2", "--corpus", "/nonexistent"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["generated"] == {"note": "spaCy is not installed: nothing measured"}


def test_with_spacy_both_matchers_find_the_same_words_of_giving() -> None:
    pytest.importorskip("spacy")
    texts = ["Germany pledged €5m to Ukraine. Norway will provide 20 tanks, Oslo said."]
    report = spacy_probe.measure(texts)
    assert report["own_giving_words"] == report["found_by_both"] == 2

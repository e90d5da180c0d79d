"""A source's URL, title and publisher have one length each: the source table's column."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from wtforms.validators import Length

from tracker.forms.article import ArticleImportForm
from tracker.forms.pledge import PledgeForm
from tracker.forms.stage import StageForm
from tracker.importers import source_urls
from tracker.importers.mapping import Mapping, MappingError
from tracker.limits import SOURCE_TEXT_LIMITS
from tracker.models import Source


def column_length(name: str) -> int:
    """The declared length of a column of the source table."""
    return int(Source.__table__.c[name].type.length)  # type: ignore[attr-defined]


def length_limit(field: object) -> int:
    """The `Length(max=...)` of a form field."""
    (limit,) = [v.max for v in getattr(field, "validators", ()) if isinstance(v, Length)]
    return int(limit)


def test_the_limits_are_the_columns() -> None:
    assert {n: column_length(n) for n in ("title", "publisher", "url")} == SOURCE_TEXT_LIMITS


@pytest.mark.parametrize("key", ["title", "publisher", "url"])
def test_a_mappings_source_one_character_over_the_column_is_refused(key: str) -> None:
    limit = column_length(key)
    stem = "https://example.org/" if key == "url" else ""
    for size, accepted in ((limit, True), (limit + 1, False)):
        value = stem + "a" * (size - len(stem))
        content = json.dumps({"columns": {"giver": "donor"}, "source": {key: value}}).encode()
        if accepted:
            assert Mapping.loads(content, "m.json").source[key] == value
        else:
            with pytest.raises(MappingError, match=f"source: {key} ") as refused:
                Mapping.loads(content, "m.json")
            assert str(limit) in str(refused.value).replace(",", "")


def test_an_exported_address_one_character_over_the_column_is_refused() -> None:
    limit = column_length("url")
    stem = "https://example.org/"
    at_limit = stem + "a" * (limit - len(stem))
    assert source_urls.web_addresses(f"{at_limit}; https://example.org/b") == (
        at_limit, "https://example.org/b",
    )  # fmt: skip
    with pytest.raises(ValueError, match=f"{limit + 1:,} characters long; at most {limit:,}"):
        source_urls.web_addresses(at_limit + "a")


@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (PledgeForm, {"source_url": "url"}),
        (StageForm, {"source_url": "url"}),
        (ArticleImportForm, {"url": "url", "title": "title", "publisher": "publisher"}),
    ],
)
def test_every_form_takes_its_limit_from_the_column(
    app: Flask, form_class: type, names: dict[str, str]
) -> None:
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        for field, column in names.items():
            assert length_limit(getattr(form, field)) == column_length(column), field


def test_a_url_one_character_over_the_column_is_refused(app: Flask) -> None:
    limit = column_length("url")
    stem = "https://example.org/"
    for size, accepted in ((limit, True), (limit + 1, False)):
        url = stem + "a" * (size - len(stem))
        with app.test_request_context(method="POST", data={"source_url": url}):
            form = PledgeForm(meta={"csrf": False})
            assert form.source_url.validate(form) is accepted, size
            assert accepted or f"{limit}" in " ".join(form.source_url.errors)

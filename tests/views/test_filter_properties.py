"""Filters that never fail: generated filter combinations over the seed article and a
sample of Kiel's tables, on every filtered page, export and API read, on both databases.

Every combination of known values answers 200, and the dashboard's headline is the
sum of the pledges export for the same query string; any value at all (unknown
names, digits out of range, control characters, far dates) answers 200 or 400,
never 500, and a 400 names the parameter.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import REPO_ROOT as PROJECT_ROOT
from tracker.importers.article import import_article, read_article
from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table
from tracker.models import Donor, Item, ItemCategory, Pledge, Recipient, Source
from tracker.reference import KINDS, STAGES
from tracker.services.dashboard_totals import dashboard_totals
from tracker.services.filter_args import FILTER_NAMES, parse_filter_args
from tracker.views.donors import DONOR_PAGE_ARGS
from tracker.views.formatting import money_total

KIEL = Path(__file__).parents[1] / "data" / "kiel"
PAGES = (
    "/", "/pledges", "/api/totals", "/api/pledges", "/exports/totals.csv",
    "/exports/pledges.csv",
)  # fmt: skip
EXAMPLES = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])


def sample(file_name: str, every: int) -> bytes:
    """The header and every `every`-th row of a Kiel table."""
    lines = (KIEL / file_name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join([lines[0], *lines[1::every]]).encode()


@pytest.fixture
def loaded(session: Session) -> dict[str, list[str]]:
    """The seed article and a Kiel sample, and the values a filter can name."""
    for article in sorted((PROJECT_ROOT / "seeds").glob("*/article.txt")):
        import_article(session, *read_article(article))
    for table, every in (("kiel-bilateral-activities", 40), ("kiel-weapons", 4)):
        mapping = Mapping.load(PROJECT_ROOT / "mappings" / f"{table}.yaml")
        import_table(session, sample(f"{table}.csv", every), f"{table}.csv", mapping=mapping)
    session.commit()
    used = select(Pledge.donor_id).distinct()
    donors = session.execute(select(Donor.id, Donor.name).where(Donor.id.in_(used))).all()
    items = session.execute(
        select(Item.id, Item.name).where(Item.id.in_(select(Pledge.item_id)))
    ).all()
    return {
        "donor": [str(d.id) for d in donors] + [d.name for d in donors] + ["UK", "Britain"],
        "group": [
            name for name in session.scalars(select(Donor.name).where(Donor.kind == "group"))
        ],
        "recipient": ["Ukraine", "UA"] + [str(i) for i in session.scalars(select(Recipient.id))],
        "kind": list(KINDS),
        "stage": list(STAGES),
        "item": [str(i.id) for i in items] + [i.name for i in items],
        "category": list(session.scalars(select(ItemCategory.name))),
        "source": [str(s) for s in session.scalars(select(Source.id))],
        "reviewed": ["1", "0"],
        "q": ["missile", "aid", "Patriot", "%", "_"],
        "from": ["2022-01-01", "2024-06-30", "2025-07-01"],
        "to": ["2023-12-31", "2025-12-31", "2199-12-31"],
    }


def query_strategy(values: dict[str, list[str]]) -> st.SearchStrategy[dict[str, str]]:
    """Up to four filters, each with a known value."""
    names = st.lists(st.sampled_from(sorted(values)), max_size=4, unique=True)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({n: st.sampled_from(values[n]) for n in chosen})
    )


def fetch(client, url: str):  # type: ignore[no-untyped-def]
    """GET `url` and read the whole body (a streamed export ends inside its request)."""
    response = client.get(url)
    response.get_data()
    return response


def pledges_export(client, query: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The pledges CSV for `query`."""
    response = client.get(f"/exports/pledges.csv?{query}")
    assert response.status_code == 200, query
    return pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)


def listed_ids(client, query: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The ids the pledge list shows for `query`, every page followed by its next link."""
    ids: set[int] = set()
    url: str | None = f"/pledges?{query}"
    while url:
        page = fetch(client, url).text
        ids |= {int(i) for i in re.findall(r'data-id="(\d+)"', page)}
        following = re.search(r'rel="next" href="([^"]+)"', page)
        url = following.group(1).replace("&amp;", "&") if following else None
    return ids


def test_known_filter_combinations_answer_and_the_headline_is_the_export_sum(
    client, session: Session, loaded: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    @EXAMPLES
    @given(query_strategy(loaded))
    def check(args: dict[str, str]) -> None:
        if "from" in args and "to" in args and args["from"] > args["to"]:
            args.pop("to")
        query = urlencode(args)
        for page in PAGES:
            response = fetch(client, f"{page}?{query}")
            assert response.status_code == 200, (page, query, response.text[:300])
        frame = pledges_export(client, query)
        grand = dashboard_totals(session, parse_filter_args(args, session).filter).grand
        assert grand.pledges == len(frame)
        counted = frame["eur"][frame["counts_money"] == "true"]  # a package's money once
        assert grand.eur == sum((Decimal(v) for v in counted if v), Decimal(0))
        assert listed_ids(client, query) == {int(i) for i in frame["id"]}
        by_donor = client.get(f"/exports/totals.csv?by=donor&{query}")
        totals = pd.read_csv(io.BytesIO(by_donor.data), dtype=str, keep_default_na=False)
        assert sum(int(n) for n in totals["pledges"]) == len(frame)
        assert "nan" not in set(totals["unit"])
        if grand.eur:
            assert money_total(grand, "EUR").replace("≈", "&#8776;") in client.get(
                f"/?{query}"
            ).text.replace("≈", "&#8776;")

    check()


ODD_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "²", "99999999999999999999999", "9999-12-31", "0000-01-01", "\x00", "a\x00b",
            "-1", "0", "1e9", "٣", "2025-02-30", " ", "%", "' OR 1=1 --", "Atlantis",
        ]
    ),
)  # fmt: skip


def test_any_value_of_any_filter_answers_200_or_400_naming_it(
    client, session: Session, loaded: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    @EXAMPLES
    @given(st.sampled_from(FILTER_NAMES + ("by", "sort", "after")), ODD_VALUES)
    def check(name: str, value: str) -> None:
        query = urlencode({name: value})
        for page in PAGES:
            response = fetch(client, f"{page}?{query}")
            assert response.status_code in (200, 400), (page, query)
            if response.status_code == 400 and page != "/pledges" and name in FILTER_NAMES:
                assert name in response.text, (page, query, response.text[:200])

    check()


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("donor=Atlantis", "donor"),
        ("donor=%C2%B2", "donor"),
        ("item=99999999999999999999999", "item"),
        ("to=9999-12-31", "to"),
        ("q=a%00b", "q"),
        ("from=2025-02-30", "from"),
        ("group=Germany", "group"),
        ("reviewed=maybe", "reviewed"),
    ],
)
def test_named_bad_values_are_400_everywhere(client, query: str, name: str) -> None:  # type: ignore[no-untyped-def]
    for page in PAGES:
        response = fetch(client, f"{page}?{query}")
        assert response.status_code == 400, (page, query)
        assert name in response.text
    api = client.get(f"/api/totals?{query}").get_json()
    assert api["field"] == name


def test_api_totals_take_a_donor_name(client, loaded: dict[str, list[str]]) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/totals?donor=Germany&by=kind")
    assert response.status_code == 200
    assert {row["kind"] for row in response.get_json()["totals"]} >= {"military"}


DONOR_PAGE_LINKS = re.compile(r'href="(/|/pledges|/exports/pledges\.csv|/donors/\d+)\?([^"]*)"')


def test_the_donor_page_keeps_every_dashboard_filter_but_the_donors_own(
    client, session: Session, loaded: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """Under drawn filters (all but donor and group) the dashboard's donor links carry them;
    the donor's page counts what the pledges export filtered the same way holds, and every
    link on it (drill, dashboard, CSV, other donors) keeps them."""
    words = {name: loaded[name] for name in DONOR_PAGE_ARGS}

    @EXAMPLES
    @given(st.data())
    def check(data: st.DataObject) -> None:
        args = data.draw(query_strategy(words))
        if "from" in args and "to" in args and args["from"] > args["to"]:
            args.pop("to")
        canonical = parse_filter_args(args, session).arg_dict()
        dashboard = client.get(f"/?{urlencode(args)}").text
        table = dashboard[dashboard.index('id="totals-donor"') :]
        table = table[: table.index("</table>")]
        links = re.findall(r'href="/donors/(\d+)(?:\?([^"]*))?"', table)
        for _, query in links:
            assert parse_qs(query.replace("&amp;", "&")) == {k: [v] for k, v in canonical.items()}
        donor_id = int(data.draw(st.sampled_from([i for i, _ in links] or loaded["donor"][:1])))
        donor = session.get(Donor, donor_id)
        assert donor is not None
        own = {"group" if donor.kind == "group" else "donor": str(donor_id)}
        page = client.get(f"/donors/{donor_id}?{urlencode(args)}")
        assert page.status_code == 200, (args, page.text[:300])
        text = page.text[page.text.index("<h1>") :]
        frame = pledges_export(client, urlencode({**own, **args}))
        shown = re.search(r'<span class="label">(\d+) pledges?', text)
        assert shown and int(shown.group(1)) == len(frame), args
        grand = dashboard_totals(session, parse_filter_args({**own, **args}, session).filter).grand
        counted = frame["eur"][frame["counts_money"] == "true"]  # a package's money once
        assert grand.eur == sum((Decimal(v) for v in counted if v), Decimal(0))
        if grand.eur:
            assert money_total(grand, "EUR").replace("≈", "&#8776;") in text.replace("≈", "&#8776;")
        kept = DONOR_PAGE_LINKS.findall(text)
        assert any(path == "/exports/pledges.csv" for path, _ in kept)
        for path, query in kept:
            given_args = parse_qs(query.replace("&amp;", "&"))
            for name, value in canonical.items():
                assert given_args.get(name) == [value], (path, query, args)
        if args:
            assert 'id="page-filters"' in text
            assert f'href="/donors/{donor_id}">clear filters</a>' in text

    check()


def test_the_donor_page_names_the_filters_it_is_under(
    client, session: Session, loaded: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    uk = session.scalars(select(Donor).where(Donor.name == "United Kingdom")).one()
    page = client.get(f"/donors/{uk.id}?reviewed=0&item=aid&q=kingdom&from=2025-07-01").text
    shown = page[page.index('id="page-filters"') :]
    shown = shown[: shown.index("</p>")]
    assert "Item aid · Text “kingdom” · Unreviewed only · Announced from 2025-07-01 · " in shown
    assert re.search(r'<span class="label">1 pledge<', page)


@pytest.mark.parametrize(("query", "name"), [("kind=planet", "kind"), ("stage=maybe", "stage"),
                                             ("kind=military&to=2025-02-30", "to")])  # fmt: skip
def test_a_bad_kind_or_stage_on_a_donor_page_is_400_naming_it(
    client, loaded: dict[str, list[str]], query: str, name: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/donors/{loaded['donor'][0]}?{query}")
    assert response.status_code == 400
    assert name in response.text

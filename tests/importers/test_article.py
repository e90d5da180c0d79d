"""Importing an article stores it whole, once, with evidence for every pledge."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, func, inspect, select, true
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from tracker.amounts import MAX_INTEGER_DIGITS
from tracker.cli import main
from tracker.importers.article import (
    ArticleFileError,
    ArticleMeta,
    column_defaults,
    import_article,
    read_article,
)
from tracker.models import AuditEvent, Evidence, Pledge, Request, Source
from tracker.services.pledge_rules import PledgeError

SEED = Path(__file__).resolve().parents[2] / "seeds" / "aljazeera-2025-07-10-rome-conference"


def count(session: Session, model: type) -> int:
    """Rows of `model` in the database."""
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def seed_article() -> tuple[str, ArticleMeta]:
    """The seed article's text and metadata."""
    return read_article(SEED / "article.txt")


def test_seed_article_is_stored_with_evidence(
    session: Session, seed_article: tuple[str, ArticleMeta]
) -> None:
    text, meta = seed_article
    assert meta.published == date(2025, 7, 10)
    result = import_article(session, text, meta)
    session.flush()

    assert result.source is not None and not result.already_imported
    source = session.get(Source, result.source.id)
    assert source is not None
    assert source.kind == "article" and source.title == meta.title and source.text == text
    assert len(source.sha256 or "") == 64

    pledges = session.scalars(
        select(Pledge).where(Pledge.source_id == source.id).order_by(Pledge.id)
    ).all()
    assert [(p.donor.name, p.kind) for p in pledges] == [
        ("United Kingdom", "military"),
        ("United Kingdom", "financial"),
        ("Conference participants", "reconstruction"),
        ("United States", "military"),
    ]
    missiles, aid, conference, weapons = pledges
    assert missiles.quantity == Decimal("5000") and missiles.qualifier == "at_least"
    assert aid.amount == Decimal("283000000") and aid.currency == "GBP"
    assert aid.stated_amount == Decimal("384000000") and aid.stated_currency == "USD"
    assert aid.eur is not None and aid.review_flag is None
    assert conference.amount == Decimal("10000000000") and conference.currency == "EUR"
    assert weapons.qualifier == "unknown" and weapons.announced == date(2025, 7, 7)
    assert weapons.announced_precision == "week"
    assert all(not p.reviewed for p in pledges)

    # Both UK pledges point at the one sentence that states them, by offsets into the text.
    assert missiles.evidence_id == aid.evidence_id
    for pledge in pledges:
        ev = pledge.evidence
        assert ev is not None and text[ev.start : ev.end] == ev.text

    requests = session.scalars(select(Request).where(Request.source_id == source.id)).all()
    assert {r.item_text for r in requests} >= {"air defence supplies", "interceptor drones"}
    assert len(requests) == 5
    assert session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "source", AuditEvent.action == "import")
    )


def test_the_source_is_its_row_as_a_persistent_object(
    session: Session, seed_article: tuple[str, ArticleMeta]
) -> None:
    """The source handed back is the session's own object for its row, holds every column
    as stored, and loads its evidence (written as rows, not objects) from the database."""
    text, meta = seed_article
    result = import_article(session, text, meta)
    source = result.source
    assert source is not None and inspect(source).persistent
    assert not inspect(source).unloaded - {"evidence"}  # every column given, none to load
    assert session.get(Source, source.id) is source
    stored = session.execute(select(Source.__table__).where(Source.id == source.id)).one()
    columns = {name: getattr(source, name) for name in stored._fields}
    # (SQLite hands its times back without their zone: the time is compared apart)
    assert columns == stored._asdict() | {"created_at": source.created_at}
    assert source.created_at.replace(tzinfo=None) == stored.created_at.replace(tzinfo=None)
    assert source.deleted_at is None
    evidence = session.scalars(select(Evidence.id).where(Evidence.source_id == source.id))
    assert source.evidence and {e.id for e in source.evidence} == set(evidence)


class _Base(DeclarativeBase):
    """A model base of its own, apart from the tracker's metadata."""


class _Dated(_Base):
    """A table with each kind of column a source could gain."""

    __tablename__ = "dated"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime(2025, 7, 10))
    count: Mapped[int] = mapped_column("times", default=0)
    flag: Mapped[bool | None] = mapped_column(server_default=true())


def test_a_new_source_row_takes_every_column_default_of_the_model() -> None:
    """The source row an import writes takes the model's defaults, not a list of its own:
    a column given a default later (one like `created_at`, `count`) is written with it."""
    assert column_defaults(_Dated) == {
        "note": None, "created_at": datetime(2025, 7, 10), "count": 0,
    }  # fmt: skip
    source_columns = {attribute.key for attribute in inspect(Source).column_attrs}
    assert source_columns - set(column_defaults(Source)) == {"id", "kind"}
    assert column_defaults(Source)["deleted_at"] is None


def test_importing_the_same_text_again_changes_nothing(
    session: Session, seed_article: tuple[str, ArticleMeta]
) -> None:
    text, meta = seed_article
    first = import_article(session, text, meta)
    before = (count(session, Pledge), count(session, Evidence), count(session, Request))
    again = import_article(session, text, meta)
    assert again.already_imported
    assert again.source is not None and first.source is not None
    assert again.source.id == first.source.id
    assert (count(session, Pledge), count(session, Evidence), count(session, Request)) == before


def test_dry_run_writes_nothing(session: Session, seed_article: tuple[str, ArticleMeta]) -> None:
    text, meta = seed_article
    before = (count(session, Source), count(session, Pledge))
    result = import_article(session, text, meta, dry_run=True)
    assert result.dry_run and result.pledge_count == 4
    assert (count(session, Source), count(session, Pledge)) == before


def write_article(folder: Path, data: bytes, meta: dict[str, str] | None = None) -> Path:
    """An article file (and optional meta.json) in `folder`."""
    path = folder / "article.txt"
    path.write_bytes(data)
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_read_article_refuses_empty_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ArticleFileError, match="article.txt"):
        read_article(write_article(tmp_path, b""))
    with pytest.raises(ArticleFileError, match="article.txt"):
        read_article(write_article(tmp_path, b"\x00\x01\x02\x89PNG\x00" * 100))


def test_read_article_refuses_a_bad_published_date(tmp_path: Path) -> None:
    path = write_article(tmp_path, b"Norway pledged 100 drones.", {"published": "10/07/2025"})
    with pytest.raises(ArticleFileError, match="published"):
        read_article(path)


def test_cli_extract_prints_the_contract() -> None:
    result = CliRunner().invoke(main, ["extract", str(SEED / "article.txt")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    assert payload["source"]["published"] == expected["source"]["published"]
    assert [p["evidence"] for p in payload["pledges"]] == [
        p["evidence"] for p in expected["pledges"]
    ]
    assert "4 pledges found" in result.stderr


def test_cli_extract_with_no_pledges_says_so(tmp_path: Path) -> None:
    path = write_article(tmp_path, b"Russia launched 40 drones at Kharkiv overnight.")
    result = CliRunner().invoke(main, ["extract", str(path), "--published", "2025-07-10"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["pledges"] == []
    assert "0 pledges found" in result.stderr


def test_cli_extract_refuses_an_empty_file_with_status_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(write_article(tmp_path, b""))])
    assert result.exit_code == 2
    assert "article.txt" in result.output


def migrated_env(tmp_path: Path) -> dict[str, str]:
    """A new SQLite database, migrated, as the CLI's environment."""
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'import.db'}"}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def test_cli_import_article_dry_run_then_import_then_repeat(tmp_path: Path) -> None:
    env = migrated_env(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["seed"], env=env).exit_code == 0  # loads seeds/ too
    again = runner.invoke(main, ["import-article", str(SEED / "article.txt")], env=env)
    assert again.exit_code == 0, again.output
    assert "Already imported as source #1" in again.output

    folder = tmp_path / "new"
    folder.mkdir()
    path = write_article(
        folder, b"On Monday, Norway said it would donate 20 air defence missiles to Ukraine."
    )
    dry = runner.invoke(
        main, ["import-article", str(path), "--published", "2025-03-05", "--dry-run"], env=env
    )
    assert dry.exit_code == 0, dry.output
    assert "Dry run: 1 pledge found" in dry.output and "nothing written" in dry.output
    done = runner.invoke(
        main,
        ["import-article", str(path), "--published", "2025-03-05", "--title", "Norway"],
        env=env,
    )
    assert done.exit_code == 0, done.output
    assert "Imported source #2 (Norway): 1 pledge found" in done.output


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(1, 40))
def test_an_article_s_figure_is_stored_exactly_or_refused_by_the_pledge_rules(
    session: Session, digits: int
) -> None:
    """Any run of digits an article states as euros is a pledge of that amount, or, past
    what a pledge holds (MAX_INTEGER_DIGITS before the point), a PledgeError naming the
    sentence; never another error."""
    figure = "9" * digits
    text = f"Germany pledged {figure} euros to Ukraine on Monday.\n"
    meta = ArticleMeta(title=f"figure of {digits} digits", published=date(2025, 7, 10))
    nested = session.begin_nested()  # each example on the database as it was
    try:
        amounts = [p.amount for p in import_article(session, text, meta).pledges]
    except PledgeError as error:
        assert digits > MAX_INTEGER_DIGITS
        assert error.field == "amount" and "Germany pledged 9" in str(error)
    else:
        assert digits <= MAX_INTEGER_DIGITS
        assert amounts == [Decimal(figure)]
    finally:
        nested.rollback()


def test_euros_announced_before_the_ecb_data_are_their_own_eur_value(session: Session) -> None:
    """No ECB rate before 1999-01-04: the article's euros are stored and totalled as euros."""
    from tracker.services.totals import grand_total

    text = "Germany pledged EUR 5 million in humanitarian aid to Ukraine on Tuesday.\n"
    meta = ArticleMeta(title="aid in 1998", published=date(1998, 11, 3))
    (pledge,) = import_article(session, text, meta).pledges
    assert (pledge.announced, pledge.eur, pledge.usd) == (meta.published, Decimal(5000000), None)
    assert pledge.conversion_status == "native"
    session.flush()
    assert grand_total(session).eur == Decimal(5000000)


def test_a_rolled_back_import_leaves_no_object_in_the_session(
    session: Session, seed_article: tuple[str, ArticleMeta]
) -> None:
    """The pledges an import writes as rows are handed back as persistent objects; rolled
    back, they leave the session as flushed objects do, so the same import made again (on
    SQLite, with the same ids) stores its own."""
    text, meta = seed_article
    first = import_article(session, text, meta)
    assert first.pledges and all(pledge in session for pledge in first.pledges)
    session.rollback()
    assert not any(pledge in session for pledge in first.pledges)
    again = import_article(session, text, meta)
    session.flush()
    assert len(again.pledges) == len(first.pledges)
    assert all(session.get(Pledge, pledge.id) is pledge for pledge in again.pledges)


def test_a_savepoint_rolled_back_after_an_import_keeps_its_objects(
    session: Session, seed_article: tuple[str, ArticleMeta]
) -> None:
    """Only a rollback of the transaction an import wrote in takes its objects out: a
    savepoint begun after it and rolled back removes none of its rows, nor its objects."""
    text, meta = seed_article
    result = import_article(session, text, meta)
    with pytest.raises(RuntimeError), session.begin_nested():
        raise RuntimeError("refused")
    assert result.pledges and all(pledge in session for pledge in result.pledges)
    assert all(session.get(Pledge, pledge.id) is pledge for pledge in result.pledges)

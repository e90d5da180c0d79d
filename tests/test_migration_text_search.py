"""Migration 0024, the text search index: up, down and up again with pledges stored, on
both databases; the index is filled from the stored pledges and gone after the downgrade."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from tests.test_migrations import empty_engine  # noqa: F401 - the fixture
from tracker import migrate
from tracker.models import Pledge
from tracker.models.pledge_text import PLEDGE_TEXT_TABLE, trigram_index_name
from tracker.services.reference import seed_reference
from tracker.services.totals_filter import text_condition

WORDING = ("Patriot launchers", "IRIS-T systems", None)


def _store_pledges(engine: Engine) -> None:
    """Three pledges written by plain SQL at revision 0023 (no index yet)."""
    now = "2026-01-01 00:00:00"
    with engine.begin() as connection:
        for number, wording in enumerate(WORDING):
            connection.execute(
                text(
                    "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, "
                    "qualifier, amount, currency, eur, is_correction, reviewed, version, "
                    "created_at, updated_at, item_text, notes) VALUES ((SELECT min(id) FROM "
                    "donor), (SELECT min(id) FROM recipient), (SELECT min(id) FROM item), "
                    "'financial', 'announced', 'exact', 10, 'EUR', 10, false, false, 1, :now, "
                    ":now, :wording, :notes)"
                ),
                {"now": now, "wording": wording, "notes": f"note {number} of three"},
            )


def _search(engine: Engine, query: str) -> list[str | None]:
    """The wording of the pledges the text condition finds."""
    with Session(engine) as session:
        found = select(Pledge.item_text).where(text_condition(query)).order_by(Pledge.id)
        return list(session.scalars(found))


def _index_objects(engine: Engine) -> set[str]:
    """The text search objects present: the FTS5 table, or the trigram indexes."""
    inspector = inspect(engine)
    tables = {name for name in inspector.get_table_names() if name.startswith(PLEDGE_TEXT_TABLE)}
    indexes = {index["name"] for index in inspector.get_indexes("pledge")}
    trigram = {trigram_index_name(column) for column in ("item_text", "notes")}
    return tables | (indexes & trigram)  # type: ignore[operator]


def test_text_search_index_goes_up_down_and_up_with_pledges(
    empty_engine: Engine,  # noqa: F811 - the fixture imported above
) -> None:
    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(empty_engine, "0023")
    assert _index_objects(empty_engine) == set()
    _store_pledges(empty_engine)
    for _round in range(2):
        migrate.upgrade(empty_engine)
        assert _index_objects(empty_engine)
        assert _search(empty_engine, "iris-t") == ["IRIS-T systems"]
        assert _search(empty_engine, "of three") == list(WORDING)
        assert _search(empty_engine, "no such words") == []
        migrate.check(empty_engine)
        if empty_engine.dialect.name == "sqlite":
            with empty_engine.begin() as connection:
                connection.execute(
                    text(f"INSERT INTO {PLEDGE_TEXT_TABLE} ({PLEDGE_TEXT_TABLE}) "
                         "VALUES ('integrity-check')")
                )  # fmt: skip
        migrate.downgrade(empty_engine, "0023")
        assert _index_objects(empty_engine) == set()
        with empty_engine.begin() as connection:  # writes go on without the triggers
            connection.execute(text("UPDATE pledge SET notes = notes || '.'"))
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM pledge")).scalar_one() == 3

"""How the dashboard ends its reads: with COMMIT, which keeps psycopg's prepared statements."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker


def test_each_dashboard_request_ends_its_read_with_a_commit(
    client, session_factory: sessionmaker[Session]
) -> None:  # type: ignore[no-untyped-def]
    ended: list[str] = []
    event.listen(session_factory, "after_commit", lambda _s: ended.append("commit"))
    event.listen(session_factory, "after_rollback", lambda _s: ended.append("rollback"))
    for url in ("/", "/?kind=military", "/?group=nobody"):
        before = len(ended)
        client.get(url)
        assert ended[before:] == ["commit"], url
    kept = client.get("/", headers={"If-None-Match": client.get("/").headers["ETag"]})
    assert kept.status_code == 304 and ended[-1] == "commit"

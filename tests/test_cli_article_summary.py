"""`tracker import-article` on a long article says what it did in a bounded summary: the
counts, the first pledges one a line and the rest counted, the possible duplicates' ids
first few and "… and N more"."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.cli import STATEMENTS_SHOWN, describe_article_import
from tracker.importers.article import ArticleMeta, import_article
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.wording import ids_in_brief

JULY_10 = date(2025, 7, 10)


def long_article(pledges: int) -> str:
    """An article stating `pledges` promises of tanks by Norway, each another number."""
    sentences = (
        f"Norway said on Monday it will send {10 + k} tanks to Ukraine." for k in range(pledges)
    )
    return "Aid for Ukraine.\n\n" + "\n\n".join(sentences)


def test_a_long_articles_import_is_summed_up_in_bounded_lines(session: Session) -> None:
    create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Norway").id, recipient_id=recipient(session).id,
            item_id=item_named(session, "tanks").id, quantity=999, announced=JULY_10,
        ),
    )  # fmt: skip
    meta = ArticleMeta(title="Tanks", published=JULY_10)
    result = import_article(session, long_article(100), meta)
    flagged = [p.id for p in result.pledges if p.duplicate_of_id is not None]
    assert len(flagged) == 100  # each another number than the stored promise's
    lines = describe_article_import(result).splitlines()
    assert lines[0].startswith(f"Imported source #{result.source.id} (Tanks): 100 pledges found")
    assert lines[1] == "  Norway: tanks, 10 vehicles (military)"
    assert lines[STATEMENTS_SHOWN + 1] == "  … and 80 more pledges"
    assert lines[-2] == "  100 new pledges; 0 reports added to earlier pledges"
    assert lines[-1] == (
        "  100 possible duplicates, left out of the totals: "
        f"{', '.join(f'#{i}' for i in flagged[:10])}, … and 90 more"
    )
    assert max(map(len, lines)) < 80 + 10 * len(f"#{max(flagged)}, ")  # ten ids at most


@given(ids=st.lists(st.integers(1, 10**9), unique=True, max_size=40), limit=st.integers(1, 15))
def test_ids_are_shown_first_few_and_the_rest_counted(ids: list[int], limit: int) -> None:
    shown = ids_in_brief(ids, limit)
    listed, _, rest = shown.partition(", … and ")
    assert [f"#{i}" for i in ids[:limit]] == (listed.split(", ") if ids else [])
    assert rest == (f"{len(ids) - limit:,} more" if len(ids) > limit else "")

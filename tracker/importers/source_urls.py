"""The web addresses a copied pledge was reported at, read back from our pledges export.

The export's `source_urls` cell lists, joined by "; ", the URLs of the sources of a
pledge's reports. A table in our own format that has the column gives each pledge it
creates one report per address, from the source recorded at that address (a manual-entry
source when none is: tracker.services.manual_sources), so the copy says where the
original was reported and its export lists the same addresses. A row that updates a
pledge (with an `id`) adds a corroborating report for each address its pledge's reports
do not already name (an address edited into the cell is evidence too, never dropped); an
address taken out of the cell removes nothing (a report is removed on the pledge page).
Only web addresses (http:// or https://) are read; anything else is refused with the row
named.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers import parsing
from tracker.importers.mapping import Problem
from tracker.limits import SOURCE_TEXT_LIMITS
from tracker.models import Pledge, Report, Source, User
from tracker.services.manual_sources import is_web_address, source_for_url
from tracker.services.reports import add_corroboration

COLUMN = "source_urls"
# How the export joins the addresses; a URL holds no whitespace, so none is split
SEPARATOR = re.compile(r";\s+")


def web_addresses(cell: str) -> tuple[str, ...]:
    """The addresses of one `source_urls` cell, in order; ValueError naming a bad one."""
    addresses = tuple(part.strip() for part in SEPARATOR.split(cell.strip()) if part.strip())
    for address in addresses:
        if not is_web_address(address):
            raise ValueError(f"{address[:60]!r} is not a web address (http:// or https://)")
        if len(address) > SOURCE_TEXT_LIMITS["url"]:
            raise ValueError(
                f"an address is {len(address):,} characters long; "
                f"at most {SOURCE_TEXT_LIMITS['url']:,}"
            )
    return addresses


def parse_source_urls(frame: pd.DataFrame, problems: list[Problem]) -> pd.Series:
    """The table's `source_urls` column as tuples of addresses (None where blank)."""
    return parsing.by_distinct(frame, COLUMN, web_addresses, problems)


def add_source_url_reports(
    session: Session, creates: dict[str, list[Any]], source_id: int, user: User | None
) -> None:
    """One report for each address of each pledge the table created (`creates`, after
    they are written), from the source at that address, dated by the pledge's
    announcement. It corroborates: it moves no figure."""
    addresses = dict(zip(creates.get("_ref", ()), creates.get(COLUMN, ()), strict=False))
    if not any(addresses.values()):
        return
    created = session.execute(
        select(Pledge.source_ref, Pledge.id, Pledge.announced).where(Pledge.source_id == source_id)
    )
    sources: dict[str, Source] = {}
    for ref, pledge_id, announced in created:
        for address in addresses.get(ref) or ():
            if address not in sources:
                sources[address] = source_for_url(session, address)
            session.add(
                Report(
                    pledge_id=pledge_id, source_id=sources[address].id, role="corroborates",
                    reported_on=announced, created_by_id=user.id if user else None,
                )
            )  # fmt: skip
    session.flush()


def new_addresses(cell: tuple[str, ...] | None, known: set[str]) -> tuple[str, ...]:
    """The addresses of a row's cell that its pledge's reports do not name yet, once each."""
    return tuple(dict.fromkeys(address for address in cell or () if address not in known))


def add_update_source_reports(
    session: Session, added: list[tuple[int, int, tuple[str, ...]]], user: User | None
) -> None:
    """For each (row, pledge id, new addresses) of the rows that update a pledge, one
    corroborating report of it per address, from the source at that address, dated by the
    pledge's announcement and audited on the pledge (`reports.add_corroboration`)."""
    sources: dict[str, Source] = {}
    for _row, pledge_id, addresses in added:
        announced = session.get_one(Pledge, pledge_id).announced
        for address in addresses:
            if address not in sources:
                sources[address] = source_for_url(session, address)
            add_corroboration(
                session, pledge_id, source_id=sources[address].id, evidence_id=None,
                reported_on=announced, user=user,
            )  # fmt: skip

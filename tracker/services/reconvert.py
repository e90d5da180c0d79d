"""Re-deriving the conversions made at stale rates, once newer ECB rates are in use.

A pledge announced after the last day of the rates in use is converted at the last
rate and marked stale. After `tracker rates update` brings newer rates,
`reconvert_stale` derives each stale pledge's values again through the pledge
service, so every change is audited and the totals rollup stays in step; the
caller commits once, so all of them change or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Pledge, User
from tracker.rates import rate_table
from tracker.services.pledges import rederive_pledge


@dataclass(frozen=True)
class Reconversion:
    """What `reconvert_stale` did: stale pledges found, how many changed, how many now
    convert at a rate of their own day, and the last day of the rates used."""

    found: int
    changed: int
    now_current: int
    rates_until: date


def reconvert_stale(session: Session, *, user: User | None = None) -> Reconversion:
    """Derive every stale pledge's EUR and USD values again at the rates in use now."""
    rates_until = rate_table().last_date
    note = f"conversion derived again at the ECB rates to {rates_until.isoformat()}"
    stale = select(Pledge.id).where(Pledge.conversion_status == "stale").order_by(Pledge.id)
    found = changed = now_current = 0
    for pledge_id in session.scalars(stale).all():
        found += 1
        version = session.get_one(Pledge, pledge_id).version
        pledge = rederive_pledge(session, pledge_id, note=note, user=user)
        changed += pledge.version != version
        now_current += pledge.conversion_status != "stale"
    return Reconversion(found, changed, now_current, rates_until)

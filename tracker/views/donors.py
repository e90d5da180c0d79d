"""Donors: who gives, the names they go by, their groups, totals and pledges."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.models import Donor, Pledge
from tracker.services.totals import TotalsFilter, grand_total, totals
from tracker.views.database import db_session

bp = Blueprint("donors", __name__, url_prefix="/donors")

PLEDGES_SHOWN = 100
DONOR_KIND_TITLES = (
    ("group", "Groups"),
    ("organisation", "Organisations"),
    ("country", "Countries"),
)


@bp.get("")
def index() -> str:
    """Every donor by kind, with its number of pledges; ?q= narrows by name."""
    session = db_session()
    text = request.args.get("q", "").strip()[:200]
    pledges = (
        select(func.count(Pledge.id))
        .where(Pledge.donor_id == Donor.id, Pledge.deleted_at.is_(None))
        .scalar_subquery()
    )
    query = select(Donor, pledges).order_by(Donor.name)
    if text:
        query = query.where(Donor.name.ilike(f"%{text}%"))
    rows = session.execute(query).all()
    by_kind = {kind: [(d, n) for d, n in rows if d.kind == kind] for kind, _ in DONOR_KIND_TITLES}
    return render_template("donors/index.html", by_kind=by_kind, titles=DONOR_KIND_TITLES, q=text)


@bp.get("/<int:donor_id>")
def detail(donor_id: int) -> str:
    """A donor's aliases, groups or members, totals by kind and item, and latest pledges."""
    session = db_session()
    donor = session.get(Donor, donor_id)
    if donor is None:
        abort(404, description=f"There is no donor {donor_id}.")
    if donor.kind == "group":
        wanted = TotalsFilter(group_id=donor.id)
    else:
        wanted = TotalsFilter(donor_ids=(donor.id,))
    pledges = session.scalars(
        select(Pledge)
        .options(joinedload(Pledge.item))
        .where(Pledge.donor_id == donor.id, Pledge.deleted_at.is_(None))
        .order_by(Pledge.announced.desc().nulls_last(), Pledge.id.desc())
        .limit(PLEDGES_SHOWN)
    ).all()
    return render_template(
        "donors/detail.html",
        donor=donor,
        grand=grand_total(session, wanted),
        by_kind=totals(session, "kind", wanted),
        by_item=totals(session, "item", wanted),
        pledges=pledges,
        pledges_shown=PLEDGES_SHOWN,
        export_args=f"group={donor.id}" if donor.kind == "group" else f"donor={donor.id}",
    )


def init_app(app: Flask) -> None:
    """Register the donor pages."""
    app.register_blueprint(bp)

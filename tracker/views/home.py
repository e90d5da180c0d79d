"""The home page: what the database holds, at a glance."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import func, select

from tracker.models import Donor, Item, Pledge, Source
from tracker.views.database import db_session

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Counts of pledges, donors, items and sources, and the latest pledges."""
    session = db_session()
    live = Pledge.deleted_at.is_(None)
    counts = {
        "pledges": session.scalar(select(func.count()).select_from(Pledge).where(live)),
        "donors": session.scalar(select(func.count()).select_from(Donor)),
        "items": session.scalar(select(func.count()).select_from(Item)),
        "sources": session.scalar(select(func.count()).select_from(Source)),
    }
    latest = session.scalars(select(Pledge).where(live).order_by(Pledge.id.desc()).limit(20)).all()
    return render_template("home.html", counts=counts, latest=latest)


def init_app(app: Flask) -> None:
    """Register the home page."""
    app.register_blueprint(bp)

"""What recipients ask for, listed apart from what donors pledge."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.models import Request
from tracker.views.database import db_session
from tracker.views.paging import page_and_pages

bp = Blueprint("requests", __name__, url_prefix="/requests")

PAGE_SIZE = 50


@bp.get("")
def index() -> str:
    """Every request, newest source first, with its evidence sentence and source."""
    session = db_session()
    count = session.scalar(select(func.count()).select_from(Request)) or 0
    page_number, pages = page_and_pages(request.args, count, PAGE_SIZE)
    rows = session.scalars(
        select(Request)
        .options(
            joinedload(Request.recipient),
            joinedload(Request.item),
            joinedload(Request.source),
            joinedload(Request.evidence),
        )
        .order_by(Request.id.desc())
        .limit(PAGE_SIZE)
        .offset((page_number - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "requests/index.html", requests=rows, count=count, page=page_number, pages=pages, args={}
    )


def init_app(app: Flask) -> None:
    """Register the requests page."""
    app.register_blueprint(bp)

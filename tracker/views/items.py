"""The item catalogue, by category."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.models import ItemCategory
from tracker.views.database import db_session

bp = Blueprint("items", __name__, url_prefix="/items")


@bp.get("")
def index() -> str:
    """Every category with its kind and items."""
    session = db_session()
    categories = session.scalars(
        select(ItemCategory)
        .options(selectinload(ItemCategory.items))
        .order_by(ItemCategory.kind, ItemCategory.name)
    ).all()
    return render_template("items/index.html", categories=categories)


def init_app(app: Flask) -> None:
    """Register the catalogue page."""
    app.register_blueprint(bp)

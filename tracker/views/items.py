"""The item catalogue, by category; admins add and edit items."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from tracker.forms.catalogue import ItemForm
from tracker.models import Item, ItemCategory
from tracker.services.catalogue import create_item, update_item
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.catalogue_forms import fill_item_form, prepare_item_form, save_catalogue_form
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


def render_form(form: ItemForm, item: Item | None) -> tuple[str, int]:
    """The item form page (new when `item` is None); 422 after a refused save."""
    status = 422 if request.method == "POST" else 200
    return render_template("items/form.html", form=form, item=item), status


def saved_item(item: Item, verb: str) -> Response:
    """Say what was saved and show the item in the catalogue."""
    flash(f"Item {item.name} {verb}.", "success")
    return redirect(url_for("items.index", _anchor=f"item-{item.id}"))


# --- write routes: every route that changes an item is below this line -------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new() -> Response | tuple[str, int]:
    """Add an item to the catalogue."""
    form = ItemForm()
    prepare_item_form(form, db_session())
    if form.validate_on_submit():
        data = form.item_input()
        item = save_catalogue_form(
            form, lambda session: create_item(session, data, user=current_user_or_none())
        )
        if item is not None:
            return saved_item(item, "added")
    return render_form(form, None)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(item_id: int) -> Response | tuple[str, int]:
    """Change an item's name, unit or category (its pledges' totals move with it)."""
    item = db_session().get(Item, item_id)
    if item is None:
        abort(404, description=f"There is no item {item_id}.")
    form = ItemForm()
    prepare_item_form(form, db_session())
    if request.method == "GET":
        fill_item_form(form, item)
    elif form.validate_on_submit():
        data = form.item_input()
        saved = save_catalogue_form(
            form, lambda session: update_item(session, item_id, data, user=current_user_or_none())
        )
        if saved is not None:
            return saved_item(saved, "updated")
    return render_form(form, item)


def init_app(app: Flask) -> None:
    """Register the catalogue pages."""
    app.register_blueprint(bp)

"""Pledges: the searchable list, one pledge with its evidence, and the new/edit forms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.wrappers import Response

from tracker.forms.pledge import PledgeForm
from tracker.models import Donor, Item, Pledge
from tracker.services.audit import history
from tracker.services.pledges import PledgeError, create_pledge, update_pledge
from tracker.services.review import rejection_of
from tracker.views import pledge_form_io as io
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.database import db_session
from tracker.views.pickers import donor_names, item_names

bp = Blueprint("pledges", __name__, url_prefix="/pledges")

PAGE_SIZE = 50
SORTS = {
    "announced": Pledge.announced,
    "donor": Donor.name,
    "item": Item.name,
    "eur": Pledge.eur,
    "stage": Pledge.stage,
    "id": Pledge.id,
}


def search_query(text: str) -> Select[Any]:
    """Live pledges whose donor, item, wording or notes contain `text` (any case)."""
    query = (
        select(Pledge)
        .join(Donor, Pledge.donor_id == Donor.id)
        .join(Item, Pledge.item_id == Item.id)
        .where(Pledge.deleted_at.is_(None))
    )
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                Donor.name.ilike(pattern),
                Item.name.ilike(pattern),
                Pledge.item_text.ilike(pattern),
                Pledge.notes.ilike(pattern),
            )
        )
    return query


def get_pledge(session: Session, pledge_id: int) -> Pledge:
    """The pledge, or a 404 page."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    return pledge


@bp.get("")
def index() -> str:
    """The pledge list: ?q= searches, ?sort= and ?dir= order, ?page= pages."""
    session = db_session()
    text = request.args.get("q", "").strip()[:200]
    sort = request.args.get("sort", "announced")
    sort = sort if sort in SORTS else "announced"
    direction = "asc" if request.args.get("dir") == "asc" else "desc"
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1

    query = search_query(text)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-count // PAGE_SIZE))
    page_number = min(page_number, pages)
    column = SORTS[sort]
    ordering = column.asc() if direction == "asc" else column.desc()
    rows = session.scalars(
        query.options(joinedload(Pledge.donor), joinedload(Pledge.item))
        .order_by(ordering.nulls_last(), Pledge.id.desc())
        .limit(PAGE_SIZE)
        .offset((page_number - 1) * PAGE_SIZE)
    ).all()
    args = {"q": text, "sort": sort, "dir": direction} if text else {"sort": sort, "dir": direction}
    return render_template(
        "pledges/index.html",
        pledges=rows,
        count=count,
        page=page_number,
        pages=pages,
        q=text,
        sort=sort,
        direction=direction,
        args=args,
    )


@bp.get("/<int:pledge_id>")
def detail(pledge_id: int) -> str:
    """Every field of one pledge, its evidence sentence and its history."""
    session = db_session()
    pledge = get_pledge(session, pledge_id)
    return render_template(
        "pledges/detail.html",
        pledge=pledge,
        events=history(session, "pledge", pledge_id),
        rejection=rejection_of(session, pledge_id),
    )


def render_form(form: PledgeForm, pledge: Pledge | None, status: int = 200) -> tuple[str, int]:
    """The pledge form page (new when `pledge` is None)."""
    session = db_session()
    page = render_template(
        "pledges/form.html",
        form=form,
        pledge=pledge,
        donor_names=donor_names(session),
        item_names=item_names(session),
    )
    return page, status


# --- write routes: every route that changes a pledge is below this line ------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required("analyst")
def new() -> Response | tuple[str, int]:
    """Enter a pledge by hand."""
    session = db_session()
    form = PledgeForm()
    io.prepare(form, session)
    if request.method == "GET" and not form.recipient.data and form.recipient.choices:
        ukraine = [c.value for c in form.recipient.choices if c.label == "Ukraine"]  # type: ignore[union-attr]
        form.recipient.data = int(ukraine[0]) if ukraine else None
    valid = form.validate_on_submit()
    names = io.resolve_names(form, session) if form.is_submitted() else None
    if valid and names:
        try:
            fields = io.pledge_fields(form, session, *names)
            io.check_typed_entry(form, fields, None)
            pledge = create_pledge(
                session, io.new_pledge_input(fields), user=current_user_or_none()
            )
            session.commit()
        except PledgeError as error:
            session.rollback()
            io.show_service_error(form, error)
        else:
            flash(f"Pledge {pledge.id} saved.", "success")
            return redirect(url_for("pledges.detail", pledge_id=pledge.id))
    return render_form(form, None, 422 if request.method == "POST" else 200)


@bp.route("/<int:pledge_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit(pledge_id: int) -> Response | tuple[str, int]:
    """Change a pledge; a save based on an older version is refused (409, see errors.py)."""
    session = db_session()
    pledge = get_pledge(session, pledge_id)
    form = PledgeForm()
    io.prepare(form, session)
    valid = form.validate_on_submit()
    names = io.resolve_names(form, session) if form.is_submitted() else None
    if request.method == "GET":
        io.fill_from_pledge(form, pledge)
    elif valid and names:
        if not (form.version.data or "").isdigit():
            abort(400, description="The form has no version: reload the page and edit again.")
        try:
            changes = io.pledge_fields(form, session, *names)
            io.check_typed_entry(form, changes, pledge)
            update_pledge(
                session,
                pledge_id,
                changes,
                expected_version=int(form.version.data or 0),
                user=current_user_or_none(),
            )
            session.commit()
        except PledgeError as error:
            session.rollback()
            io.show_service_error(form, error)
        else:
            flash(f"Pledge {pledge_id} updated.", "success")
            return redirect(url_for("pledges.detail", pledge_id=pledge_id))
    return render_form(form, pledge, 422 if request.method == "POST" else 200)


def init_app(app: Flask) -> None:
    """Register the pledge pages."""
    app.register_blueprint(bp)

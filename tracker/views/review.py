"""The review queue: imported pledges an analyst has not yet accepted or rejected."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from tracker.forms.review import ReviewForm
from tracker.models import Pledge
from tracker.services.pledges import PledgeError, review_pledge
from tracker.services.reports import flagged_reports
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.database import db_session

bp = Blueprint("review", __name__, url_prefix="/review")

PAGE_SIZE = 25
UNREVIEWED = (Pledge.reviewed.is_(False), Pledge.deleted_at.is_(None))


@bp.get("")
def index() -> str:
    """Unreviewed pledges, oldest first, each with its evidence and accept/reject buttons."""
    session = db_session()
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    count = session.scalar(select(func.count()).select_from(Pledge).where(*UNREVIEWED)) or 0
    pages = max(1, -(-count // PAGE_SIZE))
    page_number = min(page_number, pages)
    pledges = session.scalars(
        select(Pledge)
        .options(joinedload(Pledge.donor), joinedload(Pledge.item), joinedload(Pledge.evidence))
        .where(*UNREVIEWED)
        .order_by(Pledge.id)
        .limit(PAGE_SIZE)
        .offset((page_number - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "review/index.html",
        pledges=pledges,
        flagged_reports=flagged_reports(session),
        count=count,
        page=page_number,
        pages=pages,
        args={},
        form=ReviewForm(),
    )


# --- write routes: every route that changes a pledge's review state is below this line ---


def decide(pledge_id: int, *, accept: bool) -> Response:
    """Accept or reject one pledge at the version the analyst saw; back to the queue."""
    session = db_session()
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400, description="The review form is incomplete: reload the queue and try again.")
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    try:
        review_pledge(
            session,
            pledge_id,
            accept=accept,
            expected_version=int(form.version.data or 0),
            user=current_user_or_none(),
        )
        session.commit()
    except PledgeError as error:
        session.rollback()
        flash(f"Pledge {pledge_id} was not changed: {error}", "error")
    else:
        flash(f"Pledge {pledge_id} {'accepted' if accept else 'rejected'}.", "success")
    return redirect(url_for("review.index"))


@bp.post("/<int:pledge_id>/accept")
@role_required("analyst")
def accept(pledge_id: int) -> Response:
    """Accept an imported pledge as it stands: it counts as reviewed."""
    return decide(pledge_id, accept=True)


@bp.post("/<int:pledge_id>/reject")
@role_required("analyst")
def reject(pledge_id: int) -> Response:
    """Reject an imported pledge: it leaves the queue and the totals."""
    return decide(pledge_id, accept=False)


def init_app(app: Flask) -> None:
    """Register the review queue."""
    app.register_blueprint(bp)

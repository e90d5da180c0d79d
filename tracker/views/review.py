"""The review queue: imported pledges an analyst has not yet accepted or rejected.

Filters (`source`, `donor` by name or id, `kind`, `flag` yes/no) narrow the queue;
decisions on one pledge, on the ticked ones or on every pledge the filter matches
go through services.review, and each can be undone from the list of decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.wrappers import Response

from tracker.forms import why_refused
from tracker.forms.review import BulkReviewForm, ReviewForm, UndoDecisionForm
from tracker.models import Donor, Pledge, ReviewDecision, Source
from tracker.reference import KINDS
from tracker.services.pledges import find_donor
from tracker.services.reports import flagged_reports
from tracker.services.review import (
    ReviewConflict,
    ReviewError,
    decide,
    decide_queue,
    latest_decisions,
    restore_rejected,
    undo_decision,
)
from tracker.services.review_queue import ReviewFilter, queue_count, queue_query
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.database import db_session
from tracker.views.filters import FilterError
from tracker.views.paging import page_and_pages
from tracker.wording import count_of

bp = Blueprint("review", __name__, url_prefix="/review")
RELOAD_QUEUE = "reload the queue and try again."

PAGE_SIZE = 25
FILTER_ARGS = ("source", "donor", "kind", "flag")
FLAG_VALUES = {"yes": True, "no": False}


def review_filter_from_args(session: Session, args: Mapping[str, Any]) -> ReviewFilter:
    """The queue's filter from a query string or the bulk form; FilterError names a bad one."""
    values = {name: str(args.get(name) or "").strip()[:200] for name in FILTER_ARGS}
    for name, value in values.items():
        if "\x00" in value:
            raise FilterError(name, f"{name} holds a NUL character")
    source_id = donor_id = None
    if values["source"]:
        source = whole_number(values["source"])
        if source is None or session.get(Source, source) is None:
            raise FilterError("source", f"source={values['source']!r} is no source's id")
        source_id = source
    if values["donor"]:
        text = values["donor"]
        number = whole_number(text)
        donor = session.get(Donor, number) if number is not None else find_donor(session, text)
        if donor is None:
            raise FilterError("donor", f"donor={text!r} is no donor's name, alias or id")
        donor_id = donor.id
    if values["kind"] and values["kind"] not in KINDS:
        raise FilterError("kind", f"kind={values['kind']!r} is not one of: {', '.join(KINDS)}")
    if values["flag"] and values["flag"] not in FLAG_VALUES:
        raise FilterError("flag", f"flag={values['flag']!r} is not yes or no")
    return ReviewFilter(
        source_id=source_id,
        donor_id=donor_id,
        kind=values["kind"] or None,
        flagged=FLAG_VALUES.get(values["flag"]),
    )


def whole_number(text: str) -> int | None:
    """An id typed as ASCII digits (at most 18, so every database takes it), else None."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def queued_sources(session: Session) -> list[tuple[int, str, int]]:
    """(id, label, queued pledges) of every source with pledges in the queue."""
    query = (
        select(Source.id, Source.title, Source.file_name, Source.url, func.count(Pledge.id))
        .join(Pledge, Pledge.source_id == Source.id)
        .where(*ReviewFilter().conditions())
        .group_by(Source.id, Source.title, Source.file_name, Source.url)
        .order_by(Source.id)
    )
    return [
        (sid, title or file_name or url or f"source {sid}", int(n))
        for sid, title, file_name, url, n in session.execute(query)
    ]


@bp.get("")
def index() -> tuple[str, int] | str:
    """Queued pledges, oldest first, with the filter, the bulk form and recent decisions."""
    session = db_session()
    try:
        review_filter = review_filter_from_args(session, request.args)
        status = 200
    except FilterError as error:
        flash(str(error), "error")
        review_filter, status = ReviewFilter(), 400
    args = {k: request.args[k].strip() for k in FILTER_ARGS if request.args.get(k, "").strip()}
    count = queue_count(session, review_filter)
    page_number, pages = page_and_pages(request.args, count, PAGE_SIZE)
    pledges = session.scalars(
        queue_query(review_filter)
        .options(joinedload(Pledge.donor), joinedload(Pledge.item), joinedload(Pledge.evidence))
        .limit(PAGE_SIZE)
        .offset((page_number - 1) * PAGE_SIZE)
    ).all()
    body = render_template(
        "review/index.html",
        pledges=pledges,
        flagged_reports=flagged_reports(session),
        count=count,
        page=page_number,
        pages=pages,
        args=args if status == 200 else {},
        filtered=review_filter != ReviewFilter(),
        sources=queued_sources(session),
        kinds=KINDS,
        decisions=latest_decisions(session),
        form=ReviewForm(),
        bulk=BulkReviewForm(data=args if status == 200 else {}),
        undo=UndoDecisionForm(),
    )
    return (body, status) if status != 200 else body


# --- write routes: every route that changes a pledge's review state is below this line ---


def refused(error: ReviewError) -> None:
    """Abort with the status a refused decision deserves: 403 rights, 409 conflict, 422."""
    if error.forbidden:
        abort(403, description=f"{error}.")
    abort(409 if isinstance(error, ReviewConflict) else 422, description=f"{error}.")


def decide_one(pledge_id: int, *, accept: bool) -> Response:
    """Accept or reject one pledge at the version the analyst saw; back to the queue."""
    session = db_session()
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400, description=why_refused(form, "The review form", RELOAD_QUEUE))
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    try:
        decision = decide(
            session,
            [pledge_id],
            accept=accept,
            reason=form.reason.data,
            user=current_user_or_none(),
            expected_versions={pledge_id: int(form.version.data or 0)},
        )
        session.commit()
    except ReviewError as error:
        session.rollback()
        refused(error)
    flash(f"Pledge {pledge_id} {decision.action}ed (decision {decision.id}).", "success")
    return redirect(url_for("review.index", **queue_place(request.form)))


def queue_place(form: Mapping[str, Any]) -> dict[str, Any]:
    """The queue's filters and page a decision was made on (sent back by its buttons), so
    the analyst returns to them; the queue checks them again when it is shown."""
    names = (*FILTER_ARGS, "page")
    return {name: str(form[name])[:200] for name in names if str(form.get(name) or "").strip()}


@bp.post("/<int:pledge_id>/accept")
@role_required("analyst")
def accept(pledge_id: int) -> Response:
    """Accept an imported pledge as it stands: it counts as reviewed."""
    return decide_one(pledge_id, accept=True)


@bp.post("/<int:pledge_id>/reject")
@role_required("analyst")
def reject(pledge_id: int) -> Response:
    """Reject a pledge: it leaves the queue and the totals (a reviewed one: admins only)."""
    return decide_one(pledge_id, accept=False)


@bp.post("/<int:pledge_id>/restore")
@role_required("analyst")
def restore(pledge_id: int) -> Response:
    """Bring a rejected pledge back: into the queue and the totals."""
    session = db_session()
    if not UndoDecisionForm().validate_on_submit():
        abort(400, description="The restore form expired: reload the page and try again.")
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    try:
        restore_rejected(session, pledge_id, user=current_user_or_none())
        session.commit()
    except ReviewError as error:
        session.rollback()
        refused(error)
    flash(f"Pledge {pledge_id} restored: it counts again and awaits review.", "success")
    return redirect(url_for("pledges.detail", pledge_id=pledge_id))


@bp.post("/decide")
@role_required("analyst")
def decide_many() -> Response:
    """Accept or reject the ticked pledges, or every pledge the queue's filter matches."""
    session = db_session()
    form = BulkReviewForm()
    if not form.validate_on_submit():
        abort(400, description=why_refused(form, "The review form", RELOAD_QUEUE))
    try:
        review_filter = review_filter_from_args(session, form.data)
    except FilterError as error:
        abort(400, description=f"{error}.")
    action = form.action.data or ""
    accept = action.startswith("accept")
    try:
        if action.endswith("-all"):
            decision = decide_queue(
                session, review_filter, accept=accept, reason=form.reason.data,
                user=current_user_or_none(),
            )  # fmt: skip
        else:
            chosen = form.chosen_versions()
            if chosen is None:
                abort(400, description="A ticked pledge is malformed: reload the queue.")
            decision = decide(
                session, list(chosen), accept=accept, reason=form.reason.data,
                user=current_user_or_none(), expected_versions=chosen,
            )  # fmt: skip
        session.commit()
    except ReviewError as error:
        session.rollback()
        refused(error)
    flash(
        f"{count_of(len(decision.pledges), 'pledge')} {decision.action}ed "
        f"(decision {decision.id}; undo it below).",
        "success",
    )
    args = {k: v for k, v in form.data.items() if k in FILTER_ARGS and v}
    return redirect(url_for("review.index", **args))


@bp.post("/decisions/<int:decision_id>/undo")
@role_required("analyst")
def undo(decision_id: int) -> Response:
    """Undo a decision: its pledges are back in the queue (or back in the totals)."""
    session = db_session()
    if not UndoDecisionForm().validate_on_submit():
        abort(400, description="The undo form expired: reload the queue and try again.")
    if session.get(ReviewDecision, decision_id) is None:
        abort(404, description=f"There is no review decision {decision_id}.")
    try:
        decision = undo_decision(session, decision_id, user=current_user_or_none())
        session.commit()
    except ReviewError as error:
        session.rollback()
        refused(error)
    flash(f"Decision {decision.id} undone: {count_of(len(decision.pledges), 'pledge')} as before.",
          "success")  # fmt: skip
    return redirect(url_for("review.index"))


def init_app(app: Flask) -> None:
    """Register the review queue."""
    app.register_blueprint(bp)

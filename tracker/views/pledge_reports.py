"""A pledge's reports on its page, and the analyst's writes about them: recording an
allocation or delivery, linking, splitting and keeping separate (each with its undo),
and putting the pledge into a package, as its stated total or a part.

Every write is form -> service -> flash -> redirect; a refused write changes nothing and
says why on the pledge page, answered 422 (409 when the pledge changed meanwhile; a
decision sent from the review queue gets the queue's refusal page with that status).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from tracker.forms import why_refused
from tracker.forms.stage import DecisionForm, PackageForm, StageForm
from tracker.models import Pledge, Report, User
from tracker.services.audit import history
from tracker.services.duplicates import (
    keep_separate,
    link_pledge,
    split_from,
    split_report,
    undo_split,
    unlink_pledge,
)
from tracker.services.manual_sources import source_for_url
from tracker.services.packages import package_view, set_package, start_package
from tracker.services.pledges import EditConflict, PledgeError
from tracker.services.reports import StageFigure, confirm_report, reports_of, stage_figures
from tracker.services.review import rejection_of
from tracker.services.stage_matching import StageRepeats, record_analyst_stage, undo_stage_split
from tracker.services.updates import undo_update
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.database import db_session
from tracker.views.review import queue_place

bp = Blueprint("pledge_reports", __name__)


def render_detail(
    pledge_id: int,
    stage_form: StageForm | None = None,
    status: int = 200,
    package_form: PackageForm | None = None,
    stage_question: str | None = None,
) -> tuple[str, int]:
    """The pledge page: fields, its package, stage figures, reports newest first, history;
    `stage_question` asks how to record a stage figure that repeats a report."""
    session = db_session()
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    if pledge.deleted_at is not None:  # the page shows no forms: their errors go above it
        for submitted in (stage_form, package_form):
            for errors in submitted.errors.values() if submitted is not None else ():
                for error in errors:
                    flash(str(error), "error")
    form = stage_form or StageForm(formdata=None, version=str(pledge.version))
    if stage_form is None and pledge.currency:
        form.currency.data = pledge.currency
    if package_form is None:
        package_form = PackageForm(
            formdata=None, version=str(pledge.version), stated_total=pledge.package_total,
            package=str(pledge.package_id) if pledge.package_id is not None else "",
        )  # fmt: skip
    page = render_template(
        "pledges/detail.html",
        pledge=pledge,
        events=history(session, "pledge", pledge_id),
        reports=reports_of(session, pledge_id),
        stages=stage_figures(pledge),
        stage_form=form,
        stage_question=stage_question,
        decision_form=DecisionForm(formdata=None),
        package=package_view(session, pledge),
        package_form=package_form,
        rejection=rejection_of(session, pledge_id),
        split_from=split_from(session, pledge_id) if pledge.deleted_at is None else None,
    )
    return page, status


# --- write routes: every route below changes a pledge or its reports --------------------


@bp.post("/pledges/<int:pledge_id>/stage")
@role_required("analyst")
def record(pledge_id: int) -> Response | tuple[str, int]:
    """Record an allocation or a delivery of the pledge, as of the version the analyst saw;
    a figure that repeats a stage report is recorded once the analyst says how (409 asks)."""
    session = db_session()
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    form = StageForm()
    if not form.validate_on_submit():
        return render_detail(pledge_id, form, 422)
    user = current_user_or_none()
    url = (form.source_url.data or "").strip()
    decision = form.decision.data or ""
    try:
        source = source_for_url(session, url) if url else None
        figure = StageFigure(
            stage=form.stage.data or "", quantity=form.quantity.data, amount=form.amount.data,
            currency=form.currency.data, reported_on=form.reported_on.data,
            source_id=source.id if source is not None else None,
        )  # fmt: skip
        report = record_analyst_stage(
            session, pledge_id, figure, expected_version=int(form.version.data or 0),
            corroborate=int(form.repeats.data) if decision == "corroborates" else None,
            add=decision == "adds", user=user,
        )  # fmt: skip
        session.commit()
    except StageRepeats as question:
        session.rollback()
        form.repeats.data = str(question.repeated_id)
        return render_detail(pledge_id, form, 409, stage_question=question.message)
    except PledgeError as error:
        session.rollback()
        field = error.field or ""
        target = getattr(form, field) if field in form else form.quantity
        target.errors = [*target.errors, error.message]
        return render_detail(pledge_id, form, 422)
    if report.corroborates_id is not None:
        flash(
            f"Pledge {pledge_id}: {form.stage.data} recorded as a corroboration of report "
            f"{report.corroborates_id} (report {report.id}): nothing added.",
            "success",
        )
    else:
        flash(f"Pledge {pledge_id}: {form.stage.data} recorded (report {report.id}).", "success")
    if report.review_flag:
        flash(f"Flagged for review: {report.review_flag}", "error")
    return redirect(url_for("pledges.detail", pledge_id=pledge_id), 303)


@bp.post("/pledges/<int:pledge_id>/package")
@role_required("analyst")
def package(pledge_id: int) -> Response | tuple[str, int]:
    """Put the pledge into a package ("new": a package of its own), as its stated total or
    a part, or take it out of its package; as of the version the analyst saw."""
    session = db_session()
    if session.get(Pledge, pledge_id) is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    form = PackageForm()
    if not form.validate_on_submit():
        return render_detail(pledge_id, status=422, package_form=form)
    chosen = (form.package.data or "").strip().lstrip("#")
    total, version = bool(form.stated_total.data), int(form.version.data or 0)
    user = current_user_or_none()
    try:
        if chosen == "new":
            start_package(session, pledge_id, total=total, expected_version=version, user=user)
        else:
            package_id = int(chosen) if chosen else None
            set_package(
                session, pledge_id, package_id, total=total, expected_version=version,
                user=user,
            )  # fmt: skip
        session.commit()
    except PledgeError as error:
        session.rollback()
        target = form.stated_total if error.field == "package_total" else form.package
        target.errors = [*target.errors, error.message]
        return render_detail(pledge_id, status=422, package_form=form)
    flash(f"Pledge {pledge_id}: package saved.", "success")
    return redirect(url_for("pledges.detail", pledge_id=pledge_id), 303)


def decide(
    pledge_id: int,
    act: Callable[[Session, User | None], object],
    done: str,
    *,
    refused_to: int | None = None,
) -> Response | tuple[str, int]:
    """Run one duplicate decision from a CSRF-checked button; back to the pledge page.

    A refused decision changes nothing and says why as the pledge page's forms do: the page
    of pledge `refused_to` (if named, else `pledge_id`) with the reason, answered 422 (409
    when the pledge changed meanwhile); from the review queue, the queue's refusal page with
    that status (`review.refused`). A pledge that does not exist is a 404."""
    session = db_session()
    form = DecisionForm()
    if not form.validate_on_submit():
        hint = "reload the page and try again."
        abort(400, description=why_refused(form, "The form", hint))
    shown = refused_to if refused_to is not None else pledge_id
    if session.get(Pledge, shown) is None:
        abort(404, description=f"There is no pledge {shown}.")
    try:
        act(session, current_user_or_none())
        session.commit()
    except (PledgeError, EditConflict) as error:
        session.rollback()
        status = 409 if isinstance(error, EditConflict) else 422
        reason = f"Nothing was changed: {error}"
        if request.form.get("back") == "review":
            abort(status, description=reason)
        flash(reason, "error")
        return render_detail(shown, status=status)
    flash(done, "success")
    if request.form.get("back") == "review":  # a button of the review queue: back to it
        return redirect(url_for("review.index", **queue_place(request.form)), 303)
    return redirect(url_for("pledges.detail", pledge_id=pledge_id), 303)


def _target(form: DecisionForm) -> int:
    """The pledge number typed or chosen on a link button."""
    text = (form.target.data or "").lstrip("#")
    if not text.isdigit():
        abort(400, description="Say which pledge to link to (its number).")
    return int(text)


@bp.post("/pledges/<int:pledge_id>/link")
@role_required("analyst")
def link(pledge_id: int) -> Response | tuple[str, int]:
    """This pledge repeats another: it becomes reports of that one (whose page follows; this
    pledge's page if the link is refused: the number typed may name no pledge)."""
    target = _target(DecisionForm())
    return decide(
        target,
        lambda s, u: link_pledge(s, pledge_id, target, user=u),
        f"Pledge {pledge_id} linked to pledge {target}: its reports are now this pledge's.",
        refused_to=pledge_id,
    )


# One-click decisions on a pledge: endpoint name -> (service, message when done).
PLEDGE_DECISIONS: dict[str, tuple[Callable[..., object], str]] = {
    "unlink": (unlink_pledge, "Pledge {id} unlinked: it and its reports are back as before."),
    "separate": (keep_separate, "Pledge {id} kept separate: it counts in the totals."),
    "unsplit": (undo_split, "Split undone: pledge {id} is a report again."),
}


def _register_decision(name: str, service: Callable[..., object], done: str) -> None:
    """Add the analyst-only POST /pledges/<id>/<name> route that runs `service`."""

    def view(pledge_id: int) -> Response | tuple[str, int]:
        return decide(
            pledge_id, lambda s, u: service(s, pledge_id, user=u), done.format(id=pledge_id)
        )

    view.__name__ = name
    view.__doc__ = f"{service.__doc__}"
    bp.post(f"/pledges/<int:pledge_id>/{name}")(role_required("analyst")(view))


for _name, (_service, _done) in PLEDGE_DECISIONS.items():
    _register_decision(_name, _service, _done)


def _report(report_id: int) -> Report:
    """The report, or a 404 page."""
    report = db_session().get(Report, report_id)
    if report is None:
        abort(404, description=f"There is no report {report_id}.")
    return report


def _decide_into_pledge(
    report_id: int, action: Callable[[Session, User | None], Pledge], message: str
) -> Response | tuple[str, int]:
    """Run a decision that turns a report into a pledge of its own, then show that pledge
    (or the page `decide` answers with when the decision is refused)."""
    made: list[Pledge] = []
    response = decide(_report(report_id).pledge_id, lambda s, u: made.append(action(s, u)), message)
    if made:
        return redirect(url_for("pledges.detail", pledge_id=made[0].id), 303)
    return response


@bp.post("/reports/<int:report_id>/split")
@role_required("analyst")
def split(report_id: int) -> Response | tuple[str, int]:
    """A corroborating report is another promise: it becomes a pledge of its own (one that
    repeats an allocation or delivery counts as one of its own instead)."""
    done = f"Report {report_id} split off as a pledge of its own."
    if _report(report_id).corroborates_id is not None:
        done = f"Report {report_id} counts as an allocation or delivery of its own."
    return _decide_into_pledge(report_id, lambda s, u: split_report(s, report_id, user=u), done)


@bp.post("/reports/<int:report_id>/undo-stage-split")
@role_required("analyst")
def unsplit_stage(report_id: int) -> Response | tuple[str, int]:
    """Undo a stage report's split: it corroborates the report it repeats again."""
    return _decide_into_pledge(
        report_id,
        lambda s, u: undo_stage_split(s, report_id, user=u),
        f"Split undone: report {report_id} corroborates the report it repeats again.",
    )


@bp.post("/reports/<int:report_id>/undo-update")
@role_required("analyst")
def unupdate(report_id: int) -> Response | tuple[str, int]:
    """Undo a report's update: the earlier figure comes back, the report becomes a pledge
    of its own awaiting a decision."""
    return _decide_into_pledge(
        report_id,
        lambda s, u: undo_update(s, report_id, user=u),
        f"Update undone: report {report_id} is a possible duplicate awaiting a decision.",
    )


@bp.post("/reports/<int:report_id>/confirm")
@role_required("analyst")
def confirm(report_id: int) -> Response | tuple[str, int]:
    """An analyst has checked a flagged report: it leaves the review queue."""
    return decide(
        _report(report_id).pledge_id,
        lambda s, u: confirm_report(s, report_id, user=u),
        f"Report {report_id} confirmed.",
    )


def init_app(app: Flask) -> None:
    """Register the report routes."""
    app.register_blueprint(bp)

"""Donors: who gives, the names they go by, their groups, totals and pledges; admins
add and edit them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload
from werkzeug.wrappers import Response

from tracker.forms.catalogue import DonorForm
from tracker.models import Donor, Pledge
from tracker.services.catalogue import create_donor, update_donor
from tracker.services.filter_args import FILTER_NAMES, FilterError, parse_filter_args
from tracker.services.item_counts import item_counts
from tracker.services.rollup import counted_conditions
from tracker.services.totals import grand_total, totals
from tracker.services.totals_filter import filter_conditions
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.catalogue_forms import fill_donor_form, prepare_donor_form, save_catalogue_form
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
    """Every donor by kind, with the number of pledges the totals count for it (not those
    awaiting a duplicate decision); ?q= narrows by name."""
    session = db_session()
    text = request.args.get("q", "").strip()[:200]
    pledges = (
        select(func.count(Pledge.id))
        .where(Pledge.donor_id == Donor.id, *counted_conditions())
        .scalar_subquery()
    )
    query = select(Donor, pledges).order_by(Donor.name)
    if text:
        query = query.where(Donor.name.ilike(f"%{text}%"))
    rows = session.execute(query).all()
    by_kind = {kind: [(d, n) for d, n in rows if d.kind == kind] for kind, _ in DONOR_KIND_TITLES}
    return render_template("donors/index.html", by_kind=by_kind, titles=DONOR_KIND_TITLES, q=text)


def get_donor(session: Session, donor_id: int) -> Donor:
    """The donor, or a 404 page."""
    donor = session.get(Donor, donor_id)
    if donor is None:
        abort(404, description=f"There is no donor {donor_id}.")
    return donor


# Every filter of the dashboard but the donor's own (donor, group): a donor's page under the
# dashboard's filters counts what the dashboard's row for that donor counts.
DONOR_PAGE_ARGS = tuple(name for name in FILTER_NAMES if name not in ("donor", "group"))
FILTER_TITLES = {"recipient": "Recipient", "kind": "Kind", "stage": "Stage", "item": "Item",
                 "category": "Category", "source": "Source", "q": "Text"}  # fmt: skip


def donor_page_args(args: Mapping[str, Any] | None) -> dict[str, Any]:
    """The filters among a page's that a donor page takes (all but donor and group): the
    dashboard's donor links carry them, so a donor's page shows the dashboard's row for it
    and its items under those filters a click away."""
    return {name: value for name, value in (args or {}).items() if name in DONOR_PAGE_ARGS}


def filter_summary(labels: Mapping[str, list[str]]) -> list[str]:
    """The filters on, in words: "Kind military", "Announced from 2022-01-01", "Reviewed only"."""
    said = [f"{FILTER_TITLES[name]} {', '.join(labels[name])}" for name in FILTER_TITLES
            if name in labels]  # fmt: skip
    if "reviewed" in labels:
        said.append("Reviewed only" if labels["reviewed"] == ["reviewed"] else "Unreviewed only")
    dates = [f"{word} {labels[name][0]}" for name, word in (("from", "from"), ("to", "to"))
             if name in labels]  # fmt: skip
    if dates:
        said.append(f"Announced {' '.join(dates)}")
    return said


@bp.get("/<int:donor_id>")
def detail(donor_id: int) -> str:
    """A donor's aliases, groups or members, totals by kind and item, and latest pledges
    with each one's steps over time (its reports, oldest first); with the dashboard's filters
    (all but donor and group), the totals and pledges under those filters."""
    session = db_session()
    donor = get_donor(session, donor_id)
    try:
        asked = {name: request.args.getlist(name) for name in DONOR_PAGE_ARGS}
        chosen = parse_filter_args(asked, session)
    except FilterError as error:
        abort(400, description=str(error))
    own = {"group" if donor.kind == "group" else "donor": str(donor.id)}
    page_filter = chosen.filter
    if donor.kind == "group":
        wanted = replace(page_filter, group_id=donor.id)
    else:
        wanted = replace(page_filter, donor_ids=(donor.id,))
    pledges = session.scalars(
        select(Pledge)
        .options(joinedload(Pledge.item), selectinload(Pledge.reports))
        .where(
            Pledge.donor_id == donor.id,
            Pledge.deleted_at.is_(None),
            *filter_conditions(page_filter),
        )
        .order_by(Pledge.announced.desc().nulls_last(), Pledge.id.desc())
        .limit(PLEDGES_SHOWN)
    ).all()
    filter_args = {**own, **chosen.arg_dict()}
    return render_template(
        "donors/detail.html",
        donor=donor,
        grand=grand_total(session, wanted),
        by_kind=totals(session, "kind", wanted),
        by_item=totals(session, "item", wanted),
        kind_counts=item_counts(session, "kind", wanted),
        filter_args=filter_args,
        page_filters=chosen.arg_dict(),
        filter_summary=filter_summary(chosen.labels),
        pledges=pledges,
        pledges_shown=PLEDGES_SHOWN,
        export_args=urlencode(filter_args),
    )


def render_form(form: DonorForm, donor: Donor | None) -> tuple[str, int]:
    """The donor form page (new when `donor` is None); 422 after a refused save."""
    status = 422 if request.method == "POST" else 200
    return render_template("donors/form.html", form=form, donor=donor), status


# --- write routes: every route that changes a donor is below this line -------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new() -> Response | tuple[str, int]:
    """Add a donor to the catalogue."""
    form = DonorForm()
    prepare_donor_form(form, db_session(), None)
    if form.validate_on_submit():
        data = form.donor_input()
        donor = save_catalogue_form(
            form, lambda session: create_donor(session, data, user=current_user_or_none())
        )
        if donor is not None:
            flash(f"Donor {donor.name} added.", "success")
            return redirect(url_for("donors.detail", donor_id=donor.id))
    return render_form(form, None)


@bp.route("/<int:donor_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(donor_id: int) -> Response | tuple[str, int]:
    """Change a donor's name, kind, code, other names, groups or members."""
    donor = get_donor(db_session(), donor_id)
    form = DonorForm()
    prepare_donor_form(form, db_session(), donor)
    if request.method == "GET":
        fill_donor_form(form, donor)
    elif form.validate_on_submit():
        data = form.donor_input()
        saved = save_catalogue_form(
            form, lambda session: update_donor(session, donor_id, data, user=current_user_or_none())
        )
        if saved is not None:
            flash(f"Donor {saved.name} updated.", "success")
            return redirect(url_for("donors.detail", donor_id=donor_id))
    return render_form(form, donor)


def init_app(app: Flask) -> None:
    """Register the donor pages, and `donor_page_args` for the links to them."""
    app.add_template_global(donor_page_args)
    app.register_blueprint(bp)

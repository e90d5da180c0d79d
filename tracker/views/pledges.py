"""Pledges: the searchable list, one pledge with its evidence, and the new/edit forms."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from tracker.forms.filters import parse_filters
from tracker.forms.pledge import PledgeForm
from tracker.models import Pledge
from tracker.services.data_version import read_data_version
from tracker.services.pledge_list import SORTS, PledgePage, pledge_page
from tracker.services.pledges import PledgeError, create_pledge, update_pledge
from tracker.services.totals import grand_total, rollup_serves
from tracker.views import pledge_form_io as io
from tracker.views.access import role_required
from tracker.views.auth import current_user_or_none
from tracker.views.dashboard_cache import (
    DEFAULT_SIZE,
    VersionedCache,
    args_key,
    page_for_anyone,
)
from tracker.views.database import db_session
from tracker.views.filters import FILTER_NAMES, FilterError
from tracker.views.pickers import donor_names, item_names
from tracker.views.pledge_reports import render_detail

bp = Blueprint("pledges", __name__, url_prefix="/pledges")
LIST_CACHE = "tracker.pledge_list_cache"

DRILL_KEYS = {"donor": "donor", "group": "group", "kind": "kind", "stage": "stage",
              "item": "item", "category": "category"}  # fmt: skip


def drill_url(args: Mapping[str, Any] | None, by: str | None = None, row: Any = None) -> str:
    """The pledge list under the page's filters narrowed to one total row: the link behind
    every total on the dashboard and the donor pages."""
    if "pledges_path" not in g:  # one URL build per request, however many totals link
        g.pledges_path = url_for("pledges.index")
    drilled = DRILL_KEYS.get(by or "") if row is not None else None
    page = _page_filters(args) if drilled is not None else None
    if page is not None and drilled not in page[1]:
        # The row's key after the page's filters, as urlencode would add it: each row's
        # link costs one quote_plus instead of encoding every filter again.
        value = quote_plus(str(row.key_id if row.key_id is not None else row.key))
        query = f"{page[0]}&{drilled}={value}" if page[0] else f"{drilled}={value}"
        return f"{g.pledges_path}?{query}"
    month = _month_days(row.key) if by == "month" and row is not None else None
    if month is not None and (page := _page_filters(args)) and not {"from", "to"} & page[1]:
        # The month's days after the page's filters (which have no dates), as urlencode
        # would add them: a chart of 60 months links without encoding the filters again.
        days = f"from={month[0]}&to={month[1]}"
        return f"{g.pledges_path}?{page[0]}&{days}" if page[0] else f"{g.pledges_path}?{days}"
    wanted = {k: v for k, v in (args or {}).items() if k in FILTER_NAMES}
    if drilled is not None:
        wanted[drilled] = str(row.key_id if row.key_id is not None else row.key)
    elif month is not None:
        first, last = month
        wanted["from"] = max(first, date.fromisoformat(str(wanted.get("from", first))))
        wanted["to"] = min(last, date.fromisoformat(str(wanted.get("to", last))))
    return f"{g.pledges_path}?{urlencode(wanted, doseq=True)}" if wanted else g.pledges_path


def _month_days(key: str) -> tuple[date, date] | None:
    """The first and last day of a month row's key ("2024-03"); None for the undated row."""
    if not key[:4].isdigit():
        return None
    year, month = int(key[:4]), int(key[5:7])
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _page_filters(args: Mapping[str, Any] | None) -> tuple[str, frozenset[str]] | None:
    """The page's filters in `args` as urlencode writes them, and their names; None where a
    value is not a string (a list, say), which the general path encodes."""
    items = tuple((args or {}).items())
    if not all(isinstance(value, str) for _name, value in items):
        return None
    return _encoded_filters(items)


@lru_cache(maxsize=256)
def _encoded_filters(items: tuple[tuple[str, str], ...]) -> tuple[str, frozenset[str]]:
    """`_page_filters` for one tuple of (name, value) pairs, kept: a page's links share them."""
    wanted = {name: value for name, value in items if name in FILTER_NAMES}
    return urlencode(wanted, doseq=True), frozenset(wanted)


def get_pledge(session: Session, pledge_id: int) -> Pledge:
    """The pledge, or a 404 page."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        abort(404, description=f"There is no pledge {pledge_id}.")
    return pledge


def keyset_args(
    args: Mapping[str, Any], default_sort: str = "announced", default_dir: str = "desc"
) -> tuple[str, bool, int | None]:
    """`sort`, `dir` and `after` of a keyset page (the pledge list and /api/pledges);
    FilterError names a bad one."""
    sort = str(args.get("sort") or default_sort)
    if sort not in SORTS:
        raise FilterError("sort", f"sort={sort!r} is not one of: {', '.join(SORTS)}")
    direction = str(args.get("dir") or default_dir)
    if direction not in ("asc", "desc"):
        raise FilterError("dir", f"dir={direction!r} is not asc or desc")
    after = str(args.get("after", "")).strip()
    if after and not (after.isascii() and after.isdigit() and 0 < int(after) < 2**31):
        raise FilterError("after", f"after={after!r} is not a pledge id")
    return sort, direction == "desc", int(after) if after else None


def render_list(session: Session, can_write: bool) -> tuple[str, int]:
    """The list's content (templates/pledges/content.html) and its status (400: a bad
    parameter, named on the page)."""
    filters = parse_filters(session, request.args)
    error = filters.error
    sort, descending, after = "announced", True, None
    page = PledgePage([], None)
    try:
        sort, descending, after = keyset_args(request.args)
        if error is None:
            page = pledge_page(session, filters.totals_filter, sort=sort, descending=descending,
                               after=after)  # fmt: skip
    except FilterError as refused:
        error = refused
    except LookupError as missing:
        error = FilterError("after", str(missing))
    total = None
    if error is None and after is None and rollup_serves(filters.totals_filter):
        total = grand_total(session, filters.totals_filter)  # a few rollup rows, never a count
    args = dict(filters.args, sort=sort, dir="desc" if descending else "asc")
    content = render_template(
        "pledges/content.html",
        pledges=page.pledges,
        next_after=page.next_after,
        after=after,
        total=total,
        form=filters.form,
        filters=filters,
        error=error,
        sort=sort,
        direction=args["dir"],
        args=args,
        export_query=filters.query,
        can_write=can_write,
    )
    return content, 400 if error is not None else 200


@bp.get("")
def index() -> tuple[bytes, int]:
    """The pledge list under the filter vocabulary; ?sort= and ?dir= order by a shown column,
    ?after= continues after a pledge (keyset pages). A bad parameter is a 400 naming it.

    The content is kept per (query string, may the visitor enter pledges) for the current
    data version, as the dashboard's is: any saved change makes a new version; for a
    visitor nobody signed in as, the whole page is (`page_for_anyone`)."""
    session = db_session()
    version = read_data_version(session)  # before the data, so a kept page is never older
    can_write = bool(current_user.has_role("analyst"))
    key = (args_key(request.args), can_write)
    kept, pages = current_app.extensions[LIST_CACHE]
    status = 200

    def render_page() -> tuple[str, bool]:
        """The page around the content (kept, or drawn now); a refused one answers 400."""
        nonlocal status
        content = kept.get(key, version)
        if content is None:
            content, status = render_list(session, can_write)
            if status == 200:
                kept.put(key, version, content)
        return render_template("pledges/index.html", content=Markup(content)), status == 200

    return page_for_anyone(pages, version, render_page), status


@bp.get("/<int:pledge_id>")
def detail(pledge_id: int) -> tuple[str, int]:
    """Every field of one pledge, its evidence, its reports and stage figures, its history."""
    return render_detail(pledge_id)


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
                session, io.new_pledge_input(form, session, fields), user=current_user_or_none()
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
    """Register the pledge pages, their content cache and whole pages for visitors nobody
    signed in as (PLEDGE_LIST_CACHE_SIZE entries each, 0: none) and the drill-down link
    builder."""
    size = int(app.config.get("PLEDGE_LIST_CACHE_SIZE", DEFAULT_SIZE))
    app.extensions[LIST_CACHE] = (VersionedCache[str](size), VersionedCache[bytes](size))
    app.register_blueprint(bp)
    app.add_template_global(drill_url)

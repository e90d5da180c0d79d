"""The dashboard `/`: totals by donor, kind, category and stage, charts, and the filters.

The content (tables, charts, the filter form) depends only on the query string and
the data, so it is rendered once per (query, data version) and kept in a per-process
cache; the page shell around it, which shows the current user, is rendered for every
request. The ETag lets a browser revalidate with one primary-key read.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Flask, Response, render_template, request
from flask import session as browser_session
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker.forms.filters import parse_filters
from tracker.money import format_money
from tracker.reference import KINDS
from tracker.services import totals as totals_service
from tracker.services.dashboard_totals import (
    ReferenceNames,
    dashboard_totals,
    load_reference_names,
)
from tracker.services.data_version import Versions, read_versions
from tracker.services.item_counts import donor_items_are_cheap, item_counts
from tracker.views import dashboard_cache
from tracker.views.charts import DonorKindTotals, monthly_bars, stacked_donor_bars
from tracker.views.dashboard_cache import (
    args_key,
    dashboard_caches,
    dashboard_etag,
    page_for_anyone,
)
from tracker.views.database import db_session
from tracker.views.formatting import ITEMS_SHOWN
from tracker.views.pledges import drill_url

bp = Blueprint("dashboard", __name__)

TABLES = (
    ("donor", "By donor"),
    ("kind", "By kind"),
    ("category", "By item category"),
    ("item", "By item"),
    ("stage", "By stage"),
)
DONOR_ROWS_SHOWN = 15
# The long tables show their largest rows; the CSV export and /items have them all.
ROWS_SHOWN = {"donor": DONOR_ROWS_SHOWN, "item": 25, "stages_by_donor": DONOR_ROWS_SHOWN}


def money_of(row: totals_service.TotalRow, currency: str) -> Decimal:
    """The row's point total in the display currency (0 when nothing converted)."""
    return row.usd if currency == "USD" else row.eur


def reference_names(session: Session, names_version: int) -> ReferenceNames:
    """Donor, item, category, group and recipient names at `names_version`, read once per
    names version: a pledge write leaves them in use, a catalogue write replaces them."""
    caches = dashboard_caches()
    names: ReferenceNames | None = caches.names.get("names", names_version)
    if names is None:
        names = load_reference_names(session)
        caches.names.put("names", names_version, names)
    return names


def render_content(session: Session, versions: Versions) -> tuple[str, bool]:
    """The dashboard's content fragment for the current query string (no user in it), and
    whether the filters were understood (a refused one shows the form with its error)."""
    names = reference_names(session, versions.names)
    categories = sorted(names.categories.items(), key=lambda pair: pair[1])
    filters = parse_filters(
        session, request.args, choices=(names.groups, names.recipients, categories)
    )
    if filters.error is not None:
        page = render_template("dashboard/content.html", filters=filters, form=filters.form,
                               error=filters.error)  # fmt: skip
        return page, False
    currency = filters.currency
    figures = dashboard_totals(session, filters.totals_filter, names=names, top=10,
                               shown=ROWS_SHOWN, items_shown=ITEMS_SHOWN)  # fmt: skip

    def shown(value: Decimal) -> str:
        """A chart figure in the display currency."""
        return format_money(value, currency)

    donor_kinds = [
        DonorKindTotals(
            stack.key,
            stack.usd_by_kind if currency == "USD" else stack.eur_by_kind,
            {kind: drill_url({**filters.args, "kind": kind}, "donor", stack) for kind in KINDS},
        )
        for stack in figures.donor_kinds
    ]
    months = sorted((row.key, money_of(row, currency)) for row in figures.months)
    # Undated pledges have no filter of their own: their bar links nowhere rather than to all
    month_links = {row.key: drill_url(filters.args, "month", row) for row in figures.months
                   if row.key != totals_service.UNDATED}  # fmt: skip
    tables = {by: (title, figures.tables[by]) for by, title in TABLES}
    shown_donors = {row.key_id for row in figures.tables["donor"] if row.key_id is not None}
    counts = dict(figures.item_counts)
    if donor_items_are_cheap(filters.totals_filter):
        counts["donor"] = item_counts(session, "donor", filters.totals_filter, keys=shown_donors,
                                      limit=ITEMS_SHOWN)  # fmt: skip
    page = render_template(
        "dashboard/content.html",
        error=None,
        filters=filters,
        form=filters.form,
        currency=currency,
        tables=tables,
        rows_shown=ROWS_SHOWN,
        table_sizes=figures.table_sizes,
        grand=figures.grand,
        group_aggregate_eur=figures.group_aggregate_eur,
        group_aggregate_pledges=figures.group_aggregate_pledges,
        item_counts=counts,
        unconverted=figures.unconverted,
        stages=figures.stages,
        stages_by_donor=figures.stages_by_donor,
        donor_chart=stacked_donor_bars(donor_kinds, shown),
        month_chart=monthly_bars(months, shown, links=month_links),
        query=filters.query,
        switch_args=filters.args,
    )
    return page, True


@bp.get("/")
def index() -> Response:
    """Totals, charts and filters; everything the page shows follows the query string."""
    session = db_session()
    versions = read_versions(session)  # before the data, so a cached page is never older
    version = versions.data
    key = args_key(request.args)
    etag = dashboard_etag(key, version)
    unseen_messages = bool(browser_session.get("_flashes"))  # a 304 would leave them unshown
    understood = True
    if request.if_none_match.contains_weak(etag) and not unseen_messages:
        response = Response(status=304)
    else:

        def render_page() -> tuple[str, bool]:
            """The page around the content fragment (kept, or drawn now); a refused filter
            is answered afresh each time, with 400."""
            nonlocal understood
            fragments = dashboard_caches().fragments
            content = fragments.get(key, version)
            if content is None:
                content, understood = render_content(session, versions)
                if understood:
                    fragments.put(key, version, content)
            page = render_template("dashboard/index.html", content=Markup(content))
            return page, understood

        page = page_for_anyone(dashboard_caches().pages, version, render_page)
        response = Response(page, status=200 if understood else 400)
    if not understood:
        return response
    response.set_etag(etag, weak=True)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


def init_app(app: Flask) -> None:
    """Register the dashboard and its caches."""
    dashboard_cache.init_app(app)
    app.register_blueprint(bp)

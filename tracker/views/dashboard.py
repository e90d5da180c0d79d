"""The dashboard `/`: totals by donor, kind, category and stage, charts, and the filters."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from flask import Blueprint, Flask, render_template, request

from tracker.forms.filters import parse_filters
from tracker.money import format_money
from tracker.services import totals as totals_service
from tracker.views.charts import DonorKindTotals, monthly_bars, stacked_donor_bars
from tracker.views.database import db_session

bp = Blueprint("dashboard", __name__)

TABLES = (
    ("donor", "By donor"),
    ("kind", "By kind"),
    ("category", "By item category"),
    ("item", "By item"),
    ("stage", "By stage"),
)
DONOR_ROWS_SHOWN = 15


def money_of(row: totals_service.TotalRow, currency: str) -> Decimal:
    """The row's point total in the display currency (0 when nothing converted)."""
    return row.usd if currency == "USD" else row.eur


@bp.get("/")
def index() -> str:
    """Totals, charts and filters; everything the page shows follows the query string."""
    session = db_session()
    filters = parse_filters(session, request.args)
    wanted = filters.totals_filter
    currency = filters.currency

    tables = {}
    for by, title in TABLES:
        if by in totals_service.BY:
            tables[by] = (title, totals_service.totals(session, by, wanted))
    grand = totals_service.grand_total(session, wanted)
    unconverted = totals_service.unconverted_by_currency(session, wanted)
    stages = totals_service.pledged_vs_delivered(session, "kind", wanted)

    def shown(value: Decimal) -> str:
        """A chart figure in the display currency."""
        return format_money(value, currency)

    donor_kinds = [
        DonorKindTotals(stack.key, stack.usd_by_kind if currency == "USD" else stack.eur_by_kind)
        for stack in totals_service.totals_by_kind_and_donor(session, wanted, top=10)
    ]
    months = [
        (row.key, money_of(row, currency))
        for row in totals_service.totals(session, "month", wanted)
    ]
    months.sort()

    query = urlencode(filters.args)
    return render_template(
        "dashboard/index.html",
        filters=filters,
        form=filters.form,
        currency=currency,
        tables=tables,
        donor_rows_shown=DONOR_ROWS_SHOWN,
        grand=grand,
        unconverted=unconverted,
        stages=stages,
        donor_chart=stacked_donor_bars(donor_kinds, shown),
        month_chart=monthly_bars(months, shown),
        query=query,
        switch_args={k: v for k, v in filters.args.items()},
    )


def init_app(app: Flask) -> None:
    """Register the dashboard."""
    app.register_blueprint(bp)

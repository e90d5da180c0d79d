"""Sources: the list, one article with its evidence highlighted, and the article import form."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from tracker.forms.article import ArticleImportForm
from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Evidence, Pledge, Request, Source
from tracker.services.reference import CatalogueMissing
from tracker.views.access import current_account, role_required
from tracker.views.database import db_session
from tracker.views.highlight import Span, highlight
from tracker.wording import count_of

bp = Blueprint("sources", __name__, url_prefix="/sources")

PAGE_SIZE = 50


@bp.get("")
def index() -> str:
    """Every source, newest first, with how many pledges each holds."""
    session = db_session()
    page = request.args.get("page", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    live = Source.deleted_at.is_(None)
    count = session.scalar(select(func.count()).select_from(Source).where(live)) or 0
    pages = max(1, -(-count // PAGE_SIZE))
    page_number = min(page_number, pages)
    pledge_count = (
        select(func.count(Pledge.id))
        .where(Pledge.source_id == Source.id, Pledge.deleted_at.is_(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(Source, pledge_count)
        .where(live)
        .order_by(Source.published.desc().nulls_last(), Source.id.desc())
        .limit(PAGE_SIZE)
        .offset((page_number - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "sources/index.html", rows=rows, count=count, page=page_number, pages=pages, args={}
    )


@bp.get("/<int:source_id>")
def detail(source_id: int) -> str:
    """The article text with every evidence sentence marked and linked to its pledges."""
    session = db_session()
    source = session.get(Source, source_id)
    if source is None:
        abort(404, description=f"There is no source {source_id}.")
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    pledges = session.scalars(
        select(Pledge)
        .where(Pledge.source_id == source_id, Pledge.deleted_at.is_(None))
        .order_by(Pledge.id)
    ).all()
    for pledge in pledges:
        if pledge.evidence_id is not None:
            url = url_for("pledges.detail", pledge_id=pledge.id)
            links[pledge.evidence_id].append((pledge.id, url))
    evidence = session.scalars(
        select(Evidence).where(Evidence.source_id == source_id).order_by(Evidence.start)
    ).all()
    requests = session.scalars(
        select(Request).where(Request.source_id == source_id).order_by(Request.id)
    ).all()
    asked: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for need in requests:
        if need.evidence_id is not None:
            url = url_for("requests.index", _anchor=f"request-{need.id}")
            asked[need.evidence_id].append((need.id, url))
    article = None
    if source.text:
        spans = [Span(e.id, e.start, e.end) for e in evidence]
        article = highlight(source.text, spans, links, asked)
    return render_template(
        "sources/detail.html",
        source=source,
        article=article,
        pledges=pledges,
        evidence=evidence,
        requests=requests,
    )


# --- write routes: every route that changes a source is below this line ------------------


def article_text(form: ArticleImportForm) -> str:
    """The pasted text, or the uploaded file decoded to text."""
    if form.file.data and getattr(form.file.data, "filename", ""):
        from tracker.extract import decode_article

        return decode_article(form.file.data.read())
    return str(form.text.data)


def waiting(pledges: int) -> str:
    """ "1 pledge waits", "3 pledges wait"."""
    return f"{count_of(pledges, 'pledge')} {'waits' if pledges == 1 else 'wait'}"


@bp.route("/new", methods=["GET", "POST"])
@role_required("analyst")
def new() -> Response | tuple[str, int]:
    """Import an article: its pledges are extracted and wait in the review queue."""
    session = db_session()
    form = ArticleImportForm()
    status = 200
    if form.validate_on_submit():
        meta = ArticleMeta(
            title=form.title.data or None,
            publisher=form.publisher.data or None,
            url=form.url.data or None,
            published=form.published.data,
            file_name=getattr(form.file.data, "filename", None) or None,
        )
        try:
            result = import_article(session, article_text(form), meta, user=current_account())
            session.commit()
        except (ValueError, CatalogueMissing) as error:
            session.rollback()
            form.form_errors.append(f"The article could not be imported: {error}")
        else:
            assert result.source is not None
            if result.already_imported:
                flash(
                    f"This article was imported before as source #{result.source.id}: "
                    "unchanged, nothing imported.",
                    "info",
                )
            elif result.updates is not None:
                flash(
                    f"Article updated (its earlier version is source #{result.updates.id}): "
                    f"{count_of(result.new_statements, 'new statement')}, "
                    f"{result.already_recorded} already recorded; "
                    f"{waiting(len(result.pledges))} for review.",
                    "success",
                )
            else:
                flash(f"Article imported: {waiting(len(result.pledges))} for review.", "success")
            return redirect(url_for("sources.detail", source_id=result.source.id))
    if request.method == "POST":
        status = 422
    return render_template("sources/new.html", form=form), status


def init_app(app: Flask) -> None:
    """Register the source pages."""
    app.register_blueprint(bp)

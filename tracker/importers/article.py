"""Import a news article: its text as a Source, each pledge with its evidence, its requests.

The caller commits once, so an article is stored whole or not at all. The
same text imported again is recognised by its SHA-256 and changes nothing: no pledge,
report or audit event is added twice. The same page read again from its URL with its text
changed is a new version of the article: a new source holding the new text, of whose
statements only those no earlier version stated are imported
(tracker.importers.article_versions).
Each stated pledge is matched against the live ones (tracker.services.matching):
a clear match becomes a corroborating report of that pledge, an unclear one a new
pledge marked as a possible duplicate. Allocations and deliveries the article
reports are attached to the pledge they name (tracker.importers.stage_reports).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import ScalarSelect, and_, bindparam, case, inspect, or_, select
from sqlalchemy.orm import Session

from tracker.extract import ExtractError, decode_article, extract
from tracker.extract.models import ExtractedPledge, ExtractedRequest, Extraction
from tracker.importers.article_rows import (
    EvidenceRows,
    PreparedPledges,
    insert_rows,
    inserted_ids,
    persistent_objects,
    stated_pledges,
    write_pledges,
)
from tracker.importers.article_versions import NewStatements, earlier_versions, new_statements
from tracker.importers.deferred_writes import DeferredWrites
from tracker.importers.stage_reports import attach_stage_report
from tracker.importers.update_reports import apply_updates, flag_ambiguous_updates
from tracker.importers.vocabulary import database_vocabulary, name_lookups, names_key_with
from tracker.models import (
    AuditEvent,
    Donor,
    DonorAlias,
    Item,
    Pledge,
    Recipient,
    Report,
    Request,
    Source,
    User,
)
from tracker.models._types import utcnow
from tracker.reference import CATEGORY_KIND, DEFAULT_RECIPIENT
from tracker.services import audit
from tracker.services.entry_checks import mistyped_day
from tracker.services.matching import find_matches
from tracker.services.packages import group_extracted_packages
from tracker.services.pledge_rules import PledgeError, checked_figures
from tracker.services.pledges import PledgeInput, find_donor, find_item, find_recipient
from tracker.services.reference import alias_key, item_names, resolve_item

# Where an item the catalogue does not know goes, by the kind of support it is.
DEFAULT_CATEGORY = {
    "military": "other military",
    "financial": "grant",
    "humanitarian": "humanitarian",
    "reconstruction": "reconstruction",
}


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article besides its text."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    file_name: str | None = None


@dataclass
class ArticleImportResult:
    """What an import stored, or, for a dry run or a repeat, what it would have stored."""

    extraction: Extraction
    source: Source | None
    already_imported: bool = False
    dry_run: bool = False
    pledges: list[Pledge] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # For a new version of an article read before from its URL: the latest earlier version,
    # and how many of the text's statements the earlier versions recorded already
    updates: Source | None = None
    already_recorded: int = 0
    # The statements imported (or, in a dry run, to import): the extraction's, less those
    # an earlier version stated
    imported: Extraction | None = None

    @property
    def pledge_count(self) -> int:
        """Pledges found in the text."""
        return len(self.extraction.pledges)

    @property
    def new_statements(self) -> int:
        """The pledges, stage reports and requests imported (or, in a dry run, to import)."""
        stated = self.imported or self.extraction
        return len(stated.pledges) + len(stated.stage_reports) + len(stated.requests)


def text_sha256(text: str) -> str:
    """The SHA-256 of the article text, UTF-8 encoded: an article's identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_article(text: str, url: str | None) -> tuple[ScalarSelect[Any], dict[str, str]]:
    """The id of the source that holds this article already, as a scalar subquery, and its
    parameters: the one with the same text (by its SHA-256), else the first live article
    read from the same URL (the page fetched again, its text changed: an earlier version
    of it). The subquery is built once for each of its two shapes."""
    parameters = {"sha256": text_sha256(text)}
    if url is not None and url.strip():
        parameters["url"] = url.strip()
    return _same_article_query("url" in parameters), parameters


@cache
def _same_article_query(by_url: bool) -> ScalarSelect[Any]:
    """`same_article`'s subquery, with its parameters bound by name."""
    same = Source.sha256 == bindparam("sha256")
    if by_url:
        same = or_(
            same,
            and_(
                Source.kind == "article",
                Source.url == bindparam("url"),
                Source.deleted_at.is_(None),
            ),
        )
    # The text's own source first: a SHA-256 is unique, a URL may have been read twice before
    first = case((Source.sha256 == bindparam("sha256"), 0), else_=1)
    return select(Source.id).where(same).order_by(first, Source.id).limit(1).scalar_subquery()


def import_article(
    session: Session,
    text: str,
    meta: ArticleMeta,
    *,
    dry_run: bool = False,
    user: User | None = None,
    extraction: Extraction | None = None,
    extracted: Callable[[tuple[object, ...]], Extraction | None] | None = None,
    writes: DeferredWrites | None = None,
) -> ArticleImportResult:
    """Extract the article's pledges and requests and store them, awaiting review.

    A text imported before is a no-op that returns the existing source. Another text from
    a URL imported before (see `same_article`) is stored as a new version of that article,
    with only the statements its earlier versions did not state (`result.updates`,
    `already_recorded`). A dry run extracts and returns without touching the database.
    `extraction` is the text's extraction when made already (or reviewed elsewhere); by
    default the text is extracted. `extracted`, given the names' key this import reads
    with (tracker.importers.vocabulary), answers the extraction made elsewhere with the
    vocabulary of that key (in another process: tracker.importers.extraction_pool), or None
    when there is none; the text is then extracted here. `writes` (PostgreSQL): the
    statements at the end whose answers the import does not read are sent through it
    without waiting for them (tracker.importers.deferred_writes); the caller waits for them.
    """
    # The source already holding this article, if any, read with the names' key
    key, existing_id = names_key_with(session, *same_article(text, meta.url))
    existing = session.get(Source, existing_id) if existing_id is not None else None
    if extraction is None and extracted is not None:
        extraction = extracted(key)
    if extraction is None:
        extraction = extract(text, meta.published, database_vocabulary(session, key))
    if existing is not None and existing.sha256 == text_sha256(text):
        return ArticleImportResult(extraction, existing, already_imported=True, dry_run=dry_run)
    stored, update = extraction, None
    if existing is not None:  # the same URL, another text: a new version of the article
        versions = earlier_versions(session, existing.url or "")
        update = new_statements(extraction, versions, database_vocabulary(session, key))
        stored = update.extraction
    if dry_run:
        return _described(ArticleImportResult(extraction, None, dry_run=True), stored, update)

    source = _stored_source(session, text, meta)
    result = _described(ArticleImportResult(extraction, source), stored, update)
    evidence_for = EvidenceRows(session, source.id)

    matched, ambiguous = apply_updates(
        session, stored, source, evidence_for, result.reports, result.problems, user
    )
    placed = _store_pledges(
        session, matched, source, meta, evidence_for, result, user, _Names(session, key), writes
    )
    flag_ambiguous_updates(session, placed, ambiguous, result.pledges, result.problems, user)
    result.problems += group_extracted_packages(session, matched, placed, source, user=user)
    for stage_report in stored.stage_reports:
        ev = evidence_for(
            stage_report.evidence_start, stage_report.evidence_end, stage_report.evidence
        )
        attached = attach_stage_report(session, stage_report, source, ev, user=user)
        if isinstance(attached, str):
            result.problems.append(attached)
        else:
            result.reports.append(attached)
    for wanted in stored.requests:
        ev = evidence_for(wanted.evidence_start, wanted.evidence_end, wanted.evidence)
        result.requests.append(_store_request(session, wanted, source, ev))
    session.flush()  # the requests' ids
    after: dict[str, Any] = {
        "title": source.title,
        "url": source.url,
        "sha256": source.sha256,
        "pledges": [p.id for p in result.pledges],
        "requests": [r.id for r in result.requests],
        "reports": [r.id for r in result.reports],
        "problems": result.problems,
    }
    note = "article import"
    if result.updates is not None:
        after |= {"updates": result.updates.id, "already_recorded": result.already_recorded}
        note = (
            f"article update of source #{result.updates.id} ({result.new_statements} new "
            f"statements, {result.already_recorded} already recorded)"
        )
    note += (
        f": {len(result.pledges)} pledges, {len(result.reports)} reports of "
        f"earlier pledges, {len(result.requests)} requests"
    )
    # One row, written as the pledges' audit events are (no ORM object to flush)
    event = audit.audit_values(
        action="import",
        entity="source",
        entity_id=source.id,
        before=None,
        after=after,
        user=user,
        note=note,
    )
    insert_rows(session, AuditEvent, [event | {"at": utcnow()}], writes)
    return result


def _stored_source(session: Session, text: str, meta: ArticleMeta) -> Source:
    """The article's source, written as a row and handed back as a persistent object (as
    the pledges are: tracker.importers.article_rows), not flushed by the unit of work.
    The columns the article does not give take the model's defaults (`column_defaults`)."""
    row = column_defaults(Source) | {
        "kind": "article", "title": meta.title, "publisher": meta.publisher, "url": meta.url,
        "published": meta.published, "text": text, "sha256": text_sha256(text),
        "file_name": meta.file_name,
    }  # fmt: skip
    (source_id,) = inserted_ids(session, Source, [row])
    source: Source = persistent_objects(session, Source, [row | {"id": source_id}])[0]
    return source


def column_defaults(model: Any) -> dict[str, Any]:
    """What the unit of work would write in a new row of `model` for the columns it is not
    given, by attribute name: each column's default (a function's, such as `utcnow`, called
    now), and None for a nullable column without one. The primary key is left to the
    database, and so is a column with only a server default."""
    values: dict[str, Any] = {}
    for attribute in inspect(model).column_attrs:
        column = attribute.columns[0]
        default = column.default
        if column.primary_key or (default is None and not column.nullable):
            continue
        if default is None:
            if column.server_default is None:
                values[attribute.key] = None
        elif default.is_callable:
            values[attribute.key] = default.arg(None)  # type: ignore[attr-defined]
        elif default.is_scalar:
            values[attribute.key] = default.arg  # type: ignore[attr-defined]
    return values


def _described(
    result: ArticleImportResult, stored: Extraction, update: NewStatements | None
) -> ArticleImportResult:
    """`result`, saying what of the extraction is `stored`: all of it for a new article;
    for a new version of one (`update`), its statements the earlier versions did not state,
    and how many they did."""
    result.imported = stored
    if update is not None:
        result.updates = update.previous
        result.already_recorded = update.repeated
    return result


def _store_pledges(
    session: Session,
    extraction: Extraction,
    source: Source,
    meta: ArticleMeta,
    evidence_for: EvidenceRows,
    result: ArticleImportResult,
    user: User | None,
    names: _Names | None = None,
    writes: DeferredWrites | None = None,
) -> list[int | None]:
    """The article's pledges, matched all at once against the stored ones: a clear match
    becomes a corroborating report, the rest new pledges (possible duplicates marked).
    Returns the pledge each extracted pledge became or corroborates, in their order.

    The rows are written in the order one pledge at a time would write them (evidence,
    pledges, reports, audit events), each table's in one statement, and the totals get
    one delta (tracker.importers.article_rows): the same rows, ids and totals as
    `create_pledge` and `add_corroboration` called for each pledge in turn.
    """
    stated = extraction.pledges
    if not stated:
        return []
    sentences = evidence_for.many(
        [(found.evidence_start, found.evidence_end, found.evidence) for found in stated]
    )
    names = names or _Names(session)
    inputs = [
        _pledge_input(session, found, source, evidence_id, names)
        for found, evidence_id in zip(stated, sentences, strict=True)
    ]
    # The rows the pledges refer to that this transaction has just read or written
    known = {
        "donor_id": set(names.donors.values()),
        "recipient_id": set(names.recipients.values()),
        "source_id": {source.id},
        "evidence_id": set(evidence_for.ids.values()),
    }
    # No savepoint: the source and its evidence are written already, so a refusal here
    # leaves the transaction for the caller to roll back whole (it commits once)
    prepared = PreparedPledges(
        session, inputs, user=user, known=known, sentences=[found.evidence for found in stated]
    )
    matches = find_matches(
        session, stated_pledges(inputs, names.categories), meanwhile=prepared.build
    )
    for found, match in zip(stated, matches, strict=True):
        if match.outcome == "new" and match.pledge_id is not None:
            # new, though a deleted pledge states the same
            result.problems.append(
                f"{found.donor}: {found.evidence!r} {match.reason}; stored as a new pledge"
            )
    written = write_pledges(
        session, inputs, matches, prepared, published=meta.published, writes=writes
    )
    result.pledges += written.pledges
    result.reports += written.reports
    return written.placed


class _Names:
    """The donors, recipients and items an article names, each looked up once. With the
    names' `key` (tracker.importers.vocabulary.names_key), those found are
    also remembered for the next articles, for as long as the names stay the same."""

    def __init__(self, session: Session, key: tuple[object, ...] | None = None) -> None:
        """Empty memories for one article (and those of earlier articles, given `key`)."""
        self.session = session
        self.known: dict[Any, Any] = name_lookups(session, key) if key is not None else {}
        self.donors: dict[tuple[str, str], int] = {}
        self.recipients: dict[str | None, int] = {}
        self.items: dict[tuple[str, str | None, str], tuple[int, bool]] = {}
        self.categories: dict[int, int] = {}  # of the items found, by item id
        self.item_names: dict[str, int] | None = None

    def donor(self, name: str, kind: str) -> int:
        """The id of the donor the extractor named, added (with its name as an alias) when
        new."""
        if (name, kind) not in self.donors:
            donor_id = self.known.get(("donor", name))
            if donor_id is None:
                donor = _existing_donor(self.session, name)
                if donor is not None:
                    donor_id = self.known[("donor", name)] = donor.id
                else:
                    donor_id = _new_donor(self.session, name, kind).id
            self.donors[(name, kind)] = donor_id
        return self.donors[(name, kind)]

    def recipient(self, name: str | None) -> int:
        """The id of the recipient the extractor named (see `_recipient`), remembered as
        the donors are (one query an article less)."""
        if name not in self.recipients:
            recipient_id = self.known.get(("recipient", name))
            if recipient_id is None:
                recipient = find_recipient(self.session, name or DEFAULT_RECIPIENT)
                if recipient is None:  # added now: not remembered, it could be rolled back
                    recipient_id = _add_recipient(self.session, name).id
                else:
                    recipient_id = self.known[("recipient", name)] = recipient.id
            self.recipients[name] = recipient_id
        return self.recipients[name]

    def item(self, found: ExtractedPledge) -> tuple[int, bool]:
        """The id of the catalogue item for the extracted words, and whether it is only
        the general item of their category (see `_item`)."""
        key = (found.item, found.category, found.kind)
        if key not in self.items:
            known = self.known.get(("item", *key))
            if known is None:
                if self.item_names is None:
                    self.item_names = item_names(self.session)
                item, general = _item(self.session, found, self.item_names)
                known = self.known[("item", *key)] = (item.id, general, item.category_id)
            item_id, general, self.categories[item_id] = known
            self.items[key] = (item_id, general)
        return self.items[key]


def _pledge_input(
    session: Session,
    found: ExtractedPledge,
    source: Source,
    evidence_id: int,
    names: _Names | None = None,
) -> PledgeInput:
    """Turn an extracted pledge into the service's input, finding or adding its donor and item."""
    names = names or _Names(session)
    donor_id = names.donor(found.donor, found.donor_kind)
    recipient_id = names.recipient(found.recipient)
    item_id, general = names.item(found)
    notes = found.notes
    if general:  # the words are kept as item_text; the analyst picks the catalogue item
        notes = "; ".join(filter(None, [notes, f"item not in the catalogue: {found.item}"]))
    stated_amount, stated_currency = found.stated_conversion or (None, None)
    data = PledgeInput(
        donor_id=donor_id,
        recipient_id=recipient_id,
        item_id=item_id,
        item_text=found.item,
        kind=found.kind,
        quantity=found.quantity,
        unit=found.unit,
        amount=found.amount,
        currency=found.currency,
        qualifier=found.qualifier,
        qualifier_text=found.qualifier_text,
        announced=found.announced,
        announced_precision=found.announced_precision,
        stated_amount=stated_amount,
        stated_currency=stated_currency,
        source_id=source.id,
        evidence_id=evidence_id,
        notes=notes,
        reviewed=False,
    )
    try:
        checked_figures(data)
    except PledgeError as error:  # a figure no pledge can hold ("99999…99 euros")
        raise PledgeError(error.field, f"{error}, in {found.evidence!r}") from None
    return data


def _existing_donor(session: Session, name: str) -> Donor | None:
    """The donor the extractor named, by its aliases or its name, if there is one."""
    donor = find_donor(session, name)
    if donor is None:
        donor = session.scalar(select(Donor).where(Donor.name == name))
    return donor


def _new_donor(session: Session, name: str, kind: str) -> Donor:
    """A new donor the extractor named, with its name as an alias."""
    donor = Donor(name=name, kind=kind)
    session.add(donor)
    key = alias_key(name)
    if session.scalar(select(DonorAlias).where(DonorAlias.key == key)) is None:
        session.add(DonorAlias(donor=donor, alias=name, key=key))
    session.flush()
    return donor


def _recipient(session: Session, name: str | None) -> Recipient:
    """The recipient by name, Ukraine when none is named, added when new."""
    found = find_recipient(session, name or DEFAULT_RECIPIENT)
    return found if found is not None else _add_recipient(session, name)


def _add_recipient(session: Session, name: str | None) -> Recipient:
    """A new recipient of that name (Ukraine when none is named), flushed for its id."""
    recipient = Recipient(name=name or DEFAULT_RECIPIENT)
    session.add(recipient)
    session.flush()
    return recipient


def _item(
    session: Session, found: ExtractedPledge, names: dict[str, int] | None = None
) -> tuple[Item, bool]:
    """The catalogue item for the extracted words (see ``resolve_item``), and whether it is
    only the general item of their category; an import never adds a catalogue row."""
    category_name = found.category if found.category in CATEGORY_KIND else None
    return resolve_item(session, found.item, category_name or DEFAULT_CATEGORY[found.kind], names)


def _store_request(
    session: Session, wanted: ExtractedRequest, source: Source, evidence_id: int
) -> Request:
    """Store what the recipient asked for, kept apart from pledges."""
    request = Request(
        recipient=_recipient(session, wanted.requester),
        item=find_item(session, wanted.item),
        item_text=wanted.item[:300],
        source=source,
        evidence_id=evidence_id,
    )
    session.add(request)
    return request


def read_meta(path: Path) -> ArticleMeta:
    """The meta.json beside an article file, if there is one (title, publisher, url, published)."""
    meta_path = path.parent / "meta.json"
    if not meta_path.is_file():
        return ArticleMeta(file_name=path.name)
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ArticleFileError(f"{meta_path}: not valid JSON ({exc})") from exc
    if data.get("file") not in (None, path.name):
        return ArticleMeta(file_name=path.name)
    published = data.get("published")
    try:
        published_date = date.fromisoformat(published) if published else None
    except ValueError as exc:
        raise ArticleFileError(
            f"{meta_path}: field 'published' must be a date like 2025-07-10, not {published!r}"
        ) from exc
    today = utcnow().date()
    mistyped = published_date and mistyped_day("published", published_date, today=today)
    if mistyped:
        raise ArticleFileError(f"{meta_path}: {mistyped}")
    return ArticleMeta(
        title=data.get("title"),
        publisher=data.get("publisher"),
        url=data.get("url"),
        published=published_date,
        file_name=path.name,
    )


def read_article(path: Path) -> tuple[str, ArticleMeta]:
    """The article's text, decoded and stripped of HTML, and its metadata."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleFileError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        text = decode_article(data)
    except ExtractError as exc:
        raise ArticleFileError(f"{path}: {exc}") from exc
    return text, read_meta(path)


class ArticleFileError(ValueError):
    """An article file or its meta.json cannot be read; the message names the file."""

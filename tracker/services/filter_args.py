"""The filter vocabulary, read once for every page, export, API call and CLI command.

Parameters (query string names; the CLI's options carry the same names):

| name | value |
| --- | --- |
| `from`, `to` | announced on or after / on or before, YYYY-MM-DD |
| `donor` | a donor's id, name or alias (repeatable): its own pledges |
| `group` | a donor group's id, name or alias: the group's and its members' pledges |
| `recipient` | a recipient's id, name or ISO code |
| `kind`, `stage` | one of the reference words |
| `item`, `category` | a catalogue item's or category's id or name |
| `source` | a source's id |
| `reviewed` | `1` reviewed pledges only, `0` unreviewed only |
| `q` | text in the donor's name, the item's name, the pledge's wording or notes |

A bad value raises FilterError naming the parameter (the web answers 400, the
CLI exits with status 2); nothing unparsed ever reaches the database. The parsed
filters carry canonical arguments (ids, ISO dates) for links and words for file names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.limits import FIRST_DAY, LAST_DAY
from tracker.models import Donor, Item, ItemCategory, Recipient, Source
from tracker.reference import KINDS, STAGES
from tracker.services.pledges import find_donor, find_item, find_recipient
from tracker.services.totals import BY, TotalsFilter

__all__ = [
    "EARLIEST",
    "FILTER_HELP",
    "FILTER_NAMES",
    "LATEST",
    "MAX_TEXT",
    "FilterError",
    "ParsedFilters",
    "by_from_args",
    "filters_from_args",
    "parse_filter_args",
    "slug",
]

FILTER_NAMES = (
    "from", "to", "donor", "group", "recipient", "kind", "stage", "item", "category",
    "source", "reviewed", "q",
)  # fmt: skip
FILTER_HELP = {
    "from": "Announced on or after this day (YYYY-MM-DD).",
    "to": "Announced on or before this day (YYYY-MM-DD).",
    "donor": "Donor id, name or alias (repeatable): its own pledges.",
    "group": "Donor group id, name or alias: the group's and its members' pledges.",
    "recipient": "Recipient id, name or ISO code.",
    "kind": f"One of: {', '.join(KINDS)}.",
    "stage": f"One of: {', '.join(STAGES)}.",
    "item": "Catalogue item id or name.",
    "category": "Item category id or name.",
    "source": "Source id.",
    "reviewed": "1: reviewed pledges only; 0: unreviewed pledges only.",
    "q": "Text in the donor's or item's name, the pledge's wording or notes.",
}
EARLIEST = FIRST_DAY  # the days a pledge may be announced on (tracker.limits)
LATEST = LAST_DAY
MAX_TEXT = 200
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


class FilterError(ValueError):
    """A filter value that cannot be used; `field` names the query parameter."""

    def __init__(self, field: str, message: str) -> None:
        """Keep the parameter name beside the message."""
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ParsedFilters:
    """The service filter, its canonical arguments (ids, ISO dates), the words that name it
    in a file name, and the display names of each parameter's values."""

    filter: TotalsFilter
    args: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = field(default=())
    labels: dict[str, list[str]] = field(default_factory=dict)

    def arg_dict(self) -> dict[str, str | list[str]]:
        """The canonical arguments as a dict for `url_for` (repeated names as lists)."""
        result: dict[str, str | list[str]] = {}
        for name, value in self.args:
            if name in result:
                current = result[name]
                result[name] = [*(current if isinstance(current, list) else [current]), value]
            else:
                result[name] = value
        return result


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    """Every non-blank value of `name` (a MultiDict gives all; a dict gives one or a list)."""
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        raw = list(getlist(name))
    else:
        value = args.get(name)
        raw = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
    values = []
    for item in raw:
        text = str(item)
        if "\x00" in text or any(unicodedata.category(c) == "Cc" for c in text):
            raise FilterError(name, f"{name} contains a control character")
        if text.strip():
            values.append(text.strip())
    return values


def _one(args: Mapping[str, Any], name: str) -> str | None:
    """The single value of `name`, or None; two different values are refused."""
    values = _values(args, name)
    if len(set(values)) > 1:
        raise FilterError(name, f"{name} is given {len(values)} times; give it once")
    if values and len(values[0]) > MAX_TEXT:
        raise FilterError(name, f"{name} is longer than {MAX_TEXT} characters")
    return values[0] if values else None


def _date(args: Mapping[str, Any], name: str) -> date | None:
    """One optional ISO date between EARLIEST and LATEST."""
    text = _one(args, name)
    if text is None:
        return None
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        raise FilterError(name, f"{name}={text!r} is not a date (YYYY-MM-DD)")
    if not EARLIEST <= day <= LATEST:
        raise FilterError(name, f"{name}={text} is outside {EARLIEST} to {LATEST}")
    return day


def _choice(args: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    """One optional word from `allowed`."""
    text = _one(args, name)
    if text is None:
        return None
    if text not in allowed:
        raise FilterError(name, f"{name}={text!r} is not one of: {', '.join(allowed)}")
    return text


def _row_id(text: str) -> int | None:
    """`text` as a database id when it is one (ASCII digits within the integer range)."""
    if _DIGITS.fullmatch(text) and 0 < int(text) <= MAX_ID:
        return int(text)
    if text.isdigit() or text.isdecimal():
        return -1  # digits out of range, or not ASCII: never an id
    return None


def _lookup(
    session: Session,
    name: str,
    text: str,
    model: type[Any],
    by_name: Callable[[Session, str], Any] | None,
) -> Any:
    """The row `text` names: by id when it is digits, else by name or alias."""
    row_id = _row_id(text)
    if row_id is not None:
        row = session.get(model, row_id) if row_id > 0 else None
        if row is None:
            raise FilterError(name, f"there is no {name} with id {text}")
        return row
    row = by_name(session, text) if by_name is not None else None
    if row is None:
        raise FilterError(name, f"no {name} is called {text!r}")
    return row


def _find_category(session: Session, text: str) -> ItemCategory | None:
    """The item category called `text`, ignoring case."""
    query = select(ItemCategory).where(func.lower(ItemCategory.name) == text.strip().lower())
    return session.scalars(query).first()


def _reviewed(args: Mapping[str, Any]) -> bool | None:
    """`reviewed`: 1 reviewed only, 0 unreviewed only, absent both."""
    text = _one(args, "reviewed")
    if text is None:
        return None
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise FilterError("reviewed", f"reviewed={text!r} is not 1 (reviewed) or 0 (unreviewed)")


_FINDERS: dict[str, tuple[type[Any], Callable[[Session, str], Any] | None]] = {
    "group": (Donor, find_donor),
    "recipient": (Recipient, find_recipient),
    "item": (Item, find_item),
    "category": (ItemCategory, _find_category),
    "source": (Source, None),
}


def slug(text: str) -> str:
    """`text` as lower-case ASCII words joined by hyphens ("Côte d'Ivoire" -> "cote-d-ivoire")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def parse_filter_args(args: Mapping[str, Any], session: Session) -> ParsedFilters:
    """The filters a query string (or the CLI's options) asks for; FilterError names a bad one."""
    start, end = _date(args, "from"), _date(args, "to")
    if start and end and start > end:
        raise FilterError("to", f"to={end} is before from={start}")
    canonical: list[tuple[str, str]] = []
    words: list[str] = []
    labels: dict[str, list[str]] = {}

    def keep(name: str, value: str, word: str, label: str | None = None) -> None:
        """Record a canonical argument and the word naming it."""
        canonical.append((name, value))
        words.append(word)
        labels.setdefault(name, []).append(label or word)

    donors: list[Donor] = []
    for text in dict.fromkeys(_values(args, "donor")):
        donor = _lookup(session, "donor", text, Donor, find_donor)
        if donor.id not in {d.id for d in donors}:
            donors.append(donor)
            keep("donor", str(donor.id), donor.name)
    kind, stage = _choice(args, "kind", KINDS), _choice(args, "stage", STAGES)
    for name, word in (("kind", kind), ("stage", stage)):
        if word:
            keep(name, word, word)
    rows: dict[str, Any] = {}
    for name, (model, finder) in _FINDERS.items():
        given = _one(args, name)
        row = rows[name] = _lookup(session, name, given, model, finder) if given else None
        if row is None:
            continue
        if name == "group" and row.kind != "group":
            raise FilterError("group", f"{row.name} is a {row.kind}, not a donor group")
        if name == "source":
            keep(name, str(row.id), f"source-{row.id}", row.title or f"#{row.id}")
        else:
            keep(name, str(row.id), row.name)
    reviewed = _reviewed(args)
    if reviewed is not None:
        keep("reviewed", "1" if reviewed else "0", "reviewed" if reviewed else "unreviewed")
    search = _one(args, "q")
    if search:
        keep("q", search, search, f"“{search}”")
    if start:
        canonical.append(("from", start.isoformat()))
        labels["from"] = [start.isoformat()]
    if end:
        canonical.append(("to", end.isoformat()))
        labels["to"] = [end.isoformat()]
    if start and end:
        words.append(f"{start.isoformat()}-to-{end.isoformat()}")
    elif start or end:
        words.append(f"from-{start.isoformat()}" if start else f"to-{end.isoformat()}")  # type: ignore[union-attr]
    chosen = TotalsFilter(
        start=start,
        end=end,
        donor_ids=tuple(d.id for d in donors),
        group_id=_id_of(rows["group"]),
        kind=kind,
        stage=stage,
        recipient_id=_id_of(rows["recipient"]),
        reviewed=reviewed,
        item_id=_id_of(rows["item"]),
        category_id=_id_of(rows["category"]),
        source_id=_id_of(rows["source"]),
        text=search or None,
    )
    order = {name: i for i, name in enumerate(FILTER_NAMES)}
    canonical.sort(key=lambda pair: order[pair[0]])
    return ParsedFilters(chosen, tuple(canonical), tuple(words), labels)


def _id_of(row: Any) -> int | None:
    """A found row's id."""
    return None if row is None else int(row.id)


def filters_from_args(args: Mapping[str, Any], session: Session) -> TotalsFilter:
    """The TotalsFilter a query string asks for; FilterError names a bad parameter."""
    return parse_filter_args(args, session).filter


def by_from_args(args: Mapping[str, Any], default: str = "donor") -> str:
    """The `by` parameter: what totals are grouped by."""
    by = _one(args, "by") or default
    if by not in BY:
        raise FilterError("by", f"by={by!r} is not one of: {', '.join(BY)}")
    return by

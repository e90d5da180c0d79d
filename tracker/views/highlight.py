"""Article text with its evidence sentences marked, escaped piece by piece.

The article text is untrusted: every slice of it goes through `escape`; only
the <mark> and <a> tags we write ourselves are markup. Overlapping spans are
clipped so the tags always nest properly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """An evidence span: its id and character offsets into the text."""

    evidence_id: int
    start: int
    end: int


def highlight(
    text: str,
    spans: Iterable[Span],
    pledge_links: Mapping[int, Sequence[tuple[int, str]]],
    request_links: Mapping[int, Sequence[tuple[int, str]]] | None = None,
) -> Markup:
    """`text` as HTML with each span in <mark id="evidence-N">, followed by links to its pledges.

    `pledge_links` maps an evidence id to (pledge id, URL) pairs. A span stating a
    request (an id in `request_links`) is marked apart, class "request", and links
    to its requests instead. Spans outside the text are clipped to it; a span
    starting inside an earlier one starts where that one ends; empty spans are skipped.
    """
    requests = request_links or {}
    parts: list[Markup] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.evidence_id)):
        start = max(span.start, position, 0)
        end = min(span.end, len(text))
        if end <= start:
            continue
        parts.append(escape(text[position:start]))
        is_request = span.evidence_id in requests and span.evidence_id not in pledge_links
        word = "request" if is_request else "pledge"
        links = (requests if is_request else pledge_links).get(span.evidence_id, ())
        linked = Markup(" ").join(
            Markup('<a href="{}">{} {}</a>').format(url, word, number) for number, url in links
        )
        suffix = Markup('<span class="pledge-links">{}</span>').format(linked) if links else ""
        mark = (
            '<mark id="evidence-{}" class="request">{}{}</mark>'
            if is_request
            else ('<mark id="evidence-{}">{}{}</mark>')
        )
        parts.append(Markup(mark).format(span.evidence_id, text[start:end], suffix))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)

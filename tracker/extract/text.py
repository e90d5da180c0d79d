"""Turn the bytes of an uploaded article into the text that evidence offsets point into.

Decoding order: UTF-8 (a byte-order mark is dropped, UTF-16 with a BOM is
accepted); then cp1252 when every byte in 0x80-0x9F is one of its typographic
marks (curly quotes, dashes, €: Windows text, which detectors confuse with
other Latin code pages on short articles); then the encoding charset-normalizer
detects; then cp1252 as the stated last fallback (undecodable bytes become
U+FFFD). HTML is stripped with BeautifulSoup's ``html.parser``, keeping one line
per paragraph. Whitespace is normalised once, here; the returned string is never
changed afterwards. Inputs over MAX_ARTICLE_BYTES (20 MB) are refused.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from tracker.extract.errors import ExtractError

MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # 20 MB: far above any news article, 5 MB is fine
_BINARY_SAMPLE = 64 * 1024
_CP1252_MARKS = frozenset(b"\x80\x82\x84\x85\x91\x92\x93\x94\x95\x96\x97\x99")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_HTML_RE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|article|section|span|h[1-6]|ul|li|a\s)[\s>/]",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr",
    "article", "section", "header", "footer", "blockquote", "figcaption", "title", "table",
)  # fmt: skip
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "form")
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")
_TABS_RE = re.compile(r"[ ]*\t+[ ]*")


def decode_article(data: bytes) -> str:
    """Decode, strip HTML and normalise an article; raise ExtractError for unusable input."""
    if not data or not data.strip():
        raise ExtractError("the article is empty")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ExtractError(
            f"the article is {len(data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes"
        )
    text = _decode_bytes(data)
    if _looks_binary(text):
        raise ExtractError("the file looks binary (control bytes), not an article's text")
    if looks_like_html(text):
        text = html_to_text(text)
    text = normalise_whitespace(text)
    if not text:
        raise ExtractError("the article has no text once markup and whitespace are removed")
    return text


def _decode_bytes(data: bytes) -> str:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, detected, then cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractError("the file has a UTF-16 mark but is not UTF-16 text") from exc
    if b"\x00" in data[:_BINARY_SAMPLE]:
        raise ExtractError("the file contains NUL bytes: it is binary, not an article's text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _is_windows_punctuated(data):
        return data.decode("cp1252")
    best = from_bytes(data[: 512 * 1024]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def _is_windows_punctuated(data: bytes) -> bool:
    """True when the bytes 0x80-0x9F present are all cp1252 typographic marks."""
    high = {byte for byte in data if 0x80 <= byte <= 0x9F}
    return bool(high) and high <= _CP1252_MARKS


def _looks_binary(text: str) -> bool:
    """True when more than 5% of a sample are control or replacement characters."""
    sample = text[:_BINARY_SAMPLE]
    if not sample:
        return False
    return len(_CONTROL_RE.findall(sample)) > 0.05 * len(sample)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup (a document or paragraph tags)."""
    return _HTML_RE.search(text[:_BINARY_SAMPLE]) is not None


def html_to_text(markup: str) -> str:
    """Strip HTML with a real parser, keeping one line per block element."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("head"):
        title = tag.find("title")
        tag.replace_with(f"\n{title.get_text()}\n" if title else "")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text()


def _tabs_as_pipes(line: str) -> str:
    """A line of three cells or more set apart by tabs (a table's row) with its tabs written
    as the pipes of a plain-text table; another line as it is."""
    if line.count("\t") < 2:
        return line
    cells = _TABS_RE.split(line.strip())
    if len(cells) < 3 or not all(cell.strip() for cell in cells):
        return line
    return " | ".join(cells)


def normalise_whitespace(text: str) -> str:
    """Unify line ends and spaces, trim lines and collapse runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    if "\t" in text:  # a table's cells set apart by tabs keep their columns, as pipes
        text = "\n".join(_tabs_as_pipes(line) for line in text.split("\n"))
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()

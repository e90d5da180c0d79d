"""decode_article: encodings, HTML, whitespace and bad input."""

from __future__ import annotations

import pytest

from tracker.extract import ExtractError, decode_article
from tracker.extract.text import MAX_ARTICLE_BYTES, normalise_whitespace


def test_utf8_with_bom_is_decoded() -> None:
    assert (
        decode_article("\ufeffKyiv’s allies pledged €2bn.".encode())
        == "Kyiv’s allies pledged €2bn."
    )


def test_empty_input_is_refused() -> None:
    with pytest.raises(ExtractError, match="empty"):
        decode_article(b"")


def test_whitespace_only_input_is_refused() -> None:
    with pytest.raises(ExtractError, match="empty"):
        decode_article(b"  \n\t\n ")


def test_binary_input_is_refused() -> None:
    with pytest.raises(ExtractError, match="binary"):
        decode_article(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_control_bytes_without_nul_are_refused() -> None:
    with pytest.raises(ExtractError, match="binary"):
        decode_article(bytes(range(1, 9)) * 50)


def test_cp1252_text_is_decoded() -> None:
    raw = "Germany’s €2.3bn pledge – “a signal”, said Zelenskyy’s office.".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode_article(raw) == "Germany’s €2.3bn pledge – “a signal”, said Zelenskyy’s office."


def test_error_is_a_value_error() -> None:
    assert issubclass(ExtractError, ValueError)


def test_a_5_mb_article_is_accepted() -> None:
    paragraph = "Norway will provide NOK 7.5 billion to Ukraine, the government said. " * 10
    data = ("\n".join([paragraph] * 8000)).encode()
    assert len(data) > 5 * 1024 * 1024
    text = decode_article(data)
    assert text.startswith("Norway will provide")


def test_input_over_the_limit_is_refused() -> None:
    with pytest.raises(ExtractError, match="limit"):
        decode_article(b"a" * (MAX_ARTICLE_BYTES + 1))


def test_html_is_stripped_keeping_paragraphs() -> None:
    markup = (
        b"<html><head><title>Aid</title><style>p{color:red}</style></head><body>"
        b"<p>Germany pledged &euro;1bn.</p><script>var x = '<p>no</p>';</script>"
        b"<p>Italy sent <b>two</b> systems.</p></body></html>"
    )
    assert decode_article(markup) == "Aid\n\nGermany pledged €1bn.\n\nItaly sent two systems."


def test_plain_text_with_angle_brackets_is_not_html() -> None:
    assert (
        decode_article(b"Turnout was <50% in 2 < 3 regions.")
        == "Turnout was <50% in 2 < 3 regions."
    )


def test_whitespace_is_normalised() -> None:
    raw = "  First\u00a0 line.\r\n\r\n\r\n\r\nSecond\tline.  \n"
    assert normalise_whitespace(raw) == "First line.\n\nSecond line."


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_article("Ukraine gets aid.".encode("utf-16")) == "Ukraine gets aid."

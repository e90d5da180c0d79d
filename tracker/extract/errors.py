"""Errors raised by the extractor."""


class ExtractError(ValueError):
    """The input cannot be read as an article (empty, binary, too large...)."""

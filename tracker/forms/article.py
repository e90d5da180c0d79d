"""The article import form: paste the text or upload the file, with where it came from."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import DateField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from tracker.extract.text import MAX_ARTICLE_BYTES
from tracker.forms.pledge import source_url_field
from tracker.limits import SOURCE_TEXT_LIMITS
from tracker.models._types import utcnow
from tracker.services.entry_checks import mistyped_day

TOO_LARGE = f"The file is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB."


class ArticleImportForm(FlaskForm):
    """An article to read pledges from; its pledges land in the review queue."""

    text = TextAreaField("Article text", validators=[Length(max=2_000_000)])
    file = FileField(
        "Or upload the article file",
        validators=[
            FileSize(
                MAX_ARTICLE_BYTES,
                message=f"The file is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB.",
            )
        ],
    )
    url = source_url_field()
    title = StringField("Title", validators=[Optional(), Length(max=SOURCE_TEXT_LIMITS["title"])])
    publisher = StringField(
        "Publisher", validators=[Optional(), Length(max=SOURCE_TEXT_LIMITS["publisher"])]
    )
    # InputRequired, not DataRequired: a day that is no date ("2025-02-30") says so
    published = DateField("Published", validators=[InputRequired("Enter the publication date.")])

    def validate_text(self, field: TextAreaField) -> None:
        """Exactly one of pasted text and an uploaded file; pasted text holds a word (a
        letter or digit, not only spaces, punctuation or zero-width characters)."""
        has_text = bool((field.data or "").strip())
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        if not has_text and not has_file:
            raise ValidationError("Paste the article text or choose a file.")
        if has_text and has_file:
            raise ValidationError("Paste the text or choose a file, not both.")
        if has_text and not any(character.isalnum() for character in field.data or ""):
            raise ValidationError("The text holds no letter or digit: paste the article.")

    def validate_published(self, field: DateField) -> None:
        """Not more than a year ahead nor before 1900 (a mistyped year), as a pledge's
        announcement."""
        problem = (
            mistyped_day("published", field.data, today=utcnow().date()) if field.data else None
        )
        if problem is not None:
            raise ValidationError(problem)

"""The table import form: the table, a mapping (shipped or uploaded), reviewed or not."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, Regexp

NO_MAPPING = ""


class TableImportForm(FlaskForm):
    """A CSV or XLSX table (or the token of one kept from the dry run), its column mapping,
    whether its new pledges count as reviewed, and whether to only preview."""

    table = FileField(
        "Table (CSV or XLSX)", validators=[FileAllowed(["csv", "xlsx"], "CSV or XLSX only")]
    )
    shipped = SelectField("Column mapping", validate_choice=False, default=NO_MAPPING)
    mapping = FileField(
        "…or upload a mapping (YAML or JSON)",
        validators=[FileAllowed(["yaml", "yml", "json"], "YAML or JSON only")],
    )
    reviewed = BooleanField("A curated table: import its new pledges as reviewed")
    dry_run = BooleanField("Preview only (dry run)", default=True)
    token = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{22}$")])

    def offer_mappings(self, titles: dict[str, str]) -> None:
        """The shipped mappings as choices, after "our own export (no mapping)"."""
        self.shipped.choices = [
            SelectChoice(NO_MAPPING, "none: our own pledges export"),
            *(SelectChoice(name, f"{title} ({name})") for name, title in titles.items()),
        ]

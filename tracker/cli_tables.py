"""The table commands of `tracker`: `export totals`, `export pledges`, `import-table`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import click
from sqlalchemy.orm import Session

from tracker.reference import KINDS, STAGES

BY_CHOICES = ("donor", "group", "kind", "item", "category", "stage", "month")


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The dashboard filters as options, names where the web uses ids."""
    options = [
        click.option(
            "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Announced on or after."
        ),
        click.option(
            "--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Announced on or before."
        ),
        click.option("--donor", "donors", multiple=True, help="Donor name or alias (repeatable)."),
        click.option("--group", help="Donor group name: the group and its members."),
        click.option("--kind", type=click.Choice(KINDS)),
        click.option("--stage", type=click.Choice(STAGES)),
        click.option("--recipient", help="Recipient name or ISO code."),
        click.option("--reviewed-only", is_flag=True, help="Only pledges an analyst reviewed."),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(("csv", "xlsx", "json")),
            default="csv",
            show_default=True,
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="File to write (default: standard output).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_filters(session: Session, options: dict[str, Any]) -> Any:
    """A TotalsFilter from the command's options; unknown names stop the command."""
    from tracker.services.pledges import find_donor, find_recipient
    from tracker.services.totals import TotalsFilter

    def donor_id(name: str, option: str) -> int:
        """The id of the donor called `name`."""
        donor = find_donor(session, name)
        if donor is None:
            raise click.BadParameter(f"no donor is called {name!r}", param_hint=option)
        return donor.id

    recipient_id = None
    if options["recipient"]:
        recipient = find_recipient(session, options["recipient"])
        if recipient is None:
            raise click.BadParameter(
                f"no recipient is called {options['recipient']!r}", param_hint="--recipient"
            )
        recipient_id = recipient.id
    start: date | None = options["start"].date() if options["start"] else None
    end: date | None = options["end"].date() if options["end"] else None
    return TotalsFilter(
        start=start,
        end=end,
        donor_ids=tuple(donor_id(name, "--donor") for name in options["donors"]),
        group_id=donor_id(options["group"], "--group") if options["group"] else None,
        kind=options["kind"],
        stage=options["stage"],
        recipient_id=recipient_id,
        reviewed_only=options["reviewed_only"],
    )


def write_output(chunks: Iterator[bytes], output: Path | None) -> None:
    """Write the export to `output`, or to standard output."""
    if output is None:
        stream: BinaryIO = sys.stdout.buffer
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
        return
    with output.open("wb") as file:
        for chunk in chunks:
            file.write(chunk)
    click.echo(f"Wrote {output}", err=True)


def register(main: click.Group, session_scope: Callable[..., Any]) -> None:
    """Add the export and import-table commands to `main`."""

    @main.group()
    def export() -> None:
        """Write totals or pledges as CSV, XLSX or JSON."""

    @export.command("totals")
    @click.option("--by", type=click.Choice(BY_CHOICES), default="donor", show_default=True)
    @filter_options
    def export_totals_command(by: str, fmt: str, output: Path | None, **options: Any) -> None:
        """Totals grouped by donor, group, kind, item, category, stage or month."""
        from tracker.exports import export_totals

        with session_scope() as session:
            filters = build_filters(session, options)
            write_output(export_totals(session, by, filters, fmt), output)

    @export.command("pledges")
    @filter_options
    def export_pledges_command(fmt: str, output: Path | None, **options: Any) -> None:
        """Every pledge, one row each, with names, source URL and evidence."""
        from tracker.exports import export_pledges

        with session_scope() as session:
            filters = build_filters(session, options)
            write_output(export_pledges(session, filters, fmt), output)

    @main.command("import-table")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--mapping",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="YAML or JSON column mapping for a foreign table.",
    )
    @click.option("--dry-run", is_flag=True, help="Print the changes; write nothing.")
    def import_table_command(file: Path, mapping: Path | None, dry_run: bool) -> None:
        """Import pledges from a CSV or XLSX table (our pledges export, or mapped)."""
        from tracker.importers.mapping import Mapping, MappingError
        from tracker.importers.table import TableImportError, import_table_file

        try:
            rules = Mapping.load(mapping) if mapping else None
            with session_scope(write=True) as session:
                result = import_table_file(session, file, mapping=rules, dry_run=dry_run)
                if dry_run:
                    session.rollback()
        except MappingError as error:
            raise click.ClickException(str(error)) from error
        except TableImportError as error:
            for problem in error.problems:
                click.echo(f"{file.name}: {problem}", err=True)
            raise click.ClickException(
                f"{len(error.problems)} problem(s) in {file.name}: nothing was imported"
            ) from error
        for line in result.changes if dry_run else ():
            click.echo(line)
        click.echo(result.summary())

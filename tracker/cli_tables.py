"""The table commands of `tracker`: `export totals`, `export pledges`, `import-table`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from tracker.cli_users import USER_OPTION_HELP, acting_user
from tracker.reference import KINDS, STAGES

BY_CHOICES = ("donor", "group", "kind", "item", "category", "stage", "month")


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The web's filter vocabulary as options (tracker.services.filter_args reads both)."""
    from tracker.services.filter_args import FILTER_HELP as HELP

    options = [
        click.option("--from", "start", help=HELP["from"]),
        click.option("--to", "end", help=HELP["to"]),
        click.option("--donor", "donors", multiple=True, help=HELP["donor"]),
        click.option("--group", help=HELP["group"]),
        click.option("--kind", type=click.Choice(KINDS)),
        click.option("--stage", type=click.Choice(STAGES)),
        click.option("--recipient", help=HELP["recipient"]),
        click.option("--item", help=HELP["item"]),
        click.option("--category", help=HELP["category"]),
        click.option("--source", help=HELP["source"]),
        click.option("--q", "text", help=HELP["q"]),
        click.option("--reviewed-only", is_flag=True, help="Only pledges an analyst reviewed."),
        click.option("--unreviewed-only", is_flag=True, help="Only pledges awaiting review."),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(("csv", "xlsx", "json")),
            default="csv",
            show_default=True,
        ),
        click.option("--excel", is_flag=True, help="CSV with a byte-order mark, for Excel."),
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


OPTION_ARGS = {
    "start": "from", "end": "to", "donors": "donor", "group": "group", "kind": "kind",
    "stage": "stage", "recipient": "recipient", "item": "item", "category": "category",
    "source": "source", "text": "q",
}  # fmt: skip


def build_filters(session: Session, options: dict[str, Any]) -> Any:
    """A TotalsFilter from the command's options, read by the web's parser; a bad value
    stops the command with status 2 naming the option."""
    from tracker.services.filter_args import FilterError, filters_from_args

    if options["reviewed_only"] and options["unreviewed_only"]:
        raise click.BadParameter(
            "choose one of them", param_hint="--reviewed-only/--unreviewed-only"
        )
    args: dict[str, Any] = {
        name: options[option] for option, name in OPTION_ARGS.items() if options[option]
    }
    if options["reviewed_only"] or options["unreviewed_only"]:
        args["reviewed"] = "1" if options["reviewed_only"] else "0"
    try:
        return filters_from_args(args, session)
    except FilterError as error:
        hint = "--reviewed-only" if error.field == "reviewed" else f"--{error.field}"
        raise click.BadParameter(str(error), param_hint=hint) from error


def _umask() -> int:
    """The process's file mode creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(chunks: Iterator[bytes], output: Path | None) -> None:
    """Write the export to `output`, or to standard output. A file is written whole or not
    at all: into a new file beside it, renamed over it once complete (a pipe or device
    such as /dev/stdout is written to directly); a folder that does not exist, a full disk
    or a file that cannot be written stops with one line."""
    if output is None or (output.exists() and not output.is_file()):
        with nullcontext(sys.stdout.buffer) if output is None else output.open("wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
        return
    partial: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=output.parent, prefix=f".{output.name}.", suffix=".partial", delete=False
        ) as file:
            partial = Path(file.name)
            for chunk in chunks:
                file.write(chunk)
        partial.chmod(0o666 & ~_umask())  # as a file opened for writing would be
        partial.replace(output)
    except OSError as error:
        if partial is not None:
            partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise click.ClickException(f"cannot write {output}: {reason}") from None
    click.echo(f"Wrote {output}", err=True)


def register(main: click.Group, session_scope: Callable[..., Any]) -> None:
    """Add the export and import-table commands to `main`."""

    @main.group()
    def export() -> None:
        """Write totals or pledges as CSV, XLSX or JSON."""

    @export.command("totals")
    @click.option("--by", type=click.Choice(BY_CHOICES), default="donor", show_default=True)
    @filter_options
    def export_totals_command(
        by: str, fmt: str, excel: bool, output: Path | None, **options: Any
    ) -> None:
        """Totals grouped by donor, group, kind, item, category, stage or month."""
        from tracker.exports import export_totals

        with session_scope() as session:
            filters = build_filters(session, options)
            write_output(export_totals(session, by, filters, fmt, excel=excel), output)

    @export.command("pledges")
    @filter_options
    def export_pledges_command(fmt: str, excel: bool, output: Path | None, **options: Any) -> None:
        """Every pledge, one row each, with names, source URL and evidence."""
        from tracker.exports import export_pledges

        with session_scope() as session:
            filters = build_filters(session, options)
            write_output(export_pledges(session, filters, fmt, excel=excel), output)

    @main.command("import-table")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--mapping",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="YAML or JSON column mapping for a foreign table.",
    )
    @click.option("--dry-run", is_flag=True, help="Print the changes; write nothing.")
    @click.option(
        "--reviewed",
        is_flag=True,
        help="A curated table: its new pledges are imported as reviewed, not queued.",
    )
    @click.option("--user", "username", help=USER_OPTION_HELP)
    def import_table_command(
        file: Path, mapping: Path | None, dry_run: bool, reviewed: bool, username: str | None
    ) -> None:
        """Import pledges from a CSV or XLSX table (our pledges export, or mapped)."""
        from tracker.importers.mapping import Mapping, MappingError
        from tracker.importers.table import TableImportError, import_table_file

        try:
            rules = Mapping.load(mapping) if mapping else None
            with session_scope(write=True) as session:
                result = import_table_file(
                    session, file, mapping=rules, dry_run=dry_run, reviewed=reviewed,
                    user=acting_user(session, username),
                )  # fmt: skip
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

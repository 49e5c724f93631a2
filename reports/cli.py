"""`qamqor report` and `qamqor demo-data`.

Mounted by the serving CLI (bot/cli.py), which hands down, as the click context object, how
to get the database URL: reports sit below the bot and do not read its settings."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import click

from reports.export import FORMATS
from reports.period import Period, PeriodError

# Set by the `qamqor` group: the database URL from the bot's settings, read when a command runs.
DatabaseUrl = Callable[[], str]


@click.command("report")
@click.option(
    "--from", "first", metavar="YYYY-MM-DD", help="First day (Almaty); default 30 days ago."
)
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Last day, inclusive; default today.")
@click.option("--format", "form", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--kind",
    type=click.Choice(["registry", "summary", "grant"]),
    default="summary",
    show_default=True,
    help="registry: a row per contact; summary: indicators by month; "
    "grant: the grant report's tables with plan against actual.",
)
@click.option("--lang", type=click.Choice(["ru", "kk"]), default="ru", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output).",
)
@click.pass_obj
def report(
    database_url: DatabaseUrl,
    first: str | None,
    last: str | None,
    form: str,
    kind: str,
    lang: str,
    out: Path | None,
) -> None:
    """Export the registry, the monthly summary or the grant tables of a period (CSV/XLSX)."""
    from core.clock import SystemClock
    from reports.download import build
    from reports.figures import Figures
    from storage.db import Database

    url = database_url()
    try:
        period = Period.parse(first, last, SystemClock().now())
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from exc
    if out is None and form == "xlsx" and sys.stdout.isatty():
        raise click.UsageError("XLSX is binary: give --out FILE (or redirect the output).")

    async def go() -> bytes:
        database = Database(url)
        try:
            await database.upgrade()
            return await build(Figures(database), kind, period, lang, form)
        finally:
            await database.dispose()

    body = asyncio.run(go())
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        out.write_bytes(body)
        click.echo(f"{kind} {period} → {out} ({len(body)} bytes)", err=True)


@click.command("demo-data")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True)
@click.option("--seed", type=int, default=150, show_default=True, help="Same seed, same data.")
@click.option(
    "--force",
    is_flag=True,
    help="Add even though the registry already has contacts (only on a database for trying out).",
)
@click.pass_obj
def demo_data(database_url: DatabaseUrl, days: int, seed: int, force: bool) -> None:
    """Fill an empty registry with a generated month of anonymous contacts."""
    from core.clock import SystemClock
    from reports.demo import DemoRefused, fill
    from storage.db import Database

    url = database_url()

    async def go() -> int:
        database = Database(url)
        try:
            await database.upgrade()
            return await fill(database, days=days, seed=seed, now=SystemClock().now(), force=force)
        finally:
            await database.dispose()

    try:
        added = asyncio.run(go())
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"added {added} generated contacts over the last {days} days (seed {seed})")

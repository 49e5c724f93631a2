"""The `qamqor` command."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from bot.logs import setup_logging
from bot.settings import ConfigError, Settings

log = logging.getLogger("qamqor")


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        raise click.UsageError(
            f"bad setting: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}"
        ) from exc


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Qamqor: the messenger front door of line 150 and the family service."""
    ctx.obj = lambda: _settings().database  # reports/cli.py reads the database URL through it


@main.command()
@click.option("--lang", type=click.Choice(["ru", "kk"]), help="Language to talk in.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file to use instead of the default.",
)
@click.option("--new", is_flag=True, help="Start as a fresh anonymous user.")
def chat(lang: str | None, db_path: Path | None, new: bool) -> None:
    """Talk to the bot in this terminal (or script it through standard input)."""
    settings = _settings(
        database_url=f"sqlite+aiosqlite:///{db_path.resolve()}" if db_path else None
    )
    setup_logging("WARNING")
    try:
        asyncio.run(_chat(settings, lang, new))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        pass


async def _chat(settings: Settings, lang: str | None, new: bool) -> None:
    from bot.app import App
    from bot.channels.console import ConsoleChannel, console_user

    app = await App.create(settings)
    try:
        user = console_user(settings.data_dir, new)
        await ConsoleChannel(app.conversations, user).run(lang)
    finally:
        await app.close()


@main.command()
def run() -> None:
    """Start every configured channel and the HTTP server."""
    settings = _settings()
    setup_logging(settings.log_level, json_lines=True)
    if not settings.telegram_configured() and not settings.whatsapp_configured():
        click.echo(
            "No channel is configured: set QAMQOR_TELEGRAM_TOKEN and/or QAMQOR_WHATSAPP_TOKEN "
            "(see .env.example), or talk to the bot locally with `qamqor chat`.",
            err=True,
        )
        sys.exit(2)
    try:
        if settings.telegram_configured():
            settings.check_telegram()
        if settings.whatsapp_configured():
            settings.check_whatsapp()
        from bot.loop import run  # urgent work's next step first (bot/loop.py)

        run(_run(settings))
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


@main.command()
def web() -> None:
    """Serve only the staff pages and health checks (no messenger channel needed)."""
    settings = _settings()
    setup_logging(settings.log_level, json_lines=True)
    try:
        asyncio.run(_run(settings, channels=False))
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


async def _run(settings: Settings, *, channels: bool = True) -> None:
    from aiohttp import web

    from bot.app import App
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.whatsapp.channel import WhatsAppChannel
    from bot.heap import freeze_startup_heap
    from bot.web.server import make_web_app

    await _migrate_apart(settings)
    app = await App.create(settings)
    telegram = whatsapp = None
    if channels and settings.telegram_configured():
        telegram = TelegramChannel(app)
        app.closers.append(telegram.close)
    if channels and settings.whatsapp_configured():
        whatsapp = WhatsAppChannel(app)
        whatsapp.inbox.start()  # what a previous run left in the inbox
        app.closers.append(whatsapp.close)
        log.info("WhatsApp: webhook at /whatsapp/webhook, Graph API %s", settings.whatsapp_api_base)
    runner = web.AppRunner(make_web_app(app, telegram, whatsapp), access_log=None)
    await runner.setup()
    site = web.TCPSite(
        runner, settings.http_host, settings.http_port, reuse_port=settings.http_reuse_port or None
    )
    await site.start()
    freeze_startup_heap()  # after start-up, before the first update: no full GC walks it
    log.info("HTTP server on http://%s:%s", settings.http_host, settings.http_port)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    app.jobs.start()
    polling = None
    if telegram is not None and settings.telegram_mode == "polling":
        polling = asyncio.create_task(telegram.start_polling())
        log.info("Telegram: long polling %s", settings.telegram_api_base)
    elif telegram is not None:
        await telegram.register_webhook()
        log.info("Telegram: webhook at /telegram/webhook")
    try:
        waiter = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait(
            {waiter, *({polling} if polling else set())}, return_when=asyncio.FIRST_COMPLETED
        )
        if polling in done and polling is not None and polling.exception():
            raise polling.exception()  # type: ignore[misc]
    finally:
        if polling is not None and telegram is not None:
            await telegram.stop_polling()
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        await runner.cleanup()
        await app.close()
        log.info("stopped")


async def _migrate_apart(settings: Settings) -> None:
    """Pending migrations run in a short-lived `qamqor db upgrade` process: Alembic (~10 MB)
    then never loads into a serving process, which would keep it for its whole life. On a
    database already at the head this is one query; App.create checks again either way."""
    from storage.db import Database

    database = Database(settings.database)
    try:
        if await database.at_head():
            return
    finally:
        await database.dispose()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "db",
        "upgrade",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode:
        tail = err.decode(errors="replace").strip()[-2000:]
        raise click.ClickException(f"database migrations failed (qamqor db upgrade):\n{tail}")


@main.group()
def staff() -> None:
    """Staff accounts for the web pages (bookings, consultants' console, reports)."""


@staff.command("add")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["consultant", "coordinator", "specialist", "admin"]),
    help="Repeat for several roles.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def staff_add(username: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create a staff account, or reset its password and roles."""
    from core.clock import SystemClock
    from staffweb.auth import AuthError, StaffAuth
    from storage.db import Database

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = _settings()

    async def go() -> None:
        database = Database(settings.database)
        try:
            await database.upgrade()
            await StaffAuth(database).add_user(username, password, roles, SystemClock().now())
        finally:
            await database.dispose()

    try:
        asyncio.run(go())
    except AuthError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"staff account {username.lower()} saved with roles {', '.join(sorted(roles))}")


@staff.command("list")
def staff_list() -> None:
    """List staff accounts and their roles."""
    from staffweb.auth import StaffAuth
    from storage.db import Database

    settings = _settings()

    async def go() -> list[tuple[str, str, bool]]:
        database = Database(settings.database)
        try:
            await database.upgrade()
            return await StaffAuth(database).users()
        finally:
            await database.dispose()

    for name, roles, active in asyncio.run(go()):
        click.echo(f"{name}\t{roles}\t{'active' if active else 'disabled'}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations (the bot also does this on start)."""
    from storage.db import Database

    settings = _settings()

    async def go() -> None:
        database = Database(settings.database)
        try:
            await database.upgrade()
        finally:
            await database.dispose()

    asyncio.run(go())
    click.echo("database is up to date")


@main.group()
def flows() -> None:
    """The dialogue flows."""


@flows.command("table")
@click.option("--check", is_flag=True, help="Fail if docs/flows.md is out of date.")
def flows_table(check: bool) -> None:
    """Write docs/flows.md: every step, text, button and transition, for counsellors."""
    from dialogues.table import main as table_main

    sys.exit(table_main(["--check"] if check else []))


@main.group()
def contacts() -> None:
    """The directory of help contacts (see docs/contacts.md)."""


@contacts.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def contacts_check(path: Path) -> None:
    """Validate a contacts file; list schema errors and the entries not shown until verified."""
    from dialogues.directory import check_file

    _, report = check_file(path)
    for error in report.errors:
        click.echo(f"error: {error}")
    if report.unverified:
        click.echo(f"not shown until verified ({len(report.unverified)}):")
        for entry_id in report.unverified:
            click.echo(f"  {entry_id}")
    click.echo(f"{report.shown} entries will be shown; {len(report.errors)} errors")
    sys.exit(1 if report.errors else 0)


@contacts.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def contacts_import(path: Path) -> None:
    """Load a contacts file into the live directory: upsert by id (audited as the system)."""
    from bot.directory_transfer import import_contacts, read
    from dialogues.directory import DirectoryError

    try:
        found = read(path)
    except (DirectoryError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    changed = asyncio.run(import_contacts(_settings(), found))
    click.echo(f"{len(changed)} entries added or changed" + "".join(f"\n  {i}" for i in changed))


@contacts.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def contacts_export(path: Path) -> None:
    """Write the live directory to a contacts file (importing it back changes nothing)."""
    from bot.directory_transfer import export_text

    text, count = asyncio.run(export_text(_settings()))
    path.write_text(text, encoding="utf-8")
    click.echo(f"{count} entries written to {path}")


def _mount_optional() -> None:
    with contextlib.suppress(ImportError):
        from nlu.cli import nlu_group

        main.add_command(nlu_group, "nlu")


_mount_optional()


def _mount_reports() -> None:
    from reports.cli import demo_data, report

    main.add_command(report)
    main.add_command(demo_data)


_mount_reports()

if __name__ == "__main__":
    main()

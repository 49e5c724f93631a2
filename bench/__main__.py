"""`python -m bench ...`: every benchmark under one command (docs/benchmarks.md).

A development tool: the serving CLI (`qamqor`, bot/cli.py) does not import it, nor the fakes
in devtools/ that the benchmarks run against."""

from __future__ import annotations

import click

_PASS_ARGS = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


@click.group()
def main() -> None:
    """Benchmarks that print figures (the last line is JSON)."""


@main.command("e2e")
@click.option("--workers", default=1, show_default=True, help="Bot processes on one port.")
@click.option("--duration", default=10.0, show_default=True, help="Seconds per phase.")
@click.option("--concurrency", default=32, show_default=True, help="Virtual users in flight.")
@click.option("--rate", default=200.0, show_default=True, help="Updates/s for the latency phase.")
@click.option("--users", default=2000, show_default=True, help="Distinct people.")
@click.option("--database-url", help="PostgreSQL URL (default: a fresh SQLite file).")
@click.option("--redis-url", help="Redis URL for shared state (several workers).")
@click.option("--profile", help="Write a pyinstrument profile of the bot process here.")
def e2e(
    workers: int,
    duration: float,
    concurrency: int,
    rate: float,
    users: int,
    database_url: str | None,
    redis_url: str | None,
    profile: str | None,
) -> None:
    """The bot in webhook mode under load against a fake Bot API, beside an echo bot."""
    from bench.e2e import main as run_bench

    if workers > 1 and not database_url:
        raise click.UsageError("several workers need --database-url (PostgreSQL)")
    run_bench(
        workers=workers,
        duration=duration,
        concurrency=concurrency,
        rate=rate,
        users=users,
        database_url=database_url,
        redis_url=redis_url,
        profile=profile,
    )


@main.command("burst")
@click.option("--people", default=300, show_default=True, help="Distinct people.")
@click.option("--per-person", default=2, show_default=True, help="Messages each.")
@click.option("--urgent", default=0.2, show_default=True, help="Share of urgent messages.")
@click.option("--spread", default=2.0, show_default=True, help="Seconds the burst lasts.")
@click.option("--workers", default=1, show_default=True, help="Bot processes on one port.")
@click.option("--database-url", help="PostgreSQL URL, a fresh database (default: SQLite).")
@click.option("--redis-url", help="Redis URL, an empty database (shares the send budget).")
@click.option("--send-per-s", default=30.0, show_default=True, help="The bot's Telegram budget.")
def burst(
    people: int,
    per_person: int,
    urgent: float,
    spread: float,
    workers: int,
    database_url: str | None,
    redis_url: str | None,
    send_per_s: float,
) -> None:
    """A burst beyond Telegram's limits (enforced by the fake): delayed, never dropped."""
    from bench.burst import main as run_burst

    if workers > 1 and not (database_url and redis_url):
        raise click.UsageError("several workers need --database-url and --redis-url")
    run_burst(
        people=people,
        per_person=per_person,
        urgent_share=urgent,
        spread=spread,
        workers=workers,
        database_url=database_url,
        redis_url=redis_url,
        send_per_s=send_per_s,
    )


@main.command("growth")
@click.option("--database-url", help="PostgreSQL URL (default: a fresh SQLite file).")
@click.option("--turns", "turns_n", default=1000, show_default=True, help="Turns per phase.")
@click.option("--users", default=200, show_default=True, help="Distinct people per phase.")
def growth(database_url: str | None, turns_n: int, users: int) -> None:
    """The cost of a message on an empty database and on a year of generated data."""
    from bench.growth import main as run_growth

    run_growth(database_url=database_url, turns_n=turns_n, users=users)


@main.command("danger", context_settings=_PASS_ARGS)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def danger(args: tuple[str, ...]) -> None:
    """The danger corpus end to end through the webhook (`--help` for its options)."""
    from bench.danger import main as run_danger

    run_danger(list(args))


@main.command("profile-turn", context_settings=_PASS_ARGS)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def profile_turn(args: tuple[str, ...]) -> None:
    """Turns in-process, profiled (`--help` for its options)."""
    from bench.profile_turn import main as run_profile

    run_profile(list(args))


@main.command("login-flood", context_settings=_PASS_ARGS)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def login_flood(args: tuple[str, ...]) -> None:
    """Sign-in attempts flooding the staff site beside the bot (`--help` for its options)."""
    from bench.login_flood import main as run_flood

    run_flood(list(args))


if __name__ == "__main__":
    main()

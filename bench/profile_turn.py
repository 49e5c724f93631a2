"""Profile turns in-process: App.create + Conversations.handle in a loop (no HTTP, no aiogram).

    python -m bench.profile_turn [--turns 2000] [--database-url URL] [--html out.html]

Prints the mean cost of a turn and pyinstrument's call tree; what it shows is the bot's own
cost per message (storage round trips, NLU, dialogue), without the transport.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from bench.messages import CALM_KK, CALM_RU, URGENT
from core.messages import Inbound


async def _turns(url: str | None, turns: int, users: int, profile: bool, html: str | None) -> None:
    from bot.app import App
    from bot.settings import Settings

    with tempfile.TemporaryDirectory(prefix="qamqor-prof-") as data:
        kwargs: dict[str, object] = {
            "data_dir": Path(data),
            "secret_key": "profile-key-0123456789abcdef0123",
        }
        if url:
            kwargs["database_url"] = url
        settings = Settings(_env_file=None, **kwargs)  # type: ignore[call-arg, arg-type]
        app = await App.create(settings)
        rng = random.Random(3)
        conv = app.conversations

        async def one(i: int) -> None:
            user = 10_000 + i % users
            roll = rng.random()
            text = rng.choice(URGENT if roll < 0.1 else (CALM_KK if user % 3 == 0 else CALM_RU))
            await conv.handle(
                Inbound(
                    channel="telegram",
                    user_ref=str(user),
                    address=str(user),
                    at=app.clock.now(),
                    text="/start" if i < users else text,
                    message_id=str(i + 1),
                )
            )

        for i in range(min(users, 200)):  # warm up
            await one(i)
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled")
            profiler.start()
        t0 = time.perf_counter()
        for i in range(200, 200 + turns):
            await one(i)
        elapsed = time.perf_counter() - t0
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            if html:
                Path(html).write_text(profiler.output_html())  # noqa: ASYNC240
        print(f"{turns} turns: {elapsed / turns * 1000:.2f} ms per turn")
        await app.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--database-url")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--html")
    args = parser.parse_args(argv)
    asyncio.run(_turns(args.database_url, args.turns, args.users, not args.no_profile, args.html))


if __name__ == "__main__":
    main()

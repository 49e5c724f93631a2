"""Running the bot's Telegram channel in tests: settings, webhook and polling harnesses."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import ClientSession

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from devtools.fake_telegram import FakeBotAPI
from tests.conftest import TEST_KEY
from tests.web_helpers import serve


def bot_settings(tmp_path: Path, api: FakeBotAPI, db_url: str, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=db_url,
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        telegram_token=api.token,  # type: ignore[arg-type]
        telegram_api_base=api.base_url,
        **extra,  # type: ignore[arg-type]
    )


WEBHOOK_SECRET = "webhook-secret-0123456789"


def webhook_settings(
    tmp_path: Path, api: FakeBotAPI, db_url: str | None = None, **extra: object
) -> Settings:
    """Webhook mode with WEBHOOK_SECRET; SQLite in tmp_path unless `db_url` is given."""
    return bot_settings(
        tmp_path,
        api,
        db_url or f"sqlite+aiosqlite:///{tmp_path}/t.db",
        telegram_mode="webhook",
        webhook_secret=WEBHOOK_SECRET,
        **extra,
    )


@contextlib.asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[tuple[TelegramChannel, str]]:
    """The bot's HTTP app in webhook mode, served on 127.0.0.1: (channel, base URL)."""
    app = await App.create(settings)
    channel = TelegramChannel(app)
    try:
        async with serve(app, channel) as base:
            yield channel, base
    finally:
        await channel.close()
        await app.close()


@contextlib.asynccontextmanager
async def polling_bot(settings: Settings) -> AsyncIterator[TelegramChannel]:
    """The bot long-polling the (fake) Bot API; the App is `channel.app`."""
    app = await App.create(settings)
    channel = TelegramChannel(app)
    task = asyncio.create_task(channel.start_polling())
    try:
        yield channel
    finally:
        await channel.stop_polling()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await channel.close()
        await app.close()


# -- the real process (`qamqor run` as a subprocess) --------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update({"QAMQOR_DATA_DIR": str(tmp_path / "data"), "QAMQOR_SECRET_KEY": TEST_KEY})
    env.update({f"QAMQOR_{k.upper()}": v for k, v in values.items()})
    return env


async def wait_healthy(port: int) -> None:
    async with ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError("qamqor run did not come up")


class BotProcess:
    """`qamqor run` as a real subprocess on a free port, for kill -9 and restart tests; the
    channel comes from ``settings`` (QAMQOR_* values), its webhook at ``path``."""

    def __init__(self, tmp_path: Path, path: str, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{path}"
        self.env = process_env(
            tmp_path, http_port=str(self.port), inbox_lease_s="3", log_level="WARNING", **settings
        )
        self.cwd = tmp_path
        self.log = (tmp_path / "bot.log").open("ab")
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=self.env,
            cwd=self.cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=self.log,
        )
        await wait_healthy(self.port)

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            await asyncio.wait_for(self.proc.wait(), 30)
        self.log.close()

"""A person on WhatsApp, for end-to-end tests: sends signed webhooks, presses by label, reads.

Flows written later (booking, handoff) append their steps to a conversation with `say`,
`press` and `texts`, exactly like the existing ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.render import MAX_ROW_TITLE, fit
from bot.settings import Settings
from core.clock import Clock
from delivery.models import OutboxRow
from devtools.fake_graph import FakeGraphAPI, Sent
from tests.conftest import TEST_KEY
from tests.web_helpers import serve

VERIFY_TOKEN = "verify-token-0123456789"


def wa_settings(tmp_path: Path, graph: FakeGraphAPI, db_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": db_url,
        "secret_key": TEST_KEY,
        "whatsapp_token": graph.token,
        "whatsapp_phone_id": graph.phone_id,
        "whatsapp_app_secret": graph.app_secret,
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_api_base": graph.api_base,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Bot:
    app: App
    channel: WhatsAppChannel
    base: str

    @property
    def url(self) -> str:
        return f"{self.base}/whatsapp/webhook"


@contextlib.asynccontextmanager
async def whatsapp_bot(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Bot]:
    app = await App.create(settings, clock=clock)
    assert settings.whatsapp_token and settings.whatsapp_phone_id
    client = WhatsAppClient(
        settings.whatsapp_api_base,
        settings.whatsapp_phone_id,
        settings.whatsapp_token.get_secret_value(),
        backoff=0.01,
        max_backoff=0.05,
    )
    channel = WhatsAppChannel(app, client)
    try:
        async with serve(app, None, channel) as base:
            yield Bot(app, channel, base)
    finally:
        await channel.close()
        await app.close()


async def replies_sent(app: App, timeout: float = 5.0) -> None:
    """Wait (a while) for the turn replies the outbox still holds: queued behind a message
    to the same person (paced a second apart), or being retried."""
    deadline = time.monotonic() + timeout
    query = (
        select(func.count())
        .select_from(OutboxRow)
        .where(OutboxRow.kind == "whatsapp.reply", OutboxRow.state.in_(("pending", "sending")))
    )
    while time.monotonic() < deadline:
        async with app.db.session() as s:
            if not await s.scalar(query):
                return
        await asyncio.sleep(0.05)


@dataclass
class WhatsAppUser:
    graph: FakeGraphAPI
    bot: Bot
    wa_id: str
    last: list[Sent] = field(default_factory=list)
    _seen: int = 0

    async def send(self, payload: dict[str, Any]) -> list[Sent]:
        status, body = await self.graph.post_webhook(self.bot.url, payload)
        assert status == 200, body
        await self.bot.channel.idle()
        await replies_sent(self.bot.app)
        mine = self.graph.to(self.wa_id)
        self.last = mine[self._seen :]
        self._seen = len(mine)
        return self.last

    async def say(self, text: str) -> list[Sent]:
        return await self.send(self.graph.text(self.wa_id, text))

    async def press(self, label: str) -> list[Sent]:
        """Press a reply button or pick a list row by its (full) label, on the latest menu."""
        for sent in reversed(self.graph.to(self.wa_id)):
            for option_id, title, description in sent.options():
                if label in (title, description) or fit(label, MAX_ROW_TITLE) == title:
                    kind = sent.body["interactive"]["type"]
                    if kind == "button":
                        return await self.send(
                            self.graph.button_reply(self.wa_id, option_id, title)
                        )
                    return await self.send(
                        self.graph.list_reply(self.wa_id, option_id, title, description or None)
                    )
        raise AssertionError(f"no option {label!r} in {self.options()}")

    async def expect(self, *fragments: str, timeout: float = 20) -> list[Sent]:
        """Wait for a proactive message (through the outbox) containing one of `fragments`;
        `last` becomes everything that arrived since the previous look."""
        deadline = time.monotonic() + timeout
        while True:
            new = self.graph.to(self.wa_id)[self._seen :]
            if any(f in s.text for s in new for f in fragments):
                self.last = new
                self._seen += len(new)
                return new
            if time.monotonic() > deadline:
                raise AssertionError(f"no {fragments!r} in {[s.text for s in new]}")
            await asyncio.sleep(0.05)

    def text(self) -> str:
        return "\n".join(s.text for s in self.last)

    def options(self) -> list[str]:
        return [description or title for s in self.last for _, title, description in s.options()]

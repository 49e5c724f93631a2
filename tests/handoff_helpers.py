"""A bot with live handoff against the fake Bot API: settings, a running channel, lookups."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from core.clock import Clock
from devtools.fake_telegram import FakeBotAPI
from handoff.linking import Linked
from handoff.relay import Consultant
from tests.conftest import TEST_KEY

GROUP = -1001500150
PERSON = 515151
CONSULTANT = 900001
COLLEAGUE = 900002


def handoff_settings(tmp_path: Path, api: FakeBotAPI, db_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": db_url,
        "secret_key": TEST_KEY,
        "telegram_token": api.token,
        "telegram_api_base": api.base_url,
        "consultants_chat_id": str(GROUP),
        "staff_cookie_secure": False,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running(
    settings: Settings, clock: Clock | None = None
) -> AsyncIterator[tuple[App, TelegramChannel]]:
    app = await App.create(settings, clock=clock)
    channel = TelegramChannel(app)
    task = asyncio.create_task(channel.start_polling())
    try:
        yield app, channel
    finally:
        await channel.stop_polling()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()
        await channel.close()


def texts_to(api: FakeBotAPI, chat: int) -> list[str]:
    """Texts the bot delivered to a chat (successful sends only, oldest first)."""
    return [m.get("text", "") for m in api.bot_messages(chat)]


async def wait_text(api: FakeBotAPI, chat: int, fragment: str, timeout: float = 15) -> str:
    def found(a: FakeBotAPI) -> bool:
        return any(fragment in t for t in texts_to(a, chat))

    await api.wait_for(found, timeout)
    return next(t for t in texts_to(api, chat) if fragment in t)


async def wait_topic(api: FakeBotAPI, timeout: float = 15) -> int:
    await api.wait_for(lambda a: bool(a.topics[GROUP]), timeout)
    return max(api.topics[GROUP])


def topic_texts(api: FakeBotAPI, thread: int | None) -> list[str]:
    return [
        m.get("text", "") for m in api.bot_messages(GROUP) if m.get("message_thread_id") == thread
    ]


async def wait_topic_text(
    api: FakeBotAPI, thread: int | None, fragment: str, timeout: float = 15
) -> dict[str, Any]:
    def match(a: FakeBotAPI) -> dict[str, Any] | None:
        for m in a.bot_messages(GROUP):
            if m.get("message_thread_id") == thread and fragment in m.get("text", ""):
                return m
        return None

    await api.wait_for(lambda a: match(a) is not None, timeout)
    found = match(api)
    assert found is not None
    return found


def buttons(message: dict[str, Any]) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def web_consultant(app: App, name: str = "aigerim") -> Consultant:
    """A web console consultant backed by a real staff account (the audit log refers to it)."""
    from sqlalchemy import select

    from staffweb.auth import Staff
    from staffweb.models import StaffUser

    await app.staff.add_user(name, "correct horse battery", ["consultant"], app.clock.now())
    async with app.db.session() as s:
        staff_id = await s.scalar(select(StaffUser.id).where(StaffUser.username == name))
    assert staff_id is not None
    return Consultant(name, "web", Staff(staff_id, name, frozenset({"consultant"}), "x"))


async def link_telegram(
    app: App, tg_user: int, name: str, roles: tuple[str, ...] = ("consultant",)
) -> Linked | None:
    """A staff account whose Telegram account is linked, as `/link CODE` would do it;
    what the link allows (None: nothing, e.g. no consultant's role)."""
    assert app.desk is not None and app.desk.links is not None
    from sqlalchemy import select

    from staffweb.models import StaffUser

    now = app.clock.now()
    await app.staff.add_user(name, "correct horse battery", list(roles), now)
    async with app.db.session() as s:
        staff_id = await s.scalar(select(StaffUser.id).where(StaffUser.username == name))
    assert staff_id is not None
    code = await app.desk.links.new_code(staff_id, now)
    return await app.desk.links.redeem(code, tg_user, now)

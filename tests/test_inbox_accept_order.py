"""One person's updates run in the order they arrived, even when the first look at the first one
waits (the Rasa backend asks over HTTP; issue #21): a later message of the same chat is not
stored, claimed and answered before it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.pipeline import FirstLook
from devtools.fake_telegram import FakeBotAPI
from storage.models import Person
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings

FIRST, SECOND = "здравствуйте, первое", "и второе"


async def test_a_slow_first_look_keeps_one_persons_order(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    try:
        async with webhook_bot(webhook_settings(tmp_path, api)) as (channel, base):
            conversations = channel.app.conversations
            look = conversations.first_look

            async def slow_for_the_first(text: str | None, payload: str | None) -> FirstLook:
                if text == FIRST:
                    await asyncio.sleep(0.5)
                return await look(text, payload)

            conversations.first_look = slow_for_the_first  # type: ignore[method-assign]
            hook = f"{base}/telegram/webhook"

            async def post(text: str) -> int:
                status, _ = await api.post_to_webhook(
                    hook, api.user_message(77, text), WEBHOOK_SECRET
                )
                return status

            first = asyncio.create_task(post(FIRST))
            await asyncio.sleep(0.1)  # the second arrives while the first is being looked at
            assert await post(SECOND) == 200
            assert await first == 200
            assert channel.inbox is not None
            await channel.inbox.idle()
            async with channel.app.db.session() as s:
                person = int(await s.scalar(select(Person.id)) or 0)
            lines = await conversations.transcripts.recent(person, limit=10)
            inbound = [line.text for line in lines if line.direction == "in"]
            assert inbound == [FIRST, SECOND]
    finally:
        await api.stop()

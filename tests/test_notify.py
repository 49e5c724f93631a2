"""Proactive delivery: a step entered for a person reaches their Telegram chat."""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.settings import Settings
from core.messages import Inbound, Reply
from devtools.fake_telegram import FakeBotAPI
from tests.conftest import TEST_KEY
from tests.telegram_harness import polling_bot


async def test_enter_step_and_notify_reach_the_person(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        secret_key=TEST_KEY,  # type: ignore[call-arg, arg-type]
        telegram_token=api.token,
        telegram_api_base=api.base_url,
    )  # type: ignore[arg-type]
    bot = contextlib.AsyncExitStack()
    channel = await bot.enter_async_context(polling_bot(settings))
    app = channel.app
    try:
        api.user_message(77, "/start")
        await api.wait_sent(77, 1)
        outcome = await app.conversations.handle(
            Inbound("telegram", "77", app.clock.now(), text="/menu", address="77")
        )
        person = outcome.person_id
        assert person is not None
        replies = await app.conversations.enter_step(person, "feedback.start")
        assert await app.notifier.deliver(person, replies, "system") is not None
        assert await app.notifier.deliver(person, [Reply("напоминание")], "reminder") is not None
        texts = [m["text"] for m in api.sent(77)]
        assert texts[-1] == "напоминание" and any("анонимно" in t for t in texts[-3:-1])
        assert await app.notifier.deliver(999_999, [Reply("x")]) is None  # nobody
    finally:
        await bot.aclose()
        await api.stop()

"""Logs never contain message texts or platform user ids in clear."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

from bot.logs import JsonFormatter, Redact, setup_logging
from bot.settings import Settings
from devtools.fake_telegram import FakeBotAPI
from tests.conftest import TEST_KEY
from tests.telegram_harness import polling_bot

SECRET_TEXT = "меня зовут Гульнара Сапарова, муж бьёт"
USER_ID = 918273645


async def test_a_conversation_leaves_no_text_or_user_id_in_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    setup_logging("DEBUG", json_lines=True)
    caplog.set_level(logging.DEBUG)
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
    await bot.enter_async_context(polling_bot(settings))
    try:
        api.user_message(USER_ID, "/start")
        api.user_message(USER_ID, SECRET_TEXT)
        await api.wait_sent(USER_ID, 2)
        api.user_message(
            USER_ID,
            sticker={
                "file_id": "x",
                "file_unique_id": "y",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
        await asyncio.sleep(0.5)
    finally:
        await bot.aclose()
        await api.stop()
        logging.getLogger().setLevel(logging.WARNING)
    formatter = JsonFormatter()
    redact = Redact()
    logged = "\n".join(formatter.format(r) for r in caplog.records if redact.filter(r))
    assert caplog.records, "expected some log records"
    assert "Гульнара" not in logged and "бьёт" not in logged
    assert str(USER_ID) not in logged


def test_third_party_messages_quoting_payloads_are_redacted() -> None:
    record = logging.LogRecord(
        "aiogram.dispatcher",
        logging.ERROR,
        __file__,
        1,
        "Failed to fetch updates - Content: {'chat': {'id': %s}}",
        (USER_ID,),
        None,
    )
    Redact().filter(record)
    assert str(USER_ID) not in record.getMessage() and "redacted" in record.getMessage()

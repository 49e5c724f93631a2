"""The Telegram channel against a fake Bot API server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import ClientSession

from devtools.fake_telegram import FakeBotAPI
from tests.telegram_harness import (
    WEBHOOK_SECRET,
    bot_settings,
    free_port,
    polling_bot,
    process_env,
    wait_healthy,
    webhook_bot,
    webhook_settings,
)

USER = 424242
SECRET = WEBHOOK_SECRET


async def test_start_greeting_button_press_next_message(
    tmp_path: Path, api: FakeBotAPI, db_url: str
) -> None:
    async with polling_bot(bot_settings(tmp_path, api, db_url)):
        api.user_message(USER, "/start")
        (greeting,) = await api.wait_sent(USER, 1)
        assert "Сәлеметсіз бе" in greeting["text"]
        rows = greeting["reply_markup"]["inline_keyboard"]
        buttons = {b["text"]: b["callback_data"] for row in rows for b in row}
        assert {"Русский", "Қазақша", "🆘 Срочно / Шұғыл", "✖ Быстрый выход / Жылдам шығу"} <= set(
            buttons
        )

        api.button_press(USER, buttons["Қазақша"])
        sent = await api.wait_sent(USER, 2)
        assert sent[1]["text"].startswith("Сізге қалай көмектесе аламын?")
        assert any(c.method == "answerCallbackQuery" for c in api.calls)


async def test_quick_exit_deletes_both_sides_of_the_conversation(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    async with polling_bot(bot_settings(tmp_path, api, f"sqlite+aiosqlite:///{tmp_path}/t.db")):
        api.user_message(USER, "/start")
        await api.wait_sent(USER, 1)
        api.user_message(USER, "/menu")
        await api.wait_sent(USER, 2)
        assert len(api.chats[USER]) == 4  # two from the person, two from the bot
        api.button_press(USER, "!exit")
        await api.wait_sent(USER, 3)
        remaining = list(api.chats[USER].values())
        assert [m.get("text") for m in remaining] == ["Готово."]


async def test_the_same_update_delivered_twice_is_answered_once(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    settings = webhook_settings(tmp_path, api)
    async with webhook_bot(settings) as (channel, base):
        url = f"{base}/telegram/webhook"
        update = api.user_message(USER, "/start")
        assert (await api.post_to_webhook(url, update, SECRET))[0] == 200
        assert (await api.post_to_webhook(url, update, SECRET))[0] == 200
        assert channel.inbox is not None
        await channel.inbox.idle()
        assert len(api.sent(USER)) == 1

        # A forged request (no secret, wrong secret) is refused and not processed.
        forged = api.user_message(USER, "/help")
        assert (await api.post_to_webhook(url, forged, None))[0] == 401
        assert (await api.post_to_webhook(url, forged, "wrong-secret-000000000"))[0] == 401
        await channel.inbox.idle()
        assert len(api.sent(USER)) == 1

        async with ClientSession() as http:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(url, data=b"{not json", headers=headers) as resp:
                assert resp.status == 400
            async with http.post(url, data=b"x" * (2 << 20), headers=headers) as resp:
                assert resp.status == 413
            async with http.get(f"{base}/healthz") as resp:
                assert (await resp.json())["status"] == "ok"
            async with http.get(f"{base}/readyz") as resp:
                assert (await resp.json())["checks"]["database"] is True


async def test_stickers_and_voice_get_a_calm_text_only_reply(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    async with polling_bot(bot_settings(tmp_path, api, f"sqlite+aiosqlite:///{tmp_path}/t.db")):
        api.user_message(
            USER,
            sticker={
                "file_id": "x",
                "file_unique_id": "y",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )
        (reply, *_) = await api.wait_sent(USER, 1)
        assert "только текст" in reply["text"]


# -- the real process -------------------------------------------------------------------


def test_run_without_any_channel_says_so_and_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=process_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "No channel is configured" in result.stderr


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    env = process_env(tmp_path, telegram_token="123456:TEST-TOKEN", telegram_mode="webhook")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "QAMQOR_WEBHOOK_SECRET" in result.stderr


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_qamqor_run_serves_telegram(tmp_path: Path, api: FakeBotAPI, mode: str) -> None:
    port = free_port()
    env = process_env(
        tmp_path,
        telegram_token=api.token,
        telegram_api_base=api.base_url,
        telegram_mode=mode,
        webhook_secret=SECRET,
        http_port=str(port),
        webhook_url=f"http://127.0.0.1:{port}",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_healthy(port)
        update = api.user_message(USER, "/start")
        if mode == "webhook":
            assert api.webhook is not None and api.webhook["secret_token"] == SECRET
            status, _ = await api.post_to_webhook(api.webhook["url"], update, SECRET)
            assert status == 200
        (greeting,) = await api.wait_sent(USER, 1, timeout=20)
        assert "Сәлеметсіз бе" in greeting["text"]
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "Traceback" not in err.decode()


@pytest.mark.parametrize(
    ("status", "retry_after"), [(429, 1), (502, None), (500, None)], ids=["429", "502", "500"]
)
async def test_a_reply_the_bot_api_refuses_is_retried_and_sent_once(
    tmp_path: Path, api: FakeBotAPI, status: int, retry_after: int | None
) -> None:
    """The update is acknowledged once stored; the failed reply is retried (after
    retry_after on a 429) by the outbox and reaches the person exactly once."""
    settings = webhook_settings(tmp_path, api)
    async with webhook_bot(settings) as (channel, base):
        url = f"{base}/telegram/webhook"
        update = api.user_message(USER, "/start")
        api.fail_next("sendMessage", status=status, retry_after=retry_after)
        status_code, _ = await api.post_to_webhook(url, update, SECRET)
        assert status_code == 200  # stored: acknowledged at once, whatever the Bot API does
        await api.wait_for(lambda a: len(a.bot_messages(USER)) == 1, timeout=15)
        calls = [c for c in api.calls if c.method == "sendMessage"]
        assert len(calls) == 2
        if retry_after:
            assert calls[1].at - calls[0].at >= retry_after * 0.95  # honoured retry_after
        # A redelivery of the acknowledged update changes nothing.
        assert (await api.post_to_webhook(url, update, SECRET))[0] == 200
        assert channel.inbox is not None
        await channel.inbox.idle()
        await asyncio.sleep(0.3)
        assert len([c for c in api.calls if c.method == "sendMessage"]) == 2
        assert len(api.bot_messages(USER)) == 1


async def test_quick_exit_in_the_middle_of_the_safety_plan_erases_everything(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    """The shared-phone case: a plan note and a danger interrupt on screen, then one tap."""
    async with polling_bot(bot_settings(tmp_path, api, f"sqlite+aiosqlite:///{tmp_path}/t.db")):
        api.user_message(USER, "/start")
        await api.wait_sent(USER, 1)
        for data in ("start.welcome#ru", "menu.main#self", "victim.start#plan"):
            before = len(api.sent(USER))
            api.button_press(USER, data)
            await api.wait_for(lambda a, n=before: len(a.sent(USER)) > n)
        before = len(api.sent(USER))
        api.button_press(USER, "victim.safety_plan=documents")
        await api.wait_for(lambda a: len(a.sent(USER)) > before)
        api.button_press(USER, "victim.safety_plan#note")
        await api.wait_for(lambda a: any("Дела на неделю" in m["text"] for m in a.sent(USER)))
        api.user_message(USER, "помогите, он убьёт меня")
        await api.wait_for(lambda a: "Позвоните на 150" in a.sent(USER)[-1]["text"])
        assert len(api.chats[USER]) > 10  # the plan, the note, the numbers, her messages
        api.button_press(USER, "!exit")
        await api.wait_for(lambda a: a.sent(USER)[-1]["text"] == "Готово.")
        remaining = list(api.chats[USER].values())
        assert [m.get("text") for m in remaining] == ["Готово."]
        deleted = sum(
            len(c.params.get("message_ids", [])) if c.method == "deleteMessages" else 1
            for c in api.calls
            if c.method in ("deleteMessage", "deleteMessages")
        )
        assert deleted >= 10

"""Fuzzing the whole pipeline: random texts, payloads and Telegram updates never escape as errors.

Every input gets at most a bounded reply. (NLU is fuzzed on its own in tests/nlu.)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from bot.testing.fake_telegram import FakeBotAPI, bound_port
from bot.web.server import make_web_app
from dialogues.messages import Inbound
from tests.conftest import TEST_KEY

SECRET = "webhook-secret-0123456789"
MAX_REPLIES = 12
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Harness:
    """One app, one fake Bot API and one webhook server on a private event loop."""

    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.api = FakeBotAPI()
        self.loop.run_until_complete(self.api.start())
        cfg = Settings(
            _env_file=None,
            data_dir=tmp,
            secret_key=TEST_KEY,  # type: ignore[call-arg, arg-type]
            telegram_token=self.api.token,
            telegram_api_base=self.api.base_url,  # type: ignore[arg-type]
            telegram_mode="webhook",
            webhook_secret=SECRET,  # type: ignore[arg-type]
            flood_limit=10_000,
        )
        self.app = self.loop.run_until_complete(App.create(cfg))
        self.channel = TelegramChannel(self.app)
        self.runner = web.AppRunner(make_web_app(self.app, self.channel), access_log=None)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{bound_port(site)}/telegram/webhook"

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.runner.cleanup())
        self.run(self.channel.close())
        self.run(self.app.close())
        self.run(self.api.stop())
        self.loop.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    h = Harness(tmp_path_factory.mktemp("fuzz"))
    yield h
    h.close()


texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5000),
    st.sampled_from(
        ["/start", "/forget", "/lang", "/exit", "", " ", "\x00", "1", "🆘", "/start@x y"]
    ),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)
payloads = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "!urgent",
            "!exit",
            "!menu",
            "!lang=kk",
            "!lang=xx",
            "!resume",
            "menu.main#self",
            "safety.forget#yes",
            "start.welcome#kk",
            "x=y",
            "#",
            "=",
        ]
    ),
)


@FUZZ
@given(text=texts, payload=st.none() | payloads, user=st.integers(1, 5))
def test_random_texts_and_payloads_get_bounded_replies(
    harness: Harness, text: str, payload: str | None, user: int
) -> None:
    inbound = Inbound(
        "console",
        f"fuzz-{user}",
        harness.app.clock.now(),
        text=None if payload else text,
        payload=payload,
    )
    outcome = harness.run(harness.app.conversations.handle(inbound))
    assert len(outcome.replies) <= MAX_REPLIES
    assert all(len(r.text) <= 8000 for r in outcome.replies)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def updates(draw: st.DrawFn) -> Any:
    """Shapes near real updates (so that parsing goes deep) and plain junk."""
    user = draw(st.integers(-(2**40), 2**40))
    message = {
        "message_id": draw(st.integers(-5, 2**31)),
        "date": draw(st.integers(0, 2**32)),
        "chat": {
            "id": user,
            "type": draw(st.sampled_from(["private", "group", "supergroup", "x"])),
        },
        "from": {"id": user, "is_bot": draw(st.booleans()), "first_name": "A"},
    }
    if draw(st.booleans()):
        message["text"] = draw(texts)
    for key in draw(
        st.lists(
            st.sampled_from(
                [
                    "sticker",
                    "voice",
                    "photo",
                    "location",
                    "edit_date",
                    "reply_to_message",
                    "entities",
                ]
            ),
            max_size=2,
        )
    ):
        message[key] = draw(json_values)
    kind = draw(
        st.sampled_from(
            [
                "message",
                "edited_message",
                "callback_query",
                "channel_post",
                "my_chat_member",
                "junk",
            ]
        )
    )
    if kind == "callback_query":
        body: Any = {
            "id": "1",
            "from": message["from"],
            "chat_instance": "1",
            "data": draw(payloads),
            "message": message,
        }
    elif kind == "junk":
        return draw(json_values)
    else:
        body = message
    return {"update_id": draw(st.integers(-10, 2**40)), kind: body}


@FUZZ
@given(update=updates())
def test_random_updates_never_crash_the_webhook(harness: Harness, update: Any) -> None:
    async def post() -> int:
        async with (
            ClientSession() as http,
            http.post(
                harness.url,
                data=json.dumps(update),
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                    "Content-Type": "application/json",
                },
            ) as resp,
        ):
            return resp.status

    before = len(harness.api.calls)
    assert harness.run(post()) in (200, 400)
    assert len(harness.api.calls) - before <= MAX_REPLIES + 2

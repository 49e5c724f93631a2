"""Fuzzing the whole pipeline: random texts, payloads and Telegram updates never escape as errors.

Every input gets at most a bounded reply. Webhook updates are followed through processing (the
inbox drained), and any ERROR logged on the way fails the test: an update that crashed a turn
was acknowledged with 200 all the same. (NLU is fuzzed on its own in tests/nlu.)
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from bot.web.server import make_web_app
from core.messages import Inbound
from devtools.fake_telegram import FakeBotAPI, bound_port
from tests.conftest import TEST_KEY

SECRET = "webhook-secret-0123456789"
GROUP = -1001500150  # the consultants' group
MEMBER = 900001
MAX_REPLIES = 12
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


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
            consultants_chat_id=str(GROUP),
        )
        self.app = self.loop.run_until_complete(App.create(cfg))
        self.channel = TelegramChannel(self.app)
        self.runner = web.AppRunner(make_web_app(self.app, self.channel), access_log=None)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{bound_port(site)}/telegram/webhook"
        self.errors = _Errors()
        logging.getLogger().addHandler(self.errors)

    def settle(self) -> None:
        """Wait until every stored update was processed; fail on any ERROR logged meanwhile."""
        assert self.channel.inbox is not None
        self.run(self.channel.inbox.idle())
        if self.app.outbox is not None:
            self.run(self.app.outbox.run_once())  # replies the turn left to the worker
        errors, self.errors.records = self.errors.records, []
        assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors]

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.errors)
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
    # Lone surrogates: valid JSON escapes, not encodable as UTF-8 (nor encryptable).
    st.text(alphabet=st.characters(categories=["Cs", "Ll", "Zs"]), min_size=1, max_size=40),
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


# The consultants' card buttons: action, case id (any size), outcome.
card_data = st.builds(
    lambda action, case, rest: f"{action}:{case}{rest}",
    st.sampled_from(["hc:claim", "hc:close", "hc:back", "hc:out", "hc:x", "zz"]),
    st.integers(-(10**40), 10**40) | st.text(max_size=20),
    st.sampled_from(["", ":helped", ":bogus", ":"]),
)

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
    # Ids up to Telegram's range and far beyond (2^63 and more do not fit in a BIGINT).
    user = draw(st.integers(-(2**40), 2**40) | st.integers(-(10**30), 10**30))
    group = draw(st.booleans())
    message = {
        "message_id": draw(st.integers(-5, 2**31)),
        "date": draw(st.integers(0, 2**32)),
        "chat": {
            "id": GROUP if group else user,
            "type": "supergroup"
            if group
            else draw(st.sampled_from(["private", "group", "supergroup", "x"])),
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
            "data": draw(card_data if group else payloads),
            "message": message,
        }
    elif kind == "junk":
        return draw(json_values)
    else:
        body = message
    if group:
        message["from"] = {"id": MEMBER, "is_bot": False, "first_name": "A"}
        if draw(st.booleans()):
            message["message_thread_id"] = draw(st.integers(-(2**70), 2**70))
    update_id = draw(st.integers(-10, 2**40) | st.integers(2**62, 2**65))
    return {"update_id": update_id, kind: body}


def _known(kind: str) -> dict[str, Any]:
    """The inputs that once crashed processing (issue 22), always among the examples."""
    sender = {"id": 77, "is_bot": False, "first_name": "A"}
    message: dict[str, Any] = {"message_id": 1, "date": 0, "chat": {"id": 77, "type": "private"}}
    message["from"] = sender
    if kind == "claim":
        member = {"id": MEMBER, "is_bot": False, "first_name": "A"}
        card = {"message_id": 1, "date": 0, "chat": {"id": GROUP, "type": "supergroup"}}
        query = {"id": "9", "from": member, "chat_instance": "1", "message": card}
        return {"update_id": 7, "callback_query": {**query, "data": "hc:claim:" + "9" * 40}}
    if kind == "update_id":
        return {"update_id": 2**63, "message": {**message, "text": "привет"}}
    if kind == "user_id":
        return {"update_id": 8, "message": {**message, "from": {**sender, "id": 10**30}}}
    return {"update_id": 9, "message": {**message, "text": "\ud83d он убьёт меня"}}


@FUZZ
@given(update=updates())
@example(update=_known("claim"))
@example(update=_known("update_id"))
@example(update=_known("user_id"))
@example(update=_known("surrogate"))
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
    harness.settle()
    assert len(harness.api.calls) - before <= MAX_REPLIES + 2
    # The person's phone-lines fallback never lands in the consultants' group.
    assert all(p.get("text") != harness.channel.fallback.text for p in harness.api.sent(GROUP))


@pytest.mark.parametrize("depth", [10, 40, 1000, 100_000])
def test_deep_json_is_refused_before_parsing(harness: Harness, depth: int) -> None:
    """Nested arrays and objects: refused with 400 beyond the limit; the bot keeps going."""
    body = '{"update_id": 5, "message": ' + '{"a": [' * depth + "]}" * depth + "}"

    async def post() -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with ClientSession() as http, http.post(harness.url, data=body, headers=headers) as r:
            return r.status

    assert harness.run(post()) == 400
    harness.settle()

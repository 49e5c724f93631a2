"""Urgent deliveries go ahead of their destination's pace and of ordinary queued messages.

Asserted by sequence, never by time: the outbox's wall clock is frozen (a pace measured on it
would never let a second message through), the destinations' paces run on a clock the test
moves, and the platform's budget hands out tokens only when the test says so.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import select

from bot.channels.telegram.client import SendGate
from bot.channels.telegram.groups import TelegramGroups
from bot.inbox.runner import Turn
from bot.inbox.store import Claimed
from core.clock import FrozenClock
from core.messages import Button, Reply
from core.priority import OUTBOX_FIRST, OUTBOX_NORMAL, OUTBOX_POSSIBLE, OUTBOX_URGENT
from delivery.buckets import TokenBucket
from delivery.chatpace import GROUP_CHAT, PRIVATE_CHAT, ChatPace
from delivery.claims import LEASE, Delivery
from delivery.courier import Permanent, Retry
from delivery.models import OutboxRow
from delivery.notifier import dest_of as person_dest
from delivery.outbox import Outbox
from delivery.sendrate import SendBudget
from delivery.sendscope import URGENT
from devtools.fake_telegram import FakeBotAPI, Flood, TelegramLimits
from dialogues.engine import SAFETY_CHECK
from handoff.cases import CaseStore
from handoff.topics import Topics, dest_of
from storage.crypto import Vault
from storage.db import Database
from storage.models import Person
from tests.conftest import REDIS_SKIP, REDIS_UP, TEST_KEY
from tests.hand_bucket import HandBucket
from tests.handoff_helpers import handoff_settings, running

NOW = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
GROUP = -1001500150


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _until(check: Any, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("never happened")
        await asyncio.sleep(0.002)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/d.db")
    await database.upgrade()
    yield database
    await database.dispose()


def _outbox(db: Database) -> Outbox:
    return Outbox(db, Vault([TEST_KEY]), wall=FrozenClock(NOW))


async def _urgent_case(db: Database, cases: CaseStore, ref: str) -> Any:
    """A person and their urgent case, with its topic in the consultants' group."""
    async with db.session() as s, s.begin():
        person = Person(channel="telegram", ref_hash=ref * 64, created_at=NOW, last_seen_at=NOW)
        s.add(person)
        await s.flush()
        person_id = person.id
    return await cases.create(
        person_id=person_id,
        contact_id=None,
        reason="danger",
        urgent=True,
        danger="high",
        quiet=False,
        lang="ru",
        role="victim",
        region=None,
        details={},
        callback_at=None,
        topic_chat=GROUP,
        now=NOW,
    )


async def test_an_urgent_card_follows_its_topic_without_a_gap(
    db: Database, api: FakeBotAPI
) -> None:
    api.enforce(TelegramLimits())  # the fake answers 429 beyond Telegram's limits
    vault = Vault([TEST_KEY])
    cases = CaseStore(db, vault)
    case = await _urgent_case(db, cases, "p")
    outbox = _outbox(db)
    topics = Topics(outbox, cases, [GROUP])
    bot = Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    bot.session.middleware(SendGate(SendBudget(TokenBucket(30.0), "telegram", ChatPace())))
    topics.serve(TelegramGroups(bot))
    try:
        # The group had ordinary posts just now (as many as its pace lets ordinary ones have).
        for n in range(2):
            await outbox.enqueue(
                "group", dest_of(GROUP), {"chat": GROUP, "op": "send", "text": f"{n}"}
            )
        while await outbox.run_once():
            pass
        await topics.open(case, "K-1", "🔴 СРОЧНО", [[("✋ Взять", "claim")]])
        # The topic and its card are one row, sent by the process that opened the case: the
        # card follows at once, no gap, no worker pass, no 429.
        await outbox.idle()
        assert await outbox.run_once() == 0
        card = [c for c in api.calls if c.method == "sendMessage"][-1]
        assert card.params["text"].startswith("🔴 СРОЧНО")
        assert "message_thread_id" in card.params
        assert not api.too_many
        opened = await cases.get(case.id)
        assert opened is not None and opened.card_message_id is not None
        assert str(opened.topic_thread) == str(card.params["message_thread_id"])
    finally:
        await bot.session.close()


async def test_an_urgent_reply_overtakes_the_same_persons_ordinary_ones_by_its_lane(
    db: Database,
) -> None:
    outbox = _outbox(db)
    sent: list[str] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        sent.append(str(d.payload["text"]))
        return {}

    outbox.register("reply", handler)
    for n in range(5):
        await outbox.enqueue("reply", person_dest(1), {"text": f"ordinary {n}"})
    await outbox.enqueue("reply", person_dest(1, urgent=True), {"text": "urgent"}, priority=URGENT)
    await outbox.enqueue(
        "reply", person_dest(1, urgent=True), {"text": "urgent 2"}, priority=URGENT
    )
    while await outbox.run_once(limit=1):
        pass
    # Urgent first, in their order; then the ordinary ones, in theirs.
    assert sent == ["urgent", "urgent 2"] + [f"ordinary {n}" for n in range(5)]


async def test_a_destination_keeps_its_order_and_goes_as_urgently_as_its_most_urgent_row(
    db: Database,
) -> None:
    """The parts of one reply may differ in urgency (an urgent answer, then the step's menu):
    they never overtake one another, and the destination goes ahead of ordinary ones."""
    outbox = _outbox(db)
    sent: list[tuple[str, int]] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        sent.append((str(d.payload["text"]), d.priority))
        return {}

    outbox.register("reply", handler)
    for chat in range(10, 30):
        await outbox.enqueue("reply", person_dest(chat), {"text": f"to {chat}"})
    lane = person_dest(2, urgent=True)
    await outbox.enqueue("reply", lane, {"text": "part 1"})
    await outbox.enqueue("reply", lane, {"text": "part 2"}, priority=URGENT)
    await outbox.enqueue("reply", lane, {"text": "part 3"})
    while await outbox.run_once(limit=1):
        pass
    assert sent[:2] == [("part 1", URGENT), ("part 2", URGENT)]
    parts = [text for text, _ in sent if text.startswith("part")]
    assert parts == ["part 1", "part 2", "part 3"]
    assert ("part 3", 0) in sent  # nothing urgent behind it: an ordinary row again
    assert len(sent) == 23


async def test_a_quick_exit_withdraws_the_replies_never_handed_to_the_platform(
    db: Database,
) -> None:
    outbox = _outbox(db)
    async with db.session() as s, s.begin():
        person = Person(channel="telegram", ref_hash="q" * 64, created_at=NOW, last_seen_at=NOW)
        s.add(person)
        await s.flush()
        person_id = person.id
    async with db.transaction() as conn:  # a turn's own parts: attempted from their commit
        owned = await outbox.enqueue_owned(
            conn,
            "reply",
            person_dest(person_id),
            [({"text": "owned"}, 0)],
            person_id=person_id,
            tag="reply",
        )
    assert owned
    for text in ("paced 1", "paced 2"):  # queued behind it
        await outbox.enqueue("reply", person_dest(person_id), {"text": text}, person_id=person_id)
    await outbox.enqueue(
        "reply", person_dest(person_id, urgent=True), {"text": "lane"}, person_id=person_id
    )
    async with db.transaction() as conn:
        assert await outbox.drop_unsent_in(conn, "reply", person_id) == 3
    assert await outbox.pending() == 1  # the part that may already be on the screen stays


def _budgeted(
    db: Database,
) -> tuple[Outbox, HandBucket, SendBudget, list[str], Callable[[Delivery], Awaitable[Any]]]:
    """An outbox whose handler waits for the platform's budget (tokens handed out by the
    test) and records what it sent."""
    outbox = _outbox(db)
    bucket = HandBucket()
    budget = SendBudget(bucket, "telegram", ChatPace())
    sent: list[str] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        await budget.acquire(int(d.payload["chat"]))
        sent.append(str(d.payload["text"]))
        return {}

    return outbox, bucket, budget, sent, handler


async def test_an_urgent_reply_queued_behind_ordinary_ones_to_other_chats_goes_first(
    db: Database,
) -> None:
    outbox, bucket, budget, sent, handler = _budgeted(db)
    outbox.register("reply", handler)
    for chat in range(1, 41):
        await outbox.enqueue("reply", f"person:{chat}", {"chat": chat, "text": f"to {chat}"})
    outbox.start()
    try:
        # The worker holds the ordinary rows, each waiting for the platform's budget ...
        await _until(lambda: budget.waiting == 40)
        # ... when an urgent reply is queued: it is claimed and waits with them, first in line.
        await outbox.enqueue("reply", "person:99", {"chat": 99, "text": "urgent"}, priority=URGENT)
        await _until(lambda: budget.waiting == 41)
        bucket.tokens = 1
        await _until(lambda: len(sent) == 1)
        assert sent == ["urgent"]
        bucket.tokens = 40
        await _until(lambda: len(sent) == 41)
    finally:
        await outbox.stop()


async def test_an_urgent_card_behind_an_ordinary_post_in_flight_lifts_it(db: Database) -> None:
    outbox, bucket, budget, sent, handler = _budgeted(db)
    outbox.register("send", handler)
    for chat in range(1, 21):
        await outbox.enqueue("send", f"person:{chat}", {"chat": chat, "text": f"to {chat}"})
    await outbox.enqueue("send", dest_of(GROUP), {"chat": GROUP, "text": "ordinary post"})
    outbox.start()
    try:
        await _until(lambda: budget.waiting == 21)  # everybody waits for the budget
        # An urgent card queues behind the group's ordinary post, which holds the group ...
        await outbox.enqueue("send", dest_of(GROUP), {"chat": GROUP, "text": "card"}, priority=5)
        await _until(lambda: budget.most_urgent == 5)  # ... so the post is lifted to its rank
        bucket.tokens = 1
        await _until(lambda: len(sent) == 1)
        await _until(lambda: budget.most_urgent == 5)  # the card, claimed once the post went
        bucket.tokens = 1
        await _until(lambda: len(sent) == 2)
        assert sent == ["ordinary post", "card"]  # before the 20 ordinary replies queued first
        bucket.tokens = 20
        await _until(lambda: len(sent) == 22)
    finally:
        await outbox.stop()


async def test_a_429_holds_the_chat_for_retry_after_urgent_sends_too(db: Database) -> None:
    ticks = Ticks()
    pace = ChatPace(clock=ticks)
    budget = SendBudget(TokenBucket(1000.0, burst=100), "telegram", pace)
    outbox = _outbox(db)
    attempts: list[int] = []

    async def handler(d: Delivery) -> dict[str, Any]:
        await budget.acquire(7)
        attempts.append(d.attempts)
        if d.attempts == 1:
            raise Retry("429 Too Many Requests", after=30)
        return {}

    outbox.register("reply", handler)
    await outbox.enqueue("reply", "person:1", {}, priority=URGENT)
    await outbox.run_once()
    await outbox.run_once()
    assert attempts == [1]  # the row backs off for its retry_after (the wall clock is frozen)
    # Nothing else goes into that chat before then, not even urgent.
    assert await pace.due(7, URGENT) == pytest.approx(30.0)
    assert await pace.due(8, URGENT) == 0.0  # other chats are not held
    ticks.now += 30.0
    assert await pace.due(7, URGENT) == 0.0


async def _paced(pace: ChatPace, chat: int, want: list[int], ticks: Ticks) -> list[float]:
    """Send as `want` asks (priority per step of 0.05 s), whenever the pace allows."""
    sent = []
    for priority in want:
        ticks.now += 0.05
        if await pace.due(chat, priority) == 0.0:
            await pace.spend(chat)
            sent.append(ticks.now)
    return sent


async def test_the_paces_keep_within_telegrams_limits_and_leave_urgent_a_token() -> None:
    ticks = Ticks()
    pace = ChatPace(PRIVATE_CHAT, GROUP_CHAT, clock=ticks)
    flood = Flood(TelegramLimits(overall_per_s=10_000))
    # Ordinary posts into a group as fast as allowed for five minutes, an urgent one now and
    # then: Telegram's model of the group (20 a minute) never refuses one ...
    want = [5 if i % 400 == 0 else 0 for i in range(6000)]
    for at in await _paced(pace, GROUP, want, ticks):
        assert flood.check(GROUP, at) is None
    # ... and an urgent topic and card find two tokens at once, however busy the group is.
    assert await pace.due(GROUP, 5) == 0.0
    await pace.spend(GROUP)
    assert await pace.due(GROUP, 5) == 0.0
    # A private chat: as fast as allowed, never refused by the fake's per-chat model either,
    # and an ordinary stream still leaves an urgent reply its token.
    sent = await _paced(pace, 42, [0] * 2000, ticks)
    for at in sent:
        assert flood.check(42, at) is None
    assert len(sent) >= 95  # about one a second over 100 s
    assert await pace.due(42, URGENT) == 0.0
    assert await pace.due(42, 0) > 0.0


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_UP, reason=REDIS_SKIP)
async def test_two_processes_share_a_groups_pace_and_a_429_through_redis() -> None:
    from redis.asyncio import Redis

    client = Redis(host="127.0.0.1", port=6379, db=14)
    prefix = f"qamqor-test:pace:{uuid.uuid4().hex[:8]}"
    try:
        paces = [ChatPace(redis=client, prefix=prefix) for _ in range(2)]
        sent = 0
        for n in range(40):  # ordinary posts, alternating between the two processes
            pace = paces[n % 2]
            if await pace.due(GROUP, 0) == 0.0:
                await pace.spend(GROUP)
                sent += 1
        assert sent == GROUP_CHAT.burst - GROUP_CHAT.reserve  # the minute's ordinary share
        assert await paces[0].due(GROUP, 0) > 50.0
        for pace in paces:  # a topic and its card, one from each process, at once
            assert await pace.due(GROUP, 5) == 0.0
            await pace.spend(GROUP)
        assert await paces[1].due(GROUP, 5) > 50.0  # the minute is full
        # A 429 seen by one process holds the chat for the other too.
        assert await paces[1].due(7, URGENT) == 0.0
        await paces[0].hold(7, 30.0)
        assert 29.0 < await paces[1].due(7, URGENT) <= 30.0
    finally:
        keys = [k async for k in client.scan_iter(f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


class FlakyGroups:
    """A group API whose first card fails (429) and, with `forum=False`, has no topics."""

    def __init__(self, forum: bool = True) -> None:
        self.forum = forum
        self.topics = 0
        self.sent: list[tuple[int | None, str]] = []
        self.fail_next_send = True

    async def create_topic(self, chat: int, name: str) -> int:
        if not self.forum:
            raise Permanent("not a forum")
        self.topics += 1
        return 700 + self.topics

    async def send(
        self, chat: int, thread: int | None, text: str, buttons: Any, reply_to: int | None
    ) -> int:
        if self.fail_next_send:
            self.fail_next_send = False
            raise Retry("429", after=1)
        self.sent.append((thread, text))
        return 900 + len(self.sent)

    async def set_buttons(self, chat: int, message_id: int, buttons: Any) -> None:
        return None

    async def reopen_topic(self, chat: int, thread: int) -> None:
        pass

    async def close_topic(self, chat: int, thread: int) -> None:
        return None

    async def delete(self, chat: int, message_id: int) -> bool:
        return True

    async def blank(self, chat: int, message_id: int, text: str) -> bool:
        return True


@pytest.mark.parametrize("forum", [True, False])
async def test_a_card_retried_after_its_topic_does_not_open_a_second_topic(
    db: Database, forum: bool
) -> None:
    vault = Vault([TEST_KEY])
    cases = CaseStore(db, vault)
    case = await _urgent_case(db, cases, "r")
    wall = FrozenClock(NOW)
    outbox = Outbox(db, vault, wall=wall)
    api = FlakyGroups(forum)
    Topics(outbox, cases, [GROUP]).serve(api)
    await Topics(outbox, cases, [GROUP]).open(case, "K-1", "🔴 СРОЧНО", [])
    await outbox.idle()  # sent by this process: the topic is made, the card gets a 429
    assert api.sent == [] and api.topics == (1 if forum else 0)
    wall.advance(timedelta(minutes=5))
    assert await outbox.run_once() == 1
    assert api.topics == (1 if forum else 0)
    opened = await cases.get(case.id)
    assert opened is not None and opened.card_message_id == 901
    if forum:
        assert api.sent == [(701, "🔴 СРОЧНО")] and opened.topic_thread == 701
    else:  # no topics in that group: the card goes in the general chat, by the case's number
        assert api.sent == [(None, f"[{case.number}] 🔴 СРОЧНО")]


class _Groups:
    """The consultants' groups as calls recorded in order; `create_topic` can be held."""

    def __init__(self, hold: bool = False) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.held = asyncio.Event() if hold else None
        self.waiting = False

    async def create_topic(self, chat: int, name: str) -> int:
        if self.held is not None:
            self.waiting = True
            await self.held.wait()
        self.calls.append(("topic", name))
        return 77

    async def send(
        self, chat: int, thread: int | None, text: str, buttons: Any, reply_to: int | None
    ) -> int:
        self.calls.append(("send", text))
        return 500 + len(self.calls)

    async def set_buttons(self, chat: int, message_id: int, buttons: Any) -> None:
        self.calls.append(("buttons", message_id))

    async def reopen_topic(self, chat: int, thread: int) -> None:
        pass

    async def close_topic(self, chat: int, thread: int) -> None:
        self.calls.append(("close", thread))

    async def delete(self, chat: int, message_id: int) -> bool:
        self.calls.append(("delete", message_id))
        return True

    async def blank(self, chat: int, message_id: int, text: str) -> bool:
        return True


async def test_an_urgent_card_is_sent_by_the_process_that_opened_the_case_without_a_worker(
    db: Database,
) -> None:
    """The row is stored claimed by the opening process, which sends it right after its
    commit: no worker runs here, and none is needed."""
    cases = CaseStore(db, Vault([TEST_KEY]))
    case = await _urgent_case(db, cases, "o")
    outbox = _outbox(db)  # its worker is never started
    topics = Topics(outbox, cases, [GROUP])
    groups = _Groups()
    topics.serve(groups)
    await topics.open(case, "K-1 🔴", "🔴 СРОЧНО", [[("✋ Взять", "claim")]])
    await _until(lambda: len(groups.calls) == 2)
    assert groups.calls == [("topic", "K-1 🔴"), ("send", "🔴 СРОЧНО")]
    await outbox.idle()
    opened = await cases.get(case.id)
    assert opened is not None and (opened.topic_thread, opened.card_message_id) == (77, 502)
    assert await outbox.pending() == 0  # marked sent by that process too
    assert await outbox.run_once() == 0


async def test_an_urgent_card_goes_behind_what_its_group_has_queued(db: Database) -> None:
    """Sent at once only when the group has nothing queued or in flight: a destination's
    rows keep their order (a guard: this held before too)."""
    cases = CaseStore(db, Vault([TEST_KEY]))
    case = await _urgent_case(db, cases, "f")
    outbox = _outbox(db)
    topics = Topics(outbox, cases, [GROUP])
    groups = _Groups()
    topics.serve(groups)
    await outbox.enqueue("group", dest_of(GROUP), {"chat": GROUP, "op": "send", "text": "before"})
    await topics.open(case, "K-2 🔴", "🔴 СРОЧНО", [])
    assert groups.calls == []
    while await outbox.run_once(limit=1):
        pass
    assert groups.calls == [("send", "before"), ("topic", "K-2 🔴"), ("send", "🔴 СРОЧНО")]


async def test_a_card_claimed_by_a_process_that_died_is_sent_by_the_worker_after_its_lease(
    db: Database,
) -> None:
    cases = CaseStore(db, Vault([TEST_KEY]))
    case = await _urgent_case(db, cases, "k")
    dying = _outbox(db)
    held = _Groups(hold=True)  # the process stops answering before the topic exists
    Topics(dying, cases, [GROUP]).serve(held)
    await Topics(dying, cases, [GROUP]).open(case, "K-3 🔴", "🔴 СРОЧНО", [])
    await _until(lambda: held.waiting)
    async with db.session() as s:
        (owner,) = (await s.execute(select(OutboxRow.owner))).one()
    assert owner == dying.owner  # claimed by it from the start
    # It is killed: its task never resumes, nothing is released, its lease is not renewed.
    for task in asyncio.all_tasks():
        if task.get_name().startswith("outbox row"):
            task.cancel()
    wall = FrozenClock(NOW)
    other = Outbox(db, Vault([TEST_KEY]), wall=wall)
    groups = _Groups()
    Topics(other, cases, [GROUP]).serve(groups)
    assert await other.recover() == 0
    assert await other.run_once() == 0  # not before the lease lapses
    wall.advance(LEASE + timedelta(seconds=1))
    assert await other.recover() == 1
    assert await other.run_once() == 1
    assert groups.calls == [("topic", "K-3 🔴"), ("send", "🔴 СРОЧНО")]
    opened = await cases.get(case.id)
    assert opened is not None and opened.card_message_id is not None
    assert await other.pending() == 0


async def test_an_urgent_card_waits_for_the_budget_as_urgently_as_the_urgent_reply(
    db: Database,
) -> None:
    """At the reply's rank, not below it: otherwise it waits for every part of the person's
    urgent reply to pass the budget first."""
    cases = CaseStore(db, Vault([TEST_KEY]))
    case = await _urgent_case(db, cases, "b")
    outbox, bucket, budget, sent, handler = _budgeted(db)
    outbox.register("reply", handler)
    groups = _Groups()

    class Budgeted(_Groups):
        async def create_topic(self, chat: int, name: str) -> int:
            await budget.acquire(chat)
            return await groups.create_topic(chat, name)

        async def send(
            self, chat: int, thread: int | None, text: str, buttons: Any, reply_to: int | None
        ) -> int:
            await budget.acquire(chat)
            return await groups.send(chat, thread, text, buttons, reply_to)

    Topics(outbox, cases, [GROUP]).serve(Budgeted())
    await outbox.enqueue("reply", "person:5", {"chat": 5, "text": "ordinary"})
    outbox.start()
    try:
        await _until(lambda: budget.waiting == 1)
        await Topics(outbox, cases, [GROUP]).open(case, "K-4 🔴", "🔴 СРОЧНО", [])
        await _until(lambda: budget.waiting == 2)
        assert budget.most_urgent == URGENT
        bucket.tokens = 1
        await _until(lambda: groups.calls == [("topic", "K-4 🔴")] and budget.waiting == 2)
        assert budget.most_urgent == URGENT  # the card itself, after its topic
        bucket.tokens = 1
        await _until(lambda: len(groups.calls) == 2)
        assert sent == []  # the ordinary reply still waits
        bucket.tokens = 1
        await _until(lambda: sent == ["ordinary"])
    finally:
        await outbox.stop()


async def test_an_urgent_reply_that_got_no_budget_in_its_turn_is_due_again_at_once(
    db: Database,
) -> None:
    """Not refused by the platform, only not its turn yet: the worker may take it at once (an
    ordinary one waits half a second). The outbox's clock is frozen: "at once" is exact."""
    outbox, bucket, _, sent, handler = _budgeted(db)
    outbox.register("reply", handler)
    async with db.transaction() as conn:
        owned = await outbox.enqueue_owned(
            conn,
            "reply",
            person_dest(7, urgent=True),
            [({"chat": 7, "text": "numbers"}, URGENT)],
            person_id=None,
            tag="reply",
        )
    assert not await outbox.deliver_owned(owned)  # no token within the turn's short wait
    bucket.tokens = 1
    assert await outbox.run_once() == 1
    assert sent == ["numbers"]


async def test_a_possible_danger_check_is_queued_behind_danger_now_and_ahead_of_the_rest(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    """Under a burst many calm messages read as possible danger: their one-tap checks must not
    go before an urgent case's card (seen in the PostgreSQL burst), nor behind ordinary
    replies."""
    settings = handoff_settings(tmp_path, api, f"sqlite+aiosqlite:///{tmp_path}/q.db")
    async with running(settings) as (app, channel):
        runner = channel.inbox
        turn = Turn(runner, Claimed(0, {}, 1, False, None, None, None))
        check = Reply(
            "Если опасно — 102, 112, 150. Вы сейчас в безопасности?",
            ((Button("Да", f"{SAFETY_CHECK}#safe"), Button("Нет", f"{SAFETY_CHECK}#unsafe")),),
            urgent=True,
        )
        replies = [check, Reply("Чем я могу помочь?")]
        async with app.db.transaction() as conn:
            await runner._queue_in(conn, turn, "525252", None, replies)
        assert [d.priority for d in turn.owned] == [OUTBOX_POSSIBLE, OUTBOX_NORMAL]
        assert OUTBOX_URGENT > OUTBOX_POSSIBLE > OUTBOX_NORMAL
        await runner.outbox.deliver_owned(turn.owned)


async def test_an_urgent_turns_first_message_is_queued_ahead_of_the_urgent_card(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    """The numbers first of all; the rest of the urgent reply at the card's rank, so that the
    card goes right after the first message rather than after the whole reply."""
    settings = handoff_settings(tmp_path, api, f"sqlite+aiosqlite:///{tmp_path}/q.db")
    async with running(settings) as (app, channel):
        runner = channel.inbox
        turn = Turn(runner, Claimed(0, {}, 1, False, None, None, None))
        replies = [Reply("102, 112, 150", urgent=True), Reply("Я рядом.", urgent=True)]
        async with app.db.transaction() as conn:
            await runner._queue_in(conn, turn, "515151", None, replies)
        assert [d.priority for d in turn.owned] == [OUTBOX_FIRST, OUTBOX_URGENT]
        assert OUTBOX_FIRST > OUTBOX_URGENT  # the card's (Topics.open, an urgent case)
        await runner.outbox.deliver_owned(turn.owned)

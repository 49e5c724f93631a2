"""`python -m bench burst`: a burst far beyond Telegram's limits delays replies, drops none.

The bot runs as real `qamqor run` process(es) in webhook mode (bench/e2e.py's helpers) against
the fake Bot API enforcing Telegram's limits (30 messages/s overall, ~1/s per private chat
after a burst of 3, 20/min per group: 429 with retry_after beyond). `people` people send
`per_person` messages each within `spread` seconds, a share of them urgent; then the bench
waits until the bot has nothing left to do (every update processed, no outbox row pending).

Every message a person sends is answered with at least one message (the dialogues always
reply), so an update is **dropped** when none of its replies was delivered after the drain;
outbox rows in state failed count as dropped too. Replies are matched to their update through
the bot's database: a turn queues its replies (outbox rows) in the transaction that marks its
update done, and one person's turns run one at a time, so a reply row belongs to the person's
update that was done first at or after the row was created. An update's reply delay runs from
the moment the bench first posted it to the delivery of its first reply (the row's `sent_at`;
one clock, this machine's), split into the turn (posted → replies queued) and the queue
(queued → first reply delivered). The fake server counts the 429s it gave and the messages it
received per second (tried, and accepted within the limits).

Urgent cases reach the consultants' groups too (handoff on, `groups` forum groups, so that
Telegram's 20 messages a minute per group is not what is measured): before the burst,
`probes` new people each send one urgent message, a few seconds apart (idle); during the
burst, `probes` more new people do the same, one every `probe_gap` seconds from the burst's
first second (the burst's own urgent messages open cases as well). For each the bench reports
the urgent reply (posted → first reply delivered) and the urgent case card (posted → the card
delivered in the case's topic, the outbox row's `sent_at`). A person whose case is open is
left to the consultants (their later words are relayed, not answered): such updates count as
handed over, not dropped. Peak RSS of the bot process(es) is sampled throughout.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector
from sqlalchemy import func, select

from bench.e2e import (
    BENCH_KEY,
    CONSULTANTS_CHAT,
    SECRET,
    Processes,
    TimedFakeBotAPI,
    _free_port,
    _ms,
    _percentile,
    _wait_healthy,
    bot_env,
)
from bench.messages import CALM_KK, CALM_RU, URGENT
from bot.channels.telegram.inbox import REPLY
from bot.inbox.models import InboxRow
from delivery.claims import FAILED, PENDING, SENDING, SENT
from delivery.models import OutboxRow
from devtools.fake_telegram import TelegramLimits, peak_per_window
from handoff.models import HandoffCase
from storage.crypto import Vault
from storage.db import Database
from storage.models import Person

FIRST_PERSON = 30_000
FIRST_PROBE = 90_000
REDELIVERIES = 60


@dataclass
class Posted:
    update_id: int
    person: int
    urgent: bool
    at: float  # time.time() when the person sent it (the bench first posted it)
    status: int = 0
    redelivered: int = 0  # posted again after a refusal (503) or a timeout


@dataclass
class Turn:
    update_id: int
    person_id: int | None
    done_at: datetime | None


def plan(people: int, per_person: int, urgent_share: float, seed: int) -> list[tuple[int, bool]]:
    """(person, urgent) in posting order: everybody's first message, then the seconds, ..."""
    rng = random.Random(seed)
    order = []
    for _ in range(per_person):
        round_ = [FIRST_PERSON + i for i in range(people)]
        rng.shuffle(round_)
        order += [(person, rng.random() < urgent_share) for person in round_]
    return order


async def post_burst(
    api: TimedFakeBotAPI, url: str, order: list[tuple[int, bool]], spread: float, seed: int
) -> list[Posted]:
    """Post the updates at evenly spaced moments over `spread` seconds. As Telegram does, an
    update the webhook did not acknowledge (not 200) is posted again a second later, and a
    chat's next update is posted only once the previous one was acknowledged."""
    rng = random.Random(seed)
    posted: list[Posted] = []
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    previous: dict[int, asyncio.Task[None]] = {}

    async def one(
        http: ClientSession, item: Posted, update: dict[str, Any], after: asyncio.Task[None] | None
    ) -> None:
        if after is not None:
            await after
        for _ in range(REDELIVERIES):
            try:
                async with http.post(url, json=update, headers=headers) as resp:
                    await resp.read()
                    item.status = resp.status
            except (OSError, TimeoutError):
                item.status = -1
            if item.status == 200:
                return
            item.redelivered += 1
            await asyncio.sleep(1.0)

    async with ClientSession(
        connector=TCPConnector(limit=100), timeout=ClientTimeout(total=60)
    ) as http:
        start = time.monotonic()
        for n, (person, urgent) in enumerate(order):
            target = start + spread * n / len(order)
            if (delay := target - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            pool = URGENT if urgent else (CALM_KK if person % 3 == 0 else CALM_RU)
            update = api.user_message(person, rng.choice(pool))
            item = Posted(update["update_id"], person, urgent, time.time())
            posted.append(item)
            previous[person] = asyncio.create_task(one(http, item, update, previous.get(person)))
        await asyncio.gather(*previous.values())
    return posted


async def post_probes(
    api: TimedFakeBotAPI, url: str, count: int, gap: float, seed: int, first: int = FIRST_PROBE
) -> list[Posted]:
    """`count` new people each send one urgent message, `gap` seconds apart."""
    rng = random.Random(seed)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    posted = []
    async with ClientSession(timeout=ClientTimeout(total=60)) as http:
        for i in range(count):
            update = api.user_message(first + i, rng.choice(URGENT))
            item = Posted(update["update_id"], first + i, True, time.time())
            async with http.post(url, json=update, headers=headers) as resp:
                await resp.read()
                item.status = resp.status
            posted.append(item)
            await asyncio.sleep(gap)
    return posted


async def outstanding(db: Database) -> tuple[int, int, int]:
    """(updates stored, updates not done, outbox rows pending or sending)."""
    async with db.session() as s:
        stored = await s.scalar(select(func.count()).select_from(InboxRow))
        undone = await s.scalar(select(func.count()).where(InboxRow.done_at.is_(None)))
        queued = await s.scalar(select(func.count()).where(OutboxRow.state.in_((PENDING, SENDING))))
    return int(stored or 0), int(undone or 0), int(queued or 0)


async def wait_drained(db: Database, expected: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        stored, undone, queued = await outstanding(db)
        if stored >= expected and not undone and not queued:
            return True
        await asyncio.sleep(0.5)
    return False


async def analyse(db: Database, posted: list[Posted]) -> dict[str, Any]:
    vault = Vault([BENCH_KEY])  # people are stored by a keyed hash of their Telegram id
    chats = {vault.ref_hash("telegram", str(p.person)): p.person for p in posted}
    of_update = {p.update_id: p.person for p in posted}
    async with db.session() as s:
        person_of_chat = {
            chats[ref]: pid
            for pid, ref in await s.execute(
                select(Person.id, Person.ref_hash).where(Person.ref_hash.in_(list(chats)))
            )
        }
        turns = [
            Turn(int(seq), person_of_chat.get(of_update.get(int(seq), 0)), done_at)
            for seq, done_at in await s.execute(select(InboxRow.seq, InboxRow.done_at))
        ]
        rows = (
            await s.execute(
                select(
                    OutboxRow.person_id,
                    OutboxRow.created_at,
                    OutboxRow.sent_at,
                    OutboxRow.state,
                    OutboxRow.priority,
                )
                .where(OutboxRow.kind == REPLY)
                .order_by(OutboxRow.id)
            )
        ).all()
    by_person: dict[int, list[Turn]] = defaultdict(list)
    for turn in sorted(turns, key=lambda t: (t.done_at is None, t.done_at)):
        if turn.person_id is not None and turn.done_at is not None:
            by_person[turn.person_id].append(turn)  # in the order they were done
    first_reply: dict[int, float] = {}  # update_id -> when its first reply was delivered
    states: Counter[str] = Counter(r.state for r in rows)
    for r in rows:
        if r.state != SENT or r.person_id is None:
            continue
        owner = next((t for t in by_person[r.person_id] if t.done_at >= r.created_at), None)
        if owner is not None:
            sent = r.sent_at.timestamp()
            first_reply[owner.update_id] = min(first_reply.get(owner.update_id, sent), sent)
        cases = (
            await s.execute(select(HandoffCase.id, HandoffCase.person_id, HandoffCase.created_at))
        ).all()
        group_rows = (
            await s.execute(
                select(OutboxRow.meta, OutboxRow.sent_at, OutboxRow.priority)
                .where(OutboxRow.dest.startswith("group:"))
                .order_by(OutboxRow.id)
            )
        ).all()
    # A case's rows in its group: the topic with its card (meta "card"), or, before issue 21,
    # the topic first, then the card (urgent: priority 5).
    case_rows: dict[int, list[Any]] = defaultdict(list)
    for g in group_rows:
        case_id = json.loads(g.meta or "{}").get("case")
        if case_id is not None:
            case_rows[int(case_id)].append(g)
    first_urgent: dict[int, Posted] = {}  # person_id -> their first urgent update
    for item in posted:
        pid = person_of_chat.get(item.person)
        if item.urgent and pid is not None and pid not in first_urgent:
            first_urgent[pid] = item
    case_opened: dict[int, datetime] = {}  # person_id -> when their case was opened
    cards: list[float] = []
    for case_id, pid, created_at in cases:
        if pid is None:
            continue
        case_opened[pid] = min(case_opened.get(pid, created_at), created_at)
        rows_of_case = case_rows.get(case_id, [])
        marked = [g for g in rows_of_case if json.loads(g.meta or "{}").get("card")]
        if pid not in first_urgent or not (marked or len(rows_of_case) >= 2):
            continue
        card = marked[0] if marked else rows_of_case[1]
        if card.priority >= 5 and card.sent_at is not None:
            cards.append(card.sent_at.timestamp() - first_urgent[pid].at)
    done = {t.update_id: t.done_at.timestamp() for t in turns if t.done_at is not None}
    delays: dict[bool, list[float]] = {False: [], True: []}
    working: dict[bool, list[float]] = {False: [], True: []}
    queue: dict[bool, list[float]] = {False: [], True: []}
    unanswered = handed_over = 0
    for item in posted:
        if item.update_id in first_reply:
            delays[item.urgent].append(first_reply[item.update_id] - item.at)
            working[item.urgent].append(done[item.update_id] - item.at)
            queue[item.urgent].append(first_reply[item.update_id] - done[item.update_id])
            continue
        pid = person_of_chat.get(item.person)
        opened = case_opened.get(pid) if pid is not None else None
        if opened is not None and opened.timestamp() <= done.get(item.update_id, 0.0):
            handed_over += 1  # relayed to the consultants, not answered by the bot
        else:
            unanswered += 1
    return {
        "updates_stored": len(turns),
        "updates_answered": len(first_reply),
        "unanswered": unanswered,
        "handed_over": handed_over,
        "cards": cards,
        "rows": dict(states),
        "delays": delays,
        "turn": working,
        "queue": queue,
    }


def _each_second(times: list[float], start: float) -> list[int]:
    counts = Counter(int(t - start) for t in times)
    return [counts[i] for i in range(max(counts, default=-1) + 1)]


def _delay_figures(values: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values),
        "p50_ms": _ms(_percentile(values, 0.5)),
        "p99_ms": _ms(_percentile(values, 0.99)),
        "max_ms": _ms(max(values) if values else None),
    }


async def run(
    *,
    people: int = 300,
    per_person: int = 2,
    urgent_share: float = 0.2,
    spread: float = 2.0,
    workers: int = 1,
    database_url: str | None = None,
    redis_url: str | None = None,
    send_per_s: float = 30.0,
    drain_within: float = 600.0,
    seed: int = 11,
    groups: int = 20,
    probes: int = 10,
    probe_gap: float = 2.0,
) -> dict[str, Any]:
    api = TimedFakeBotAPI()
    api.enforce(TelegramLimits())
    await api.start()
    procs = Processes()
    crashed = ""
    try:
        with tempfile.TemporaryDirectory(prefix="qamqor-burst-") as data:
            port = _free_port()
            env = bot_env(
                api,
                data,
                port,
                database_url=database_url,
                redis_url=redis_url,
                send_per_s=send_per_s,
                QAMQOR_CONSULTANTS_CHAT_ID=",".join(
                    str(CONSULTANTS_CHAT - i) for i in range(max(1, groups))
                ),
            )
            db = Database(database_url or f"sqlite:///{data}/qamqor.db")
            await db.upgrade()  # before the workers start, so that they find a ready schema
            await procs.start([sys.executable, "-m", "bot", "run"], env, workers)
            stop = asyncio.Event()
            watcher = asyncio.create_task(procs.watch(stop))
            try:
                await _wait_healthy(port)
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                idle = await post_probes(api, url, probes, probe_gap, seed)
                await wait_drained(db, len(idle), 60.0)
                idle_figures = await analyse(db, [p for p in idle if p.status == 200])
                api.accepted_at.clear()
                api.attempted_at.clear()
                api.too_many.clear()
                api.arrivals.clear()
                order = plan(people, per_person, urgent_share, seed)
                t0 = time.monotonic()
                burst = asyncio.create_task(post_burst(api, url, order, spread, seed))
                await asyncio.sleep(1.0)
                probed = await post_probes(
                    api, url, probes, probe_gap, seed + 1, first=FIRST_PROBE + probes
                )
                posted = await burst
                posted_s = time.monotonic() - t0
                accepted = [p for p in posted if p.status == 200]
                expected = len(idle) + len(probed) + len(accepted)
                drained = await wait_drained(db, expected, drain_within)
                figures = await analyse(db, accepted)
                probe_figures = await analyse(db, [p for p in probed if p.status == 200])
            finally:
                stop.set()
                await watcher
                await db.dispose()
                crashed = await procs.stop()
    finally:
        await api.stop()
    if crashed:
        print(f"process errors:\n{crashed}", file=sys.stderr)
    last = max(api.accepted_at, default=t0)
    rows = figures["rows"]
    delays = figures["delays"]
    delivered_messages = sum(len(v) for k, v in api.arrivals.items() if k > 0)
    return {
        "updates_sent": len(posted),
        "updates_accepted": len(accepted),
        "redeliveries": sum(p.redelivered for p in posted),
        "posted_within_s": round(posted_s, 2),
        "urgent_updates": sum(p.urgent for p in accepted),
        "replies_expected": len(accepted),  # at least one per update
        "replies_delivered": figures["updates_answered"],
        "handed_over": figures["handed_over"],
        "dropped": figures["unanswered"] + rows.get(FAILED, 0),
        "failed_rows": rows.get(FAILED, 0),
        "reply_messages_sent": rows.get(SENT, 0),
        "messages_at_fake": delivered_messages,
        "drained": drained,
        "drain_s": round(last - t0, 1),
        "too_many_requests": sum(api.too_many.values()),
        "too_many_by_limit": dict(api.too_many),
        "peak_tried_per_s": peak_per_window(api.attempted_at),
        "peak_accepted_per_s": peak_per_window(api.accepted_at),
        "mean_accepted_per_s": round(len(api.accepted_at) / max(last - t0, 1e-9), 1),
        "accepted_each_second": _each_second(api.accepted_at, t0),
        "ordinary": _delay_figures(delays[False]),
        "urgent": _delay_figures(delays[True]),
        # The delay in two parts: posted → the turn done and its replies queued (the bot's
        # own work), then queued → the first reply delivered (the send budget's queue).
        "urgent_card": _delay_figures(figures["cards"]),
        "idle_urgent": _delay_figures(idle_figures["delays"][True]),
        "idle_urgent_card": _delay_figures(idle_figures["cards"]),
        "idle_probes": len(idle),
        "burst_probe_urgent": _delay_figures(probe_figures["delays"][True]),
        "burst_probe_card": _delay_figures(probe_figures["cards"]),
        "burst_probe_turn": _delay_figures(probe_figures["turn"][True]),
        # In the order posted (one every probe_gap s from the burst's first second): which
        # probe was the slowest says where in the burst the time went.
        "burst_probe_each_ms": [round(v * 1000) for v in probe_figures["delays"][True]],
        "burst_probe_queue": _delay_figures(probe_figures["queue"][True]),
        "peak_rss_mb": round(procs.peak_rss / 2**20, 1),
        "ordinary_turn": _delay_figures(figures["turn"][False]),
        "urgent_turn": _delay_figures(figures["turn"][True]),
        "ordinary_queue": _delay_figures(figures["queue"][False]),
        "urgent_queue": _delay_figures(figures["queue"][True]),
        "people": people,
        "per_person": per_person,
        "groups": groups,
        "workers": workers,
        "send_per_s": send_per_s,
        "database": "postgresql" if database_url and "postgres" in database_url else "sqlite",
        "redis": bool(redis_url),
    }


def report(r: dict[str, Any]) -> str:
    o, u = r["ordinary"], r["urgent"]
    ot, ut = r["ordinary_turn"], r["urgent_turn"]
    oq, uq = r["ordinary_queue"], r["urgent_queue"]
    iu, ic, uc = r["idle_urgent"], r["idle_urgent_card"], r["urgent_card"]
    bu, bc = r["burst_probe_urgent"], r["burst_probe_card"]
    return "\n".join(
        [
            f"workers {r['workers']} · {r['database']}"
            + (" + redis" if r["redis"] else "")
            + f" · budget {r['send_per_s']:.0f}/s",
            f"updates sent    {r['updates_sent']} from {r['people']} people in "
            f"{r['posted_within_s']} s ({r['urgent_updates']} urgent; "
            f"{r['updates_accepted']} accepted; {r['redeliveries']} redeliveries)",
            f"idle, urgent    reply p50 {iu['p50_ms']} · p99 {iu['p99_ms']} ms · "
            f"card p50 {ic['p50_ms']} · p99 {ic['p99_ms']} ms ({r['idle_probes']} probes, "
            f"{r['groups']} groups)",
            f"burst, urgent   reply p50 {bu['p50_ms']} · p99 {bu['p99_ms']} ms · "
            f"card p50 {bc['p50_ms']} · p99 {bc['p99_ms']} ms ({bu['n']} probes during the burst)",
            f"  of which turn p50 {r['burst_probe_turn']['p50_ms']} · "
            f"p99 {r['burst_probe_turn']['p99_ms']} · queue p50 "
            f"{r['burst_probe_queue']['p50_ms']} · p99 {r['burst_probe_queue']['p99_ms']} ms",
            f"  each probe's reply, in order: {r['burst_probe_each_ms']} ms",
            f"replies         expected ≥{r['replies_expected']} updates answered · "
            f"delivered {r['replies_delivered']} · handed over {r['handed_over']} · "
            f"dropped {r['dropped']} (failed rows {r['failed_rows']})",
            f"messages        {r['reply_messages_sent']} reply rows sent · "
            f"{r['messages_at_fake']} at the fake server",
            f"429s            {r['too_many_requests']} {r['too_many_by_limit']}",
            f"send rate       peak {r['peak_accepted_per_s']}/s accepted "
            f"({r['peak_tried_per_s']}/s tried) · mean {r['mean_accepted_per_s']}/s",
            f"drain           {r['drain_s']} s" + ("" if r["drained"] else " (NOT drained)"),
            f"each second     {' '.join(map(str, r['accepted_each_second']))}",
            f"reply delay     ordinary p50 {o['p50_ms']} · p99 {o['p99_ms']} · "
            f"max {o['max_ms']} ms",
            f"                urgent   p50 {u['p50_ms']} · p99 {u['p99_ms']} · "
            f"max {u['max_ms']} ms",
            f"urgent card     p50 {uc['p50_ms']} · p99 {uc['p99_ms']} · max {uc['max_ms']} ms "
            f"({uc['n']} cases in the burst)",
            f"peak RSS        {r['peak_rss_mb']} MB",
            f"  of which turn ordinary p50 {ot['p50_ms']} · p99 {ot['p99_ms']} · "
            f"urgent p50 {ut['p50_ms']} · p99 {ut['p99_ms']} ms (posted → replies queued)",
            f"  and queue     ordinary p50 {oq['p50_ms']} · p99 {oq['p99_ms']} · "
            f"urgent p50 {uq['p50_ms']} · p99 {uq['p99_ms']} ms (queued → first delivered)",
        ]
    )


def main(**kwargs: Any) -> dict[str, Any]:
    result = asyncio.run(run(**kwargs))
    print(report(result))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(
        people=int(os.environ.get("BENCH_PEOPLE", "300")),
        urgent_share=float(os.environ.get("BENCH_URGENT", "0.2")),
    )

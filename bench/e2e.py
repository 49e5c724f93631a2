"""`python -m bench e2e`: the bot under load, end to end, against a local fake Bot API.

Qamqor runs as its own process(es) in webhook mode (`qamqor run`), exactly as in production;
this process runs the fake Bot API and the load generator (on the other core). The same load
is put on a bare aiogram echo bot first: Qamqor's throughput as a ratio of the echo bot's is
the figure to improve, since absolute numbers vary between machines.

Phases: (1) closed loop — `concurrency` virtual users each send a message and wait for the
bot's reply to reach the fake server (the webhook acknowledges once the update is stored, and
answers right after), as fast as the bot allows: updates fully answered per second; (2) open
loop at `rate` updates/s: latency from sending the update to its first reply reaching the
fake server; (3) during (2), urgent messages from fresh users: time until their case is in the
consultants' queue (the row the web console lists, found by the person's keyed hash), and until
its forum topic appears in the consultants' Telegram group (Telegram's ~20 messages a minute
per group can hold that back when the load itself raises many urgent cases).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import socket
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import psutil
from aiohttp import ClientSession, ClientTimeout, TCPConnector

from bench.messages import CALM_KK, CALM_RU, URGENT
from devtools.fake_telegram import FakeBotAPI

SECRET = "bench-webhook-secret-0123456789"
REPLY_TIMEOUT_S = 15.0
BENCH_KEY = "bench-secret-key-0123456789abcdef"
CONSULTANTS_CHAT = -1001234567890


class TimedFakeBotAPI(FakeBotAPI):
    """Records when each reply reaches it, per chat, and when consultants' topics appear."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[int, list[float]] = defaultdict(list)
        self.topic_times: list[float] = []
        self.keep_history = False
        self._waiting: dict[int, list[asyncio.Future[float]]] = defaultdict(list)

    def reply_for(self, chat: int) -> asyncio.Future[float]:
        """Resolves with the arrival time of the next reply into `chat`."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat].append(future)
        return future

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        message = await super()._m_sendMessage(p)
        now = time.monotonic()
        chat = int(p["chat_id"])
        self.arrivals[chat].append(now)
        for future in self._waiting.pop(chat, []):
            if not future.done():
                future.set_result(now)
        if not self.keep_history:  # the load would otherwise keep every message in memory
            self.calls.clear()
        return message

    async def _m_createForumTopic(self, p: dict[str, Any]) -> dict[str, Any]:
        self.topic_times.append(time.monotonic())
        return await super()._m_createForumTopic(p)


@dataclass
class Run:
    completed: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Load:
    """Virtual users: a realistic mix of Russian and Kazakh texts, urgent ones, button presses."""

    def __init__(
        self,
        api: TimedFakeBotAPI,
        url: str,
        users: int,
        seed: int = 7,
        cases: CaseWatch | None = None,
    ) -> None:
        self.api = api
        self.url = url
        self.rng = random.Random(seed)
        self.users = [10_000 + i for i in range(users)]
        self.cases = cases
        self.next_fresh_user = 1_000_000
        self.handed_over = 0  # people left to the consultants (see `speaker`)
        self.started: set[int] = set()
        self.next_urgent_user = 5_000_000
        self.failures: Counter[str] = Counter()  # why posts failed: HTTP status or error

    async def speaker(self, users: list[int], index: int) -> int:
        """The person at users[index], unless they have a case open: then their words go to
        a consultant (the bot only acknowledges now and then), so the load stops writing as
        them and a fresh person takes their place."""
        user = users[index]
        if self.cases is not None and await self.cases.with_consultant(user):
            self.handed_over += 1
            user = users[index] = self.next_fresh_user
            self.next_fresh_user += 1
        return user

    def next_update(self, user: int) -> dict[str, Any]:
        if user not in self.started:
            self.started.add(user)
            return self.api.user_message(user, "/start")
        roll = self.rng.random()
        markup = None
        with contextlib.suppress(IndexError):
            markup = self.api.last_bot_message(user).get("reply_markup")
        if roll < 0.3 and markup:
            buttons = [
                b
                for row in markup["inline_keyboard"]
                for b in row
                if b["callback_data"] not in ("!exit",)
            ]
            if buttons:
                return self.api.button_press(user, self.rng.choice(buttons)["callback_data"])
        if roll < 0.4:
            return self.api.user_message(user, self.rng.choice(URGENT))
        pool = CALM_KK if user % 3 == 0 else CALM_RU
        return self.api.user_message(user, self.rng.choice(pool))

    async def answered(
        self, http: ClientSession, user: int, update: dict[str, Any]
    ) -> float | None:
        """Post an update and wait for the bot's first reply into the chat: the webhook may
        acknowledge before answering (store, then process), so an update counts as answered
        only when its reply has reached the fake server. Seconds from sending, or None."""
        reply = self.api.reply_for(user)
        t0 = time.monotonic()
        if not await self.post(http, update):
            reply.cancel()
            return None
        try:
            return await asyncio.wait_for(reply, REPLY_TIMEOUT_S) - t0
        except TimeoutError:
            self.failures["no reply"] += 1
            return None

    async def post(self, http: ClientSession, update: dict[str, Any]) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        try:
            async with http.post(self.url, json=update, headers=headers) as resp:
                await resp.read()
                if resp.status != 200:
                    self.failures[str(resp.status)] += 1
                return resp.status == 200
        except (OSError, TimeoutError) as exc:
            self.failures[type(exc).__name__] += 1
            return False

    async def closed_loop(self, concurrency: int, duration: float) -> Run:
        run = Run()
        deadline = time.monotonic() + duration
        queue = list(self.users)
        self.rng.shuffle(queue)

        async def worker(http: ClientSession, mine: list[int]) -> None:
            i = 0
            while time.monotonic() < deadline:
                user = await self.speaker(mine, i % len(mine))
                i += 1
                ok = await self.answered(http, user, self.next_update(user)) is not None
                run.completed += ok
                run.errors += not ok

        async with ClientSession(
            connector=TCPConnector(limit=concurrency), timeout=ClientTimeout(total=30)
        ) as http:
            slices = [queue[i::concurrency] for i in range(concurrency)]
            await asyncio.gather(*(worker(http, s) for s in slices if s))
        return run

    async def open_loop(self, rate: float, duration: float) -> Run:
        run = Run()
        interval = 1.0 / rate
        tasks: set[asyncio.Task[None]] = set()
        users = list(self.users)

        async def one(http: ClientSession, user: int) -> None:
            latency = await self.answered(http, user, self.next_update(user))
            if latency is not None:
                run.latencies.append(latency)
            run.completed += latency is not None
            run.errors += latency is None

        async with ClientSession(
            connector=TCPConnector(limit=0), timeout=ClientTimeout(total=30)
        ) as http:
            start = time.monotonic()
            n = 0
            while (now := time.monotonic()) < start + duration:
                target = start + n * interval
                if target > now:
                    await asyncio.sleep(target - now)
                user = await self.speaker(users, n % len(users))
                task = asyncio.create_task(one(http, user))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                n += 1
            if tasks:
                await asyncio.gather(*tasks)
        return run

    async def urgent_probes(
        self, every: float, duration: float, cases: CaseWatch
    ) -> tuple[list[float], list[float]]:
        """Urgent messages from fresh users, one at a time: seconds until the case is in the
        consultants' queue (web console), and until its topic appears in the Telegram group
        (which Telegram's ~20 messages a minute per group can hold back)."""
        queued: list[float] = []
        topics: list[float] = []

        async def probe(http: ClientSession, user: int) -> None:
            seen = len(self.api.topic_times)
            t0 = time.monotonic()
            await self.post(
                http, self.api.user_message(user, "помогите, он стоит за дверью с ножом")
            )
            # Polling at 2 ms bounds the measurement error well under the target.
            in_queue = None
            while time.monotonic() - t0 < REPLY_TIMEOUT_S:
                if in_queue is None and await cases.queued(user):
                    in_queue = time.monotonic() - t0
                if in_queue is not None and len(self.api.topic_times) > seen:
                    break
                await asyncio.sleep(0.002)
            if in_queue is not None:
                queued.append(in_queue)
            if len(self.api.topic_times) > seen:  # the first topic after this probe was sent
                topics.append(self.api.topic_times[seen] - t0)

        deadline = time.monotonic() + duration
        async with ClientSession(timeout=ClientTimeout(total=30)) as http:
            running = []
            while time.monotonic() < deadline:
                running.append(asyncio.create_task(probe(http, self.next_urgent_user)))
                self.next_urgent_user += 1
                await asyncio.sleep(every)
            await asyncio.gather(*running)
        return queued, topics


def bot_env(
    api: FakeBotAPI,
    data: str,
    port: int,
    *,
    database_url: str | None,
    redis_url: str | None,
    send_per_s: float,
    **extra: str,
) -> dict[str, str]:
    """The environment of a benchmarked `qamqor run`: webhook mode against the fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        {
            "QAMQOR_DATA_DIR": data,
            "QAMQOR_SECRET_KEY": BENCH_KEY,
            "QAMQOR_TELEGRAM_TOKEN": api.token,
            "QAMQOR_TELEGRAM_API_BASE": api.base_url,
            "QAMQOR_TELEGRAM_MODE": "webhook",
            "QAMQOR_WEBHOOK_SECRET": SECRET,
            "QAMQOR_HTTP_PORT": str(port),
            "QAMQOR_HTTP_REUSE_PORT": "true",
            "QAMQOR_FLOOD_LIMIT": "100000",
            "QAMQOR_LOG_LEVEL": "WARNING",
            "QAMQOR_TELEGRAM_SEND_PER_S": str(send_per_s),
            **extra,
        }
    )
    if database_url:
        env["QAMQOR_DATABASE_URL"] = database_url
    if redis_url:
        env["QAMQOR_REDIS_URL"] = redis_url
    return env


class CaseWatch:
    """Whether a person's handoff case is in the consultants' queue: the row the web console
    and the queue read, found through the person's keyed hash (the bench knows the key)."""

    def __init__(self, database_url: str) -> None:
        from sqlalchemy import text

        from handoff.models import OPEN_STATES
        from storage.crypto import Vault
        from storage.db import Database

        self._db = Database(database_url)
        self._vault = Vault([BENCH_KEY])
        cases = (
            "SELECT 1 FROM handoff_cases c JOIN people p ON p.id = c.person_id "
            "WHERE p.channel = 'telegram' AND p.ref_hash = :ref"
        )
        self._any = text(cases + " LIMIT 1")
        states = ", ".join(f"'{s}'" for s in OPEN_STATES)
        self._open = text(f"{cases} AND c.state IN ({states}) LIMIT 1")

    async def _exists(self, query: Any, user: int) -> bool:
        ref = self._vault.ref_hash("telegram", str(user))
        try:
            async with self._db.engine.connect() as conn:
                return await conn.scalar(query, {"ref": ref}) is not None
        except Exception:  # the bot has not created its tables yet
            return False

    async def queued(self, user: int) -> bool:
        """The person's case is in the consultants' queue (or already taken)."""
        return await self._exists(self._any, user)

    async def with_consultant(self, user: int) -> bool:
        """The person has an open case: their words now go to a consultant, not the bot."""
        return await self._exists(self._open, user)

    async def close(self) -> None:
        await self._db.dispose()


class Processes:
    def __init__(self) -> None:
        self.procs: list[asyncio.subprocess.Process] = []
        self.peak_rss = 0

    async def start(self, args: list[str], env: dict[str, str], count: int = 1) -> None:
        for _ in range(count):
            proc = await asyncio.create_subprocess_exec(
                *args, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
            )
            self.procs.append(proc)

    def sample_rss(self) -> None:
        total = 0
        for proc in self.procs:
            with contextlib.suppress(psutil.Error):
                total += psutil.Process(proc.pid).memory_info().rss
        self.peak_rss = max(self.peak_rss, total)

    async def watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.sample_rss()
            await asyncio.sleep(0.1)

    async def stop(self) -> str:
        errors = []
        for proc in self.procs:
            if proc.returncode is None:
                proc.terminate()
            try:
                _, err = await asyncio.wait_for(proc.communicate(), 20)
            except TimeoutError:
                proc.kill()
                _, err = await proc.communicate()
            if err and b"Traceback" in err:
                errors.append(err.decode(errors="replace")[-1500:])
        return "\n".join(errors)


async def _wait_healthy(port: int, within_s: float = 60) -> None:
    deadline = time.monotonic() + within_s
    async with ClientSession() as http:
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    if resp.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"nothing healthy on port {port}")


async def _measure(
    name: str,
    args: list[str],
    env: dict[str, str],
    port: int,
    api: TimedFakeBotAPI,
    *,
    workers: int,
    users: int,
    concurrency: int,
    duration: float,
    rate: float | None,
    cases_db: str | None,
    urgent_every: float = 2.5,
) -> dict[str, Any]:
    procs = Processes()
    await procs.start(args, env, workers)
    stop = asyncio.Event()
    watcher = asyncio.create_task(procs.watch(stop))
    result: dict[str, Any] = {}
    cases = CaseWatch(cases_db) if cases_db else None
    try:
        await _wait_healthy(port)
        load = Load(api, f"http://127.0.0.1:{port}/telegram/webhook", users, cases=cases)
        await load.closed_loop(min(concurrency, 16), 2.0)  # warm up: imports, caches, pools
        closed = await load.closed_loop(concurrency, duration)
        result["throughput_per_s"] = closed.completed / duration
        result["errors"] = closed.errors
        if rate:
            # One urgent case every few seconds: Telegram lets a bot post about 20 messages a
            # minute in a group, the outbox keeps to it, and each case costs the consultants'
            # group a topic and a card. A faster stream of cases queues by design (urgent
            # first), and would measure that limit rather than the bot.
            probes = (
                asyncio.create_task(load.urgent_probes(urgent_every, duration, cases))
                if cases
                else None
            )
            opened = await load.open_loop(rate, duration)
            delays, topics = await probes if probes else ([], [])
            result["latency_p50_ms"] = _ms(_percentile(opened.latencies, 0.5))
            result["latency_p99_ms"] = _ms(_percentile(opened.latencies, 0.99))
            result["open_loop_errors"] = opened.errors
            result["urgent_to_queue_p50_ms"] = _ms(_percentile(delays, 0.5))
            result["urgent_to_queue_p99_ms"] = _ms(_percentile(delays, 0.99))
            result["urgent_to_topic_p50_ms"] = _ms(_percentile(topics, 0.5))
            result["urgent_to_topic_p99_ms"] = _ms(_percentile(topics, 0.99))
            result["urgent_probes"] = len(delays)
        result["failures"] = dict(load.failures)
        result["handed_to_consultants"] = load.handed_over
    finally:
        if cases:
            await cases.close()
        stop.set()
        await watcher
        procs.sample_rss()
        crashed = await procs.stop()
        result["peak_rss_mb"] = round(procs.peak_rss / 2**20, 1)
        if crashed:
            print(f"{name}: process errors:\n{crashed}", file=sys.stderr)
    return result


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


async def run(
    *,
    workers: int = 1,
    users: int = 2000,
    concurrency: int = 32,
    duration: float = 10.0,
    rate: float = 200.0,
    database_url: str | None = None,
    redis_url: str | None = None,
    profile: str | None = None,
) -> dict[str, Any]:
    api = TimedFakeBotAPI()
    await api.start()
    try:
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
        echo_port = _free_port()
        echo = await _measure(
            "echo",
            [
                sys.executable,
                "-m",
                "bench.echo",
                "--api-base",
                api.base_url,
                "--token",
                api.token,
                "--secret",
                SECRET,
                "--port",
                str(echo_port),
            ],
            base_env,
            echo_port,
            api,
            workers=1,
            users=users,
            concurrency=concurrency,
            duration=duration,
            rate=None,
            cases_db=None,
        )
        with tempfile.TemporaryDirectory(prefix="qamqor-bench-") as data:
            port = _free_port()
            env = bot_env(
                api,
                data,
                port,
                database_url=database_url,
                redis_url=redis_url,
                # The bot's own capacity, not Telegram's 30/s (that is `bench burst`).
                send_per_s=100000,
                QAMQOR_CONSULTANTS_CHAT_ID=str(CONSULTANTS_CHAT),
            )
            if workers > 1:  # migrate once, so that the workers start on a ready schema
                await (
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "bot",
                        "db",
                        "upgrade",
                        env=env,
                        stdout=asyncio.subprocess.DEVNULL,
                    )
                ).wait()
            command = [sys.executable, "-m", "bot", "run"]
            if profile:  # the bot's own profile (pyinstrument writes it when the bot stops)
                command[1:1] = ["-m", "pyinstrument", "-r", "text", "-o", profile]
            qamqor = await _measure(
                "qamqor",
                command,
                env,
                port,
                api,
                workers=workers,
                users=users,
                concurrency=concurrency,
                duration=duration,
                rate=rate,
                cases_db=database_url or f"sqlite+aiosqlite:///{data}/qamqor.db",
            )
    finally:
        await api.stop()
    ratio = (
        qamqor["throughput_per_s"] / echo["throughput_per_s"] if echo["throughput_per_s"] else None
    )
    return {
        "throughput_per_s": round(qamqor["throughput_per_s"], 1),
        "echo_throughput_per_s": round(echo["throughput_per_s"], 1),
        "ratio": None if ratio is None else round(ratio, 3),
        "latency_p50_ms": qamqor.get("latency_p50_ms"),
        "latency_p99_ms": qamqor.get("latency_p99_ms"),
        "urgent_to_queue_p50_ms": qamqor.get("urgent_to_queue_p50_ms"),
        "urgent_to_queue_p99_ms": qamqor.get("urgent_to_queue_p99_ms"),
        "urgent_to_topic_p50_ms": qamqor.get("urgent_to_topic_p50_ms"),
        "urgent_to_topic_p99_ms": qamqor.get("urgent_to_topic_p99_ms"),
        "urgent_probes": qamqor.get("urgent_probes"),
        "peak_rss_mb": qamqor["peak_rss_mb"],
        "echo_peak_rss_mb": echo["peak_rss_mb"],
        "errors": qamqor["errors"] + qamqor.get("open_loop_errors", 0),
        "handed_to_consultants": qamqor.get("handed_to_consultants", 0),
        "failures": qamqor.get("failures", {}),
        "workers": workers,
        "rate_per_s": rate,
        "duration_s": duration,
        "concurrency": concurrency,
        "database": "postgresql" if database_url and "postgres" in database_url else "sqlite",
        "redis": bool(redis_url),
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"workers {result['workers']} · {result['database']}"
        + (" + redis" if result["redis"] else "")
        + f" · {result['duration_s']:.0f}s per phase · concurrency {result['concurrency']}",
        f"throughput      {result['throughput_per_s']:>8} updates/s "
        f"(echo bot {result['echo_throughput_per_s']}; ratio {result['ratio']})",
        f"latency @{result['rate_per_s']:.0f}/s  p50 {result['latency_p50_ms']} ms · "
        f"p99 {result['latency_p99_ms']} ms",
        f"urgent→queue    p50 {result['urgent_to_queue_p50_ms']} ms · "
        f"p99 {result['urgent_to_queue_p99_ms']} ms (case in the consultants' queue)",
        f"urgent→topic    p50 {result['urgent_to_topic_p50_ms']} ms · "
        f"p99 {result['urgent_to_topic_p99_ms']} ms (its topic in the Telegram group)",
        f"peak RSS        {result['peak_rss_mb']} MB (echo bot {result['echo_peak_rss_mb']} MB)",
        f"errors          {result['errors']}",
    ]
    return "\n".join(lines)


def main(**kwargs: Any) -> dict[str, Any]:
    result = asyncio.run(run(**kwargs))
    print(report(result))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(duration=float(os.environ.get("BENCH_DURATION", "5")))

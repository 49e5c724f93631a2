"""A login flood beside the bot: webhook latency while clients hammer /staff/login.

`python -m bench.login_flood [--database-url URL] [--clients 8] [--duration 10]`

The bot runs as a real `qamqor run` process in webhook mode (bench/e2e.py's environment)
against the fake Bot API. A prober sends /start from a new person every `--every` seconds
through the webhook and times the first reply reaching the fake server. First alone (the
baseline), then while `--clients` loops post wrong passwords to /staff/login as fast as they
are answered, each with a new unknown username (the costliest case: an unknown name is
checked against a dummy hash and never locks) — all from one address, and then each attempt
from a new address (as a botnet would; the bench connects from 127.0.0.1, so the bot
believes X-Forwarded-For as it would from a reverse proxy). Prints p50/p99 of the /start
reply in each phase and what the login flood got (status counts, attempts a second), and
one JSON line at the end.

`--pythonpath DIR` runs the bot from another checkout (e.g. the code before a change) while
the bench itself stays the same.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import re
import sys
import tempfile
import time
from collections import Counter
from typing import Any

from aiohttp import ClientSession, ClientTimeout, CookieJar

from bench.e2e import (
    SECRET,
    Processes,
    TimedFakeBotAPI,
    _free_port,
    _ms,
    _percentile,
    _wait_healthy,
    bot_env,
)

STAFF = "bench-consultant"
PASSWORD = "bench-password-0123456789"
FIRST_PERSON = 7_000_000


async def probe(api: TimedFakeBotAPI, url: str, every: float, duration: float) -> list[float]:
    """/start from a new person every `every` seconds: seconds to the first reply."""
    delays: list[float] = []
    people = itertools.count(FIRST_PERSON + int(time.time() * 10) % 1_000_000 * 10)
    deadline = time.monotonic() + duration

    async def one(http: ClientSession, person: int) -> None:
        reply = api.reply_for(person)
        t0 = time.monotonic()
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, json=api.user_message(person, "/start"), headers=headers) as r:
            await r.read()
        with contextlib.suppress(TimeoutError):
            delays.append(await asyncio.wait_for(reply, 60) - t0)

    async with ClientSession(timeout=ClientTimeout(total=60)) as http:
        tasks = []
        while time.monotonic() < deadline:
            tasks.append(asyncio.create_task(one(http, next(people))))
            await asyncio.sleep(every)
        await asyncio.gather(*tasks, return_exceptions=True)
    return delays


async def flood(
    base: str, clients: int, stop: asyncio.Event, spread: bool, statuses: Counter[int]
) -> None:
    """`clients` loops of wrong-password logins (a fresh login form each time)."""
    addresses = itertools.count(1)

    async def client(n: int) -> None:
        async with ClientSession(
            cookie_jar=CookieJar(unsafe=True), timeout=ClientTimeout(total=60)
        ) as http:
            while not stop.is_set():
                i = next(addresses)
                address = (
                    f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
                    if spread
                    else "198.51.100.1"
                )
                headers = {"X-Forwarded-For": address}
                try:
                    async with http.get(f"{base}/staff/login", headers=headers) as resp:
                        found = re.search(r'name="csrf" value="([^"]+)"', await resp.text())
                    token = found.group(1) if found else ""
                    async with http.post(
                        f"{base}/staff/login",
                        headers=headers,
                        allow_redirects=False,
                        data={
                            "username": f"nobody-{i}",
                            "password": "wrong!" * 3,
                            "csrf": token,
                        },
                    ) as resp:
                        await resp.read()
                        statuses[resp.status] += 1
                except (OSError, TimeoutError):
                    statuses[0] += 1

    await asyncio.gather(*(client(n) for n in range(clients)))


async def run(
    *, database_url: str | None, clients: int, duration: float, every: float, pythonpath: str | None
) -> dict[str, Any]:
    api = TimedFakeBotAPI()
    await api.start()
    port = _free_port()
    result: dict[str, Any] = {
        "database": "postgresql" if database_url else "sqlite",
        "clients": clients,
    }
    with tempfile.TemporaryDirectory() as data:
        env = bot_env(api, data, port, database_url=database_url, redis_url=None, send_per_s=1000)
        env["QAMQOR_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        adder = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "bot", "staff", "add", STAFF],
            *["--role", "consultant", "--password-stdin"],
            env=env,
            cwd=pythonpath,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(adder.communicate((PASSWORD + "\n").encode()), 120)
        if adder.returncode != 0:
            raise SystemExit(f"could not add the staff account: {err.decode()[-1500:]}")
        procs = Processes()
        # In the other checkout's directory: `python -m` puts the working directory first.
        bot = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=pythonpath,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        procs.procs.append(bot)
        base = f"http://127.0.0.1:{port}"
        url = f"{base}/telegram/webhook"
        try:
            await _wait_healthy(port)
            await probe(api, url, every, 2.0)  # warm up
            alone = await probe(api, url, every, duration)
            result["alone_p50_ms"] = _ms(_percentile(alone, 0.5))
            result["alone_p99_ms"] = _ms(_percentile(alone, 0.99))
            for name, spread in (("one_address", False), ("many_addresses", True)):
                stop = asyncio.Event()
                statuses: Counter[int] = Counter()
                hammer = asyncio.create_task(flood(base, clients, stop, spread, statuses))
                await asyncio.sleep(1.0)  # the flood is on
                t0 = time.monotonic()
                before = sum(statuses.values())
                delays = await probe(api, url, every, duration)
                rate = (sum(statuses.values()) - before) / (time.monotonic() - t0)
                stop.set()
                await hammer
                result[f"{name}_p50_ms"] = _ms(_percentile(delays, 0.5))
                result[f"{name}_p99_ms"] = _ms(_percentile(delays, 0.99))
                result[f"{name}_answered"] = f"{len(delays)}"
                result[f"{name}_logins_per_s"] = round(rate, 1)
                result[f"{name}_login_statuses"] = {str(k): v for k, v in sorted(statuses.items())}
        finally:
            crashed = await procs.stop()
            await api.stop()
            if crashed:
                print(f"process errors:\n{crashed}", file=sys.stderr)
    return result


def report(r: dict[str, Any]) -> str:
    lines = [f"/start reply through the webhook ({r['database']}, {r['clients']} login clients):"]
    lines.append(f"  alone:                 p50 {r['alone_p50_ms']} ms, p99 {r['alone_p99_ms']} ms")
    for name in ("one_address", "many_addresses"):
        lines.append(
            f"  flood, {name.replace('_', ' '):15} p50 {r[f'{name}_p50_ms']} ms, p99 "
            f"{r[f'{name}_p99_ms']} ms; logins {r[f'{name}_logins_per_s']}/s "
            f"{r[f'{name}_login_statuses']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between /start probes")
    parser.add_argument("--pythonpath", default=None, help="run the bot from this checkout")
    args = parser.parse_args(argv)
    result = asyncio.run(
        run(
            database_url=args.database_url,
            clients=args.clients,
            duration=args.duration,
            every=args.every,
            pythonpath=args.pythonpath,
        )
    )
    print(report(result))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()

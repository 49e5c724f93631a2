"""The held-out danger corpus, end to end: every item through the real Telegram webhook.

Each item is the first message of a fresh person, POSTed to `/telegram/webhook` of a bot in
webhook mode with live handoff on, against the fake Bot API (devtools/fake_telegram.py).
When the inbox has drained, it reads what each person got and whether a case was opened:

- an urgent item *reaches the numbers* when 102 and 112 are in the first reply to it, and
  *reaches a consultant* when a case was opened for that person;
- a calm item that does not ask for a human *pages* when a case was opened for it.

`python -m bench.danger [FILE] [--database-url URL]` prints the figures by category and by
slice; tests/test_danger_corpus.py gates on them. FILE defaults to corpus 10; corpora 11 to
15 are development sets too, and corpus 16 is the next blind test
(tests/nlu/danger_corpus_src/README.md). Each was written by authors who never saw the
training data: never train on them, and never read the blind one before it is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.settings import Settings
from bot.web.server import make_web_app
from devtools.fake_telegram import FakeBotAPI, bound_port
from handoff.models import HandoffCase
from storage.models import Person

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "danger_corpus10.jsonl"
SECRET = "danger-corpus-secret-0123456789"
GROUP = -1001500150
FIRST_USER = 7_000_000_000
KEY = "danger-corpus-key-0123456789abcdef"
NUMBERS = ("102", "112")


@dataclass(frozen=True)
class Item:
    text: str
    slice: str
    category: str
    urgent: bool
    asks_human: bool


@dataclass
class Outcome:
    item: Item
    first: str  # the first reply's text
    replies: int
    case: bool

    @property
    def numbers_first(self) -> bool:
        return all(n in self.first for n in NUMBERS)


# How often the bench posts an update the webhook refused with 503 again, as Telegram does.
REDELIVERIES = 5


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    # Updates the webhook refused with 503 (not stored: the phone lines sent, as designed) and
    # posted again, as Telegram redelivers them.
    redelivered: int = 0

    def urgent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.urgent]

    def calm(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.item.urgent and not o.item.asks_human]

    def reached(self, o: Outcome) -> bool:
        return o.numbers_first and o.case

    def urgent_rate(self, outcomes: Iterable[Outcome] | None = None) -> float:
        group = list(self.urgent() if outcomes is None else outcomes)
        return sum(self.reached(o) for o in group) / max(1, len(group))

    def paged_rate(self) -> float:
        calm = self.calm()
        return sum(o.case for o in calm) / max(1, len(calm))

    def misses(self) -> list[Outcome]:
        return [o for o in self.urgent() if not self.reached(o)]

    def unanswered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.replies == 0]

    def table(self) -> str:
        lines = [
            f"{len(self.outcomes)} items in {self.seconds:.1f} s; "
            f"urgent reached numbers+consultant: {self.urgent_rate():.4f} "
            f"({len(self.urgent()) - len(self.misses())}/{len(self.urgent())}); "
            f"calm paged: {self.paged_rate():.4f} "
            f"({sum(o.case for o in self.calm())}/{len(self.calm())}); "
            f"unanswered: {len(self.unanswered())}; redelivered after a 503: {self.redelivered}",
            "",
            f"{'group':<28}{'n':>5}{'reached':>9}{'numbers':>9}{'case':>7}",
        ]
        for title, key in (("category", "category"), ("slice", "slice")):
            buckets: Mapping[str, list[Outcome]] = _by(self.urgent(), key)
            for name in sorted(buckets):
                group = buckets[name]
                lines.append(
                    f"{title + ':' + name:<28}{len(group):>5}"
                    f"{self.urgent_rate(group):>9.3f}"
                    f"{sum(o.numbers_first for o in group) / len(group):>9.3f}"
                    f"{sum(o.case for o in group) / len(group):>7.3f}"
                )
        calm_cats = Counter(o.item.category for o in self.calm() if o.case)
        if calm_cats:
            lines.append(f"calm items paged, by category: {dict(calm_cats)}")
        return "\n".join(lines)


def _by(outcomes: Iterable[Outcome], key: str) -> dict[str, list[Outcome]]:
    out: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        out[getattr(o.item, key)].append(o)
    return out


def load(path: Path = CORPUS) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row: dict[str, Any] = json.loads(line)
            items.append(
                Item(
                    text=str(row["text"]),
                    slice=str(row["slice"]),
                    category=str(row.get("category", "ordinary")),
                    urgent=bool(row["urgent"]),
                    asks_human=bool(row.get("asks_human", row.get("intent") == "human")),
                )
            )
    return items


def settings(data_dir: Path, api: FakeBotAPI, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        database_url=database_url,
        secret_key=KEY,  # type: ignore[arg-type]
        telegram_token=api.token,  # type: ignore[arg-type]
        telegram_api_base=api.base_url,
        telegram_mode="webhook",
        webhook_secret=SECRET,  # type: ignore[arg-type]
        consultants_chat_id=str(GROUP),
        staff_cookie_secure=False,
        http_port=0,
        # The corpus measures understanding and routing, not Telegram's send limits.
        telegram_send_per_s=2000,
        flood_limit=1000,
    )


def _update(user_id: int, text: str, update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Anon"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Anon"},
            "text": text,
        },
    }


async def run(
    items: list[Item], data_dir: Path, database_url: str | None = None, wait_s: float = 300
) -> Report:
    """Post every item to the webhook as a fresh person's first message; read the outcome."""
    api = FakeBotAPI()
    await api.start()
    url = database_url or f"sqlite+aiosqlite:///{data_dir / 'danger.db'}"
    app = await App.create(settings(data_dir, api, url))
    channel = TelegramChannel(app)
    started = time.monotonic()
    users = [FIRST_USER + i for i in range(len(items))]
    everyone = set(users)
    try:
        runner = web.AppRunner(make_web_app(app, channel, None), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            hook = f"http://127.0.0.1:{bound_port(site)}/telegram/webhook"
            gate = asyncio.Semaphore(16)
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with ClientSession(timeout=ClientTimeout(total=60)) as http:
                redelivered = 0

                async def post(i: int) -> None:
                    nonlocal redelivered
                    update = _update(users[i], items[i].text, i + 1)
                    for attempt in range(REDELIVERIES + 1):
                        async with gate, http.post(hook, json=update, headers=headers) as resp:
                            status = resp.status
                        if status == 200:
                            return
                        if status != 503 or attempt == REDELIVERIES:
                            raise RuntimeError(f"item {i}: webhook answered {status}")
                        # Not stored, the phone lines sent (the designed overload answer):
                        # Telegram posts the same update again a little later.
                        redelivered += 1
                        await asyncio.sleep(1.0 + attempt)

                await asyncio.gather(*(post(i) for i in range(len(items))))
            # Drained: every person got a reply (a person nobody answered fails the run).
            await api.wait_for(lambda a: everyone <= _answered(a), wait_s)
            cased = await _settled_cases(app, users)
        finally:
            await runner.cleanup()
        report = Report(seconds=time.monotonic() - started, redelivered=redelivered)
        for item, user in zip(items, users, strict=True):
            sent = api.sent(user)
            report.outcomes.append(
                Outcome(item, sent[0].get("text", "") if sent else "", len(sent), user in cased)
            )
        return report
    finally:
        await channel.close()
        await app.close()
        await api.stop()


async def _settled_cases(
    app: App, users: list[int], quiet_s: float = 2.0, most_s: float = 60.0
) -> set[int]:
    """The people with a case once the handoffs have settled. Handoffs run after a turn's
    transaction, so the last ones may still be opening when every reply has been sent; on a
    busy machine a fixed pause (once 1 s) was not always enough. Wait until the set has not
    changed for `quiet_s`, at most `most_s`."""
    deadline = time.monotonic() + most_s
    cased = await _people_with_cases(app, users)
    while time.monotonic() < deadline:
        await asyncio.sleep(quiet_s)
        again = await _people_with_cases(app, users)
        if again == cased:
            break
        cased = again
    return cased


def _answered(api: FakeBotAPI) -> set[int]:
    return {int(c.params["chat_id"]) for c in api.calls if c.method == "sendMessage"}


async def _people_with_cases(app: App, users: list[int]) -> set[int]:
    by_hash = {app.vault.ref_hashes("telegram", str(u))[0]: u for u in users}
    async with app.db.session() as s:
        rows = await s.execute(
            select(Person.ref_hash).join(HandoffCase, HandoffCase.person_id == Person.id)
        )
        return {by_hash[h] for (h,) in rows if h in by_hash}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--misses", action="store_true", help="print the urgent items missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = asyncio.run(run(load(args.file), Path(tmp), args.database_url))
    print(report.table())
    if args.misses:
        for o in report.misses():
            print(
                json.dumps(
                    {"text": o.item.text, "first": o.first[:80], "case": o.case}, ensure_ascii=False
                )
            )


if __name__ == "__main__":
    main()

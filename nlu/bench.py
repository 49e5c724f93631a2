"""Speed benchmark: latency over a realistic message mix, throughput, load time, RSS."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from typing import Any

from nlu.data import load_training

# Messages the bot really sees besides disclosures: follow-ups, greetings, long stories.
_EXTRA = [
    "да",
    "иә",
    "ok",
    "2",
    "🙏",
    "/start",
    "Сәлеметсіз бе",
    "Здравствуйте, ",
    "muzh opyat' prishel p'yanyi, ya s det'mi v vannoi, on lomaet dver'",
    "Добрый вечер. Извините что пишу так поздно. Мы женаты семь лет, двое детей. "
    "Раньше он просто кричал, потом начал толкать, в прошлом месяце ударил при детях. "
    "Сегодня он опять пришёл пьяный, я закрылась с детьми в комнате и боюсь выходить. "
    "Скажите пожалуйста, куда мне обратиться и можно ли приехать ночью в кризисный центр?",
]

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from nlu.pipeline import NluPipeline
p = NluPipeline().load()
p.parse_sync("муж бьет")
load_s = time.perf_counter() - t0
msgs = json.loads(sys.stdin.read())
for m in msgs:
    p.parse_sync(m, second_opinion=True)  # the encoder loaded too: the bot's memory
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": load_s, "rss_mb": rss, "stale": p.stale}))
"""


def message_mix(n: int = 2000, seed: int = 7) -> list[str]:
    texts = [e.text for e in load_training()] or ["муж бьет"]
    rng = random.Random(seed)
    mix = [rng.choice(texts) for _ in range(int(n * 0.9))]
    mix += [rng.choice(_EXTRA) for _ in range(n - len(mix))]
    rng.shuffle(mix)
    return mix


def run(n: int = 2000) -> dict[str, Any]:
    from nlu.pipeline import NluPipeline

    mix = message_mix(n)
    # Load time and peak RSS in a fresh interpreter, imports included.
    loads, rss, stale = [], 0.0, False
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(mix[:500]),
            capture_output=True,
            text=True,
            check=True,
        )
        child = json.loads(out.stdout.strip().splitlines()[-1])
        loads.append(child["load_s"])
        rss = max(rss, child["rss_mb"])
        stale = stale or child["stale"]
    pipe = NluPipeline().load()
    for m in mix[:200]:  # warm up caches
        pipe.parse_sync(m)
    # Three rounds over the mix; the figures are from the round with the lowest wall p99,
    # so that another process stealing the CPU (2-core CI machines) does not set the tail.
    # Thread CPU time is reported too: it is what the NLU itself costs.
    best: tuple[float, list[float], list[float], float] | None = None
    for _ in range(3):
        lat, cpu = [], []
        t_all = time.perf_counter()
        for m in mix:
            t, c = time.perf_counter(), time.thread_time()
            pipe.parse_sync(m)
            cpu.append((time.thread_time() - c) * 1000)
            lat.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - t_all
        lat.sort()
        cpu.sort()
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        if best is None or p99 < best[0]:
            best = (p99, lat, cpu, total)
    assert best is not None
    _, lat, cpu, total = best

    def pct(xs: list[float], q: float) -> float:
        return round(xs[min(len(xs) - 1, int(len(xs) * q))], 3)

    # The second opinion runs on the possible tier only, in a worker thread: its own figures.
    consulted = [m for m in mix if pipe.consults(pipe.parse_sync(m))]
    second: dict[str, Any] = {"share": round(len(consulted) / len(mix), 4)}
    if consulted and pipe.second is not None and pipe.second.available:
        pipe.second.score("прогрев")  # warm
        slow = []
        for m in consulted[:300]:
            t = time.perf_counter()
            pipe.second.embed(m)  # the encoder itself, past the cache of recent scores
            slow.append((time.perf_counter() - t) * 1000)
        slow.sort()
        second |= {"n": len(slow), "p50_ms": pct(slow, 0.5), "p99_ms": pct(slow, 0.99)}
    return {
        "n": len(mix),
        "p50_ms": pct(lat, 0.5),
        "p99_ms": pct(lat, 0.99),
        "max_ms": round(lat[-1], 3),
        "cpu_p50_ms": pct(cpu, 0.5),
        "cpu_p99_ms": pct(cpu, 0.99),
        "throughput_per_s": round(len(mix) / total, 1),
        "load_s": round(min(loads), 3),
        "rss_mb": round(rss, 1),
        "model_stale": stale,
        "second_opinion": second,
    }

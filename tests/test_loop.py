"""The urgent-first event loop of `qamqor run` (bot/loop.py): urgent work's steps go first.

No timing: the tests count what ran before what, on the loop itself."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from contextvars import copy_context
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.loop import UrgentFirstLoop, run
from core.priority import urgent_work
from tests.conftest import TEST_KEY

STEPS = 5


async def _race(ordinary: int) -> int:
    """`ordinary` tasks and one urgent task, each awaiting STEPS times; returns how many
    ordinary tasks finished before the urgent one did."""
    finished: list[int] = []

    async def calm(n: int) -> None:
        for _ in range(STEPS):
            await asyncio.sleep(0)
        finished.append(n)

    async def urgent() -> int:
        urgent_work.set(True)  # as an urgent turn does (bot/admission.py)
        for _ in range(STEPS):
            await asyncio.sleep(0)
        return len(finished)

    tasks = [asyncio.create_task(calm(n)) for n in range(ordinary)]
    ahead = await asyncio.create_task(urgent())  # created last: at the back of the queue
    await asyncio.gather(*tasks)
    return ahead


def _on(loop_factory: type[asyncio.AbstractEventLoop], ordinary: int) -> int:
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(_race(ordinary))


def test_an_urgent_task_is_not_kept_behind_a_thousand_ready_ones() -> None:
    assert _on(UrgentFirstLoop, 1000) == 0


def test_the_stock_loop_keeps_it_behind_them_all() -> None:
    # What the burst showed (docs/benchmarks.md, session 12): on the stock loop each of the
    # urgent turn's awaits waits for everything that was ready before it.
    assert _on(asyncio.SelectorEventLoop, 1000) == 1000


def test_ordinary_work_keeps_its_order() -> None:
    async def main() -> list[int]:
        order: list[int] = []
        loop = asyncio.get_running_loop()
        for n in range(50):
            loop.call_soon(order.append, n)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return order

    with asyncio.Runner(loop_factory=UrgentFirstLoop) as runner:
        assert runner.run(main()) == list(range(50))


def test_urgent_callbacks_go_ahead_in_the_order_scheduled() -> None:
    async def main() -> list[tuple[str, int]]:
        order: list[tuple[str, int]] = []
        loop = asyncio.get_running_loop()
        for n in range(10):
            loop.call_soon(order.append, ("ordinary", n))
        token = urgent_work.set(True)
        try:
            for n in range(10):
                loop.call_soon(order.append, ("urgent", n), context=copy_context())
        finally:
            urgent_work.reset(token)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return order

    with asyncio.Runner(loop_factory=UrgentFirstLoop) as runner:
        # Ahead of ordinary work, and among themselves in the order scheduled (a future's done
        # callbacks run in the order they were added).
        assert runner.run(main()) == [("urgent", n) for n in range(10)] + [
            ("ordinary", n) for n in range(10)
        ]


def test_the_serving_command_runs_on_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`qamqor run` hands its server to `bot.loop.run`, not to `asyncio.run`: fails if the
    command goes back to the stock loop."""
    import bot.loop
    from bot.cli import main

    served: list[str] = []

    def fake_run(coro: Coroutine[Any, Any, Any]) -> None:
        served.append(getattr(coro, "__qualname__", "?"))  # the coroutine it would serve
        coro.close()

    monkeypatch.setattr(bot.loop, "run", fake_run)
    for key in [k for k in os.environ if k.startswith("QAMQOR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QAMQOR_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("QAMQOR_TELEGRAM_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("QAMQOR_TELEGRAM_MODE", "polling")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 0, result.output
    assert served == ["_run"]

    async def which() -> type[asyncio.AbstractEventLoop]:
        return type(asyncio.get_running_loop())

    assert run(which()) is UrgentFirstLoop

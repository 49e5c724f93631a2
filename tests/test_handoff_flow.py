"""The handoff flow in the engine: confirm, out of hours and callbacks, and handoff off."""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import FrozenClock
from core.messages import RequestHandoff
from dialogues.services import Services
from handoff.hours import WorkingHours
from tests.dialogue_tester import DialogueTester

NIGHT = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 01:00 in Almaty


def make_tester(enabled: bool, hours: str = "24/7") -> DialogueTester:
    parsed = WorkingHours.parse(hours)
    services = Services(
        clock=FrozenClock(NIGHT),
        handoff_enabled=enabled,
        handoff_hours=None if parsed.always else parsed,
    )
    return DialogueTester(services=services)


async def test_asking_for_a_human_confirms_then_requests() -> None:
    t = make_tester(True)
    await t.press("!lang=ru")
    await t.press("menu.main#human")
    assert "Позвать консультанта?" in t.texts() and "не ваш номер телефона" in t.texts()
    await t.press_label("Да, позовите консультанта")
    assert t.state.step == "handoff.waiting"
    (effect,) = t.effects()
    assert isinstance(effect, RequestHandoff) and effect.reason == "asked" and not effect.urgent
    assert "Отменить вызов" in t.labels()


async def test_without_consultants_the_lines_are_given_instead() -> None:
    t = make_tester(False)
    await t.press("!lang=kk")
    await t.press("menu.main#human")
    assert "150" in t.texts() and t.effects() == []
    assert "Иә, кеңесшіні шақырыңыз" not in t.labels()


async def test_out_of_hours_offers_a_callback_time_in_this_chat() -> None:
    t = make_tester(True, "mon-fri 09:00-18:00")
    await t.press("!lang=ru")
    await t.press("handoff.start=yes")
    assert t.state.step == "handoff.after_hours" and "откроется: 26.11 09:00" in t.texts()
    assert "26.11 09:00" in t.labels() and "Лучше позвоню на 150" in t.labels()
    await t.press_label("26.11 10:00")
    assert "напишет вам сюда в выбранное время: 26.11 10:00" in t.texts()
    (effect,) = t.effects()
    assert isinstance(effect, RequestHandoff) and effect.reason == "callback"
    assert effect.details["callback_at"] == "2026-11-26T10:00:00+05:00"


async def test_a_forged_callback_value_is_refused_calmly() -> None:
    t = make_tester(True, "mon-fri 09:00-18:00")
    await t.press("handoff.after_hours=not-a-time")
    assert t.state.step == "handoff.after_hours" and t.effects() == []

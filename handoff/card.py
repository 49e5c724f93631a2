"""The case card in the consultants' group and on the web console: its text and its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.clock import ALMATY
from handoff.cases import OUTCOMES, Case
from handoff.topics import Buttons

CLAIM, CLOSE, OUTCOME, BACK = "hc:claim", "hc:close", "hc:out", "hc:back"
ROLE_LABELS = {
    "victim": "пострадавший(ая)",
    "witness": "свидетель",
    "aggressor": "применяющий(ая) насилие",
    "unknown": "не ясно",
}
DANGER_LABELS = {"high": "высокая", "elevated": "повышенная", "low": "низкая"}
QUIET_NOTE = (
    "🤫 Человек скрыл переписку (быстрый выход). Рядом может быть агрессор: не пишите первым, "
    "дождитесь сообщения от человека."
)
REASONS = {
    "urgent": "срочное сообщение",
    "urgent-exit": "срочно, быстрый выход",
    "asked": "попросил(а) консультанта",
    "callback": "просит написать позже",
}


class CaseCard:
    """The card's text (a part of the desk: `Desk.card`)."""

    def card(self, case: Case, lines: Sequence[tuple[str, str]]) -> str:
        head = f"{'🔴 СРОЧНО · ' if case.urgent else ''}Обращение {case.number}"
        facts = [
            f"Опасность: {DANGER_LABELS.get(case.danger or '', 'не оценена')}",
            f"Язык: {case.lang}",
            f"Кто пишет: {ROLE_LABELS.get(case.role, case.role)}",
            f"Регион: {case.region or '—'}",
            f"Причина: {REASONS.get(case.reason, case.reason)}",
        ]
        parts = [head, " · ".join(facts)]
        if case.quiet:
            parts.append(QUIET_NOTE)
        if case.callback_at is not None:
            when = case.callback_at.astimezone(ALMATY).strftime("%d.%m %H:%M")
            parts.append(f"Просит написать в {when} (Алматы)")
        screen = case.details.get("danger_screen")
        if isinstance(screen, dict) and screen:
            answers = "; ".join(f"{k}: {_answer(v)}" for k, v in screen.items())
            parts.append(f"Скрининг опасности: {answers}"[:800])
        if lines:
            parts.append("— Последние сообщения —")
            for direction, text in lines:
                who = "👤" if direction == "in" else "🤖"
                parts.append(f"{who} {text[:300]}")
        return "\n".join(parts)[:4000]


def claim_buttons(case: Case) -> Buttons:
    return [[("✋ Взять", f"{CLAIM}:{case.id}"), ("✖ Закрыть", f"{CLOSE}:{case.id}")]]


def close_buttons(case: Case) -> Buttons:
    return [[("✖ Закрыть", f"{CLOSE}:{case.id}")]]


def outcome_buttons(case: Case) -> Buttons:
    rows: list[list[tuple[str, str]]] = [
        [(label, f"{OUTCOME}:{case.id}:{code}")] for code, label in OUTCOMES.items()
    ]
    rows.append([("↩ Назад", f"{BACK}:{case.id}")])
    return rows


def _answer(value: Any) -> str:
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return str(value)[:60]

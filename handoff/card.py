"""The case card in the consultants' group and on the web console: its text and its buttons.

Its words are the `staff-card-*` texts (dialogues/texts/<lang>/staff_group.ftl), in the
group's language (`HandoffConfig.group_lang`); the web console asks for a staff member's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.clock import ALMATY
from core.texts import Texts
from handoff.case_view import OUTCOMES, Case, outcome_label
from handoff.desk import DeskBase
from handoff.topics import Buttons

CLAIM, CLOSE, OUTCOME, BACK = "hc:claim", "hc:close", "hc:out", "hc:back"
CLAIM_SEND = "hc:csend"  # claim, and send the message written before claiming


def role_label(texts: Texts, lang: str, role: str, details: Mapping[str, Any] | None = None) -> str:
    """Who is writing, with the finer role when the case knows it (issue 17): line 150 answers
    a child or a teenager as a children's line, and a parent's fear as a parent's."""
    said = texts.get(lang, "staff-role", {"role": role})
    finer, age = (details or {}).get("finer"), (details or {}).get("age")
    if finer in ("young_person", "parent") or age in ("child", "young"):
        writer = texts.get(lang, "staff-writer", {"finer": str(finer), "age": str(age)})
        said = f"{said} · {writer}"
    return said


def danger_label(texts: Texts, lang: str, danger: str | None) -> str:
    return texts.get(lang, "staff-danger", {"danger": danger or "none"})


def screen_answers(
    texts: Texts, lang: str, screen: Any, *, child: bool = False
) -> list[tuple[str, str]]:
    """The danger screen's answers in words, in the reader's language: (question, answer).
    A consultant reads «Душил(а): да», never a code such as «strangling: yes». `child`: the
    young person's screen (dialogues/data/child_danger.yaml), whose questions are a child's."""
    if not isinstance(screen, dict):
        return []
    key = "staff-child-q" if child else "staff-screen-q"
    words = []
    for question, answer in screen.items():
        code = ("yes" if answer else "no") if isinstance(answer, bool) else str(answer)[:60]
        words.append(
            (
                texts.get(lang, key, {"q": str(question)[:60]}),
                texts.get(lang, "staff-screen-a", {"a": code}),
            )
        )
    return words


def case_screens(
    texts: Texts, lang: str, details: Mapping[str, Any]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The screens a case carries, each as (kind, answers in words): "adult" (the danger
    screen) and "child" (the young person's screen, issue 17)."""
    found = [
        ("adult", screen_answers(texts, lang, details.get("danger_screen"))),
        ("child", screen_answers(texts, lang, details.get("child_screen"), child=True)),
    ]
    return [(kind, answers) for kind, answers in found if answers]


def earlier_line(texts: Texts, lang: str, earlier: Sequence[Case]) -> str:
    """The same anonymous person's earlier cases, newest first, in one line: a consultant
    sees at once that this is someone who came back, and which numbers to look up."""
    last = earlier[0].created_at.astimezone(ALMATY).strftime("%d.%m.%Y")
    numbers = ", ".join(c.number for c in earlier[:3])
    return texts.get(
        lang, "staff-card-earlier", {"count": len(earlier), "when": last, "numbers": numbers}
    )


class CaseCard(DeskBase):
    """The card's text and buttons (a part of the desk: `Desk.card`)."""

    def card(
        self,
        case: Case,
        lines: Sequence[tuple[str, str]],
        earlier: Sequence[Case] = (),
        lang: str | None = None,
    ) -> str:
        lang = lang or self.config.group_lang

        def t(key: str, **args: Any) -> str:
            return self.texts.get(lang, key, args)

        head = t("staff-card-head", number=case.number, urgent=str(case.urgent).lower())
        facts = t(
            "staff-card-facts",
            danger=danger_label(self.texts, lang, case.danger),
            lang=case.lang,
            role=role_label(self.texts, lang, case.role, case.details),
            region=case.region or "—",
            reason=t("staff-card-reason", reason=case.reason),
        )
        parts = [head, facts]
        if case.quiet:
            parts.append(t("staff-card-quiet"))
        if earlier:
            parts.append(earlier_line(self.texts, lang, earlier))
        if case.callback_at is not None:
            when = case.callback_at.astimezone(ALMATY).strftime("%d.%m %H:%M")
            parts.append(t("staff-card-callback", when=when))
        for kind, screen in case_screens(self.texts, lang, case.details):
            answers = "".join(f"\n• {question}: {answer}" for question, answer in screen)
            parts.append(t("staff-card-screen", answers=answers, kind=kind)[:1200])
        if lines:
            parts.append(t("staff-card-recent"))
            for direction, text in lines:
                who = {"in": "👤", "consultant": "💬"}.get(direction, "🤖")  # "out": the bot
                parts.append(f"{who} {text[:300]}")
        parts.append(t("staff-card-commands"))
        return "\n".join(parts)[:4000]

    def claim_buttons(self, case: Case) -> Buttons:
        return [
            [
                (self._staff_t("staff-card-claim"), f"{CLAIM}:{case.id}"),
                (self._staff_t("staff-card-close"), f"{CLOSE}:{case.id}"),
            ]
        ]

    def close_buttons(self, case: Case) -> Buttons:
        return [[(self._staff_t("staff-card-close"), f"{CLOSE}:{case.id}")]]

    def outcome_buttons(self, case: Case) -> Buttons:
        lang = self.config.group_lang
        rows: list[list[tuple[str, str]]] = [
            [(outcome_label(code, lang), f"{OUTCOME}:{case.id}:{code}")] for code in OUTCOMES
        ]
        rows.append([(self._staff_t("staff-card-back"), f"{BACK}:{case.id}")])
        return rows

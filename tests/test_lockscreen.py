"""Issue 20: what a lock screen shows of the messages the bot sends unasked (docs/lockscreen.md).

Every proactive kind is listed in core.lockscreen.PROACTIVE with the text key of its first line;
each first line, in both languages, is in the vetted neutral set below and holds no telling
word. A send site added to the code without being listed fails the census test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.lockscreen import PROACTIVE, TELLING, first_line, telling, vetted
from dialogues.texts import Texts

ROOT = Path(__file__).resolve().parent.parent
ARGS: dict[str, object] = {
    "day": "завтра",
    "time": "10:00",
    "old_day": "сегодня",
    "old_time": "12:00",
    "link": "https://meet.example.org/abc-defg",
    "note": "Специалист заболел.",
    "position": "2",
}

# The vetted neutral first lines, as a lock screen shows them (with ARGS). A change to one of
# them, or a new kind, is a decision: update docs/lockscreen.md and this set together (the
# Kazakh ones are checked word by word below).
VETTED_RU: set[str] = {
    "Напоминание: встреча завтра в 10:00.",
    "Встреча завтра в 10:00 отменена. Извините, что так вышло.",
    "Встреча сегодня в 12:00 перенесена. Новое время: завтра в 10:00. Извините, что так вышло.",
    "Встреча завтра в 10:00. Ссылка для входа:",
    "Мы не увиделись на последней встрече. Следующая — по расписанию, время можно "
    "посмотреть командой /bookings.",
    "Спасибо, что обратились. Три коротких вопроса — анонимно, можно пропустить.",
    "Вам ответили в чате.",
    "Консультант снова на связи. Можете писать здесь.",
    "Новое сообщение в чате.",
    "Простите, все консультанты сейчас заняты. Вы остаётесь в очереди — вам ответят здесь. "
    "Если поговорить нужно сейчас, позвоните:",
    "Вы по-прежнему в очереди: консультант ответит здесь, как только освободится. Если "
    "поговорить нужно сейчас, позвоните:",
}


def _first(texts: Texts, lang: str, key: str) -> str:
    return first_line(texts.get(lang, key, ARGS))


def test_every_proactive_first_line_is_vetted_and_neutral_in_both_languages() -> None:
    texts = Texts()
    for kind, key in PROACTIVE.items():
        for lang in ("ru", "kk"):
            line = _first(texts, lang, key)
            assert line, (kind, lang)
            assert telling(line) is None, (kind, lang, line, telling(line))
            if lang == "ru":
                assert line in VETTED_RU, (kind, line)


def test_the_kazakh_first_lines_hold_no_telling_word_either() -> None:
    texts = Texts()
    for key in set(PROACTIVE.values()):
        line = _first(texts, "kk", key).casefold()
        for stem in TELLING:
            assert stem not in line or stem.isdigit(), (key, stem, line)


def test_the_staff_note_and_a_consultants_words_never_open_a_message() -> None:
    opener = "Новое сообщение в чате."
    assert vetted(opener, "Здравствуйте! Как вы сейчас?") == "Здравствуйте! Как вы сейчас?"
    for telling_text in (
        "Позвоните в полицию: 102.",
        "Это консультант линии 150. Вы в безопасности?",
        "Психолог свяжется с вами завтра.",
        "Кризисный центр готов вас принять",
    ):
        out = vetted(opener, telling_text)
        assert first_line(out) == opener and out.endswith(telling_text)
    # A meeting id that holds the digits of a line is not a line's number.
    assert telling("https://zoom.us/j/81502345678") is None
    assert telling("Звоните 150") == "150"


def test_the_audit_lists_every_proactive_kind() -> None:
    doc = (ROOT / "docs" / "lockscreen.md").read_text(encoding="utf-8")
    for kind, key in PROACTIVE.items():
        assert f"`{kind}`" in doc, kind
        assert f"`{key}`" in doc, key


# Where the code sends a message to a person without being asked, file by file: an outbox
# enqueue, a delivery, a staff page's `tell`. Each is accounted for in PROACTIVE and the doc.
SEND = re.compile(r"\b(?:notifier\.enqueue|deliveries\.notify|notifier\.notify|services\.tell)\(")
SITES = {
    "bot/booking_setup.py": 3,  # course missed, the survey, reminders
    "handoff/actions.py": 5,  # claimed (a callback too), reply, ended, referred, reopened
    "handoff/relay.py": 1,  # urgent notice / text-only / still waiting: replies to his message
    "handoff/timeouts.py": 1,  # timeout, still queued
    "staffweb/booking_services.py": 1,  # `tell` itself
    "staffweb/bookings.py": 2,  # cancelled (with a note), online link
    "staffweb/booking_dayoff.py": 1,  # moved by a day off (with a note)
    "staffweb/course.py": 1,  # a course session moved
}


def test_no_proactive_send_site_is_unlisted() -> None:
    found: dict[str, int] = {}
    for package in ("bot", "booking", "core", "delivery", "dialogues", "handoff", "staffweb"):
        for path in (ROOT / package).rglob("*.py"):
            n = len(SEND.findall(path.read_text(encoding="utf-8")))
            if n:
                found[str(path.relative_to(ROOT))] = n
    assert found == SITES, (
        "a proactive send was added or removed: list its kind in core/lockscreen.PROACTIVE, "
        "its lock-screen line in docs/lockscreen.md, and here"
    )


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_quick_exit_leaves_a_neutral_word(lang: str) -> None:
    texts = Texts()
    left = texts.get(lang, "safety-exit")
    assert telling(left) is None and not any(ch.isdigit() for ch in left)

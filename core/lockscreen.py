"""What a lock screen may show: the first line of every message the bot sends unasked.

A notification preview shows the chat's name ("Qamqor") and the first line of the message to
whoever holds the phone. Every message the person did not just ask for (a reminder, a
consultant's reply that arrives later, a staff member's cancellation, the survey...) opens with
a first line that says nothing about violence, help, the police or a helpline: the proactive
kinds and their first lines are listed in `PROACTIVE` and checked by tests/test_lockscreen.py
(docs/lockscreen.md). Free text written by staff never opens a message: it goes out after a
vetted neutral line (`vetted`, or inside the booking flow's neutral messages).
"""

from __future__ import annotations

import re

# Stems a first line must not hold, casefolded (Russian, Kazakh, and the Latin spellings a
# video-call room's name may use). The numbers are the emergency and help lines.
TELLING: tuple[str, ...] = (
    # the lines
    "102",
    "103",
    "111",
    "112",
    "150",
    "телефон доверия",
    "сенім телефон",
    # who and what
    "психолог",
    "психотерап",
    "насил",
    "зорлық",
    "зорлык",
    "кризис",
    "дағдарыс",
    "полици",
    "полиция",
    "агресс",
    "побо",
    "бытов",
    "опасн",
    "қауіп",
    "убеж",
    "приют",
    "баспана",
    "юрист",
    "заңгер",
    "суд ",
    "судмед",
    "избива",
    "бьёт",
    "ұрып",
    # Latin (links, transliteration)
    "psycholog",
    "psiholog",
    "psixolog",
    "terap",
    "therap",
    "krizis",
    "crisis",
    "nasil",
    "violen",
    "abuse",
    "zorlyk",
    "polic",
    "shelter",
    "qamqor-help",
)

_SPACE = re.compile(r"\s+")

# Every kind of message the bot sends without being asked, and the text key of its first line
# (docs/lockscreen.md). A new proactive send must be listed here and in the doc:
# tests/test_lockscreen.py renders each first line in both languages, checks it, and fails on a
# send site in the code that is not accounted for.
PROACTIVE: dict[str, str] = {
    "booking.reminder": "booking-reminder",
    "booking.staff_cancelled": "booking-staff-cancelled",
    "booking.staff_moved": "booking-staff-moved",
    "booking.online_link": "booking-online-link",
    "booking.course_missed": "booking-course-missed",
    "feedback.start": "feedback-intro",
    "booking.referred": "lockscreen-answered",
    "handoff.claimed": "lockscreen-answered",
    "handoff.reopened": "handoff-reopened",
    "handoff.ended": "lockscreen-opener",
    "handoff.timeout": "handoff-timeout",
    "handoff.still_queued": "handoff-still-queued",
    "handoff.relay": "lockscreen-opener",
    "staff.note": "booking-staff-cancelled",
}


def first_line(text: str) -> str:
    """What a collapsed notification shows of a message: its first non-empty line."""
    for line in text.splitlines():
        if line.strip():
            return _SPACE.sub(" ", line.strip())
    return ""


def telling(text: str) -> str | None:
    """The first telling stem in the message's first line, or None when it is neutral."""
    line = f" {first_line(text).casefold()} "
    for stem in TELLING:
        if stem.isdigit():  # a line's number, not a part of a longer one (a meeting id)
            if re.search(rf"(?<!\d){stem}(?!\d)", line):
                return stem
        elif stem in line:
            return stem
    return None


def vetted(opener: str, text: str) -> str:
    """Free text written by staff as it may go out unasked: as it is when its first line is
    neutral, otherwise after the neutral `opener` line (in the person's language)."""
    return text if telling(text) is None else f"{opener}\n{text}"

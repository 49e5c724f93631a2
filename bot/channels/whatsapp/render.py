"""Reply objects as WhatsApp Cloud API message objects, within WhatsApp's limits.

Up to 3 buttons whose labels fit become reply buttons; anything else becomes a list message
whose first section keeps the urgent and quick-exit controls (they stay reachable on every
menu, also when more than 10 options are split over several lists). Titles are cut at a word
boundary with "…" and the full label goes into the row description. Every text is plain: a
pair of WhatsApp markers (*bold*, _italic_, ~strike~, ```mono```) is defused, so text a person
or a consultant typed is shown exactly as typed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.messages import Button, Reply

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # a text message
MAX_BODY = 1024  # the body of an interactive message
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10  # per list message, over all its sections
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
MAX_SECTION_TITLE = 24

SAFETY_PAYLOADS = ("!urgent", "!exit")  # reserved rows on every list, in this order
ZWSP = "\u200b"

Message = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Labels:
    """The few words of interactive chrome, in the person's language (texts wa-*.ftl)."""

    list_button: str
    section_safety: str
    section_choices: str
    more: str


def render(reply: Reply, labels: Labels) -> list[Message]:
    """The message objects (without `messaging_product` and `to`) that carry one reply."""
    text = plain(reply.text)
    buttons = _unique(reply.flat_buttons)
    if not buttons:
        return [_text(part) for part in split(text, MAX_TEXT)]
    head, body = _tail(text, MAX_BODY)
    out = [_text(part) for part in split(head, MAX_TEXT)] if head else []
    body = body or labels.section_choices
    if len(buttons) <= MAX_BUTTONS and all(
        units(b.label) <= MAX_BUTTON_TITLE and len(b.payload) <= MAX_BUTTON_ID for b in buttons
    ):
        out.append(_buttons(body, buttons))
    else:
        out.extend(_lists(body, buttons, labels))
    return out


# -- text --------------------------------------------------------------------------------

_PAIR = re.compile(r"(?<![\w*_~`])([*_~])(?=[^\s*_~])(.+?)(?<=\S)\1(?![\w*_~`])")
_CODE = re.compile(r"`")


def plain(text: str) -> str:
    """Defuse WhatsApp's markup pairs with a zero-width space after the opening marker.

    Only real pairs are touched (a_b_c, 2*3*4 and URLs stay as they are)."""
    text = _PAIR.sub(lambda m: m.group(1) + ZWSP + m.group(2) + m.group(1), text)
    if text.count("`") >= 2:
        text = _CODE.sub("`" + ZWSP, text)
    return text


def units(text: str) -> int:
    """Length as WhatsApp may count it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def fit(label: str, limit: int) -> str:
    """The label cut to `limit` at a word boundary, marked with "…" when cut."""
    label = " ".join(label.split())
    if units(label) <= limit:
        return label
    cut = ""
    for ch in label:
        if units(cut + ch) > limit - 1:
            break
        cut += ch
    space = cut.rfind(" ")
    if space >= len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:—-") + "…"


def split(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` characters, cut at paragraphs, lines or spaces when possible."""
    parts: list[str] = []
    rest = text
    while units(rest) > limit:
        window = _prefix(rest, limit)
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = len(window)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        parts.append(rest)
    return parts or [text]


def _prefix(text: str, limit: int) -> str:
    total, end = 0, 0
    for end, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > limit:
            return text[:end]
    return text


def _tail(text: str, limit: int) -> tuple[str, str]:
    """(head, tail): the tail fits `limit` and starts at a paragraph, line or word boundary."""
    if units(text) <= limit:
        return "", text
    start = len(text) - len(_prefix(text[::-1], limit))
    for sep in ("\n\n", "\n", " "):
        cut = text.find(sep, start)
        if cut != -1:
            return text[:cut].rstrip(), text[cut:].strip()
    return text[:start], text[start:]


def _text(body: str) -> Message:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


# -- interactive -------------------------------------------------------------------------


def _unique(buttons: Sequence[Button]) -> list[Button]:
    seen: set[str] = set()
    out = []
    for b in buttons:
        if b.payload in seen:
            continue
        if len(b.payload) > MAX_ROW_ID and len(b.payload) > MAX_BUTTON_ID:
            log.error("button payload too long for WhatsApp dropped: %s", b.payload[:20])
            continue
        seen.add(b.payload)
        out.append(b)
    return out


def _buttons(body: str, buttons: Sequence[Button]) -> Message:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": b.payload, "title": b.label}} for b in buttons
                ]
            },
        },
    }


def _row(button: Button) -> Message:
    label = " ".join(button.label.split())
    title = fit(label, MAX_ROW_TITLE)
    row: Message = {"id": button.payload, "title": title}
    if title != label:
        row["description"] = fit(label, MAX_ROW_DESCRIPTION)
    return row


def _lists(body: str, buttons: Sequence[Button], labels: Labels) -> list[Message]:
    buttons = [b for b in buttons if len(b.payload) <= MAX_ROW_ID]
    safety = sorted(
        (b for b in buttons if b.payload in SAFETY_PAYLOADS),
        key=lambda b: SAFETY_PAYLOADS.index(b.payload),
    )
    choices = [b for b in buttons if b.payload not in SAFETY_PAYLOADS]
    room = MAX_ROWS - len(safety)
    pages = [choices[i : i + room] for i in range(0, len(choices), room)] or [[]]
    out = []
    for n, page in enumerate(pages):
        sections = []
        if safety:
            sections.append(
                {
                    "title": fit(labels.section_safety, MAX_SECTION_TITLE),
                    "rows": [_row(b) for b in safety],
                }
            )
        if page:
            sections.append(
                {
                    "title": fit(labels.section_choices, MAX_SECTION_TITLE),
                    "rows": [_row(b) for b in page],
                }
            )
        out.append(
            {
                "type": "interactive",
                "interactive": {
                    "type": "list",
                    "body": {"text": body if n == 0 else plain(labels.more)},
                    "action": {
                        "button": fit(labels.list_button, MAX_LIST_BUTTON),
                        "sections": sections,
                    },
                },
            }
        )
    return out

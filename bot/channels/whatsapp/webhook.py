"""Meta's webhook: the signature check and a defensive parser of its payloads.

The parser never raises on content: unknown fields are ignored, missing ones are tolerated,
several entries/changes/messages in one POST are all read, and a message it cannot read is
still returned (as `unsupported`) so that the person gets an answer rather than silence.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from dialogues.geo import region_at

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"

# Message types that carry something the bot cannot read; answered with "I read text".
MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker", "contacts", "order"})
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 9}


def signature_ok(raw: bytes, header: str | None, app_secret: bytes) -> bool:
    """HMAC-SHA256 of the raw body with the app secret, compared in constant time."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def sign(raw: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class WaMessage:
    """One message a person sent, reduced to what the bot uses."""

    msg_id: str  # the wamid, or a digest of the message when Meta sent none
    wa_id: str  # the sender's WhatsApp id (their phone number)
    kind: str  # Meta's type: text, interactive, button, image, ...
    at: datetime | None = None
    text: str | None = None
    payload: str | None = None  # the id of a pressed reply button or list row
    unsupported: str | None = None  # a kind the bot cannot read
    template_button: bool = False  # a quick reply of a template (the window reopened)
    # A shared location, as its region only (None: outside Kazakhstan); the point is dropped
    # here, before the message is stored, so no coordinates are ever kept.
    located: bool = False
    region: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "msg_id": self.msg_id,
            "wa_id": self.wa_id,
            "kind": self.kind,
            "at": self.at.isoformat() if self.at else None,
            "text": self.text,
            "payload": self.payload,
            "unsupported": self.unsupported,
            "template_button": self.template_button,
            "located": self.located,
            "region": self.region,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WaMessage:
        at = data.get("at")
        return cls(
            msg_id=data["msg_id"],
            wa_id=data["wa_id"],
            kind=data["kind"],
            at=datetime.fromisoformat(at) if at else None,
            text=data.get("text"),
            payload=data.get("payload"),
            unsupported=data.get("unsupported"),
            template_button=bool(data.get("template_button")),
            located=bool(data.get("located")),
            region=_str(data.get("region")),
        )


@dataclass(frozen=True, slots=True)
class WaStatus:
    msg_id: str
    status: str  # sent | delivered | read | failed
    at: datetime | None
    error_code: int | None = None


@dataclass
class Parsed:
    messages: list[WaMessage] = field(default_factory=list)
    statuses: list[WaStatus] = field(default_factory=list)
    ignored: int = 0  # reactions, system notices, other numbers' traffic
    unanswerable: int = 0  # messages without any sender to answer


def parse(data: Any, phone_id: str) -> Parsed:
    out = Parsed()
    if not isinstance(data, dict):
        return out
    for entry in _list(data.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            if change.get("field", "messages") != "messages":
                out.ignored += 1
                continue
            _value(_dict(change.get("value")), phone_id, out)
    return out


def _value(value: dict[str, Any], phone_id: str, out: Parsed) -> None:
    metadata = _dict(value.get("metadata"))
    to = metadata.get("phone_number_id")
    if to is not None and str(to) != phone_id:
        # Another number of the same business account: not ours to answer.
        out.ignored += 1
        return
    for error in _list(value.get("errors")):
        log.warning("WhatsApp webhook error: code %s", _dict(error).get("code"))
    contacts = [_dict(c) for c in _list(value.get("contacts"))]
    sole_contact = str(contacts[0].get("wa_id")) if len(contacts) == 1 else None
    for raw in _list(value.get("messages")):
        message = _message(_dict(raw), sole_contact)
        if message is None:
            out.ignored += 1
        elif not message.wa_id:
            out.unanswerable += 1
            log.error("WhatsApp message of type %s without a sender; not answerable", message.kind)
        else:
            out.messages.append(message)
    for raw in _list(value.get("statuses")):
        status = _status(_dict(raw))
        if status is not None:
            out.statuses.append(status)


def _message(m: dict[str, Any], sole_contact: str | None) -> WaMessage | None:
    kind = str(m.get("type") or "unknown")
    wa_id = _str(m.get("from")) or sole_contact or ""
    msg_id = _str(m.get("id")) or _digest(m)
    base = WaMessage(msg_id, wa_id, kind, _time(m.get("timestamp")))
    if kind == "reaction":
        return None  # an emoji on a message: nothing to answer (decision: docs/whatsapp.md)
    if kind == "system":
        log.info("WhatsApp system notice %s ignored", _dict(m.get("system")).get("type"))
        return None
    if kind == "text":
        body = _str(_dict(m.get("text")).get("body"))
        if body is not None:
            return replace(base, text=body)
    elif kind == "interactive":
        interactive = _dict(m.get("interactive"))
        sub = str(interactive.get("type") or "")
        if sub in ("button_reply", "list_reply"):
            reply = _dict(interactive.get(sub))
            pressed = _str(reply.get("id"))
            if pressed:
                return replace(base, payload=pressed)
            title = _str(reply.get("title"))
            if title:  # no id: the title still presses the button by its label
                return replace(base, text=title)
        kind = f"interactive:{sub or 'unknown'}"
    elif kind == "button":
        text = _str(_dict(m.get("button")).get("text"))
        return replace(base, text=text, template_button=True)
    elif kind == "request_welcome":
        return replace(base, text="/start")
    elif kind == "location":
        return replace(base, located=True, region=_region(_dict(m.get("location"))))
    elif kind not in MEDIA_TYPES and kind != "unsupported":
        log.warning("WhatsApp message of unknown type %s answered as unsupported", kind[:32])
    # Anything else gets the calm "I read text" answer; a caption is still read.
    caption = _str(_dict(m.get(kind)).get("caption")) if kind in MEDIA_TYPES else None
    if caption:
        return replace(base, text=caption)
    if kind == "text":
        log.warning("WhatsApp text message without a body answered as unsupported")
    return replace(base, kind=kind, unsupported=kind)


def _region(point: dict[str, Any]) -> str | None:
    try:
        lat, lon = float(point["latitude"]), float(point["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return region_at(lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def _status(s: dict[str, Any]) -> WaStatus | None:
    msg_id = _str(s.get("id"))
    status = _str(s.get("status"))
    if not msg_id or status not in STATUS_RANK:
        return None
    code = None
    for error in _list(s.get("errors")):
        c = _dict(error).get("code")
        if isinstance(c, int):
            code = c
            break
    return WaStatus(msg_id, status, _time(s.get("timestamp")), code)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _digest(m: dict[str, Any]) -> str:
    raw = json.dumps(m, sort_keys=True, default=str).encode()
    return "digest:" + hashlib.sha256(raw).hexdigest()

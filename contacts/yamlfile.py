"""The directory as a YAML file (dialogues/data/contacts.yaml's schema): the seed and the export.

The file is validated by `dialogues.directory.check_file` before it gets here. An export holds
everything the table holds (the verification's exact time, the next check, retirement), so that
importing it back changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from contacts.entry import Contact, Details, Verification
from contacts.store import SYSTEM, default_due
from core.clock import ALMATY

_SHELTER = {True: "yes", False: "no", None: "unknown"}


def when(value: Any) -> datetime | None:
    """A time in the file: an ISO timestamp (YAML may already have parsed it) or a date
    (midnight in Almaty); None for nothing."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time(), ALMATY)
    else:
        text = str(value)
        found = (
            datetime.fromisoformat(text)
            if "T" in text or ":" in text
            else datetime.combine(date.fromisoformat(text), time(), ALMATY)
        )
    if found.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return found


def _text(raw: Mapping[str, Any], key: str) -> str:
    return str(raw.get(key) or "").strip()


def from_yaml(raw: Mapping[str, Any], position: int, now: datetime) -> Contact:
    details = Details(
        region=raw["region"],
        kind=raw["kind"],
        name_ru=_text(raw, "name_ru"),
        name_kk=_text(raw, "name_kk"),
        phones=tuple(str(p) for p in raw.get("phones") or ()),
        whatsapp=_text(raw, "whatsapp"),
        website=_text(raw, "website"),
        hours_ru=_text(raw, "hours_ru"),
        hours_kk=_text(raw, "hours_kk"),
        free=_text(raw, "free") or "unknown",
        languages=tuple(raw.get("languages") or ()),
        shelter=_SHELTER[raw.get("shelter")],
        line_ru=_text(raw, "line_ru"),
        line_kk=_text(raw, "line_kk"),
        notes=_text(raw, "notes"),
        source=_text(raw, "source"),
        last_seen=_text(raw, "last_seen"),
        confidence=_text(raw, "confidence"),
    )
    verification = None
    if raw.get("verified") is True:
        # A file that does not say when (the bundled seed) is taken as checked at import.
        at = when(raw.get("verified_at")) or when(raw.get("verified_on")) or now
        verification = Verification(
            at=at,
            by=_text(raw, "verified_by") or SYSTEM,
            how=raw.get("verified_how") or None,
            source=_text(raw, "verified_source"),
            due_at=when(raw.get("due_at")) or default_due(at),
        )
    return Contact(
        id=raw["id"],
        position=position,
        details=details,
        verification=verification,
        retired_at=when(raw.get("retired_at")),
        retired_by=raw.get("retired_by") or None,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_yaml(c: Contact) -> dict[str, Any]:
    d, v = c.details, c.verification
    return {
        "id": c.id,
        "region": d.region,
        "kind": d.kind,
        "name_ru": d.name_ru,
        "name_kk": d.name_kk,
        "line_ru": d.line_ru,
        "line_kk": d.line_kk,
        "phones": list(d.phones),
        "whatsapp": d.whatsapp,
        "website": d.website,
        "hours_ru": d.hours_ru,
        "hours_kk": d.hours_kk,
        "free": d.free,
        "languages": list(d.languages),
        "shelter": {"yes": True, "no": False}.get(d.shelter),
        "verified": v is not None,
        "verified_on": v.at.astimezone(ALMATY).date().isoformat() if v else None,
        "verified_at": _iso(v.at) if v else None,
        "verified_by": v.by if v else None,
        "verified_how": v.how if v else None,
        "verified_source": v.source if v else None,
        "due_at": _iso(v.due_at) if v else None,
        "retired_at": _iso(c.retired_at),
        "retired_by": c.retired_by,
        "last_seen": d.last_seen,
        "confidence": d.confidence,
        "source": d.source,
        "notes": d.notes,
    }

"""An entry of the directory as the rest of the code sees it, and the checks its words pass."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from contacts.rules import (
    HOW,
    ID,
    KINDS,
    LANGUAGES,
    NATIONAL,
    PHONE,
    TRISTATE,
    Standing,
    hidden_from,
    looks_like_address,
    standing,
)
from core.texts import Said

MAX_TEXT = 2000


class ContactError(Said):
    """An entry refused as written (the page shows it beside the form, in the reader's words)."""


@dataclass(frozen=True)
class Details:
    """What staff describe about an entry (everything but its verification)."""

    region: str
    kind: str
    name_ru: str
    name_kk: str = ""
    phones: tuple[str, ...] = ()
    whatsapp: str = ""
    website: str = ""
    hours_ru: str = ""
    hours_kk: str = ""
    free: str = "unknown"
    languages: tuple[str, ...] = ()
    shelter: str = "unknown"
    line_ru: str = ""  # national lines only: the words shown after the number
    line_kk: str = ""
    notes: str = ""
    source: str = ""
    last_seen: str = ""
    confidence: str = ""


@dataclass(frozen=True)
class Verification:
    at: datetime
    by: str  # the staff login (or, for the seed, the file's words)
    how: str | None  # phoned | official_site (None: the seed did not say)
    source: str
    due_at: datetime  # the next check


@dataclass(frozen=True)
class Contact:
    id: str
    position: int
    details: Details
    verification: Verification | None = None
    retired_at: datetime | None = None
    retired_by: str | None = None

    def standing(self, now: datetime, grace: timedelta) -> Standing:
        v = self.verification
        return standing(
            region=self.details.region,
            phones=self.details.phones,
            verified_at=v.at if v else None,
            due_at=v.due_at if v else None,
            retired_at=self.retired_at,
            now=now,
            grace=grace,
        )

    def hidden_from(self, grace: timedelta) -> datetime | None:
        v = self.verification
        return hidden_from(self.details.region, v.due_at if v else None, grace)


def changed_fields(before: Details, after: Details) -> list[str]:
    return [f.name for f in fields(Details) if getattr(before, f.name) != getattr(after, f.name)]


def _text(value: str, what: str, *, required: bool = False) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch.isprintable() or ch == "\n").strip()
    if required and not value:
        raise ContactError("staff-contact-error-missing", field=what)
    if len(value) > MAX_TEXT:
        raise ContactError("staff-contact-error-long", field=what, limit=MAX_TEXT)
    return value


RESERVED = ("new", "add")  # page paths beside the entries' own


def check_id(entry_id: str) -> str:
    if not ID.match(entry_id) or entry_id in RESERVED:
        raise ContactError("staff-contact-error-id")
    return entry_id


def checked(d: Details, regions: Collection[str]) -> Details:
    """The details as stored: trimmed, each field within its rules; ContactError otherwise."""
    if d.region != NATIONAL and d.region not in regions:
        raise ContactError("staff-contact-error-region")
    if d.kind not in KINDS:
        raise ContactError("staff-contact-error-kind")
    phones = tuple(p.replace(" ", "").replace("-", "") for p in d.phones if p.strip())
    if not all(PHONE.match(p) for p in phones):
        raise ContactError("staff-contact-error-phone")
    whatsapp = d.whatsapp.replace(" ", "").replace("-", "")
    if whatsapp and not PHONE.match(whatsapp):
        raise ContactError("staff-contact-error-whatsapp")
    website = d.website.strip()
    if website and not website.startswith("https://"):
        raise ContactError("staff-contact-error-website")
    if d.free not in TRISTATE or d.shelter not in TRISTATE:
        raise ContactError("staff-contact-error-tristate")
    if any(lang not in LANGUAGES for lang in d.languages):
        raise ContactError("staff-contact-error-languages")
    out = Details(
        region=d.region,
        kind=d.kind,
        name_ru=_text(d.name_ru, "name_ru", required=True),
        name_kk=_text(d.name_kk, "name_kk"),
        phones=phones,
        whatsapp=whatsapp,
        website=website,
        hours_ru=_text(d.hours_ru, "hours_ru"),
        hours_kk=_text(d.hours_kk, "hours_kk"),
        free=d.free,
        languages=tuple(lang for lang in LANGUAGES if lang in d.languages),
        shelter=d.shelter,
        line_ru=_text(d.line_ru, "line_ru"),
        line_kk=_text(d.line_kk, "line_kk"),
        notes=_text(d.notes, "notes"),
        source=_text(d.source, "source"),
        last_seen=d.last_seen.strip()[:32],
        confidence=d.confidence.strip()[:16],
    )
    if (out.line_ru or out.line_kk) and out.region != NATIONAL:
        raise ContactError("staff-contact-error-line")
    for name in ("name_ru", "name_kk", "hours_ru", "hours_kk", "line_ru", "line_kk", "notes"):
        if looks_like_address(getattr(out, name)):
            raise ContactError("staff-contact-error-address", field=name)
    return out


def check_how(how: str) -> str:
    if how not in HOW:
        raise ContactError("staff-contact-error-how")
    return how

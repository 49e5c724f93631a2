"""The directory of help contacts: the snapshot the flows read (`ctx.services.contacts`).

The live directory is in the database (contacts/, edited on the staff page); the bot refreshes
this snapshot from it (dialogues/live_directory.py). dialogues/data/contacts.yaml is its seed
and export format, and the directory of a process without a database. What a person is shown
follows the rules of contacts/rules.py: the national lines always come first, and a regional
entry is shown only when it has a phone, staff verified it, and its check is not overdue beyond
the grace period (`Entry.hidden_from`). The schema is documented at the top of the data file
and in docs/contacts.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from contacts.rules import HOW, KINDS, LANGUAGES, NATIONAL, TRISTATE
from contacts.rules import ID as _ID
from contacts.rules import PHONE as _PHONE
from contacts.yamlfile import when
from core.clock import Now
from dialogues.regions import default_regions

__all__ = ["KINDS", "NATIONAL", "Directory", "DirectoryError", "Entry", "check_file"]

CONTACTS_FILE = Path(__file__).with_name("data") / "contacts.yaml"
# What a child or a teenager is shown first in their region (docs/young-people.md).
FOR_YOUNG = ("juvenile_police",)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REQUIRED = ("id", "region", "kind", "name_ru", "phones", "verified")


class DirectoryError(ValueError):
    """The contacts file cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Entry:
    id: str
    region: str
    kind: str
    name_ru: str
    name_kk: str
    phones: tuple[str, ...]
    verified: bool
    shelter: bool | None
    line_ru: str = ""
    line_kk: str = ""
    whatsapp: str = ""  # a number that answers on WhatsApp (text), shown beside the phones
    website: str = ""  # for those who cannot call (telefon150.kz)
    # When its check is overdue beyond the grace period; None: never by a date (a national
    # line, or a directory read from a file).
    hidden_from: datetime | None = None

    @property
    def shown(self) -> bool:
        """Verified with a phone; `shown_at` also weighs the check date."""
        return self.verified and bool(self.phones)

    def shown_at(self, now: datetime | None) -> bool:
        return self.shown and (now is None or self.hidden_from is None or now < self.hidden_from)

    def name(self, lang: str) -> str:
        return (self.name_kk if lang == "kk" else "") or self.name_ru

    def line(self, lang: str) -> str:
        return (self.line_kk if lang == "kk" else "") or self.line_ru


@dataclass(frozen=True)
class Report:
    errors: list[str]
    unverified: list[str]  # ids of entries that will not be shown until staff verify them
    shown: int


@dataclass(frozen=True)
class Directory:
    entries: tuple[Entry, ...]
    # The clock the check dates are read against (None: a file's directory, no dates).
    now: Now | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: Path = CONTACTS_FILE) -> Directory:
        data, report = check_file(path)
        if report.errors:
            raise DirectoryError(f"{path}: " + "; ".join(report.errors))
        return cls(tuple(_entry(raw) for raw in data["entries"] if not raw.get("retired_at")))

    def _shown(self, entry: Entry) -> bool:
        return entry.shown_at(self.now() if self.now is not None else None)

    def national_lines(self) -> list[Entry]:
        return [e for e in self.entries if e.region == NATIONAL and e.line_ru and self._shown(e)]

    def regional(
        self, region: str, *, shelter_only: bool = False, young: bool = False
    ) -> list[Entry]:
        """The region's shown entries in file order; for a young person the juvenile police
        (and any kind in FOR_YOUNG) first."""
        found = [e for e in self.entries if e.region == region and self._shown(e)]
        if shelter_only:
            found = [e for e in found if e.shelter or e.kind in ("crisis_centre", "shelter")]
        if young:
            found.sort(key=lambda e: e.kind not in FOR_YOUNG)  # stable: file order otherwise
        return found


def check_file(path: Path) -> tuple[dict[str, Any], Report]:
    """Parse and validate a contacts file; never raises for bad content (the report says)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, Report([f"cannot read: {exc}".splitlines()[0]], [], 0)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return {}, Report(["the file must be a mapping with a list under 'entries'"], [], 0)
    regions = {*default_regions().ids, NATIONAL}
    errors: list[str] = []
    unverified: list[str] = []
    seen: set[str] = set()
    shown = 0
    for n, raw in enumerate(data["entries"], 1):
        where = f"entry {n}"
        if not isinstance(raw, dict):
            errors.append(f"{where}: not a mapping")
            continue
        where = f"entry {n} ({raw.get('id', '?')})"
        missing = [k for k in _REQUIRED if k not in raw]
        if missing:
            errors.append(f"{where}: missing {', '.join(missing)}")
            continue
        if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
            errors.append(f"{where}: id must be lower-case letters, digits and _")
        elif raw["id"] in seen:
            errors.append(f"{where}: id used twice")
        seen.add(str(raw["id"]))
        if raw["region"] not in regions:
            errors.append(f"{where}: unknown region {raw['region']!r}")
        if raw["kind"] not in KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not isinstance(raw["name_ru"], str) or not raw["name_ru"].strip():
            errors.append(f"{where}: name_ru is empty")
        phones = raw["phones"]
        if not isinstance(phones, list) or not all(
            isinstance(p, str) and _PHONE.match(p) for p in phones
        ):
            errors.append(f'{where}: phones must be a list of quoted numbers like "+77172123456"')
            phones = []
        if not isinstance(raw["verified"], bool):
            errors.append(f"{where}: verified must be true or false")
        elif raw["verified"] and not phones:
            errors.append(f"{where}: verified but has no phone")
        if raw.get("shelter") not in (True, False, None):
            errors.append(f"{where}: shelter must be true, false or null")
        if raw.get("verified_on") not in (None, "") and not _DATE.match(str(raw["verified_on"])):
            errors.append(f"{where}: verified_on must look like 2026-11-25")
        for text_field in (
            "name_kk",
            "line_ru",
            "line_kk",
            "source",
            "notes",
            "verified_by",
            "verified_source",
            "hours_ru",
            "hours_kk",
            "retired_by",
        ):
            if raw.get(text_field) not in (None, "") and not isinstance(raw.get(text_field), str):
                errors.append(f"{where}: {text_field} must be text")
        whatsapp = raw.get("whatsapp")
        if whatsapp not in (None, "") and not (
            isinstance(whatsapp, str) and _PHONE.match(whatsapp)
        ):
            errors.append(f'{where}: whatsapp must be a quoted number like "+77081060810"')
        website = raw.get("website")
        if website not in (None, "") and not (
            isinstance(website, str) and website.startswith("https://")
        ):
            errors.append(f"{where}: website must start with https://")
        errors.extend(f"{where}: {problem}" for problem in _check_live_fields(raw))
        if raw.get("line_ru") and raw["region"] != NATIONAL:
            errors.append(f"{where}: line_ru is for national lines only")
        if raw.get("verified") is True and phones:
            shown += 1
        elif phones or raw["region"] != NATIONAL:
            unverified.append(str(raw["id"]))
    return data, Report(errors, unverified, shown)


def _check_live_fields(raw: dict[str, Any]) -> list[str]:
    """The fields the database added (an export carries them): all optional."""
    problems = []
    if raw.get("verified_how") not in (None, "", *HOW):
        problems.append(f"verified_how must be one of {', '.join(HOW)}")
    if raw.get("free") not in (None, "", *TRISTATE):
        problems.append(f"free must be one of {', '.join(TRISTATE)}")
    languages = raw.get("languages")
    if languages not in (None, "") and not (
        isinstance(languages, list) and all(lang in LANGUAGES for lang in languages)
    ):
        problems.append(f"languages must be a list of {', '.join(LANGUAGES)}")
    for key in ("verified_at", "due_at", "retired_at"):
        try:
            when(raw.get(key))
        except (TypeError, ValueError):
            problems.append(f"{key} must look like 2026-11-25T10:00:00+05:00")
    return problems


def _entry(raw: dict[str, Any]) -> Entry:
    return Entry(
        id=raw["id"],
        region=raw["region"],
        kind=raw["kind"],
        name_ru=raw["name_ru"].strip(),
        name_kk=(raw.get("name_kk") or "").strip(),
        phones=tuple(raw["phones"]),
        verified=raw["verified"],
        shelter=raw.get("shelter"),
        line_ru=(raw.get("line_ru") or "").strip(),
        line_kk=(raw.get("line_kk") or "").strip(),
        whatsapp=str(raw.get("whatsapp") or "").strip(),
        website=str(raw.get("website") or "").strip(),
    )


@lru_cache(maxsize=1)
def default_directory() -> Directory:
    return Directory.load()

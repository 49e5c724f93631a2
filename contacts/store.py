"""The live directory in the database: add, edit, verify, retire, import; every change audited.

Each change and its audit row are one transaction. After a change the store calls its
listeners (the bot's directory refresher), so that this process shows the change at once;
other processes pick it up on their next periodic refresh (docs/contacts.md, "Refresh").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.entry import (
    Contact,
    ContactError,
    Details,
    Verification,
    changed_fields,
    check_how,
    check_id,
    checked,
)
from contacts.models import DirectoryEntry
from contacts.rules import CHECK_MONTHS, GRACE, add_months
from staffweb.models import AuditEvent
from storage.db import Database

SYSTEM = "system"  # who imports and seeds (the audit log's username)
Listener = Callable[[], Awaitable[object]]


def _view(row: DirectoryEntry) -> Contact:
    verification = None
    if row.verified_at is not None and row.due_at is not None:
        verification = Verification(
            at=row.verified_at,
            by=row.verified_by or "",
            how=row.verified_how,
            source=row.verified_source or "",
            due_at=row.due_at,
        )
    return Contact(
        id=row.id,
        position=row.position,
        details=_details(row),
        verification=verification,
        retired_at=row.retired_at,
        retired_by=row.retired_by,
    )


# The row's columns are named as the fields of Details; these two are lists in the row.
_LISTS = ("phones", "languages")


def _details(row: DirectoryEntry) -> Details:
    values = {f.name: getattr(row, f.name) for f in fields(Details)}
    values.update({name: tuple(values[name]) for name in _LISTS})
    return Details(**values)


def _write(row: DirectoryEntry, c: Contact) -> None:
    d, v = c.details, c.verification
    row.position = c.position
    for f in fields(Details):
        value = getattr(d, f.name)
        setattr(row, f.name, list(value) if f.name in _LISTS else value)
    row.verified_at = v.at if v else None
    row.verified_by = v.by if v else None
    row.verified_how = v.how if v else None
    row.verified_source = v.source if v else None
    row.due_at = v.due_at if v else None
    row.retired_at, row.retired_by = c.retired_at, c.retired_by


def default_due(verified_at: datetime) -> datetime:
    return add_months(verified_at, CHECK_MONTHS)


class ContactStore:
    def __init__(self, db: Database, regions: Collection[str], grace: timedelta = GRACE) -> None:
        self._db = db
        self.regions = tuple(regions)
        self.grace = grace
        self.listeners: list[Listener] = []

    async def _changed(self) -> None:
        for listener in self.listeners:
            await listener()

    @staticmethod
    def _audit(
        s: AsyncSession,
        now: datetime,
        by: str,
        staff_id: int | None,
        action: str,
        entry_id: str,
        words: str,
    ) -> None:
        s.add(
            AuditEvent(
                at=now,
                staff_id=staff_id,
                username=by[:64],
                action=action,
                subject=f"contact {entry_id}"[:128],
                reason=words[:1000] or None,
            )
        )

    # -- reading ------------------------------------------------------------------------

    async def all(self) -> list[Contact]:
        """Every entry, retired ones too, in the directory's order."""
        async with self._db.session() as s:
            rows = await s.scalars(
                select(DirectoryEntry).order_by(DirectoryEntry.position, DirectoryEntry.id)
            )
            return [_view(r) for r in rows]

    async def get(self, entry_id: str) -> Contact | None:
        async with self._db.session() as s:
            row = await s.get(DirectoryEntry, entry_id)
            return _view(row) if row is not None else None

    # -- staff changes ------------------------------------------------------------------

    async def add(
        self,
        entry_id: str,
        details: Details,
        by: str,
        now: datetime,
        staff_id: int | None = None,
    ) -> Contact:
        """A new entry, unverified: people see it only once someone verifies it."""
        entry_id = check_id(entry_id.strip().lower())
        details = checked(details, self.regions)
        try:
            async with self._db.session() as s, s.begin():
                if await s.get(DirectoryEntry, entry_id) is not None:
                    raise ContactError("staff-contact-error-taken")
                last = await s.scalar(select(func.max(DirectoryEntry.position)))
                contact = Contact(entry_id, (last or 0) + 1, details)
                row = DirectoryEntry(id=entry_id, updated_at=now, updated_by=by[:64])
                _write(row, contact)
                s.add(row)
                self._audit(s, now, by, staff_id, "contact-add", entry_id, "added, unverified")
        except IntegrityError as exc:  # the same id added at once elsewhere
            raise ContactError("staff-contact-error-taken") from exc
        await self._changed()
        return contact

    async def edit(
        self,
        entry_id: str,
        details: Details,
        by: str,
        now: datetime,
        staff_id: int | None = None,
    ) -> tuple[Contact, Contact] | None:
        """(before, after), or None for no such entry. A changed phone or WhatsApp number
        clears the verification: nobody has checked the new number yet."""
        details = checked(details, self.regions)
        async with self._db.session() as s, s.begin():
            row = await s.get(DirectoryEntry, entry_id, with_for_update=True)
            if row is None:
                return None
            before = _view(row)
            changed = changed_fields(before.details, details)
            after = replace(before, details=details)
            words = "changed " + ", ".join(changed) if changed else "saved unchanged"
            if before.verification and {"phones", "whatsapp"} & set(changed):
                after = replace(after, verification=None)
                words += "; verification cleared (a new number is not checked yet)"
            _write(row, after)
            row.updated_at, row.updated_by = now, by[:64]
            self._audit(s, now, by, staff_id, "contact-edit", entry_id, words)
        await self._changed()
        return before, after

    async def verify(
        self,
        entry_id: str,
        how: str,
        source: str,
        by: str,
        now: datetime,
        *,
        due_at: datetime | None = None,
        staff_id: int | None = None,
    ) -> Contact | None:
        """Who checked it (the signed-in coordinator), now, how and where; the next check
        six months on unless given."""
        how = check_how(how)
        source = source.strip()[:1000]
        if not source:
            raise ContactError("staff-contact-error-missing", field="source")
        due = due_at or default_due(now)
        if due <= now:
            raise ContactError("staff-contact-error-due")
        async with self._db.session() as s, s.begin():
            row = await s.get(DirectoryEntry, entry_id, with_for_update=True)
            if row is None:
                return None
            contact = _view(row)
            if contact.retired_at is not None:
                raise ContactError("staff-contact-error-retired")
            if not contact.details.phones:
                raise ContactError("staff-contact-error-no-phone")
            after = replace(contact, verification=Verification(now, by, how, source, due))
            _write(row, after)
            row.updated_at, row.updated_by = now, by[:64]
            words = f"verified ({how}): {source}; next check {due.date().isoformat()}"
            self._audit(s, now, by, staff_id, "contact-verify", entry_id, words)
        await self._changed()
        return after

    async def retire(
        self, entry_id: str, by: str, now: datetime, staff_id: int | None = None
    ) -> Contact | None:
        async with self._db.session() as s, s.begin():
            row = await s.get(DirectoryEntry, entry_id, with_for_update=True)
            if row is None:
                return None
            contact = _view(row)
            if contact.retired_at is None:
                contact = replace(contact, retired_at=now, retired_by=by[:64])
                _write(row, contact)
                row.updated_at, row.updated_by = now, by[:64]
                self._audit(s, now, by, staff_id, "contact-retire", entry_id, "retired")
        await self._changed()
        return contact

    # -- the file -----------------------------------------------------------------------

    async def import_contacts(
        self, contacts: Sequence[Contact], now: datetime, by: str = SYSTEM
    ) -> list[str]:
        """Upsert by id, as the file says (an entry the file leaves out is kept); the ids that
        changed, each audited. An unchanged entry is not written: export, then import, changes
        nothing."""
        changed: list[str] = []
        async with self._db.session() as s, s.begin():
            for c in contacts:
                c = replace(c, details=checked(c.details, self.regions))
                row = await s.get(DirectoryEntry, c.id, with_for_update=True)
                if row is not None and _view(row) == c:
                    continue
                words = "imported, new"
                if row is None:
                    row = DirectoryEntry(id=c.id)
                    s.add(row)
                else:
                    before = _view(row)
                    what = changed_fields(before.details, c.details)
                    what += [
                        name
                        for name, old, new in (
                            ("position", before.position, c.position),
                            ("verification", before.verification, c.verification),
                            ("retired", before.retired_at, c.retired_at),
                        )
                        if old != new
                    ]
                    words = "imported: changed " + ", ".join(what)
                _write(row, c)
                row.updated_at, row.updated_by = now, by[:64]
                self._audit(s, now, by, None, "contact-import", c.id, words)
                changed.append(c.id)
        if changed:
            await self._changed()
        return changed

    async def seed_if_empty(self, contacts: Sequence[Contact], now: datetime) -> bool:
        """The first start: an empty table gets the bundled file (or QAMQOR_CONTACTS_FILE).
        Two processes starting at once: the primary key lets one of them seed."""
        async with self._db.session() as s:
            if await s.scalar(select(func.count()).select_from(DirectoryEntry)):
                return False
        try:
            return bool(await self.import_contacts(contacts, now))
        except IntegrityError:
            return False

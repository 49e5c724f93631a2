"""The flows' snapshot of the live directory, refreshed from the database.

The flows read a synchronous `Directory` (`ctx.services.contacts`); this rebuilds it from the
table and puts it there. It runs at start, at once after every change made through this
process's store (the staff page), and every few seconds for changes made by other processes
(a job, QAMQOR_CONTACTS_REFRESH_SECONDS). A refresh reads the whole table: a few hundred rows
at most, simpler and as correct as tracking versions. Check dates need no refresh: each entry
carries when it stops being shown, read against the clock at every turn.
"""

from __future__ import annotations

from contacts.entry import Contact
from contacts.store import ContactStore
from core.clock import Clock
from dialogues.directory import Directory, Entry
from dialogues.services import Services


def entry_of(c: Contact, store: ContactStore) -> Entry:
    d = c.details
    return Entry(
        id=c.id,
        region=d.region,
        kind=d.kind,
        name_ru=d.name_ru,
        name_kk=d.name_kk,
        phones=d.phones,
        verified=c.verification is not None,
        shelter={"yes": True, "no": False}.get(d.shelter),
        line_ru=d.line_ru,
        line_kk=d.line_kk,
        whatsapp=d.whatsapp,
        website=d.website,
        hidden_from=c.hidden_from(store.grace),
    )


class LiveDirectory:
    def __init__(self, store: ContactStore, services: Services, clock: Clock) -> None:
        self.store = store
        self.services = services
        self.clock = clock

    async def refresh(self) -> Directory:
        contacts = await self.store.all()
        directory = Directory(
            tuple(entry_of(c, self.store) for c in contacts if c.retired_at is None),
            now=self.clock.now,
        )
        self.services.contacts = directory  # one assignment: a turn sees the old or the new
        return directory

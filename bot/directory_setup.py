"""Putting the live directory into the App: the store, its seed, the flows' snapshot and its
refresh (docs/contacts.md)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from contacts.entry import Contact
from contacts.store import ContactStore
from contacts.yamlfile import from_yaml
from dialogues.directory import CONTACTS_FILE, DirectoryError, check_file
from dialogues.live_directory import LiveDirectory
from dialogues.regions import default_regions
from storage.db import Database

if TYPE_CHECKING:
    from bot.app import App


def read_file(path: Path, now: datetime) -> list[Contact]:
    """A contacts file's entries, in its order; DirectoryError lists every problem."""
    data, report = check_file(path)
    if report.errors:
        raise DirectoryError(f"{path}: " + "; ".join(report.errors))
    return [from_yaml(raw, n, now) for n, raw in enumerate(data["entries"], 1)]


def make_store(db: Database, grace_days: int = 14) -> ContactStore:
    return ContactStore(db, default_regions().ids, grace=timedelta(days=grace_days))


async def install(app: App, seed_file: Path | None) -> None:
    """The store, seeded when its table is empty, and the flows' snapshot kept fresh."""
    store = make_store(app.db, app.settings.contacts_grace_days)
    seed = read_file(seed_file or CONTACTS_FILE, app.clock.now())
    await store.seed_if_empty(seed, app.clock.now())
    live = LiveDirectory(store, app.conversations.services, app.clock)
    await live.refresh()
    store.listeners.append(live.refresh)
    app.jobs.every(app.settings.contacts_refresh_seconds, "contacts.refresh", live.refresh)
    app.contacts = store

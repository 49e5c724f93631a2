"""`qamqor contacts import` and `export`: the live directory to and from a contacts file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.directory_setup import make_store, read_file
from bot.settings import Settings
from contacts.entry import Contact
from contacts.yamlfile import to_yaml
from dialogues.directory import CONTACTS_FILE
from storage.db import Database


def _header() -> str:
    """The bundled file's comment block (the schema), at the top of every export."""
    lines = []
    for line in CONTACTS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n"


def read(path: Path) -> list[Contact]:
    """The file's entries, checked before the database is touched (DirectoryError)."""
    return read_file(path, datetime.now(UTC))


async def import_contacts(settings: Settings, contacts: list[Contact]) -> list[str]:
    db = Database(settings.database)
    try:
        await db.upgrade()
        store = make_store(db, settings.contacts_grace_days)
        return await store.import_contacts(contacts, datetime.now(UTC))
    finally:
        await db.dispose()


async def export_text(settings: Settings) -> tuple[str, int]:
    """The live directory as a contacts file, and how many entries it holds."""
    db = Database(settings.database)
    try:
        await db.upgrade()
        contacts = await make_store(db, settings.contacts_grace_days).all()
    finally:
        await db.dispose()
    body = yaml.safe_dump(
        {"schema": 1, "entries": [to_yaml(c) for c in contacts]},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return _header() + body, len(contacts)

"""Canned replies: ready answers consultants insert into a reply, edited by coordinators.

Each reply has a short title and a text in every language (ru, kk): the case page labels the
button in the staff member's language and inserts the text in the person's. Titles and texts
are staff-authored templates, never anything a person wrote, so they are stored in plain
columns (not through the Vault). A reply is retired rather than deleted: the audit log keeps
naming it, and it can be restored.

The first read of an empty table seeds the three replies the console always had (the
`canned-*` texts and their `staff-canned-*` labels), so a fresh install and an upgraded one
start the same; a unique `seed` key makes two first reads at once seed them only once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core.texts import LANGS, Said, Texts
from storage.coltypes import UtcDateTime
from storage.db import Database
from storage.models import Base

MAX_TITLE = 60
MAX_TEXT = 1500
# (the person-facing text, the staff label) of each reply the table starts with.
SEED = (
    ("canned-emergency", "staff-canned-emergency"),
    ("canned-contacts", "staff-canned-contacts"),
    ("canned-booking", "staff-canned-booking"),
)


class CannedReply(Base):
    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_ru: Mapped[str] = mapped_column(String(MAX_TITLE))
    title_kk: Mapped[str] = mapped_column(String(MAX_TITLE))
    text_ru: Mapped[str] = mapped_column(Text)
    text_kk: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The Fluent key a seeded row came from: unique, so that seeding happens once.
    seed: Mapped[str | None] = mapped_column(String(32), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))


class CannedError(Said):
    """A reply refused as written (the staff page shows it calmly, in the reader's words)."""


@dataclass(frozen=True)
class Canned:
    id: int
    titles: Mapping[str, str]
    texts: Mapping[str, str]
    position: int
    active: bool
    updated_at: datetime
    updated_by: str

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["ru"]

    def text(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts["ru"]


def _view(row: CannedReply) -> Canned:
    return Canned(
        id=row.id,
        titles={"ru": row.title_ru, "kk": row.title_kk},
        texts={"ru": row.text_ru, "kk": row.text_kk},
        position=row.position,
        active=row.active,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _clean(value: str, limit: int, what: str, lang: str) -> str:
    # Line ends as a browser sends them (CRLF) become one newline; control characters go.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch.isprintable() or ch == "\n").strip()
    if not value:
        raise CannedError(f"staff-canned-error-{what}-missing", lang=lang)
    if len(value) > limit:
        raise CannedError(f"staff-canned-error-{what}-long", lang=lang, limit=limit)
    return value


def checked(
    titles: Mapping[str, str], texts: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Titles and texts as stored: each language present, trimmed and within its limit."""
    return (
        {lang: _clean(titles.get(lang, ""), MAX_TITLE, "title", lang) for lang in LANGS},
        {lang: _clean(texts.get(lang, ""), MAX_TEXT, "text", lang) for lang in LANGS},
    )


class CannedReplies:
    def __init__(self, db: Database, texts: Texts) -> None:
        self._db = db
        self._texts = texts

    async def all(self, *, active_only: bool = False) -> list[Canned]:
        """The replies in their order (retired ones too unless `active_only`)."""
        rows = await self._rows()
        if not rows:
            await self._seed()
            rows = await self._rows()
        return [_view(r) for r in rows if r.active or not active_only]

    async def get(self, reply_id: int) -> Canned | None:
        async with self._db.session() as s:
            row = await s.get(CannedReply, reply_id)
            return _view(row) if row is not None else None

    async def _rows(self) -> list[CannedReply]:
        async with self._db.session() as s:
            query = select(CannedReply).order_by(CannedReply.position, CannedReply.id)
            return list((await s.execute(query)).scalars())

    async def _seed(self) -> None:
        try:
            async with self._db.session() as s, s.begin():
                for place, (text_key, label_key) in enumerate(SEED, start=1):
                    s.add(
                        CannedReply(
                            title_ru=self._texts.get("ru", label_key)[:MAX_TITLE],
                            title_kk=self._texts.get("kk", label_key)[:MAX_TITLE],
                            text_ru=self._texts.get("ru", text_key),
                            text_kk=self._texts.get("kk", text_key),
                            position=place,
                            active=True,
                            seed=text_key,
                            updated_at=func.now(),
                            updated_by="-",
                        )
                    )
        except IntegrityError:
            pass  # another first read seeded them at the same moment

    async def add(
        self, titles: Mapping[str, str], texts: Mapping[str, str], by: str, now: datetime
    ) -> Canned:
        """A new reply, placed last."""
        titles, texts = checked(titles, texts)
        await self.all()  # seed first, so that the defaults are not lost behind a new one
        async with self._db.session() as s, s.begin():
            last = await s.scalar(select(func.max(CannedReply.position)))
            row = CannedReply(
                title_ru=titles["ru"],
                title_kk=titles["kk"],
                text_ru=texts["ru"],
                text_kk=texts["kk"],
                position=(last or 0) + 1,
                active=True,
                updated_at=now,
                updated_by=by,
            )
            s.add(row)
            await s.flush()
            return _view(row)

    async def edit(
        self,
        reply_id: int,
        titles: Mapping[str, str],
        texts: Mapping[str, str],
        by: str,
        now: datetime,
    ) -> tuple[Canned, Canned] | None:
        """(before, after), or None when there is no such reply."""
        titles, texts = checked(titles, texts)
        async with self._db.session() as s, s.begin():
            row = await s.get(CannedReply, reply_id)
            if row is None:
                return None
            before = _view(row)
            row.title_ru, row.title_kk = titles["ru"], titles["kk"]
            row.text_ru, row.text_kk = texts["ru"], texts["kk"]
            row.updated_at, row.updated_by = now, by
            await s.flush()
            return before, _view(row)

    async def set_active(
        self, reply_id: int, active: bool, by: str, now: datetime
    ) -> Canned | None:
        """Retire a reply (it leaves the case page) or restore it; None: no such reply."""
        async with self._db.session() as s, s.begin():
            row = await s.get(CannedReply, reply_id)
            if row is None:
                return None
            row.active = active
            row.updated_at, row.updated_by = now, by
            await s.flush()
            return _view(row)

    async def move(self, reply_id: int, step: int, by: str, now: datetime) -> int | None:
        """Swap a reply with its neighbour above (step -1) or below (+1); its new place
        (1-based), or None when there is no such reply. At either end it stays put."""
        async with self._db.session() as s, s.begin():
            query = select(CannedReply).order_by(CannedReply.position, CannedReply.id)
            rows = list((await s.execute(query)).scalars())
            index = next((i for i, r in enumerate(rows) if r.id == reply_id), None)
            if index is None:
                return None
            other = index + (1 if step > 0 else -1)
            if 0 <= other < len(rows):
                rows[index], rows[other] = rows[other], rows[index]
                index = other
            # Renumbered 1..n: positions stay distinct even after rows were added by hand.
            for place, row in enumerate(rows, start=1):
                row.position = place
            rows[index].updated_at, rows[index].updated_by = now, by
            return index + 1

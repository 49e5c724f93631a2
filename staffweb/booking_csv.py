"""The bookings CSV in words: headings and values (kind, language, format, status, yes/no) in
the exporting staff member's language, one language per file (a header row in two languages
is hard to filter and sort in a spreadsheet). No pseudonyms: the file leaves the system."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from booking.bookings import BookingView
from booking.schedule import Schedule
from core.clock import ALMATY
from staffweb.site import Say

COLUMNS = (
    "id",
    "date",
    "start",
    "end",
    "specialists",
    "kind",
    "lang",
    "mode",
    "status",
    "confirmed",
    "link",
)


def render(t: Say, rows: Sequence[BookingView], schedule: Schedule) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t("staff-bookings-csv-column", column=c) for c in COLUMNS])
    yes, no = t("staff-bookings-csv-yes"), t("staff-bookings-csv-no")
    for b in rows:
        local = b.starts_at.astimezone(ALMATY)
        writer.writerow(
            [
                b.id,
                local.date().isoformat(),
                local.strftime("%H:%M"),
                b.ends_at.astimezone(ALMATY).strftime("%H:%M"),
                _safe(schedule.names(b.specialists)),
                t("staff-kind", kind=b.kind),
                t("staff-bookings-csv-lang", lang=b.lang),
                t("staff-mode", mode=b.mode),
                t("staff-booking-status", status=b.status),
                yes if b.confirmed else no,
                yes if b.link_sends else no,
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # with BOM: Excel then reads Cyrillic right


def _safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value

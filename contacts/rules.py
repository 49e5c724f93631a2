"""What an entry may hold and when people see it (docs/contacts.md, "The rules").

An entry is shown to people only while it has a phone, has been verified, is not retired and
its check is current: a regional entry is hidden once its next-check date (`due_at`) has passed
by more than the grace period. National lines (102, 112, 103, 150, 111) are never hidden by a
date: the page shows them as due or overdue, and a coordinator verifies or retires them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

NATIONAL = "national"
KINDS = (
    "emergency",
    "hotline",
    "police",
    "juvenile_police",  # inspectors for minors' affairs: shown first to a young person (issue 17)
    "crisis_centre",
    "shelter",
    "ngo",
    "legal_aid",
)
HOW = ("phoned", "official_site")
TRISTATE = ("yes", "no", "unknown")
LANGUAGES = ("kk", "ru")
PHONE = re.compile(r"^\+?[0-9]{3,15}$")
ID = re.compile(r"^[a-z0-9_]{2,64}$")
CHECK_MONTHS = 6  # the next check, by default, after a verification
GRACE = timedelta(days=14)  # an overdue regional entry is still shown this long
DUE_SOON = timedelta(days=30)  # the page's reminders start this long before the check date
# No entry has an address field, and none may smuggle one into its words: a shelter's address
# is secret by design, and the bot lists numbers, never places. Caught: street words and house
# or flat numbers, in Russian and Kazakh ("ул.", "көшесі", "д. 5", "пәтер 12").
ADDRESS = re.compile(
    r"(?<!\w)(ул\.|улиц[аеыу]|пр-т|просп\.|проспект\w*|мкр\.?|микрорайон\w*|переул\w*|"
    r"көше\w*|даңғыл\w*|шағын\s+аудан\w*|"
    r"(д|дом|кв|үй|пәтер)\.?\s*№?\s*\d)",
    re.IGNORECASE,
)


def add_months(when: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day where it has fewer days)."""
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def looks_like_address(text: str) -> bool:
    return bool(ADDRESS.search(text))


@dataclass(frozen=True)
class Standing:
    """Where an entry stands now, for the page: a code and the date it refers to."""

    code: str  # current | due | overdue | hidden | unverified | no_phone | retired
    since: datetime | None = None  # due/overdue: the check date; hidden: hidden since

    @property
    def shown(self) -> bool:
        return self.code in ("current", "due", "overdue")

    @property
    def reminder(self) -> bool:
        """On the page's "due or overdue" list."""
        return self.code in ("due", "overdue", "hidden")


def hidden_from(region: str, due_at: datetime | None, grace: timedelta) -> datetime | None:
    """When a verified entry stops being shown; None: never by a date (national lines)."""
    if region == NATIONAL or due_at is None:
        return None
    return due_at + grace


def standing(
    *,
    region: str,
    phones: tuple[str, ...],
    verified_at: datetime | None,
    due_at: datetime | None,
    retired_at: datetime | None,
    now: datetime,
    grace: timedelta,
) -> Standing:
    if retired_at is not None:
        return Standing("retired", retired_at)
    if not phones:
        return Standing("no_phone")
    if verified_at is None or due_at is None:
        return Standing("unverified")
    hide = hidden_from(region, due_at, grace)
    if hide is not None and now >= hide:
        return Standing("hidden", hide)
    if now >= due_at:
        return Standing("overdue", due_at)
    if now >= due_at - DUE_SOON:
        return Standing("due", due_at)
    return Standing("current", due_at)

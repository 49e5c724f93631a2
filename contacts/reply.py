"""A consultant's canned reply with the verified contacts of the case's region (issue 18).

The consultant's console offers it beside the coordinators' canned replies: the entries shown to
people now (verified, current, not retired) in the person's region, in the person's language,
worded as the bot words them (`contacts-region-found`). A region with none offers nothing: a
consultant never sends a number the service has not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from contacts.entry import Contact
from core.texts import Texts


def shown_in(
    contacts: Sequence[Contact], region: str | None, now: datetime, grace: timedelta
) -> list[Contact]:
    """The region's entries people are shown now, in the directory's order."""
    if not region:
        return []
    return [c for c in contacts if c.details.region == region and c.standing(now, grace).shown]


def regional_reply(texts: Texts, lang: str, region: str, contacts: Sequence[Contact]) -> str:
    """The reply's text in `lang`: the region's name and one line per entry."""
    lines = []
    for c in contacts:
        d = c.details
        name = (d.name_kk if lang == "kk" else "") or d.name_ru
        line = f"📞 {', '.join(d.phones)} — {name}"
        if d.whatsapp:
            line += " · " + texts.get(lang, "contacts-line-whatsapp", {"number": d.whatsapp})
        lines.append(line)
    place = texts.get(lang, f"region-{region}")
    return texts.get(lang, "contacts-region-found", {"region": place, "contacts": "\n".join(lines)})

"""Numbers, shares and durations as staff read them (Russian and Kazakh)."""

from __future__ import annotations

from datetime import date


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"


def duration(seconds: float | None, lang: str = "ru") -> str:
    """3 мин 05 с; 1 ч 02 мин (kk: сағ, мин, с)."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    h = "сағ" if lang == "kk" else "ч"
    if hours:
        return f"{hours} {h} {minutes:02d} мин"
    if minutes:
        return f"{minutes} мин {secs:02d} с"
    return f"{secs} с"


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def short_day(value: date) -> str:
    return value.strftime("%d.%m")

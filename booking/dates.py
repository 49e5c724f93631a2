"""Day words in a booking request, in Russian, Kazakh and Latin transliteration of both.

"можно в субботу?", "сенбіде болады ма", "perenesti na ponedelnik", "28 ноября", "28.11",
"завтра", "ертең" → a date (the nearest one not in the past). Also what the person wants to
do with a booking ("перенести", "отменить", "мои записи"), so that free text lands in the
right step of the booking flow.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

_WORD = re.compile(r"[0-9a-zа-яёәғқңөұүһі']+", re.IGNORECASE)

# Word prefixes per weekday (0 = Monday); matched at the start of a word, so "сенбі" does not
# match "дүйсенбі". Russian "сред" is listed as full forms: "средство" is not a Wednesday.
_WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("понедельн", "пн", "дүйсенбі", "дуйсенби", "ponedeln", "duisenbi", "duysenbi", "dúisenbi"),
    ("вторник", "вт", "сейсенбі", "сейсенби", "vtornik", "seisenbi", "seysenbi"),
    ("среда", "среду", "средам", "ср", "сәрсенбі", "сарсенби", "sreda", "sredu", "sarsenbi"),
    ("четверг", "чт", "бейсенбі", "бейсенби", "chetverg", "beisenbi", "beysenbi"),
    ("пятниц", "пт", "жұма", "жума", "pyatnic", "pyatnits", "piatnic", "juma", "zhuma"),
    ("суббот", "сб", "сенбі", "сенби", "subbot", "senbi"),
    (
        "воскресень",
        "воскресенье",
        "вс",
        "жексенбі",
        "жексенби",
        "voskresen",
        "zheksenbi",
        "jeksenbi",
    ),
)
_SHORT = {"пн", "вт", "ср", "чт", "пт", "сб", "вс"}  # only as whole words
_RELATIVE: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("сегодня", "бүгін", "бугин", "бүгин", "segodnya", "segodnia", "bugin")),
    (1, ("завтра", "ертең", "ертен", "zavtra", "erten", "erten'")),
    (2, ("послезавтра", "бүрсігүні", "бүрсүгүні", "бурсигуни", "poslezavtra", "bursigunі")),
)
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("январ", "янв", "қаңтар", "кантар", "yanvar", "qantar"),
    ("феврал", "фев", "ақпан", "акпан", "fevral", "aqpan", "akpan"),
    ("март", "наурыз", "mart", "nauryz"),
    ("апрел", "апр", "сәуір", "сауир", "aprel", "sauir"),
    ("мая", "май", "мамыр", "maya", "mamyr"),
    ("июн", "маусым", "iyun", "maysym", "mausym"),
    ("июл", "шілде", "шилде", "iyul", "shilde"),
    ("август", "авг", "тамыз", "avgust", "tamyz"),
    ("сентябр", "сен", "қыркүйек", "кыркуйек", "sentyabr", "qyrkuiek"),
    ("октябр", "окт", "қазан", "казан", "oktyabr", "qazan"),
    ("ноябр", "ноя", "қараша", "караша", "noyabr", "qarasha", "karasha"),
    ("декабр", "дек", "желтоқсан", "желтоксан", "dekabr", "zheltoqsan"),
)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b")

Wish = Literal["move", "cancel", "mine"]
_WISHES: tuple[tuple[Wish, tuple[str, ...]], ...] = (
    ("move", ("перенес", "перенос", "перенест", "ауыстыр", "басқа күнге", "perenes", "auystyr")),
    ("cancel", ("отмен", "отказ", "бас тарт", "болдырма", "otmen", "bas tart")),
    ("mine", ("мои запис", "моя запись", "менің жазыл", "жазылуым", "moi zapis")),
)


def words(text: str) -> list[str]:
    return [w.casefold().replace("ё", "е") for w in _WORD.findall(text)]


def parse_day(text: str, today: date) -> date | None:
    """The day a message names, or None. Weekdays mean the nearest such day from today."""
    if not text:
        return None
    tokens = words(text[:500])
    numeric = _NUMERIC.search(text)
    if numeric:
        day, month = int(numeric.group(1)), int(numeric.group(2))
        found = _future(today, day, month)
        if found:
            return found
    for i, token in enumerate(tokens):
        if token.isdigit() and 1 <= int(token) <= 31:
            # "28 ноября", "28-го ноября", and Kazakh "қарашаның 28-і" (month first)
            neighbours = tokens[i + 1 : i + 3] + tokens[max(0, i - 1) : i]
            for near in neighbours:
                named = _month(near)
                if named:
                    found = _future(today, int(token), named)
                    if found:
                        return found
    for offset, forms in sorted(_RELATIVE, key=lambda r: -r[0]):  # "послезавтра" before "завтра"
        if any(t in forms for t in tokens):
            return today + timedelta(days=offset)
    for token in tokens:
        weekday = _weekday(token)
        if weekday is not None:
            return today + timedelta(days=(weekday - today.weekday()) % 7)
    return None


def wish(text: str) -> Wish | None:
    low = " ".join(words(text[:500]))
    for name, stems in _WISHES:
        if any(stem in low for stem in stems):
            return name
    return None


def _weekday(token: str) -> int | None:
    for index, forms in enumerate(_WEEKDAYS):
        for form in forms:
            if form in _SHORT or form in ("среда", "среду", "средам", "ср"):
                if token == form:
                    return index
            elif token.startswith(form):
                return index
    return None


def _month(token: str) -> int | None:
    for index, stems in enumerate(_MONTHS, 1):
        for stem in stems:
            short = len(stem) <= 3
            if (token == stem or token.startswith(stem + ".")) if short else token.startswith(stem):
                return index
    return None


def _future(today: date, day: int, month: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None

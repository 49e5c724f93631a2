"""Who is writing, by age (issue 17): a child or a teenager, a parent afraid of hurting their
child, or an adult.

Line 150 is the national line for children and youth, so a young person's message needs a
children's answer, and a parent's fear a parent's. This reads the writer's age band and a finer
role beside the contract's `role` from cues people give (nlu/data/age/cues.txt): a stated age
("мне 14", "маған 13", "men 15 jastamyn"), a school grade ("в 8 классе", "9-сынып"), school
life, a child's words for home ("отчим", "папа бьёт маму", "ата-анам"), and, for a parent, their
own child beside hurting or the fear of it. An adult's life (a partner, their own child, work,
"in my childhood") blocks the softer cues, so that a woman who writes "мама" about her mother or
a teacher about a pupil is not taken for a child.

A wrong guess must cost nothing: the dialogue asks gently when unsure and an adult can say so
in one tap (issue 17), so this is a reading, never a gate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlu.result import AgeBand, Finer
from nlu.text import canon, fold_kazakh, normalize

CUES = Path(__file__).parent / "data" / "age" / "cues.txt"
KINDS = (
    "age",
    "age3",
    "grade",
    "school",
    "home",
    "child",
    "past",
    "adult",
    "mychild",
    "parent",
    "baby",
    "harm",
)

# The last age of a child, and of a young person (a minor): kz-resources.md and the line's own
# name ("children and youth") give no finer split; 14 is when Kazakh law's juvenile rules begin.
CHILD_UNTIL, YOUNG_UNTIL = 13, 17
WORD_AGES = {
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "тринадцат": 13,
    "четырнадцат": 14,
    "пятнадцат": 15,
    "шестнадцат": 16,
    "семнадцат": 17,
}
# First-grade pupils are 6-7: grades 1-7 are children, 8-11 young people.
LAST_CHILD_GRADE = 7


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    name: str
    rx: re.Pattern[str]
    plain: bool  # matched on the normalised text, not the canonical view (English cues)


@dataclass(frozen=True, slots=True)
class Age:
    band: AgeBand | None  # None: nothing tells
    finer: Finer | None  # None: no finer role than the contract's
    cues: tuple[str, ...] = ()  # names of the cues that decided, for evaluation and the card


# Escapes and named groups pass through as they are; the rest is text.
_ESCAPE_OR_TEXT = re.compile(r"\\.|\(\?P<\w+>|\(|[^\\(]+")


def _canon_pattern(pat: str) -> str:
    """The canonical view of a pattern's text, its escapes untouched: authors write natural
    Russian and Kazakh ("бьёт", "мой", "ұлым") and the pattern matches what `canon` makes."""

    def one(m: re.Match[str]) -> str:
        part = m.group(0)
        if part.startswith(("\\", "(?P<")):
            return part
        part = fold_kazakh(part.lower().replace("ё", "е")).replace("й", "и")
        return part.replace("ь", "").replace("ъ", "")

    return _ESCAPE_OR_TEXT.sub(one, pat)


@lru_cache(maxsize=1)
def cues(path: Path = CUES) -> tuple[Cue, ...]:
    out: list[Cue] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, name, pat = [*line.split(" ", 2), "", ""][:3]
        if kind not in KINDS or not pat:
            raise ValueError(f"{path}:{n}: expected `KIND NAME REGEX` with KIND in {KINDS}")
        plain = name.startswith("en_")
        try:
            rx = re.compile(pat.strip() if plain else _canon_pattern(pat.strip()))
        except re.error as e:
            raise ValueError(f"{path}:{n}: bad pattern: {e}") from e
        out.append(Cue(kind, f"{kind}:{name}", rx, plain))
    return tuple(out)


def _number(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return next((n for stem, n in WORD_AGES.items() if value.startswith(stem)), None)


def _band_of_age(age: int) -> AgeBand | None:
    if age < 5 or age > 99:
        return None  # "мне 3 раза звонили", "мне 100 раз говорили": not an age
    if age <= CHILD_UNTIL:
        return "child"
    return "young" if age <= YOUNG_UNTIL else "adult"


def read_age(text: str) -> Age:
    """The writer's age band and finer role, from one message."""
    plain = normalize(text)
    return read_age_in(plain, canon(plain))


def read_age_in(plain: str, view: str) -> Age:
    """`read_age` on a text already normalised (`plain`) and its canonical view, as the NLU
    pipeline has them."""
    hits: dict[str, list[tuple[Cue, re.Match[str]]]] = {k: [] for k in KINDS}
    for cue in cues():
        m = cue.rx.search(plain if cue.plain else view)
        if m is not None:
            hits[cue.kind].append((cue, m))

    def names(*kinds: str) -> tuple[str, ...]:
        return tuple(c.name for k in kinds for c, _ in hits[k])

    mine = bool(hits["mychild"])
    # The weaker signs of a small child ("он не засыпает", "бала жылап жатыр") are the
    # writer's own only when nothing says the writer is someone else (a neighbour, a teacher).
    # A grandparent, a teacher or a neighbour writes about someone else's child.
    other = any(c.name.startswith("adult:other_") for c, _ in hits["adult"])
    parentish = not other and (mine or (bool(hits["baby"]) and not hits["adult"]))
    harms = bool(hits["harm"])
    # A stated age in the first person is the strongest cue ("10 жастамын" beside a stepmother's
    # own children); "мне было 14" is a memory.
    for cue, m in hits["age"]:
        band = _band(m)
        if band is None or (band != "adult" and hits["past"]):
            continue
        if band == "adult":
            finer: Finer | None = "parent" if parentish and harms else None
            return Age("adult", finer, names("age", "mychild", "baby", "harm"))
        return Age(band, "young_person", (cue.name,))
    if hits["child"]:
        return Age(None, "young_person", names("child"))
    if hits["parent"]:
        return Age("adult", "parent", names("parent"))
    if parentish and harms:
        return Age("adult", "parent", names("mychild", "baby", "harm"))
    if hits["past"] or hits["adult"]:
        return Age("adult", None, names("past", "adult"))
    for cue, m in hits["age3"] if not parentish else ():
        band = _band(m)
        if band == "child" and harms and not hits["home"]:
            # "Айдана 6 жаста, вчера её ударила": a small child's age beside a blow is the
            # writer's child's, not the writer's.
            return Age("adult", "parent", (cue.name, *names("harm")))
        if band is not None:
            return Age(band, "young_person" if band != "adult" else None, (cue.name,))
    for cue, m in hits["grade"] if not mine else ():
        grade = _number(m.group("n"))
        if grade is not None and 1 <= grade <= 11:
            return Age(
                "child" if grade <= LAST_CHILD_GRADE else "young", "young_person", (cue.name,)
            )
    if (hits["school"] or hits["home"]) and not mine:
        return Age("young", "young_person", names("school", "home"))
    return Age(None, None)


def _band(m: re.Match[str]) -> AgeBand | None:
    age = _number(m.group("n"))
    return _band_of_age(age) if age is not None else None

"""The aggressor path from the programme on: drinking or drugs, who referred him, booking.

Drinking or drugs is noted for the specialist and, when chaotic, referred onward (the narcology
service through the local polyclinic and 150: the only route the project's texts name; no
number is invented). It never ends the conversation and never says the programme "won't suit":
sobriety alone does not end abuse (kz-resources.md §5.1, endabuse "10 ways to collude"), and
whether the programme fits is the specialist's assessment, not the bot's.

Who referred him is asked gently and can be skipped. The code goes on the booking and,
anonymously, on the registry row. A man sent by police or a court is told honestly that the
service can confirm his attendance only with his written consent, and that he decides: the
sources (kz-resources.md) say nothing more about what confirmation courts or police accept.

Steps are declared here and spliced into the aggressor flow (dialogues/flows/aggressor.py).
"""

from __future__ import annotations

from typing import Any

from dialogues.answers import words
from dialogues.context import Ctx
from dialogues.flow import Actions, Option, Step

ACTIONS = Actions()
RISK_KEY = "aggressor_risk"  # state.vars: {risk question: "yes" | "no" | "not_sure"}
KEY = "programme"  # state.vars: {"referral": code, "notes": [codes]}, read at booking
# Referral codes (registry.vocabulary.REFERRALS) with the words a typed answer may use.
REFERRAL_WORDS: dict[str, tuple[str, ...]] = {
    "self": ("сам", "сама", "өзім", "озим"),
    "line150": ("150",),
    "police": ("полиц", "участков", "инспектор"),
    "court": ("суд", "сот"),
    "crisis_centre": ("кризисн", "дағдарыс", "жан сая"),
    "family": ("жена", "родн", "родств", "семья", "әйел", "туыс"),
    "other": ("другое", "басқа"),
}
# Sent by an authority: told what confirmation of attendance the service can give.
MANDATED = frozenset({"police", "court"})
_BOOK = Option("book", "aggressor-btn-book", goto="booking.start", do="booking.for_programme")

INTAKE_STEPS: tuple[Step, ...] = (
    Step(
        "aggressor.programme",
        say=("aggressor-programme", "aggressor-substances-ask"),
        options=(
            Option(
                "yes",
                "aggressor-substances-yes",
                goto="aggressor.substances",
                do="aggressor.note_substances",
                answers=("yes", "not_sure"),
            ),
            Option("no", "aggressor-substances-no", goto="aggressor.referral", answers=("no",)),
        ),
    ),
    Step(
        "aggressor.substances",
        say=("aggressor-addiction", "aggressor-chaotic-ask"),
        options=(
            Option(
                "yes",
                "aggressor-yes",
                goto="aggressor.addiction",
                do="aggressor.note_chaotic",
                answers=("yes", "not_sure"),
            ),
            Option("no", "aggressor-no", goto="aggressor.referral", answers=("no",)),
        ),
        insist="aggressor-risk-reask",
        columns=2,
    ),
    Step(
        "aggressor.addiction",
        say=("aggressor-addiction-where", "aggressor-addiction-meanwhile"),
        options=(
            Option("next", "aggressor-btn-next", goto="aggressor.referral"),
            Option("timeout", "aggressor-btn-timeout", goto="aggressor.timeout"),
        ),
    ),
    Step(
        "aggressor.referral",
        say=("aggressor-referral-ask",),
        options=(
            *(
                Option(
                    code,
                    f"aggressor-referral-{code}",
                    goto="aggressor.book",
                    do="aggressor.set_referral",
                    words=words(found),
                )
                for code, found in REFERRAL_WORDS.items()
            ),
            Option(
                "skip",
                "aggressor-referral-skip",
                goto="aggressor.book",
                answers=("no", "not_sure"),
            ),
        ),
        # A typed "да" here answers nothing: ask again rather than route him out of the path.
        insist="aggressor-referral-reask",
        columns=2,
    ),
    Step(
        "aggressor.confirmation",
        say=("aggressor-confirmation",),
        options=(_BOOK,),
    ),
    Step("aggressor.book", say=("aggressor-book",), options=(_BOOK,)),
)


def _intake(ctx: Ctx) -> dict[str, Any]:
    value = ctx.state.vars.get(KEY)
    if not isinstance(value, dict):
        value = {}
        ctx.state.vars[KEY] = value
    return value


def note(ctx: Ctx, code: str) -> None:
    """Note a code for the specialist (registry.vocabulary.INTAKE_NOTES), once."""
    notes = _intake(ctx).setdefault("notes", [])
    if isinstance(notes, list) and code not in notes:
        notes.append(code)


def programme_intake(vars_: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """(referral, notes) the chat gathered, for the booking (booking.book)."""
    value = vars_.get(KEY)
    if not isinstance(value, dict):
        return None, ()
    referral = value.get("referral")
    notes = value.get("notes")
    return (
        referral if isinstance(referral, str) else None,
        tuple(n for n in notes if isinstance(n, str)) if isinstance(notes, list) else (),
    )


@ACTIONS("aggressor.note_substances")
async def note_substances(ctx: Ctx) -> None:
    note(ctx, "substances")


@ACTIONS("aggressor.note_chaotic")
async def note_chaotic(ctx: Ctx) -> None:
    note(ctx, "substances_chaotic")


@ACTIONS("aggressor.set_referral")
async def set_referral(ctx: Ctx) -> None:
    code = ctx.value
    if code not in REFERRAL_WORDS:
        return
    _intake(ctx)["referral"] = code
    if ctx.services.registry is not None:
        await ctx.services.registry.update(ctx.state.contact, referral=code)
    if code in MANDATED:
        ctx.goto("aggressor.confirmation")

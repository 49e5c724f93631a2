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
He is asked whether he wants it (noted for the specialist: confirm_wanted or
confirm_declined); the consent itself is given in writing to the specialist.

Notes learnt after he has booked (the self-check shared with his consent) are merged into his
programme booking (keep); until then they ride on state.vars and reach it at booking
(programme_intake).

Steps are declared here and spliced into the aggressor flow (dialogues/flows/aggressor.py).
"""

from __future__ import annotations

from collections.abc import Sequence
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
# Whether he wants his attendance confirmed: one of these at a time.
CONFIRM = ("confirm_wanted", "confirm_declined")
# The self-check's codes (aggressor.py) were shared for the programme's specialists only: never
# on a consultant's case.
SPECIALIST_ONLY = "check_"
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
        say=("aggressor-confirmation", "aggressor-confirmation-ask"),
        # Either answer goes straight on to booking (the action says so and sets the kind).
        options=(
            Option(
                "yes",
                "aggressor-confirmation-yes",
                goto="booking.start",
                do="aggressor.confirmation_answer",
                answers=("yes",),
            ),
            Option(
                "no",
                "aggressor-confirmation-no",
                goto="booking.start",
                do="aggressor.confirmation_answer",
                answers=("no", "not_sure"),
            ),
        ),
        insist="aggressor-yes-no-reask",
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


async def keep(ctx: Ctx, codes: Sequence[str], replacing: Sequence[str] = ()) -> None:
    """Note codes for the specialist in place of `replacing`: for the booking he may make, and
    on the programme booking he already has (Bookings.add_intake), if any."""
    notes = _intake(ctx).get("notes")
    if isinstance(notes, list):
        notes[:] = [n for n in notes if n not in replacing]
    for code in codes:
        note(ctx, code)
    if ctx.services.booking is not None and ctx.person_id is not None:
        await ctx.services.booking.add_intake(ctx.person_id, codes, replacing=replacing)


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


def consultant_notes(vars_: dict[str, Any]) -> tuple[str, ...]:
    """The notes a consultant's case may carry: all but the self-check's, which he shared
    with the programme's specialists only."""
    return tuple(n for n in programme_intake(vars_)[1] if not n.startswith(SPECIALIST_ONLY))


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


@ACTIONS("aggressor.confirmation_answer")
async def confirmation_answer(ctx: Ctx) -> None:
    wanted = ctx.value == "yes"
    await keep(ctx, (CONFIRM[0] if wanted else CONFIRM[1],), replacing=CONFIRM)
    ctx.say("aggressor-confirmation-wanted" if wanted else "aggressor-confirmation-declined")
    # Straight to booking, for the programme (booking imports this module, hence here).
    from dialogues.flows.booking import for_programme

    await for_programme(ctx)

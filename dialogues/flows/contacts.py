"""Help contacts: the national lines first, then the person's region (picked or typed); shelter.

The directory is data (dialogues/directory.py); this flow only decides what to show: a
regional entry only with a phone and a verified mark, and an honest "we have no checked
number there" otherwise. Shelter addresses are secret, so shelter requests go to 150/111/102.
"""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.directory import FOR_YOUNG, Directory, Entry, default_directory
from dialogues.flow import Actions, Flow, Option, Step
from dialogues.regions import default_regions

ACTIONS = Actions()

_REGION_OPTIONS = tuple(
    Option(rid, f"region-{rid}", goto="contacts.result", do="contacts.pick_region")
    for rid in default_regions().ids
)
# Free text that names a place picks the region; anything else is left to NLU routing
# unless it is a plain "help" message, which gets a hint instead of losing the question.
_KEEP_INTENTS = {"help", "other", "greet", "contacts"}

FLOW = Flow(
    "contacts",
    summary="National lines first; the region picked or typed (verified contacts only); shelter.",
    steps=(
        Step(
            "contacts.start",
            say=("contacts-national-intro",),
            on_enter="contacts.national_lines",
            on_text="contacts.region_text",
            options=(
                Option("region", "contacts-in-my-region", goto="contacts.region"),
                Option("shelter", "contacts-need-shelter", goto="contacts.shelter"),
            ),
        ),
        Step(
            "contacts.region",
            say=("contacts-ask-region",),
            options=_REGION_OPTIONS,
            on_text="contacts.region_text",
            columns=2,
        ),
        Step(
            "contacts.result",
            on_enter="contacts.show_region",
            on_text="contacts.region_text",
            options=(
                Option("other", "contacts-other-region", goto="contacts.region"),
                Option("shelter", "contacts-need-shelter", goto="contacts.shelter"),
                # A consultant can look further than the directory (issue 18).
                Option("human", "contacts-ask-consultant", goto="handoff.start"),
            ),
        ),
        Step(
            # A shared location outside Kazakhstan (or nowhere we know): ask for the region
            # by name, the emergency lines first. The point itself is never kept.
            "contacts.location_unknown",
            say=("contacts-location-unknown",),
            on_enter="contacts.location_lines",
            options=_REGION_OPTIONS,
            on_text="contacts.region_text",
            columns=2,
        ),
        Step(
            "contacts.shelter",
            say=("contacts-shelter-secret", "contacts-shelter-how", "contacts-shelter-say"),
            on_enter="contacts.shelter_regional",
            on_text="contacts.region_text",
            options=(
                Option("region", "contacts-shelter-region", goto="contacts.region"),
                Option("lines", "contacts-all-lines", goto="contacts.start"),
            ),
        ),
    ),
)


def directory(ctx: Ctx) -> Directory:
    return ctx.services.contacts or default_directory()


def national_block(ctx: Ctx) -> str:
    """The national lines, one per line: "📞 150 — ...", with a line's WhatsApp and site under
    it (150's, issue 18). Built from the directory data."""
    lines = []
    for e in directory(ctx).national_lines():
        lines.append(f"📞 {', '.join(e.phones)} — {e.line(ctx.lang)}")
        lines.extend(f"    {extra}" for extra in _reach(ctx, e))
    return "\n".join(lines)


def _reach(ctx: Ctx, entry: Entry) -> list[str]:
    """Other ways to reach a line than calling: its WhatsApp and its site."""
    out = []
    if entry.whatsapp:
        out.append(ctx.t("contacts-line-whatsapp", number=_spaced(entry.whatsapp)))
    if entry.website:
        site = entry.website.removeprefix("https://").rstrip("/")
        out.append(ctx.t("contacts-line-website", site=site))
    return out


def _spaced(number: str) -> str:
    """+77081060810 as people read it: +7 708 106 08 10."""
    digits = number.removeprefix("+")
    if len(digits) == 11 and digits.startswith("7"):
        d = digits
        return f"+7 {d[1:4]} {d[4:7]} {d[7:9]} {d[9:]}"
    return number


def help_lines(ctx: Ctx) -> str:
    """The lines that know the services near a person, in one short block: the national
    hotlines (150, with its WhatsApp and site, and 111), each on one line."""
    lines = []
    for e in directory(ctx).national_lines():
        if e.kind == "hotline":
            lines.append(" · ".join([f"📞 {', '.join(e.phones)}", *_reach(ctx, e)]))
    return "\n".join(lines)


def _entry_line(ctx: Ctx, entry: Entry) -> str:
    return f"📞 {', '.join(entry.phones)} — {entry.name(ctx.lang)}"


async def choose_region(ctx: Ctx, region: str) -> None:
    ctx.state.vars["region"] = region
    if ctx.services.registry is not None:
        await ctx.services.registry.update(ctx.state.contact, region=region)


@ACTIONS("contacts.national_lines")
async def national_lines(ctx: Ctx) -> None:
    ctx.say_text(national_block(ctx))
    ctx.say("contacts-where")


@ACTIONS("contacts.location_lines")
async def location_lines(ctx: Ctx) -> None:
    ctx.say_text(national_block(ctx))
    ctx.say("contacts-location-ask")


@ACTIONS("contacts.pick_region")
async def pick_region(ctx: Ctx) -> None:
    if ctx.value in default_regions().ids:
        await choose_region(ctx, ctx.value)


@ACTIONS("contacts.region_text")
async def region_text(ctx: Ctx) -> None:
    region = default_regions().resolve(ctx.value or "")
    if region is not None:
        await choose_region(ctx, region)
        ctx.goto("contacts.shelter" if ctx.step == "contacts.shelter" else "contacts.result")
        return
    nlu = ctx.nlu
    if nlu is not None and (nlu.intent not in _KEEP_INTENTS or nlu.role != "unknown"):
        ctx.decline()  # not a place: a disclosure or another request, routed by NLU
        return
    ctx.say("contacts-not-found")
    ctx.goto("contacts.region")


@ACTIONS("contacts.show_region")
async def show_region(ctx: Ctx) -> None:
    region = ctx.state.vars.get("region")
    if region not in default_regions().ids:
        ctx.goto("contacts.region")
        return
    name = ctx.t(f"region-{region}")
    young = ctx.state.audience == "young"
    found = directory(ctx).regional(region, young=young)
    if young and not any(e.kind in FOR_YOUNG for e in found):
        # Never a number nobody verified: the inspectors are reached through 102 and 111.
        ctx.say("contacts-juvenile-none")
    if found:
        lines = "\n".join(_entry_line(ctx, e) for e in found)
        ctx.say("contacts-region-found", region=name, contacts=lines)
        ctx.say("contacts-region-national", lines=national_block(ctx))
    else:
        # One short message, not the national list again (issue 18): the lines that know the
        # services nearby, the emergency numbers and a consultant (the step's button).
        ctx.say("contacts-region-none", region=name, lines=help_lines(ctx))


@ACTIONS("contacts.shelter_regional")
async def shelter_regional(ctx: Ctx) -> None:
    region = ctx.state.vars.get("region")
    if region not in default_regions().ids:
        return
    name = ctx.t(f"region-{region}")
    found = directory(ctx).regional(region, shelter_only=True)
    if found:
        lines = "\n".join(_entry_line(ctx, e) for e in found)
        ctx.say("contacts-shelter-found", region=name, contacts=lines)
    else:
        ctx.say("contacts-shelter-none", region=name)

"""Greeting and language choice."""

from __future__ import annotations

from dialogues.context import Ctx
from dialogues.flow import MENU, Actions, Flow, Option, Step

ACTIONS = Actions()

_LANG_OPTIONS = (
    Option("ru", "lang-ru", goto=MENU, do="start.set_lang"),
    Option("kk", "lang-kk", goto=MENU, do="start.set_lang"),
)

FLOW = Flow(
    "start",
    summary="Bilingual greeting with the anonymity note; language choice.",
    steps=(
        Step(
            "start.welcome",
            say=("start-welcome",),
            options=_LANG_OPTIONS,
            columns=2,
            menu_button=False,
        ),
        Step("start.language", say=("start-language",), options=_LANG_OPTIONS, columns=2),
        Step("start.hello", say=("start-hello",), next=MENU),
    ),
)


@ACTIONS("start.set_lang")
async def set_lang(ctx: Ctx) -> None:
    if ctx.value in ("ru", "kk"):
        ctx.state.lang = ctx.value
        ctx.state.lang_locked = True

"""The main menu and the small steps around it."""

from __future__ import annotations

from dialogues.flow import MENU, Actions, Flow, Option, Step

ACTIONS = Actions()

FLOW = Flow(
    "menu",
    summary="Main paths; help; thanks; what happens when the bot did not understand.",
    steps=(
        Step(
            MENU,
            say=("menu-prompt",),
            lines=True,  # whoever the bot cannot place lands here: the phone lines are on it
            options=(
                Option("self", "menu-need-help", goto="victim.start"),
                Option("other", "menu-someone-else", goto="witness.start"),
                Option("stop", "menu-stop-hurting", goto="aggressor.start"),
                Option("contacts", "menu-contacts", goto="contacts.start"),
                Option("book", "menu-book", goto="booking.start"),
                Option("human", "menu-consultant", goto="handoff.start"),
                # Line 150 is for children and youth (issue 17): their own path in one tap.
                Option("young", "menu-young", goto="young.start"),
                Option("lang", "menu-language", goto="start.language"),
            ),
        ),
        Step("menu.help", say=("menu-help-text",)),
        Step("menu.thanks", say=("menu-thanks-reply",)),
        Step("menu.fallback", say=("menu-not-understood",), next=MENU),
    ),
)

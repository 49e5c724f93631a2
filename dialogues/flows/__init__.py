"""Every flow of the bot. A new flow module is added to MODULES and nowhere else."""

from __future__ import annotations

from types import ModuleType

from dialogues.flow import Action, Flow
from dialogues.flows import (
    about,
    aggressor,
    aggressor_intake,
    booking,
    booking_mine,
    booking_proactive,
    booking_when,
    contacts,
    danger,
    feedback,
    handoff,
    menu,
    parent,
    safety,
    start,
    victim,
    witness,
    young,
)

MODULES: tuple[ModuleType, ...] = (
    start,
    menu,
    safety,
    victim,
    danger,
    witness,
    young,
    aggressor,
    aggressor_intake,
    parent,
    contacts,
    feedback,
    about,
    booking,
    booking_mine,
    booking_proactive,
    booking_when,
    handoff,
)


def all_flows() -> list[Flow]:
    """Each module declares FLOW, or FLOWS when it holds several small ones, or neither when it
    only holds actions of a flow declared in another module (aggressor_intake, booking_when,
    booking_mine, booking_proactive)."""
    flows: list[Flow] = []
    for module in MODULES:
        if hasattr(module, "FLOWS"):
            flows.extend(module.FLOWS)
        elif hasattr(module, "FLOW"):
            flows.append(module.FLOW)
    return flows


def all_actions() -> dict[str, Action]:
    merged: dict[str, Action] = {}
    for module in MODULES:
        table = module.ACTIONS.table
        clash = merged.keys() & table.keys()
        if clash:
            raise ValueError(f"actions registered in two flows: {sorted(clash)}")
        merged.update(table)
    return merged

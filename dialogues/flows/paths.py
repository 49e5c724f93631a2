"""Entry steps of the main paths whose full flows arrive with later work.

Each says plainly what it will offer and gives what already helps now (the national lines).
A path moves out of this module into its own when its flow is written.
"""

from __future__ import annotations

from dialogues.flow import Actions, Flow, Step

ACTIONS = Actions()
_LINES = "paths-national-lines"

FLOWS: tuple[Flow, ...] = (
    Flow(
        "victim",
        summary="Help for the person who is hurt (placeholder entry).",
        steps=(
            Step("victim.start", say=("paths-victim", _LINES)),
            Step("victim.legal", say=("paths-legal", _LINES)),
            Step("victim.safety_plan", say=("paths-safety-plan", _LINES)),
        ),
    ),
    Flow("witness", steps=(Step("witness.start", say=("paths-witness", _LINES)),)),
    Flow("aggressor", steps=(Step("aggressor.start", say=("paths-aggressor", _LINES)),)),
    Flow(
        "contacts",
        steps=(
            Step("contacts.start", say=(_LINES,)),
            Step("contacts.shelter", say=("paths-shelter", _LINES)),
        ),
    ),
    Flow("booking", steps=(Step("booking.start", say=("paths-booking", _LINES)),)),
    # The feedback questionnaire's entry (handoff and booking start it after a session).
    Flow("feedback", steps=(Step("feedback.start", say=("paths-feedback",)),)),
)

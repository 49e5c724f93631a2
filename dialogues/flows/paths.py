"""Entry steps of the main paths whose full flows arrive with later work.

Each says plainly what it will offer and gives what already helps now (the national lines).
A path moves out of this module into its own when its flow is written.
"""

from __future__ import annotations

from dialogues.flow import Actions, Flow, Step

ACTIONS = Actions()
_LINES = "paths-national-lines"

FLOWS: tuple[Flow, ...] = (
    Flow("handoff", steps=(Step("handoff.start", say=("paths-handoff", _LINES)),)),
)

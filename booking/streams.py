"""The three streams of the family service, and which session kinds each may take.

Why: the standards for work with people who use violence (docs/aggressor-programme.md, after
../shared/domain/kz-resources.md §5.1, the Home Office standard 1) ask that the same worker
never supports both the victim and the perpetrator, and that there is no couples work while
there is abuse. So every specialist belongs to one stream, every booking's stream follows its
kind, and the schedule only pairs a booking with specialists whose stream may take its kind.
"""

from __future__ import annotations

from collections.abc import Iterable

VICTIMS = "victims"
AGGRESSORS = "aggressors"
FAMILY = "family"
STREAMS = (VICTIMS, AGGRESSORS, FAMILY)

# The stream a booking of each kind belongs to ("stop": the aggressor programme's path;
# "parent": a parent's own session about bringing up a child without violence, issue 17).
KIND_STREAM = {"self": VICTIMS, "stop": AGGRESSORS, "family": FAMILY, "parent": FAMILY}

# Which kinds a specialist of each stream may take. The wall the standards ask for is the one
# around the aggressor stream: its specialists take only the programme ("stop"), never a
# person's own session nor a joint one, and nobody outside it takes "stop". The victims' and
# the family stream sit on the same side of that wall and may share "self" and "family"
# sessions (a small service has few specialists); the family stream is kept apart so that
# coordinators can see who does joint work. A parent's session ("parent": a parent who hurts,
# or fears hurting, their child) is the family stream's alone (docs/parents.md): the victims'
# stream supports the child and the other parent, so it never takes the one who hurts them,
# and the aggressor stream's programme is for violence against a partner.
STREAM_KINDS: dict[str, frozenset[str]] = {
    VICTIMS: frozenset({"self", "family"}),
    FAMILY: frozenset({"family", "self", "parent"}),
    AGGRESSORS: frozenset({"stop"}),
}


def stream_of_kind(kind: str) -> str:
    return KIND_STREAM.get(kind, VICTIMS)


def may_take(stream: str, kind: str) -> bool:
    """May a specialist of `stream` take a session of `kind`?"""
    return kind in STREAM_KINDS.get(stream, frozenset())


def stream_for_kinds(kinds: Iterable[str]) -> str:
    """The stream of a specialist described before streams existed (the seed file, the
    migration): whoever took "stop" sessions goes to the aggressor stream."""
    items = set(kinds)
    if "stop" in items:
        return AGGRESSORS
    if items == {"family"} or "parent" in items:
        return FAMILY
    return VICTIMS

"""Builds the engine from the declared flows and the text files."""

from __future__ import annotations

from dialogues.engine import Engine
from dialogues.flows import all_actions, all_flows
from dialogues.routes import Routes
from dialogues.texts import Texts


def build_engine(texts: Texts | None = None) -> Engine:
    return Engine(all_flows(), all_actions(), texts or Texts(), Routes())

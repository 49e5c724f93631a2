"""Keyed texts, as the layers below `dialogues` see them.

The Fluent files and their loader live in dialogues/ (dialogues/texts.py); domain code and the
staff pages are handed the loaded `Texts` by the wiring (bot/app.py, bot/web/server.py) and
speak only through this interface. `Said` is an error whose words are a text key: each reader
says it in its own language (a staff member's on the web, the group's in Telegram).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

LANGS = ("ru", "kk")
DEFAULT_LANG = "ru"


class Texts(Protocol):
    """dialogues.texts.Texts, given by the wiring."""

    @property
    def langs(self) -> tuple[str, ...]: ...

    def get(self, lang: str, key: str, args: Mapping[str, Any] | None = None) -> str: ...


class Said(Exception):
    """An error told by a text key and its arguments, not by words in one language."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def say(self, texts: Texts, lang: str) -> str:
        return texts.get(lang, self.key, self.params)

    def __str__(self) -> str:  # for logs and the command line, which speak no language
        return f"{self.key} {self.params}" if self.params else self.key

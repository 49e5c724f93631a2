"""The console channel: the real engine in a terminal, or scripted through standard input.

Buttons print as numbered options; typing the number or the button's text presses it.
When standard input is not a terminal, each line is one message (lines starting with "#"
are comments), every message is echoed after "> ", and EOF ends the chat cleanly.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.pipeline import Conversations, ErasureReport
from core.messages import Button, Inbound, Reply

CHANNEL = "console"


def console_user(data_dir: Path, new: bool) -> str:
    """A stable anonymous id for this machine's console user (a fresh one with --new)."""
    path = data_dir.expanduser() / "console-user"
    if new or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(uuid.uuid4().hex)
    return path.read_text().strip()


class _ConsoleOps:
    def __init__(self, out: TextIO, interactive: bool) -> None:
        self._out = out
        self._interactive = interactive

    async def erase(self, message_ids: Sequence[str]) -> ErasureReport:
        if self._interactive:
            self._out.write("\033[2J\033[3J\033[H")  # clear the screen and the scrollback
        return ErasureReport(deleted=len(message_ids))


class ConsoleChannel:
    def __init__(
        self,
        conversations: Conversations,
        user_ref: str,
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        interactive: bool | None = None,
    ) -> None:
        self.conversations = conversations
        self.user_ref = user_ref
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty() if interactive is None else interactive
        self._buttons: list[Button] = []
        self._ops = _ConsoleOps(stdout, self.interactive)

    async def run(self, lang: str | None = None) -> None:
        if lang:
            await self.send(payload=f"!lang={lang}", echo=False, show=False)
        if self.interactive:
            self.stdout.write("Qamqor — console chat. Ctrl-D to leave.\n")
            await self.send(text="/start", echo=False)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, self._read)
            if line is None:
                break
            line = line.rstrip("\r\n")
            if not line.strip() or (not self.interactive and line.startswith("#")):
                continue
            button = self._button_for(line.strip())
            if button is not None:
                await self.send(payload=button.payload, echo=not self.interactive, shown=line)
            else:
                await self.send(text=line, echo=not self.interactive)
        self.stdout.flush()

    def _read(self) -> str | None:
        if self.interactive:
            try:
                return input("› ")
            except EOFError:
                return None
        line = self.stdin.readline()
        return line if line else None

    def _button_for(self, typed: str) -> Button | None:
        if typed.isdigit() and 1 <= int(typed) <= len(self._buttons):
            return self._buttons[int(typed) - 1]
        folded = typed.casefold()
        return next((b for b in self._buttons if b.label.casefold() == folded), None)

    async def send(
        self,
        *,
        text: str | None = None,
        payload: str | None = None,
        echo: bool = True,
        show: bool = True,
        shown: str | None = None,
    ) -> list[Reply]:
        if echo:
            self.stdout.write(f"> {shown or text or payload}\n")
        inbound = Inbound(
            channel=CHANNEL,
            user_ref=self.user_ref,
            at=self.conversations.services.clock.now(),
            text=text,
            payload=payload,
        )
        outcome = await self.conversations.handle(inbound, self._ops)
        if show:
            for reply in outcome.replies:
                self._print(reply)
        self.stdout.flush()
        return outcome.replies

    def _print(self, reply: Reply) -> None:
        lines = reply.text.splitlines() or [""]
        self.stdout.write("Qamqor: " + lines[0] + "\n")
        for line in lines[1:]:
            self.stdout.write("        " + line + "\n")
        if reply.buttons:
            self._buttons = reply.flat_buttons
            for i, button in enumerate(self._buttons, 1):
                self.stdout.write(f"  [{i}] {button.label}\n")

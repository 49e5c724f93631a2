"""What the paths note in the anonymous registry, through the real pipeline and database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import ConfigError, Settings
from core.clock import FrozenClock
from core.messages import Inbound
from dialogues.danger_screen import default_screen
from registry.models import Contact
from tests.conftest import TEST_KEY

SCREEN = default_screen()


def _settings(tmp_path: Path, db_url: str, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=db_url,
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


async def _row(app: App, person_id: int) -> Contact:
    from dialogues.state import State

    state = State.from_dict(await app.conversations.states.load(person_id))
    assert state.contact is not None
    row = await app.conversations.services.registry.get(state.contact)  # type: ignore[union-attr]
    assert row is not None
    return row


async def test_region_danger_level_and_feedback_reach_the_registry(
    tmp_path: Path, db_url: str, clock: FrozenClock
) -> None:
    app = await App.create(_settings(tmp_path, db_url), clock=clock)
    conv = app.conversations

    async def send(text: str | None = None, payload: str | None = None) -> list[str]:
        out = await conv.handle(Inbound("console", "u1", clock.now(), text=text, payload=payload))
        assert out.person_id is not None
        send.person = out.person_id  # type: ignore[attr-defined]
        return [r.text for r in out.replies]

    try:
        await send("/start")
        await send(payload="!lang=ru")
        await send(payload="menu.main#contacts")
        replies = await send("Kyzylorda")
        assert any("Кызылординская" in r for r in replies)
        person: int = send.person  # type: ignore[attr-defined]
        assert (await _row(app, person)).region == "kyzylorda"

        await send(payload="menu.main#self")
        await send(payload="victim.start#danger")
        await send(payload="danger.start#go")
        for i in range(len(SCREEN.questions)):
            await send(payload=f"{SCREEN.step_id(i)}#{'yes' if i == 2 else 'no'}")
        assert (await _row(app, person)).danger_level == "high"

        replies_out = await conv.enter_step(person, "feedback.start")
        assert "Три коротких вопроса" in replies_out[0].text
        await send(payload="feedback.start#5")
        await send(payload="feedback.next_steps#yes")
        await send(payload="feedback.again#unsure")
        row = await _row(app, person)
        assert json.loads(row.feedback or "") == {
            "helpful": 5,
            "next_steps": "yes",
            "again": "unsure",
        }
    finally:
        await app.close()


async def test_a_broken_contacts_file_stops_the_bot_with_a_clear_message(
    tmp_path: Path, clock: FrozenClock
) -> None:
    bad = tmp_path / "contacts.yaml"
    bad.write_text("entries:\n  - id: x\n    region: mars\n")
    settings = _settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/t.db", contacts_file=bad)
    with pytest.raises(ConfigError, match="QAMQOR_CONTACTS_FILE"):
        await App.create(settings, clock=clock)

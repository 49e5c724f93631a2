"""Every setting is documented in .env.example and in the README's settings table."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_env_example_and_the_readme() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        variable = f"QAMQOR_{name.upper()}"
        assert f"{variable}=" in example, f"{variable} missing from .env.example"
        assert variable in readme, f"{variable} missing from the README"

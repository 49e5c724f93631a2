"""Which pre-approved template goes out for a purpose when the 24-hour window is closed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import ConfigError

DEFAULT = Path(__file__).with_name("templates.yaml")


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    language: str  # WhatsApp's language code, e.g. "ru", "kk"


class Templates:
    def __init__(self, table: dict[str, dict[str, Template]]) -> None:
        self._table = table

    @classmethod
    def load(cls, path: Path | None = None) -> Templates:
        path = path or DEFAULT
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"WhatsApp templates file {path}: {exc}") from exc
        table: dict[str, dict[str, Template]] = {}
        if not isinstance(data, dict):
            raise ConfigError(f"WhatsApp templates file {path}: expected purpose: {{lang: ...}}")
        for purpose, by_lang in data.items():
            if not isinstance(by_lang, dict):
                raise ConfigError(f"WhatsApp templates file {path}: {purpose} is not a mapping")
            table[str(purpose)] = {}
            for lang, spec in by_lang.items():
                if not isinstance(spec, dict) or not spec.get("name") or not spec.get("language"):
                    raise ConfigError(
                        f"WhatsApp templates file {path}: {purpose}.{lang} needs name and language"
                    )
                table[str(purpose)][str(lang)] = Template(str(spec["name"]), str(spec["language"]))
        return cls(table)

    def pick(self, purpose: str, lang: str | None) -> Template | None:
        by_lang = self._table.get(purpose) or self._table.get("system") or {}
        return by_lang.get(lang or "ru") or by_lang.get("ru")

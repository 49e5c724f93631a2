"""User-facing texts: Fluent files, one per flow per language, under dialogues/texts/<lang>/."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast, visitor

log = logging.getLogger(__name__)

TEXT_ROOT = Path(__file__).with_name("texts")
LANGS = ("ru", "kk")
FALLBACK = "ru"
# `<key>--<channel>` (e.g. `start-welcome--whatsapp`) is said instead of `<key>` on that
# channel: for the few texts that are true on one messenger only.
VARIANT = "--"
# Who a text variant is said to (`<key>--young`): State.audience decides (issue 17).
AUDIENCES = ("young",)


class MissingText(KeyError):
    pass


class Texts:
    def __init__(self, root: Path = TEXT_ROOT, langs: Iterable[str] = LANGS) -> None:
        self._bundles: dict[str, FluentBundle] = {}
        for lang in langs:
            # use_isolating off: the messengers render bidi marks as visible junk.
            bundle = FluentBundle([lang], use_isolating=False)
            for path in sorted((root / lang).glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._bundles[lang] = bundle

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self._bundles)

    def has(self, lang: str, key: str) -> bool:
        return self._bundle(lang).has_message(key)

    def get(
        self,
        lang: str,
        key: str,
        args: Mapping[str, Any] | None = None,
        *,
        channel: str | None = None,
        audience: str | None = None,
    ) -> str:
        """The text of `key`, or of its variant when there is one: `<key>--<audience>` for
        whom it is said to (AUDIENCES: "young", a child or a teenager is addressed «ты» /
        «сен»), then `<key>--<channel>` of that."""
        bundle = self._bundle(lang)
        if audience and bundle.has_message(variant := f"{key}{VARIANT}{audience}"):
            key = variant
        if channel and bundle.has_message(variant := f"{key}{VARIANT}{channel}"):
            key = variant
        if not bundle.has_message(key):
            raise MissingText(f"{lang}:{key}")
        message = bundle.get_message(key)
        if message.value is None:
            raise MissingText(f"{lang}:{key} has no value")
        text, errors = bundle.format_pattern(message.value, dict(args or {}))
        if errors:
            log.warning("text %s:%s formatted with errors: %s", lang, key, errors)
        return str(text)

    def _bundle(self, lang: str) -> FluentBundle:
        return self._bundles.get(lang) or self._bundles[FALLBACK]


def catalogue(root: Path = TEXT_ROOT) -> dict[str, dict[str, set[str]]]:
    """lang -> key -> placeholder names; used by the parity test and the flow table."""
    parser = FluentParser()
    out: dict[str, dict[str, set[str]]] = {}
    for lang_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        keys: dict[str, set[str]] = {}
        for path in sorted(lang_dir.glob("*.ftl")):
            resource = parser.parse(path.read_text(encoding="utf-8"))
            for entry in resource.body:
                if isinstance(entry, ast.Junk):
                    raise ValueError(f"{path}: cannot parse {(entry.content or '')[:60]!r}")
                if isinstance(entry, ast.Message):
                    keys[entry.id.name] = _placeholders(entry)
        out[lang_dir.name] = keys
    return out


def _placeholders(node: Any) -> set[str]:
    found: set[str] = set()

    class Visitor(visitor.Visitor):
        def visit_VariableReference(self, ref: ast.VariableReference) -> None:
            found.add(ref.id.name)

    Visitor().visit(node)
    return found

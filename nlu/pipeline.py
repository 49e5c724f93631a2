"""Placeholder until the trained NLU lands on this branch (replaced by the nlu branch)."""

from __future__ import annotations

from pathlib import Path

from nlu.result import Intent, Lang, NluResult

_KK = set("әғқңөұүһі")


class NluPipeline:
    def parse_sync(self, text: str, *, context_lang: Lang | None = None) -> NluResult:
        low = text.lower()
        lang: Lang = "kk" if _KK & set(low) else (context_lang or "ru")
        urgent = any(w in low for w in ("убь", "помогите", "өлтір", "102"))
        intent: Intent = "greet" if low.startswith(("привет", "здрав", "сәлем")) else "help"
        return NluResult(lang, "unknown", intent, urgent, 1.0 if urgent else 0.0)

    async def parse(self, text: str, *, context_lang: Lang | None = None) -> NluResult:
        return self.parse_sync(text, context_lang=context_lang)


def load_pipeline(
    backend: str = "builtin", rasa_url: str | None = None, model_path: Path | None = None
) -> NluPipeline:
    return NluPipeline()

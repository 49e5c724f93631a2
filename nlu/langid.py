"""Language identification for short phone-typed messages (ru / kk / en).

The decision (measurements in docs/nlu.md): the trained ``lang`` head of the linear model,
corrected by two script cues that the data cannot contradict, plus follow-up handling.
lingua is not used at run time (no translit/Latin-Kazakh support, ~150 MB, 0.5 s load).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.result import Lang
from nlu.text import KK_LETTERS, has_letters, words

# Replies that carry no reliable language: they take the conversation's language.
FOLLOWUPS_NEUTRAL = frozenset(
    "ok ок окей okay okey k кк ага угу ммм мм хм yes no yep nope ya + - ? ! да нет не неа "
    "хорошо ладно понятно понял поняла ясно ну и".split()
)
# Short replies that are Kazakh words: alone they mean kk, but a kk/ru speaker mixes them.
FOLLOWUPS_KK = frozenset("иә ия иа ie iä ıä жоқ жок joq jok жарайды jaraidy jaraıdy макул мақұл".split())
_ONLY_DIGITS_ETC = re.compile(r"^[\W\d_]*$")
# q not followed by u (English "quick"): Kazakh Latin қ.
_KK_LATIN_WORD = re.compile(r"\b\w*(?:[äğñöūüış]|q(?!u))\w*\b")


def followup_lang(normed: str) -> Lang | None | bool:
    """For a short follow-up: the language it implies (``None`` = none). ``False`` when the
    message is not a short follow-up at all."""
    if not has_letters(normed) or _ONLY_DIGITS_ETC.match(normed):
        return None
    ws = words(normed)
    if not ws or len(ws) > 2:
        return False
    if all(w in FOLLOWUPS_NEUTRAL for w in ws):
        return None
    if all(w in FOLLOWUPS_NEUTRAL or w in FOLLOWUPS_KK for w in ws):
        return "kk"
    return False


def script_cue(normed: str) -> Lang | None:
    """kk when Kazakh-only letters are used across the message, not just in a place name."""
    ws = words(normed)
    if not ws:
        return None
    kk_cyr = sum(1 for w in ws if KK_LETTERS.intersection(w))
    kk_lat = sum(1 for w in ws if _KK_LATIN_WORD.fullmatch(w))
    n = len(ws)
    # Two such words, or a third of a short message: one "Қарағанды" in Russian stays ru.
    if kk_cyr >= 2 or (n <= 3 and kk_cyr >= 1 and n == kk_cyr):
        return "kk"
    if (kk_lat >= 2 or (n <= 3 and kk_lat >= 1 and n == kk_lat)) and not KK_LETTERS.intersection(
        normed
    ):
        return "kk"
    return None


def decide(
    normed: str, model_probs: Mapping[str, float], context_lang: Lang | None
) -> tuple[Lang, bool]:
    """(lang, confident) for a normalised message given the model's lang probabilities."""
    fu = followup_lang(normed)
    if fu is not False:
        if context_lang is not None:
            return context_lang, False
        return (fu if fu is not None else "ru"), False
    cue = script_cue(normed)
    if cue is not None:
        return cue, True
    best = max(("ru", "kk", "en"), key=lambda k: model_probs.get(k, 0.0))
    lang: Lang = "kk" if best == "kk" else "en" if best == "en" else "ru"
    return lang, True



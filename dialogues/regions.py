"""Regions of Kazakhstan and what people type for them: "Өскемен", "Ust-Kamenogorsk", "Уральск".

Every spelling is reduced to one Latin skeleton (Kazakh letters folded, Cyrillic transliterated,
Latin diacritics dropped, "г."/"город"/"қаласы" removed), so "Өскемен", "Оскемен" and "Oskemen"
meet; then exact matches win, and a close match (a typo, a Russian case ending) is accepted
only above a similarity cutoff and only for words long enough to be told apart.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REGIONS_FILE = Path(__file__).with_name("data") / "regions.yaml"

_KK_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin spellings that mean the same sound as the transliteration above.
_LATIN = (("q", "k"), ("j", "zh"), ("dzh", "zh"), ("x", "kh"), ("w", "v"), ("ı", "i"))
# Words around a place name, in skeleton form ("г.", "город", "қаласы", "я живу в").
_NOISE_WORDS = {"g", "gor", "gorod", "kalasy", "city", "v", "vo", "iz", "ya", "my", "in", "zhivu"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
FUZZY_CUTOFF = 0.8
MIN_FUZZY_LEN = 5  # shorter words only match exactly ("Шу", "СКО")


def skeleton(text: str) -> str:
    """The comparable form of a place name: lower-case Latin words separated by one space."""
    low = text.casefold().translate(_KK_FOLD)
    low = "".join(_CYR.get(ch, ch) for ch in low)
    low = unicodedata.normalize("NFKD", low)
    low = "".join(ch for ch in low if not unicodedata.combining(ch))
    for a, b in _LATIN:
        low = low.replace(a, b)
    words = [w for w in _NON_WORD.split(low) if w and w not in _NOISE_WORDS]
    return " ".join(words)


@dataclass(frozen=True)
class Regions:
    ids: tuple[str, ...]  # in button order
    index: dict[str, str]  # skeleton of an alias -> region id

    @classmethod
    def load(cls, path: Path = REGIONS_FILE) -> Regions:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids: list[str] = []
        index: dict[str, str] = {}
        for entry in data["regions"]:
            rid = str(entry["id"])
            ids.append(rid)
            for alias in entry.get("aliases", []):
                key = skeleton(str(alias))
                if key in index and index[key] != rid:
                    raise ValueError(f"{path}: {alias!r} names both {index[key]} and {rid}")
                index[key] = rid
        return cls(tuple(ids), index)

    def resolve(self, text: str) -> str | None:
        """The region a typed place name means, or None when it is not recognisably one."""
        whole = skeleton(text[:200])
        if not whole:
            return None
        if whole in self.index:
            return self.index[whole]
        words = whole.split()
        best: tuple[float, str] | None = None
        # Longest phrases first: "усть каменогорск" before "каменогорск".
        for size in range(min(4, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if phrase in self.index:
                    return self.index[phrase]
                if len(phrase.replace(" ", "")) < MIN_FUZZY_LEN:
                    continue
                for match in difflib.get_close_matches(
                    phrase, self.index, n=1, cutoff=FUZZY_CUTOFF
                ):
                    score = difflib.SequenceMatcher(None, phrase, match).ratio()
                    if best is None or score > best[0]:
                        best = (score, self.index[match])
        return best[1] if best else None


@lru_cache(maxsize=1)
def default_regions() -> Regions:
    return Regions.load()

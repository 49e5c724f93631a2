"""Regions of Kazakhstan and what people type for them: "Өскемен", "Ust-Kamenogorsk", "Уральск".

Every spelling is reduced to one Latin skeleton (Kazakh letters folded, Cyrillic transliterated,
Latin diacritics dropped, "г."/"город"/"қаласы" removed), so "Өскемен", "Оскемен" and "Oskemen"
meet; then exact matches win. Then case endings are taken off the skeleton, longest first
("Атыраудамын" -> "atyrau", "Қарағандыданмын" -> "karagandy", "в Уральске" -> "uralsk"), a stem
counting only when it is itself a known spelling. Last, a close match (a typo) is accepted
only above a similarity cutoff and only for words long enough to be told apart.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
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
_LATIN = (("q", "k"), ("j", "zh"), ("dzh", "zh"), ("x", "kh"), ("w", "v"), ("ı", "y"))
# Letters of the 2021 Kazakh Latin alphabet (and of improvised spellings) that stand for two
# letters of the transliteration: taken before diacritics are dropped ("Şymkent").
_LATIN_DIGRAPHS = str.maketrans({"ş": "sh", "ç": "ch", "š": "sh", "č": "ch", "ž": "zh"})
# Words around a place name, in skeleton form ("г.", "город", "қаласы", "я живу в").
_NOISE_WORDS = {"g", "gor", "gorod", "kalasy", "city", "v", "vo", "iz", "ya", "my", "in", "zhivu"}
# Case endings on the skeleton, as (ending, what replaces it). Kazakh: locative, ablative
# (with the personal endings "-мын/-мін", "-мыз/-міз"), dative, genitive, "-лық" (a person
# of the place); the buffer "н" after a possessive ("облысында" -> "oblysy"). Russian: the
# oblique cases of nouns in a consonant or in "-а" ("Уральске", "Караганде", "Астану").
_KK_ENDS = ("da", "de", "ta", "te", "nda", "nde", "dan", "den", "nan", "nen", "tan", "ten")
_KK_PERSONAL = ("myn", "min", "myz", "miz", "byz", "biz", "pyz", "piz")
_KK_OTHER = (
    *("ga", "ge", "ka", "ke", "na", "ne", "nyn", "nin", "dyn", "din", "tyn", "tin"),
    *("lyk", "lik", "dyk", "dik", "tyk", "tik"),
    *("lykpyn", "likpin", "dykpyn", "dikpin", "tykpyn", "tikpin"),
)
_RU_ENDS = (("e", ""), ("a", ""), ("u", ""), ("om", ""), ("e", "a"), ("u", "a"), ("y", "a"),
            ("oi", "a"), ("i", "a"), ("i", ""), ("e", "i"), ("ya", "i"), ("yu", "i"))  # fmt: skip
_ENDINGS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            *((e, "") for e in _KK_ENDS),
            *((e + p, "") for e in _KK_ENDS for p in _KK_PERSONAL),
            *((e, "") for e in _KK_OTHER),
            *_RU_ENDS,
        },
        key=lambda pair: (-len(pair[0]), pair),
    )
)
MAX_NAME_WORDS = 3  # "Восточно-Казахстанская область" is three
MIN_STEM = 3  # a stem shorter than this is never looked up ("үйде" is not "үй")
# Place names that are also everyday words ("есік" a door, "алға" forward, "шар" a ball): as
# typed they still count, but a word that only ends up as one after a case ending is taken
# off ("есікте", at the door) is not taken for a place.
_EVERYDAY = {"esik", "alga", "shar"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
FUZZY_CUTOFF = 0.8
# Shorter words only match exactly, and are never what a typo is taken for: "Шу", "ШҚО" and
# "Сарань" are a letter or two from "школе" and "саған" (to you).
MIN_FUZZY_LEN = 6


def skeleton(text: str) -> str:
    """The comparable form of a place name: lower-case Latin words separated by one space."""
    low = text.casefold().translate(_KK_FOLD).translate(_LATIN_DIGRAPHS)
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

    @cached_property
    def fuzzy_targets(self) -> list[str]:
        return [key for key in self.index if len(key.replace(" ", "")) >= MIN_FUZZY_LEN]

    def names_only(self, text: str) -> bool:
        """The message is a place name and nothing else ("Aktobe", "Алматы облысында",
        "Qaragandydanmyn"): at most three words of it, and they name a region."""
        words = skeleton(text[:200]).split()
        return 0 < len(words) <= MAX_NAME_WORDS and self.resolve(text) is not None

    def resolve(self, text: str) -> str | None:
        """The region a typed place name means, or None when it is not recognisably one."""
        whole = skeleton(text[:200])
        if not whole:
            return None
        if whole in self.index:
            return self.index[whole]
        words = whole.split()
        phrases = [
            words[start : start + size]
            # Longest phrases first: "усть каменогорск" before "каменогорск".
            for size in range(min(4, len(words)), 0, -1)
            for start in range(len(words) - size + 1)
        ]
        for phrase in phrases:
            if " ".join(phrase) in self.index:
                return self.index[" ".join(phrase)]
            for stem in _stems(phrase[-1]):
                key = " ".join([*phrase[:-1], stem])
                if key in self.index:
                    return self.index[key]
        best: tuple[float, str] | None = None
        targets = self.fuzzy_targets
        for phrase in phrases:
            for candidate in (" ".join(phrase), *_fuzzy_stems(phrase)):
                if len(candidate.replace(" ", "")) < MIN_FUZZY_LEN:
                    continue
                for match in difflib.get_close_matches(
                    candidate, targets, n=1, cutoff=FUZZY_CUTOFF
                ):
                    score = difflib.SequenceMatcher(None, candidate, match).ratio()
                    if best is None or score > best[0]:
                        best = (score, self.index[match])
        return best[1] if best else None


def _stems(word: str) -> list[str]:
    """What a word may be without its case ending, longest ending first; never a stem shorter
    than MIN_STEM, never an everyday word."""
    stems: list[str] = []
    for ending, instead in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: len(word) - len(ending)] + instead
            if stem not in _EVERYDAY and stem not in stems:
                stems.append(stem)
    return stems


def _fuzzy_stems(phrase: list[str]) -> list[str]:
    """A typo and a case ending at once ("Караганддан"): the Kazakh endings' stems only, as
    the fuzzy match already forgives a Russian one-letter ending."""
    return [
        " ".join([*phrase[:-1], stem])
        for stem in _stems(phrase[-1])
        if len(phrase[-1]) - len(stem) >= 2
    ]


@lru_cache(maxsize=1)
def default_regions() -> Regions:
    return Regions.load()

"""Text normalisation and the feature views shared by training, inference and the rules.

Three views of one message:
- ``norm``: lower-cased, ё→е, cleaned; keeps the script and Kazakh letters (language signal);
- ``canon``: Latin letters transliterated to Cyrillic, then Kazakh letters folded to their
  Russian look-alikes, so "мені ұрады", "мени урады" and "meni ūrady" share n-grams with each
  other, and "muzh b'et" shares n-grams with "муж бьет";
- the analyzers below turn views into n-gram features (pure Python: no sklearn at run time).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

# The nine letters that only Kazakh Cyrillic has.
KK_LETTERS = frozenset("әғқңөұүһі")
# Kazakh 2021 Latin letters that neither English nor Russian translit uses.
KK_LATIN_LETTERS = frozenset("äğqñöūüışçáǵńúý")

_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "й": "и",  # translit writes "moi"/"moy"/"мои" for "мой"
        "ь": None,  # often dropped in translit ("ubet") and chat ("бет")
        "ъ": None,
    }
)

# Multi-letter Latin sequences first (longest match wins): Russian translit conventions.
_LAT_MULTI: tuple[tuple[str, str], ...] = (
    ("tsya", "тся"),  # reflexive verbs: "boitsya", "podnimaetsya" (not "ця")
    ("shch", "щ"),
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ia", "я"),
    ("iu", "ю"),
)
_LAT_SINGLE = {
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "ж",  # Kazakh Latin: jaqsy = жақсы
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "х",  # "xorosho"
    "y": "ы",
    "z": "з",
    "'": "ь",
    "’": "ь",
    "ä": "а",
    "ğ": "г",
    "ñ": "н",
    "ö": "о",
    "ū": "у",
    "ü": "у",
    "ı": "и",  # 2021 Latin: ı is і (öltıremın = өлтіремін); y is ы
    "ş": "ш",
    "ç": "ч",
    "é": "е",
    # The 2018 Kazakh Latin with acute accents: á ǵ ń ó ú ý (ә ғ ң ө ү у), as folded.
    "á": "а",
    "ǵ": "г",
    "ń": "н",
    "ó": "о",
    "ú": "у",
    "ý": "у",
}
_LAT_RE = re.compile(
    "|".join(re.escape(m) for m, _ in _LAT_MULTI) + "|[" + re.escape("".join(_LAT_SINGLE)) + "]"
)
_LAT_MAP = dict(_LAT_MULTI) | _LAT_SINGLE
# Chat digits standing for letters, only inside words ("4to", "6kola"): "4"→ч, "6"→ш.
_DIGIT_IN_WORD = re.compile(r"(?<=[a-z])[46]|[46](?=[a-z]{2})")

_VOWEL_Y = re.compile(r"(?<=[aeiouäöüū])(?:y(?![aeiouyäöüū])|j\b)")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# Words: letters (any script), apostrophes inside translit words, digits.
WORD_RE = re.compile(r"[^\W_](?:[^\W_]|['’](?=[^\W_]))*")


def normalize(text: str) -> str:
    """Lower-case, NFC, ё→е, invisible characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text).lower().replace("ё", "е")
    return _SPACES.sub(" ", text).strip()


def latin_to_cyrillic(text: str) -> str:
    """Transliterate Latin letters (Russian translit and Kazakh 2021 Latin) to Cyrillic."""
    text = _DIGIT_IN_WORD.sub(lambda m: "ч" if m.group() == "4" else "ш", text)
    # "y" after a vowel and before a non-vowel is й ("seychas", "moy"), as is a final "j".
    text = _VOWEL_Y.sub("й", text)
    return _LAT_RE.sub(lambda m: _LAT_MAP[m.group()], text)


def fold_kazakh(text: str) -> str:
    """Map Kazakh-only letters to the Russian letters people type instead of them."""
    return text.translate(_FOLD)


@lru_cache(maxsize=16384)
def canon_word(w: str) -> str:
    return canon(w)


def canon(normed: str) -> str:
    """The script- and diacritic-free view of an already normalised text."""
    return fold_kazakh(latin_to_cyrillic(normed))


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@lru_cache(maxsize=16384)
def _word_char_ngrams(w: str, lo: int, hi: int, prefix: str) -> tuple[str, ...]:
    # Cached per word: words repeat across windows of a message and across messages,
    # and this loop is most of the cost of a parse.
    padded = f" {w} "
    n_max = min(hi, len(padded))
    return tuple(
        prefix + padded[i : i + n] for n in range(lo, n_max + 1) for i in range(len(padded) - n + 1)
    )


def char_ngrams(text: str, lo: int, hi: int, prefix: str) -> list[str]:
    """char_wb-style n-grams: each word padded with spaces, n-grams never cross words."""
    out: list[str] = []
    for w in words(text):
        out.extend(_word_char_ngrams(w, lo, hi, prefix))
    return out


def word_ngrams(text: str, prefix: str) -> list[str]:
    ws = words(text)
    out = [prefix + w for w in ws]
    out.extend(f"{prefix}{a}_{b}" for a, b in itertools.pairwise(ws))
    return out


# Emoji and the marks that carry tone in chat: «😂», «🙄», «🥳» say joke or joy, «🆘», «😭» say
# distress, «))» is a smile. Words alone miss them; modifiers and joiners carry no meaning.
_TONE_MARKS = frozenset("!?)(")
_NOT_TONE = frozenset("\u200d\ufe0f\ufe0e\u20e3")


def tone_features(text: str) -> list[str]:
    return [
        "s:" + ch
        for ch in text
        if ch in _TONE_MARKS
        or (
            unicodedata.category(ch) == "So"
            and ch not in _NOT_TONE
            and not 0x1F3FB <= ord(ch) <= 0x1F3FF
        )
    ]


def task_features(c: str) -> list[str]:
    """Features of the canonical view, for role/intent/urgency, and the tone marks. The raw
    script is left out: cross-validation showed it adds noise there (urgency AP 0.957 → 0.967
    without it)."""
    return char_ngrams(c, 2, 5, "c:") + word_ngrams(c, "w:") + tone_features(c)


def lang_features(normed: str, task: list[str]) -> list[str]:
    """Raw-script n-grams (Kazakh letters, Latin vs Cyrillic) plus the canonical ones
    (translit Russian reads as Russian only after transliteration)."""
    return char_ngrams(normed, 1, 4, "r:") + task


def analyze(normed: str) -> dict[str, list[str]]:
    """Features of one normalised text per feature space. Bump FEATURE_VERSION on change."""
    task = task_features(canon(normed))
    return {"lang": lang_features(normed, task), "task": task}


FEATURE_VERSION = "5"


def canon_map(normed: str) -> tuple[str, list[int]]:
    """``canon(normed)`` plus, for each of its characters, the index it came from in
    ``normed``: lets a span found in the canonical view be blanked in the original."""
    t = _DIGIT_IN_WORD.sub(lambda m: "ч" if m.group() == "4" else "ш", normed)
    t = _VOWEL_Y.sub("й", t)  # both passes keep the length
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for m in _LAT_RE.finditer(t):
        for i in range(pos, m.start()):
            _put(t[i], i, out, idx)
        _put(_LAT_MAP[m.group()], m.start(), out, idx)
        pos = m.end()
    for i in range(pos, len(t)):
        _put(t[i], i, out, idx)
    return "".join(out), idx


def _put(ch: str, i: int, out: list[str], idx: list[int]) -> None:
    f = ch.translate(_FOLD)
    if f:
        out.append(f)
        idx.append(i)

"""Language identification for short phone-typed messages (ru / kk / en).

The decision (measurements in docs/nlu.md): the trained ``lang`` head of the linear model,
corrected by two script cues that the data cannot contradict, plus follow-up handling.
lingua is not used at run time (no translit/Latin-Kazakh support, ~150 MB, 0.5 s load).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nlu.result import Lang
from nlu.text import KK_LETTERS, canon, canon_word, has_letters, words


def _plain(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _lexicon(text: str) -> frozenset[str]:
    """Whitespace-separated words in their canonical form (see nlu.text.canon)."""
    return frozenset(canon(w) for w in text.split())


# Replies that carry no reliable language: they take the conversation's language.
FOLLOWUPS_NEUTRAL = _plain(
    """
    ok ок окей okay okey k кк ага угу ммм мм хм yes no yep nope ya + - ? ! да нет не неа
    хорошо ладно понятно понял поняла ясно ну и
    """
)
# Short replies that are Kazakh words: alone they mean kk, but a kk/ru speaker mixes them.
FOLLOWUPS_KK = _plain(
    """
    иә ия иа ie iä ıä жоқ жок joq jok жарайды jaraidy jaraıdy макул мақұл
    """
)
_ONLY_DIGITS_ETC = re.compile(r"^[\W\d_]*$")
_LATIN = re.compile(r"[a-zäğñöūüış]")


def followup_lang(normed: str) -> tuple[bool, Lang | None]:
    """(is a short follow-up, the language it implies or None)."""
    if not has_letters(normed) or _ONLY_DIGITS_ETC.match(normed):
        return True, None
    ws = words(normed)
    if not ws or len(ws) > 2:
        return False, None
    if all(w in FOLLOWUPS_NEUTRAL for w in ws):
        return True, None
    if all(w in FOLLOWUPS_NEUTRAL or w in FOLLOWUPS_KK for w in ws):
        return True, "kk"
    return False, None


# Code-switching (docs/nlu-labels.md): the *grammar* decides. Kazakh function words,
# pronouns, particles and inflected verbs make a message kk even when most words are Russian
# ("защитное предписание деген что такое" → kk); Kazakh interjections, forms of address,
# kinship nouns and place names inside Russian grammar do not ("ойбай, он опять бьёт" → ru).
# All forms are canonical (Kazakh letters folded, й→и), so they match every way of typing.
KK_GRAMMAR = _lexicon(
    """
    ол мен сен биз сиз олар сиздер маган саган оган бизге сизге оларга мени сени оны
    бизди сизди менин сенин онын бизин сизин осы мына сол бул мынау керек керекпе жок
    бар ма ме ба бе па пе гои кои гана деп деди деиди деген дегенди калаи каида кашан
    неге кандаи канша кимге ушин туралы кеиин деин бирак жане енди тагы казир кеше бугин
    ертен тез иа жатыр жатырмын жатырмыз отыр отырмын турмын журмин журмиз болды болады
    бола болама болмаиды алмаимын билмеимин келди келеди кетти аитты аитыныз беринизши
    комектесиниз комектесиниздер комектесинизши комек осында сонда кандаи мага
    """
)
# Inflected Kazakh forms (canonical), checked on words of 5+ letters.
_KK_ENDINGS = re.compile(
    r"\w{2,}(?:мын|мин|пын|пин|бын|бин|мыз|миз|ныз|низ|нызшы|низши|ымды|имди|ларым|лерим|"
    r"дарым|дерим|тарым|терим|ларын|лерин|дагы|деги|тагы|теги|ымнан|имнен|маимын|меимин|"
    r"аиды|еиди|ыпты|ипти)$"
)
KK_NOT_GRAMMAR = _lexicon(
    """
    ойбаи ои апаи апа кудаи кудаиа сактасын жаным рахмет ракмет салем салам саламатсыз
    ата аже ага апке синли келин ене куиеу каин енем апам ата алла аллах иншалла алматы
    астана шымкент караганды актобе тараз павлодар оскемен семеи атырау костанаи
    кызылорда орал петропавл актау темиртау туркистан талдыкорган кокшетау экибастуз
    жезказган конаев казакстан
    """
)
RU_GRAMMAR = _lexicon(
    """
    я ты он она мы вы они мне меня мой моя мое мои его ее их нас вас что как где когда
    почему не нет и а но в на с у к по за из от до это уже еще можно нужно надо есть был
    была было очень там тут здесь сеичас щас
    """
)
# More of a Russian sentence frame (round four): function words and everyday verbs that no
# Kazakh word folds into. They only weigh against a *single* Kazakh word inside a Russian
# sentence; they never make a Kazakh-grammar message Russian on their own.
RU_FRAME = RU_GRAMMAR | _lexicon(
    """
    бы же ли только тоже если чтобы потому или так все всех себя себе мою моего моему
    ему еи им сама сам опять снова вчера сегодня завтра сказал сказала говорит хочу
    хочет может могу будет буду знаю делать боюсь пришел пришла ушел ушла бьет орет
    кричит угрожает муж жена дома домои ребенок дети свекровь пьяныи спасибо вам
    огромное большое пожалуиста здравствуите привет
    """
)
# Particles and softeners that a Russian speaker drops into Russian sentences («он опять
# пьяный ғой»): Kazakh, but not the sentence frame.
KK_WEAK = _lexicon("гои кои гана")
# A Kazakh-letter word with a verb or case ending is grammar; other Kazakh-letter words
# (nouns, kinship terms, names) are words a Russian sentence can carry.
_KK_VERBISH = re.compile(
    r"\w+(?:ды|ді|ты|ті|ған|ген|қан|кен|ып|іп|йды|йді|тын|тін|да|де|та|те|дан|ден|тан|тен|"
    r"нан|нен|ға|ге|қа|ке|дың|дің|тың|тің|ның|нің|рін|рын|лін|лын|ны|ні)$"
)
# A finite Kazakh verb is a clause of its own («…, көмектесіңіз», «таблетка іштім»): it
# weighs as two grammar words.
_KK_FINITE = re.compile(
    r"\w+(?:мын|мін|пын|пін|бын|бін|сың|сің|ңыз|ңіз|ңызшы|ңізші|дым|дім|тым|тім|дық|дік|тық|тік|"
    r"йды|йді|ады|еді|ды|ді|ты|ті)$"
)


_KK_FINITE_CANON = ("низ", "ныз", "низши", "нызшы", "низдер", "мын", "мин", "маимын", "меимин")


def grammar_counts(normed: str) -> tuple[int, int, int]:
    """(Kazakh grammar words, Russian grammar words, Kazakh non-grammar words)."""
    kk, ru, kk_other, _ = _grammar_counts(normed)
    return kk, ru, kk_other


def _grammar_counts(normed: str) -> tuple[int, int, int, int]:
    """(strong Kazakh grammar, Russian grammar, Kazakh names/interjections, weak Kazakh:
    particles and Kazakh-letter nouns)."""
    kk = ru = kk_other = weak = 0
    for w in words(normed):
        c = canon_word(w)
        if c in KK_NOT_GRAMMAR:
            kk_other += 1
        elif c in KK_WEAK:
            weak += 1
        elif c in KK_GRAMMAR or (len(c) >= 5 and _KK_ENDINGS.fullmatch(c)):
            kk += 2 if c.endswith(_KK_FINITE_CANON) else 1
        elif KK_LETTERS.intersection(w):
            if _KK_FINITE.fullmatch(w):
                kk += 2  # a finite verb: a clause of its own
            elif _KK_VERBISH.fullmatch(w):
                kk += 1  # an inflected form
            else:
                weak += 1  # a noun or a kinship term
        elif c in RU_FRAME:
            ru += 1
    return kk, ru, kk_other, weak


def script_cue(normed: str) -> Lang | None:
    """kk on Kazakh grammar; ru for Russian grammar carrying Kazakh words.

    Round four: one Kazakh word inside a Russian sentence frame («он опять пьяный ғой»,
    «свекровь с әпкем приехали», «он опять ұрды меня вчера, не знаю что делать») no longer
    makes the message kk: Russian frame words must be fewer than 2×(Kazakh grammar)+2."""
    kk, ru, kk_other, weak = _grammar_counts(normed)
    if kk >= 1 and ru <= 2 * kk + 1:
        return "kk"
    if kk >= 1 and (weak + kk >= 3 and ru <= 2 * (kk + weak)):
        return "kk"
    if _LATIN.search(normed):
        return None
    if ru >= 2 and (kk >= 1 or weak >= 1 or kk_other >= 1):
        return "ru"
    if kk == 0 and ru >= 1 and (kk_other >= 1 or weak >= 1):
        return "ru"
    if kk >= 1:
        return "kk"
    return None


def decide(
    normed: str, model_probs: Mapping[str, float], context_lang: Lang | None
) -> tuple[Lang, bool]:
    """(lang, confident) for a normalised message given the model's lang probabilities."""
    is_followup, implied = followup_lang(normed)
    if is_followup:
        if context_lang is not None:
            return context_lang, False
        return (implied or "ru"), False
    # English words collide with the Kazakh lexicon once transliterated ("me" → "ме"):
    # no grammar cue for what the model already reads as English.
    cue = script_cue(normed) if model_probs.get("en", 0.0) < 0.5 else None
    if cue is not None:
        return cue, True
    best = max(("ru", "kk", "en"), key=lambda k: model_probs.get(k, 0.0))
    lang: Lang = "kk" if best == "kk" else "en" if best == "en" else "ru"
    return lang, True

from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline

CASES = [
    # (slice, text, lang)
    ("ru", "муж не даёт мне денег и всё контролирует", "ru"),
    ("ru", "где находится кризисный центр в Караганде", "ru"),
    ("ru", "живу в Қарағанды, муж пьёт и обзывает меня", "ru"),
    ("kk", "күйеуім маған ақша бермейді, не істеймін", "kk"),
    ("kk", "Сәлеметсіз бе", "kk"),
    ("kk_nodiac", "куйеуим мага акша бермейди, не истеймин", "kk"),
    ("kk_nodiac", "комектесиниз отинемин", "kk"),
    ("kk_latin", "küieuim maǵan aqsha bermeidi, ne isteimin", "kk"),
    ("kk_latin", "kuieuim magan aqsha bermeidi", "kk"),
    ("kk_latin", "sälemetsiz be, maǵan kömek kerek", "kk"),
    ("mixed", "күйеуім опять пьяный келді, не істеймін", "kk"),
    ("mixed", "можно психологқа жазылуға бола ма", "kk"),
    ("mixed", "ойбай, муж снова орёт на детей", "ru"),
    ("translit", "pomogite", "ru"),
    ("translit", "muzh b'et menya, chto delat'", "ru"),
    ("translit", "gde nahoditsya krizisnyi centr v Almaty", "ru"),
    ("en", "my husband controls all the money", "en"),
    ("en", "where is the nearest shelter", "en"),
]


@pytest.mark.parametrize(("slc", "text", "lang"), CASES)
def test_lang(pipe: NluPipeline, slc: str, text: str, lang: str) -> None:
    r = pipe.parse_sync(text)
    assert r.lang == lang, (slc, text, r.scores.get("lang"))
    assert r.lang_confident


@pytest.mark.parametrize("text", ["да", "иә", "ok", "2", "👍", "🙏🙏", "ок", "+", "...", "угу"])
@pytest.mark.parametrize("ctx", ["ru", "kk", "en"])
def test_followup_takes_context(pipe: NluPipeline, text: str, ctx: str) -> None:
    r = pipe.parse_sync(text, context_lang=ctx)  # type: ignore[arg-type]
    assert r.lang == ctx
    assert not r.lang_confident


@pytest.mark.parametrize("text", ["да", "ok", "2", "👍"])
def test_followup_alone_is_ru(pipe: NluPipeline, text: str) -> None:
    r = pipe.parse_sync(text)
    assert (r.lang, r.lang_confident) == ("ru", False)


def test_kazakh_yes_alone_is_kk_but_not_confident(pipe: NluPipeline) -> None:
    r = pipe.parse_sync("иә")
    assert (r.lang, r.lang_confident) == ("kk", False)


def test_real_message_ignores_context(pipe: NluPipeline) -> None:
    r = pipe.parse_sync("муж угрожает мне, что делать", context_lang="kk")
    assert (r.lang, r.lang_confident) == ("ru", True)


# Round four: Russian sentences carrying a Kazakh word or two stay ru; Kazakh grammar with
# Russian words stays kk (the contract: the grammar decides).
RU_FRAME_WITH_KK_WORDS = [
    "он опять пришёл пьяный ғой, я не знаю что делать",
    "свекровь с әпкем приехали и кричат на меня",
    "муж сказал что заберёт балаларым, мне страшно",
    "он опять ұрды меня вчера, не знаю что мне делать",
    "енем говорит что я сама виновата",
    "я боюсь ему сказать, он же бьёт ғой",
    "мой жездем пьёт каждый день и орёт на сестру",
    "қайын атам сказал что выгонит нас из дома",
    "да он такой ғана, всегда кричит когда пьяный",
    "спасибо вам огромное, рахмет",
]
KK_FRAME_WITH_RU_WORDS = [
    "кризисный центр телефоны керек Талдықорғанда",
    "муж опять ұрды мені, не істеймін",
    "я за себя не ручаюсь, көмектесіңіз",
    "таблетканың бәрін іштім, мне уже всё равно",
    "адвокат керек, развод жасағым келеді",
    "ол опять пьяный келді, балалар қорқып отыр",
    "защитное предписание деген что такое",
    "психологқа запись бар ма",
]


@pytest.mark.parametrize("text", RU_FRAME_WITH_KK_WORDS)
def test_russian_frame_with_kazakh_words_is_ru(pipe: NluPipeline, text: str) -> None:
    assert pipe.parse_sync(text).lang == "ru", text


@pytest.mark.parametrize("text", KK_FRAME_WITH_RU_WORDS)
def test_kazakh_frame_with_russian_words_is_kk(pipe: NluPipeline, text: str) -> None:
    assert pipe.parse_sync(text).lang == "kk", text

"""Issue 17: a case carries who is writing by age, so that line 150 answers a teenager as a
children's line. A teenager's urgent message through the real webhook path opens a case whose
card names a teenager; the same words from an adult name none."""

from __future__ import annotations

from pathlib import Path

from devtools.fake_telegram import FakeBotAPI
from dialogues.texts import Texts
from handoff.card import case_screens, role_label
from tests.handoff_helpers import PERSON, handoff_settings, running, wait_topic, wait_topic_text


async def test_a_teenagers_case_card_says_a_teenager_is_writing(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path}/y.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):
        desk = app.desk
        assert desk is not None
        api.user_message(PERSON, "мне 14, отчим сейчас бьёт маму, помогите")
        thread = await wait_topic(api)
        await wait_topic_text(api, thread, "подросток (14–17 лет)")
        (case,) = await desk.cases.open_queue()
        assert case.urgent and (case.details["finer"], case.details["age"]) == (
            "young_person",
            "young",
        )


def test_the_writer_is_named_in_both_languages_and_only_when_known() -> None:
    texts = Texts()
    young = {"finer": "young_person", "age": "child"}
    assert role_label(texts, "ru", "victim", young) == "пострадавший(ая) · ребёнок (до 14 лет)"
    assert role_label(texts, "kk", "victim", young) == "зардап шеккен адам · бала (14 жасқа дейін)"
    parent = {"finer": "parent", "age": "adult"}
    assert "родитель" in role_label(texts, "ru", "aggressor", parent)
    assert "ата-ана" in role_label(texts, "kk", "aggressor", parent)
    assert role_label(texts, "ru", "victim", {"age": "adult"}) == "пострадавший(ая)"
    assert role_label(texts, "ru", "witness", None) == "свидетель"


async def test_the_child_screens_answers_are_on_the_card_in_words(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    """A child who is not sure answers the child's screen, typed; a "yes" to being hurt now
    opens an urgent case whose card says the answers in words, never their codes."""
    db = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    async with running(handoff_settings(tmp_path, api, db)) as (app, _):

        async def say(text: str) -> None:
            seen = len(api.bot_messages(PERSON))
            api.user_message(PERSON, text)
            await api.wait_for(lambda a: len(a.bot_messages(PERSON)) > seen, 15)

        await say("мне 13, отчим обижает меня")
        await say("не знаю")  # is anyone in danger now? → the child's screen
        await say("да")  # hurt or beaten by an adult at home
        await say("да")  # hurt now: the urgent path
        thread = await wait_topic(api)
        card = await wait_topic_text(api, thread, "Вопросы об опасности для ребёнка")
        assert "Обижает или бьёт взрослый, с которым живёт: да" in card["text"]
        assert "Сейчас есть рана, травма или сильная боль: да" in card["text"]
        assert "injury_now" not in card["text"]
        assert app.desk is not None
        (case,) = await app.desk.cases.open_queue()
        assert case.urgent and case.details["child_screen"]["injury_now"] == "yes"


def test_the_child_screen_is_named_in_both_languages() -> None:
    texts = Texts()
    details = {"child_screen": {"locked_now": "not_sure", "sexual": "no"}}
    assert case_screens(texts, "kk", details) == [
        (
            "child",
            [
                ("Қазір қамап қойған, сыртқа шығармайды", "білмейді"),
                ("Еркінен тыс қол тигізген немесе шешінуге мәжбүрлеген", "жоқ"),
            ],
        )
    ]
    assert case_screens(texts, "ru", {"danger_screen": {"weapon": "no"}}) == [
        ("adult", [("Применяли оружие или угрожали им", "нет")])
    ]
    assert case_screens(texts, "ru", {}) == []

"""The dialogue engine on its own: precedence of safety, controls, buttons and routing."""

from __future__ import annotations

from datetime import timedelta

from core.clock import FrozenClock
from core.messages import EraseChat, ForgetPerson, RequestHandoff
from dialogues.engine import EXIT, URGENT
from tests.dialogue_tester import DialogueTester, labels


async def test_start_greets_in_both_languages_and_asks_the_language() -> None:
    t = DialogueTester()
    await t.text("/start")
    text = t.texts()
    assert "Здравствуйте" in text and "Сәлеметсіз бе" in text
    assert "102" in text  # danger first, even in the greeting
    assert t.labels()[:2] == ["Русский", "Қазақша"]
    assert "🆘 Срочно / Шұғыл" in t.labels() and "✖ Быстрый выход / Жылдам шығу" in t.labels()


async def test_choosing_kazakh_gives_the_menu_in_kazakh_with_every_path() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.press_label("Қазақша")
    assert t.state.lang == "kk" and t.state.lang_locked
    assert t.labels() == [
        "Маған көмек керек",
        "Жақыныма көмек керек",
        "Жақындарымды ауыртуды тоқтатқым келеді",
        "Көмек байланыстары",
        "Психологқа жазылу",
        "Кеңесшімен сөйлесу",
        "Маған 18 толмаған",
        "Тіл / Язык",
        "🆘 Шұғыл",
        "✖ Жылдам шығу",
    ]


async def test_urgent_text_interrupts_any_step_with_numbers_first_and_can_resume() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.press_label("Русский")
    await t.press_label("Помощь нужна близкому")
    assert t.state.step == "witness.start"
    await t.text("он стоит за дверью", labels(urgent=True, role="victim"))
    first = t.replies()[0].text
    for number in ("102", "112", "103", "150"):
        assert number in first
    assert t.replies()[0].urgent
    assert t.state.step == "safety.urgent" and t.state.resume == "witness.start"
    await t.press_label("Вернуться к разговору")
    assert t.state.step == "witness.start"


async def test_urgent_button_works_from_every_menu() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.press(URGENT)
    assert "102" in t.replies()[0].text


async def test_urgent_calls_a_consultant_when_handoff_is_available() -> None:
    t = DialogueTester()
    t.services.handoff_enabled = True
    await t.text("помогите", labels(urgent=True))
    assert any(isinstance(e, RequestHandoff) and e.urgent for e in t.effects())


async def test_quick_exit_erases_and_says_only_a_neutral_word() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.press(EXIT)
    (effect,) = t.effects()
    assert isinstance(effect, EraseChat)
    assert [r.text for r in effect.then_say] == ["Готово."]
    assert t.replies() == []


async def test_exit_in_danger_leaves_only_the_numbers() -> None:
    # Danger first (docs/lockscreen.md, "After a quick exit"): the bare numbers, nothing else.
    t = DialogueTester()
    t.services.handoff_enabled = True
    await t.text("удали всё, он идёт", labels("exit", "victim", urgent=True))
    (effect,) = [e for e in t.effects() if isinstance(e, EraseChat)]
    assert [r.text for r in effect.then_say] == ["102 · 112 · 150"]
    assert all(r.buttons == () for r in effect.then_say)
    assert t.replies() == []
    # Still kept safe: a quiet urgent case, so a consultant is ready and does not write first.
    (case,) = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert case.urgent and case.details == {"quiet": True}


async def test_forget_asks_first_then_erases_everything() -> None:
    t = DialogueTester()
    await t.text("/forget")
    assert t.effects() == []
    await t.press_label("Да, удалить всё")
    kinds = {type(e) for e in t.effects()}
    assert kinds == {EraseChat, ForgetPerson}


async def test_a_typed_button_label_presses_it() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.text("русский")
    assert t.state.step == "menu.main"


async def test_a_label_on_screen_typed_is_that_button_even_when_the_model_reads_danger() -> None:
    """The model reads "Өзімді тексеру" or "Не сейчас" alone as urgent; typed as the label of a
    button on screen, it is that button. The 🆘 label typed still opens the urgent path (its
    button does), and the same words with more in them are the model's to judge."""
    t = DialogueTester()
    await t.text("/start")
    await t.press_label("Қазақша")
    t.state.step = "aggressor.risk_left"
    t.state.vars["aggressor_risk"] = dict.fromkeys(("now", "weapon", "harm", "self"), "no")
    await t.press("aggressor.risk_left#no")
    assert "Өзімді тексеру" in t.labels()
    await t.text("өзімді тексеру", labels(urgent=True, role="aggressor", lang="kk"))
    assert t.state.step == "aggressor.check_physical"
    assert not any(r.urgent for r in t.replies())
    await t.text("🆘 Шұғыл", labels(urgent=True, lang="kk"))
    assert t.replies()[0].urgent and "102" in t.replies()[0].text
    words = DialogueTester()
    await words.text("/start")
    await words.press_label("Русский")
    await words.text("Не сейчас он душит меня", labels(urgent=True, role="victim"))
    assert words.replies()[0].urgent


async def test_forged_or_stale_payloads_get_a_calm_reply() -> None:
    t = DialogueTester()
    await t.text("/start")
    for payload in ("nonsense", "menu.main#nope", "no.such#step", "x=1", "!what"):
        await t.press(payload)
        assert "кнопка уже не действует" in t.texts()


async def test_free_text_routes_on_intent_and_role() -> None:
    cases = {
        ("help", "victim"): "victim.start",
        ("help", "witness"): "witness.start",
        ("help", "aggressor"): "aggressor.risk_now",  # the start asks about danger now at once
        ("contacts", "unknown"): "contacts.start",
        ("book", "unknown"): "booking.start",
        ("human", "unknown"): "handoff.start",
        ("other", "unknown"): "menu.main",
    }
    for (intent, role), step in cases.items():
        t = DialogueTester()
        await t.text("…", labels(intent, role))
        assert t.state.step == step, (intent, role)


async def test_language_follows_the_person_until_they_choose() -> None:
    t = DialogueTester()
    await t.text("сәлем", labels("greet", lang="kk"))
    assert t.state.lang == "kk"
    assert "Сәлеметсіз бе" in t.texts()
    await t.press("!lang=ru")
    await t.text("сәлем", labels("greet", lang="kk"))
    assert t.state.lang == "ru"  # chosen explicitly: stays


async def test_an_idle_conversation_starts_afresh() -> None:
    t = DialogueTester()
    await t.text("/start")
    await t.press_label("Русский")
    await t.press_label("Контакты помощи")
    clock = t.services.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(timedelta(hours=13))
    await t.text("?", labels("other"))
    assert t.state.resume is None and t.state.step == "menu.main"


async def test_unsupported_content_gets_a_calm_reply() -> None:
    from core.messages import Inbound

    t = DialogueTester()
    inbound = Inbound("test", "u", t.services.clock.now(), unsupported="sticker")
    await t._send(inbound, None)
    assert "только текст" in t.texts()


async def test_the_first_screen_speaks_both_languages_on_every_button() -> None:
    # Issue 20: before the language is known, «🆘 Срочно» and «✖ Быстрый выход» were Russian.
    for lang in ("ru", "kk", None):
        t = DialogueTester()
        t.state.lang = lang
        await t.text("/start")
        assert t.state.step == "start.welcome"
        labels_ = t.labels()
        assert labels_ == [
            "Русский",
            "Қазақша",
            "🆘 Срочно / Шұғыл",
            "✖ Быстрый выход / Жылдам шығу",
        ]
        # Each one still works, by a press or typed.
        await t.press_label("✖ Быстрый выход / Жылдам шығу")
        assert any(isinstance(e, EraseChat) for e in t.effects())
    t = DialogueTester()
    await t.text("/start")
    await t.press_label("Қазақша")
    assert "🆘 Шұғыл" in t.labels() and "✖ Жылдам шығу" in t.labels()


async def test_a_language_typed_by_name_mid_conversation_switches_to_it() -> None:
    """Seen in the console: a person who chose Russian typed «Қазақша» and was told «Простите,
    я не совсем понимаю» in Russian. A message that is only a language's name chooses it."""
    for typed in ("Қазақша", "казакша!", "qazaqsha", "на казахском"):
        t = DialogueTester()
        t.state.lang, t.state.lang_locked = "ru", True
        await t.press("menu.main#other")
        assert t.state.step == "witness.start"
        await t.text(typed, labels(lang="ru"))
        assert (t.state.lang, t.state.lang_locked, t.state.step) == ("kk", True, "witness.start")
        assert "Бейжай қалмағаныңызға рахмет" in t.texts(), typed
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "kk", True
    await t.text("по-русски", labels(lang="kk"))
    assert t.state.lang == "ru" and "Чем я могу помочь" in t.texts()


async def test_a_language_named_where_a_button_names_it_presses_that_button() -> None:
    # Booking asks the session's language: «на казахском» answers it; the chat stays Russian.
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    t.state.step, t.state.offered = (
        "booking.lang",
        [
            ["Русский", "booking.lang#ru"],
            ["Қазақша", "booking.lang#kk"],
        ],
    )
    await t.text("на казахском", labels(lang="ru"))
    assert (t.state.lang, t.state.vars["bk"]["lang"], t.state.step) == ("ru", "kk", "booking.mode")


async def test_a_sentence_that_mentions_a_language_is_not_a_choice() -> None:
    t = DialogueTester()
    t.state.lang, t.state.lang_locked = "ru", True
    await t.text("казахский язык я плохо знаю", labels(lang="ru"))
    assert t.state.lang == "ru"

"""Issue 19: the optional question about the person after the feedback (dialogues/flows/about.py):
its answers and refusals reach the registry row, it is never asked in an urgent conversation,
and the refusal rate is counted right. Buttons only, through the real pipeline and database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from registry.models import Contact
from reports.people import people
from reports.period import Period
from tests.test_registry_buttons import NOW, Presser

LANGS = ("ru", "kk")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    yield application
    await application.close()


async def feedback(who: Presser, *, skip: bool = False) -> None:
    """The questionnaire, as handoff and booking start it, answered with buttons."""
    assert who.person_id is not None
    who.replies = await who.app.conversations.enter_step(who.person_id, "feedback.start")
    if skip:
        await who.tap("feedback-skip")
        return
    await who.tap("feedback-score-4")
    await who.tap("feedback-yes")
    await who.tap("feedback-unsure")


def asked(who: Presser) -> bool:
    label = who.app.conversations.engine.texts.get(who.lang, "about-q-sex")
    return any(label in r.text for r in who.replies)


async def a_calm_conversation(app: App, lang: str, user: str) -> Presser:
    her = Presser(app, lang, user)
    await her.start()
    await her.tap("menu-need-help")
    await her.tap("victim-btn-legal")
    return her


@pytest.mark.parametrize("lang", LANGS)
async def test_she_answers_both_questions_and_the_row_has_them(app: App, lang: str) -> None:
    her = await a_calm_conversation(app, lang, "her")
    await feedback(her)
    assert asked(her)
    assert (await her.row()).demographics == "asked"
    await her.tap("about-female")
    await her.tap("about-age-adult")
    row = await her.row()
    assert (row.sex, row.age_band, row.demographics) == ("female", "adult", "answered")
    assert row.feedback is not None
    # A later turn that tells nothing of her age keeps what she said.
    await her.press("!menu")
    assert (await her.row()).age_band == "adult"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_refusal_ends_the_question_and_is_counted(app: App, lang: str) -> None:
    him = await a_calm_conversation(app, lang, "him")
    await feedback(him)
    await him.tap("about-decline")
    texts = [r.text for r in him.replies]
    assert not any(app.conversations.engine.texts.get(lang, "about-q-age") in t for t in texts)
    row = await him.row()
    assert (row.sex, row.age_band, row.demographics) == ("declined", None, "declined")


async def test_someone_who_skipped_the_feedback_is_not_asked(app: App) -> None:
    her = await a_calm_conversation(app, "kk", "skip")
    await feedback(her, skip=True)
    assert not asked(her) and (await her.row()).demographics is None


@pytest.mark.parametrize("lang", LANGS)
async def test_never_after_the_urgent_button(app: App, lang: str) -> None:
    her = Presser(app, lang, "sos")
    await her.start()
    await her.press("!urgent")  # the 🆘 button: no words, but an urgent conversation
    await her.tap("safety-resume")
    await feedback(her)
    assert not asked(her)
    row = await her.row()
    assert row.urgent and row.demographics is None


async def test_never_after_a_high_danger_screen_an_urgent_case_or_an_urgent_message(
    app: App,
) -> None:
    from dialogues.danger_screen import default_screen

    screen = default_screen()
    high = Presser(app, "ru", "high")
    await high.start()
    await high.tap("menu-need-help")
    await high.press("victim.start#danger")
    await high.press("danger.start#go")
    for i in range(len(screen.questions)):
        await high.press(f"{screen.step_id(i)}#{'yes' if i == 2 else 'no'}")
    assert (await high.row()).danger_level == "high"
    await feedback(high)
    assert not asked(high)

    # The consultation that ends with the feedback was an urgent case (handoff/actions.py).
    case = await a_calm_conversation(app, "kk", "case")
    assert case.person_id is not None
    case.replies = await app.conversations.enter_step(
        case.person_id, "feedback.start", {"urgent_case": True}
    )
    await case.tap("feedback-score-5")
    await case.tap("feedback-yes")
    await case.tap("feedback-yes")
    assert not asked(case)

    # A message the NLU marked urgent (the contact's flag).
    flagged = await a_calm_conversation(app, "ru", "flag")
    contact = (await flagged.row()).id
    async with app.db.session() as s, s.begin():
        await s.execute(update(Contact).where(Contact.id == contact).values(urgent=True))
    await feedback(flagged)
    assert not asked(flagged)
    for who in (high, case, flagged):
        assert (await who.row()).demographics is None


async def test_the_refusal_rate_counts_the_answers_of_real_conversations(app: App) -> None:
    """Three asked (one answered, two declined) and one who left without answering."""
    script = [("a", ["about-male", "about-age-young"]), ("b", ["about-decline"])]
    script += [("c", ["about-decline"]), ("d", [])]
    for user, taps in script:
        who = await a_calm_conversation(app, "ru", user)
        await feedback(who)
        for key in taps:
            await who.tap(key)
    # The console is a test channel the reports leave out: count these as Telegram contacts.
    async with app.db.session() as s, s.begin():
        await s.execute(update(Contact).values(channel="telegram"))
    day = NOW.date()
    got = await people(app.db, Period(day - timedelta(days=1), day + timedelta(days=1)))
    assert (got.asked, got.answered, got.declined, got.left) == (4, 1, 2, 1)
    assert got.refusal_rate == pytest.approx(0.5)
    assert dict(got.by_sex) == {"male": 1, "declined": 2}

"""Issue 19: a person who only presses buttons (no typed word, so the NLU never runs) is still
counted: the path they chose gives the registry row its role, the region they picked or shared
and the referral source they pressed reach it too. Through the real pipeline and database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from core.messages import Inbound, Reply
from dialogues.state import State
from registry.models import Contact

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
LANGS = ("ru", "kk")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    application = await App.create(settings, clock=FrozenClock(NOW))
    yield application
    await application.close()


class Presser:
    """One person who never types: each turn presses a button offered in the last replies,
    found by its label (a text key of the conversation's language)."""

    def __init__(self, app: App, lang: str, user: str = "u") -> None:
        self.app, self.lang, self.user = app, lang, user
        self.replies: list[Reply] = []
        self.person_id: int | None = None

    async def press(self, payload: str) -> None:
        out = await self.app.conversations.handle(
            Inbound("console", self.user, NOW, payload=payload)
        )
        self.person_id = out.person_id or self.person_id
        self.replies = out.replies

    async def share_location(self, region: str | None) -> None:
        out = await self.app.conversations.handle(
            Inbound("console", self.user, NOW, located=True, region=region)
        )
        self.replies = out.replies

    async def tap(self, key: str) -> None:
        """Press the offered button labelled with text `key` (it must be on screen)."""
        label = self.app.conversations.engine.texts.get(self.lang, key)
        offered = [b for r in self.replies for b in r.flat_buttons]
        found = [b for b in offered if b.label == label or b.label.endswith(f" {label}")]
        assert found, (key, label, [b.label for b in offered])
        await self.press(found[0].payload)

    async def first(self) -> None:
        """Press the first button offered (a day, a time: whichever)."""
        await self.press(next(b for r in self.replies for b in r.flat_buttons).payload)

    async def start(self) -> None:
        await self.press(f"!lang={self.lang}")  # the language button: the menu follows

    async def row(self) -> Contact:
        assert self.person_id is not None
        state = State.from_dict(await self.app.conversations.states.load(self.person_id))
        registry = self.app.conversations.services.registry
        assert registry is not None and state.contact is not None
        row = await registry.get(state.contact)
        assert row is not None
        return row


@pytest.mark.parametrize("lang", LANGS)
async def test_he_who_wants_to_stop_hurting_books_by_buttons_and_is_counted_so(
    app: App, lang: str
) -> None:
    him = Presser(app, lang)
    await him.start()
    await him.tap("menu-stop-hurting")
    for _ in range(5):  # the risk questions: no to each
        await him.tap("aggressor-no")
    await him.tap("aggressor-btn-programme")
    await him.tap("aggressor-substances-no")
    await him.tap("aggressor-referral-police")
    await him.tap("aggressor-confirmation-no")
    await him.first()  # the session's language
    await him.tap("booking-mode-online")
    for _ in range(4):  # day, time, no name, confirm
        await him.first()
    row = await him.row()
    assert (row.role, row.referral, row.booked, row.lang) == ("aggressor", "police", True, lang)
    assert row.topics == ""  # not one word was read: the role is the path he chose
    # Then he looks for help where he lives: the region he picks is on the same row.
    await him.press("!menu")
    await him.tap("menu-contacts")
    await him.tap("contacts-in-my-region")
    await him.tap("region-pavlodar")
    assert (await him.row()).region == "pavlodar"


@pytest.mark.parametrize("lang", LANGS)
async def test_she_names_what_happens_and_picks_her_region_by_buttons(app: App, lang: str) -> None:
    her = Presser(app, lang)
    await her.start()
    await her.tap("menu-need-help")
    await her.tap("victim-btn-kinds")
    await her.tap("kind-btn-psychological")
    await her.tap("kind-other")
    await her.tap("kind-btn-economic")
    await her.tap("kind-other")
    await her.tap("kind-btn-psychological")  # opened twice: counted once
    await her.tap("kind-what-to-do")
    await her.tap("victim-btn-contacts")
    await her.tap("contacts-in-my-region")
    await her.tap("region-karaganda")
    row = await her.row()
    assert (row.role, row.region, row.violence) == ("victim", "karaganda", "economic,psychological")
    # /start clears the conversation's state: what the row learnt stays.
    await her.press("!menu")
    assert (await her.row()).region == "karaganda"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_witness_shares_a_location_and_its_region_is_counted(app: App, lang: str) -> None:
    friend = Presser(app, lang)
    await friend.start()
    await friend.tap("menu-someone-else")
    await friend.tap("victim-btn-contacts")
    await friend.share_location("turkistan")
    row = await friend.row()
    assert (row.role, row.region) == ("witness", "turkistan")


@pytest.mark.parametrize(
    ("lang", "what", "role"), [("ru", "me", "victim"), ("kk", "family", "witness")]
)
async def test_a_young_person_is_a_victim_or_a_witness_by_what_they_press(
    app: App, lang: str, what: str, role: str
) -> None:
    young = Presser(app, lang)
    await young.start()
    await young.tap("menu-young")
    await young.tap("young-btn-not-now")
    await young.tap(f"young-btn-{what}")
    await young.tap("young-btn-safety")
    await young.tap("young-btn-region")
    await young.tap("region-almaty_city")
    row = await young.row()
    assert (row.role, row.age_band, row.region) == (role, "young", "almaty_city")


@pytest.mark.parametrize("lang", LANGS)
async def test_a_parent_afraid_of_hurting_their_child_counts_as_aggressor_and_adult(
    app: App, lang: str
) -> None:
    parent = Presser(app, lang)
    await parent.start()
    await parent.tap("menu-stop-hurting")
    for _ in range(5):
        await parent.tap("aggressor-no")
    await parent.tap("aggressor-btn-parent")
    row = await parent.row()
    assert (row.role, row.age_band) == ("aggressor", "adult")


async def test_each_contact_says_since_when_the_person_had_not_written(app: App) -> None:
    """new_in from the person's previous message (people.last_seen_at before the turn): the
    first contact ever is new, one later the same month nothing, then month, year, quarter;
    a person erased on request who writes again is new."""
    from datetime import timedelta

    clock = app.conversations.services.clock
    assert isinstance(clock, FrozenClock)
    her = Presser(app, "kk", "again")
    marks = []
    # 06:00 25 Nov in Almaty; later that evening; 1 Dec; 1 Jan; 2 Apr (13 hours: a new contact).
    for step in (timedelta(0), timedelta(hours=13), timedelta(days=6), timedelta(days=31)):
        clock.advance(step)
        await her.start()
        marks.append((await her.row()).new_in)
    clock.advance(timedelta(days=91))
    await her.start()
    marks.append((await her.row()).new_in)
    assert marks == ["new", None, "month", "year", "quarter"]
    clock.advance(timedelta(hours=2))
    out = await app.conversations.handle(Inbound("console", "again", NOW, text="/forget"))
    assert out.replies
    await her.press("safety.forget#yes")
    clock.advance(timedelta(hours=13))
    await her.start()
    assert (await her.row()).new_in == "new"

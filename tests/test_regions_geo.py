"""Regions as people write them (Kazakh case forms, Latin, Russian cases, typos) and a shared
location mapped to its region offline, through both channels, with the point never kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from core.clock import FrozenClock
from core.messages import Inbound
from devtools.fake_graph import FakeGraphAPI
from devtools.fake_telegram import FakeBotAPI
from dialogues.geo import default_places, region_at
from dialogues.regions import default_regions
from storage.models import TranscriptEntry
from tests.dialogue_tester import DialogueTester, labels
from tests.telegram_harness import WEBHOOK_SECRET, webhook_bot, webhook_settings
from tests.whatsapp_user import WhatsAppUser, wa_settings, whatsapp_bot

KAZAKH_FORMS = {
    "Атыраудамын": "atyrau", "Қарағандыданмын": "karaganda", "Шымкенттенмін": "shymkent_city",
    "Алматыда": "almaty_city", "Астанадамын": "astana_city", "Ақтөбеденмін": "aktobe",
    "Семейде": "abai", "Өскеменненмін": "east_kz", "Таразға": "zhambyl",
    "Шымкентке": "shymkent_city", "Астананың": "astana_city", "Шымкенттің": "shymkent_city",
    "Алматылықпын": "almaty_city", "Жезқазғанда": "ulytau", "Талдықорғанда": "zhetysu",
    "Алматы облысында": "almaty_region", "Ақтөбе облысынан": "aktobe",
    "Қарағанды облысының": "karaganda", "Үржар ауданында": "abai",
    "Көкпекті ауданынанмын": "abai", "Жаңаарқа ауданы": "ulytau", "мен Атыраудамын": "atyrau",
    "Маңғыстауда тұрамын": "mangystau", "Түркістанданмын": "turkistan",
}  # fmt: skip
WITHOUT_KAZAKH_LETTERS = {
    "Карагандыданмын": "karaganda", "Актобеде": "aktobe", "Оскеменде": "east_kz",
    "Талдыкорганданмын": "zhetysu", "Жезказганда": "ulytau", "Костанайдамын": "kostanay",
    "Кызылордада": "kyzylorda", "Алматы облысынан": "almaty_region",
}  # fmt: skip
LATIN = {
    "Atyraudamyn": "atyrau", "Qaragandydanmyn": "karaganda", "Shymkenttenmin": "shymkent_city",
    "Aktobe": "aktobe", "Aqtobe": "aktobe", "Aqtöbede": "aktobe", "Qarağandı": "karaganda",
    "Şymkentte": "shymkent_city", "Almatyda": "almaty_city", "Oskemende": "east_kz",
    "Taldyqorğanda": "zhetysu", "Qostanaidamyn": "kostanay", "Turkistandamyn": "turkistan",
    "Jezqazğan": "ulytau", "Semeide": "abai",
}  # fmt: skip
RUSSIAN_CASES = {
    "в Караганде": "karaganda", "из Актобе": "aktobe", "Уральске": "west_kz",
    "живу в Атырау": "atyrau", "в Астане": "astana_city", "в Павлодаре": "pavlodar",
    "из Уральска": "west_kz", "в Семее": "abai", "Актюбинской области": "aktobe",
    "в Талдыкоргане": "zhetysu", "из Караганды": "karaganda", "в Таразе": "zhambyl",
}  # fmt: skip
TYPOS = {
    "Павладар": "pavlodar", "Караганддан": "karaganda", "алмата": "almaty_city",
    "Усть-Каменагорск": "east_kz", "Петропавлвск": "north_kz", "Кызылрда": "kyzylorda",
}  # fmt: skip
NOT_REGIONS = [
    "мен үйдемін", "он дома", "я в школе", "мен жұмыстамын", "мен қорқамын", "ол мені ұрды",
    "я на работе", "мама дома", "мен далада тұрмын", "я в больнице", "в полиции",
    "есікте тұр", "мен саған айтайын", "он в гараже", "на улице", "мен мектептемін",
    "біз үйдеміз", "түнде", "полицияға", "ауруханада", "анамда", "Бишкекте", "Ташкенттен",
]  # fmt: skip


@pytest.mark.parametrize(
    "table", [KAZAKH_FORMS, WITHOUT_KAZAKH_LETTERS, LATIN, RUSSIAN_CASES, TYPOS]
)
def test_places_are_read_in_every_case_and_script(table: dict[str, str]) -> None:
    regions = default_regions()
    wrong = {s: regions.resolve(s) for s, r in table.items() if regions.resolve(s) != r}
    assert not wrong


def test_ordinary_words_in_a_sentence_are_not_places() -> None:
    regions = default_regions()
    assert {s: regions.resolve(s) for s in NOT_REGIONS} == dict.fromkeys(NOT_REGIONS)


# -- a point to its region --------------------------------------------------------------

TOWNS = {
    "astana_city": (51.16, 71.45), "almaty_city": (43.24, 76.95), "shymkent_city": (42.32, 69.6),
    "abai": (50.41, 80.23), "akmola": (53.28, 69.39), "aktobe": (50.28, 57.17),
    "almaty_region": (43.2, 76.62), "atyrau": (47.11, 51.92), "east_kz": (49.97, 82.61),
    "zhambyl": (42.9, 71.37), "zhetysu": (45.02, 78.37), "west_kz": (51.23, 51.37),
    "karaganda": (49.8, 73.09), "kostanay": (53.22, 63.64), "kyzylorda": (44.85, 65.48),
    "mangystau": (43.65, 51.17), "pavlodar": (52.29, 76.97), "north_kz": (54.88, 69.16),
    "turkistan": (43.3, 68.27), "ulytau": (47.9, 67.53),
}  # fmt: skip
ABROAD = {
    "Bishkek": (42.87, 74.59), "Tashkent": (41.3, 69.24), "Omsk": (54.99, 73.37),
    "Urumqi": (43.83, 87.62), "Moscow": (55.75, 37.62), "Orenburg": (51.77, 55.1),
}  # fmt: skip


def test_every_region_has_reference_places_and_its_towns_map_to_it() -> None:
    assert {p.region for p in default_places()} == {*default_regions().ids, "abroad"}
    assert sum(p.region != "abroad" for p in default_places()) >= 150
    assert {r: region_at(*point) for r, point in TOWNS.items()} == {r: r for r in TOWNS}


def test_points_outside_kazakhstan_map_to_nothing() -> None:
    assert {n: region_at(*p) for n, p in ABROAD.items()} == dict.fromkeys(ABROAD)
    assert region_at(float("nan"), 70.0) is None


# -- the conversation ---------------------------------------------------------------------


async def test_a_place_name_alone_never_switches_the_language() -> None:
    t = DialogueTester()
    await t.text("Сәлеметсіз бе, маған көмек керек", labels(lang="kk"))
    await t.text("Aktobe", labels(lang="ru"))
    assert t.state.lang == "kk"
    # Nor does it settle the language of a chat that has none yet beyond the app's.
    fresh = DialogueTester()
    await fresh._send(
        Inbound("test", "u", fresh.services.clock.now(), text="Aktobe", lang_hint="kk"),
        labels(lang="ru"),
    )
    assert fresh.state.lang == "kk" and not fresh.state.lang_settled


async def test_a_shared_location_shows_its_regions_contacts_or_asks_for_the_region() -> None:
    t = DialogueTester()
    await t.press("!lang=kk")
    now = t.services.clock.now()
    await t._send(Inbound("test", "u", now, located=True, region="abai"), None)
    assert t.state.step == "contacts.result" and t.state.vars["region"] == "abai"
    assert "Абай облысы" in t.texts()
    await t._send(Inbound("test", "u", now, located=True, region=None), None)
    assert t.state.step == "contacts.location_unknown"
    assert "Қаласыңыздың" not in t.texts() and "102" in t.texts()
    assert "Абай облысы" in t.labels()  # the region can be picked by button


# -- through the channels -----------------------------------------------------------------

SEMEY = (50.41112, 80.22753)  # digits that appear nowhere else in a conversation
USER = 515151


def _nothing_kept(db_file: Path, transcript: list[str]) -> None:
    for path in db_file.parent.glob(db_file.name + "*"):  # the file, its -wal and -journal
        data = path.read_bytes()
        assert b"50.41112" not in data and b"80.22753" not in data, path
    assert not any("50.41" in line or "80.22" in line for line in transcript)


async def _transcript(app: App) -> list[str]:
    async with app.db.session() as s:
        people = set((await s.execute(select(TranscriptEntry.person_id))).scalars())
    transcripts = app.conversations.transcripts
    return [line.text for p in people for line in await transcripts.recent(p, 500)]


async def test_telegram_a_shared_location_at_the_contacts_step_answers_in_kazakh(
    tmp_path: Path, api: FakeBotAPI
) -> None:
    db = tmp_path / "t.db"
    async with webhook_bot(webhook_settings(tmp_path, api, f"sqlite+aiosqlite:///{db}")) as (
        channel,
        base,
    ):
        url = f"{base}/telegram/webhook"

        async def send(update: dict[str, object]) -> None:
            assert (await api.post_to_webhook(url, update, WEBHOOK_SECRET))[0] == 200
            assert channel.inbox is not None
            await channel.inbox.idle()

        def said() -> str:
            return "\n".join(m.get("text", "") for m in api.bot_messages(USER))

        await send(api.user_message(USER, "/start", lang="kk"))
        (greeting,) = await api.wait_sent(USER, 1)
        buttons = {
            b["text"]: b["callback_data"]
            for row in greeting["reply_markup"]["inline_keyboard"]
            for b in row
        }
        await send(api.button_press(USER, buttons["Қазақша"], lang="kk"))
        await send(api.user_message(USER, "байланыс нөмірлері керек", lang="kk"))
        await api.wait_for(lambda _: "Өз өңіріңізде" in said(), timeout=20)
        await send(api.user_location(USER, *SEMEY, lang="kk"))
        await api.wait_for(lambda _: "📍 Абай облысы" in said(), timeout=20)
        await send(api.user_location(USER, 42.87, 74.59, lang="kk"))  # Bishkek
        await api.wait_for(lambda _: "өңірді анықтай алмадым" in said(), timeout=20)
        assert "Здравствуйте" not in said().split("📍 Абай облысы")[1]  # Kazakh throughout
        _nothing_kept(db, await _transcript(channel.app))


@pytest.fixture
async def graph(clock: FrozenClock) -> AsyncIterator[FakeGraphAPI]:
    fake = FakeGraphAPI(clock=clock.now)
    await fake.start()
    yield fake
    await fake.stop()


async def test_whatsapp_a_shared_location_at_the_contacts_step_answers_in_kazakh(
    tmp_path: Path, graph: FakeGraphAPI, clock: FrozenClock
) -> None:
    db = tmp_path / "wa.db"
    async with whatsapp_bot(
        wa_settings(tmp_path, graph, f"sqlite+aiosqlite:///{db}"), clock
    ) as bot:
        user = WhatsAppUser(graph, bot, "77017654321")
        await user.say("/start")
        await user.press("Қазақша")
        await user.say("байланыс нөмірлері керек")
        await user.send(graph.location(user.wa_id, *SEMEY))
        said = "\n".join(s.text for s in user.last)
        assert "Абай облысы" in said and "102" in said
        await user.send(graph.location(user.wa_id, 41.3, 69.24))  # Tashkent
        assert "өңірді анықтай алмадым" in "\n".join(s.text for s in user.last)
        _nothing_kept(db, await _transcript(bot.app))

"""Staff-facing texts: every `staff-*` key in Russian and Kazakh, every staff page rendered in
Kazakh with none of its Russian labels left, the header's language switch kept in the account,
and the consultants' group speaking its configured language."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import select

from core.clock import FrozenClock
from devtools.fake_telegram import FakeBotAPI
from dialogues.texts import Texts, catalogue
from handoff.models import HandoffCase
from staffweb.console import JS_TEXTS
from staffweb.supervise import JS_TEXTS as SUPERVISE_JS_TEXTS
from tests.handoff_helpers import (
    PERSON,
    buttons,
    handoff_settings,
    running,
    wait_topic,
    wait_topic_text,
    web_consultant,
)
from tests.test_booking_staff import a_booking
from tests.web_helpers import csrf_of, page_csrf, serve, staff_login

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
URGENT = "помогите, он убьёт меня"
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wednesday, 06:00 in Almaty
# Quoted `staff-…` words in the code that are not text keys.
NOT_KEYS = {"staff-texts", "staff-unlock"}
SOURCES = ("staffweb", "handoff", "booking", "reports", "core")


def staff_keys(lang: str) -> dict[str, set[str]]:
    return {k: v for k, v in catalogue()[lang].items() if k.startswith("staff-")}


def test_every_staff_key_is_in_both_languages_with_the_same_variables() -> None:
    ru, kk = staff_keys("ru"), staff_keys("kk")
    assert len(ru) > 250
    assert set(ru) == set(kk), set(ru) ^ set(kk)
    assert {k: v for k, v in ru.items() if kk[k] != v} == {}


def keys_in_code() -> set[str]:
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".js"):
                text = path.read_text(encoding="utf-8")
                found |= set(re.findall(r"""["'](staff-[a-z0-9-]*[a-z0-9])["']""", text))
    return found - NOT_KEYS


def test_every_staff_key_the_code_names_exists() -> None:
    known = set(staff_keys("ru"))
    used = keys_in_code()
    assert len(used) > 200
    assert used - known == set()


def russian_labels() -> list[str]:
    """The Russian words of the staff texts that Kazakh says differently: none of them may
    show on a page read in Kazakh. Texts with arguments are cut at the arguments."""
    texts = Texts()
    ru, kk = staff_keys("ru"), staff_keys("kk")
    kazakh = " ".join(
        texts.get("kk", key, {name: "\x00" for name in names}) for key, names in kk.items()
    )
    out: set[str] = set()
    for key, names in ru.items():
        said = texts.get("ru", key, {name: "\x00" for name in names})
        for piece in said.split("\x00"):
            piece = piece.strip(" .,:;()«»—·…→←✋✖↩⚠🔴🤫[]")
            if len(piece) >= 4 and re.search("[а-яё]", piece, re.I) and not said_in(piece, kazakh):
                out.add(piece)  # a word Kazakh shares (минут, онлайн) is no leftover
    assert len(out) > 200
    return sorted(out)


def said_in(label: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) is not None


def visible(page: str) -> str:
    """The text a reader sees: no tags, no attribute values, no script data, and not the
    person's own conversation (shown as written, in their language) nor the Russian text of
    a canned reply (its own words, edited beside the Kazakh)."""
    page = re.sub(r'<details class="before">.*?</details>', " ", page, flags=re.S)
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    # The Russian version of a canned reply, on the page that edits both versions.
    page = re.sub(r'<textarea name="text_ru".*?</textarea>', " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def leftovers(page: str, labels: Iterable[str]) -> list[str]:
    seen = visible(page)
    return [label for label in labels if said_in(label, seen)]


async def test_every_staff_page_reads_in_kazakh(
    tmp_path: Path, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="dialogues.texts")
    labels = russian_labels()
    db = f"sqlite+aiosqlite:///{tmp_path}/k.db"
    settings = handoff_settings(tmp_path, api, db, handoff_group_lang="kk")
    async with running(settings, FrozenClock(NOW)) as (app, channel):
        for name, roles in [
            ("coord", ["coordinator"]),
            ("cons", ["consultant"]),
            ("spec", ["specialist"]),
            ("boss", ["admin"]),
        ]:
            await app.staff.add_user(name, PASSWORD, roles, NOW)
        await a_booking(app)
        api.user_message(PERSON, URGENT)
        thread = await wait_topic(api)
        # The consultants' group speaks its own language (QAMQOR_HANDOFF_GROUP_LANG=kk).
        card = await wait_topic_text(api, thread, "ШҰҒЫЛ")
        assert set(buttons(card)) == {"✋ Алу", "✖ Жабу"}
        facts, recent = card["text"].split("— Соңғы хабарламалар —")  # then the person's own
        assert leftovers(facts, labels) == [] and "👤" in recent
        async with app.db.session() as s:
            number = await s.scalar(select(HandoffCase.number))
        assert number is not None
        async with (
            serve(app, channel) as base,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as coord,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as cons,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as spec,
            ClientSession(cookie_jar=CookieJar(unsafe=True)) as boss,
        ):
            async with coord.get(f"{base}/staff/login?lang=kk") as resp:
                login = await resp.text()
            assert '<html lang="kk">' in login and "Кіру" in login
            assert leftovers(login, labels) == []
            for http, name in [(coord, "coord"), (cons, "cons"), (spec, "spec"), (boss, "boss")]:
                assert await staff_login(http, base, name, PASSWORD) == 303
                await choose(http, base, "kk")
            pages = [
                (coord, "/staff/", 200),
                (coord, "/staff/users", 200),
                (boss, "/staff/audit", 200),
                (coord, "/staff/bookings", 200),
                (coord, "/staff/bookings/schedule", 200),
                (coord, "/staff/reports", 200),
                (coord, "/staff/reports?from=2026-12-01&to=2026-11-01", 400),
                (coord, "/staff/reports/export?kind=x", 400),
                (cons, "/staff/handoff", 200),
                (cons, f"/staff/handoff/case/{number}", 200),
                (cons, "/staff/handoff/link", 200),
                (coord, "/staff/handoff/canned", 200),
                (cons, "/staff/handoff/canned", 403),
                (coord, "/staff/contacts", 200),
                (coord, "/staff/contacts?due=1&region=karaganda", 200),
                (coord, "/staff/contacts/new", 200),
                (coord, "/staff/contacts/kz_trust_line_150", 200),
                (cons, "/staff/contacts", 403),
                (coord, "/staff/handoff/supervise", 200),
                (coord, "/staff/handoff/supervise?number=K-ZZZZ", 200),
                (spec, "/staff/users", 403),
                (spec, "/staff/bookings", 200),  # not linked to a specialist: says so
            ]
            for http, path, status in pages:
                async with http.get(base + path) as resp:
                    page = await resp.text()
                    assert resp.status == status, path
                assert '<html lang="kk">' in page, path
                assert leftovers(page, labels) == [], path
            # The words the console's script shows come with the page, in Kazakh.
            async with cons.get(f"{base}/staff/handoff/case/{number}") as resp:
                page = await resp.text()
            blob = re.search(
                r'<script type="application/json" id="staff-texts">(.*?)</script>', page
            )
            assert blob is not None
            js = json.loads(blob.group(1))
            assert set(js) == set(JS_TEXTS) and js["urgent"] == "ШҰҒЫЛ"
            assert (
                js["alerts"].count("{count}") == 1
                and leftovers(" ".join(js.values()), labels) == []
            )
            async with cons.get(f"{base}/staff/handoff/api/queue") as resp:
                row = (await resp.json())["cases"][0]
            assert row["state_label"] == "кезекте" and row["role"] in (
                "белгісіз",
                "зардап шеккен адам",
            )
            # And the supervisor page's script (staffweb/supervise.py).
            async with coord.get(f"{base}/staff/handoff/supervise") as resp:
                found = re.search(
                    r'<script type="application/json" id="staff-texts">(.*?)</script>',
                    await resp.text(),
                )
            assert found is not None
            words = json.loads(found.group(1))
            assert (
                set(words) == set(SUPERVISE_JS_TEXTS)
                and leftovers(" ".join(words.values()), labels) == []
            )
            # A refusal from the desk, in the reader's language.
            token = csrf_of(page)
            url = f"{base}/staff/handoff/api/case/{number}"
            async with cons.post(
                f"{url}/reply", json={"text": "x"}, headers={"X-CSRF-Token": token}
            ) as r:
                assert r.status == 409 and (await r.json())["error"] == "Алдымен өтінішті алыңыз."
            # A schedule change refused by the domain, in Kazakh.
            token = await page_csrf(coord, f"{base}/staff/bookings/schedule")
            async with coord.post(
                f"{base}/staff/bookings/schedule/hours",
                data={"csrf": token, "specialist_id": "1", "weekday": "0", "window": "13:00-10:00"},
            ) as resp:
                page = await resp.text()
                assert resp.status == 400 and "аяғы басынан ерте" in page
                assert leftovers(page, labels) == []
            # A closed case that was not the coordinator's: the reason page, in Kazakh.
            case = await app.desk.cases.by_number(number)  # type: ignore[union-attr]
            assert case is not None
            who = await web_consultant(app, "cons")
            await app.desk.claim(case.id, who)  # type: ignore[union-attr]
            await app.desk.close(case.id, who, "helped")  # type: ignore[union-attr]
            async with coord.get(f"{base}/staff/handoff/case/{number}") as resp:
                page = await resp.text()
                assert resp.status == 403 and "Қарау себебін жазыңыз" in page
                assert leftovers(page, labels) == []
            # The lines the desk wrote in the case are in the group's language too.
            lines = await app.desk.cases.lines(case.id)  # type: ignore[union-attr]
            system = [ln.text for ln in lines if ln.direction == "system"]
            assert any("алды" in t for t in system) and any("Жабылды" in t for t in system)
            assert leftovers(" ".join(system), labels) == []
    problems = [r.getMessage() for r in caplog.records if r.name == "dialogues.texts"]
    assert problems == []


async def choose(http: ClientSession, base: str, lang: str, back: str = "/staff/") -> str:
    """Press the header's language switch; returns where it led."""
    token = await page_csrf(http, f"{base}/staff/")
    async with http.post(
        f"{base}/staff/lang",
        data={"csrf": token, "lang": lang, "next": back},
        allow_redirects=False,
    ) as resp:
        assert resp.status == 303
        return resp.headers["Location"]


async def test_the_language_switch_is_kept_in_the_account(settings: object) -> None:
    from bot.app import App

    app = await App.create(settings, clock=FrozenClock(NOW))  # type: ignore[arg-type]
    try:
        await app.staff.add_user("coord", PASSWORD, ["coordinator"], NOW)
        async with serve(app) as base:
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
                assert await staff_login(http, base, "coord", PASSWORD) == 303
                async with http.get(f"{base}/staff/users") as resp:
                    page = await resp.text()
                assert '<html lang="ru">' in page and "Сотрудники" in page  # ru by default
                assert leftovers(page, russian_labels())  # the check sees Russian labels
                assert await choose(http, base, "kk", "/staff/users") == "/staff/users"
                async with http.get(f"{base}/staff/users") as resp:
                    page = await resp.text()
                assert '<html lang="kk">' in page and "Қызметкерлер" in page
                assert "Сотрудники" not in page
                token = csrf_of(page)
                async with http.post(
                    f"{base}/staff/lang", data={"csrf": token, "lang": "en"}
                ) as resp:
                    assert resp.status == 400  # only ru and kk
                async with http.post(
                    f"{base}/staff/logout", data={"csrf": token}, allow_redirects=False
                ) as resp:
                    assert resp.status == 303
                # Signed out, this browser's login page keeps the last choice.
                async with http.get(f"{base}/staff/login") as resp:
                    assert '<html lang="kk">' in await resp.text()
            # Another browser, a new session: the account remembers.
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as other:
                async with other.get(f"{base}/staff/login") as resp:
                    assert '<html lang="ru">' in await resp.text()  # nothing chosen here
                assert await staff_login(other, base, "coord", PASSWORD) == 303
                async with other.get(f"{base}/staff/") as resp:
                    page = await resp.text()
                assert '<html lang="kk">' in page and "Шығу" in page and "Выйти" not in page
                await choose(other, base, "ru")
                async with other.get(f"{base}/staff/") as resp:
                    assert "Выйти" in await resp.text()
    finally:
        await app.close()

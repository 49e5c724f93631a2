"""The aggressor programme's figures (issue 16) on the reports page and in the summary export,
against direct SQL counts of a seeded period, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from booking.course import OUTCOMES
from booking.models import Booking, Course
from bot.app import App
from bot.settings import Settings
from core.clock import FrozenClock
from dialogues.texts import Texts
from registry.vocabulary import COURSE_OUTCOMES
from reports.figures import Figures
from reports.period import Period
from reports.tables import summary_table
from storage.models import Person
from tests.conftest import TEST_KEY
from tests.test_reports import PASSWORD, chart_values, jar
from tests.test_staff_texts import choose, leftovers, russian_labels
from tests.web_helpers import serve, staff_login

PERIOD = Period(date(2026, 11, 1), date(2026, 11, 25))
IN = datetime(2026, 11, 10, 6, 0, tzinfo=UTC)
BEFORE = datetime(2026, 10, 20, 6, 0, tzinfo=UTC)  # October: outside the period
AFTER = PERIOD.end_utc  # 00:00 Almaty of 26 November: outside


@pytest.fixture
async def app(db_url: str, tmp_path, clock: FrozenClock) -> AsyncIterator[App]:  # type: ignore[no-untyped-def]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        secret_key=TEST_KEY,  # type: ignore[arg-type]
        database_url=db_url,
        public_url="http://127.0.0.1",
    )
    application = await App.create(settings, clock=clock)
    await application.staff.add_user("coord", PASSWORD, ["coordinator"], clock.now())
    yield application
    await application.close()


async def seed(app: App) -> None:
    """Eight people: four reach the programme in the period (police twice, court, one who
    skipped the question); two came first in October, one of them back in the period and one
    with a family-service booking in it; one books after the period; one has only a course
    that starts after it. Course sessions and ends fall inside, before and after."""
    async with app.db.session() as s, s.begin():
        people = [
            Person(channel="telegram", ref_hash=f"h{n}", created_at=BEFORE, last_seen_at=BEFORE)
            for n in range(8)
        ]
        s.add_all(people)
        await s.flush()
        p = [x.id for x in people]

        def booking(
            person: int,
            created: datetime,
            referral: str | None = None,
            *,
            kind: str = "stop",
            status: str = "booked",
            starts: datetime | None = None,
            course: int | None = None,
        ) -> Booking:
            at = starts or created + timedelta(days=2)
            return Booking(
                person_id=person,
                kind=kind,
                lang="ru",
                mode="online",
                starts_at=at,
                ends_at=at + timedelta(hours=1),
                status=status,
                created_at=created,
                referral=referral,
                course_id=course,
            )

        s.add_all(
            [
                booking(p[0], IN, "police"),
                booking(p[0], IN + timedelta(days=3), "court"),  # his second: not counted
                booking(p[1], PERIOD.start_utc, "police", status="cancelled"),  # first second
                booking(p[2], IN, "court", status="attended"),
                booking(p[3], IN, None),  # skipped the question
                booking(p[4], BEFORE, "self"),  # came first in October...
                booking(p[4], IN, "line150"),  # ...so not a newcomer of the period
                booking(p[5], IN, "police", kind="family"),  # not the programme
                booking(p[5], BEFORE - timedelta(days=5), "family"),  # October
                booking(p[6], AFTER, "court"),  # the day after the period
                booking(p[6], PERIOD.start_utc - timedelta(seconds=1), None, kind="self"),
            ]
        )

        def course(
            person: int,
            enrolled: datetime,
            ended: datetime | None = None,
            outcome: str | None = None,
        ) -> Course:
            status = "active" if ended is None else "ended"
            return Course(
                person_id=person,
                lang="ru",
                mode="online",
                sessions_planned=8,
                every_days=7,
                status="completed" if outcome in ("completed", "completed_change") else status,
                outcome=outcome,
                end_reason=None if outcome is None else "other",
                enrolled_by="spec",
                enrolled_at=enrolled,
                ended_at=ended,
            )

        courses = [
            course(p[0], IN),  # enrolled, active
            course(p[4], BEFORE, IN, "completed_change"),  # ended in the period
            course(p[2], IN, IN + timedelta(days=5), "dropped_out"),
            course(p[3], IN, IN + timedelta(days=6), "excluded_risk"),
            course(p[5], BEFORE, BEFORE + timedelta(days=3), "completed"),  # all in October
            course(p[6], BEFORE),  # active, enrolled before
            course(p[7], AFTER, AFTER + timedelta(hours=1), "partly"),  # after the period
        ]
        s.add_all(courses)
        await s.flush()
        c = [x.id for x in courses]
        s.add_all(
            [
                booking(p[0], IN, status="attended", starts=IN + timedelta(days=1), course=c[0]),
                booking(p[0], IN, status="no_show", starts=IN + timedelta(days=8), course=c[0]),
                booking(p[0], IN, status="booked", starts=IN + timedelta(days=15), course=c[0]),
                booking(p[4], BEFORE, status="attended", starts=PERIOD.start_utc, course=c[1]),
                booking(p[4], BEFORE, status="attended", starts=BEFORE, course=c[1]),  # out
                booking(p[2], IN, status="no_show", starts=IN + timedelta(days=2), course=c[2]),
                booking(p[2], IN, status="attended", starts=IN + timedelta(days=3), course=c[2]),
                booking(p[7], AFTER, status="no_show", starts=AFTER, course=c[6]),  # out
                booking(p[7], IN, status="attended", starts=IN, kind="self"),  # no course
            ]
        )


def _utc(value: object) -> datetime | None:
    if value is None:
        return None
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(at, datetime)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


async def direct(app: App, period: Period) -> dict[str, object]:
    """The same figures the plain way: every row read with SQL, filtered and counted here."""
    async with app.db.engine.connect() as conn:
        bookings = (
            (
                await conn.execute(
                    text(
                        "SELECT id, person_id, kind, created_at, referral, status, starts_at, "
                        "course_id FROM booking_bookings"
                    )
                )
            )
            .mappings()
            .all()
        )
        courses = (
            (
                await conn.execute(
                    text("SELECT status, enrolled_at, ended_at, outcome FROM programme_courses")
                )
            )
            .mappings()
            .all()
        )
    start, end = period.start_utc, period.end_utc

    def inside(at: object) -> bool:
        moment = _utc(at)
        return moment is not None and start <= moment < end

    first: dict[int, tuple[datetime, int, str | None]] = {}
    for b in bookings:
        if b["kind"] != "stop":
            continue
        key = (_utc(b["created_at"]), b["id"], b["referral"])
        if b["person_id"] not in first or key[:2] < first[b["person_id"]][:2]:  # type: ignore[operator]
            first[b["person_id"]] = key  # type: ignore[assignment]
    referrals = Counter(ref for at, _, ref in first.values() if inside(at))
    sessions = Counter(
        b["status"] for b in bookings if b["course_id"] is not None and inside(b["starts_at"])
    )
    outcomes = Counter(c["outcome"] for c in courses if c["outcome"] and inside(c["ended_at"]))
    return {
        "referrals": dict(referrals),
        "enrolled": sum(inside(c["enrolled_at"]) for c in courses),
        "active": sum(c["status"] == "active" for c in courses),
        "attended": sessions["attended"],
        "missed": sessions["no_show"],
        "completed": outcomes["completed"] + outcomes["completed_change"],
        "dropped_out": outcomes["dropped_out"],
        "outcomes": dict(outcomes),
    }


async def test_programme_figures_equal_direct_sql_counts(app: App) -> None:
    await seed(app)
    want = await direct(app, PERIOD)
    # What the seed was made to give, so that the direct count itself is checked too.
    assert want == {
        "referrals": {"police": 2, "court": 1, None: 1},
        "enrolled": 3,
        "active": 2,
        "attended": 3,
        "missed": 2,
        "completed": 1,
        "dropped_out": 1,
        "outcomes": {"completed_change": 1, "dropped_out": 1, "excluded_risk": 1},
    }
    p = (await Figures(app.db).report(PERIOD)).programme
    assert dict(p.by_referral) == want["referrals"]
    assert p.by_referral[-1] == (None, 1)  # "not asked" comes last
    assert (p.people, p.known, p.not_asked) == (4, 3, 1)
    assert p.share(2) == pytest.approx(2 / 3)
    assert [
        p.enrolled,
        p.active,
        p.sessions_attended,
        p.sessions_missed,
        p.completed,
        p.dropped_out,
    ] == [want[k] for k in ("enrolled", "active", "attended", "missed", "completed", "dropped_out")]
    assert dict(p.outcomes) == want["outcomes"]
    # October alone: the person who came first then, and the course ended then.
    october = (
        await Figures(app.db).report(Period(date(2026, 10, 1), date(2026, 10, 31)))
    ).programme
    assert october.by_referral == [("family", 1), ("self", 1)] and october.outcomes == [
        ("completed", 1)
    ]


async def test_the_page_shows_the_programme_in_russian_and_kazakh(app: App) -> None:
    await seed(app)
    q = f"from={PERIOD.first}&to={PERIOD.last}"
    async with serve(app) as base, jar() as http:
        assert await staff_login(http, base, "coord", PASSWORD) == 303
        async with http.get(f"{base}/staff/reports?{q}") as resp:
            assert resp.status == 200
            ru = await resp.text()
        await choose(http, base, "kk")
        async with http.get(f"{base}/staff/reports?{q}") as resp:
            assert resp.status == 200
            kk = await resp.text()
    for html in (ru, kk):
        # police 2, court 1, then "not asked" 1
        assert chart_values(html, "chart-programme-referral") == [2, 1, 1]
        assert chart_values(html, "chart-programme-course") == [3, 2, 3, 2, 1, 1]
        assert sorted(chart_values(html, "chart-programme-outcome")) == [1, 1, 1]
    assert "Программа для применяющих насилие" in ru and "инспектор полиции" in ru
    assert re.search(r"66,7\s%", ru) and "исключён из-за риска" in ru
    assert "не спрашивали или пропустил" in ru
    assert "Агрессорларға арналған бағдарлама" in kk and "полиция инспекторы" in kk
    assert re.search(r"66,7\s%", kk) and "қауіпке байланысты шығарылды" in kk
    assert "staff-reports-def-programme" not in kk  # the definition is a text, not a key
    assert leftovers(kk, russian_labels()) == []


async def test_the_summary_export_holds_the_programme(app: App) -> None:
    await seed(app)
    figures = Figures(app.db)
    period = Period(date(2026, 10, 1), date(2026, 11, 25))  # two months and the whole
    ru = {r[0]: r[1:] for r in (await summary_table(figures, period, "ru")).rows}
    head = "Программа для применяющих насилие: "
    assert ru[head + "впервые записались, человек"] == [2, 4, 6]
    assert ru[head + "направил(а): инспектор полиции"] == [0, 2, 2]
    assert ru[head + "направил(а): инспектор полиции, % от назвавших"] == [None, 66.7, 40.0]
    assert ru[head + "направил(а): сам(а)"] == [1, 0, 1]
    assert ru[head + "кто направил: не спрашивали или пропустил"] == [0, 1, 1]
    assert ru[head + "приняты на курс"] == [3, 3, 6]
    assert ru[head + "встреч курса: пришёл"] == [1, 3, 4]
    assert ru[head + "встреч курса: не пришёл"] == [0, 2, 2]
    assert ru[head + "завершили курс"] == [1, 1, 2]
    assert ru[head + "выбыли"] == [0, 1, 1]
    assert ru[head + "итог курса: исключён из-за риска"] == [0, 1, 1]
    kk = {r[0]: r[1:] for r in (await summary_table(figures, period, "kk")).rows}
    head = "Агрессорларға арналған бағдарлама: "
    assert kk[head + "алғаш рет жазылғандар, адам"] == [2, 4, 6]
    assert kk[head + "жіберген: полиция инспекторы"] == [0, 2, 2]
    assert kk[head + "курс нәтижесі: аяқтады"] == [1, 0, 1]
    assert kk[head + "кім жіберді: сұралмады немесе жауап бермеді"] == [0, 1, 1]


def test_the_outcome_labels_say_what_the_course_page_says() -> None:
    texts = Texts()
    assert set(COURSE_OUTCOMES) == set(OUTCOMES)
    for code, name in COURSE_OUTCOMES.items():
        for lang in ("ru", "kk"):
            said = texts.get(lang, "staff-course-outcome-code", {"outcome": code})
            assert said.strip("\u2068\u2069") == name.get(lang), (code, lang)

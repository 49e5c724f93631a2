"""The reports page for coordinators (and admins): figures, charts and exports of a period."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from core.clock import Clock
from registry.vocabulary import (
    CHANNELS,
    DANGER_LEVELS,
    FEEDBACK_ANSWERS,
    FEEDBACK_QUESTIONS,
    HANDOFF_OUTCOMES,
    LANGS,
    ROLES,
    TOPICS,
    Label,
    label,
    region_label,
)
from reports import charts, fmt
from reports.export import FORMATS, MEDIA_TYPES, render
from reports.figures import Counts, Figures, Report
from reports.period import Period, PeriodError, local_date
from reports.tables import registry_table, summary_table
from staffweb.auth import StaffAuth
from staffweb.site import StaffSite, current_staff
from storage.db import Database

STATIC = Path(__file__).with_name("static") / "reports"
ROLES_ALLOWED = ("coordinator",)  # admins may open every page
KINDS = ("registry", "summary")

WAIT_LABELS = {
    "le1m": "до 1 мин",
    "le5m": "1–5 мин",
    "le15m": "5–15 мин",
    "le60m": "15–60 мин",
    "gt60m": "больше часа",
}


@dataclass
class Section:
    id: str
    ru: str
    kk: str
    svg: Markup
    rows: list[tuple[str, str]]  # the same figures as a table
    note: str = ""


def _bars(chart_id: str, ru: str, kk: str, items: list[tuple[str, int]], note: str = "") -> Section:
    svg = Markup(charts.bar_chart(chart_id, f"{ru} · {kk}", items))
    return Section(chart_id, ru, kk, svg, [(k, fmt.number(v)) for k, v in items], note)


def _labelled(counts: Counts, name: dict[str, Label] | None = None) -> list[tuple[str, int]]:
    if name is None:
        return [(region_label(code, "ru"), n) for code, n in counts]
    return [(label(name, code, "ru"), n) for code, n in counts]


def sections(r: Report) -> list[Section]:
    t = r.totals
    days = [d for d, _ in r.daily]
    daily = Markup(
        charts.column_chart(
            "chart-daily",
            "Обращения по дням · Күн сайынғы өтініштер",
            [fmt.short_day(d) for d in days],
            [n for _, n in r.daily],
            long=[fmt.day(d) for d in days],
        )
    )
    weeks = r.weekly
    week_labels = [fmt.short_day(max(w, r.period.first)) for w, _, _ in weeks]
    weekly = Markup(
        charts.line_chart(
            "chart-weekly",
            "Обращения по неделям · Апта бойынша өтініштер",
            week_labels,
            [
                charts.Series("все · барлығы", [n for _, n, _ in weeks]),
                charts.Series("срочные · шұғыл", [u for _, _, u in weeks]),
            ],
            long=[f"неделя с {fmt.day(max(w, r.period.first))}" for w, _, _ in weeks],
        )
    )
    out = [
        Section(
            "chart-daily",
            "Обращения по дням",
            "Күн сайынғы өтініштер",
            daily,
            [(fmt.day(d), fmt.number(n)) for d, n in r.daily],
        ),
        Section(
            "chart-weekly",
            "По неделям: все и срочные",
            "Апта бойынша: барлығы және шұғыл",
            weekly,
            [
                (f"с {fmt.day(max(w, r.period.first))}", f"{fmt.number(n)} / {fmt.number(u)}")
                for w, n, u in weeks
            ],
            "Первая и последняя недели могут быть неполными.",
        ),
        _bars("chart-role", "Кто обращается", "Кім жүгінеді", _labelled(r.by_role, ROLES)),
        _bars("chart-lang", "Язык", "Тілі", _labelled(r.by_lang, LANGS)),
        _bars("chart-channel", "Канал", "Арна", _labelled(r.by_channel, CHANNELS)),
        _bars("chart-region", "Регион", "Өңір", _labelled(r.by_region)),
        _bars(
            "chart-topic",
            "Темы обращений",
            "Өтініш тақырыптары",
            _labelled(r.by_topic, TOPICS),
            "Одно обращение может касаться нескольких тем.",
        ),
        _bars(
            "chart-danger",
            "Оценка опасности",
            "Қауіпті бағалау",
            [(label(DANGER_LEVELS, c, "ru") if c else "не проводилась", n) for c, n in r.by_danger],
        ),
        _bars(
            "chart-wait",
            "Ожидание консультанта",
            "Кеңесшіні күту",
            [(WAIT_LABELS[code], n) for code, n in r.wait_bands]
            + [("не принято вовремя", t.unclaimed)],
            f"Медиана {fmt.duration(r.wait_median)}, 90-й процентиль {fmt.duration(r.wait_p90)}.",
        ),
        _bars(
            "chart-outcome",
            "Итоги передачи консультанту",
            "Кеңесшіге беру нәтижелері",
            _labelled(r.by_outcome, HANDOFF_OUTCOMES),
        ),
        _bars(
            "chart-booking",
            "Записи и посещение",
            "Жазылу және келу",
            [
                ("записи очно", t.in_person),
                ("записи онлайн", t.online),
                ("пришли", t.attended),
                ("не пришли", t.no_show),
                ("ещё неизвестно", t.booked - t.attended - t.no_show),
            ],
        ),
    ]
    for question, answers in r.feedback.items():
        out.append(
            _bars(
                f"chart-fb-{question}",
                "Отзывы: " + label(FEEDBACK_QUESTIONS, question, "ru"),
                "Пікірлер: " + label(FEEDBACK_QUESTIONS, question, "kk"),
                [(label(FEEDBACK_ANSWERS, a, "ru"), n) for a, n in answers],
            )
        )
    return out


def cards(r: Report) -> list[tuple[str, str, str, str, str]]:
    """(key, ru, kk, value, detail) for the totals at the top of the page."""
    t = r.totals
    return [
        ("contacts", "Обращения", "Өтініштер", fmt.number(t.contacts), "онлайн, в мессенджерах"),
        ("urgent", "Срочные", "Шұғыл", fmt.number(t.urgent), fmt.percent(t.urgent_share)),
        ("handed_off", "Переданы консультанту", "Кеңесшіге берілді", fmt.number(t.handed_off), ""),
        (
            "consultations",
            "Консультации линии 150",
            "150 желісінің кеңестері",
            fmt.number(t.consultations),
            "консультант принял",
        ),
        ("unclaimed", "Не приняты вовремя", "Уақытында қабылданбады", fmt.number(t.unclaimed), ""),
        (
            "wait_median",
            "Ожидание, медиана",
            "Күту, медиана",
            fmt.duration(r.wait_median),
            f"90-й процентиль: {fmt.duration(r.wait_p90)}",
        ),
        (
            "booked",
            "Записи на сессию",
            "Сессияға жазылу",
            fmt.number(t.booked),
            f"очно {fmt.number(t.in_person)}, онлайн {fmt.number(t.online)}",
        ),
        (
            "attended",
            "Пришли на сессию",
            "Сессияға келді",
            fmt.number(t.attended),
            f"из известных исходов: {fmt.percent(t.attendance_rate)}",
        ),
        (
            "attended_in_person",
            "Очные контакты",
            "Бетпе-бет байланыстар",
            fmt.number(t.attended_in_person),
            "пришли на очную сессию",
        ),
        ("feedback", "Отзывы", "Пікірлер", fmt.number(t.feedback), ""),
    ]


def quick_periods(today: date) -> list[tuple[str, Period]]:
    first_this = today.replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return [
        ("Последние 30 дней", Period(today - timedelta(days=29), today)),
        ("Этот месяц", Period(first_this, today)),
        ("Прошлый месяц", Period(last_prev.replace(day=1), last_prev)),
        ("С начала года", Period(today.replace(month=1, day=1), today)),
    ]


def _query(period: Period, **extra: str) -> str:
    return urlencode({"from": period.first.isoformat(), "to": period.last.isoformat(), **extra})


def setup(site: StaffSite, db: Database, clock: Clock, staff: StaffAuth) -> None:
    figures = Figures(db)
    site.app.router.add_static("/reports/static", STATIC)

    async def page(request: web.Request) -> web.StreamResponse:
        now = clock.now()
        today = local_date(now)
        try:
            period = Period.parse(request.query.get("from"), request.query.get("to"), now)
        except PeriodError as exc:
            return site.render(
                request,
                "reports.html",
                {"error": str(exc), "period": Period.last_days(now), "report": None,
                 "quick": quick_periods(today), "query": _query},
                400,
            )  # fmt: skip
        report = await figures.report(period)
        return site.render(
            request,
            "reports.html",
            {
                "error": "",
                "period": period,
                "report": report,
                "cards": cards(report),
                "sections": sections(report),
                "quick": quick_periods(today),
                "query": _query,
                "fmt": fmt,
            },
        )

    async def export(request: web.Request) -> web.StreamResponse:
        q = request.query
        kind, form, lang = q.get("kind", ""), q.get("format", ""), q.get("lang", "ru")
        if kind not in KINDS or form not in FORMATS or lang not in ("ru", "kk"):
            return site.render(
                request, "error.html", {"message": "Неверный вид, формат или язык выгрузки."}, 400
            )
        try:
            period = Period.parse(q.get("from"), q.get("to"), clock.now())
        except PeriodError as exc:
            return site.render(request, "error.html", {"message": str(exc)}, 400)
        build = registry_table if kind == "registry" else summary_table
        table = await build(figures, period, lang)
        # A year's registry takes seconds to write as XLSX: keep the bot's event loop free.
        body = await asyncio.to_thread(render, table, form)
        await staff.audit(
            current_staff(request),
            "report-export",
            f"{kind} {form} {lang} {period}",
            clock.now(),
        )
        name = f"qamqor-{kind}-{period.first}-{period.last}-{lang}.{form}"
        return web.Response(
            body=body,
            headers={
                "Content-Type": MEDIA_TYPES[form],
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )

    site.add_page("/reports", page, roles=ROLES_ALLOWED, nav_label="Отчёты")
    site.add_page("/reports/export", export, roles=ROLES_ALLOWED)


__all__ = ["setup"]

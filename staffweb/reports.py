"""The reports page for coordinators (and admins): figures, charts and exports of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from core.clock import Clock
from registry.vocabulary import (
    AGE_BANDS,
    CHANNELS,
    COURSE_OUTCOMES,
    DANGER_LEVELS,
    FEEDBACK_ANSWERS,
    FEEDBACK_QUESTIONS,
    HANDOFF_OUTCOMES,
    LANGS,
    REFERRALS,
    ROLES,
    SEXES,
    TOPICS,
    VIOLENCE,
    Label,
    label,
    region_label,
)
from reports import charts, fmt
from reports.download import KINDS, build
from reports.export import FORMATS, MEDIA_TYPES
from reports.figures import Counts, Figures, Report
from reports.people import People
from reports.period import Period, PeriodError, local_date
from reports.plan import Targets
from staffweb.auth import StaffAuth
from staffweb.report_definitions import DEFINITIONS
from staffweb.report_targets import plan_view, setup_targets
from staffweb.site import Say, StaffSite, current_staff
from storage.db import Database

STATIC = Path(__file__).with_name("static") / "reports"
ROLES_ALLOWED = ("coordinator",)  # admins may open every page


@dataclass
class Section:
    id: str
    title: str
    svg: Markup
    rows: list[tuple[str, str]]  # the same figures as a table
    note: str = ""


def _bars(
    t: Say, chart_id: str, title: str, items: list[tuple[str, int]], note: str = ""
) -> Section:
    svg = Markup(charts.bar_chart(chart_id, title, items, empty=t("staff-reports-no-data")))
    return Section(chart_id, title, svg, [(k, fmt.number(v)) for k, v in items], note)


def _labelled(
    counts: Counts, lang: str, name: dict[str, Label] | None = None
) -> list[tuple[str, int]]:
    if name is None:
        return [(region_label(code, lang), n) for code, n in counts]
    return [(label(name, code, lang), n) for code, n in counts]


def sections(r: Report, t: Say, lang: str) -> list[Section]:
    """The charts of the page, each with its table, in `lang` (`t` speaks it)."""
    tot = r.totals
    days = [d for d, _ in r.daily]
    daily = Markup(
        charts.column_chart(
            "chart-daily",
            t("staff-reports-daily"),
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
            t("staff-reports-weekly"),
            week_labels,
            [
                charts.Series(t("staff-reports-all"), [n for _, n, _ in weeks]),
                charts.Series(t("staff-reports-urgent"), [u for _, _, u in weeks]),
            ],
            long=[
                t("staff-reports-week-of", day=fmt.day(max(w, r.period.first))) for w, *_ in weeks
            ],
        )
    )
    out = [
        Section(
            "chart-daily",
            t("staff-reports-daily"),
            daily,
            [(fmt.day(d), fmt.number(n)) for d, n in r.daily],
        ),
        Section(
            "chart-weekly",
            t("staff-reports-weekly"),
            weekly,
            [
                (
                    t("staff-reports-since", day=fmt.day(max(w, r.period.first))),
                    f"{fmt.number(n)} / {fmt.number(u)}",
                )
                for w, n, u in weeks
            ],
            t("staff-reports-weekly-note"),
        ),
        _bars(t, "chart-role", t("staff-reports-role"), _labelled(r.by_role, lang, ROLES)),
        _bars(
            t,
            "chart-age",
            t("staff-reports-age"),
            _labelled(r.by_age, lang, AGE_BANDS),
            t("staff-reports-age-note"),
        ),
        _bars(t, "chart-lang", t("staff-reports-lang"), _labelled(r.by_lang, lang, LANGS)),
        _bars(
            t, "chart-channel", t("staff-reports-channel"), _labelled(r.by_channel, lang, CHANNELS)
        ),
        _bars(t, "chart-region", t("staff-reports-region"), _labelled(r.by_region, lang)),
        _bars(
            t,
            "chart-topic",
            t("staff-reports-topic"),
            _labelled(r.by_topic, lang, TOPICS),
            t("staff-reports-topic-note"),
        ),
        _bars(
            t,
            "chart-danger",
            t("staff-reports-danger"),
            [
                (label(DANGER_LEVELS, c, lang) if c else t("staff-reports-not-screened"), n)
                for c, n in r.by_danger
            ],
        ),
        _bars(
            t,
            "chart-wait",
            t("staff-reports-wait"),
            [(t("staff-reports-wait-band", band=code), n) for code, n in r.wait_bands]
            + [(t("staff-reports-unclaimed-band"), tot.unclaimed)],
            t(
                "staff-reports-wait-note",
                median=fmt.duration(r.wait_median, lang),
                p90=fmt.duration(r.wait_p90, lang),
            ),
        ),
        _bars(
            t,
            "chart-outcome",
            t("staff-reports-outcome"),
            _labelled(r.by_outcome, lang, HANDOFF_OUTCOMES),
        ),
        _bars(
            t,
            "chart-booking",
            t("staff-reports-booking"),
            [
                (t("staff-reports-booked-office"), tot.in_person),
                (t("staff-reports-booked-online"), tot.online),
                (t("staff-reports-came"), tot.attended),
                (t("staff-reports-missed"), tot.no_show),
                (t("staff-reports-unknown-yet"), tot.booked - tot.attended - tot.no_show),
            ],
        ),
    ]
    for question, answers in r.feedback.items():
        out.append(
            _bars(
                t,
                f"chart-fb-{question}",
                t("staff-reports-feedback-on", question=label(FEEDBACK_QUESTIONS, question, lang)),
                [(label(FEEDBACK_ANSWERS, a, lang), n) for a, n in answers],
            )
        )
    return out


def programme(r: Report, t: Say, lang: str) -> list[Section]:
    """The aggressor programme's charts: who referred the people, the courses, their outcomes."""
    p = r.programme
    known = [(c, n) for c, n in p.by_referral if c is not None]
    referral_items = [(label(REFERRALS, c, lang), n) for c, n in known]
    referral_items.append((t("staff-reports-referral-not-asked"), p.not_asked))
    referral = _bars(
        t,
        "chart-programme-referral",
        t("staff-reports-programme-referral"),
        referral_items,
        t("staff-reports-programme-referral-note", people=fmt.number(p.people)),
    )
    referral.rows = [
        (label(REFERRALS, c, lang), f"{fmt.number(n)} ({fmt.percent(p.share(n))})")
        for c, n in known
    ] + [
        (t("staff-reports-referral-not-asked"), fmt.number(p.not_asked)),
        (t("staff-reports-programme-people"), fmt.number(p.people)),
    ]
    return [
        referral,
        _bars(
            t,
            "chart-programme-course",
            t("staff-reports-programme-course"),
            [
                (t("staff-reports-programme-enrolled"), p.enrolled),
                (t("staff-reports-programme-active"), p.active),
                (t("staff-reports-programme-attended"), p.sessions_attended),
                (t("staff-reports-programme-missed"), p.sessions_missed),
                (t("staff-reports-programme-completed"), p.completed),
                (t("staff-reports-programme-dropped"), p.dropped_out),
            ],
            t("staff-reports-programme-active-note"),
        ),
        _bars(
            t,
            "chart-programme-outcome",
            t("staff-reports-programme-outcome"),
            _labelled(p.outcomes, lang, COURSE_OUTCOMES),
        ),
    ]


def who(p: People, t: Say, lang: str) -> list[Section]:
    """Who the contacts are (issue 19): distinct people, kinds of violence, sex, who referred
    them, and the answers and refusals of the question about themselves."""
    d = p.distinct
    distinct = _bars(
        t,
        "chart-distinct",
        t("staff-reports-distinct"),
        [(m.strftime("%m.%Y"), n) for m, n in d.per_month],
        t("staff-reports-distinct-note", unit=d.unit, people=fmt.number(d.total)),
    )
    distinct.rows.append((t("staff-reports-distinct-total", unit=d.unit), fmt.number(d.total)))
    asked = _bars(
        t,
        "chart-demographics",
        t("staff-reports-demographics"),
        [
            (t("staff-reports-demographics-answered"), p.answered),
            (t("staff-reports-demographics-declined"), p.declined),
            (t("staff-reports-demographics-left"), p.left),
        ],
        t(
            "staff-reports-demographics-note",
            asked=fmt.number(p.asked),
            rate=fmt.percent(p.refusal_rate),
        ),
    )
    asked.rows.append((t("staff-reports-demographics-rate"), fmt.percent(p.refusal_rate)))
    return [
        distinct,
        _bars(
            t,
            "chart-violence",
            t("staff-reports-violence"),
            _labelled(p.by_violence, lang, VIOLENCE),
            t("staff-reports-violence-note"),
        ),
        _bars(t, "chart-sex", t("staff-reports-sex"), _labelled(p.by_sex, lang, SEXES)),
        asked,
        _bars(
            t,
            "chart-registry-referral",
            t("staff-reports-registry-referral"),
            _labelled(p.by_referral, lang, REFERRALS),
        ),
    ]


def cards(r: Report, t: Say, lang: str) -> list[tuple[str, str, str, str]]:
    """(key, name, value, detail) for the totals at the top of the page."""
    tot = r.totals
    return [
        (
            "contacts",
            t("staff-reports-card-contacts"),
            fmt.number(tot.contacts),
            t("staff-reports-card-contacts-detail"),
        ),
        (
            "urgent",
            t("staff-reports-card-urgent"),
            fmt.number(tot.urgent),
            fmt.percent(tot.urgent_share),
        ),
        ("handed_off", t("staff-reports-card-handed-off"), fmt.number(tot.handed_off), ""),
        (
            "consultations",
            t("staff-reports-card-consultations"),
            fmt.number(tot.consultations),
            t("staff-reports-card-consultations-detail"),
        ),
        ("unclaimed", t("staff-reports-card-unclaimed"), fmt.number(tot.unclaimed), ""),
        (
            "wait_median",
            t("staff-reports-card-wait"),
            fmt.duration(r.wait_median, lang),
            t("staff-reports-card-wait-detail", p90=fmt.duration(r.wait_p90, lang)),
        ),
        (
            "booked",
            t("staff-reports-card-booked"),
            fmt.number(tot.booked),
            t(
                "staff-reports-card-booked-detail",
                office=fmt.number(tot.in_person),
                online=fmt.number(tot.online),
            ),
        ),
        (
            "attended",
            t("staff-reports-card-attended"),
            fmt.number(tot.attended),
            t("staff-reports-card-attended-detail", rate=fmt.percent(tot.attendance_rate)),
        ),
        (
            "attended_in_person",
            t("staff-reports-card-in-person"),
            fmt.number(tot.attended_in_person),
            t("staff-reports-card-in-person-detail"),
        ),
        ("feedback", t("staff-reports-card-feedback"), fmt.number(tot.feedback), ""),
    ]


def quick_periods(today: date, t: Say) -> list[tuple[str, Period]]:
    first_this = today.replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return [
        (t("staff-reports-last-30"), Period(today - timedelta(days=29), today)),
        (t("staff-reports-this-month"), Period(first_this, today)),
        (t("staff-reports-last-month"), Period(last_prev.replace(day=1), last_prev)),
        (t("staff-reports-this-year"), Period(today.replace(month=1, day=1), today)),
    ]


def _query(period: Period, **extra: str) -> str:
    return urlencode({"from": period.first.isoformat(), "to": period.last.isoformat(), **extra})


def setup(site: StaffSite, db: Database, clock: Clock, staff: StaffAuth) -> None:
    figures = Figures(db)
    targets = Targets(db)
    site.app.router.add_static("/reports/static", STATIC)

    async def page(request: web.Request) -> web.StreamResponse:
        now = clock.now()
        today = local_date(now)
        t, lang = site.say(request), site.lang(request)
        try:
            period = Period.parse(request.query.get("from"), request.query.get("to"), now)
        except PeriodError as exc:
            return site.render(
                request,
                "reports.html",
                {"error": site.told(request, exc), "period": Period.last_days(now),
                 "report": None, "quick": quick_periods(today, t), "query": _query,
                 "definitions": DEFINITIONS},
                400,
            )  # fmt: skip
        report = await figures.report(period)
        plan = await plan_view(figures, targets, report, t, lang)
        return site.render(
            request,
            "reports.html",
            {
                "error": "",
                "period": period,
                "report": report,
                "cards": cards(report, t, lang),
                "sections": sections(report, t, lang),
                "programme": programme(report, t, lang),
                "who": who(report.people, t, lang),
                "quick": quick_periods(today, t),
                "query": _query,
                "fmt": fmt,
                "definitions": DEFINITIONS,
                **plan,
            },
        )

    async def export(request: web.Request) -> web.StreamResponse:
        q = request.query
        kind, form, lang = q.get("kind", ""), q.get("format", ""), q.get("lang", "ru")
        if kind not in KINDS or form not in FORMATS or lang not in ("ru", "kk"):
            return site.error(request, "staff-reports-bad-export", 400)
        try:
            period = Period.parse(q.get("from"), q.get("to"), clock.now())
        except PeriodError as exc:
            return site.render(request, "error.html", {"message": site.told(request, exc)}, 400)
        body = await build(figures, kind, period, lang, form)
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

    site.add_page("/reports", page, roles=ROLES_ALLOWED, nav_label="staff-nav-reports")
    site.add_page("/reports/export", export, roles=ROLES_ALLOWED)
    setup_targets(site, targets, clock, staff, ROLES_ALLOWED)


__all__ = ["setup"]

"""The grant report's tables (the Union of Crisis Centres' final programme report): a sheet
per part of the report, each line an indicator with plan, actual, % and comment.

Values stay typed (ints, floats, dates) for the workbook; reports/export.py writes them.
docs/reports.md ("The grant workbook") says what each sheet holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from registry.models import Contact
from registry.vocabulary import (
    AGE_BANDS,
    CHANNELS,
    COURSE_OUTCOMES,
    DANGER_LEVELS,
    FEEDBACK_ANSWERS,
    FEEDBACK_QUESTIONS,
    LANGS,
    REFERRALS,
    SEXES,
    VIOLENCE,
    Label,
    label,
    region_label,
)
from reports.figures import SEVERITY, Figures, Report, counted
from reports.period import Period
from reports.plan import BY_CODE, PlanRow, Target, Targets, plan_rows

L = Label
Number = int | float | None


@dataclass
class Line:
    name: str
    actual: Number
    plan: int | None = None
    comment: str = ""
    first: date | None = None  # the days the actual covers
    last: date | None = None
    kind: str = "count"  # count | percent (a share, 0..1) | minutes

    @property
    def share(self) -> float | None:
        """actual / plan, as the grant report gives it."""
        if self.plan is None or not self.plan or self.actual is None:
            return None
        return self.actual / self.plan


@dataclass
class Sheet:
    title: str
    lines: list[Line] = field(default_factory=list)


COLUMNS = (
    L("Показатель", "Көрсеткіш"),
    L("План", "Жоспар"),
    L("Факт", "Нақты"),
    L("%", "%"),
    L("Комментарий", "Түсініктеме"),
    L("Период с", "Кезең басы"),
    L("Период по", "Кезең соңы"),
)


async def _claimed_by(figures: Figures, period: Period, column: object) -> list[tuple[str, int]]:
    """Consultations (claimed handoffs) by one column of the registry."""
    async with figures.db.session() as s:
        rows = await s.execute(
            select(column, func.count())  # type: ignore[call-overload]
            .where(counted(period), Contact.claim_seconds.is_not(None))
            .group_by(column)
        )
        return sorted(((str(r[0]), int(r[1])) for r in rows), key=lambda kv: (-kv[1], kv[0]))


class _Builder:
    """Lines in one language, with the targets of exactly the report's period as their plan."""

    def __init__(self, report: Report, lang: str, targets: list[Target]) -> None:
        self.r, self.lang = report, lang
        self.exact = {t.indicator.code: t for t in targets if t.period == report.period}
        self.other = {t.indicator.code: t for t in targets if t.period != report.period}

    def line(self, name: str | Label, actual: Number, kind: str = "count") -> Line:
        text = name.get(self.lang) if isinstance(name, Label) else name
        return Line(text, actual, first=self.r.period.first, last=self.r.period.last, kind=kind)

    def indicator(self, code: str) -> Line:
        ind = BY_CODE[code]
        out = self.line(ind.name, ind.actual(self.r))
        if code in self.exact:
            out.plan = self.exact[code].target
        elif code in self.other:
            p = self.other[code].period
            out.comment = L(
                f"план на {p.first:%d.%m.%Y}–{p.last:%d.%m.%Y}: лист «План и факт»",
                f"{p.first:%d.%m.%Y}–{p.last:%d.%m.%Y} жоспары: «Жоспар және нақты» парағы",
            ).get(self.lang)
        return out


def _plan_sheet(rows: list[PlanRow], report: Report, lang: str) -> Sheet:
    sheet = Sheet(L("План и факт", "Жоспар және нақты").get(lang))
    for row in rows:
        t = row.target
        same = t.period == report.period
        comment = (
            ""
            if same
            else L(
                "период плана отличается от периода отчёта; факт — за период плана",
                "жоспар кезеңі есеп кезеңінен өзгеше; нақты — жоспар кезеңі бойынша",
            ).get(lang)
        )
        sheet.lines.append(
            Line(t.indicator.name.get(lang), row.actual, t.target, comment, t.period.first,
                 t.period.last)
        )  # fmt: skip
    if not rows:
        sheet.lines.append(
            Line(L("План не задан", "Жоспар берілмеген").get(lang), None,
                 comment=L("задайте план на странице «Отчёты»",
                           "жоспарды «Есептер» бетінде беріңіз").get(lang),
                 first=report.period.first, last=report.period.last)
        )  # fmt: skip
    return sheet


async def grant_sheets(figures: Figures, period: Period, lang: str) -> list[Sheet]:
    """The workbook's sheets, in the order of the final programme report."""
    r = await figures.report(period)
    targets = await Targets(figures.db).overlapping(period)
    b = _Builder(r, lang, targets)
    by_channel = await _claimed_by(figures, period, Contact.channel)
    by_lang = await _claimed_by(figures, period, Contact.lang)
    return [
        _plan_sheet(await plan_rows(figures, r, targets), r, lang),
        _consultations(b, by_channel, by_lang),
        _sessions(b),
        _questionnaires(b),
        _people(b),
        _urgent(b),
        _programme(b),
    ]


def _consultations(
    b: _Builder, by_channel: list[tuple[str, int]], by_lang: list[tuple[str, int]]
) -> Sheet:
    t, lang = b.r.totals, b.lang
    sheet = Sheet(L("Консультации", "Кеңестер").get(lang))
    sheet.lines += [
        b.indicator("contacts"),
        b.line(L("Переданы консультанту линии 150", "150 желісінің кеңесшісіне берілді"),
               t.handed_off),
        b.indicator("consultations"),
    ]  # fmt: skip
    for code, n in by_channel:
        name = label(CHANNELS, code, lang)
        sheet.lines.append(b.line(L(f"Консультации: {name}", f"Кеңестер: {name}"), n))
    for code, n in by_lang:
        name = label(LANGS, code, lang)
        sheet.lines.append(b.line(L(f"Консультации, язык: {name}", f"Кеңестер, тілі: {name}"), n))
    sheet.lines.append(b.line(L("Не приняты вовремя", "Уақытында қабылданбады"), t.unclaimed))
    return sheet


def _sessions(b: _Builder) -> Sheet:
    t = b.r.totals
    sheet = Sheet(L("Сессии", "Сессиялар").get(b.lang))
    sheet.lines += [
        b.indicator("sessions_in_person"),
        b.indicator("sessions_online"),
        b.line(L("Записи очно", "Бетпе-бет жазылулар"), t.in_person),
        b.line(L("Записи онлайн", "Онлайн жазылулар"), t.online),
        b.line(L("Не пришли на сессию", "Сессияға келмеді"), t.no_show),
        b.line(L("Доля пришедших", "Келгендер үлесі"), t.attendance_rate, "percent"),
    ]
    return sheet


def _questionnaires(b: _Builder) -> Sheet:
    sheet = Sheet(L("Анкеты", "Сауалнамалар").get(b.lang))
    sheet.lines.append(b.indicator("questionnaires"))
    for question, answers in b.r.feedback.items():
        q = label(FEEDBACK_QUESTIONS, question, b.lang)
        for answer, n in answers:
            sheet.lines.append(b.line(f"{q}: {label(FEEDBACK_ANSWERS, answer, b.lang)}", n))
    return sheet


_DISTINCT_HOW = {
    "year": L("за календарный год, каждый один раз", "күнтізбелік жыл ішінде, әркім бір рет"),
    "quarter": L(
        "за календарный квартал, каждый один раз", "күнтізбелік тоқсан ішінде, әркім бір рет"
    ),
    "months": L(
        "сумма по месяцам: кто писал в двух месяцах, посчитан дважды",
        "айлар бойынша қосынды: екі айда жазған адам екі рет саналады",
    ),
}


def _people(b: _Builder) -> Sheet:
    r, p, lang = b.r, b.r.programme, b.lang
    who = r.people
    sheet = Sheet(L("Люди", "Адамдар").get(lang))
    distinct = b.indicator("people")
    distinct.comment = distinct.comment or _DISTINCT_HOW[who.distinct.unit].get(lang)
    sheet.lines.append(distinct)
    # Each month's line covers that month's days within the period (its first and last cells).
    for (month, n), days in zip(who.distinct.per_month, r.period.months(), strict=True):
        in_month = L(f"Разные люди за {month:%m.%Y}", f"{month:%m.%Y} айындағы әр түрлі адамдар")
        sheet.lines.append(Line(in_month.get(lang), n, first=days.first, last=days.last))
    sheet.lines += [b.indicator(c) for c in ("victims", "witnesses", "aggressors")]
    unknown = sum(n for c, n in r.by_role if c not in ("victim", "witness", "aggressor"))
    sheet.lines.append(b.line(L("Роль не указана", "Рөлі көрсетілмеген"), unknown))
    for region, n in r.by_region:
        name = region_label(region, lang)
        sheet.lines.append(b.line(L(f"Регион: {name}", f"Өңір: {name}"), n))
    head = L("Применяющие насилие, кто направил", "Зорлық көрсетушілер, кім жіберді").get(lang)
    for referral, n in p.by_referral:
        if referral is None:
            continue
        name = f"{head}: {label(REFERRALS, referral, lang)}"
        sheet.lines.append(b.line(name, n))
        of_known = L("доля от назвавших", "айтқандардан үлесі").get(lang)
        sheet.lines.append(b.line(f"{name}, {of_known}", p.share(n), "percent"))
    not_asked = L("не спрашивали или пропустил", "сұралмады немесе жауап бермеді").get(lang)
    sheet.lines.append(b.line(f"{head}: {not_asked}", p.not_asked))
    for code, n in who.by_violence:
        name = label(VIOLENCE, code, lang)
        sheet.lines.append(b.line(L(f"Вид насилия: {name}", f"Зорлық түрі: {name}"), n))
    for code, n in who.by_sex:
        if code is not None:
            name = label(SEXES, code, lang)
            sheet.lines.append(b.line(L(f"Пол: {name}", f"Жынысы: {name}"), n))
    for code, n in r.by_age:
        if code is not None:
            name = label(AGE_BANDS, code, lang)
            sheet.lines.append(b.line(L(f"Возраст: {name}", f"Жасы: {name}"), n))
    sheet.lines += [
        b.line(L("Вопрос о себе: задан", "Өзі туралы сұрақ: қойылды"), who.asked),
        b.line(L("Вопрос о себе: ответили", "Өзі туралы сұрақ: жауап берді"), who.answered),
        b.line(L("Вопрос о себе: отказались", "Өзі туралы сұрақ: бас тартты"), who.declined),
        b.line(L("Доля отказов", "Бас тарту үлесі"), who.refusal_rate, "percent"),
    ]
    return sheet


def _urgent(b: _Builder) -> Sheet:
    r, t, lang = b.r, b.r.totals, b.lang
    sheet = Sheet(L("Срочные и ожидание", "Шұғыл және күту").get(lang))
    sheet.lines += [
        b.indicator("urgent"),
        b.line(L("Доля срочных", "Шұғыл өтініштер үлесі"), t.urgent_share, "percent"),
        b.line(L("Оценка опасности проведена", "Қауіп бағаланды"), t.screened),
    ]
    # Every level, in order of severity (high, elevated, low), even at 0: never by count.
    danger = {c: n for c, n in r.by_danger if c}
    for level in (*SEVERITY, *(c for c in danger if c not in SEVERITY)):
        name = label(DANGER_LEVELS, level, lang)
        sheet.lines.append(b.line(L(f"Опасность: {name}", f"Қауіп: {name}"), danger.get(level, 0)))
    sheet.lines += [
        b.line(L("Ожидание консультанта, медиана, мин", "Кеңесшіні күту, медиана, мин"),
               _minutes(r.wait_median), "minutes"),
        b.line(L("Ожидание консультанта, 90-й процентиль, мин",
                 "Кеңесшіні күту, 90-процентиль, мин"), _minutes(r.wait_p90), "minutes"),
    ]  # fmt: skip
    return sheet


def _programme(b: _Builder) -> Sheet:
    p = b.r.programme
    sheet = Sheet(L("Программа", "Бағдарлама").get(b.lang))
    sheet.lines += [
        b.indicator("programme_people"),
        b.indicator("programme_enrolled"),
        b.line(L("Проходят курс на момент выгрузки", "Жүктеп алған сәтте курстан өтіп жатыр"),
               p.active),
        b.line(L("Встреч курса: пришёл", "Курс кездесулері: келді"), p.sessions_attended),
        b.line(L("Встреч курса: не пришёл", "Курс кездесулері: келмеді"), p.sessions_missed),
        b.indicator("programme_completed"),
        b.line(L("Выбыли", "Шығып қалды"), p.dropped_out),
    ]  # fmt: skip
    for outcome, n in p.outcomes:
        name = label(COURSE_OUTCOMES, outcome, b.lang)
        sheet.lines.append(b.line(L(f"Итог курса: {name}", f"Курс нәтижесі: {name}"), n))
    return sheet


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


__all__ = ["COLUMNS", "Line", "Sheet", "grant_sheets"]

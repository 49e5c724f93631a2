"""The two exports as tables: the registry (a row per contact) and the monthly summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from core.clock import ALMATY
from registry.models import Contact
from registry.vocabulary import (
    AGE_BANDS,
    CHANNELS,
    COURSE_OUTCOMES,
    DANGER_LEVELS,
    DEMOGRAPHICS,
    FEEDBACK_ANSWERS,
    FEEDBACK_QUESTIONS,
    HANDOFF_OUTCOMES,
    LANGS,
    NEW_IN,
    NO,
    REFERRALS,
    ROLES,
    SEXES,
    TOPICS,
    VIOLENCE,
    YES,
    Label,
    label,
    region_label,
)
from reports.figures import Figures, Report, answer_code, counted
from reports.period import Period
from reports.plan import Targets, plan_rows

# Typed: a workbook keeps dates as dates and numbers as numbers (CSV writes them as text).
Cell = str | int | float | date | datetime | None


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


L = Label  # headings are bilingual pairs


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return (YES if value else NO).get(lang)


def feedback_label(question: str, answer: str | None, lang: str) -> str:
    q = label(FEEDBACK_QUESTIONS, question, lang)
    return q if answer is None else f"{q}: {label(FEEDBACK_ANSWERS, answer, lang)}"


# -- the registry -------------------------------------------------------------------------

REGISTRY_COLUMNS = (
    L("№", "№"),
    L("Дата", "Күні"),
    L("Час (Алматы)", "Сағат (Алматы)"),
    L("Канал", "Арна"),
    L("Язык", "Тілі"),
    L("Кто обратился", "Кім жүгінді"),
    L("Регион", "Өңір"),
    L("Темы", "Тақырыптар"),
    L("Срочно", "Шұғыл"),
    L("Опасность", "Қауіп деңгейі"),
    L("Передано консультанту", "Кеңесшіге берілді"),
    L("Ожидание консультанта, мин", "Кеңесшіні күту, мин"),
    L("Не принято вовремя", "Уақытында қабылданбады"),
    L("Итог передачи", "Беру нәтижесі"),
    L("Запись на сессию", "Сессияға жазылу"),
    L("Формат сессии", "Сессия форматы"),
    L("Пришёл(ла) на сессию", "Сессияға келді"),
    L("Возраст", "Жасы"),
    L("Кто направил", "Кім жіберді"),
    L("Виды насилия", "Зорлық түрлері"),
    L("Пол", "Жынысы"),
    L("Вопрос о себе", "Өзі туралы сұрақ"),
    L("Впервые (разные люди)", "Алғаш рет (әр түрлі адамдар)"),
)
IN_PERSON = L("очно", "бетпе-бет")
ONLINE = L("онлайн", "онлайн")
FEEDBACK_PREFIX = L("Отзыв", "Пікір")


async def registry_table(figures: Figures, period: Period, lang: str) -> Table:
    async with figures.db.session() as s:
        contacts = list(
            (
                await s.execute(
                    select(Contact).where(counted(period)).order_by(Contact.started_at, Contact.id)
                )
            ).scalars()
        )
    answers = [_answers(c.feedback) for c in contacts]
    questions = sorted({q for a in answers for q in a})
    headers = [h.get(lang) for h in REGISTRY_COLUMNS]
    headers += [f"{FEEDBACK_PREFIX.get(lang)}: {feedback_label(q, None, lang)}" for q in questions]
    rows: list[list[Cell]] = []
    for n, (c, given) in enumerate(zip(contacts, answers, strict=True), start=1):
        local = c.started_at.astimezone(ALMATY)
        fmt = None if c.in_person is None else (IN_PERSON if c.in_person else ONLINE).get(lang)
        row: list[Cell] = [
            n,
            local.date(),
            local.hour,
            label(CHANNELS, c.channel, lang),
            label(LANGS, c.lang, lang),
            label(ROLES, c.role, lang),
            region_label(c.region, lang),
            ", ".join(label(TOPICS, t, lang) for t in c.topics.split(",") if t),
            _yes_no(c.urgent, lang),
            label(DANGER_LEVELS, c.danger_level, lang) if c.danger_level else "",
            _yes_no(c.handed_off, lang),
            round(c.claim_seconds / 60, 1) if c.claim_seconds is not None else None,
            _yes_no(c.unclaimed, lang) if c.handed_off else "",
            label(HANDOFF_OUTCOMES, c.handoff_outcome, lang) if c.handoff_outcome else "",
            _yes_no(c.booked, lang),
            fmt if c.booked else "",
            _yes_no(c.attended, lang) if c.booked else "",
            label(AGE_BANDS, c.age_band, lang) if c.age_band else "",
            label(REFERRALS, c.referral, lang) if c.referral else "",
            ", ".join(label(VIOLENCE, k, lang) for k in (c.violence or "").split(",") if k),
            label(SEXES, c.sex, lang) if c.sex else "",
            label(DEMOGRAPHICS, c.demographics, lang) if c.demographics else "",
            label(NEW_IN, c.new_in, lang) if c.new_in else "",
        ]
        row += [_answer(given[q], lang) if q in given else "" for q in questions]
        rows.append(row)
    title = L("Реестр обращений", "Өтініштер тізілімі").get(lang)
    return Table(title, headers, rows)


def _answer(answer: object, lang: str) -> Cell:
    # A rating stays a number (it is summed and averaged in Excel); other answers are labels.
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        return answer
    if isinstance(answer, str) and answer.isdigit():
        return int(answer)
    return label(FEEDBACK_ANSWERS, answer_code(answer), lang)


def _answers(encoded: str | None) -> dict[str, object]:
    try:
        value = json.loads(encoded) if encoded else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# -- the summary --------------------------------------------------------------------------

Indicator = tuple[str, str, Cell]  # key, label, value


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def indicators(r: Report, lang: str) -> list[Indicator]:
    """Every figure of a report as (key, label, value) lines, in reading order."""
    t = r.totals
    out: list[Indicator] = []

    def add(key: str, ru: str, kk: str, value: Cell) -> None:
        out.append((key, L(ru, kk).get(lang), value))

    def each(
        prefix: str, head: Label, counts: list[tuple[str | None, int]], name: Callable[..., str]
    ) -> None:
        for code, n in counts:
            out.append((f"{prefix}:{code}", f"{head.get(lang)}: {name(code, lang)}", n))

    def vocab(v: dict[str, Label]) -> Callable[[str | None, str], str]:
        return lambda code, lg: label(v, code, lg)

    add(
        "contacts",
        "Обращения онлайн (контакты), всего",
        "Онлайн өтініштер (байланыстар), барлығы",
        t.contacts,
    )
    add(
        "attended_in_person",
        "Очные контакты (пришли на очную сессию)",
        "Бетпе-бет байланыстар (бетпе-бет сессияға келді)",
        t.attended_in_person,
    )
    each("channel", L("Канал", "Арна"), r.by_channel, vocab(CHANNELS))
    each("lang", L("Язык", "Тілі"), r.by_lang, vocab(LANGS))
    each("role", L("Кто обратился", "Кім жүгінді"), r.by_role, vocab(ROLES))
    each("age", L("Возраст", "Жасы"), r.by_age, vocab(AGE_BANDS))
    each("region", L("Регион", "Өңір"), r.by_region, region_label)
    each("topic", L("Тема", "Тақырып"), r.by_topic, vocab(TOPICS))
    add("urgent", "Срочные обращения", "Шұғыл өтініштер", t.urgent)
    add("urgent_share", "Доля срочных, %", "Шұғыл өтініштер үлесі, %", _pct(t.urgent_share))
    add("screened", "Оценка опасности проведена", "Қауіп бағаланды", t.screened)
    each(
        "danger",
        L("Опасность", "Қауіп"),
        [(c, n) for c, n in r.by_danger if c is not None],
        vocab(DANGER_LEVELS),
    )
    add(
        "handed_off",
        "Переданы консультанту линии 150",
        "150 желісінің кеңесшісіне берілді",
        t.handed_off,
    )
    add(
        "consultations",
        "Консультации линии 150 (консультант принял)",
        "150 желісінің кеңестері (кеңесші қабылдады)",
        t.consultations,
    )
    add("unclaimed", "Не приняты вовремя", "Уақытында қабылданбады", t.unclaimed)
    add(
        "wait_median",
        "Ожидание консультанта, медиана, мин",
        "Кеңесшіні күту, медиана, мин",
        _minutes(r.wait_median),
    )
    add(
        "wait_p90",
        "Ожидание консультанта, 90-й процентиль, мин",
        "Кеңесшіні күту, 90-процентиль, мин",
        _minutes(r.wait_p90),
    )
    each("outcome", L("Итог передачи", "Беру нәтижесі"), r.by_outcome, vocab(HANDOFF_OUTCOMES))
    add("booked", "Записи на сессию", "Сессияға жазылулар", t.booked)
    add("booked_in_person", "Записи очно", "Бетпе-бет жазылулар", t.in_person)
    add("booked_online", "Записи онлайн", "Онлайн жазылулар", t.online)
    add("attended", "Пришли на сессию", "Сессияға келді", t.attended)
    add("no_show", "Не пришли на сессию", "Сессияға келмеді", t.no_show)
    add("attendance_rate", "Доля пришедших, %", "Келгендер үлесі, %", _pct(t.attendance_rate))
    add("feedback", "Отзывы (ответили на вопросы)", "Пікірлер (сұрақтарға жауап берді)", t.feedback)
    for question, answers in r.feedback.items():
        for answer, n in answers:
            out.append(
                (
                    f"fb:{question}:{answer}",
                    f"{FEEDBACK_PREFIX.get(lang)} — {feedback_label(question, answer, lang)}",
                    n,
                )
            )
    people(r, lang, out)
    programme(r, lang, out)
    return out


def people(r: Report, lang: str, out: list[Indicator]) -> None:
    """Who the people are (reports/people.py; docs/reports.md defines each), appended."""
    who = r.people
    how = {
        "year": L("за год, каждый один раз", "жыл ішінде, әркім бір рет"),
        "quarter": L("за квартал, каждый один раз", "тоқсан ішінде, әркім бір рет"),
        "months": L("сумма по месяцам", "айлар бойынша қосынды"),
    }[who.distinct.unit]
    out.append(
        (
            "people",
            f"{L('Разные люди', 'Әр түрлі адамдар').get(lang)} ({how.get(lang)})",
            who.distinct.total,
        )
    )
    for code, n in who.by_violence:
        name = label(VIOLENCE, code, lang)
        kind = L(f"Вид насилия: {name}", f"Зорлық түрі: {name}").get(lang)
        out.append((f"violence:{code}", kind, n))
    for code, n in who.by_sex:
        if code is not None:
            name = label(SEXES, code, lang)
            out.append((f"sex:{code}", L(f"Пол: {name}", f"Жынысы: {name}").get(lang), n))
    out += [
        (
            "about_asked",
            L("Вопрос о себе: задан", "Өзі туралы сұрақ: қойылды").get(lang),
            who.asked,
        ),
        (
            "about_declined",
            L("Вопрос о себе: отказались", "Өзі туралы сұрақ: бас тартты").get(lang),
            who.declined,
        ),
        (
            "about_refusal",
            L("Доля отказов, %", "Бас тарту үлесі, %").get(lang),
            _pct(who.refusal_rate),
        ),
    ]


PROGRAMME = L("Программа для применяющих насилие", "Агрессорларға арналған бағдарлама")


def programme(r: Report, lang: str, out: list[Indicator]) -> None:
    """The aggressor programme's lines (docs/reports.md defines them), appended to `out`."""
    p = r.programme
    head = PROGRAMME.get(lang)

    def add(key: str, ru: str, kk: str, value: Cell) -> None:
        out.append((f"programme_{key}", f"{head}: {L(ru, kk).get(lang)}", value))

    add(
        "people",
        "впервые записались, человек",
        "алғаш рет жазылғандар, адам",
        r.programme.people,
    )
    for code, n in p.by_referral:
        if code is None:
            continue
        name = label(REFERRALS, code, lang)
        add(f"referral:{code}", f"направил(а): {name}", f"жіберген: {name}", n)
        add(
            f"referral_share:{code}",
            f"направил(а): {name}, % от назвавших",
            f"жіберген: {name}, айтқандардан %",
            _pct(p.share(n)),
        )
    add(
        "not_asked",
        "кто направил: не спрашивали или пропустил",
        "кім жіберді: сұралмады немесе жауап бермеді",
        p.not_asked,
    )
    add("enrolled", "приняты на курс", "курсқа қабылданды", p.enrolled)
    add(
        "active",
        "проходят курс на момент выгрузки",
        "жүктеп алған сәтте курстан өтіп жатыр",
        p.active,
    )
    add("attended", "встреч курса: пришёл", "курс кездесулері: келді", p.sessions_attended)
    add("missed", "встреч курса: не пришёл", "курс кездесулері: келмеді", p.sessions_missed)
    add("completed", "завершили курс", "курсты аяқтады", p.completed)
    add("dropped_out", "выбыли", "шығып қалды", p.dropped_out)
    for code, n in p.outcomes:
        name = label(COURSE_OUTCOMES, code, lang)
        add(f"outcome:{code}", f"итог курса: {name}", f"курс нәтижесі: {name}", n)


MONTHS = {
    "ru": [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    "kk": [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ],
}


async def summary_table(figures: Figures, period: Period, lang: str) -> Table:
    """Indicators by calendar month of the period, and for the whole period."""
    months = period.months()
    whole = await figures.report(period)
    per_month = [await figures.report(m) for m in months] if len(months) > 1 else [whole]
    values = [{key: value for key, _, value in indicators(r, lang)} for r in per_month]
    headers = [L("Показатель", "Көрсеткіш").get(lang)]
    headers += [_month_heading(m, lang) for m in months]
    if len(months) > 1:
        headers.append(L("Весь период", "Бүкіл кезең").get(lang))
    rows: list[list[Cell]] = []
    for key, text, total in indicators(whole, lang):
        row: list[Cell] = [text]
        row += [v.get(key, 0) if _is_count(key) else v.get(key) for v in values]
        if len(months) > 1:
            row.append(total)
        rows.append(row)
    rows += await _plan_lines(figures, whole, lang, len(headers))
    title = L("Сводка по месяцам", "Айлық жиынтық").get(lang)
    return Table(title, headers, rows)


async def _plan_lines(figures: Figures, whole: Report, lang: str, width: int) -> list[list[Cell]]:
    """Plan, actual and % of the targets overlapping the period, in the last column: each
    counted over the target's own days, which the line names (docs/reports.md)."""
    rows: list[list[Cell]] = []
    targets = await Targets(figures.db).overlapping(whole.period)
    for r in await plan_rows(figures, whole, targets):
        p = r.target.period
        days = f"{p.first:%d.%m.%Y}–{p.last:%d.%m.%Y}"
        head = f"{PLAN.get(lang)}: {r.target.indicator.name.get(lang)} ({days})"
        for part, value in (
            (L("план", "жоспар"), r.target.target),
            (L("факт", "нақты"), r.actual),
            (L("%", "%"), _pct(r.share)),
        ):
            rows.append([f"{head}: {part.get(lang)}", *[None] * (width - 2), value])
    return rows


PLAN = L("План и факт", "Жоспар және нақты")


def _is_count(key: str) -> bool:
    return key not in {
        "urgent_share",
        "wait_median",
        "wait_p90",
        "attendance_rate",
    } and not key.startswith("programme_referral_share:")


def _month_heading(m: Period, lang: str) -> str:
    name = f"{MONTHS['kk' if lang == 'kk' else 'ru'][m.first.month - 1]} {m.first.year}"
    whole = m.first.day == 1 and (m.last + timedelta(days=1)).day == 1
    return name if whole else f"{name} ({m.first:%d.%m}–{m.last:%d.%m})"

"""The desk: opens cases, relays messages both ways, claims and closes, sweeps time limits.

Both consoles (the Telegram topic and the web page) call the same methods, so a case looks
the same from either side and every decision (a claim, a close) is made once, in the database.

While a case is claimed or active, what the person writes goes to the consultant and the bot
stays silent — with two exceptions that safety requires: an urgent message still gets the
emergency numbers (at most once every ten minutes, the consultant sees the message flagged),
and the controls (quick exit, /forget, buttons) always reach the bot.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from core.clock import ALMATY, Clock
from core.messages import Inbound, Reply, RequestHandoff
from handoff.cases import OUTCOMES, Case, CaseStore, Erased, Line
from handoff.hours import WorkingHours
from handoff.linking import Links
from handoff.models import ABANDONED, CLOSED, QUEUED
from handoff.notifier import OutboxNotifier
from handoff.outbox import Result
from handoff.presence import Presence
from handoff.queue import position, rank, score
from handoff.topics import Buttons, Topics
from nlu.result import NluResult, Understander
from storage.people import PersonRef
from storage.transcript import Transcripts

log = logging.getLogger(__name__)

CLAIM, CLOSE, OUTCOME, BACK = "hc:claim", "hc:close", "hc:out", "hc:back"
EXIT_COMMANDS = {"exit", "stop"}
_COMMAND = re.compile(r"^/([a-z_]+)", re.IGNORECASE)
_NOISE = re.compile(r"[^\w]+")
ROLE_LABELS = {
    "victim": "пострадавший(ая)",
    "witness": "свидетель",
    "aggressor": "применяющий(ая) насилие",
    "unknown": "не ясно",
}
DANGER_LABELS = {"high": "высокая", "elevated": "повышенная", "low": "низкая"}

# (staff or None, action, subject, now): app.staff.audit with the staff member already bound
Audit = Callable[[Any, str, str, datetime], Awaitable[None]]
EnterStep = Callable[[int, str, dict[str, object] | None], Awaitable[list[Reply]]]
RegistryUpdate = Callable[..., Awaitable[None]]


class Texts(Protocol):
    """The keyed texts the desk speaks in (dialogues.texts.Texts, given by the wiring)."""

    @property
    def langs(self) -> tuple[str, ...]: ...

    def get(self, lang: str, key: str, args: Mapping[str, Any] | None = None) -> str: ...


class State(Protocol):
    """What intake reads of the person's dialogue state (dialogues.state.State)."""

    @property
    def lang(self) -> str | None: ...

    @property
    def contact(self) -> int | None: ...


@dataclass(frozen=True)
class HandoffConfig:
    groups: tuple[int, ...] = ()
    urgent_timeout: timedelta = timedelta(seconds=60)
    timeout: timedelta = timedelta(minutes=5)
    hours: WorkingHours = field(default_factory=WorkingHours)
    give_up: timedelta = timedelta(hours=12)  # unclaimed this long: timed out for good
    urgent_notice_every: timedelta = timedelta(minutes=10)
    waiting_ack_every: float = 120.0  # seconds between "your message is saved" notes


LIVE_NOTICE_URGENCY = 0.8


@dataclass(frozen=True)
class Consultant:
    name: str  # what colleagues see
    via: str  # "web" | "telegram"
    staff: Any = None  # staffweb.auth.Staff for the web console
    tg_user: int | None = None

    @property
    def staff_id(self) -> int | None:
        return getattr(self.staff, "id", None)

    def owns(self, case: Case) -> bool:
        if self.tg_user is not None and case.claimed_tg_user == self.tg_user:
            return True
        return self.staff_id is not None and case.claimed_staff_id == self.staff_id


class Refused(Exception):
    """A consultant's action that cannot be done (the message says why, in Russian)."""


class Desk:
    def __init__(
        self,
        *,
        cases: CaseStore,
        notifier: OutboxNotifier,
        topics: Topics,
        texts: Texts,
        transcripts: Transcripts,
        nlu: Understander,
        clock: Clock,
        config: HandoffConfig,
        audit: Audit,
        enter_step: EnterStep,
        registry_update: RegistryUpdate | None = None,
        presence: Presence | None = None,
    ) -> None:
        self.cases = cases
        self.notifier = notifier
        self.topics = topics
        self.texts = texts
        self.transcripts = transcripts
        self.nlu = nlu
        self.clock = clock
        self.config = config
        self.audit = audit
        self.enter_step = enter_step
        self.registry_update = registry_update
        self.presence = presence
        self._acked: dict[int, float] = {}
        # Telegram accounts linked to staff accounts (bot/handoff_setup.py sets it).
        self.links: Links | None = None
        notifier.outbox.on_result("relay-out", self._on_relay_out)

    # -- opening a case (the pipeline's handoff hook) -----------------------------------

    async def on_handoff(
        self, person: PersonRef, request: RequestHandoff, state: State, nlu: NluResult | None
    ) -> list[Reply]:
        lang = state.lang or "ru"
        try:
            return await self._open(person, request, state, nlu, lang)
        except Exception:
            log.exception("could not open a handoff case")
            return [Reply(self.texts.get(lang, "handoff-failed"), urgent=request.urgent)]

    async def _open(
        self,
        person: PersonRef,
        request: RequestHandoff,
        state: State,
        nlu: NluResult | None,
        lang: str,
    ) -> list[Reply]:
        now = self.clock.now()
        details = dict(request.details)
        quiet = bool(details.pop("quiet", False))
        danger = _danger(details)
        existing = await self.cases.open_for(person.id)
        if existing is not None:
            case = await self.cases.escalate_request(
                existing.id, urgent=request.urgent, quiet=quiet, danger=danger
            )
            if case is None:
                return []
            if request.urgent and not existing.urgent:
                await self.topics.post(case, "🔴 Обращение стало срочным.", urgent=True)
            if quiet:
                await self._post_system(case, QUIET_NOTE)
                return []
            if case.live:
                return []
            return [Reply(self._t(lang, "handoff-already", position=await self.position(case)))]
        callback_at = _callback_time(details.get("callback_at"), now)
        role = nlu.role if nlu is not None and nlu.role != "unknown" else "unknown"
        region = details.get("region")
        case = await self.cases.create(
            person_id=person.id,
            contact_id=state.contact,
            reason=request.reason,
            urgent=request.urgent,
            danger=danger,
            quiet=quiet,
            lang=lang,
            role=role,
            region=str(region) if region else None,
            details=details,
            callback_at=callback_at,
            topic_chat=await self.topics.pick_group(),
            now=now,
        )
        if self.registry_update is not None:
            await self.registry_update(state.contact, handed_off=True)
        if self.topics.enabled:
            recent = await self.transcripts.recent(person.id, limit=12)
            card = self.card(case, [(ln.direction, ln.text) for ln in recent])
            await self.topics.open(case, _title(case), card, claim_buttons(case))
            await self.audit(None, "case-card-to-group", f"{case.number} transcript", now)
        log.info("handoff case opened (urgent=%s)", case.urgent)
        if quiet or callback_at is not None:
            return []
        place = await self.position(case) or 1
        if request.urgent and place == 1:
            return []  # the urgent step already said that a consultant is called
        if place == 1:
            return [Reply(self._t(lang, "handoff-queued-first"))]
        return [Reply(self._t(lang, "handoff-queued", position=place))]

    async def position(self, case: Case) -> int | None:
        return position(await self.cases.open_queue(), case.id, self.clock.now())

    # -- the person's messages (the pipeline's interceptor) -----------------------------

    async def intercept(self, person: PersonRef, inbound: Inbound) -> bool:
        case = await self.cases.open_for(person.id)
        if case is None:
            return False
        if inbound.payload is not None:
            await self._person_pressed(case, inbound.payload)
            return False  # buttons and controls always reach the bot
        text = (inbound.text or "").strip()
        command = _COMMAND.match(text)
        if command:
            if command.group(1).lower() in EXIT_COMMANDS:
                await self._person_hid_chat(case)
            return False  # commands too (/exit, /forget, /menu ...)
        if self._typed_exit(text):
            # The quick-exit control typed out (WhatsApp keeps it in a list; typing is faster):
            # it is a press, not words for the consultant.
            await self._person_hid_chat(case)
            return False
        now = self.clock.now()
        nlu = await self.nlu.parse(text, context_lang=_lang(case.lang)) if text else None
        if nlu is not None and nlu.urgent and nlu.intent == "exit":
            return False  # "delete everything, he is coming": the bot erases and stays quiet
        urgent = bool(nlu and nlu.urgent)
        shown = text or f"[{inbound.unsupported or 'сообщение'}: бот не может это передать]"
        line_id = await self.cases.add_line(
            case.id,
            "in",
            shown,
            now,
            author="person",
            urgent=urgent,
            delivery="sent",
            person_message_id=inbound.message_id,
        )
        await self.cases.touch_person(case.id, now, urgent and not case.urgent)
        if case.quiet:
            await self.cases.set_quiet(case.id, False)
        reply_to = None
        if inbound.reply_to:
            paired = await self.cases.line_by_person_message(case.id, inbound.reply_to)
            reply_to = paired.topic_message_id if paired else None
        mark = "🔴 " if urgent else ""
        await self.topics.post(case, f"{mark}👤 {shown}", line=line_id, reply_to=reply_to)
        replies: list[Reply] = []
        # While a consultant is reading, the bot repeats the numbers only for a clear danger
        # signal (a rule, or a high score): a borderline "да, я у соседки" is theirs to judge.
        clear = bool(
            nlu and nlu.urgent and (nlu.urgent_rules or nlu.urgency >= LIVE_NOTICE_URGENCY)
        )
        if (urgent if case.state == QUEUED else clear) and (
            case.state == QUEUED
            or await self.cases.take_urgent_notice(case.id, now, self.config.urgent_notice_every)
        ):
            replies.append(Reply(self._t(case.lang, "handoff-live-urgent"), urgent=True))
            if not case.urgent:
                await self.topics.alert(case.topic_chat, f"🔴 {case.number}: срочное сообщение")
        if not text:
            replies.append(Reply(self._t(case.lang, "handoff-text-only")))
        if case.state == QUEUED and self._may_ack(case.id):
            fresh = await self.cases.get(case.id)
            place = await self.position(fresh) if fresh else None
            if place is not None:
                replies.append(Reply(self._t(case.lang, "handoff-still-waiting", position=place)))
        if replies:
            await self.notifier.enqueue(person.id, replies, purpose="consultant")
        return True

    def _typed_exit(self, text: str) -> bool:
        typed = _NOISE.sub(" ", text.casefold()).strip()
        return bool(typed) and any(
            typed == _NOISE.sub(" ", self.texts.get(lang, "control-exit").casefold()).strip()
            for lang in self.texts.langs
        )

    def _may_ack(self, case_id: int) -> bool:
        last = self._acked.get(case_id)
        now = time.monotonic()
        if last is not None and now - last < self.config.waiting_ack_every:
            return False
        self._acked[case_id] = now
        return True

    async def _person_pressed(self, case: Case, payload: str) -> None:
        if payload == "handoff.waiting#cancel" and case.state == QUEUED:
            done = await self.cases.finish(
                case.id, state=ABANDONED, outcome="cancelled", now=self.clock.now(), only=(QUEUED,)
            )
            if done is not None:
                await self._post_system(done, "Человек отменил вызов консультанта.")
                await self.topics.set_buttons(done, [])
                await self.topics.close(done)
                await self._to_registry(done, unclaimed=False)
        elif payload == "!exit":
            await self._person_hid_chat(case)

    async def _person_hid_chat(self, case: Case) -> None:
        # Someone may be looking at the phone: the case stays open, but nobody writes first.
        await self.cases.set_quiet(case.id, True)
        await self._post_system(case, QUIET_NOTE)

    # -- consultants' actions (both consoles) -------------------------------------------

    async def consultant_seen(self) -> None:
        """A consultant acted or has the console open: the queue is being served."""
        if self.presence is not None:
            await self.presence.seen(self.clock.now())

    async def claim(self, case_id: int, who: Consultant) -> Case:
        await self.consultant_seen()
        now = self.clock.now()
        case = await self.cases.claim(
            case_id, by=who.name, now=now, staff_id=who.staff_id, tg_user=who.tg_user
        )
        if case is None:
            current = await self.cases.get(case_id)
            holder = current.claimed_by if current and current.claimed_by else "другой консультант"
            raise Refused(f"Обращение уже взял(а): {holder}")
        await self.audit(who.staff, "case-claim", f"{case.number} {who.via} {who.name}", now)
        await self._post_system(case, f"✋ Обращение взял(а): {who.name} ({who.via})")
        await self.topics.set_buttons(case, close_buttons(case))
        if case.person_id is not None and not case.quiet:
            await self.notifier.enqueue(
                case.person_id, [Reply(self._t(case.lang, "handoff-claimed"))], purpose="consultant"
            )
        return case

    async def reply(
        self, case_id: int, who: Consultant, text: str, *, topic_message_id: int | None = None
    ) -> Line:
        """Send a consultant's message to the person (from the web, or from the topic)."""
        await self.consultant_seen()
        text = text.strip()[:4000]
        if not text:
            raise Refused("Пустое сообщение.")
        case = await self._own_live(case_id, who)
        if case.quiet:
            raise Refused(
                "Человек скрыл переписку (быстрый выход). Не пишите первым — дождитесь его "
                "сообщения."
            )
        if case.person_id is None:
            raise Refused("Человек удалил свои данные; написать ему нельзя.")
        now = self.clock.now()
        line_id = await self.cases.add_line(
            case.id, "out", text, now, author=who.name, topic_message_id=topic_message_id
        )
        await self.notifier.enqueue(
            case.person_id,
            [Reply(text)],
            purpose="consultant",
            tag="relay-out",
            meta={"case": case.id, "line": line_id},
        )
        if topic_message_id is None:
            await self.topics.post(case, f"💬 {who.name}: {text}", line=line_id)
        await self.cases.mark_active(case.id)
        line = await self.cases.line(line_id)
        assert line is not None
        return line

    async def note(self, case_id: int, who: Consultant, text: str) -> None:
        await self.consultant_seen()
        text = text.strip()
        if not text:
            raise Refused("Пустая заметка.")
        case = await self.cases.get(case_id)
        if case is None:
            raise Refused("Нет такого обращения.")
        await self.cases.add_note(case.id, who.name, text, self.clock.now())
        await self.audit(who.staff, "case-note", case.number, self.clock.now())

    async def close(
        self, case_id: int, who: Consultant, outcome: str, *, force: bool = False
    ) -> Case:
        await self.consultant_seen()
        if outcome not in OUTCOMES:
            raise Refused("Выберите итог обращения.")
        case = await self.cases.get(case_id)
        if case is None or not case.open:
            raise Refused("Обращение уже закрыто.")
        if case.live and not who.owns(case) and not force:
            raise Refused(f"Закрыть может тот, кто ведёт обращение: {case.claimed_by}.")
        now = self.clock.now()
        done = await self.cases.finish(case.id, state=CLOSED, outcome=outcome, now=now)
        if done is None:
            raise Refused("Обращение уже закрыто.")
        await self.audit(who.staff, "case-close", f"{done.number} {outcome}", now)
        await self._post_system(done, f"✔ Закрыто ({OUTCOMES[outcome]}): {who.name}")
        await self.topics.set_buttons(done, [])
        await self.topics.close(done)
        if done.person_id is not None and not done.quiet and done.claimed_at is not None:
            ended = [Reply(self._t(done.lang, "handoff-ended"))]
            feedback = await self.enter_step(done.person_id, "feedback.start", None)
            await self.notifier.enqueue(done.person_id, [*ended, *feedback], purpose="consultant")
        await self._to_registry(done, unclaimed=False)
        return done

    async def _own_live(self, case_id: int, who: Consultant) -> Case:
        case = await self.cases.get(case_id)
        if case is None or not case.open:
            raise Refused("Обращение закрыто.")
        if not case.live:
            raise Refused("Сначала возьмите обращение.")
        if not who.owns(case):
            raise Refused(f"Обращение ведёт {case.claimed_by}.")
        return case

    # -- Telegram topic events ----------------------------------------------------------

    async def on_topic_message(
        self, chat: int, thread: int, message_id: int, who: Consultant, text: str
    ) -> bool:
        """A consultant wrote in a case's topic; True when it went to the person."""
        await self.consultant_seen()
        case = await self.cases.by_topic(chat, thread)
        if case is None or not case.open:
            return False
        try:
            if text.startswith("/note"):
                await self.note(case.id, who, text.removeprefix("/note").strip())
                return False
            if not case.live or not who.owns(case):
                return False  # colleagues may talk in the topic; only the claimer's words go out
            await self.reply(case.id, who, text, topic_message_id=message_id)
        except Refused as exc:
            await self.topics.post(case, f"⚠ {exc}", reply_to=message_id)
            return False
        return True

    async def on_topic_button(self, data: str, who: Consultant) -> str:
        """A button on a case card. Returns the short answer shown to the one who pressed it."""
        await self.consultant_seen()
        parts = data.split(":")
        try:
            action, case_id = ":".join(parts[:2]), int(parts[2])
        except (IndexError, ValueError):
            return "?"
        if not 0 < case_id < 1 << 63:  # forged data: beyond any id the database can hold
            return "?"
        case = await self.cases.get(case_id)
        if case is None:
            return "Нет такого обращения."
        try:
            if action == CLAIM:
                await self.claim(case_id, who)
                await self.audit(
                    None, "case-view", f"{case.number} tg:{who.tg_user}", self.clock.now()
                )
                return "Обращение ваше. Пишите в этой теме — сообщения уйдут человеку."
            if action == CLOSE:
                if case.live and not who.owns(case):
                    return f"Закрыть может {case.claimed_by}."
                await self.topics.set_buttons(case, outcome_buttons(case))
                return "Выберите итог."
            if action == BACK:
                await self.topics.set_buttons(
                    case, close_buttons(case) if case.live else claim_buttons(case)
                )
                return "Ок."
            if action == OUTCOME and len(parts) > 3:
                await self.close(case_id, who, parts[3])
                return "Закрыто."
        except Refused as exc:
            return str(exc)
        return "?"

    # -- deliveries ---------------------------------------------------------------------

    async def _on_relay_out(self, result: Result) -> None:
        line_id = result.delivery.meta.get("line")
        case_id = result.delivery.meta.get("case")
        if line_id is None or case_id is None:
            return
        if result.ok:
            ids = result.value.get("ids") or []
            await self.cases.mark_line(
                int(line_id), delivery="sent", person_message_id=str(ids[0]) if ids else None
            )
            return
        await self.cases.mark_line(int(line_id), delivery="failed")
        await self.cases.count_failure(int(case_id))
        case = await self.cases.get(int(case_id))
        line = await self.cases.line(int(line_id))
        if case is not None:
            await self.topics.post(
                case,
                "⚠ Сообщение не доставлено человеку (мессенджер не принял его). "
                "Проверьте консоль или попробуйте позже.",
                reply_to=line.topic_message_id if line else None,
            )

    # -- time limits (a job, every few seconds, in every process) -----------------------

    async def sweep(self) -> dict[str, int]:
        now = self.clock.now()
        cfg = self.config
        escalated = await self.cases.take_escalations(now, cfg.urgent_timeout, cfg.timeout)
        for case in escalated:
            waited = int((now - case.due_at).total_seconds())
            if case.person_id is not None and not case.quiet:
                await self.notifier.enqueue(
                    case.person_id,
                    [Reply(self._t(case.lang, "handoff-timeout"), urgent=True)],
                    purpose="consultant",
                )
            level = "🔴 СРОЧНОЕ" if case.urgent else "Обращение"
            await self.topics.alert(
                case.topic_chat,
                f"⚠ {level} {case.number} ждёт без ответа {waited // 60} мин {waited % 60} с. "
                "Человеку отправлены телефоны 150/102/112. Нужен консультант.",
            )
            await self._post_system(case, "⚠ Время ожидания вышло: человеку отправлены телефоны.")
        stale = await self.cases.take_stale(now, cfg.give_up)
        for case in stale:
            await self._post_system(case, "Никто не взял обращение — оно закрыто как неотвеченное.")
            await self.topics.set_buttons(case, [])
            await self.topics.close(case)
            await self._to_registry(case, unclaimed=True)
        # People forgotten without their cases (a crash between the two, or rows from before
        # erasure reached cases): their cases go now.
        orphans = await self.erase_cases(None)
        return {"escalated": len(escalated), "timed_out": len(stale), "erased": len(orphans)}

    # -- erasure (/forget, retention) --------------------------------------------------

    async def erase_person(self, person_id: int, lang: str) -> list[Reply]:
        """The pipeline's eraser for /forget: every case of the person goes, open or closed,
        with its copies in the consultants' group. Says what could not be deleted."""
        erased: list[Erased] = []
        while batch := await self.erase_cases([person_id]):
            erased += batch
        if not erased:
            return []
        cutoff = self.clock.now() - DELETABLE_FOR
        old = sum(1 for e in erased for _, at in e.copies if at <= cutoff)
        if old:
            return [Reply(self._t(lang, "safety-forgotten-consultant-old", old=old))]
        return [Reply(self._t(lang, "safety-forgotten-consultant"))]

    async def erase_people(self, person_ids: Sequence[int]) -> None:
        """Retention's eraser: the cases of people about to be deleted."""
        for i in range(0, len(person_ids), 100):
            while await self.erase_cases(person_ids[i : i + 100]):
                pass

    async def erase_cases(self, person_ids: Sequence[int] | None) -> list[Erased]:
        now = self.clock.now()
        async with self.cases.session() as s, s.begin():
            erased = await self.cases.erase_in(s, person_ids)
            for e in erased:
                await self.topics.erase(e.case, e.copies, ERASED_NOTE, s)
        for e in erased:
            self._acked.pop(e.case.id, None)
            if e.case.open:  # the registry counts it as ended by the person's erasure
                gone = replace(e.case, outcome="erased")
                await self._to_registry(gone, unclaimed=e.case.claimed_at is None)
            await self.audit(None, "case-erased", e.case.number, now)
        if erased:
            log.info("handoff: %d cases erased with their copies", len(erased))
        return erased

    # -- views for the consoles ---------------------------------------------------------

    async def queue(self) -> list[tuple[Case, float, int | None]]:
        """Open cases: the due ones ranked (with their score and place), then the rest."""
        now = self.clock.now()
        cases = await self.cases.open_cases()
        waiting = [c for c in cases if c.state == QUEUED]
        ranked = rank(waiting, now)
        out: list[tuple[Case, float, int | None]] = [
            (c, score(c, now), i) for i, c in enumerate(ranked, 1)
        ]
        out += [(c, 0.0, None) for c in waiting if c not in ranked]  # callbacks not yet due
        out += [(c, 0.0, None) for c in cases if c.live]
        return out

    def card(self, case: Case, lines: Sequence[tuple[str, str]]) -> str:
        head = f"{'🔴 СРОЧНО · ' if case.urgent else ''}Обращение {case.number}"
        facts = [
            f"Опасность: {DANGER_LABELS.get(case.danger or '', 'не оценена')}",
            f"Язык: {case.lang}",
            f"Кто пишет: {ROLE_LABELS.get(case.role, case.role)}",
            f"Регион: {case.region or '—'}",
            f"Причина: {REASONS.get(case.reason, case.reason)}",
        ]
        parts = [head, " · ".join(facts)]
        if case.quiet:
            parts.append(QUIET_NOTE)
        if case.callback_at is not None:
            when = case.callback_at.astimezone(ALMATY).strftime("%d.%m %H:%M")
            parts.append(f"Просит написать в {when} (Алматы)")
        screen = case.details.get("danger_screen")
        if isinstance(screen, dict) and screen:
            answers = "; ".join(f"{k}: {_answer(v)}" for k, v in screen.items())
            parts.append(f"Скрининг опасности: {answers}"[:800])
        if lines:
            parts.append("— Последние сообщения —")
            for direction, text in lines:
                who = "👤" if direction == "in" else "🤖"
                parts.append(f"{who} {text[:300]}")
        return "\n".join(parts)[:4000]

    # -- helpers ------------------------------------------------------------------------

    async def _post_system(self, case: Case, text: str) -> None:
        line_id = await self.cases.add_line(
            case.id, "system", text, self.clock.now(), delivery="sent"
        )
        await self.topics.post(case, text, line=line_id)  # paired: erasure finds the copy

    async def _to_registry(self, case: Case, *, unclaimed: bool) -> None:
        if self.registry_update is None or case.contact_id is None:
            return
        claim_seconds = (
            int((case.claimed_at - case.due_at).total_seconds()) if case.claimed_at else None
        )
        await self.registry_update(
            case.contact_id,
            handed_off=True,
            claim_seconds=max(0, claim_seconds) if claim_seconds is not None else None,
            handoff_outcome=case.outcome,
            unclaimed=unclaimed,
        )

    def _t(self, lang: str, key: str, **args: Any) -> str:
        return self.texts.get(lang, key, args)


ERASED_NOTE = (
    "Данные человека удалены (по его просьбе или по сроку хранения): переписка по обращению "
    "удаляется, тема закрывается."
)
# Telegram lets a bot delete a message for 48 hours after it was posted.
DELETABLE_FOR = timedelta(hours=48)
QUIET_NOTE = (
    "🤫 Человек скрыл переписку (быстрый выход). Рядом может быть агрессор: не пишите первым, "
    "дождитесь сообщения от человека."
)
REASONS = {
    "urgent": "срочное сообщение",
    "urgent-exit": "срочно, быстрый выход",
    "asked": "попросил(а) консультанта",
    "callback": "просит написать позже",
}


def claim_buttons(case: Case) -> Buttons:
    return [[("✋ Взять", f"{CLAIM}:{case.id}"), ("✖ Закрыть", f"{CLOSE}:{case.id}")]]


def close_buttons(case: Case) -> Buttons:
    return [[("✖ Закрыть", f"{CLOSE}:{case.id}")]]


def outcome_buttons(case: Case) -> Buttons:
    rows: list[list[tuple[str, str]]] = [
        [(label, f"{OUTCOME}:{case.id}:{code}")] for code, label in OUTCOMES.items()
    ]
    rows.append([("↩ Назад", f"{BACK}:{case.id}")])
    return rows


def _title(case: Case) -> str:
    return f"{case.number}{' 🔴' if case.urgent else ''}"


def _danger(details: dict[str, Any]) -> str | None:
    level = details.get("danger_level")
    return str(level) if level in ("high", "elevated", "low") else None


def _answer(value: Any) -> str:
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return str(value)[:60]


def _lang(lang: str) -> Any:
    return lang if lang in ("ru", "kk") else None


def _callback_time(value: Any, now: datetime) -> datetime | None:
    """A callback time from the flow, only if it is sensible (future, within a week)."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    if at.tzinfo is None or at <= now or at - now > timedelta(days=8):
        return None
    return at

"""The WhatsApp channel: webhook (verify, check, store, answer 200), processing, delivery.

Store-then-process: a signed POST is parsed, its messages are written to the inbox (a unique
hash per message makes Meta's redeliveries no-ops) and only then is 200 returned; a task of
this process runs each message through the pipeline right after, and a job picks up anything
a crashed process left behind. Meta gets its 200 within a database write, whatever the Graph
API's latency, and no acknowledged message is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.app import App
from bot.background import Background
from bot.channels.whatsapp.client import GraphError, WhatsAppClient, WindowClosed
from bot.channels.whatsapp.errors import as_delivery_error
from bot.channels.whatsapp.render import Labels, render
from bot.channels.whatsapp.store import CHANNEL, KEEP_DONE, Known, WhatsAppStore
from bot.channels.whatsapp.templates import Templates
from bot.channels.whatsapp.webhook import SIGNATURE_HEADER, WaMessage, parse, signature_ok
from bot.fallback import STORAGE_ERRORS, PhoneLines
from bot.locks import KeyedLocks
from bot.pipeline import ErasureReport, FirstLook, Outcome
from core.messages import Inbound, Reply
from core.notify import Purpose
from handoff.sendrate import URGENT, sending
from staffweb.body import BadJson, TooLarge, loads, read_body
from storage.db import Tx
from storage.state import StateData

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # Meta's payloads are a few KB; anything near this is not Meta
LEASE = timedelta(minutes=5)  # a claimed message not finished by then is retried elsewhere
GRACE = timedelta(seconds=60)  # an unclaimed message older than this is picked up by the job
MAX_ATTEMPTS = 3
# Messages older than this are never new: the inbox keeps the hashes of processed messages
# for KEEP_DONE after processing, so anything younger that was seen is deduplicated (an hour
# of slack for Meta's clock being ahead of ours).
REPLAY_HORIZON = KEEP_DONE - timedelta(hours=1)


TURN = "turn"  # purpose of a turn's replies, kept in its own transaction until sent


class _Sink:
    """A turn's end in the turn's own transaction (TurnSink): its replies are kept (to be sent
    right after the commit) and its message marked done, so that a turn that committed is
    never run again, whatever fails after it."""

    def __init__(self, channel: WhatsAppChannel, inbox_id: int) -> None:
        self._channel = channel
        self._inbox_id = inbox_id
        self.deferred_s: float | None = None

    async def settle(self, conn: Tx, person_id: int, replies: list[Reply]) -> None:
        await self._channel.settle_in(conn, self._inbox_id, person_id, replies)

    async def provisional(self, conn: Tx, person_id: int, before: StateData | None) -> None:
        """A turn with work after its transaction (a handoff case, state in Redis) settles
        once that work is done (`WhatsAppChannel._handle`); its replies are sent only then,
        so that a re-run after a failure in between sends its replies once."""

    async def defer(self, conn: Tx, person_id: int, replies: list[Reply], wait_s: float) -> None:
        store, now = self._channel.store, self._channel.app.clock.now()
        await store.hold_in(conn, person_id, replies, TURN, now)
        await store.defer_in(conn, self._inbox_id, now + timedelta(seconds=wait_s), LEASE)
        self.deferred_s = wait_s


class _WhatsAppOps:
    async def erase(self, message_ids: Sequence[str]) -> ErasureReport:
        # The Cloud API cannot delete messages on the person's phone; the pipeline then
        # sends the WhatsApp-specific instructions (erase-unsupported--whatsapp).
        return ErasureReport(deleted=0, supported=False)


class WhatsAppChannel:
    def __init__(self, app: App, client: WhatsAppClient | None = None) -> None:
        settings = app.settings
        settings.check_whatsapp()
        assert settings.whatsapp_token and settings.whatsapp_phone_id
        assert settings.whatsapp_app_secret and settings.whatsapp_verify_token
        self.app = app
        self.phone_id = settings.whatsapp_phone_id
        self.client = client or WhatsAppClient(
            settings.whatsapp_api_base,
            settings.whatsapp_phone_id,
            settings.whatsapp_token.get_secret_value(),
        )
        if app.send_budgets is not None and self.client.budget is None:
            self.client.budget = app.send_budgets.whatsapp
        self.store = WhatsAppStore(app.db, app.vault)
        self.templates = Templates.load(settings.whatsapp_templates)
        self._secret = settings.whatsapp_app_secret.get_secret_value().encode()
        self._verify = settings.whatsapp_verify_token.get_secret_value().encode()
        self._background = Background()
        self._order = KeyedLocks()
        self._texts = app.conversations.engine.texts
        self._timers: set[asyncio.TimerHandle] = set()  # when deferred messages fall due
        self._closing = False
        # The phone lines when storage fails: straight through the Graph API (bot/fallback.py).
        self.fallback = PhoneLines(
            lambda to, text: self.client.send_text(str(to), text),
            self._texts.get("ru", "unavailable"),
        )
        app.notifier.register(CHANNEL, self._notify)
        app.jobs.every(30, "whatsapp.inbox", self.sweep)
        app.jobs.every(3600, "whatsapp.purge", lambda: self.store.purge(app.clock.now()))

    # -- webhook ------------------------------------------------------------------------

    async def on_verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge when the token matches."""
        q = request.query
        token = q.get("hub.verify_token", "").encode()
        if q.get("hub.mode") == "subscribe" and hmac.compare_digest(token, self._verify):
            return web.Response(text=q.get("hub.challenge", ""))
        return web.Response(status=403, text="forbidden")

    async def on_webhook(self, request: web.Request) -> web.Response:
        try:
            raw = await read_body(request, MAX_BODY_BYTES)
        except TooLarge:
            return web.json_response({"error": "too large"}, status=413)
        # The signature is checked on the raw bytes, before anything is parsed.
        if not signature_ok(raw, request.headers.get(SIGNATURE_HEADER), self._secret):
            log.warning("WhatsApp webhook with a missing or wrong signature refused")
            return web.json_response({"error": "bad signature"}, status=401)
        try:
            data = loads(raw)  # depth bounded, surrogates cleaned
        except BadJson:
            return web.json_response({"error": "malformed JSON"}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"error": "malformed payload"}, status=400)
        parsed = parse(data, self.phone_id)
        now = self.app.clock.now()
        messages = self._not_replayed(parsed.messages, now)
        try:
            if parsed.statuses:
                await self.store.record_statuses(parsed.statuses, now)
            fresh = await self.store.enqueue(messages, now)
        except STORAGE_ERRORS:
            # Not stored: the person gets the phone lines now, and Meta delivers it again.
            log.exception("WhatsApp messages not stored; answered with the phone lines and 503")
            for wa_id in dict.fromkeys(m.wa_id for m in messages):
                await self.fallback.send(wa_id)
            return web.json_response({"error": "storage unavailable"}, status=503)
        senders = {m.wa_id for _, m in fresh}
        for wa_id in senders:  # one task per person, each in the order Meta sent them
            ids = [inbox_id for inbox_id, m in fresh if m.wa_id == wa_id]
            self._spawn(self._process_in_order(wa_id, ids))
        return web.json_response({"ok": True})

    def _not_replayed(self, messages: Sequence[WaMessage], now: datetime) -> list[WaMessage]:
        """A signed POST replayed later still carries its messages' timestamps. Within
        REPLAY_HORIZON the inbox's message hashes make a replay a no-op; older messages (whose
        hashes may be purged) are dropped: Meta never redelivers after seven days."""
        oldest = now - REPLAY_HORIZON
        kept = [m for m in messages if m.at is None or m.at >= oldest]
        if len(kept) < len(messages):
            log.warning(
                "%d WhatsApp message(s) too old to be new dropped", len(messages) - len(kept)
            )
        return kept

    # -- processing ---------------------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        self._background.spawn(work)

    async def idle(self) -> None:
        """Wait until every message received so far has been processed (tests, shutdown)."""
        await self._background.idle()

    async def sweep(self) -> int:
        """The job: process what nobody is working on (a crash, a restart mid-message), and
        send the replies a turn kept but a crash left unsent."""
        now = self.app.clock.now()
        ids = await self.store.pending(now, LEASE, GRACE)
        await self._process_all(ids)
        for person_id in await self.store.stranded(TURN, now - GRACE):
            replies = await self.store.take_held(person_id)  # taken once, whoever takes them
            if replies:
                try:
                    await self.app.notifier.deliver(person_id, replies, "system")
                except Exception:
                    log.exception("a turn's stranded WhatsApp replies could not be sent")
        return len(ids)

    async def _process_in_order(self, wa_id: str, ids: Sequence[int]) -> None:
        # Two quick messages arrive in two POSTs, hence two tasks: the lock (taken before the
        # first await, in task order) keeps them in the order they arrived.
        async with self._order.hold(hash(wa_id)):
            await self._process_all(ids)

    async def _process_all(self, ids: Sequence[int]) -> None:
        for inbox_id in ids:  # in order: one POST's messages are one person's sequence
            await self._process(inbox_id)

    async def _process(self, inbox_id: int) -> None:
        """One message, at most one whole turn: the turn marks it done in its own transaction.
        A failure before that leaves it to be retried (the job, after the lease); the person
        gets the phone lines at once all the same."""
        message: WaMessage | None = None
        attempt = 0
        try:
            claimed = await self.store.claim(inbox_id, self.app.clock.now(), LEASE)
            if claimed is None:
                return  # done already, or another process is on it
            message, attempt = claimed
            if message is None or attempt > MAX_ATTEMPTS:
                if message is not None:
                    log.error("WhatsApp message given up after %d attempts", attempt - 1)
                    await self.fallback.send(message.wa_id)
                await self.store.finish(inbox_id, self.app.clock.now())
                return
            look = await self.app.conversations.first_look(message.text, message.payload)
            async with self.app.admission.turn(look.urgent):  # urgent first (bot/admission.py)
                await self._handle(inbox_id, message, look)
        except Exception:
            log.exception("WhatsApp message failed (attempt %d); it will be retried", attempt)
            if message is not None:
                await self.fallback.send(message.wa_id)

    def _later(self, inbox_id: int, delay_s: float) -> None:
        """Process a deferred message when it falls due (the job would, a little later)."""

        def due() -> None:
            self._timers.discard(handle)
            if not self._closing:
                self._spawn(self._process_all([inbox_id]))

        handle = asyncio.get_running_loop().call_later(delay_s + 0.05, due)
        self._timers.add(handle)

    async def settle_in(
        self, conn: Tx, inbox_id: int, person_id: int | None, replies: Sequence[Reply]
    ) -> None:
        """The turn's replies kept to be sent, and its message done: in one transaction."""
        now = self.app.clock.now()
        if person_id is not None:
            await self.store.hold_in(conn, person_id, replies, TURN, now)
        await self.store.finish_in(conn, inbox_id, now)

    async def _handle(self, inbox_id: int, m: WaMessage, look: FirstLook) -> None:
        now = self.app.clock.now()
        at = min(m.at, now) if m.at else now
        if not m.msg_id.startswith("digest:"):
            await self._mark_read(m.msg_id)
        known = await self.store.known(m.wa_id)
        if known is not None:
            await self.store.touch_window(known.person_id, at)
            held = await self.store.take_held(known.person_id)
            if held:
                await self._reply(m.wa_id, held, known, "held")
                if m.template_button:
                    return  # the press on the template only asked for these
        text, unsupported = m.text, m.unsupported
        if known is None and await self._first_greeting(m, look):
            text, unsupported = "/start", None  # the bilingual welcome with the language choice
        inbound = Inbound(
            channel=CHANNEL,
            user_ref=m.wa_id,
            address=m.wa_id,
            at=at,
            text=text,
            payload=m.payload,
            unsupported=unsupported,
        )
        sink = _Sink(self, inbox_id)
        outcome = await self.app.conversations.handle(inbound, _WhatsAppOps(), sink, look)
        if not outcome.settled:  # work after the turn's transaction, or nobody to keep for
            await self._settle(inbox_id, outcome)
        if sink.deferred_s is not None:
            self._later(inbox_id, sink.deferred_s)
        if outcome.person_id is None:
            return  # forgotten on request: nothing more is kept, not even the window
        person = Known(outcome.person_id, outcome.lang)
        # Done and committed: from here on, a failure never runs the turn again.
        with contextlib.suppress(*STORAGE_ERRORS):
            if known is None:
                await self.store.touch_window(person.person_id, at)
        await self._reply(m.wa_id, await self.store.take_held(person.person_id), person, "reply")

    async def _settle(self, inbox_id: int, outcome: Outcome) -> None:
        async with self.app.db.transaction() as conn:
            await self.settle_in(conn, inbox_id, outcome.person_id, outcome.replies)

    async def _first_greeting(self, m: WaMessage, look: FirstLook) -> bool:
        """A first contact that only says hello (or sends no text) gets the welcome.

        Anything with substance — above all an urgent message — is answered as it is."""
        if m.payload is not None:
            return False
        if m.unsupported or not (m.text or "").strip():
            return True
        if m.text is None or m.text.startswith("/"):
            return False
        nlu = look.nlu or await self.app.conversations.nlu.parse(m.text)  # parsed once
        return nlu.intent == "greet" and not (nlu.urgent or nlu.possible_danger)

    async def _mark_read(self, msg_id: str) -> None:
        try:
            await self.client.mark_read(msg_id)
        except GraphError as exc:
            log.info("mark as read failed: %s (code %s)", exc.status, exc.code)

    # -- delivery -----------------------------------------------------------------------

    def labels(self, lang: str | None) -> Labels:
        lang = lang or "ru"
        return Labels(
            list_button=self._texts.get(lang, "wa-list-button"),
            section_safety=self._texts.get(lang, "wa-section-safety"),
            section_choices=self._texts.get(lang, "wa-section-choices"),
            more=self._texts.get(lang, "wa-list-more"),
        )

    async def _send(self, to: str, replies: Sequence[Reply], person: Known, purpose: str) -> None:
        """Send in order; stop at the first failure (later messages would arrive out of order)
        and raise it as GraphError. What was sent before is recorded either way. When Meta
        says the window is closed after all, the rest is held instead (no error)."""
        labels = self.labels(person.lang)
        sent: list[tuple[str, str]] = []
        try:
            for n, reply in enumerate(replies):
                for message in render(reply, labels):
                    try:
                        with sending(URGENT if reply.urgent else 0):
                            wamid = await self.client.send(to, message)
                    except WindowClosed:
                        # Our window record and Meta's disagree (a late retry): hold the rest.
                        await self._hold(to, person, replies[n:], "system")
                        return
                    sent.append((wamid, str(message["type"])))
        finally:
            await self.store.record_sent(person.person_id, sent, purpose, self.app.clock.now())

    async def _reply(self, to: str, replies: Sequence[Reply], person: Known, purpose: str) -> None:
        """Answers within a turn: a failure is logged (the turn's state changes happened once
        and are not re-run)."""
        try:
            await self._send(to, replies, person, purpose)
        except GraphError as exc:
            log.error("WhatsApp delivery failed: %s (code %s)", exc.status, exc.code)

    async def _notify(self, address: str, replies: Sequence[Reply], purpose: Purpose) -> list[str]:
        """The Notifier's sender: free-form inside the 24-hour window, a template outside.

        Failures are raised as the outbox's Retry/Permanent, so a consultant's reply or a
        reminder that the Graph API refused for now is delivered later, not lost.
        Returns no ids: WhatsApp messages cannot be deleted by the bot, and a wamid embeds
        the person's number, so none is kept for quick exit."""
        known = await self.store.known(address)
        if known is None:
            log.warning("WhatsApp %s message for somebody no longer known", purpose)
            return []
        try:
            if await self.store.window_open(known.person_id, self.app.clock.now()):
                await self._send(address, replies, known, purpose)
            else:
                await self._hold(address, known, replies, purpose)
        except GraphError as exc:
            log.warning("WhatsApp %s delivery failed: %s (code %s)", purpose, exc.status, exc.code)
            raise as_delivery_error(exc) from exc
        return []

    async def _hold(self, to: str, person: Known, replies: Sequence[Reply], purpose: str) -> None:
        """Keep the replies for when the person writes, and tell them with a neutral template.

        The template goes first: when Meta refuses it, nothing is held and the error is
        raised, so that a retry does not hold the same replies twice."""
        now = self.app.clock.now()
        template = self.templates.pick(purpose, person.lang)
        if template is None:
            log.warning("no WhatsApp template for %s; held until the person writes", purpose)
        else:
            wamid = await self.client.send_template(to, template.name, template.language)
            await self.store.record_sent(person.person_id, [(wamid, "template")], purpose, now)
        await self.store.hold(person.person_id, replies, purpose, now)

    async def close(self) -> None:
        self._closing = True
        for timer in self._timers:  # the job takes what they would have
            timer.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), 20)
        await self.client.close()

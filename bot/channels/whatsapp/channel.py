"""The WhatsApp channel: webhook (verify, check, store, answer 200), processing, delivery.

Store-then-process on the shared inbox (bot/inbox/runner.py, the same as Telegram's): a signed
POST is parsed, its messages are written to the inbox (a keyed hash of each wamid makes Meta's
redeliveries no-ops) and only then is 200 returned. A task of this process runs each person's
messages in order (a lease per message), urgent ones first; a turn's replies go through the
outbox in the turn's own transaction; a job picks up what a crashed process left behind. Meta
gets its 200 within a database write, whatever the Graph API's latency, no acknowledged
message is lost and a turn runs at most once (a re-run starts from the turn's snapshot).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.app import App
from bot.channels.whatsapp.client import GraphError, WhatsAppClient, WindowClosed
from bot.channels.whatsapp.errors import as_delivery_error
from bot.channels.whatsapp.render import Labels, render
from bot.channels.whatsapp.store import CHANNEL, KEEP_DONE, Known, WhatsAppStore
from bot.channels.whatsapp.templates import Templates
from bot.channels.whatsapp.webhook import SIGNATURE_HEADER, WaMessage, parse, signature_ok
from bot.fallback import STORAGE_ERRORS, PhoneLines
from bot.inbox.runner import Runner, current_turn
from bot.pipeline import ErasureReport, FirstLook
from core.messages import Button, Inbound, Reply
from core.notify import Purpose
from delivery.sendscope import URGENT, sending
from staffweb.body import BadJson, TooLarge, loads, read_body

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # Meta's payloads are a few KB; anything near this is not Meta
# Messages older than this are never new: the inbox keeps the hashes of processed messages
# for KEEP_DONE after processing, so anything younger that was seen is deduplicated (an hour
# of slack for Meta's clock being ahead of ours).
REPLAY_HORIZON = KEEP_DONE - timedelta(hours=1)


def to_inbound(m: WaMessage, at: datetime, greeting: bool) -> Inbound:
    """A stored WhatsApp message as the channel-free `Inbound` (pure). `greeting`: a first
    contact that only says hello gets the bilingual welcome with the language choice."""
    return Inbound(
        channel=CHANNEL,
        user_ref=m.wa_id,
        address=m.wa_id,
        at=at,
        text="/start" if greeting else m.text,
        payload=m.payload,
        unsupported=None if greeting else m.unsupported,
        located=m.located and not greeting,
        region=m.region,
    )


def _reply_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [[[b.label, b.payload] for b in row] for row in reply.buttons],
        "urgent": reply.urgent,
    }


def _reply_of(data: dict[str, Any]) -> Reply:
    buttons = tuple(tuple(Button(lab, pay) for lab, pay in row) for row in data["buttons"])
    return Reply(str(data["text"]), buttons, bool(data.get("urgent")))


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
        self._texts = app.conversations.engine.texts
        # The phone lines when storage fails: straight through the Graph API (bot/fallback.py).
        self.phone_lines = PhoneLines(
            lambda to, text: self.client.send_text(str(to), text),
            self._texts.get("ru", "unavailable"),
        )
        app.notifier.register(CHANNEL, self._notify)
        self.inbox = Runner.for_app(self, app, KEEP_DONE)
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
            await self.accept(messages)
        except STORAGE_ERRORS:
            # Not stored: the person gets the phone lines now, and Meta delivers it again.
            log.exception("WhatsApp messages not stored; answered with the phone lines and 503")
            for wa_id in dict.fromkeys(m.wa_id for m in messages):
                await self.phone_lines.send(wa_id)
            return web.json_response({"error": "storage unavailable"}, status=503)
        return web.json_response({"ok": True})

    async def accept(self, messages: Sequence[WaMessage]) -> int:
        """Store each message in the inbox, in the order Meta sent them (raises on storage
        errors); how many were new. A person's messages are ordered by arrival: the
        microsecond of the POST, then the place in it."""
        base = time.time_ns() // 1000 * 100
        fresh = 0
        for n, m in enumerate(messages):
            key = self.store.msg_hash(m.msg_id)
            fresh += await self.inbox.accept(key, base + min(n, 99), m.to_json())
        return fresh

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

    # -- processing (the inbox's Adapter) ------------------------------------------------

    name = CHANNEL

    async def idle(self) -> None:
        """Wait until every message received so far has been processed (tests, shutdown)."""
        await self.inbox.idle()

    def chat_of(self, payload: dict[str, Any] | None) -> str | None:
        wa_id = payload.get("wa_id") if isinstance(payload, dict) else None
        return wa_id if isinstance(wa_id, str) else None

    def words_of(self, payload: dict[str, Any] | None) -> tuple[str | None, str | None]:
        if not isinstance(payload, dict):
            return None, None
        text, pressed = payload.get("text"), payload.get("payload")
        return (
            text if isinstance(text, str) else None,
            pressed if isinstance(pressed, str) else None,
        )

    async def fallback(self, payload: dict[str, Any] | None) -> None:
        wa_id = self.chat_of(payload)
        if wa_id is not None:
            await self.phone_lines.send(wa_id)

    async def run(self, payload: dict[str, Any]) -> None:
        """One stored message: what the window and held replies need, then the turn."""
        m = WaMessage.from_json(payload)
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
        look = self.inbox_look()
        greeting = known is None and await self._first_greeting(m, look)
        outcome = await self.inbox.turn(to_inbound(m, at, greeting), m.wa_id, _WhatsAppOps())
        if outcome.person_id is not None and known is None:
            # Done and committed: from here on, a failure never runs the turn again.
            with contextlib.suppress(*STORAGE_ERRORS):
                await self.store.touch_window(outcome.person_id, at)

    def inbox_look(self) -> FirstLook:
        turn = current_turn()
        return turn.look if turn is not None and turn.look is not None else FirstLook()

    def render(self, chat: str, reply: Reply) -> list[dict[str, Any]]:
        """One outbox row per Graph API message, so that a retry resends only what failed.
        The parts are rendered again when sent, with the person's labels (their count does
        not depend on the language of the labels)."""
        count = len(render(reply, self.labels(None)))
        return [{"to": chat, "reply": _reply_json(reply), "part": i} for i in range(count)]

    async def send(self, payload: dict[str, Any], timeout_s: float) -> list[str]:
        """Send one part of a turn's reply (the outbox's handler). Returns no ids: WhatsApp
        messages cannot be deleted by the bot."""
        to, reply = str(payload["to"]), _reply_of(payload["reply"])
        known = await self.store.known(to)
        parts = render(reply, self.labels(known.lang if known else None))
        part = int(payload.get("part", 0))
        if part >= len(parts):
            return []
        try:
            with sending(URGENT if reply.urgent else 0):
                wamid = await self.client.send(to, parts[part])
        except WindowClosed:
            # Our window record and Meta's disagree (a late retry): held for when they write.
            if known is not None and part == 0:
                await self.store.hold(known.person_id, [reply], "reply", self.app.clock.now())
            else:  # the reply's first part went out: the rest cannot be held whole
                log.warning("WhatsApp window closed mid-reply; its part %d not sent", part)
            return []
        except GraphError as exc:
            log.warning("WhatsApp reply failed: %s (code %s)", exc.status, exc.code)
            raise as_delivery_error(exc) from exc
        kind = str(parts[part]["type"])
        person = known.person_id if known else None
        await self.store.record_sent(person, [(wamid, kind)], "reply", self.app.clock.now())
        return []

    async def _first_greeting(self, m: WaMessage, look: FirstLook) -> bool:
        """A first contact that only says hello (or sends no text) gets the welcome.

        Anything with substance — above all an urgent message — is answered as it is."""
        if m.payload is not None or m.located:
            return False
        if m.unsupported or not (m.text or "").strip():
            return True
        if m.text is None or m.text.startswith("/"):
            return False
        nlu = look.nlu or await self.app.conversations.nlu.parse(m.text, quick=True)
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
        await self.inbox.close()
        await self.client.close()

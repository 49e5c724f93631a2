"""The HTTP server: webhooks, health, and the staff site (staffweb/) at /staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from handoff.canned import CannedReplies
from staffweb import bookings, canned, console, contacts, reports, supervise
from staffweb.site import StaffSite

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.whatsapp.channel import WhatsAppChannel

MAX_BODY = 1 << 20


def make_web_app(
    app: App, telegram: TelegramChannel | None = None, whatsapp: WhatsAppChannel | None = None
) -> web.Application:
    web_app = web.Application(client_max_size=MAX_BODY)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        checks = {"database": await app.db.ping()}
        if app.redis is not None:
            try:
                checks["redis"] = bool(await app.redis.ping())
            except Exception:
                checks["redis"] = False
        ok = all(checks.values())
        return web.json_response(
            {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
        )

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    if telegram is not None and app.settings.telegram_mode == "webhook":
        web_app.router.add_post("/telegram/webhook", telegram.on_webhook)
    if whatsapp is not None:
        web_app.router.add_get("/whatsapp/webhook", whatsapp.on_verify)
        web_app.router.add_post("/whatsapp/webhook", whatsapp.on_webhook)
    web_app.add_subapp("/staff", build_staff_site(app).app)
    return web_app


def build_staff_site(app: App) -> StaffSite:
    """The staff site with every page of staffweb/, each handed only the services it uses."""
    site = StaffSite(
        app.staff,
        app.clock,
        app.conversations.engine.texts,  # the staff-* texts beside the person-facing ones
        secure_cookies=app.settings.staff_cookies_secure(),
        public_origin=app.settings.public_origin(),
    )
    services = app.conversations.services
    booking = bookings.BookingServices(
        bookings=services.booking,
        registry=services.registry,
        staff=app.staff,
        clock=app.clock,
        notifier=app.deliveries,
        enter_step=app.conversations.enter_step,
    )
    bookings.setup(site, booking)
    replies = CannedReplies(app.db, app.conversations.engine.texts)
    console.setup(site, app.desk, replies, app.contacts)
    if app.desk is not None:  # the replies are for the console: no console, no page
        canned.setup(site, replies)
    supervise.setup(site, app.desk)
    reports.setup(site, app.db, app.clock, app.staff)
    if app.contacts is not None:
        contacts.setup(site, app.contacts)
    return site

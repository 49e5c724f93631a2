"""The HTTP server: webhooks, health, and (later) staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.telegram.channel import TelegramChannel

MAX_BODY = 1 << 20


def make_web_app(app: App, telegram: TelegramChannel | None = None) -> web.Application:
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
    return web_app

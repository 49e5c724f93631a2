"""The staff site: an aiohttp sub-application mounted at /staff.

Every page is registered with the roles that may open it; the check runs server-side on
every request. Sessions live in the database; the cookie is HttpOnly, SameSite=Strict and
Secure as configured (QAMQOR_PUBLIC_URL; never decided by the Host a request names). Every
unsafe request carries the session's CSRF token. The pages beside this module (bookings.py,
console.py, reports.py) add themselves with `StaffSite.add_page`. Staff-facing texts here are
Russian with the Kazakh beside them.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from aiohttp import web

from core.clock import Clock
from staffweb.auth import AuthError, Busy, LockedOut, Staff, StaffAuth

COOKIE = "qamqor_staff"
LOGIN_CSRF_COOKIE = "qamqor_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HERE = Path(__file__).parent

# Login answers, (ru, kk). The lockout reads the same for every username, real or not.
WRONG = ("Неверное имя или пароль.", "Пайдаланушы аты немесе құпиясөз қате.")
LOCKED = (
    "Слишком много неудачных попыток входа. Попробуйте через 15 минут или попросите "
    "координатора снять блокировку.",
    "Сәтсіз кіру әрекеттері тым көп. 15 минуттан кейін қайталаңыз немесе үйлестірушіден "
    "бұғатты алуды сұраңыз.",
)
BUSY = (
    "Сейчас слишком много попыток входа. Попробуйте через минуту.",
    "Қазір кіру әрекеттері тым көп. Бір минуттан кейін қайталаңыз.",
)
NO_ACCESS = ("Нет доступа к этой странице.", "Бұл бетке кіруге рұқсат жоқ.")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SITE_KEY: web.AppKey[StaffSite] = web.AppKey("staff_site")
STAFF: web.RequestKey[Staff | None] = web.RequestKey("staff")


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: tuple[str, ...]


def site_of(request: web.Request) -> StaffSite:
    return request.app[SITE_KEY]


def current_staff(request: web.Request) -> Staff:
    staff: Staff | None = request.get(STAFF)
    if staff is None:
        raise web.HTTPUnauthorized()
    return staff


class StaffSite:
    def __init__(
        self,
        auth: StaffAuth,
        clock: Clock,
        *,
        secure_cookies: bool = True,
        public_origin: str | None = None,
    ) -> None:
        self.auth = auth
        self.clock = clock
        self.secure_cookies = secure_cookies
        # Behind a proxy the Host header is the proxy's upstream (e.g. 127.0.0.1:8080), so
        # the browser's Origin is checked against the configured public address too.
        self.public_origin = public_origin
        self.nav: list[NavItem] = []
        self._template_dirs: list[jinja2.BaseLoader] = [
            jinja2.PackageLoader("staffweb", "templates")
        ]
        self.app = web.Application(middlewares=[self._headers, self._session, self._csrf])
        self.app[SITE_KEY] = self
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(self._template_dirs), autoescape=True
        )
        self.app.router.add_get("/login", self._login_page)
        self.app.router.add_post("/login", self._login)
        self.app.router.add_post("/logout", self._logout)
        self.app.router.add_static("/static", HERE / "static")
        self.add_page("/", self._home, roles=("consultant", "coordinator", "specialist"))
        self.add_page("/audit", self._audit, roles=("admin",), nav_label="Журнал доступа")
        self.add_page(
            "/users", self._users, roles=("coordinator",), nav_label="Сотрудники · Қызметкерлер"
        )
        self.add_page("/users/unlock", self._unlock, roles=("coordinator",), method="POST")

    # -- registration -------------------------------------------------------------------

    def render(
        self, request: web.Request, template: str, context: dict[str, Any], status: int = 200
    ) -> web.Response:
        """A page from the templates, with the staff member, their menu and CSRF token."""
        staff = request.get(STAFF)
        nav = [n for n in self.nav if staff and staff.may(*n.roles)]
        html = self.env.get_template(template).render(
            staff=staff, nav=nav, csrf=staff.csrf if staff else "", **context
        )
        return web.Response(text=html, content_type="text/html", status=status)

    def error(self, request: web.Request, message: tuple[str, str], status: int) -> web.Response:
        """An error page in Russian with the Kazakh beside it."""
        return self.render(
            request, "error.html", {"message": message[0], "message_kk": message[1]}, status
        )

    def add_page(
        self,
        path: str,
        handler: Handler,
        *,
        roles: Iterable[str],
        method: str = "GET",
        nav_label: str | None = None,
    ) -> None:
        allowed = tuple(roles)

        async def guarded(request: web.Request) -> web.StreamResponse:
            staff = request.get(STAFF)
            if staff is None:
                if method == "GET":
                    raise web.HTTPFound(f"/staff/login?next={quote(request.path_qs)}")
                raise web.HTTPUnauthorized()
            if not staff.may(*allowed):
                return self.error(request, NO_ACCESS, 403)
            return await handler(request)

        self.app.router.add_route(method, path, guarded)
        if nav_label:
            self.nav.append(NavItem("/staff" + path.rstrip("/"), nav_label, allowed))

    # -- middleware ---------------------------------------------------------------------

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin (not no-referrer): browsers then send Origin on our own form posts.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @web.middleware
    async def _session(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        request[STAFF] = await self.auth.session(request.cookies.get(COOKIE), self.clock.now())
        return await handler(request)

    @web.middleware
    async def _csrf(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method in UNSAFE:
            origin = request.headers.get("Origin")
            if (
                origin
                and urlsplit(origin).netloc != request.host
                and origin.rstrip("/") != self.public_origin
            ):
                raise web.HTTPForbidden(text="cross-origin request refused")
            given = request.headers.get("X-CSRF-Token")
            if given is None:
                form = await request.post()
                value = form.get("csrf")
                given = value if isinstance(value, str) else ""
            if request.path.endswith("/login"):
                expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
            else:
                staff = request.get(STAFF)
                expected = staff.csrf if staff else ""
            if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
                raise web.HTTPForbidden(text="missing or wrong CSRF token")
        return await handler(request)

    # -- pages --------------------------------------------------------------------------

    async def _login_page(
        self, request: web.Request, error: tuple[str, str] = ("", ""), status: int = 200
    ) -> web.Response:
        token = secrets.token_urlsafe(24)
        response = self.render(
            request,
            "login.html",
            {
                "login_csrf": token,
                "error": error[0],
                "error_kk": error[1],
                "next": _safe_next(request.query.get("next")),
            },
            status,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookies,
            path="/staff",
        )
        return response

    async def _login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        try:
            token = await self.auth.login(
                username, password, self.clock.now(), client_address(request)
            )
        except LockedOut:
            return await self._login_page(request, LOCKED, 429)
        except Busy:
            response = await self._login_page(request, BUSY, 429)
            response.headers["Retry-After"] = "60"
            return response
        except AuthError:
            return await self._login_page(request, WRONG, 401)
        response = _see_other(_safe_next(str(form.get("next", ""))))
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookies,
            path="/staff",
        )
        response.del_cookie(LOGIN_CSRF_COOKIE, path="/staff")
        return response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        await self.auth.logout(request.cookies.get(COOKIE))
        response = _see_other("/staff/login")
        response.del_cookie(COOKIE, path="/staff")
        return response

    async def _home(self, request: web.Request) -> web.StreamResponse:
        return self.render(request, "home.html", {})

    async def _audit(self, request: web.Request) -> web.StreamResponse:
        events = await self.auth.audit_log()
        return self.render(request, "audit.html", {"events": events})

    async def _users(self, request: web.Request) -> web.StreamResponse:
        accounts = await self.auth.accounts(self.clock.now())
        return self.render(request, "users.html", {"accounts": accounts})

    async def _unlock(self, request: web.Request) -> web.StreamResponse:
        """A coordinator lets a locked-out colleague log in again (written to the audit log)."""
        staff = current_staff(request)
        form = await request.post()
        if not await self.auth.unlock(str(form.get("username", "")), staff, self.clock.now()):
            return self.error(request, NO_ACCESS, 403)
        return _see_other("/staff/users")


def client_address(request: web.Request) -> str:
    """The address login attempts are counted against.

    A forwarded address is believed only from a loopback or private peer (a reverse proxy
    on this host or network), and only its last hop: the address the proxy itself saw.
    IPv6 addresses count per /64, the block one subscriber is usually given.
    """
    peer = request.remote or "-"
    address = peer
    try:
        peer_ip = ipaddress.ip_address(peer)
        if peer_ip.is_loopback or peer_ip.is_private:
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            address = forwarded or request.headers.get("X-Real-IP", "").strip() or peer
        ip = ipaddress.ip_address(address)
    except ValueError:
        return peer
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _safe_next(value: str | None) -> str:
    """Only same-site paths under /staff: never an open redirect."""
    if value and value.startswith("/staff") and not value.startswith("//"):
        return value
    return "/staff/"

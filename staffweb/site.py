"""The staff site: an aiohttp sub-application mounted at /staff.

Every page is registered with the roles that may open it; the check runs server-side on
every request. Sessions live in the database; the cookie is HttpOnly, SameSite=Strict and
Secure as configured (QAMQOR_PUBLIC_URL; never decided by the Host a request names). Every
unsafe request carries the session's CSRF token. The pages beside this module (bookings.py,
console.py, reports.py) add themselves with `StaffSite.add_page`.

Every word on the pages is a `staff-*` Fluent text (dialogues/texts/<lang>/staff_*.ftl), handed
in as `Texts` by the wiring. Each staff member reads the pages in their own language, ru or kk,
chosen in the header and kept in their account row; before sign-in the login page follows a
cookie set by its own switch (docs/staff.md).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from aiohttp import web

from core.clock import Clock
from core.texts import DEFAULT_LANG, LANGS, Said, Texts
from staffweb.auth import ROLES, AuthError, Busy, LockedOut, Staff, StaffAuth

COOKIE = "qamqor_staff"
LOGIN_CSRF_COOKIE = "qamqor_login_csrf"
# The language last chosen in this browser: the login page speaks it (no account known yet).
LANG_COOKIE = "qamqor_staff_lang"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HERE = Path(__file__).parent

# Login answers. The lockout reads the same for every username, real or not.
WRONG, LOCKED, BUSY = "staff-login-wrong", "staff-login-locked", "staff-login-busy"
NO_ACCESS = "staff-no-access"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SITE_KEY: web.AppKey[StaffSite] = web.AppKey("staff_site")
STAFF: web.RequestKey[Staff | None] = web.RequestKey("staff")


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # a text key
    roles: tuple[str, ...]


# A page's text function: key and Fluent arguments -> the words in the reader's language.
Say = Callable[..., str]


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
        texts: Texts,
        *,
        secure_cookies: bool = True,
        public_origin: str | None = None,
    ) -> None:
        self.auth = auth
        self.clock = clock
        self.texts = texts
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
        self.add_page("/lang", self._set_lang, roles=ROLES, method="POST")
        self.add_page("/audit", self._audit, roles=("admin",), nav_label="staff-nav-audit")
        self.add_page("/users", self._users, roles=("coordinator",), nav_label="staff-nav-users")
        self.add_page("/users/unlock", self._unlock, roles=("coordinator",), method="POST")

    # -- language -----------------------------------------------------------------------

    def lang(self, request: web.Request) -> str:
        """The reader's language: the account's choice; before sign-in, the login page's."""
        staff = request.get(STAFF)
        if staff is not None:
            return staff.lang if staff.lang in LANGS else DEFAULT_LANG
        for chosen in (request.query.get("lang"), request.cookies.get(LANG_COOKIE)):
            if chosen in LANGS:
                return chosen
        return DEFAULT_LANG

    def say(self, request: web.Request) -> Say:
        """The text function of this request's reader."""
        lang = self.lang(request)

        def t(key: str, **args: Any) -> str:
            return self.texts.get(lang, key, args)

        return t

    def told(self, request: web.Request, said: Said) -> str:
        """A domain error (`Said`) in the reader's language."""
        return said.say(self.texts, self.lang(request))

    # -- registration -------------------------------------------------------------------

    def render(
        self, request: web.Request, template: str, context: dict[str, Any], status: int = 200
    ) -> web.Response:
        """A page from the templates, with the staff member, their menu, CSRF token and the
        text function `t` in their language."""
        staff = request.get(STAFF)
        nav = [n for n in self.nav if staff and staff.may(*n.roles)]
        html = self.env.get_template(template).render(
            staff=staff,
            nav=nav,
            csrf=staff.csrf if staff else "",
            t=self.say(request),
            lang=self.lang(request),
            ui_langs=LANGS,
            here=request.path_qs,
            **context,
        )
        return web.Response(text=html, content_type="text/html", status=status)

    def error(self, request: web.Request, key: str, status: int, **args: Any) -> web.Response:
        """An error page: the text `key` in the reader's language."""
        return self.render(
            request, "error.html", {"message": self.say(request)(key, **args)}, status
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
                # A page goes to the login; what a page's script reads (…/api/…) answers 401,
                # so that the page can say the session ended (a redirect to the login form
                # would read as a broken answer, and an open case would stop in silence).
                if method == "GET" and "/api/" not in path:
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
        self, request: web.Request, error: str = "", status: int = 200
    ) -> web.Response:
        token = secrets.token_urlsafe(24)
        next_page = _safe_next(request.query.get("next"))
        response = self.render(
            request,
            "login.html",
            {
                "login_csrf": token,
                "error": self.say(request)(error) if error else "",
                "next": next_page,
                "switch": [(code, f"/staff/login?{urlencode({'lang': code, 'next': next_page})}")
                           for code in LANGS],
            },
            status,
        )  # fmt: skip
        chosen = request.query.get("lang")
        if chosen in LANGS:
            self._remember_lang(response, chosen)
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

    def _remember_lang(self, response: web.StreamResponse, lang: str) -> None:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookies,
            path="/staff",
        )

    async def _set_lang(self, request: web.Request) -> web.StreamResponse:
        """The header's ru/kk switch: kept in the account row (and the browser, for the login
        page after sign-out); back to the page it was pressed on."""
        form = await request.post()
        lang = str(form.get("lang", ""))
        if lang not in LANGS:
            raise web.HTTPBadRequest(text="lang must be ru or kk")
        await self.auth.set_lang(current_staff(request), lang)
        response = _see_other(_safe_next(str(form.get("next", ""))))
        self._remember_lang(response, lang)
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

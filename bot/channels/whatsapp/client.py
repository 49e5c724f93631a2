"""A small typed client for the WhatsApp Cloud API (Graph API) over aiohttp.

Why not pywa: its Graph API address is hard-coded (no local fake, no proxy), it disables the
webhook signature check with only a warning when the app secret is missing, and it answered
200 while silently dropping a payload that lacked a newer field. We need five calls; owning
them keeps every failure mode visible and tested (docs/whatsapp.md).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from typing import Any

import aiohttp

from delivery.sendrate import SendBudget

log = logging.getLogger(__name__)

# Graph error codes that mean "later": throughput, pair rate, temporary failures.
RETRYABLE_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056})
WINDOW_CLOSED = 131047  # more than 24 hours since the person's last message


class GraphError(Exception):
    """The Graph API refused a call (after retries, when the failure was retryable)."""

    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"Graph API {status} (code {code}): {message}")
        self.status = status
        self.code = code
        self.message = message

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500 or self.code in RETRYABLE_CODES


class WindowClosed(GraphError):
    """Free-form messages are refused: the 24-hour customer service window is closed."""


class AuthFailed(GraphError):
    """The access token is invalid or expired (code 190) or lacks a permission."""


class WhatsAppClient:
    def __init__(
        self,
        api_base: str,
        phone_id: str,
        token: str,
        *,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        timeout: float = 15.0,
    ) -> None:
        self._url = f"{api_base.rstrip('/')}/{phone_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self.budget: SendBudget | None = None  # messages a second (delivery/sendrate.py)

    # -- messages -----------------------------------------------------------------------

    async def send(self, to: str, message: dict[str, Any]) -> str:
        """Send one message object (text, interactive, template); returns its wamid."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        body.update(message)
        if self.budget is not None:
            await self.budget.acquire()
        data = await self._post(body)
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise GraphError(200, None, "no message id in the response") from exc

    async def send_text(self, to: str, text: str) -> str:
        return await self.send(to, {"type": "text", "text": {"body": text, "preview_url": False}})

    async def send_buttons(self, to: str, body: str, buttons: Sequence[tuple[str, str]]) -> str:
        """Reply buttons as (id, title) pairs."""
        action = {
            "buttons": [{"type": "reply", "reply": {"id": i, "title": t}} for i, t in buttons]
        }
        return await self.send(
            to,
            {
                "type": "interactive",
                "interactive": {"type": "button", "body": {"text": body}, "action": action},
            },
        )

    async def send_list(
        self, to: str, body: str, button: str, sections: Sequence[dict[str, Any]]
    ) -> str:
        action = {"button": button, "sections": list(sections)}
        return await self.send(
            to,
            {
                "type": "interactive",
                "interactive": {"type": "list", "body": {"text": body}, "action": action},
            },
        )

    async def send_template(
        self,
        to: str,
        name: str,
        language: str,
        components: Sequence[dict[str, Any]] = (),
    ) -> str:
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if components:
            template["components"] = list(components)
        return await self.send(to, {"type": "template", "template": template})

    async def mark_read(self, message_id: str) -> None:
        await self._post(
            {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        )

    # -- transport ----------------------------------------------------------------------

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        delay = self._backoff
        for attempt in range(1, self._attempts + 1):
            retry_after: float | None = None
            try:
                session = self._http()
                async with session.post(self._url, json=body, headers=self._headers) as resp:
                    data = await _json(resp)
                    if resp.status < 300:
                        return data
                    error = _error(resp.status, data)
                    if resp.headers.get("Retry-After", "").isdigit():
                        retry_after = float(resp.headers["Retry-After"])
            except (aiohttp.ClientConnectionError, TimeoutError) as exc:
                # A lost message is worse than a rare duplicate on a crisis line: retry.
                error = GraphError(0, None, f"connection failed: {type(exc).__name__}")
                error_retryable = True
            else:
                error_retryable = error.retryable
            if not error_retryable or attempt == self._attempts:
                raise error
            wait = min(self._max_backoff, retry_after if retry_after is not None else delay)
            log.warning(
                "Graph API %s (code %s); retry %d in %.1fs", error.status, error.code, attempt, wait
            )
            await asyncio.sleep(wait * (0.8 + 0.4 * random.random()))
            delay = min(self._max_backoff, delay * 2)
        raise AssertionError("unreachable")

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


async def _json(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        data = await resp.json(content_type=None)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _error(status: int, data: dict[str, Any]) -> GraphError:
    err = data.get("error") if isinstance(data.get("error"), dict) else {}
    assert isinstance(err, dict)
    code = err.get("code")
    code = code if isinstance(code, int) else None
    message = str(err.get("message") or f"HTTP {status}")[:300]
    if code == WINDOW_CLOSED:
        return WindowClosed(status, code, message)
    if code == 190 or status == 401:
        return AuthFailed(status, code, message)
    return GraphError(status, code, message)

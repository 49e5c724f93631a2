"""sendMessage without aiogram's models: the hot path of every reply.

aiogram builds a pydantic request model, encodes it as a form, and validates the answer into
a Message model (generic response classes included); a profile of the bot under load put
that at a third of the cost of a reply. A reply needs none of it: one JSON POST, and the new
message's id from the answer. Failures map to the outbox's Retry / Permanent exactly as
`errors.as_delivery_error` maps aiogram's exceptions.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from delivery.courier import Permanent, Retry
from delivery.sendrate import SendBudget

# What the Bot API answers for a request that can never succeed as it is.
PERMANENT_CODES = {400, 403, 404, 413}


class MessageSender:
    def __init__(self, api_base: str, token: str) -> None:
        self._url = f"{api_base.rstrip('/')}/bot{token}/sendMessage"
        self._http: aiohttp.ClientSession | None = None
        self.budget: SendBudget | None = None  # messages a second (delivery/sendrate.py)

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def send(
        self, chat_id: int, text: str, markup: dict[str, Any] | None, timeout_s: float
    ) -> int:
        """The sent message's id; raises Retry or Permanent."""
        body: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if markup:
            body["reply_markup"] = markup
        if self.budget is not None:
            await self.budget.acquire(chat_id)
        try:
            async with self._session().post(
                self._url, json=body, timeout=aiohttp.ClientTimeout(total=timeout_s)
            ) as resp:
                status = resp.status
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise Retry(type(exc).__name__) from exc
        if not isinstance(data, dict):
            raise Retry(f"HTTP {status}: not a Bot API answer")
        if data.get("ok") is True:
            return int(data["result"]["message_id"])
        code = int(data.get("error_code") or status)
        params = data.get("parameters") or {}
        described = f"{code}: {str(data.get('description', ''))[:120]}"
        if code == 429:
            return_after = params.get("retry_after")
            raise Retry("429 Too Many Requests", after=float(return_after or 1))
        if code in PERMANENT_CODES or "migrate_to_chat_id" in params:
            raise Permanent(described)
        raise Retry(described)  # 5xx, a token being fixed (401), a conflict

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

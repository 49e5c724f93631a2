"""Request bodies read whole, and JSON that cannot hurt what reads it (SECURITY.md).

`request.content.read(n)` returns what has arrived so far, not the whole body: a body that
came in several TCP segments was cut. `read_body` reads to the end, never more than the limit.

`loads` parses JSON for code that stores or validates it: nesting is bounded (a deep document
would exhaust the recursion of the parser, of pydantic or of `json.dumps` later), integers
must fit in a signed 64-bit column (Telegram's ids do; a bigger one would fail in PostgreSQL's
BIGINT), and lone UTF-16 surrogates (valid JSON, invalid UTF-8) become U+FFFD, so that every
text can be encrypted and stored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

MAX_DEPTH = 32  # real Telegram updates and Meta payloads nest about 10 deep
INT64 = 1 << 63
_SURROGATE = re.compile("[\ud800-\udfff]")


class TooLarge(Exception):
    """The body is larger than the limit (refuse with 413)."""


class BadJson(ValueError):
    """Not JSON, or JSON outside what the service accepts (refuse with 400)."""


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, however many pieces it arrived in; `TooLarge` beyond `limit` bytes
    (announced or actual: a chunked body has no Content-Length)."""
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge
    buf = bytearray()
    while chunk := await request.content.read(limit + 1 - len(buf)):
        buf += chunk
        if len(buf) > limit:
            raise TooLarge
    return bytes(buf)


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse, then check depth and integer ranges and clean surrogates; `BadJson` if refused."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested beyond the parser
        raise BadJson("malformed JSON") from exc
    return _clean(data, max_depth)


def clean_text(text: str) -> str:
    """Lone surrogates (from JSON escapes like \\ud800) replaced: the text encodes to UTF-8."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _clean(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if not -INT64 <= value < INT64:
            raise BadJson("an integer out of range")
        return value
    if depth <= 0:
        raise BadJson("nested too deep")
    if isinstance(value, list):
        return [_clean(v, depth - 1) for v in value]
    return {clean_text(k): _clean(v, depth - 1) for k, v in value.items()}


async def read_json(request: web.Request, limit: int) -> dict[str, Any]:
    """A staff endpoint's JSON object, read whole (empty body: {}); 413 or 400 otherwise."""
    try:
        raw = await read_body(request, limit)
    except TooLarge:
        raise web.HTTPRequestEntityTooLarge(
            max_size=limit, actual_size=request.content_length or limit + 1
        ) from None
    try:
        data = loads(raw or b"{}")
    except BadJson as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="a JSON object is expected")
    return data

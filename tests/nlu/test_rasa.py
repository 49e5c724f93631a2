"""The Rasa backend against a real local HTTP server (aiohttp.web on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web

from nlu.pipeline import NluPipeline, RasaPipeline, load_pipeline

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def fake_rasa() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_post("/model/parse", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    yield start
    for r in runners:
        await r.cleanup()


def _rasa(pipe: NluPipeline, url: str, timeout_s: float = 0.5) -> RasaPipeline:
    return RasaPipeline(url, pipe, timeout_s=timeout_s)


async def test_intent_from_rasa(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    async def handler(req: web.Request) -> web.StreamResponse:
        seen.append((await req.json())["text"])
        return web.json_response(
            {"text": "x", "intent": {"name": "shelter", "confidence": 0.91}, "entities": []}
        )

    rasa = _rasa(pipe, await fake_rasa(handler))
    try:
        r = await rasa.parse("муж опять пьяный ломает дверь, я с детьми в ванной")
    finally:
        await rasa.aclose()
    assert seen == ["муж опять пьяный ломает дверь, я с детьми в ванной"]
    assert r.intent == "shelter"
    assert r.scores["rasa_intent"] == {"shelter": 0.91}
    # lang, role and urgency stay local
    assert (r.lang, r.role, r.urgent) == ("ru", "victim", True)


async def _fallback_case(fake_rasa, pipe: NluPipeline, handler: Handler) -> None:  # type: ignore[no-untyped-def]
    rasa = _rasa(pipe, await fake_rasa(handler), timeout_s=0.3)
    text = "хочу записаться к психологу на следующей неделе"
    try:
        r = await rasa.parse(text)
    finally:
        await rasa.aclose()
    assert r == await pipe.parse(text)  # exactly the built-in result


async def test_server_error_falls_back(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.StreamResponse:
        return web.Response(status=500, text="boom")

    await _fallback_case(fake_rasa, pipe, handler)


async def test_bad_json_falls_back(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.StreamResponse:
        return web.Response(text="{not json", content_type="application/json")

    await _fallback_case(fake_rasa, pipe, handler)


async def test_wrong_shape_falls_back(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.StreamResponse:
        return web.json_response({"intent": None})

    await _fallback_case(fake_rasa, pipe, handler)


async def test_unknown_intent_falls_back(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.StreamResponse:
        return web.json_response({"intent": {"name": "nlu_fallback", "confidence": 0.3}})

    await _fallback_case(fake_rasa, pipe, handler)


async def test_timeout_falls_back(fake_rasa, pipe: NluPipeline) -> None:  # type: ignore[no-untyped-def]
    async def handler(req: web.Request) -> web.StreamResponse:
        await asyncio.sleep(2)
        return web.json_response({"intent": {"name": "greet", "confidence": 1.0}})

    loop = asyncio.get_running_loop()
    t = loop.time()
    await _fallback_case(fake_rasa, pipe, handler)
    assert loop.time() - t < 1.5


async def test_server_down_falls_back(pipe: NluPipeline) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rasa = _rasa(pipe, f"http://127.0.0.1:{port}")
    try:
        r = await rasa.parse("Здравствуйте")
    finally:
        await rasa.aclose()
    assert r.intent == "greet"


async def test_load_pipeline_backends() -> None:
    assert isinstance(load_pipeline(), NluPipeline)
    rasa = load_pipeline("rasa", rasa_url="http://127.0.0.1:9")
    assert isinstance(rasa, RasaPipeline)
    await rasa.aclose()
    with pytest.raises(ValueError):
        load_pipeline("rasa")
    with pytest.raises(ValueError):
        load_pipeline("spacy")

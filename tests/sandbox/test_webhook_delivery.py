"""While a webhook is set, the sandbox POSTs each update to it (to this machine only) with Telegram's
secret header, in order, dropping an update only once the receiver answered 2xx."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from sandbox import Sandbox
from tests.sandbox.support import AN, BotClient


class Receiver:
    """A stand-in for the service's webhook route: records what arrives, answers `status`."""

    def __init__(self) -> None:
        self.status = 200
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        self.arrived.set()
        return web.Response(status=self.status)

    async def next(self) -> tuple[str | None, dict[str, Any]]:
        await asyncio.wait_for(self.arrived.wait(), 5)
        self.arrived.clear()
        return self.received[-1]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/webhook/telegram", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield found, f"http://127.0.0.1:{sock.getsockname()[1]}/webhook/telegram"
    finally:
        await runner.cleanup()


async def test_updates_are_posted_with_the_secret_header(
    bot: BotClient, sandbox: Sandbox, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    assert await bot.ok("setWebhook", url=url, secret_token="bi-mat_1") is True
    sandbox.send(AN, "đã xong, đạt 100%")
    secret, update = await hook.next()
    assert secret == "bi-mat_1"
    assert update["message"]["text"] == "đã xong, đạt 100%"
    assert update["message"]["from"]["id"] == AN
    await sandbox.wait_until(lambda: True if not sandbox.pending_updates else None)
    info = await bot.ok("getWebhookInfo")
    assert (info["url"], info["pending_update_count"]) == (url, 0)


async def test_a_refused_update_stays_queued_and_comes_again(
    bot: BotClient, sandbox: Sandbox, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    sandbox.api.webhook_retry_seconds = 0.01
    hook.status = 401
    await bot.ok("setWebhook", url=url, secret_token="bi-mat_1")
    sandbox.send(AN, "vướng kinh phí")
    _, first = await hook.next()
    info = await bot.ok("getWebhookInfo")
    assert info["pending_update_count"] == 1
    assert info["last_error_message"] == "Wrong response from the webhook: 401 Unauthorized"
    hook.status = 200
    while True:  # the failed attempts repeat until the receiver takes it
        _, again = await hook.next()
        if not sandbox.pending_updates:
            break
    assert again == first
    assert "last_error_message" not in await bot.ok("getWebhookInfo")


async def test_get_updates_conflicts_while_set_and_works_after_delete(
    bot: BotClient, sandbox: Sandbox, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    await bot.ok("setWebhook", url=url, secret_token="bi-mat_1")
    status, body = await bot.error("getUpdates")
    assert status == 409
    assert body["description"].startswith("Conflict: can't use getUpdates method while webhook is active")
    await bot.ok("deleteWebhook")
    sandbox.send(AN, "xong rồi")
    assert [u["message"]["text"] for u in await bot.ok("getUpdates")] == ["xong rồi"]
    assert hook.received == []


async def test_only_loopback_may_use_plain_http(bot: BotClient) -> None:
    _, body = await bot.error("setWebhook", url="http://nhacviec.example.vn:8081/webhook/telegram")
    assert body["description"] == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    assert await bot.ok("setWebhook", url="http://localhost:8081/webhook/telegram") is True

"""The Zalo Bot API client: requests, the answer envelope as typed errors, and a token that never shows."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from bot.platforms.zalo.api import DEFAULT_BASE_URL, ZaloApi, ZaloApiError, ZaloNetworkError, ZaloTimeout
from nhacviec.logs import make_handler
from nhacviec.settings import ZALO_BASE_URL
from tests.platforms.zalo.fake_zalo import BOT_CHAT, TOKEN, FakeZalo, text_update


async def test_a_method_is_posted_as_json_to_the_token_path() -> None:
    seen: list[httpx.Request] = []

    def platform(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": {"message_id": "82599fa32f56d00e8941", "date": 1}})

    api = ZaloApi(TOKEN, base_url=DEFAULT_BASE_URL, client=httpx.AsyncClient(transport=httpx.MockTransport(platform)))
    assert await api.send_message(BOT_CHAT, "Xin chào") == "82599fa32f56d00e8941"
    request = seen[0]
    assert (request.method, str(request.url)) == ("POST", f"https://bot-api.zaloplatforms.com/bot{TOKEN}/sendMessage")
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"chat_id": "e4ea2cd5189df1c3a88c", "text": "Xin chào"}


def test_the_settings_default_base_url_is_the_clients() -> None:
    assert ZALO_BASE_URL == DEFAULT_BASE_URL == "https://bot-api.zaloplatforms.com/bot"


async def test_get_updates_gives_the_one_update_zalo_answers() -> None:
    zalo = FakeZalo()
    zalo.deliver(text_update("xong rồi"))
    assert await zalo.api().get_updates(30) == [text_update("xong rồi")]
    assert zalo.calls[0].body == {"timeout": "30"}


async def test_get_updates_gives_nothing_on_408() -> None:
    assert await FakeZalo().api().get_updates(30) == []


async def test_a_refusal_is_an_api_error_with_its_code_and_description() -> None:
    zalo = FakeZalo()
    zalo.fail("sendMessage", 400, "Bad Request: text is too long")
    with pytest.raises(ZaloApiError) as raised:
        await zalo.api().send_message(BOT_CHAT, "x" * 2001)
    assert (raised.value.error_code, raised.value.retry_after) == (400, None)
    assert str(raised.value) == "sendMessage: 400 Bad Request: text is too long"


async def test_the_envelope_code_wins_over_the_http_status() -> None:
    zalo = FakeZalo()
    body = {"ok": False, "error_code": 403, "description": "Forbidden: user blocked the bot"}
    zalo.answer("sendMessage", lambda _request: httpx.Response(200, json=body))
    with pytest.raises(ZaloApiError) as raised:
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")
    assert raised.value.error_code == 403


@pytest.mark.parametrize(
    ("extra", "headers", "seconds"),
    [
        ({"parameters": {"retry_after": 7}}, {}, 7.0),
        ({"retry_after": "12"}, {}, 12.0),
        ({}, {"Retry-After": "20"}, 20.0),
        ({}, {}, None),
    ],
)
async def test_a_429_carries_the_wait_it_names(
    extra: dict[str, object], headers: dict[str, str], seconds: float | None
) -> None:
    zalo = FakeZalo()
    body = {"ok": False, "error_code": 429, "description": "Too Many Requests", **extra}
    zalo.answer("sendMessage", lambda _request: httpx.Response(429, json=body, headers=headers))
    with pytest.raises(ZaloApiError) as raised:
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")
    assert (raised.value.error_code, raised.value.retry_after) == (429, seconds)


async def test_a_gateway_page_is_an_api_error_with_the_http_status() -> None:
    zalo = FakeZalo()
    zalo.answer("sendMessage", lambda _request: httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(ZaloApiError) as raised:
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")
    assert raised.value.error_code == 502


async def test_an_answer_that_is_not_the_envelope_is_a_network_error() -> None:
    zalo = FakeZalo()
    zalo.answer("sendMessage", lambda _request: httpx.Response(200, text="captive portal"))
    with pytest.raises(ZaloNetworkError) as raised:
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")
    assert str(raised.value) == "sendMessage: HTTP 200: not a Bot API answer"


async def test_a_timeout_is_a_zalo_timeout() -> None:
    zalo = FakeZalo()
    zalo.raise_("sendMessage", httpx.ReadTimeout)
    with pytest.raises(ZaloTimeout):
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")


# ---- the token -----------------------------------------------------------------------------------------


def test_the_token_is_not_in_the_clients_repr() -> None:
    assert repr(FakeZalo().api()) == "ZaloApi(base_url='https://bot-api.zaloplatforms.com/bot')"


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_a_network_error_does_not_show_the_token(error: type[httpx.TransportError]) -> None:
    zalo = FakeZalo()
    zalo.raise_("sendMessage", error)  # the fake's exception text holds the request URL, token and all
    with pytest.raises(ZaloNetworkError) as raised:
        await zalo.api().send_message(BOT_CHAT, "Nhắc việc")
    assert TOKEN not in str(raised.value)
    assert "<token>" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


async def test_a_description_echoing_the_token_is_redacted() -> None:
    zalo = FakeZalo()
    zalo.fail("getMe", 404, f"Not Found: bot{TOKEN}")
    with pytest.raises(ZaloApiError) as raised:
        await zalo.api().get_me()
    assert str(raised.value) == "getMe: 404 Not Found: bot<token>"


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG by any logger, through the service's handler and its secrets filter."""
    stream = io.StringIO()
    handler = make_handler(stream, secrets=[TOKEN])
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_no_log_line_shows_the_token_at_debug(debug_log: io.StringIO) -> None:
    zalo = FakeZalo()
    zalo.deliver(text_update("đã trình lãnh đạo Sở"))
    zalo.fail("sendMessage", 500, "Internal Server Error")
    zalo.raise_("setWebhook", httpx.ConnectError)
    api = zalo.api()
    await api.get_updates(30)
    with pytest.raises(ZaloApiError):
        await api.send_message(BOT_CHAT, "Đã ghi nhận")
    await api.send_message(BOT_CHAT, "Đã ghi nhận")
    with pytest.raises(ZaloNetworkError):
        await api.set_webhook("https://nhacviec.example.gov.vn/webhook/zalo", "bi-mat-cua-so-KHCN")
    logged = debug_log.getvalue()
    assert "HTTP Request: POST https://bot-api.zaloplatforms.com/bot<redacted>/sendMessage" in logged
    assert TOKEN not in logged

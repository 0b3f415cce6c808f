"""Zalo's Bot API, served beside Telegram's: `POST /zalo/bot<token>/<method>` with a JSON body (any token).

A client posts to `{Sandbox.zalo_base_url}{token}/{method}`, e.g.
`http://127.0.0.1:8080/zalo/bot1459232241454765289:abc/sendMessage`, where Zalo itself has
`https://bot-api.zaloplatforms.com/bot<token>/<method>`. GET, query strings and form bodies are
read too; an empty body is `{}`.

The shapes follow the shared platforms.md ("Zalo Bot API") and Zalo's documented samples: answers
are `{"ok": true, "result": …}` (sendChatAction answers `{"ok": true}` alone, as documented) or
`{"ok": false, "error_code": N, "description": "…"}`. Zalo documents no error texts, so the
descriptions here are the sandbox's, worded like Telegram's (which Zalo's API copies):

    400 Bad Request: chat_id is empty | chat not found | text is empty |
        text must be at most 2000 characters (UTF-16 code units) | …
    403 Forbidden: the user has blocked the bot | the user has not chatted with the bot yet
    408 Request timeout              getUpdates waited and nothing came
    409 Conflict: can't use getUpdates while a webhook is set; call deleteWebhook first
    429 Too Many Requests: retry after N      (and an HTTP `Retry-After: N` header)
    500 Internal Server Error (JSON); 502/503/504 an HTML page from a proxy

Methods: getMe; getUpdates (`{"timeout": "30"}`: one update per answer, no offset, 408 when the
wait runs out; the wait is capped by `ZaloLimits.poll_wait_seconds`); setWebhook (`url`,
`secret_token` of 8–256 visible ASCII characters; every update is then POSTed there with the header
`X-Bot-Api-Secret-Token`, only to this machine, retried until a 2xx); deleteWebhook; getWebhookInfo;
sendMessage (`chat_id`, `text`: plain text, no buttons, no reply-to); sendPhoto (`photo`: a URL,
optional `caption`); sendSticker (`sticker`); sendChatAction (`action`: typing or upload_photo).

Limits are `ZaloLimits` (Zalo publishes none); faults come from this side's own `Faults`, hitting
sendMessage, sendPhoto and sendSticker unless told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web

from sandbox.formatting import utf16_length
from sandbox.limits import ChatKind, Delay, Faults, RateLimiter, ServerError, Throttle, ZaloLimits
from sandbox.state import JSON, ApiError
from sandbox.telegram_api import LOOPBACK_WEBHOOK, PHRASES, PROXY_PAGE, Exchange
from sandbox.zalo_state import WebhookCall, ZaloChat, ZaloState, milliseconds

SECRET_HEADER = "X-Bot-Api-Secret-Token"
METHODS = (
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendSticker",
    "sendChatAction",
)
CANONICAL = {name.lower(): name for name in METHODS}
CHAT_ACTIONS = frozenset({"typing", "upload_photo"})
SECRET_TOKEN = re.compile(r"^[\x21-\x7e]{8,256}$")
DEFAULT_POLL_TIMEOUT = 30.0
WEBHOOK_RETRY_SECONDS = 1.0


class RetryLater(ApiError):
    """A 429: the envelope has no `parameters` on Zalo, so the wait also goes in a Retry-After header."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(429, f"Too Many Requests: retry after {retry_after}")
        self.retry_after = retry_after


class _Acknowledged:
    """sendChatAction's answer: `{"ok": true}` with no result."""


ACKNOWLEDGED = _Acknowledged()
Handler = Callable[[JSON], Awaitable[Any]]


class ZaloApi:
    """The Zalo Bot API server side. `limits` may be replaced at run time (`set_limits`)."""

    def __init__(
        self,
        zalo: ZaloState,
        *,
        limits: ZaloLimits,
        faults: Faults,
        ticker: Callable[[], float] = time.monotonic,
        max_exchanges: int = 10_000,
    ) -> None:
        self.zalo = zalo
        self.limits = limits
        self.limiter = RateLimiter(limits)
        self.faults = faults
        self.ticker = ticker
        self.exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self.closing = asyncio.Event()
        self.webhook_retry_seconds = WEBHOOK_RETRY_SECONDS
        self.first_poll_at: float | None = None
        self._delivery: asyncio.Task[None] | None = None
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendSticker": self._send_sticker,
            "sendChatAction": self._send_chat_action,
        }

    def set_limits(self, limits: ZaloLimits) -> None:
        self.limits = limits
        self.limiter = RateLimiter(limits)

    def routes(self) -> list[web.RouteDef]:
        return [web.route("*", "/zalo/bot{token}/{method}", self.handle)]

    # ---- HTTP plumbing --------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        name = CANONICAL.get(request.match_info["method"].lower())
        if name is None:
            return self._finish(request.match_info["method"], {}, ApiError(404, "Not Found"))
        try:
            params = await _read_request(request)
        except ApiError as error:
            return self._finish(name, {}, error)
        fault = self.faults.decide(name, self.ticker())
        if isinstance(fault, Throttle):
            return self._finish(name, params, RetryLater(fault.retry_after))
        if isinstance(fault, ServerError):
            return self._server_error(name, params, fault.status)
        if isinstance(fault, Delay) and not fault.deliver:
            await self._sleep(fault.seconds)
            return self._server_error(name, params, 504)
        try:
            outcome: Any = await self._handlers[name](params)
        except ApiError as error:
            outcome = error
        if isinstance(fault, Delay):
            await self._sleep(fault.seconds)
        return self._finish(name, params, outcome)

    def _finish(self, method: str, params: JSON, outcome: Any) -> web.Response:
        headers: dict[str, str] = {}
        if isinstance(outcome, ApiError):
            status, body = outcome.code, outcome.body()
            if isinstance(outcome, RetryLater):
                headers["Retry-After"] = str(outcome.retry_after)
        elif outcome is ACKNOWLEDGED:
            status, body = 200, {"ok": True}
        else:
            status, body = 200, {"ok": True, "result": outcome}
        self.exchanges.append(Exchange(method, params, status, body, self.ticker()))
        return web.Response(
            status=status,
            text=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            headers=headers,
        )

    def _server_error(self, method: str, params: JSON, status: int) -> web.Response:
        phrase = PHRASES.get(status, "Server Error")
        if ServerError(status).json_body:
            return self._finish(method, params, ApiError(status, phrase))
        # A gateway in front of the API answers these, with a page rather than the JSON envelope.
        self.exchanges.append(Exchange(method, params, status, None, self.ticker()))
        return web.Response(
            status=status, text=PROXY_PAGE.format(status=status, phrase=phrase), content_type="text/html"
        )

    async def _sleep(self, seconds: float) -> None:
        # Stopping the sandbox cuts a wait short, so shutdown never waits for a fault to run out.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)

    # ---- shared checks --------------------------------------------------------------------------

    def _chat(self, params: JSON) -> ZaloChat:
        wanted = params.get("chat_id")
        if wanted is None or wanted == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self.zalo.chats.get(str(wanted)) if isinstance(wanted, str | int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _can_write(self, chat: ZaloChat) -> None:
        if chat.person_id in self.zalo.blocked:
            raise ApiError(403, "Forbidden: the user has blocked the bot")
        if chat.person_id not in self.zalo.started:
            raise ApiError(403, "Forbidden: the user has not chatted with the bot yet")

    def _take_slot(self, chat: ZaloChat) -> None:
        kind = ChatKind.PRIVATE if chat.chat_type == "PRIVATE" else ChatKind.GROUP
        retry_after = self.limiter.acquire(chat.id, kind, self.ticker())
        if retry_after is not None:
            raise RetryLater(retry_after)

    def _text(self, params: JSON, name: str, *, required: bool) -> str:
        value = params.get(name)
        if value is None or value == "":
            if required:
                raise ApiError(400, f"Bad Request: {name} is empty")
            return ""
        if not isinstance(value, str):
            raise ApiError(400, f"Bad Request: {name} must be a string")
        # Zalo does not say how it counts; a Java or JavaScript server counts UTF-16 code units, the
        # stricter reading (an emoji outside the BMP counts twice), so the sandbox counts those.
        if utf16_length(value) > self.limits.text_length:
            raise ApiError(400, f"Bad Request: {name} must be at most {self.limits.text_length} characters")
        return value

    def _sent(self, chat: ZaloChat, *, text: str = "", photo: str | None = None, sticker: str | None = None) -> JSON:
        self._can_write(chat)
        self._take_slot(chat)
        message = self.zalo.bot_sends(chat, text=text, photo=photo, sticker=sticker)
        return {"message_id": message.message_id, "date": milliseconds(message.date)}

    def _now_ms(self) -> int:
        return milliseconds(self.zalo.state.clock.now())

    # ---- methods --------------------------------------------------------------------------------

    async def _get_me(self, params: JSON) -> JSON:
        return {
            "id": self.zalo.bot_id,
            "account_name": self.zalo.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _get_updates(self, params: JSON) -> JSON:
        if self.first_poll_at is None:
            self.first_poll_at = self.ticker()
        zalo = self.zalo
        if zalo.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates while a webhook is set; call deleteWebhook first")
        timeout = _poll_timeout(params.get("timeout"))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(timeout, self.limits.poll_wait_seconds)
        while True:
            update = zalo.take_update()
            if update is not None:
                return update
            if self.closing.is_set() or loop.time() >= deadline:
                raise ApiError(408, "Request timeout")
            changed = asyncio.ensure_future(zalo.state.changed().wait())
            closing = asyncio.ensure_future(self.closing.wait())
            try:
                await asyncio.wait(
                    {changed, closing}, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                changed.cancel()
                closing.cancel()

    async def _set_webhook(self, params: JSON) -> JSON:
        url = params.get("url")
        if not isinstance(url, str) or not url:
            raise ApiError(400, "Bad Request: url is empty")
        loopback = LOOPBACK_WEBHOOK.match(url) is not None
        if not loopback and not url.lower().startswith("https://"):
            raise ApiError(400, "Bad Request: url must be an HTTPS URL")
        secret = params.get("secret_token")
        if not isinstance(secret, str) or not SECRET_TOKEN.match(secret):
            raise ApiError(400, "Bad Request: secret_token must be 8 to 256 visible ASCII characters")
        self.zalo.webhook = {"url": url, "secret_token": secret}
        self.zalo.webhook_updated_at = self._now_ms()
        if loopback and (self._delivery is None or self._delivery.done()):
            self._delivery = asyncio.create_task(self._deliver_updates(), name="sandbox zalo webhook delivery")
        self.zalo.state.notify()
        return {"url": url, "updated_at": self.zalo.webhook_updated_at}

    async def _delete_webhook(self, params: JSON) -> JSON:
        self.zalo.webhook = None
        self.zalo.webhook_updated_at = self._now_ms()
        self.zalo.state.notify()  # the delivery task sees the webhook gone and ends
        return {"url": "", "updated_at": self.zalo.webhook_updated_at}

    async def _get_webhook_info(self, params: JSON) -> JSON:
        hook = self.zalo.webhook or {}
        return {"url": hook.get("url", ""), "updated_at": self.zalo.webhook_updated_at}

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._chat(params)
        return self._sent(chat, text=self._text(params, "text", required=True))

    async def _send_photo(self, params: JSON) -> JSON:
        chat = self._chat(params)
        photo = self._text(params, "photo", required=True)
        if not photo.lower().startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: photo must be an http(s) URL")
        return self._sent(chat, text=self._text(params, "caption", required=False), photo=photo)

    async def _send_sticker(self, params: JSON) -> JSON:
        chat = self._chat(params)
        return self._sent(chat, sticker=self._text(params, "sticker", required=True))

    async def _send_chat_action(self, params: JSON) -> _Acknowledged:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: action must be typing or upload_photo")
        self._can_write(chat)
        chat.last_action = str(action)
        return ACKNOWLEDGED

    # ---- webhook delivery -----------------------------------------------------------------------

    async def _deliver_updates(self) -> None:
        """While a loopback webhook is set: POST the pending updates there one at a time, in order, with
        the secret header; an update leaves the queue only on a 2xx answer. Every call is recorded."""
        zalo = self.zalo
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while zalo.webhook is not None and not self.closing.is_set():
                hook = zalo.webhook
                if not zalo.updates or LOOPBACK_WEBHOOK.match(str(hook["url"])) is None:
                    await self._next_change()
                    continue
                update = zalo.updates[0]
                secret = str(hook["secret_token"])
                status: int | None = None
                try:
                    async with session.post(str(hook["url"]), json=update, headers={SECRET_HEADER: secret}) as answer:
                        status = answer.status
                        failure = None if 200 <= status < 300 else f"{status} {answer.reason}"
                except (aiohttp.ClientError, TimeoutError) as error:
                    failure = f"Connection failed: {type(error).__name__}"
                zalo.webhook_calls.append(WebhookCall(zalo.state.clock.now(), update, secret, status, failure))
                if failure is None:
                    zalo.acknowledge(update)
                else:
                    zalo.state.notify()
                    await self._sleep(self.webhook_retry_seconds)

    async def _next_change(self) -> None:
        changed = asyncio.ensure_future(self.zalo.state.changed().wait())
        closing = asyncio.ensure_future(self.closing.wait())
        try:
            await asyncio.wait({changed, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            changed.cancel()
            closing.cancel()

    async def stop_delivery(self) -> None:
        task, self._delivery = self._delivery, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _poll_timeout(value: object) -> float:
    """getUpdates' `timeout`: seconds as a string (Zalo's documented form) or a number; default 30."""
    if value is None or value == "":
        return DEFAULT_POLL_TIMEOUT
    if isinstance(value, bool):
        raise ApiError(400, "Bad Request: invalid timeout")
    try:
        seconds = float(value) if isinstance(value, int | float | str) else -1.0
    except ValueError as error:
        raise ApiError(400, "Bad Request: invalid timeout") from error
    if not 0 <= seconds <= 3600:
        raise ApiError(400, "Bad Request: invalid timeout")
    return seconds


async def _read_request(request: web.Request) -> JSON:
    """The parameters: the query string, then a JSON object body (or a form) on top."""
    params: JSON = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
        return params
    text = await request.text()
    if not text.strip():
        return params
    try:
        body = json.loads(text)
    except ValueError as error:
        raise ApiError(400, "Bad Request: can't parse JSON request") from error
    if not isinstance(body, dict):
        raise ApiError(400, "Bad Request: can't parse JSON request")
    params.update(body)
    return params


__all__ = ["CANONICAL", "METHODS", "SECRET_HEADER", "ZaloApi"]

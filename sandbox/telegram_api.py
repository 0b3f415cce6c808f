"""The Bot API routes: `/bot<token>/<method>` (any token) and `/file/bot<token>/<path>`.

Requests come as Telegram accepts them: query string, form-urlencoded, JSON or multipart (where
objects such as `reply_markup` arrive as JSON text and numbers as strings, which python-telegram-bot
relies on). Answers carry Telegram's envelope and, for the failures worth reproducing, Telegram's
own descriptions. Every exchange is kept in `BotApi.exchanges` so tests can check the traffic
against an independent description of the API (aiogram's models).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

import aiohttp
from aiohttp import web

from sandbox.formatting import (
    ENTITY_TYPES,
    EntityParseError,
    FormattedText,
    add_detected,
    check_link,
    parse_html,
    sort_entities,
    trim,
    utf16_length,
)
from sandbox.images import image_size
from sandbox.limits import ChatKind, Delay, Faults, Limits, RateLimiter, ServerError, Throttle
from sandbox.state import JSON, ApiError, SandboxState, SimChat, SimMessage, StoredFile

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})
SCOPES = frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}) | SCOPES_WITH_CHAT
# nginx answers Telegram's 502/503/504, with a page rather than the JSON envelope.
PROXY_PAGE = "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
# Telegram's header carrying setWebhook's secret_token on every delivery.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The sandbox posts updates only to this machine (tests never reach the internet); there plain http
# on any port is allowed, as a reverse proxy in front of the service would terminate TLS.
LOOPBACK_WEBHOOK = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", re.IGNORECASE)
WEBHOOK_RETRY_SECONDS = 1.0
PHRASES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}


class P(Enum):
    """How a parameter is read from a request (form values are all text)."""

    INT = auto()
    STR = auto()
    BOOL = auto()
    JSON = auto()
    FILE = auto()
    CHAT = auto()


_SEND = {
    "business_connection_id": P.STR,
    "chat_id": P.CHAT,
    "message_thread_id": P.INT,
    "direct_messages_topic_id": P.INT,
    "disable_notification": P.BOOL,
    "protect_content": P.BOOL,
    "allow_paid_broadcast": P.BOOL,
    "message_effect_id": P.STR,
    "suggested_post_parameters": P.JSON,
    "reply_parameters": P.JSON,
    "reply_to_message_id": P.INT,
    "allow_sending_without_reply": P.BOOL,
    "reply_markup": P.JSON,
}
_EDIT = {
    "business_connection_id": P.STR,
    "chat_id": P.CHAT,
    "message_id": P.INT,
    "inline_message_id": P.STR,
    "reply_markup": P.JSON,
}
_COMMANDS_SCOPE = {"scope": P.JSON, "language_code": P.STR}
SPECS: dict[str, dict[str, P]] = {
    "getMe": {},
    "logOut": {},
    "close": {},
    "getUpdates": {"offset": P.INT, "limit": P.INT, "timeout": P.INT, "allowed_updates": P.JSON},
    "setWebhook": {
        "url": P.STR,
        "certificate": P.FILE,
        "ip_address": P.STR,
        "max_connections": P.INT,
        "allowed_updates": P.JSON,
        "drop_pending_updates": P.BOOL,
        "secret_token": P.STR,
    },
    "deleteWebhook": {"drop_pending_updates": P.BOOL},
    "getWebhookInfo": {},
    "setMyCommands": {"commands": P.JSON, **_COMMANDS_SCOPE},
    "getMyCommands": dict(_COMMANDS_SCOPE),
    "deleteMyCommands": dict(_COMMANDS_SCOPE),
    "sendMessage": {
        **_SEND,
        "text": P.STR,
        "parse_mode": P.STR,
        "entities": P.JSON,
        "link_preview_options": P.JSON,
        "disable_web_page_preview": P.BOOL,
    },
    "sendDocument": {
        **_SEND,
        "document": P.FILE,
        "thumbnail": P.FILE,
        "caption": P.STR,
        "parse_mode": P.STR,
        "caption_entities": P.JSON,
        "disable_content_type_detection": P.BOOL,
    },
    "sendPhoto": {
        **_SEND,
        "photo": P.FILE,
        "caption": P.STR,
        "parse_mode": P.STR,
        "caption_entities": P.JSON,
        "show_caption_above_media": P.BOOL,
        "has_spoiler": P.BOOL,
    },
    "editMessageText": {
        **_EDIT,
        "text": P.STR,
        "parse_mode": P.STR,
        "entities": P.JSON,
        "link_preview_options": P.JSON,
        "disable_web_page_preview": P.BOOL,
    },
    "editMessageReplyMarkup": dict(_EDIT),
    "answerCallbackQuery": {
        "callback_query_id": P.STR,
        "text": P.STR,
        "show_alert": P.BOOL,
        "url": P.STR,
        "cache_time": P.INT,
    },
    "sendChatAction": {
        "business_connection_id": P.STR,
        "chat_id": P.CHAT,
        "message_thread_id": P.INT,
        "action": P.STR,
    },
    "deleteMessage": {"chat_id": P.CHAT, "message_id": P.INT},
    "getFile": {"file_id": P.STR},
}
CANONICAL = {name.lower(): name for name in SPECS}


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Exchange:
    """One Bot API request and its answer, as recorded for tests. `response` is None for a non-JSON answer."""

    method: str
    params: JSON
    status: int
    response: JSON | None
    at: float


Handler = Callable[[JSON], Awaitable[Any]]


def _json_response(status: int, body: JSON) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json")


class BotApi:
    """The Bot API server side. `limits`/`limiter` may be replaced at run time (the Sandbox does so)."""

    def __init__(
        self,
        state: SandboxState,
        *,
        limits: Limits,
        faults: Faults,
        ticker: Callable[[], float] = time.monotonic,
        max_exchanges: int = 10_000,
    ) -> None:
        self.state = state
        self.limits = limits
        self.limiter = RateLimiter(limits)
        self.faults = faults
        self.ticker = ticker
        self.exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self.closing = asyncio.Event()
        self._poll_generation = 0
        self._delivery: asyncio.Task[None] | None = None
        self.webhook_error: tuple[int, str] | None = None  # (unix time, message) of the last failed delivery
        self.webhook_retry_seconds = WEBHOOK_RETRY_SECONDS
        # When the bot first polled (ticker seconds): bench/footprint.py measures start-up to it.
        self.first_poll_at: float | None = None
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "deleteMessage": self._delete_message,
            "getFile": self._get_file,
        }

    def set_limits(self, limits: Limits) -> None:
        self.limits = limits
        self.limiter = RateLimiter(limits)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self.handle),
            web.get("/file/bot{token}/{path:.+}", self.download),
        ]

    # ---- HTTP plumbing --------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        name = CANONICAL.get(request.match_info["method"].lower())
        if name is None:
            return self._finish(request.match_info["method"], {}, ApiError(404, "Not Found"))
        try:
            raw, uploads = await _read_request(request)
            params = _coerce(SPECS[name], raw, uploads)
        except ApiError as error:
            return self._finish(name, {}, error)
        fault = self.faults.decide(name, self.ticker())
        if isinstance(fault, Throttle):
            return self._finish(name, params, _too_many(fault.retry_after))
        if isinstance(fault, ServerError):
            return self._server_error(name, params, fault.status)
        if isinstance(fault, Delay) and not fault.deliver:
            await self._sleep(fault.seconds)
            return self._server_error(name, params, 504)
        try:
            result = await self._handlers[name](params)
        except ApiError as error:
            outcome: Any = error
        else:
            outcome = result
        if isinstance(fault, Delay):
            await self._sleep(fault.seconds)
        return self._finish(name, params, outcome)

    def _finish(self, method: str, params: JSON, outcome: Any) -> web.Response:
        if isinstance(outcome, ApiError):
            status, body = outcome.code, outcome.body()
        else:
            status, body = 200, {"ok": True, "result": outcome}
        self.exchanges.append(Exchange(method, _recordable(params), status, body, self.ticker()))
        return _json_response(status, body)

    def _server_error(self, method: str, params: JSON, status: int) -> web.Response:
        phrase = PHRASES.get(status, "Server Error")
        if ServerError(status).json_body:
            return self._finish(method, params, ApiError(status, phrase))
        self.exchanges.append(Exchange(method, _recordable(params), status, None, self.ticker()))
        return web.Response(
            status=status, text=PROXY_PAGE.format(status=status, phrase=phrase), content_type="text/html"
        )

    async def _sleep(self, seconds: float) -> None:
        # Stopping the sandbox cuts a delay short, so shutdown never waits for a fault to run out.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)

    async def download(self, request: web.Request) -> web.StreamResponse:
        stored = self.state.files_by_path.get(request.match_info["path"])
        if stored is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # ---- shared checks --------------------------------------------------------------------------

    def _chat(self, params: JSON) -> SimChat:
        wanted = params.get("chat_id")
        if wanted is None or wanted == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(wanted, str):
            username = wanted.removeprefix("@").lower()
            for person in self.state.people.values():
                if person.username and person.username.lower() == username:
                    return self.state.chats[person.id]
            raise ApiError(400, "Bad Request: chat not found")
        chat = self.state.chats.get(int(wanted))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _can_write(self, chat: SimChat) -> None:
        person = chat.person
        if person is None:
            return
        if person.id in self.state.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if person.id not in self.state.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    def _take_slot(self, chat: SimChat) -> None:
        retry_after = self.limiter.acquire(chat.id, chat.kind, self.ticker())
        if retry_after is not None:
            raise _too_many(retry_after)

    def _format(self, text: str, parse_mode: object, entities: object, *, limit: int, too_long: str) -> FormattedText:
        if parse_mode:
            mode = str(parse_mode)
            if mode.lower() == "html":
                try:
                    formatted = parse_html(text, strict_ampersand=self.limits.strict_ampersand)
                except EntityParseError as error:
                    raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
            elif mode.lower() in ("markdown", "markdownv2"):
                raise ApiError(400, f"Bad Request: the sandbox understands parse_mode HTML only, not {mode}")
            else:
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        else:
            formatted = FormattedText(text, _explicit_entities(text, entities))
        formatted = add_detected(trim(formatted))
        # TDLib counts characters (code points) here, not UTF-16 units.
        if len(formatted.text) > limit:
            raise ApiError(400, too_long)
        return formatted

    def _markup(self, markup: object) -> JSON | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
                return markup
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(
                400, 'Bad Request: can\'t parse inline keyboard button: Field "inline_keyboard" must be of type Array'
            )
        count = 0
        for row in rows:
            for button in row:
                count += 1
                self._check_button(button)
        if count > self.limits.keyboard_buttons:
            raise ApiError(400, "Bad Request: reply markup is too long")
        return {"inline_keyboard": rows}

    def _check_button(self, button: object) -> None:
        if not isinstance(button, dict):
            raise ApiError(
                400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object"
            )
        if not isinstance(button.get("text"), str):
            raise ApiError(400, 'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String')
        if not button["text"].strip():
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        actions = [key for key in BUTTON_ACTIONS if key in button]
        if not actions:
            raise ApiError(
                400,
                "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= self.limits.callback_data_bytes:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button and (not isinstance(button["url"], str) or check_link(button["url"]) is None):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")

    def _reply_to(self, chat: SimChat, params: JSON) -> int | None:
        reply = params.get("reply_parameters")
        allow_without = bool(params.get("allow_sending_without_reply", False))
        if reply is not None:
            if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
                raise ApiError(400, "Bad Request: can't parse reply parameters JSON object")
            wanted: int | None = reply["message_id"]
            allow_without = bool(reply.get("allow_sending_without_reply", allow_without))
            other_chat = reply.get("chat_id")
            if other_chat is not None and str(other_chat) != str(chat.id):
                raise ApiError(400, "Bad Request: the sandbox keeps replies within one chat")
        else:
            wanted = params.get("reply_to_message_id")
        if wanted is None:
            return None
        if wanted in chat.messages:
            return int(wanted)
        if allow_without:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    def _bot_message(self, params: JSON, *, text_only: bool = False) -> tuple[SimChat, SimMessage]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        if text_only and message.file is not None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return chat, message

    # ---- methods --------------------------------------------------------------------------------

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return self.state.bot_user(full=True)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.first_poll_at is None:
            self.first_poll_at = self.ticker()
        state = self.state
        if state.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        allowed = params.get("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
                raise ApiError(400, "Bad Request: can't parse allowed updates JSON object")
            state.allowed_updates = frozenset(allowed)
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0, int(params.get("timeout") or 0))
        state.confirm(params.get("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        state.notify()  # an older poll still waiting learns it was superseded
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            if state.updates or self.closing.is_set() or loop.time() >= deadline:
                return state.updates[:limit]
            changed = state.changed()
            closing = asyncio.ensure_future(self.closing.wait())
            waiter = asyncio.ensure_future(changed.wait())
            try:
                await asyncio.wait(
                    {closing, waiter}, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                closing.cancel()
                waiter.cancel()

    async def _set_webhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if not url:
            self.state.webhook = None
            return True
        loopback = LOOPBACK_WEBHOOK.match(url) is not None
        if not loopback and not url.lower().startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        match = re.match(r"^https://[^/:]+(?::(\d+))?", url, re.IGNORECASE)
        port = int(match.group(1)) if match and match.group(1) else 443
        if not loopback and port not in (80, 88, 443, 8443):
            raise ApiError(400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        if isinstance(params.get("allowed_updates"), list):
            self.state.allowed_updates = frozenset(params["allowed_updates"])
        self.state.webhook = {
            key: params[key] for key in ("url", "ip_address", "max_connections", "secret_token") if key in params
        }
        self.webhook_error = None
        if loopback and (self._delivery is None or self._delivery.done()):
            self._delivery = asyncio.create_task(self._deliver_updates(), name="sandbox webhook delivery")
        self.state.notify()
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        self.state.webhook = None
        self.webhook_error = None
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        self.state.notify()  # the delivery task sees the webhook gone and ends
        return True

    async def _deliver_updates(self) -> None:
        """While a loopback webhook is set: POST the pending updates there one at a time, in order, with
        the secret header; an update leaves the queue only on a 2xx answer, as with Telegram."""
        state = self.state
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while state.webhook is not None and not self.closing.is_set():
                hook = state.webhook
                if not state.updates or LOOPBACK_WEBHOOK.match(str(hook["url"])) is None:
                    await self._next_change()
                    continue
                update = state.updates[0]
                headers = {SECRET_HEADER: str(hook["secret_token"])} if hook.get("secret_token") else {}
                try:
                    async with session.post(str(hook["url"]), json=update, headers=headers) as answer:
                        failure = (
                            None
                            if 200 <= answer.status < 300
                            else f"Wrong response from the webhook: {answer.status} {answer.reason}"
                        )
                except (aiohttp.ClientError, TimeoutError) as error:
                    failure = f"Connection failed: {type(error).__name__}"
                if failure is None:
                    if state.updates and state.updates[0] is update:
                        state.updates.pop(0)
                    self.webhook_error = None
                    state.notify()
                else:
                    self.webhook_error = (int(state.clock.now().timestamp()), failure)
                    await self._sleep(self.webhook_retry_seconds)

    async def _next_change(self) -> None:
        changed = asyncio.ensure_future(self.state.changed().wait())
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

    async def _get_webhook_info(self, params: JSON) -> JSON:
        hook = self.state.webhook or {}
        info: JSON = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }
        for key in ("ip_address", "max_connections"):
            if key in hook:
                info[key] = hook[key]
        if hook and self.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        if hook and self.state.allowed_updates:
            info["allowed_updates"] = sorted(self.state.allowed_updates)
        return info

    def _scope_key(self, params: JSON) -> tuple[str, JSON, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPES:
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        kind = str(scope["type"])
        key = kind
        if kind in SCOPES_WITH_CHAT:
            chat = self._chat(scope)
            key = f"{kind}:{chat.id}"
            if kind == "chat_member":
                if not isinstance(scope.get("user_id"), int):
                    raise ApiError(400, "Bad Request: user_id is empty")
                key += f":{scope['user_id']}"
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return key, scope, language

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse BotCommand array JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands specified")
        cleaned: list[JSON] = []
        for command in commands:
            if not isinstance(command, dict) or not isinstance(command.get("command"), str):
                raise ApiError(400, "Bad Request: can't parse BotCommand JSON object")
            if not COMMAND_NAME.match(command["command"]):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command["command"], "description": description})
        key, scope, language = self._scope_key(params)
        if cleaned:
            self.state.commands[(key, language)] = (scope, cleaned)
        else:
            self.state.commands.pop((key, language), None)
        self.state.notify()
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        key, _, language = self._scope_key(params)
        found = self.state.commands.get((key, language))
        return list(found[1]) if found else []

    async def _delete_my_commands(self, params: JSON) -> bool:
        key, _, language = self._scope_key(params)
        self.state.commands.pop((key, language), None)
        self.state.notify()
        return True

    async def _send_message(self, params: JSON) -> JSON:
        chat = self._chat(params)
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        formatted = self._format(
            str(text),
            params.get("parse_mode"),
            params.get("entities"),
            limit=self.limits.text_length,
            too_long="Bad Request: message is too long",
        )
        if not formatted.text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        self._can_write(chat)
        self._take_slot(chat)
        preview = params.get("link_preview_options")
        message = self.state.add_message(
            chat,
            from_bot=True,
            sender_id=self.state.bot.id,
            formatted=formatted,
            reply_markup=markup,
            reply_to=reply_to,
            link_preview_options=preview if isinstance(preview, dict) and preview else None,
            protect_content=bool(params.get("protect_content", False)),
        )
        return self.state.message_dict(message)

    async def _send_document(self, params: JSON) -> JSON:
        return self._send_file(params, "document")

    async def _send_photo(self, params: JSON) -> JSON:
        return self._send_file(params, "photo")

    def _send_file(self, params: JSON, kind: str) -> JSON:
        chat = self._chat(params)
        source = params.get(kind)
        if source is None or source == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        stored = self._stored_file(source, kind, params.get("_uploads", {}))
        caption = params.get("caption")
        formatted = FormattedText("", [])
        if caption:
            formatted = self._format(
                str(caption),
                params.get("parse_mode"),
                params.get("caption_entities"),
                limit=self.limits.caption_length,
                too_long="Bad Request: message caption is too long",
            )
        markup = self._markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        self._can_write(chat)
        self._take_slot(chat)
        message = self.state.add_message(
            chat,
            from_bot=True,
            sender_id=self.state.bot.id,
            formatted=formatted,
            reply_markup=markup,
            reply_to=reply_to,
            file=stored,
            protect_content=bool(params.get("protect_content", False)),
        )
        return self.state.message_dict(message)

    def _stored_file(self, source: object, kind: str, uploads: Mapping[str, Upload]) -> StoredFile:
        if isinstance(source, str) and source.startswith("attach://"):
            source = uploads.get(source.removeprefix("attach://"))
            if source is None:
                raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(source, Upload):
            if not source.data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            name = source.filename or None
            mime = source.content_type
            if not mime or mime == "application/octet-stream":
                mime = (mimetypes.guess_type(name)[0] if name else None) or mime
            if kind == "photo":
                size = image_size(source.data)
                if size is None:
                    raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
                # Telegram re-encodes photos and forgets the name; the page still wants an extension.
                return self.state.store_file("photo", source.data, None, "image/jpeg", *size)
            return self.state.store_file("document", source.data, name, mime)
        text = str(source)
        existing = self.state.files.get(text)
        if existing is not None:
            if existing.kind != kind:
                raise ApiError(400, f"Bad Request: can't use file of type {existing.kind.title()} as {kind.title()}")
            return existing
        if text.lower().startswith(("http://", "https://")):
            # The sandbox has no internet to fetch from, like Telegram facing an unreachable address.
            raise ApiError(400, "Bad Request: failed to get HTTP URL content")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    async def _edit_message_text(self, params: JSON) -> JSON:
        _, message = self._bot_message(params, text_only=True)
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        formatted = self._format(
            str(text),
            params.get("parse_mode"),
            params.get("entities"),
            limit=self.limits.text_length,
            too_long="Bad Request: message is too long",
        )
        if not formatted.text:
            raise ApiError(400, "Bad Request: message text is empty")
        # Leaving out reply_markup removes the inline keyboard, as on Telegram.
        markup = self._markup(params.get("reply_markup"))
        if (formatted.text, formatted.entities, markup) == (message.text, message.entities, message.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        message.text = formatted.text
        message.entities = formatted.entities
        message.reply_markup = markup
        preview = params.get("link_preview_options")
        if isinstance(preview, dict):
            message.link_preview_options = preview or None
        message.edit_date = self.state.clock.now()
        self.state.notify()
        return self.state.message_dict(message)

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        _, message = self._bot_message(params)
        markup = self._markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        message.reply_markup = markup
        message.edit_date = self.state.clock.now()
        self.state.notify()
        return self.state.message_dict(message)

    async def _answer_callback_query(self, params: JSON) -> bool:
        record = self.state.callbacks.get(str(params.get("callback_query_id") or ""))
        if record is None or record.answered:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and len(str(text)) > self.limits.callback_answer_length:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        record.answered = True
        record.answer = {key: params[key] for key in ("text", "show_alert", "url", "cache_time") if key in params}
        message = self.state.chats[record.chat_id].messages.get(record.message_id)
        if message is not None and text:
            message.callback_answer = str(text)
        self.state.notify()
        return True

    async def _send_chat_action(self, params: JSON) -> bool:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self._can_write(chat)
        chat.last_action = str(action)
        return True

    async def _delete_message(self, params: JSON) -> bool:
        chat = self._chat(params)
        message = chat.messages.get(params.get("message_id") or 0)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if not message.from_bot and chat.kind is not ChatKind.PRIVATE:
            raise ApiError(400, "Bad Request: message can't be deleted")
        del chat.messages[message.message_id]
        self.state.notify()
        return True

    async def _get_file(self, params: JSON) -> JSON:
        stored = self.state.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return self.state.file_dict(stored)


def _too_many(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


async def _read_request(request: web.Request) -> tuple[dict[str, object], dict[str, Upload]]:
    raw: dict[str, object] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.body_exists:
        return raw, uploads
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError as error:
            raise ApiError(400, "Bad Request: can't parse JSON request") from error
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: can't parse JSON request")
        raw.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(key, value.filename, value.content_type, value.file.read())
            elif isinstance(value, str):
                raw[key] = value
            else:
                raw[key] = bytes(value).decode("utf-8", errors="replace")
    return raw, uploads


def _coerce(spec: Mapping[str, P], raw: Mapping[str, object], uploads: Mapping[str, Upload]) -> JSON:
    """Typed parameters; unknown ones are dropped, as Telegram ignores them."""
    params: JSON = {}
    for name, kind in spec.items():
        if kind is P.FILE and name in uploads:
            params[name] = uploads[name]
            continue
        if name not in raw or raw[name] is None:
            continue
        params[name] = _coerce_one(name, kind, raw[name])
    if uploads:
        params["_uploads"] = dict(uploads)
    return params


def _coerce_one(name: str, kind: P, value: object) -> object:
    if kind is P.INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise ApiError(400, f"Bad Request: invalid {name} specified")
    if kind is P.CHAT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        if isinstance(value, str) and value.startswith("@"):
            return value
        raise ApiError(400, "Bad Request: chat not found")
    if kind is P.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.strip().lower() in ("true", "1", "false", "0", ""):
            return value.strip().lower() in ("true", "1")
        raise ApiError(400, f"Bad Request: invalid {name} specified")
    if kind is P.JSON:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as error:
                what = "reply keyboard markup" if name == "reply_markup" else name.replace("_", " ")
                raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from error
        return value
    if kind is P.FILE:
        return value if isinstance(value, str) else str(value)
    # A string parameter sent as another JSON type reads as Telegram would print it.
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _explicit_entities(text: str, entities: object) -> list[JSON]:
    """Entities given by the bot without a parse mode: kept when well formed, dropped otherwise (as Telegram)."""
    if entities is None:
        return []
    if not isinstance(entities, list):
        raise ApiError(400, "Bad Request: can't parse entities JSON object")
    size = utf16_length(text)
    kept: list[JSON] = []
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("type") not in ENTITY_TYPES:
            continue
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length <= 0:
            continue
        if offset + length > size:
            continue
        if entity["type"] == "text_link":
            url = check_link(str(entity.get("url", "")))
            if url is None:
                continue
            entity = {**entity, "url": url}
        kept.append(dict(entity))
    return sort_entities(kept)


def _recordable(params: JSON) -> JSON:
    recorded: JSON = {}
    for key, value in params.items():
        if key == "_uploads":
            continue
        recorded[key] = f"attach://{value.field}" if isinstance(value, Upload) else value
    return recorded


__all__ = ["CANONICAL", "SPECS", "BotApi", "Exchange", "Upload"]

"""Sending to Telegram: an outbox row (for the dispatcher) or a direct answer (for the transport).

Both render through `render.py` (the neutral markup as Telegram HTML within Telegram's limits, a long
text in parts, the buttons as an inline keyboard under the last part) and map Telegram's answers the
same way to the dispatcher's results (`scheduler.delivery.senders`):

    ok                                  Sent(the id of the message carrying the buttons: the last part)
    429 RetryAfter                      RetryAfter(its seconds)
    403 Forbidden                       Blocked
    400 BadRequest, ChatMigrated        Permanent
    timeout, 5xx, network, bad token    Transient

The two paths differ only in who paces them and who records a refusal: the dispatcher paces the outbox
and records its results (`Dispatcher`, `outbox.mark_blocked`); a direct answer is paced here, through
the same per-platform budget (`scheduler.delivery.ratelimit.RateLimiter`) the dispatcher uses when the
wiring passes its limiter in, waits out a 429 (a few times, briefly) and records a 403 as the outbox does
(`outbox.chat_blocked`: the account flagged, the unit's leads told).

A row longer than one message goes out in parts. When a later part fails after earlier ones were sent,
the sender remembers (in memory, per row id, while the row renders the same) how far it got, and the
dispatcher's retry goes on from there. After a restart that memory is gone and a part may arrive twice:
at least once, as for any message whose acknowledgement was lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.engine import Engine
from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.error import (
    RetryAfter as TelegramRetryAfter,
)
from telegram.request import HTTPXRequest

from bot.platforms.telegram.limits import TelegramLimits
from bot.platforms.telegram.render import Part, keyboard, render
from domain.messages import Attachment, ChatKind, Outgoing, Platform
from models.reminders import OutboxMessage
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.outbox import buttons_from_json, chat_blocked
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.delivery.senders import Blocked, PartsSent, Permanent, RetryAfter, SendResult, Sent, Transient

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def result_of(error: TelegramError, token: str | None = None) -> SendResult:
    """What a Telegram error means for the message (see the module's table). Never with the token in it:
    errors end up in last_error and on the admins' screen."""
    if isinstance(error, TelegramRetryAfter):
        # The timedelta PTB keeps (its `retry_after` property warns about a coming type change).
        waited = getattr(error, "_retry_after", None)
        return RetryAfter(max(1.0, _seconds(waited if isinstance(waited, timedelta) else error.retry_after)))
    name = type(error).__name__
    text = error.message if error.message.startswith(name) else f"{name}: {error.message}"
    if token:
        text = text.replace(token, "<token>")
    if isinstance(error, Forbidden):
        return Blocked(text)
    if isinstance(error, ChatMigrated):
        # The group became a supergroup: the row's chat id is stale; whoever binds chats must update it.
        return Permanent(f"ChatMigrated: migrate_to_chat_id={error.new_chat_id}")
    if isinstance(error, BadRequest):  # before NetworkError: PTB's BadRequest is a NetworkError
        return Permanent(text)
    if isinstance(error, TimedOut | InvalidToken | NetworkError):
        # InvalidToken is a configuration fault, not the message's: retried with backoff, visible in last_error.
        return Transient(text)
    return Transient(text)


class TelegramSender:
    """The outbox's `Sender` for Telegram (`send`) and the transport's way to answer (`send_outgoing`).

    For the dispatcher give it a plain `Bot` (not an Application's ExtBot with a rate limiter of its own:
    the dispatcher keeps the limits) whose connection pool is at least the dispatcher's concurrency — see
    `make_bot`. `engine` and `clock` let a direct answer record a person who blocked the bot;
    `reply_limiter` paces the direct answers (share the dispatcher's, so both count against one budget).
    """

    platform = Platform.TELEGRAM.value

    def __init__(
        self,
        bot: Bot,
        *,
        limits: TelegramLimits | None = None,
        engine: Engine | None = None,
        clock: Clock | None = None,
        reply_limiter: RateLimiter | None = None,
        reply_attempts: int = 4,
        reply_wait_cap_seconds: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        ticker: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.limits = limits or TelegramLimits()
        self.engine = engine
        self.clock = clock
        self.reply_limiter = reply_limiter
        # PTB's AIORateLimiter, which answered before, retried a 429 three times: four tries.
        self.reply_attempts = max(1, reply_attempts)
        self.reply_wait_cap_seconds = reply_wait_cap_seconds
        self.sleep = sleep
        self.ticker = ticker
        self._parts_sent: PartsSent[Part] = PartsSent()

    # ---- the outbox -----------------------------------------------------------------------------

    async def send(self, message: OutboxMessage) -> SendResult:
        attachment = None
        if message.attachment_content is not None:
            attachment = Attachment(
                message.attachment_filename or "file", message.attachment_content, message.attachment_mime_type or ""
            )
        try:
            markup = keyboard(buttons_from_json(message.buttons))
            parts = tuple(render(message.text, document=attachment is not None, limits=self.limits))
        except ValueError as error:
            return Permanent(f"cannot render the message: {error}")
        if not parts:
            return Permanent("nothing to send: the message has no text")
        start, last_id = self._parts_sent.resume(message.id, parts)
        result, sent, last_id = await self._send_parts(
            message.chat_id, parts, markup, attachment, None, start=start, last_id=last_id
        )
        self._parts_sent.keep(message.id, parts, sent, last_id, result)
        return result

    # ---- the conversation's answers -------------------------------------------------------------

    async def send_outgoing(self, outgoing: Outgoing, *, chat_kind: ChatKind = ChatKind.PRIVATE) -> SendResult | None:
        """Sends one answer of the conversation, paced by `reply_limiter` (None: it renders to nothing).

        A 429 is waited out, up to `reply_wait_cap_seconds` and `reply_attempts` tries, going on after
        the parts already sent; a 403 is recorded as the outbox records one."""
        try:
            markup = keyboard(outgoing.buttons)
            parts = (
                ()
                if outgoing.edit_message_id is not None
                else tuple(render(outgoing.text, document=outgoing.attachment is not None, limits=self.limits))
            )
        except ValueError as error:
            log.error("telegram: answer to chat=%s cannot be rendered: %s", outgoing.chat_id, error)
            return Permanent(str(error))
        if outgoing.edit_message_id is None and not parts:
            return None
        kind = chat_kind
        sent, last_id = 0, None
        result: SendResult = Transient("not sent")
        for attempt in range(1, self.reply_attempts + 1):
            if outgoing.edit_message_id is not None:
                result = await self._edit(outgoing, markup, kind)
            else:
                result, sent, last_id = await self._send_parts(
                    outgoing.chat_id,
                    parts,
                    markup,
                    outgoing.attachment,
                    outgoing.reply_to_message_id,
                    start=sent,
                    last_id=last_id,
                    kind=kind,
                )
            if (
                not isinstance(result, RetryAfter)
                or attempt == self.reply_attempts
                or result.seconds > self.reply_wait_cap_seconds
            ):
                break
            if self.reply_limiter is None:
                await self.sleep(result.seconds)  # with a limiter, its acquire waits out the chat's pause
        if isinstance(result, Blocked) and self.engine is not None and self.clock is not None:
            await asyncio.to_thread(chat_blocked, self.engine, Platform.TELEGRAM, outgoing.chat_id, self.clock())
        if not isinstance(result, Sent):
            log.warning("telegram: answer to chat=%s not sent: %s", outgoing.chat_id, result)
        return result

    async def _edit(self, outgoing: Outgoing, markup: InlineKeyboardMarkup | None, kind: ChatKind) -> SendResult:
        """New buttons for a message already sent (its text stays)."""
        assert outgoing.edit_message_id is not None
        if not outgoing.edit_message_id.isdigit():
            return Permanent(f"not a Telegram message id: {outgoing.edit_message_id!r}")
        message_id = int(outgoing.edit_message_id)
        edit = partial(self.bot.edit_message_reply_markup, outgoing.chat_id, message_id, reply_markup=markup)
        result = await self._paced(outgoing.chat_id, kind, edit)
        if isinstance(result, Permanent) and "not modified" in result.error:
            # A second press on the same button: the buttons are already so.
            return Sent(outgoing.edit_message_id)
        return Sent(outgoing.edit_message_id) if isinstance(result, Sent) else result

    # ---- parts ----------------------------------------------------------------------------------

    async def _send_parts(
        self,
        chat_id: str,
        parts: Sequence[Part],
        markup: InlineKeyboardMarkup | None,
        attachment: Attachment | None,
        reply_to: str | None,
        *,
        start: int,
        last_id: str | None,
        kind: ChatKind | None = None,
    ) -> tuple[SendResult, int, str | None]:
        """Sends `parts[start:]` in order; returns the result, how many parts are sent, the last one's id."""
        for index in range(start, len(parts)):
            part = parts[index]
            last = index == len(parts) - 1
            reply = (
                ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True)
                if index == 0 and reply_to is not None and reply_to.isdigit()
                else None
            )
            deliver = partial(self._deliver, chat_id, part, markup if last else None, attachment, reply)
            result = await self._paced(chat_id, kind, deliver)
            if not isinstance(result, Sent):
                return result, index, last_id
            last_id = result.message_id
        return Sent(last_id or ""), len(parts), last_id

    async def _paced(
        self, chat_id: str, kind: ChatKind | None, call: Callable[[], Awaitable[Message | bool]]
    ) -> SendResult:
        """One request: within the reply budget when `kind` is given (the dispatcher paces the outbox
        itself), its error mapped, a 429 told to the budget."""
        limiter = self.reply_limiter if kind is not None else None
        slot = await limiter.acquire(chat_id, kind) if limiter is not None and kind is not None else None
        try:
            answer = await call()
        except TelegramError as error:
            result = result_of(error, self.bot.token)
            if isinstance(result, RetryAfter) and limiter is not None:
                limiter.throttled(chat_id, result.seconds, self.ticker())
            return result
        finally:
            if slot is not None and limiter is not None:
                limiter.done(slot, self.ticker())
        return Sent(str(answer.message_id) if isinstance(answer, Message) else "")

    async def _deliver(
        self,
        chat_id: str,
        part: Part,
        markup: InlineKeyboardMarkup | None,
        attachment: Attachment | None,
        reply: ReplyParameters | None,
    ) -> Message:
        if part.document and attachment is not None:
            document = InputFile(attachment.content, filename=attachment.filename)
            if attachment.mime_type:
                document.mimetype = attachment.mime_type  # PTB guesses from the name otherwise
            return await self.bot.send_document(
                chat_id,
                document,
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                reply_parameters=reply,
            )
        return await self.bot.send_message(
            chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=markup, reply_parameters=reply
        )


def make_bot(
    token: str,
    *,
    base_url: str | None = None,
    pool_size: int = 16,
    read_timeout: float = 10.0,
    connect_timeout: float = 5.0,
) -> Bot:
    """A plain PTB `Bot` for the dispatcher: no rate limiter of its own, a pool as large as the concurrency.

    PTB's default pool has one connection: concurrent sends would queue for it and fail with a pool
    timeout. Call `await bot.initialize()` before the first send.
    """
    request = HTTPXRequest(
        connection_pool_size=pool_size,
        pool_timeout=30.0,
        read_timeout=read_timeout,
        write_timeout=read_timeout,
        connect_timeout=connect_timeout,
    )
    # The dispatcher never polls for updates: the same client serves both slots (one TLS context, not two).
    if base_url is None:
        return Bot(token, request=request, get_updates_request=request)
    return Bot(token, base_url=base_url, request=request, get_updates_request=request)


def telegram_sender(
    token: str, *, base_url: str | None = None, settings: DispatchSettings | None = None
) -> TelegramSender:
    """A TelegramSender on a plain Bot sized for the dispatcher (call `await sender.bot.initialize()`)."""
    settings = settings or DispatchSettings()
    return TelegramSender(make_bot(token, base_url=base_url, pool_size=max(settings.concurrency, 1)))


__all__ = ["TelegramSender", "make_bot", "result_of", "telegram_sender"]

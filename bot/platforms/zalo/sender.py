"""Sending to Zalo: an outbox row (for the dispatcher) or a direct answer (for the transport).

Both render through `render.py` and send each part with `sendMessage`; Zalo's answers map to the
dispatcher's results (`scheduler.delivery.senders`):

    ok                           Sent(the first part's message id)
    429                          RetryAfter(the answer's hint, else `ZaloLimits.retry_after_seconds`)
    5xx, 408, network, timeout   Transient
    401                          Transient: a configuration fault (the token), not the message's; retried
                                 with backoff like Telegram's InvalidToken, and visible in last_error
    403                          Blocked
    any other 4xx                Permanent

A row longer than one Zalo message goes out in parts. When part 2 fails after part 1 was sent, the
sender remembers (in memory, per row id, for as long as the row's rendering is the same) how far it
got, and the dispatcher's retry sends from part 2 on. After a restart that memory is gone and part 1
may arrive twice: at least once, as for any message whose acknowledgement was lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.platforms.zalo.api import ZaloApi, ZaloApiError, ZaloError
from bot.platforms.zalo.limits import ZaloLimits
from bot.platforms.zalo.render import render_outbox, render_outgoing
from domain.messages import ChatKind, Outgoing, Platform
from locales.catalogs import DEFAULT_LOCALE, SUPPORTED, translator
from models import Member
from models.db import session_scope
from models.reminders import OutboxMessage
from scheduler.delivery.outbox import chat_blocked
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.delivery.senders import Blocked, PartsSent, Permanent, RetryAfter, SendResult, Sent, Transient

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def result_of(error: ZaloError, retry_after_seconds: float) -> SendResult:
    """What a failed `sendMessage` means for the message (see the module's table)."""
    if not isinstance(error, ZaloApiError):
        return Transient(str(error))
    code = error.error_code
    if code == 429:
        return RetryAfter(max(1.0, error.retry_after if error.retry_after is not None else retry_after_seconds))
    if code == 403:
        return Blocked(str(error))
    if code >= 500 or code in (401, 408):
        return Transient(str(error))
    return Permanent(str(error))


def member_language(engine: Engine, member_id: int) -> str | None:
    """The language a member chose (`/lang`), or None when there is no such member."""
    with session_scope(engine) as session:
        member = session.get(Member, member_id)
        return member.language if member is not None else None


class ZaloSender:
    """The `Sender` of the outbox for Zalo (`send`), and the transport's way to answer (`send_outgoing`).

    `engine` lets it read a recipient's language (for the numbered list's "Reply 1, 2 or 3." under a
    reminder) and record a person who blocked the bot; `reply_limiter` paces the direct answers (the
    dispatcher paces the outbox itself).
    """

    platform = Platform.ZALO.value

    def __init__(
        self,
        api: ZaloApi,
        *,
        engine: Engine | None = None,
        clock: Clock | None = None,
        limits: ZaloLimits | None = None,
        default_locale: str = DEFAULT_LOCALE,
        reply_limiter: RateLimiter | None = None,
        reply_attempts: int = 3,
        reply_wait_cap_seconds: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        ticker: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.engine = engine
        self.clock = clock
        self.limits = limits or ZaloLimits()
        self.default_locale = default_locale
        self.reply_limiter = reply_limiter
        self.reply_attempts = max(1, reply_attempts)
        self.reply_wait_cap_seconds = reply_wait_cap_seconds
        self.sleep = sleep
        self.ticker = ticker
        self._parts_sent: PartsSent[str] = PartsSent()

    # ---- the outbox -----------------------------------------------------------------------------

    async def send(self, message: OutboxMessage) -> SendResult:
        try:
            parts = tuple(render_outbox(translator(await self._locale_of(message)), message, self.limits.text))
        except ValueError as error:  # a malformed row (markup or buttons): sending again cannot help
            return Permanent(f"cannot render the message: {error}")
        if not parts:
            return Permanent("nothing to send: the message has no text")
        start, first_id = self._parts_sent.resume(message.id, parts)
        result, sent, first_id = await self._send_parts(message.chat_id, parts, start, first_id)
        self._parts_sent.keep(message.id, parts, sent, first_id, result)
        return result

    async def _locale_of(self, message: OutboxMessage) -> str:
        # Only the lines the renderer adds are translated here (the text was written in the person's
        # language): without buttons or a file there is nothing to look up.
        if self.engine is None or message.member_id is None:
            return self.default_locale
        if not message.buttons and message.attachment_content is None:
            return self.default_locale
        language = await asyncio.to_thread(member_language, self.engine, message.member_id)
        return language if language in SUPPORTED else self.default_locale

    # ---- the conversation's answers -------------------------------------------------------------

    async def send_outgoing(
        self, outgoing: Outgoing, *, locale: str | None = None, chat_kind: ChatKind = ChatKind.PRIVATE
    ) -> SendResult | None:
        """Sends one answer of the conversation (None: it renders to nothing, e.g. buttons removed).

        A 429 is waited out (up to `reply_wait_cap_seconds`) and a transient failure retried, up to
        `reply_attempts` tries, continuing after the parts already sent; a 403 records the block."""
        parts = tuple(render_outgoing(translator(locale or self.default_locale), outgoing, self.limits.text))
        if not parts:
            return None
        sent, first_id = 0, None
        result: SendResult = Transient("not sent")
        for attempt in range(1, self.reply_attempts + 1):
            result, sent, first_id = await self._send_parts(outgoing.chat_id, parts, sent, first_id, chat_kind)
            last = attempt == self.reply_attempts
            if isinstance(result, RetryAfter) and not last and result.seconds <= self.reply_wait_cap_seconds:
                await self.sleep(result.seconds)
            elif isinstance(result, Transient) and not last:
                await self.sleep(float(2 ** (attempt - 1)))
            else:
                break
        if isinstance(result, Blocked) and self.engine is not None and self.clock is not None:
            # Blocked by the person: recorded and the unit's leads told, as the outbox does (and Telegram).
            await asyncio.to_thread(chat_blocked, self.engine, Platform.ZALO, outgoing.chat_id, self.clock())
        if not isinstance(result, Sent):
            log.warning("zalo: answer to chat=%s not sent: %s", outgoing.chat_id, result)
        return result

    # ---- parts ----------------------------------------------------------------------------------

    async def _send_parts(
        self,
        chat_id: str,
        parts: Sequence[str],
        start: int,
        first_id: str | None,
        kind: ChatKind | None = None,
    ) -> tuple[SendResult, int, str | None]:
        """Sends `parts[start:]` in order; returns the result, how many parts are sent, the first's id."""
        for index in range(start, len(parts)):
            # Only the direct answers are paced here (`kind` given); the dispatcher paces the outbox.
            limiter = self.reply_limiter if kind is not None else None
            slot = await limiter.acquire(chat_id, kind) if limiter is not None and kind is not None else None
            try:
                message_id = await self.api.send_message(chat_id, parts[index])
            except ZaloError as error:
                result = result_of(error, self.limits.retry_after_seconds)
                if isinstance(result, RetryAfter) and limiter is not None:
                    limiter.throttled(chat_id, result.seconds, self.ticker())
                return result, index, first_id
            finally:
                if slot is not None and limiter is not None:
                    limiter.done(slot, self.ticker())
            if first_id is None:
                first_id = message_id
            log.debug("zalo: sent part %d/%d to chat=%s length=%d", index + 1, len(parts), chat_id, len(parts[index]))
        return Sent(first_id or ""), len(parts), first_id


__all__ = ["ZaloSender", "member_language", "result_of"]

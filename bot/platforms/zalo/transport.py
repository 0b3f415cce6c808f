"""The Zalo transport: updates in (long polling or webhook), the conversation's answers out.

It only translates: a `message.text.received` update becomes an `Incoming`, the core handles it in a
worker thread (the event loop keeps polling while the database works), and each `Outgoing` goes out
through `ZaloSender.send_outgoing` — the renderer and error mapping the outbox uses too. Images,
stickers and other messages get one short answer in a private chat that only text is read (nothing
in a group, where it would answer every photo); anything a bot sent is ignored.

Every update is claimed by its `message_id` in the database before it is handled (`dedup.py` says why
before, not after), so a redelivered update — Zalo redelivers, and retries webhook calls — is handled
once, also after a restart. Claims older than `retention` are deleted as updates come in.

Polling: `getUpdates` answers one update per call, or 408 when its timeout passed with none; other
failures are logged (never with the token: see `api.py`) and polling backs off, doubling up to a cap.
Webhook: the ops server's route (`nhacviec.ops_server.WebhookRoute`) checks the header
`X-Bot-Api-Secret-Token` with `hmac.compare_digest` and answers 401 without it; `accept` takes the body.
`set_webhook` registers the URL and the secret (Zalo: 8–256 characters) at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import unicodedata
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bot.choice_numbers import typed_number
from bot.conversation import Conversation
from bot.platforms.zalo.api import ZaloApi, ZaloError
from bot.platforms.zalo.dedup import claim_update, forget_updates_before, release_update
from bot.platforms.zalo.limits import chat_kind
from bot.platforms.zalo.sender import ZaloSender
from domain.messages import ChatKind, Incoming, Outgoing, Platform
from domain.people import load_person
from locales import N_
from locales.catalogs import SUPPORTED, translator
from models.db import session_scope

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Waits until `stop` is set or `seconds` passed; True when stopped.
Waiter = Callable[[asyncio.Event, float], Awaitable[bool]]

TEXT_EVENT = "message.text.received"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/webhook/zalo"
# Zalo's rule for setWebhook's secret_token.
SECRET_MIN, SECRET_MAX = 8, 256
ONLY_TEXT = N_("Sorry, I can only read text messages. Please write to me in words.")


class WebhookSecretError(ValueError):
    """The webhook secret does not fit Zalo's rule."""


def check_webhook_secret(secret: str) -> str:
    """`secret` itself, or WebhookSecretError naming the rule (never the value)."""
    if not SECRET_MIN <= len(secret) <= SECRET_MAX:
        raise WebhookSecretError(
            f"NHACVIEC_WEBHOOK_SECRET must be {SECRET_MIN}–{SECRET_MAX} characters for Zalo's setWebhook "
            f"(it has {len(secret)})"
        )
    return secret


async def set_webhook(api: ZaloApi, url: str, secret: str) -> None:
    """At start in webhook mode: Zalo posts updates to `url` with `secret` in `X-Bot-Api-Secret-Token`."""
    await api.set_webhook(url, check_webhook_secret(secret))
    log.info("zalo: webhook set to %s", url)


async def wait_for_stop(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


@dataclass(frozen=True)
class ZaloUpdate:
    """The parts of an update the transport reads, checked."""

    event_name: str
    message_id: str
    chat_id: str
    chat_kind: ChatKind
    sender_id: str
    sender_name: str
    from_bot: bool
    text: str
    at: datetime | None


def read_update(data: Any) -> ZaloUpdate | None:
    """An update's parts, or None when it is not one (no message, no ids, an unknown chat_type).
    A webhook body wrapped in the Bot API envelope (`{"ok": true, "result": …}`) is unwrapped."""
    if isinstance(data, Mapping) and "event_name" not in data and isinstance(data.get("result"), Mapping):
        data = data["result"]
    if not isinstance(data, Mapping):
        return None
    message, event = data.get("message"), data.get("event_name")
    if not isinstance(message, Mapping) or not isinstance(event, str):
        return None
    chat, sender = message.get("chat"), message.get("from")
    if not isinstance(chat, Mapping) or not isinstance(sender, Mapping):
        return None
    message_id, chat_id, sender_id = _id(message.get("message_id")), _id(chat.get("id")), _id(sender.get("id"))
    chat_type = chat.get("chat_type")
    if not (message_id and chat_id and sender_id) or not isinstance(chat_type, str):
        return None
    try:
        kind = chat_kind(chat_type)
    except ValueError:
        return None
    name = next(
        (value for key in ("display_name", "first_name", "name") if isinstance(value := sender.get(key), str)), ""
    )
    text = message.get("text")
    return ZaloUpdate(
        event_name=event,
        message_id=message_id,
        chat_id=chat_id,
        chat_kind=kind,
        sender_id=sender_id,
        sender_name=name,
        from_bot=sender.get("is_bot") is True,
        text=text if isinstance(text, str) else "",
        at=_when(message.get("date")),
    )


def _id(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    return text or None


def _when(value: object) -> datetime | None:
    """Zalo's `date` is milliseconds since the epoch."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def addressed_to_bot(kind: ChatKind, text: str, bot_names: Sequence[str] = ()) -> bool:
    """Private chats are all for the bot; in a group, commands, mentions of the bot and choice numbers."""
    if kind == ChatKind.PRIVATE:
        return True
    text = unicodedata.normalize("NFC", text)
    # Besides commands and mentions, a typed choice number is for the bot: Zalo has no reply-to, so "2" or
    # "Chọn số 2 ạ" is how a member answers a numbered question in a group — read as the core reads it.
    if text.lstrip().startswith("/") or typed_number(text) is not None:
        return True
    lowered = text.lower()
    return any(f"@{name.lower()}" in lowered for name in bot_names if name)


def incoming_from_update(update: ZaloUpdate, now: datetime, bot_names: Sequence[str] = ()) -> Incoming:
    """The core's view of a text update (the caller checked the event and the sender)."""
    return Incoming(
        platform=Platform.ZALO,
        chat_id=update.chat_id,
        chat_kind=update.chat_kind,
        sender_id=update.sender_id,
        sender_name=update.sender_name,
        text=update.text,
        message_id=update.message_id,
        at=update.at or now,
        addressed_to_bot=addressed_to_bot(update.chat_kind, update.text, bot_names),
    )


class ZaloTransport:
    def __init__(
        self,
        conversation: Conversation,
        api: ZaloApi,
        engine: Engine,
        clock: Clock,
        *,
        sender: ZaloSender | None = None,
        poll_timeout_seconds: int = 30,
        backoff_base_seconds: float = 1.0,
        backoff_cap_seconds: float = 60.0,
        retention: timedelta = timedelta(days=7),
        cleanup_every: timedelta = timedelta(hours=6),
        default_locale: str = "vi",
        bot_names: Sequence[str] = (),
        wait: Waiter = wait_for_stop,
        on_reply: Callable[[float], None] | None = None,
        ticker: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`on_reply(seconds)` hears how long each message took, answers sent (metrics)."""
        self.conversation = conversation
        self.api = api
        self.engine = engine
        self.clock = clock
        self.sender = sender or ZaloSender(api, engine=engine, clock=clock, default_locale=default_locale)
        self.poll_timeout_seconds = poll_timeout_seconds
        self.backoff_base_seconds = backoff_base_seconds
        self.backoff_cap_seconds = backoff_cap_seconds
        self.retention = retention
        self.cleanup_every = cleanup_every
        self.default_locale = default_locale
        self.bot_names = tuple(bot_names)
        self.wait = wait
        self.on_reply = on_reply
        self.ticker = ticker
        self._cleaned_at: datetime | None = None

    async def identify(self) -> dict[str, Any]:
        """Asks `getMe` (checks the token) and learns the bot's names, so a group mention is recognised."""
        me = await self.api.get_me()
        names = [value for key in ("account_name", "display_name", "name") if isinstance(value := me.get(key), str)]
        self.bot_names = tuple(dict.fromkeys((*self.bot_names, *names)))
        return me

    # ---- one update ---------------------------------------------------------------------------------

    async def handle_update(self, data: Any) -> bool:
        """Handles one update unless it is not for the core or was handled before; returns whether it was."""
        update = read_update(data)
        if update is None:
            log.warning("zalo: ignored an update that is not a message with ids and a chat type")
            return False
        if update.from_bot:
            return False
        now = self.clock()
        if not await asyncio.to_thread(claim_update, self.engine, Platform.ZALO.value, update.message_id, now):
            log.info("zalo: update message=%s was handled already (redelivered)", update.message_id)
            return False
        await self._clean_up(now)
        started = self.ticker()
        try:
            if update.event_name == TEXT_EVENT:
                incoming = incoming_from_update(update, now, self.bot_names)
                answers, locale = await asyncio.to_thread(self._handle, incoming)
            else:
                answers, locale = await asyncio.to_thread(self._only_text, update)
        except BaseException:
            # Nothing was recorded (the turn is one transaction): let a redelivery be handled.
            await asyncio.to_thread(release_update, self.engine, Platform.ZALO.value, update.message_id)
            raise
        await self.send(answers, locale=locale, chat_kind=update.chat_kind)
        seconds = self.ticker() - started
        if self.on_reply is not None:
            self.on_reply(seconds)
        log.info(
            "zalo handled %s: chat=%s message=%s length=%d answers=%d ms=%.0f",
            "message" if update.event_name == TEXT_EVENT else update.event_name,
            update.chat_id,
            update.message_id,
            len(update.text),
            len(answers),
            seconds * 1000,
        )
        return True

    def _handle(self, incoming: Incoming) -> tuple[list[Outgoing], str]:
        """In a worker thread: the core's answers, and the language the renderer's own lines take."""
        answers = self.conversation.handle(incoming)
        return answers, self._language(incoming.sender_id)

    def _only_text(self, update: ZaloUpdate) -> tuple[list[Outgoing], str]:
        locale = self._language(update.sender_id)
        if update.chat_kind != ChatKind.PRIVATE:
            return [], locale
        return [Outgoing(chat_id=update.chat_id, text=translator(locale)(ONLY_TEXT))], locale

    def _language(self, sender_id: str) -> str:
        with session_scope(self.engine) as session:
            person = load_person(session, Platform.ZALO, sender_id)
        language = person.language if person is not None else self.default_locale
        return language if language in SUPPORTED else self.default_locale

    async def send(self, answers: Sequence[Outgoing], *, locale: str, chat_kind: ChatKind = ChatKind.PRIVATE) -> None:
        for outgoing in answers:
            await self.sender.send_outgoing(outgoing, locale=locale, chat_kind=chat_kind)

    async def _clean_up(self, now: datetime) -> None:
        if self._cleaned_at is not None and now - self._cleaned_at < self.cleanup_every:
            return
        self._cleaned_at = now
        removed = await asyncio.to_thread(forget_updates_before, self.engine, Platform.ZALO.value, now - self.retention)
        if removed:
            log.info("zalo: forgot %d handled updates older than %s", removed, self.retention)

    # ---- webhook ------------------------------------------------------------------------------------

    async def accept(self, body: Any) -> None:
        """The webhook route's handler (the ops server checked the secret). An error here answers 500 and
        Zalo delivers the update again; an update that is not one is dropped (a retry would not help)."""
        await self.handle_update(body)

    # ---- long polling -------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Polls until `stop` is set: one update per `getUpdates`, handled before the next poll."""
        try:
            # getUpdates gives nothing while a webhook is set (a former run in webhook mode).
            await self.api.delete_webhook()
        except ZaloError as error:
            log.warning("zalo: deleteWebhook failed (%s); polling anyway", error)
        failures = 0
        while not stop.is_set():
            try:
                updates = await self._poll(stop)
            except _Stopped:
                break
            except Exception as error:
                failures += 1
                delay = min(self.backoff_cap_seconds, self.backoff_base_seconds * 2 ** (failures - 1))
                reason = str(error) if isinstance(error, ZaloError) else type(error).__name__
                log.warning("zalo: getUpdates failed (%s); polling again in %.0f s", reason, delay)
                if await self.wait(stop, delay):
                    break
                continue
            failures = 0
            for update in updates:  # none after a 408: nothing came within the timeout
                try:
                    await self.handle_update(update)
                except Exception as error:  # one bad update must not stop the bot; its text stays out of the log
                    log.error("zalo: could not handle an update: %s", type(error).__name__)

    async def _poll(self, stop: asyncio.Event) -> list[dict[str, Any]]:
        poll = asyncio.ensure_future(self.api.get_updates(self.poll_timeout_seconds))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            poll.cancel()
            raise
        finally:
            stopped.cancel()
        if not poll.done():
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
            raise _Stopped
        return poll.result()


class _Stopped(Exception):
    """`stop` was set while a poll was waiting."""


__all__ = [
    "ONLY_TEXT",
    "SECRET_HEADER",
    "TEXT_EVENT",
    "WEBHOOK_PATH",
    "WebhookSecretError",
    "ZaloTransport",
    "ZaloUpdate",
    "addressed_to_bot",
    "check_webhook_secret",
    "incoming_from_update",
    "read_update",
    "set_webhook",
    "wait_for_stop",
]

"""The Telegram sender: outbox rows through python-telegram-bot's `Bot`, each answer as a `SendResult`
(see scheduler/delivery/senders.py)."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
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

from models.reminders import OutboxMessage
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.senders import Blocked, Permanent, RetryAfter, SendResult, Sent, Transient


def inline_keyboard(buttons: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    """The outbox's `[[{"label", "payload"}…]…]` as Telegram's inline keyboard (a "url" makes a link button)."""
    rows: list[list[InlineKeyboardButton]] = []
    for row in buttons:
        made: list[InlineKeyboardButton] = []
        for button in row:
            label = button.get("label") or button.get("text") or ""
            if button.get("url"):
                made.append(InlineKeyboardButton(label, url=button["url"]))
            else:
                made.append(
                    InlineKeyboardButton(label, callback_data=button.get("payload") or button.get("callback_data"))
                )
        if made:
            rows.append(made)
    return InlineKeyboardMarkup(rows) if rows else None


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Sends with python-telegram-bot's `Bot.send_message` (HTML, inline keyboard from the row's buttons),
    or `Bot.send_document` for a row with a file, its text as the caption (the outbox keeps captions
    within Telegram's 1024 characters; a longer one is refused by Telegram and the row failed).

    Give it a plain `Bot` (not an Application's rate-limited ExtBot: the dispatcher keeps the limits)
    whose connection pool is at least the dispatcher's concurrency — see `make_bot`.
    """

    platform = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def _describe(self, error: TelegramError) -> str:
        # Errors end up in last_error and on the admins' screen: never with the token in them.
        name = type(error).__name__
        text = error.message if error.message.startswith(name) else f"{name}: {error.message}"
        token = self.bot.token
        return text.replace(token, "<token>") if token else text

    async def _deliver(self, message: OutboxMessage) -> Message:
        markup = inline_keyboard(message.buttons)
        if message.attachment_content is None:
            return await self.bot.send_message(
                message.chat_id, message.text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        document = InputFile(message.attachment_content, filename=message.attachment_filename)
        if message.attachment_mime_type:
            document.mimetype = message.attachment_mime_type  # PTB guesses from the name otherwise
        return await self.bot.send_document(
            message.chat_id,
            document,
            caption=message.text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def send(self, message: OutboxMessage) -> SendResult:
        try:
            sent = await self._deliver(message)
        except TelegramRetryAfter as error:
            # The timedelta PTB keeps (its `retry_after` property warns about a coming type change).
            waited = getattr(error, "_retry_after", None)
            return RetryAfter(max(1.0, _seconds(waited if isinstance(waited, timedelta) else error.retry_after)))
        except Forbidden as error:
            return Blocked(self._describe(error))
        except ChatMigrated as error:
            # The group became a supergroup: the row's chat id is stale; whoever binds chats must update it.
            return Permanent(f"ChatMigrated: migrate_to_chat_id={error.new_chat_id}")
        except BadRequest as error:  # before NetworkError: PTB's BadRequest is a NetworkError
            return Permanent(self._describe(error))
        except TimedOut as error:
            return Transient(self._describe(error))
        except InvalidToken as error:
            # A configuration fault, not the message's: retried with backoff, and visible in last_error.
            return Transient(self._describe(error))
        except NetworkError as error:  # 5xx, connection refused, a proxy's HTML page
            return Transient(self._describe(error))
        except TelegramError as error:
            return Transient(self._describe(error))
        return Sent(str(sent.message_id))


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


__all__ = ["TelegramSender", "inline_keyboard", "make_bot", "telegram_sender"]

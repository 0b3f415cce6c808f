"""The Telegram transport: python-telegram-bot 22 in front of the conversation core.

It only translates: an `Update` becomes an `Incoming`; each `Outgoing` goes out through `TelegramSender`,
the same rendering (neutral markup to Telegram HTML within Telegram's limits) and the same reading of
Telegram's answers as the outbox's rows. Answers are paced by a `RateLimiter` given at construction —
the dispatcher's own for Telegram when this process has one, so that answers and reminders count
against one budget — instead of PTB's AIORateLimiter, which counted on its own. The core's work runs
in a worker thread so the event loop keeps polling while the database is busy.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from telegram import Bot, BotCommand, Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.conversation import Conversation
from bot.platforms.telegram.limits import TelegramLimits
from bot.platforms.telegram.sender import TelegramSender
from domain.messages import Button, ChatKind, Incoming, Keyboard, Outgoing, Platform
from domain.payloads import well_formed
from locales import N_
from locales.catalogs import translator
from scheduler.delivery.ratelimit import TELEGRAM_LIMITS, RateLimiter
from scheduler.delivery.senders import Blocked, SendResult, Sent

log = logging.getLogger(__name__)

# The header in which Telegram repeats setWebhook's secret_token on every update it posts.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

# (command, msgid of its description); descriptions are registered in Vietnamese and English.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("tasks", N_("your units' open tasks")),
    ("task", N_("one task in detail, e.g. /task II.3")),
    ("undo", N_("withdraw your last report")),
    ("pause", N_("no reminders until a day, e.g. /pause 2026-12-15")),
    ("resume", N_("reminders again")),
    ("lang", N_("language: /lang vi or /lang en")),
    ("whoami", N_("your units and roles")),
    ("summary", N_("where the plan stands: /summary, /summary 2026")),
    ("kenh", N_("where reminders arrive: /kenh zalo or /kenh telegram")),
    ("lienket", N_("link your Telegram and Zalo accounts")),
    ("help", N_("how to use the bot")),
)


class AnswerNotSent(Exception):
    """Telegram refused an answer, or kept refusing it (the sender's result says how)."""


class TelegramTransport:
    def __init__(
        self,
        conversation: Conversation,
        *,
        bot_username: str,
        on_reply: Callable[[float], None] | None = None,
        ticker: Callable[[], float] = time.perf_counter,
        limiter: RateLimiter | None = None,
        limits: TelegramLimits | None = None,
    ) -> None:
        """`on_reply(seconds)` hears how long each message or button took, answers sent (metrics).

        `limiter` paces the answers: pass the dispatcher's Telegram limiter (`Dispatcher.limiters`) so
        that answers and the outbox share one budget; without one the answers get a budget of their own
        with Telegram's limits."""
        self.conversation = conversation
        self.bot_username = bot_username.lstrip("@").lower()
        self.on_reply = on_reply
        self.ticker = ticker
        self.limiter = limiter if limiter is not None else RateLimiter(TELEGRAM_LIMITS)
        self.limits = limits or TelegramLimits()
        self._sender: TelegramSender | None = None

    def sender(self, bot: Bot) -> TelegramSender:
        """The sender of the answers, on `bot` (the Application's)."""
        if self._sender is None or self._sender.bot is not bot or self._sender.limits != self.limits:
            self._sender = TelegramSender(
                bot,
                limits=self.limits,
                engine=self.conversation.engine,
                clock=self.conversation.clock,
                reply_limiter=self.limiter,
            )
        return self._sender

    # ---- Update → Incoming --------------------------------------------------------------------------

    def incoming_from_message(self, update: Update, message: Message) -> Incoming | None:
        user = message.from_user
        if user is None or user.is_bot:
            return None
        chat_kind = ChatKind.PRIVATE if message.chat.type == ChatType.PRIVATE else ChatKind.GROUP
        text = message.text or message.caption or ""
        return Incoming(
            platform=Platform.TELEGRAM,
            chat_id=str(message.chat.id),
            chat_kind=chat_kind,
            sender_id=str(user.id),
            sender_name=user.full_name,
            text=text,
            message_id=str(message.message_id),
            at=message.edit_date or message.date or datetime.now(UTC),
            reply_to_message_id=str(message.reply_to_message.message_id) if message.reply_to_message else None,
            edited=update.edited_message is not None,
            addressed_to_bot=chat_kind == ChatKind.PRIVATE or self._addressed(message, text),
        )

    def _addressed(self, message: Message, text: str) -> bool:
        """With privacy mode a bot sees commands, replies to itself and mentions; only those are for it."""
        if text.startswith("/"):
            return True
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            return True
        return f"@{self.bot_username}" in text.lower()

    # ---- handlers -----------------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        incoming = self.incoming_from_message(update, message)
        if incoming is None:
            return
        await self.answer(context, incoming)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()  # stops the client's spinner whatever happens next
        message = query.message
        if not isinstance(message, Message) or query.data is None:
            return
        chat_kind = ChatKind.PRIVATE if message.chat.type == ChatType.PRIVATE else ChatKind.GROUP
        incoming = Incoming(
            platform=Platform.TELEGRAM,
            chat_id=str(message.chat.id),
            chat_kind=chat_kind,
            sender_id=str(query.from_user.id),
            sender_name=query.from_user.full_name,
            text="",
            message_id=str(message.message_id),
            at=datetime.now(UTC),
            payload=query.data,
            keyboard=_keyboard(message),
        )
        await self.answer(context, incoming)

    async def answer(self, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming) -> None:
        """The core's answers to one message or button, sent; one log line with ids and sizes only
        (what people write stays out of the log)."""
        started = self.ticker()
        answers = await asyncio.to_thread(self.conversation.handle, incoming)
        await self.send(context, answers, incoming.chat_kind)
        seconds = self.ticker() - started
        if self.on_reply is not None:
            self.on_reply(seconds)
        log.info(
            "handled %s: chat=%s message=%s length=%d answers=%d ms=%.0f",
            "button" if incoming.payload is not None else "message",
            incoming.chat_id,
            incoming.message_id,
            len(incoming.text),
            len(answers),
            seconds * 1000,
        )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # PTB's exceptions can carry the request URL, which holds the token: log the type and message only.
        error = context.error
        log.error("update failed: %s: %s", type(error).__name__, _without_token(str(error), context))
        if isinstance(update, Update) and update.effective_chat is not None:
            _ = translator("vi")
            chat = update.effective_chat
            kind = ChatKind.PRIVATE if chat.type == ChatType.PRIVATE else ChatKind.GROUP
            apology = Outgoing(str(chat.id), _("Sorry, something went wrong. Please try again in a moment."))
            try:
                await self.sender(context.bot).send_outgoing(apology, chat_kind=kind)
            except Exception as apology_error:  # the apology is best effort; the failure is already logged
                log.warning("could not apologise: %s", type(apology_error).__name__)

    # ---- Outgoing → Telegram ------------------------------------------------------------------------

    async def send(
        self, context: ContextTypes.DEFAULT_TYPE, answers: Sequence[Outgoing], chat_kind: ChatKind = ChatKind.PRIVATE
    ) -> None:
        for outgoing in answers:
            result = await self.send_one(context.bot, outgoing, chat_kind)
            if result is not None and not isinstance(result, Sent | Blocked):
                # As when PTB raised: the error handler logs it and apologises; the rest is not sent.
                raise AnswerNotSent(f"answer to chat {outgoing.chat_id} not sent: {result}")

    async def send_one(self, bot: Bot, outgoing: Outgoing, chat_kind: ChatKind = ChatKind.PRIVATE) -> SendResult | None:
        """One answer through the sender (which records a 403 as the outbox records one)."""
        return await self.sender(bot).send_outgoing(outgoing, chat_kind=chat_kind)

    # ---- the Application ----------------------------------------------------------------------------

    def build(self, token: str, *, base_url: str | None = None, base_file_url: str | None = None) -> Application:  # type: ignore[type-arg]
        # No PTB rate limiter: answers are paced by `self.limiter` in the sender (one budget with the
        # dispatcher's); the calls left unpaced (getUpdates, answerCallbackQuery, setMyCommands) are not
        # messages to a chat, which is what Telegram's limits count.
        builder = Application.builder().token(token)
        if base_url is not None:
            builder = builder.base_url(base_url)
        if base_file_url is not None:
            builder = builder.base_file_url(base_file_url)
        application = builder.build()
        application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGES & (filters.TEXT | filters.CAPTION), self.on_message)
        )
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_error_handler(self.on_error)
        return application


async def queue_update(application: Application, data: object) -> None:  # type: ignore[type-arg]
    """Webhook mode: an update Telegram posted goes the same way as a polled one (the Application's queue)."""
    if not isinstance(data, dict):
        raise ValueError("an update is a JSON object")
    update = Update.de_json(data, application.bot)
    await application.update_queue.put(update)


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Called explicitly at start: `post_init` hooks run only under run_polling/run_webhook."""
    for language in ("vi", "en"):
        _ = translator(language)
        commands = [BotCommand(name, _(description)) for name, description in COMMANDS]
        # Vietnamese is the default list; English for clients set to English.
        await application.bot.set_my_commands(commands, language_code=None if language == "vi" else "en")


def _keyboard(message: Message) -> Keyboard:
    """The inline keyboard a button was pressed on, as the core's buttons (link buttons, and any payload
    the core could not have made, left out)."""
    markup = message.reply_markup
    if markup is None:
        return ()
    return tuple(
        tuple(
            Button(b.text, b.callback_data)
            for b in row
            if isinstance(b.callback_data, str) and well_formed(b.callback_data)
        )
        for row in markup.inline_keyboard
    )


def _without_token(text: str, context: ContextTypes.DEFAULT_TYPE) -> str:
    token = context.bot.token
    return text.replace(token, "<token>") if token else text

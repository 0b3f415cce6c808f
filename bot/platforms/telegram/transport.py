"""The Telegram transport: python-telegram-bot 22 in front of the conversation core.

It only translates: an `Update` becomes an `Incoming`, each `Outgoing` becomes a `send_message` (or
`send_document`) with an inline keyboard. The core's work runs in a worker thread so the event loop
keeps polling while the database is busy.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.conversation import Conversation
from domain.delivery import record_blocked
from domain.messages import Button, ChatKind, Incoming, Outgoing, Platform
from locales import N_
from locales.catalogs import translator

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


class TelegramTransport:
    def __init__(
        self,
        conversation: Conversation,
        *,
        bot_username: str,
        on_reply: Callable[[float], None] | None = None,
        ticker: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`on_reply(seconds)` hears how long each message or button took, answers sent (metrics)."""
        self.conversation = conversation
        self.bot_username = bot_username.lstrip("@").lower()
        self.on_reply = on_reply
        self.ticker = ticker

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
        await self.send(context, answers)
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
            try:
                await context.bot.send_message(
                    update.effective_chat.id, _("Sorry, something went wrong. Please try again in a moment.")
                )
            except Exception as apology_error:  # the apology is best effort; the failure is already logged
                log.warning("could not apologise: %s", type(apology_error).__name__)

    # ---- Outgoing → Telegram ------------------------------------------------------------------------

    async def send(self, context: ContextTypes.DEFAULT_TYPE, answers: Sequence[Outgoing]) -> None:
        for outgoing in answers:
            await self.send_one(context.bot, outgoing)

    async def send_one(self, bot: Bot, outgoing: Outgoing) -> Message | None:
        markup = None
        if outgoing.buttons:
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row] for row in outgoing.buttons]
            )
        reply = (
            ReplyParameters(message_id=int(outgoing.reply_to_message_id), allow_sending_without_reply=True)
            if outgoing.reply_to_message_id and outgoing.reply_to_message_id.isdigit()
            else None
        )
        try:
            if outgoing.edit_message_id is not None:
                return await self._edit_buttons(bot, outgoing, markup)
            if outgoing.attachment is not None:
                sent = await bot.send_document(
                    outgoing.chat_id,
                    document=outgoing.attachment.content,
                    filename=outgoing.attachment.filename,
                    caption=outgoing.text[:1024] or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    reply_parameters=reply,
                )
            else:
                sent = await bot.send_message(
                    outgoing.chat_id,
                    outgoing.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    reply_parameters=reply,
                )
        except Forbidden:
            # Blocked by the person (or never started): recorded, so the unit lead can be told.
            await asyncio.to_thread(
                record_blocked, self.conversation.engine, Platform.TELEGRAM, outgoing.chat_id, self.conversation.clock()
            )
            return None
        if outgoing.prompt_id is not None:
            await asyncio.to_thread(self.conversation.prompt_sent, outgoing.prompt_id, str(sent.message_id))
        return sent

    async def _edit_buttons(self, bot: Bot, outgoing: Outgoing, markup: InlineKeyboardMarkup | None) -> Message | None:
        assert outgoing.edit_message_id is not None
        try:
            edited = await bot.edit_message_reply_markup(
                outgoing.chat_id, int(outgoing.edit_message_id), reply_markup=markup
            )
        except BadRequest as error:
            if "not modified" in error.message:  # a second press on the same button: the buttons are already so
                return None
            raise
        return edited if isinstance(edited, Message) else None

    # ---- the Application ----------------------------------------------------------------------------

    def build(
        self, token: str, *, base_url: str | None = None, base_file_url: str | None = None, max_retries: int = 3
    ) -> Application:  # type: ignore[type-arg]
        builder = Application.builder().token(token).rate_limiter(AIORateLimiter(max_retries=max_retries))
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


def _keyboard(message: Message) -> tuple[tuple[Button, ...], ...]:
    """The inline keyboard a button was pressed on, as the core's buttons (link buttons left out)."""
    markup = message.reply_markup
    if markup is None:
        return ()
    return tuple(
        tuple(Button(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str) and b.callback_data)
        for row in markup.inline_keyboard
    )


def _without_token(text: str, context: ContextTypes.DEFAULT_TYPE) -> str:
    token = context.bot.token
    return text.replace(token, "<token>") if token else text

"""Telegram: the transport (python-telegram-bot Application) and the sender the outbox dispatches through.

`PLATFORM` plugs it into the service (see bot/platforms/__init__.py). python-telegram-bot loads only
when the platform is built, not when this package is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from bot.platforms import Inbound, Outbound, Setup, Webhook, WebhookTarget, network_reason
from domain.messages import Platform
from locales import N_

if TYPE_CHECKING:
    from pydantic import SecretStr
    from telegram.ext import Application

    from bot.conversation import Conversation
    from bot.platforms.telegram.transport import TelegramTransport
    from domain.messages import Outgoing
    from locales.catalogs import Translate
    from scheduler.delivery.dispatch_settings import DispatchSettings
    from scheduler.delivery.ratelimit import RateLimiter

# Any well-formed token works against the sandbox; this one is never valid on Telegram.
SANDBOX_TOKEN = "7000000001:SANDBOX-local-only"
# Where the sandbox serves Telegram's Bot API and its files, under its address.
SANDBOX_API_PATH = "/bot"
SANDBOX_FILE_PATH = "/file/bot"
TELEGRAM_API = "https://api.telegram.org/bot"
# Characters per message, after entity parsing.
MESSAGE_LIMIT = 4096


class TelegramSettings(Protocol):
    """The settings Telegram reads (nhacviec.settings.Settings has them)."""

    @property
    def telegram_token(self) -> SecretStr | None: ...

    @property
    def telegram_bot_username(self) -> str: ...

    @property
    def telegram_base_url(self) -> str | None: ...

    @property
    def telegram_base_file_url(self) -> str | None: ...

    @property
    def dispatch(self) -> DispatchSettings: ...


def _token(settings: TelegramSettings) -> str:
    return settings.telegram_token.get_secret_value() if settings.telegram_token is not None else SANDBOX_TOKEN


def _urls(setup: Setup) -> tuple[str | None, str | None]:
    """The Bot API's base URL and its files' (None: Telegram's own)."""
    settings: TelegramSettings = setup.settings
    if setup.sandbox_root is not None:
        return setup.sandbox_root + SANDBOX_API_PATH, setup.sandbox_root + SANDBOX_FILE_PATH
    return settings.telegram_base_url, settings.telegram_base_file_url


@dataclass
class TelegramInbound:
    """The Application in front of the conversation, polling or in webhook mode."""

    transport: TelegramTransport
    application: Application  # type: ignore[type-arg]
    target: WebhookTarget | None
    username: str
    webhook: Webhook | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.target is not None:
            from bot.platforms.telegram.transport import SECRET_HEADER, queue_update

            application = self.application

            async def accept(data: Any) -> None:
                await queue_update(application, data)

            self.webhook = Webhook(SECRET_HEADER, accept)

    @property
    def title(self) -> str:
        return f"Telegram @{self.username}"

    async def prepare(self) -> None:
        from bot.platforms.telegram.transport import register_commands

        await self.application.initialize()
        # Registered here, not in post_init: post_init runs only under run_polling/run_webhook.
        await register_commands(self.application)
        await self.application.start()

    async def start(self) -> None:
        if self.target is not None:
            # Telegram posts every update to us from now on, each with the secret in its header.
            await self.application.bot.set_webhook(self.target.url, secret_token=self.target.secret)
        else:
            assert self.application.updater is not None
            # start_polling deletes any webhook first: switching back from webhook mode needs nothing else.
            await self.application.updater.start_polling(poll_interval=0.0, timeout=10)

    async def stop(self) -> None:
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def answer(self, outgoing: Outgoing) -> str | None:
        from scheduler.delivery.senders import Sent

        result = await self.transport.send_one(self.application.bot, outgoing)
        return result.message_id if isinstance(result, Sent) else None


@dataclass(frozen=True)
class TelegramPlatform:
    name: str = Platform.TELEGRAM.value
    platform: Platform = Platform.TELEGRAM
    message_limit: int = MESSAGE_LIMIT

    def has_token(self, settings: TelegramSettings) -> bool:
        return settings.telegram_token is not None

    def configured(self, settings: TelegramSettings, *, sandbox: bool) -> bool:
        return sandbox or self.has_token(settings)

    def secrets(self, settings: TelegramSettings) -> list[str]:
        return [SANDBOX_TOKEN] + ([settings.telegram_token.get_secret_value()] if settings.telegram_token else [])

    def outbound(self, setup: Setup) -> Outbound:
        from bot.platforms.telegram.sender import telegram_sender

        settings: TelegramSettings = setup.settings
        sender = telegram_sender(_token(settings), base_url=_urls(setup)[0], settings=settings.dispatch)
        return Outbound(sender, sender.bot.initialize, sender.bot.shutdown)

    def inbound(
        self,
        setup: Setup,
        conversation: Conversation,
        *,
        webhook: WebhookTarget | None,
        on_reply: Callable[[float], None] | None = None,
        limiter: RateLimiter | None = None,
    ) -> Inbound:
        from bot.platforms.telegram.transport import TelegramTransport

        settings: TelegramSettings = setup.settings
        transport = TelegramTransport(
            conversation, bot_username=settings.telegram_bot_username, on_reply=on_reply, limiter=limiter
        )
        base_url, base_file_url = _urls(setup)
        application = transport.build(_token(settings), base_url=base_url, base_file_url=base_file_url)
        return TelegramInbound(transport, application, webhook, settings.telegram_bot_username)

    def start_failure(self, _: Translate, error: BaseException, settings: TelegramSettings) -> str | None:
        # Loaded already when Telegram was started; nothing is imported for a platform that never ran.
        import sys

        if "telegram" not in sys.modules:
            return None
        from telegram.error import InvalidToken, NetworkError

        if isinstance(error, InvalidToken):
            return _(TOKEN_REFUSED)
        if isinstance(error, NetworkError):
            server = settings.telegram_base_url or TELEGRAM_API
            return _(UNREACHABLE).format(url=server, reason=network_reason(_, error))
        return None

    def sandbox_options(self, settings: TelegramSettings) -> dict[str, Any]:
        # The sandbox's bot has the name invite links and group mentions use.
        return {"bot_username": settings.telegram_bot_username}


TOKEN_REFUSED = N_("Telegram refused the bot's token: check NHACVIEC_TELEGRAM_TOKEN.")
UNREACHABLE = N_("Cannot reach Telegram at {url}: {reason}")

PLATFORM = TelegramPlatform()

__all__ = ["PLATFORM", "SANDBOX_TOKEN", "TelegramInbound", "TelegramPlatform", "TelegramSettings"]

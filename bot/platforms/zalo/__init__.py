"""Zalo (Zalo Bot Platform): the Bot API client, the plain-text renderer, the sender and the transport.

    api.py        ZaloApi: POST {base_url}{token}/{method}, answers unwrapped into typed errors
    render.py     neutral markup and buttons → plain-text messages of at most 2000 characters
    limits.py     Zalo's limits (settings) and its chat-kind rule
    sender.py     ZaloSender: an outbox row or a direct answer → sendMessage calls → SendResult
    dedup.py      each update handled once, remembered in the database (table platform_update)
    transport.py  ZaloTransport: long polling or webhook → Incoming → the conversation → ZaloSender

`PLATFORM` plugs it into the service (see bot/platforms/__init__.py). Nothing here is imported unless
Zalo is configured: a token, or the sandbox standing in for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.platforms import Inbound, Outbound, Setup, Webhook, WebhookTarget, network_reason
from domain.messages import Platform
from locales import N_

if TYPE_CHECKING:
    from pydantic import SecretStr

    from bot.conversation import Conversation
    from bot.platforms.zalo.api import ZaloApi
    from bot.platforms.zalo.limits import ZaloLimits
    from bot.platforms.zalo.transport import ZaloTransport
    from domain.messages import Outgoing
    from locales.catalogs import Translate
    from scheduler.delivery.dispatch_settings import DispatchSettings
    from scheduler.delivery.ratelimit import RateLimiter

log = logging.getLogger(__name__)

# The sandbox takes any token; this one is never valid on Zalo.
SANDBOX_TOKEN = "7000000001000000001:SANDBOX-local-only"
# Where the sandbox serves Zalo's Bot API, under its address.
SANDBOX_API_PATH = "/zalo/bot"
MESSAGE_LIMIT = 2000

TOKEN_REFUSED = N_("Zalo refused the bot's token: check NHACVIEC_ZALO_TOKEN.")
UNREACHABLE = N_("Cannot reach Zalo at {url}: {reason}")
REFUSED = N_("Zalo refused to start the bot: {reason}")


class ZaloSettings(Protocol):
    """The settings Zalo reads (nhacviec.settings.Settings has them)."""

    @property
    def zalo_token(self) -> SecretStr | None: ...

    @property
    def zalo_base_url(self) -> str: ...

    @property
    def zalo_poll_timeout_seconds(self) -> int: ...

    @property
    def zalo_request_timeout_seconds(self) -> float: ...

    @property
    def zalo_text_limit(self) -> int: ...

    @property
    def zalo_retry_after_seconds(self) -> float: ...

    @property
    def zalo_update_retention_days(self) -> int: ...

    @property
    def locale(self) -> str: ...

    @property
    def dispatch(self) -> DispatchSettings: ...


def _api(setup: Setup) -> ZaloApi:
    from bot.platforms.zalo.api import ZaloApi

    settings: ZaloSettings = setup.settings
    if setup.sandbox_root is not None:
        return ZaloApi(
            SANDBOX_TOKEN,
            base_url=setup.sandbox_root + SANDBOX_API_PATH,
            timeout=settings.zalo_request_timeout_seconds,
        )
    assert settings.zalo_token is not None
    return ZaloApi(settings.zalo_token, base_url=settings.zalo_base_url, timeout=settings.zalo_request_timeout_seconds)


def _limits(settings: ZaloSettings) -> ZaloLimits:
    from bot.platforms.zalo.limits import ZaloLimits

    return ZaloLimits(
        text=settings.zalo_text_limit,
        retry_after_seconds=settings.zalo_retry_after_seconds,
        rates=settings.dispatch.zalo,
    )


@dataclass
class ZaloInbound:
    """The Zalo transport in front of the conversation: a polling task, or the webhook route."""

    transport: ZaloTransport
    target: WebhookTarget | None
    webhook: Webhook | None = field(init=False, default=None)
    name: str = field(init=False, default="")
    _stop: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _polling: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.target is not None:
            from bot.platforms.zalo.transport import SECRET_HEADER

            self.webhook = Webhook(SECRET_HEADER, self.transport.accept)

    @property
    def title(self) -> str:
        return f"Zalo {self.name}".rstrip()

    async def prepare(self) -> None:
        # getMe: a wrong token fails here, at start, and group mentions of the bot are recognised.
        me = await self.transport.identify()
        found = [me.get(key) for key in ("account_name", "display_name", "name")]
        self.name = next((value for value in found if isinstance(value, str) and value), "")

    async def start(self) -> None:
        if self.target is not None:
            from bot.platforms.zalo.transport import set_webhook

            await set_webhook(self.transport.api, self.target.url, self.target.secret)
        else:
            self._polling = asyncio.create_task(self.transport.run(self._stop), name="zalo-polling")

    async def stop(self) -> None:
        self._stop.set()
        polling, self._polling = self._polling, None
        if polling is not None:
            try:
                await polling
            except Exception as error:  # the loop handles its own errors; anything else ends it, logged
                log.error("zalo: polling ended with %s", type(error).__name__)
        await self.transport.api.aclose()

    async def answer(self, outgoing: Outgoing) -> str | None:
        from scheduler.delivery.senders import Sent

        result = await self.transport.sender.send_outgoing(outgoing, locale=self.transport.default_locale)
        return result.message_id if isinstance(result, Sent) else None


@dataclass(frozen=True)
class ZaloPlatform:
    name: str = Platform.ZALO.value
    platform: Platform = Platform.ZALO
    message_limit: int = MESSAGE_LIMIT

    def has_token(self, settings: ZaloSettings) -> bool:
        return settings.zalo_token is not None

    def configured(self, settings: ZaloSettings, *, sandbox: bool) -> bool:
        return sandbox or self.has_token(settings)

    def secrets(self, settings: ZaloSettings) -> list[str]:
        return [SANDBOX_TOKEN] + ([settings.zalo_token.get_secret_value()] if settings.zalo_token else [])

    def outbound(self, setup: Setup) -> Outbound:
        from bot.platforms.zalo.sender import ZaloSender

        settings: ZaloSettings = setup.settings
        api = _api(setup)
        sender = ZaloSender(
            api, engine=setup.engine, clock=setup.clock, limits=_limits(settings), default_locale=settings.locale
        )

        async def nothing_to_open() -> None:
            """httpx connects on the first request."""

        return Outbound(sender, nothing_to_open, api.aclose)

    def inbound(
        self,
        setup: Setup,
        conversation: Conversation,
        *,
        webhook: WebhookTarget | None,
        on_reply: Callable[[float], None] | None = None,
        limiter: RateLimiter | None = None,
    ) -> Inbound:
        from bot.platforms.zalo.sender import ZaloSender
        from bot.platforms.zalo.transport import ZaloTransport
        from scheduler.delivery import ratelimit

        settings: ZaloSettings = setup.settings
        api = _api(setup)
        limits = _limits(settings)
        # Answers are paced by Zalo's rates like the outbox: by the dispatcher's own limiter when given one.
        sender = ZaloSender(
            api,
            engine=setup.engine,
            clock=setup.clock,
            limits=limits,
            default_locale=settings.locale,
            reply_limiter=limiter if limiter is not None else ratelimit.RateLimiter(limits.rates),
        )
        transport = ZaloTransport(
            conversation,
            api,
            setup.engine,
            setup.clock,
            sender=sender,
            poll_timeout_seconds=settings.zalo_poll_timeout_seconds,
            retention=timedelta(days=settings.zalo_update_retention_days),
            default_locale=settings.locale,
            on_reply=on_reply,
        )
        return ZaloInbound(transport, webhook)

    def start_failure(self, _: Translate, error: BaseException, settings: ZaloSettings) -> str | None:
        import sys

        if "bot.platforms.zalo.api" not in sys.modules:  # Zalo never ran: none of its errors
            return None
        from bot.platforms.zalo.api import ZaloApiError, ZaloNetworkError

        if isinstance(error, ZaloApiError):
            return _(TOKEN_REFUSED) if error.error_code == 401 else _(REFUSED).format(reason=error.description)
        if isinstance(error, ZaloNetworkError):
            return _(UNREACHABLE).format(url=settings.zalo_base_url, reason=network_reason(_, error))
        return None

    def sandbox_options(self, settings: ZaloSettings) -> dict[str, Any]:
        return {}


PLATFORM = ZaloPlatform()

__all__ = ["PLATFORM", "SANDBOX_TOKEN", "ZaloInbound", "ZaloPlatform", "ZaloSettings"]

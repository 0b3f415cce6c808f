"""Chat platforms: one folder each, holding its transport (receive) and sender (send, for replies and the outbox).

A platform plugs in as its folder plus one line of wiring. The folder's `__init__.py` exposes
`PLATFORM`, an object of the shape `ChatPlatform` below; `nhacviec/platforms.py` lists them, one line
each, and the service and the dispatcher's workers loop over the configured ones:

    name, platform      its name in outbox rows, accounts and the webhook path; the core's `Platform`
    message_limit       characters per message the conversation fits its answers to
    has_token           whether its real API is configured (without any token the sandbox runs instead)
    configured          whether it runs at all: a token, or the sandbox standing in for it
    secrets             what the log must never show (its token, the sandbox's stand-in token)
    outbound            its outbox `Sender`, with how to open and close its connections
    inbound             its transport around the conversation: polling, or a `Webhook` route; its answers
                        paced by `limiter`, the dispatcher's for the platform when this process has one
                        (answers and the outbox then count against one budget), else its own
    start_failure       the one line `nhacviec run` ends with when the platform refused to start
    sandbox_options     what the sandbox needs to stand in for it (keyword arguments of `Sandbox`)

The folder imports its libraries lazily, inside these methods: a service that runs without a platform
never loads it (`bench/footprint.py` measures Telegram-only start).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from domain.messages import Platform
from locales import N_

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.conversation import Conversation
    from domain.messages import Outgoing
    from locales.catalogs import Translate
    from scheduler.delivery.ratelimit import RateLimiter
    from scheduler.delivery.senders import Sender

Clock = Callable[[], datetime]
WEBHOOK_PREFIX = "/webhook/"


@dataclass(frozen=True)
class Setup:
    """What the wiring hands a platform to build its parts.

    `settings` is `nhacviec.settings.Settings` (not imported here: the wiring sits above the platforms);
    each platform reads its own fields through a Protocol in its folder. `sandbox_root` is the sandbox's
    address (`http://127.0.0.1:8080`) when it stands in for every platform; each platform knows where
    under it the sandbox serves its Bot API."""

    settings: Any
    engine: Engine
    clock: Clock
    sandbox_root: str | None = None


@dataclass(frozen=True)
class WebhookTarget:
    """Webhook mode: where the platform is told to post updates, and the secret it repeats in a header."""

    url: str
    secret: str


@dataclass(frozen=True)
class Webhook:
    """What the service's HTTP server needs for `POST /webhook/<name>`: the header that must carry the
    secret, and what to do with the JSON body once it does."""

    secret_header: str
    accept: Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Outbound:
    """A platform's sender for the dispatcher, and its connections' life cycle."""

    sender: Sender
    open: Callable[[], Awaitable[None]]
    close: Callable[[], Awaitable[None]]


class Inbound(Protocol):
    """A platform's transport, built around the conversation. The service calls `prepare` (check the
    token, learn the bot's name), adds `webhook` to its HTTP server when there is one, then `start`
    (polling begins, or the webhook is registered with the platform), and `stop` at the end — also
    after a failed start, so each step must cope with the ones before it not having run."""

    @property
    def webhook(self) -> Webhook | None: ...

    @property
    def title(self) -> str:
        """How the bot is known there, for the start line ("Telegram @nhacviec_bot")."""
        ...

    async def prepare(self) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def answer(self, outgoing: Outgoing) -> str | None:
        """Sends one answer of the conversation; the platform's message id, None when it did not go."""
        ...


class ChatPlatform(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def platform(self) -> Platform: ...

    @property
    def message_limit(self) -> int: ...

    def has_token(self, settings: Any) -> bool: ...

    def configured(self, settings: Any, *, sandbox: bool) -> bool: ...

    def secrets(self, settings: Any) -> list[str]: ...

    def outbound(self, setup: Setup) -> Outbound: ...

    def inbound(
        self,
        setup: Setup,
        conversation: Conversation,
        *,
        webhook: WebhookTarget | None,
        on_reply: Callable[[float], None] | None = None,
        limiter: RateLimiter | None = None,
    ) -> Inbound: ...

    def start_failure(self, _: Translate, error: BaseException, settings: Any) -> str | None: ...

    def sandbox_options(self, settings: Any) -> dict[str, Any]: ...


NO_ANSWER = N_("the server does not answer")


def network_reason(_: Translate, error: BaseException) -> str:
    """Why a platform's server could not be reached, for a start failure's line: "the server does not
    answer", or the error's first line."""
    text = str(error)
    if "connect" in text.lower() or "timed out" in text.lower():
        return _(NO_ANSWER)
    return text.splitlines()[0] if text else type(error).__name__


def webhook_path(name: str) -> str:
    """The path of a platform's webhook on the service's HTTP server: `/webhook/<name>`."""
    return WEBHOOK_PREFIX + name


def plugged_in(name: str) -> Platform:
    """The core's `Platform` value for a platform added beside Telegram and Zalo: its name is its value.

    `Platform` lists the platforms the core knows by name (what /kenh offers); one plugged in later is
    a value of the same type made here, so the core takes its messages and accounts like any other.
    `Platform(name)` still refuses names it does not list."""
    if name in Platform._value2member_map_:
        return Platform(name)
    member = str.__new__(Platform, name)
    member._name_ = name.upper()
    member._value_ = name
    return member


__all__ = [
    "ChatPlatform",
    "Clock",
    "Inbound",
    "Outbound",
    "Setup",
    "Webhook",
    "WebhookTarget",
    "network_reason",
    "plugged_in",
    "webhook_path",
]

"""A third chat platform, defined only in the tests: proof that a platform plugs in as one folder and one
line of wiring (`start(settings, platforms=(*PLATFORMS, fake))`), with no change to the core.

Its "network" lives in memory: people write with `FakeNetwork.person_says`, the transport hands that to
the conversation and posts the answers back, the sender posts the dispatcher's outbox rows. Each
platform message is plain text with the choices listed under it, as a platform without buttons shows
them. The parts follow `bot/platforms/__init__.py`'s `ChatPlatform` exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.conversation import Conversation
from bot.platforms import Inbound, Outbound, Setup, WebhookTarget, plugged_in
from domain.messages import Platform
from locales.catalogs import Translate
from scheduler.delivery.ratelimit import RateLimiter
from tests.platforms.fake.network import FakeNetwork
from tests.platforms.fake.sender import FakeSender
from tests.platforms.fake.transport import FakeTransport

NAME = "fake"


async def _nothing() -> None:
    pass


@dataclass(frozen=True)
class FakePlatform:
    """The `ChatPlatform` of the fake: always configured (it needs no token), its network in memory."""

    network: FakeNetwork = field(default_factory=FakeNetwork)
    name: str = NAME
    platform: Platform = field(default_factory=lambda: plugged_in(NAME))
    message_limit: int = 1000

    def has_token(self, settings: Any) -> bool:
        return False

    def configured(self, settings: Any, *, sandbox: bool) -> bool:
        return True

    def secrets(self, settings: Any) -> list[str]:
        return []

    def outbound(self, setup: Setup) -> Outbound:
        return Outbound(FakeSender(self.network), _nothing, _nothing)

    def inbound(
        self,
        setup: Setup,
        conversation: Conversation,
        *,
        webhook: WebhookTarget | None,
        on_reply: Callable[[float], None] | None = None,
        limiter: RateLimiter | None = None,
    ) -> Inbound:
        return FakeTransport(conversation, self.network, self.platform, setup.clock)

    def start_failure(self, _: Translate, error: BaseException, settings: Any) -> str | None:
        return None

    def sandbox_options(self, settings: Any) -> dict[str, Any]:
        return {}

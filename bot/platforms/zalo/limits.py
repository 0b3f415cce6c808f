"""Zalo's limits and its chat-kind rule.

Zalo publishes no rate limits (platforms.md): the send rates are `scheduler.delivery.ratelimit.ZALO_LIMITS`
(5 messages a second overall, one every 2 seconds per private chat, 20 a minute per group), settings
under `NHACVIEC_DISPATCH__ZALO__*`, and every 429 is honoured. The text limit is documented: 1–2000
characters per sendMessage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.messages import ChatKind
from scheduler.delivery.ratelimit import ZALO_LIMITS, PlatformLimits

TEXT_LIMIT = 2000
# A 429 whose answer names no wait (Zalo documents none): wait this long before that chat's next message.
DEFAULT_RETRY_AFTER_SECONDS = 30.0

CHAT_TYPES = {"PRIVATE": ChatKind.PRIVATE, "GROUP": ChatKind.GROUP}


@dataclass(frozen=True)
class ZaloLimits:
    """What the sender keeps to: characters per message, the wait after a bare 429, the send rates."""

    text: int = TEXT_LIMIT
    retry_after_seconds: float = DEFAULT_RETRY_AFTER_SECONDS
    rates: PlatformLimits = field(default_factory=lambda: ZALO_LIMITS)

    def __post_init__(self) -> None:
        if not 1 <= self.text <= TEXT_LIMIT:
            raise ValueError(f"a Zalo message holds 1–{TEXT_LIMIT} characters, not {self.text}")
        if self.retry_after_seconds <= 0:
            raise ValueError("the wait after a 429 must be positive")


def chat_kind(chat_type: str) -> ChatKind:
    """The kind of a Zalo chat, from the update's `chat.chat_type` ("PRIVATE" or "GROUP"). Never from the
    id: Zalo's ids are opaque strings, a group's looks like a person's. Anything else is a ValueError."""
    try:
        return CHAT_TYPES[chat_type.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown Zalo chat_type {chat_type!r}") from None


__all__ = ["DEFAULT_RETRY_AFTER_SECONDS", "TEXT_LIMIT", "ZaloLimits", "chat_kind"]

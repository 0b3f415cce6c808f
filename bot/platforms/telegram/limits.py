"""What Telegram's Bot API accepts in one message (core.telegram.org/bots/api), as the renderer keeps to.

Lengths are counted as Telegram counts them: on the text shown, after the HTML is parsed (tags left
out, an entity one character), in UTF-16 code units (an emoji outside the BMP counts two). The send
rates are `scheduler.delivery.ratelimit.TELEGRAM_LIMITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_LIMIT = 4096  # sendMessage text
CAPTION_LIMIT = 1024  # sendDocument caption
# An inline button's callback_data, 1–64 bytes: domain.payloads.MAX_PAYLOAD_BYTES is at most this (a test
# says so), and the renderer checks every payload against it all the same.
CALLBACK_DATA_BYTES = 64
BUTTONS_LIMIT = 100  # inline buttons on one message


@dataclass(frozen=True)
class TelegramLimits:
    """The lengths the renderer keeps to: Telegram's own, or less (a test's sandbox with smaller ones)."""

    text: int = TEXT_LIMIT
    caption: int = CAPTION_LIMIT

    def __post_init__(self) -> None:
        if not 1 <= self.text <= TEXT_LIMIT or not 1 <= self.caption <= CAPTION_LIMIT:
            raise ValueError(f"Telegram takes 1–{TEXT_LIMIT} characters a message and 1–{CAPTION_LIMIT} a caption")


__all__ = ["BUTTONS_LIMIT", "CALLBACK_DATA_BYTES", "CAPTION_LIMIT", "TEXT_LIMIT", "TelegramLimits"]

"""The platform-neutral messages: what the conversation core takes in and gives out.

Transports (one file per platform) translate their updates into `Incoming` and send each `Outgoing`.
The core never assumes a platform feature: where a platform has no buttons (Zalo), the transport
shows the same choices numbered, and a reply with the number comes back as the button's payload.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Telegram accepts 1–64 bytes of callback data; every payload the core makes fits, checked at creation.
MAX_PAYLOAD_BYTES = 64
# C0 controls but tab and line breaks, DEL, C1 controls, and lone surrogates: PostgreSQL refuses NUL in
# text and UTF-8 cannot carry a surrogate, so such a message would fail on one database and not the
# other. Nobody means them; they arrive from copy-paste and odd clients.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def checked_payload(payload: str) -> str:
    """`payload` itself, or ValueError when Telegram would refuse it as callback data."""
    size = len(payload.encode("utf-8"))
    if not 1 <= size <= MAX_PAYLOAD_BYTES:
        raise ValueError(f"button payload must be 1–{MAX_PAYLOAD_BYTES} bytes, not {size}")
    return payload


def clean_text(text: str) -> str:
    """What people sent, as the core may keep it on any database: each control character a space
    (so "xong\\x00rồi" still reads as two words), NFC."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text))


class Platform(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Button:
    label: str
    payload: str

    def __post_init__(self) -> None:
        checked_payload(self.payload)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Incoming:
    platform: Platform
    chat_id: str
    chat_kind: ChatKind
    sender_id: str
    sender_name: str
    text: str
    message_id: str
    at: datetime  # aware
    reply_to_message_id: str | None = None  # the message this one answers, if any
    payload: str | None = None  # a pressed button's payload
    edited: bool = False
    # In groups the bot reacts only to commands, replies to itself and mentions; the transport says which.
    addressed_to_bot: bool = True
    # With a pressed button: the buttons of the message it is on (rows), so an answer can rearrange them.
    keyboard: tuple[tuple[Button, ...], ...] = ()

    def __post_init__(self) -> None:
        # The edge of the core: every transport's text is cleaned here, the same for SQLite and PostgreSQL.
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "sender_name", clean_text(self.sender_name))


@dataclass(frozen=True)
class Outgoing:
    chat_id: str
    text: str  # HTML: user text inside is already escaped
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of buttons
    reply_to_message_id: str | None = None
    attachment: Attachment | None = None
    # Lets the transport record which prompt the sent message is (a reminder, a question about a reply),
    # so a later reply to it finds its occurrence.
    prompt_id: int | None = None
    # Set: not a new message but new buttons for this one (the message a button was pressed on); the
    # text is then unused.
    edit_message_id: str | None = None

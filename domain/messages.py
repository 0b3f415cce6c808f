"""The platform-neutral messages: what the conversation core takes in and gives out.

Transports (one folder per platform) translate their updates into `Incoming` and send each `Outgoing`.
An `Outgoing`'s text is the neutral markup (`domain/markup.py`), checked when the message is made; its
buttons are `Button`s whose payloads only `domain.payloads.encode` makes. The core never assumes a
platform feature: each platform renders the markup and the buttons its own way (where a platform has no
buttons, Zalo, the choices are numbered, and a reply with the number comes back as the button's payload).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.markup import validate
from domain.payloads import well_formed

# C0 controls but tab and line breaks, DEL, C1 controls, and lone surrogates: PostgreSQL refuses NUL in
# text and UTF-8 cannot carry a surrogate, so such a message would fail on one database and not the
# other. Nobody means them; they arrive from copy-paste and odd clients.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


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
    """A choice offered under a message: its `payload` made by `domain.payloads.encode` (checked here: a
    payload `decode` refuses is a ValueError), or, for a link button, a `url` and no payload."""

    label: str
    payload: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.payload is None) == (self.url is None):
            raise ValueError(f"button {self.label!r}: give a payload or a url, not both or neither")
        if self.payload is not None and not well_formed(self.payload):
            raise ValueError(f"button {self.label!r}: {self.payload!r} is not a payload domain.payloads makes")
        if self.url is not None and not self.url.startswith(("https://", "http://", "tg://")):
            raise ValueError(f"button {self.label!r}: {self.url!r} is not a link")


# Rows of buttons, top to bottom, each left to right.
Keyboard = tuple[tuple[Button, ...], ...]


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
    keyboard: Keyboard = ()

    def __post_init__(self) -> None:
        # The edge of the core: every transport's text is cleaned here, the same for SQLite and PostgreSQL.
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "sender_name", clean_text(self.sender_name))


@dataclass(frozen=True)
class Outgoing:
    chat_id: str
    text: str  # the neutral markup (domain/markup.py): what people wrote is escaped inside
    buttons: Keyboard = ()
    reply_to_message_id: str | None = None
    attachment: Attachment | None = None
    # Set: not a new message but new buttons for this one (the message a button was pressed on); the
    # text is then unused.
    edit_message_id: str | None = None
    # The text already lists the choices, numbered in the buttons' order ("1. I.2 — hạn …"): a platform
    # that shows choices as a numbered list (Zalo) adds only how to answer, not the list a second time.
    choices_in_text: bool = False

    def __post_init__(self) -> None:
        validate(self.text)  # a malformed text fails where it is made, not at the platform

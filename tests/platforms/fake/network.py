"""The fake platform's servers, in memory: every chat's messages, and where people's messages go."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.markup import plain as plain_text

if TYPE_CHECKING:
    from tests.platforms.fake.transport import FakeTransport


def plain(text: str, choices: list[str]) -> str:
    """What a person on the fake platform reads: the core's neutral markup as plain text, then the
    numbered choices."""
    lines = [plain_text(text)]
    lines += [f"{number}. {label}" for number, label in enumerate(choices, start=1)]
    return "\n".join(lines)


@dataclass(frozen=True)
class FakeMessage:
    message_id: str
    chat_id: str
    from_bot: bool
    text: str


@dataclass
class FakeNetwork:
    """The platform's servers: every chat's messages, and the transport people's messages go to."""

    chats: dict[str, list[FakeMessage]] = field(default_factory=dict)
    transport: FakeTransport | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def post(self, chat_id: str, text: str, *, from_bot: bool) -> FakeMessage:
        message = FakeMessage(f"f{next(self._ids)}", chat_id, from_bot, text)
        self.chats.setdefault(chat_id, []).append(message)
        self._changed.set()
        return message

    def bot_messages(self, chat_id: str) -> list[str]:
        return [message.text for message in self.chats.get(chat_id, []) if message.from_bot]

    async def person_says(self, user_id: str, name: str, text: str) -> list[str]:
        """The person writes to the bot in their private chat; the bot's answers to it."""
        assert self.transport is not None, "the fake platform is not running"
        message = self.post(user_id, text, from_bot=False)
        before = len(self.bot_messages(user_id))
        await self.transport.receive(message, name)
        return self.bot_messages(user_id)[before:]

    async def wait_for(self, chat_id: str, fragment: str, timeout: float = 15.0) -> str:
        """The first bot message in the chat holding `fragment`, once it is there."""

        async def arrived() -> str:
            while True:
                found = [text for text in self.bot_messages(chat_id) if fragment in text]
                if found:
                    return found[0]
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(arrived(), timeout)

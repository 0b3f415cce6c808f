"""The fake platform's transport: people's messages to the conversation, its answers back."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.conversation import Conversation
from bot.platforms import Webhook
from domain.messages import ChatKind, Incoming, Outgoing, Platform
from tests.platforms.fake.network import FakeMessage, FakeNetwork, plain


class FakeTransport:
    """People's messages in, the conversation's answers out (in memory, polling nothing)."""

    def __init__(self, conversation: Conversation, network: FakeNetwork, platform: Platform, clock: Any) -> None:
        self.conversation = conversation
        self.network = network
        self.platform = platform
        self.clock = clock

    @property
    def webhook(self) -> Webhook | None:
        return None

    @property
    def title(self) -> str:
        return "Fake"

    async def prepare(self) -> None:
        pass

    async def start(self) -> None:
        self.network.transport = self

    async def stop(self) -> None:
        self.network.transport = None

    async def receive(self, message: FakeMessage, name: str) -> None:
        incoming = Incoming(
            platform=self.platform,
            chat_id=message.chat_id,
            chat_kind=ChatKind.PRIVATE,
            sender_id=message.chat_id,  # a private chat's id is its person's, as on Zalo
            sender_name=name,
            text=message.text,
            message_id=message.message_id,
            at=self.clock(),
        )
        for outgoing in await asyncio.to_thread(self.conversation.handle, incoming):
            await self.answer(outgoing)

    async def answer(self, outgoing: Outgoing) -> str | None:
        labels = [button.label for row in outgoing.buttons for button in row]
        return self.network.post(outgoing.chat_id, plain(outgoing.text, labels), from_bot=True).message_id

"""The fake platform's sender: what the dispatcher sends an outbox row through."""

from __future__ import annotations

from models.reminders import OutboxMessage
from scheduler.delivery.outbox import buttons_from_json
from scheduler.delivery.senders import SendResult, Sent
from tests.platforms.fake.network import FakeNetwork, plain


class FakeSender:
    """The outbox's sender: a row becomes a bot message in its chat, acknowledged at once."""

    def __init__(self, network: FakeNetwork) -> None:
        self.network = network

    async def send(self, message: OutboxMessage) -> SendResult:
        labels = [button.label for row in buttons_from_json(message.buttons) for button in row]
        return Sent(self.network.post(message.chat_id, plain(message.text, labels), from_bot=True).message_id)

"""What the dispatcher sends through: one `Sender` per platform, answering what the platform said.

    Sent(message_id)     the platform acknowledged it: the only result that marks a row sent
    RetryAfter(seconds)  429: the platform says when to come back (nothing goes to it meanwhile)
    Transient(error)     5xx, network trouble, a timeout: try again later with backoff
    Blocked(error)       403: the person blocked the bot (or never opened it)
    Permanent(error)     the platform refused the message itself (400): trying again cannot help

A timeout is Transient although the message may have arrived (the answer was lost, not the
request): sending again risks a duplicate, not sending risks a loss, and the rule is that nothing
is lost — the duplicate is one of "the messages in flight" the rules allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from models.reminders import OutboxMessage


@dataclass(frozen=True)
class Sent:
    message_id: str


@dataclass(frozen=True)
class RetryAfter:
    seconds: float


@dataclass(frozen=True)
class Transient:
    error: str


@dataclass(frozen=True)
class Blocked:
    error: str = "Forbidden"


@dataclass(frozen=True)
class Permanent:
    error: str


SendResult = Sent | RetryAfter | Transient | Blocked | Permanent


@runtime_checkable
class Sender(Protocol):
    """Sends one outbox row to its platform. Must not raise for what the platform answered; an
    exception is treated as Transient."""

    async def send(self, message: OutboxMessage) -> SendResult: ...


__all__ = ["Blocked", "Permanent", "RetryAfter", "SendResult", "Sender", "Sent", "Transient"]

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

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

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


# Rows whose later parts are still to send, remembered at most (the oldest forgotten first).
MAX_REMEMBERED = 1024

Part = TypeVar("Part")


class PartsSent(Generic[Part]):
    """Which parts of a split outbox row a sender already sent, so its next try goes on after them
    instead of sending them twice. Kept per row id while the row waits for a retry (a 429 or a
    transient fault after some parts went out), in this process only: after a restart the row starts
    over, which the outbox's at-least-once promise allows."""

    def __init__(self, limit: int = MAX_REMEMBERED) -> None:
        self.limit = limit
        self._rows: OrderedDict[int, tuple[tuple[Part, ...], int, str | None]] = OrderedDict()

    def resume(self, row_id: int | None, parts: tuple[Part, ...]) -> tuple[int, str | None]:
        """Where sending `parts` starts (the count already sent) and the message id kept with them; from
        the beginning when the row is unknown or renders to other parts now."""
        known = self._rows.pop(row_id, None) if row_id is not None else None
        return (known[1], known[2]) if known is not None and known[0] == parts else (0, None)

    def keep(
        self, row_id: int | None, parts: Sequence[Part], sent: int, message_id: str | None, result: SendResult
    ) -> None:
        """Remembers a row that stopped part-way on a fault worth retrying."""
        if row_id is None or not 0 < sent < len(parts) or not isinstance(result, RetryAfter | Transient):
            return
        self._rows[row_id] = (tuple(parts), sent, message_id)
        while len(self._rows) > self.limit:
            self._rows.popitem(last=False)


__all__ = [
    "MAX_REMEMBERED",
    "Blocked",
    "PartsSent",
    "Permanent",
    "RetryAfter",
    "SendResult",
    "Sender",
    "Sent",
    "Transient",
]

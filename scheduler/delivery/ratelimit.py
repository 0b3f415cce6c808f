"""Sending within the platforms' limits: per-platform budgets, pure and driven by the time passed in.

Which time: rate limits are about how fast the bot talks to the platform, so they run on a monotonic
ticker (seconds), never on the product's calendar clock — a test that jumps the calendar a week
ahead must not refill anybody's budget. Every method takes `now` (those seconds) as an argument, so
unit tests drive them with plain numbers; only `RateLimiter.acquire` waits, through the injected
`sleep`.

Telegram's published figures (not contractual): about 30 messages a second overall, about one a
second per private chat (short bursts pass), 20 a minute per group. The overall and private limits
are token buckets; the group limit is a sliding window ("no 60-second stretch holds more than 20"),
because a bucket refilling while it drains would let 40 through in the first minute.

Our side must stay under the platform's count as the *platform* sees it, and a request reaches the
platform some time after we let it go. So our buckets allow a smaller burst than the platform's
(the difference absorbs the jitter of the network and of the event loop), and a group window slot
is stamped with the time the answer came back (`Slot.done`), which is never earlier than the
moment the platform counted the message: the next message after a full window leaves only once
that answer is 60 seconds old.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from domain.messages import ChatKind

Ticker = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Refills are sums of float products: 0.0333… s at 30/s gives 0.99999999 tokens, not 1. A token that
# short is a whole token — otherwise the wait left would be too small to move any clock forward.
EPSILON = 1e-9


@dataclass(frozen=True)
class PlatformLimits:
    """One platform's limits as we keep them (settings; see `DispatchSettings`)."""

    overall_per_second: float = 30.0
    # Smaller than the platform's own burst on purpose: the slack absorbs network jitter.
    overall_burst: int = 5
    private_per_second: float = 1.0
    private_burst: int = 2
    group_per_minute: int = 20
    group_window_seconds: float = 60.0
    # A 429 pauses the chat it answered; 429s for this many different chats within their pauses mean
    # the platform's overall limit, and pause the whole platform (Telegram says nothing of the scope).
    platform_pause_chats: int = 3

    def __post_init__(self) -> None:
        if min(self.overall_per_second, self.private_per_second, self.group_window_seconds) <= 0:
            raise ValueError("rates and the group window must be positive")
        if min(self.overall_burst, self.private_burst, self.group_per_minute) < 1:
            raise ValueError("bursts and the group limit must be at least 1")


TELEGRAM_LIMITS = PlatformLimits()
# Zalo publishes no figures: start conservative (and honour its 429s).
ZALO_LIMITS = PlatformLimits(overall_per_second=5.0, overall_burst=2, private_per_second=0.5, private_burst=1)


@dataclass
class TokenBucket:
    """`capacity` tokens refilled at `rate` a second; one message takes one token."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, capacity: float, rate: float, now: float) -> TokenBucket:
        return cls(capacity=capacity, rate=rate, tokens=capacity, updated=now)

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)  # a ticker that went backwards must not drain it
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(self.updated, now)

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0 when one is there now)."""
        self.refill(now)
        return 0.0 if self.tokens >= 1 - EPSILON else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self.refill(now)
        self.tokens -= 1

    def idle(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= self.capacity - EPSILON


def grant(
    tokens: float, updated: float, now: float, *, rate: float, capacity: float, want: int
) -> tuple[float, int, float]:
    """A shared token bucket (one platform's overall budget, kept in the database for every worker):
    refill it to `now`, take up to `want` whole tokens. Returns (tokens left, tokens granted, seconds
    until the next token when none was granted)."""
    tokens = min(capacity, tokens + max(0.0, now - updated) * rate)
    granted = max(0, min(want, math.floor(tokens + EPSILON)))
    tokens -= granted
    wait = 0.0 if granted else (1 - tokens) / rate
    return tokens, granted, wait


@dataclass
class SlidingWindow:
    """At most `limit` messages in any `period` seconds. A message holds its place from the moment it
    leaves (`reserve`) and is dated when its answer comes back (`complete`)."""

    limit: int
    period: float
    done: deque[float] = field(default_factory=deque)  # answer times, oldest first
    pending: int = 0

    def _expire(self, now: float) -> None:
        while self.done and self.done[0] <= now - self.period + EPSILON:
            self.done.popleft()

    def wait(self, now: float) -> float:
        self._expire(now)
        if len(self.done) + self.pending < self.limit:
            return 0.0
        if not self.done:
            return self.period  # every place is taken by a message still on its way: ask again later
        return max(self.done[0] + self.period - now, EPSILON)

    def reserve(self) -> None:
        self.pending += 1

    def complete(self, now: float) -> None:
        self.pending = max(0, self.pending - 1)
        if self.done and now < self.done[-1]:
            now = self.done[-1]  # keep the deque ordered even if the ticker stepped back
        self.done.append(now)

    def idle(self, now: float) -> bool:
        self._expire(now)
        return not self.done and not self.pending


@dataclass
class Slot:
    """A message allowed to go; call `RateLimiter.done(slot, now)` once its answer came back."""

    chat_id: str
    kind: ChatKind
    finished: bool = False


class RateLimiter:
    """The budgets of one platform: overall, per private chat, per group; plus a pause after a 429."""

    def __init__(
        self, limits: PlatformLimits, *, ticker: Ticker = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limits = limits
        self.ticker = ticker
        self.sleep = sleep
        self._overall: TokenBucket | None = None
        self._private: dict[str, TokenBucket] = {}
        self._groups: dict[str, SlidingWindow] = {}
        self._paused_until = -math.inf
        self._chat_paused: dict[str, float] = {}  # chat → end of its 429 pause
        self._checks = 0

    # ---- pure: everything takes `now` -----------------------------------------------------------

    def overall_wait(self, now: float) -> float:
        """Seconds before any message may go (the overall budget and a 429 pause)."""
        return max(self._paused_until - now, self._overall_bucket(now).wait(now), 0.0)

    def chat_wait(self, chat_id: str, kind: ChatKind, now: float) -> float:
        """Seconds before a message to this chat may go, as far as the chat's own budget goes. The kind
        is the row's (`OutboxMessage.chat_kind`), never guessed from the id: Zalo's ids are opaque."""
        paused = self._chat_paused.get(chat_id, -math.inf) - now
        if kind is ChatKind.GROUP:
            return max(paused, self._group(chat_id).wait(now))
        return max(paused, self._private_bucket(chat_id, now).wait(now))

    def wait_time(self, chat_id: str, kind: ChatKind, now: float) -> float:
        """Seconds before a message to this chat may go (0: now)."""
        return max(self.overall_wait(now), self.chat_wait(chat_id, kind, now))

    def try_acquire(self, chat_id: str, kind: ChatKind, now: float) -> Slot | None:
        """Take the budget for one message to the chat, or None (nothing taken) when it must wait."""
        if self.wait_time(chat_id, kind, now) > 0:
            return None
        self._overall_bucket(now).take(now)
        if kind is ChatKind.GROUP:
            self._group(chat_id).reserve()
        else:
            self._private_bucket(chat_id, now).take(now)
        self._checks += 1
        if self._checks % 1000 == 0:
            self.prune(now)
        return Slot(chat_id, kind)

    def done(self, slot: Slot, now: float) -> None:
        """The answer to the slot's message came back (whatever it said)."""
        if slot.finished:
            return
        slot.finished = True
        if slot.kind is ChatKind.GROUP:
            self._group(slot.chat_id).complete(now)

    def pause(self, seconds: float, now: float) -> None:
        """The platform said `429 retry after N`: nothing goes to it for `seconds`."""
        self._paused_until = max(self._paused_until, now + max(0.0, seconds))

    def throttled(self, chat_id: str, seconds: float, now: float) -> bool:
        """The platform said `429 retry after N` to a message for this chat: the chat waits `seconds`.
        When that makes `platform_pause_chats` chats paused at once, it is the overall limit: the whole
        platform waits too. Returns whether it did."""
        self._chat_paused = {chat: until for chat, until in self._chat_paused.items() if until > now}
        self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, -math.inf), now + max(0.0, seconds))
        if len(self._chat_paused) < self.limits.platform_pause_chats:
            return False
        self.pause(seconds, now)
        return True

    def paused_for(self, now: float) -> float:
        return max(0.0, self._paused_until - now)

    def prune(self, now: float) -> None:
        """Forget the chats whose budget is back to full (they would start full anyway)."""
        self._private = {chat: bucket for chat, bucket in self._private.items() if not bucket.idle(now)}
        self._groups = {chat: window for chat, window in self._groups.items() if not window.idle(now)}

    # ---- the one place that really waits --------------------------------------------------------

    async def acquire(self, chat_id: str, kind: ChatKind) -> Slot:
        """Wait (on the injected ticker and sleep) until a message to the chat may go, and take its budget."""
        while True:
            now = self.ticker()
            slot = self.try_acquire(chat_id, kind, now)
            if slot is not None:
                return slot
            await self.sleep(self.wait_time(chat_id, kind, now))

    # ---- internals ------------------------------------------------------------------------------

    def _overall_bucket(self, now: float) -> TokenBucket:
        if self._overall is None:
            self._overall = TokenBucket.full(self.limits.overall_burst, self.limits.overall_per_second, now)
        return self._overall

    def _private_bucket(self, chat_id: str, now: float) -> TokenBucket:
        bucket = self._private.get(chat_id)
        if bucket is None:
            bucket = TokenBucket.full(self.limits.private_burst, self.limits.private_per_second, now)
            self._private[chat_id] = bucket
        return bucket

    def _group(self, chat_id: str) -> SlidingWindow:
        window = self._groups.get(chat_id)
        if window is None:
            window = SlidingWindow(self.limits.group_per_minute, self.limits.group_window_seconds)
            self._groups[chat_id] = window
        return window


__all__ = [
    "TELEGRAM_LIMITS",
    "ZALO_LIMITS",
    "ChatKind",
    "PlatformLimits",
    "RateLimiter",
    "SlidingWindow",
    "Slot",
    "TokenBucket",
    "grant",
]

"""Telegram's limits and the faults tests switch on: pure, driven by the time the caller passes in.

Which time: rate limits, 429 storms and delays are about how fast the bot talks to the server, so
they run on wall time (seconds from a monotonic ticker), never on the sandbox's calendar clock. A
test that jumps the calendar a week ahead must not refill anybody's message budget, and a bot told
`retry_after: 3` really sleeps three seconds. Every function here takes `now` (those seconds) as an
argument, so unit tests drive them with plain numbers and no sleeping.

The figures are Telegram's published ones (its FAQ; not contractual): about 30 messages a second
overall, about one a second per private chat with short bursts passing, 20 a minute per group.
The overall and private limits are token buckets (`burst` messages may go at once, then they refill
at the steady rate); the group limit is a sliding window, because "20 a minute" means no 60-second
stretch holds more than 20, which a bucket refilling while it drains would allow.

Zalo publishes no limits (see the shared platforms.md), so `ZaloLimits` are the sandbox's own
settings: conservative defaults, each changeable, enforced by the same `RateLimiter`.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

# The methods that put a new message in a chat: the ones Telegram's flood limits count, and the ones
# faults hit by default (a fault on getUpdates would only slow the test down).
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
# The same on Zalo's Bot API, which has no documents but has stickers.
ZALO_SEND_METHODS = frozenset({"sendmessage", "sendphoto", "sendsticker"})


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"


@dataclass(frozen=True)
class Limits:
    """Sizes and rates; every figure can be changed for a test (e.g. `Limits(private_burst=1)`)."""

    overall_per_second: float = 30.0
    overall_burst: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20
    text_length: int = 4096
    caption_length: int = 1024
    callback_data_bytes: int = 64
    keyboard_buttons: int = 100
    callback_answer_length: int = 200
    # Telegram itself keeps a lone "&" as text; the sandbox refuses it by default so that text the
    # product forgot to escape ("R&D", "&lt;" typed by a person) fails here instead of looking odd there.
    strict_ampersand: bool = True

    def __post_init__(self) -> None:
        rates = (self.overall_per_second, self.private_per_second)
        if min(rates) <= 0 or min(self.overall_burst, self.private_burst, self.group_per_minute) < 1:
            raise ValueError("rates must be positive, bursts and the group limit at least 1")


@dataclass(frozen=True)
class ZaloLimits:
    """The sandbox's Zalo limits. Zalo publishes none, so these are settings with conservative defaults:
    the steady rates the product's dispatcher keeps to for Zalo (5 a second overall, one message every
    2 s per chat), with the larger bursts a platform allows, as the Telegram figures have them.

    `poll_wait_seconds` caps how long a Zalo `getUpdates` waits before answering 408, whatever
    timeout the client asked for (Zalo's default is 30 s): tests and idle bots stay quick."""

    overall_per_second: float = 5.0
    overall_burst: int = 5
    private_per_second: float = 0.5
    private_burst: int = 2
    group_per_minute: int = 20
    text_length: int = 2000
    poll_wait_seconds: float = 1.0

    def __post_init__(self) -> None:
        rates = (self.overall_per_second, self.private_per_second)
        if min(rates) <= 0 or min(self.overall_burst, self.private_burst, self.group_per_minute) < 1:
            raise ValueError("rates must be positive, bursts and the group limit at least 1")
        if self.text_length < 1 or self.poll_wait_seconds < 0:
            raise ValueError("the text length must be positive and the poll wait not negative")


class RateFigures(Protocol):
    """What a `RateLimiter` reads: `Limits` (Telegram) and `ZaloLimits` both have it."""

    @property
    def overall_per_second(self) -> float: ...
    @property
    def overall_burst(self) -> int: ...
    @property
    def private_per_second(self) -> float: ...
    @property
    def private_burst(self) -> int: ...
    @property
    def group_per_minute(self) -> int: ...


@dataclass
class TokenBucket:
    """`capacity` tokens, refilled at `rate` per second; one message takes one token."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, capacity: float, rate: float, now: float) -> TokenBucket:
        return cls(capacity=capacity, rate=rate, tokens=capacity, updated=now)

    def refill(self, now: float) -> None:
        # A ticker that went backwards (tests passing odd numbers) must not drain the bucket.
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(self.updated, now)

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 when one is there now)."""
        self.refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self.refill(now)
        self.tokens -= 1


@dataclass
class SlidingWindow:
    """At most `limit` messages in any `period` seconds."""

    limit: int
    period: float
    sent: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.sent and self.sent[0] <= now - self.period:
            self.sent.popleft()
        if len(self.sent) < self.limit:
            return 0.0
        return self.sent[0] + self.period - now

    def take(self, now: float) -> None:
        self.sent.append(now)


Budget = TokenBucket | SlidingWindow


class RateLimiter:
    """Decides whether one more message may go to a chat now; answers Telegram's `retry_after`."""

    def __init__(self, limits: RateFigures) -> None:
        self.limits = limits
        self._overall: TokenBucket | None = None
        self._chats: dict[int | str, Budget] = {}

    def acquire(self, chat_id: int | str, kind: ChatKind, now: float) -> int | None:
        """Take a slot for one message. None when it may go; otherwise whole seconds to wait (nothing is taken)."""
        overall = self._overall_bucket(now)
        chat = self._chat_bucket(chat_id, kind, now)
        wait = max(overall.wait(now), chat.wait(now))
        if wait > 0:
            # Telegram answers whole seconds, never 0: a bot that retried at once would be refused again.
            return max(1, math.ceil(wait - 1e-9))
        overall.take(now)
        chat.take(now)
        return None

    def _overall_bucket(self, now: float) -> TokenBucket:
        if self._overall is None:
            self._overall = TokenBucket.full(self.limits.overall_burst, self.limits.overall_per_second, now)
        return self._overall

    def _chat_bucket(self, chat_id: int | str, kind: ChatKind, now: float) -> Budget:
        budget = self._chats.get(chat_id)
        if budget is None:
            if kind is ChatKind.PRIVATE:
                budget = TokenBucket.full(self.limits.private_burst, self.limits.private_per_second, now)
            else:
                budget = SlidingWindow(self.limits.group_per_minute, 60.0)
            self._chats[chat_id] = budget
        return budget


@dataclass(frozen=True)
class Throttle:
    """Answer `429 Too Many Requests: retry after N`."""

    retry_after: int


@dataclass(frozen=True)
class ServerError:
    """Answer a 5xx. Telegram's own 500s carry the JSON envelope; 502/503/504 come from its proxy as HTML."""

    status: int

    @property
    def json_body(self) -> bool:
        return self.status == 500


@dataclass(frozen=True)
class Delay:
    """Answer `seconds` late. With `deliver`, the request is carried out first and only the answer is
    late (the bot times out but the message did arrive); without it, the answer is a 504 and nothing happens."""

    seconds: float
    deliver: bool


Fault = Throttle | ServerError | Delay


@dataclass
class _Storm:
    until: float
    retry_after: int
    methods: frozenset[str]


@dataclass
class _Every:
    every: int
    retry_after: int
    seen: int
    methods: frozenset[str]


@dataclass
class _ServerErrors:
    remaining: int | None
    fraction: float
    status: int
    methods: frozenset[str]


@dataclass
class _Delays:
    remaining: int
    seconds: float
    deliver: bool
    methods: frozenset[str]


@dataclass
class Faults:
    """Faults switched on by tests. `decide` is asked once per request, in arrival order.

    Precedence when several are on: a storm, then a server error, then a delay (the first that
    applies answers the request). Randomness comes from a seeded generator, so runs repeat.
    """

    seed: int = 0
    # Where `storm` reads "now" when not told: the same wall time the server passes to `decide`.
    ticker: Callable[[], float] = time.monotonic
    # The methods a fault hits when not told: the platform's sending methods.
    send_methods: frozenset[str] = SEND_METHODS
    _storm: _Storm | None = None
    _every: _Every | None = None
    _errors: _ServerErrors | None = None
    _delays: _Delays | None = None
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def _methods(self, methods: frozenset[str] | set[str] | None) -> frozenset[str]:
        return self.send_methods if methods is None else frozenset(name.lower() for name in methods)

    def storm(
        self,
        *,
        seconds: float,
        retry_after: int,
        now: float | None = None,
        methods: frozenset[str] | set[str] | None = None,
    ) -> None:
        """For `seconds` from `now` (default: the ticker's now), every matching request answers 429 with `retry_after`."""
        if seconds <= 0 or retry_after < 1:
            raise ValueError("a storm needs a positive duration and retry_after of at least 1")
        start = self.ticker() if now is None else now
        self._storm = _Storm(until=start + seconds, retry_after=retry_after, methods=self._methods(methods))

    def throttle_every(self, every: int, *, retry_after: int, methods: frozenset[str] | set[str] | None = None) -> None:
        """Answer every `every`-th matching request 429 with `retry_after` (a limit met now and then)."""
        if every < 1 or retry_after < 1:
            raise ValueError("every and retry_after must be at least 1")
        self._every = _Every(every=every, retry_after=retry_after, seen=0, methods=self._methods(methods))

    def server_errors(
        self,
        *,
        count: int | None = None,
        fraction: float = 0.0,
        status: int = 500,
        methods: frozenset[str] | set[str] | None = None,
    ) -> None:
        """Fail the next `count` matching requests, or (with `count=None`) a `fraction` of them, with `status`."""
        if not 500 <= status <= 599:
            raise ValueError("a server error is a 5xx status")
        if count is None and not 0.0 < fraction <= 1.0:
            raise ValueError("give a count, or a fraction in (0, 1]")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1")
        self._errors = _ServerErrors(remaining=count, fraction=fraction, status=status, methods=self._methods(methods))

    def delay(
        self,
        *,
        seconds: float,
        count: int = 1,
        deliver: bool = True,
        methods: frozenset[str] | set[str] | None = None,
    ) -> None:
        """Answer the next `count` matching requests `seconds` late (a client timeout, seen from the bot)."""
        if seconds <= 0 or count < 1:
            raise ValueError("a delay needs positive seconds and a count of at least 1")
        self._delays = _Delays(remaining=count, seconds=seconds, deliver=deliver, methods=self._methods(methods))

    def clear(self) -> None:
        self._storm = None
        self._every = None
        self._errors = None
        self._delays = None

    def decide(self, method: str, now: float) -> Fault | None:
        name = method.lower()
        storm = self._storm
        if storm is not None:
            if now >= storm.until:
                self._storm = None
            elif name in storm.methods:
                return Throttle(storm.retry_after)
        every = self._every
        if every is not None and name in every.methods:
            every.seen += 1
            if every.seen % every.every == 0:
                return Throttle(every.retry_after)
        errors = self._errors
        if errors is not None and name in errors.methods:
            if errors.remaining is not None:
                errors.remaining -= 1
                if errors.remaining <= 0:
                    self._errors = None
                return ServerError(errors.status)
            if self._random.random() < errors.fraction:
                return ServerError(errors.status)
        delays = self._delays
        if delays is not None and name in delays.methods:
            delays.remaining -= 1
            if delays.remaining <= 0:
                self._delays = None
            return Delay(delays.seconds, delays.deliver)
        return None

    def describe(self, now: float) -> dict[str, object]:
        """What is switched on, for the scripting API."""
        result: dict[str, object] = {"storm": None, "server_errors": None, "delay": None}
        if self._storm is not None and now < self._storm.until:
            result["storm"] = {
                "seconds_left": round(self._storm.until - now, 3),
                "retry_after": self._storm.retry_after,
                "methods": sorted(self._storm.methods),
            }
        if self._errors is not None:
            result["server_errors"] = {
                "count": self._errors.remaining,
                "fraction": self._errors.fraction,
                "status": self._errors.status,
                "methods": sorted(self._errors.methods),
            }
        if self._delays is not None:
            result["delay"] = {
                "count": self._delays.remaining,
                "seconds": self._delays.seconds,
                "deliver": self._delays.deliver,
                "methods": sorted(self._delays.methods),
            }
        return result


__all__ = [
    "SEND_METHODS",
    "ZALO_SEND_METHODS",
    "ChatKind",
    "Delay",
    "Fault",
    "Faults",
    "Limits",
    "RateFigures",
    "RateLimiter",
    "ServerError",
    "SlidingWindow",
    "Throttle",
    "TokenBucket",
    "ZaloLimits",
]

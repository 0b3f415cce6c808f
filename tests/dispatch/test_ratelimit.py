"""The rate limiter and the backoff, pure: plain numbers for time, no sleeping."""

from __future__ import annotations

import heapq
import random

import pytest

from sandbox.limits import ChatKind as ServerChatKind
from sandbox.limits import Limits, ZaloLimits
from sandbox.limits import RateLimiter as ServerLimiter
from scheduler.delivery.dispatch_settings import DispatchSettings, UnknownPlatformError
from scheduler.delivery.outbox import backoff_delay
from scheduler.delivery.ratelimit import (
    ZALO_LIMITS,
    ChatKind,
    PlatformLimits,
    RateLimiter,
    SlidingWindow,
    Slot,
    TokenBucket,
)

PRIVATE, GROUP = ChatKind.PRIVATE, ChatKind.GROUP


def test_token_bucket_bursts_then_refills_at_its_rate() -> None:
    bucket = TokenBucket.full(capacity=2, rate=1.0, now=0.0)
    assert bucket.wait(0.0) == 0
    bucket.take(0.0)
    bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(1.0)
    assert bucket.wait(0.25) == pytest.approx(0.75)
    assert bucket.wait(1.0) == 0
    bucket.take(1.0)
    assert bucket.wait(1.0) == pytest.approx(1.0)
    assert bucket.wait(0.5) == pytest.approx(1.0)  # a ticker going backwards refills nothing
    assert bucket.idle(10.0)


def test_sliding_window_counts_a_message_from_when_it_leaves_until_its_answer_is_a_period_old() -> None:
    window = SlidingWindow(limit=2, period=60.0)
    window.reserve()
    window.reserve()
    assert window.wait(0.0) == 60.0  # both on their way: no answer to date the window from yet
    window.complete(0.5)
    window.complete(2.0)
    assert window.wait(3.0) == pytest.approx(57.5)  # the first answer came at 0.5
    assert window.wait(60.0) == pytest.approx(0.5)  # a place frees only when that answer is a full period old
    assert window.wait(60.5) == 0
    window.reserve()
    assert window.wait(60.5) == pytest.approx(1.5)  # full again until the second answer is a period old
    window.complete(61.0)
    assert window.wait(62.0) == 0 and not window.idle(62.0)
    assert window.idle(121.0)


def test_overall_private_and_group_limits() -> None:
    limits = PlatformLimits(
        overall_per_second=10, overall_burst=3, private_per_second=1, private_burst=2, group_per_minute=3
    )
    limiter = RateLimiter(limits)
    assert limiter.try_acquire("1", PRIVATE, 0.0) is not None
    assert limiter.try_acquire("1", PRIVATE, 0.0) is not None
    assert limiter.try_acquire("1", PRIVATE, 0.0) is None  # the private chat's burst of 2 is spent
    assert limiter.chat_wait("1", PRIVATE, 0.0) == pytest.approx(1.0)
    assert limiter.try_acquire("2", PRIVATE, 0.0) is not None
    assert limiter.try_acquire("3", PRIVATE, 0.0) is None  # the overall burst of 3 is spent
    assert limiter.overall_wait(0.0) == pytest.approx(0.1)
    assert limiter.wait_time("3", PRIVATE, 0.0) == pytest.approx(0.1)

    group = "-100"
    slots = []
    for step in range(3):
        now = 1.0 + step
        slot = limiter.try_acquire(group, GROUP, now)
        assert slot is not None and slot.kind is ChatKind.GROUP
        slots.append(slot)
    assert limiter.try_acquire(group, GROUP, 5.0) is None
    for index, slot in enumerate(slots):
        limiter.done(slot, 1.2 + index)
    limiter.done(slots[0], 99.0)  # a second `done` changes nothing
    assert limiter.chat_wait(group, GROUP, 5.0) == pytest.approx(61.2 - 5.0)
    assert limiter.try_acquire(group, GROUP, 61.2) is not None


def test_a_429_pauses_only_the_chat_it_answered() -> None:
    limiter = RateLimiter(PlatformLimits())
    assert not limiter.throttled("101", 5, now=10.0)
    assert limiter.wait_time("101", PRIVATE, 11.0) == pytest.approx(4.0)
    assert limiter.try_acquire("102", PRIVATE, 11.0) is not None  # another chat goes on at once
    assert limiter.try_acquire("-100200", GROUP, 11.0) is not None
    assert limiter.try_acquire("101", PRIVATE, 15.0) is not None


def test_429s_for_three_chats_at_once_pause_the_whole_platform() -> None:
    limiter = RateLimiter(PlatformLimits())
    assert not limiter.throttled("101", 2, now=10.0)
    assert not limiter.throttled("102", 2, now=11.0)
    assert not limiter.throttled("103", 2, now=12.5)  # 101's pause is over: two chats paused, not three
    assert limiter.throttled("104", 2, now=12.8)
    assert limiter.wait_time("999", PRIVATE, 13.0) == pytest.approx(1.8)


def test_a_platform_pause_stops_every_chat() -> None:
    limiter = RateLimiter(PlatformLimits())
    limiter.pause(3, now=10.0)
    assert limiter.paused_for(11.0) == pytest.approx(2.0)
    assert limiter.wait_time("5", PRIVATE, 11.0) == pytest.approx(2.0)
    assert limiter.try_acquire("5", PRIVATE, 12.9) is None
    assert limiter.try_acquire("5", PRIVATE, 13.0) is not None


def test_prune_forgets_chats_whose_budget_is_full_again() -> None:
    limiter = RateLimiter(PlatformLimits())
    for chat in range(50):
        limiter.try_acquire(str(chat), PRIVATE, float(chat))
    limiter.prune(1000.0)
    assert limiter._private == {}


async def test_acquire_waits_on_the_injected_sleep() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(PlatformLimits(private_burst=1), ticker=lambda: now[0], sleep=sleep)
    await limiter.acquire("7", PRIVATE)
    await limiter.acquire("7", PRIVATE)
    await limiter.acquire("7", PRIVATE)
    assert slept == [pytest.approx(1.0), pytest.approx(1.0)]
    assert now[0] == pytest.approx(2.0)


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        PlatformLimits(overall_per_second=0)
    with pytest.raises(ValueError):
        PlatformLimits(group_per_minute=0)


def jittery_network(
    ours: RateLimiter, server: ServerLimiter, chats: dict[str, ChatKind], messages: int, seed: int
) -> tuple[int, float]:
    """Discrete-event model: our limiter lets messages go, each reaches the platform (the sandbox's
    own limiter) after 20–400 ms of random latency, and the answer comes back as long again.
    Returns how many the platform refused, and the pace (messages a second) it saw."""
    rng = random.Random(seed)
    names = sorted(chats)
    queue = [rng.choice(names) for _ in range(messages)]
    now = 0.0
    in_flight: list[tuple[float, int, str]] = []  # (answer time, sequence, chat)
    slots: dict[int, Slot] = {}
    refused = 0
    arrivals: list[float] = []
    sequence = 0
    busy: set[str] = set()
    while queue or in_flight:
        while in_flight and in_flight[0][0] <= now:
            _, number, chat = heapq.heappop(in_flight)
            ours.done(slots.pop(number), now)
            busy.discard(chat)
        started = False
        blocked: set[str] = set()
        for index, chat in enumerate(queue):
            if len(busy) >= 16:
                break
            if chat in busy or chat in blocked:
                continue
            slot = ours.try_acquire(chat, chats[chat], now)
            if slot is None:
                blocked.add(chat)
                if ours.overall_wait(now) > 0:
                    break
                continue
            queue.pop(index)
            latency = rng.uniform(0.02, 0.4)
            kind = ServerChatKind.GROUP if chats[chat] is GROUP else ServerChatKind.PRIVATE
            if server.acquire(chat, kind, now + latency) is not None:
                refused += 1
            arrivals.append(now + latency)
            sequence += 1
            slots[sequence] = slot
            busy.add(chat)
            heapq.heappush(in_flight, (now + 2 * latency, sequence, chat))
            started = True
            break
        if not started:
            now += 0.001
    # The server's clock only ever sees arrivals in order of their latency, not of sending; the pace
    # is measured between the first and the last arrival.
    return refused, (len(arrivals) - 1) / (max(arrivals) - min(arrivals))


@pytest.mark.parametrize("seed", range(5))
def test_a_jittery_network_never_trips_telegrams_limits_and_keeps_the_pace(seed: int) -> None:
    """Telegram's figures on both sides: not one 429, and the pace stays within 3 % of 30 a second."""
    chats = {str(100 + n): PRIVATE for n in range(300)} | {str(-1000 - n): GROUP for n in range(10)}
    refused, pace = jittery_network(RateLimiter(PlatformLimits()), ServerLimiter(Limits()), chats, 3000, seed)
    assert refused == 0
    assert pace / 30 >= 0.97


@pytest.mark.parametrize("seed", range(3))
def test_zalos_defaults_never_trip_the_sandboxs_zalo_limits_and_keep_the_pace(seed: int) -> None:
    """The Zalo defaults against the sandbox's Zalo limits, a fifth of the chats groups whose ids look
    like anybody's: not one 429, and the pace within 3 % of 5 a second."""
    chats = {f"{n:04d}b7e9c1d2a3f4": PRIVATE for n in range(100)} | {f"{n:04d}9d4be1c7f2a8": GROUP for n in range(25)}
    refused, pace = jittery_network(RateLimiter(ZALO_LIMITS), ServerLimiter(ZaloLimits()), chats, 600, seed)
    assert refused == 0
    assert pace / 5 >= 0.97


def test_a_zalo_group_takes_twenty_a_minute_and_a_private_chat_one_every_two_seconds() -> None:
    limiter = RateLimiter(ZALO_LIMITS)
    group, person = "5a1f0e7c3b9d24c8a6e1", "8c2d4f6a1b3e5d7c9f0a"  # no "-" to tell them apart
    for second in range(20):
        assert limiter.try_acquire(group, GROUP, 2.0 * second) is not None
    assert limiter.try_acquire(group, GROUP, 40.0) is None  # 20 in the window, though 0.5/s would allow more
    assert limiter.try_acquire(person, PRIVATE, 41.0) is not None
    assert limiter.try_acquire(person, PRIVATE, 42.0) is None
    assert limiter.chat_wait(person, PRIVATE, 42.0) == pytest.approx(1.0)


def test_zalo_defaults_keep_the_sandboxs_steady_rates_with_smaller_bursts() -> None:
    # The sandbox plays Zalo's server; our bursts stay smaller on purpose, the slack absorbs jitter.
    server = ZaloLimits()
    assert (
        (ZALO_LIMITS.overall_per_second, ZALO_LIMITS.private_per_second, ZALO_LIMITS.group_per_minute)
        == (
            server.overall_per_second,
            server.private_per_second,
            server.group_per_minute,
        )
        == (5.0, 0.5, 20)
    )
    assert (ZALO_LIMITS.overall_burst, ZALO_LIMITS.private_burst) == (2, 1)
    assert (server.overall_burst, server.private_burst) == (5, 2)


def test_limits_for_an_unknown_platform_is_an_error_not_telegrams() -> None:
    settings = DispatchSettings()
    assert settings.limits_for("zalo") == ZALO_LIMITS
    with pytest.raises(UnknownPlatformError) as refused:
        settings.limits_for("signal")
    assert str(refused.value) == (
        "no send limits for platform 'signal' (limits are known for telegram, zalo): "
        "add them to DispatchSettings.extra_platforms before giving the dispatcher a sender for it"
    )
    signal = PlatformLimits(overall_per_second=2.0)
    assert DispatchSettings(extra_platforms={"signal": signal}).limits_for("signal") == signal


@pytest.mark.parametrize("attempt", [1, 2, 3, 5, 8, 20])
def test_backoff_grows_exponentially_with_jitter_in_the_upper_half(attempt: int) -> None:
    rng = random.Random(attempt)
    ceiling = min(600.0, 10.0 * 2 ** (attempt - 1))
    delays = [backoff_delay(attempt, base=10.0, cap=600.0, rng=rng) for _ in range(200)]
    assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
    assert len({round(delay, 6) for delay in delays}) > 150  # jittered, not one fixed value


def test_backoff_is_repeatable_with_a_seed_and_capped() -> None:
    first = [backoff_delay(n, base=1.0, cap=30.0, rng=random.Random(7)) for n in range(1, 12)]
    again = [backoff_delay(n, base=1.0, cap=30.0, rng=random.Random(7)) for n in range(1, 12)]
    assert first == again
    assert max(first) <= 30.0
    assert backoff_delay(10_000, base=1.0, cap=30.0, rng=random.Random(1)) <= 30.0
    with pytest.raises(ValueError):
        backoff_delay(0, base=1.0, cap=30.0, rng=random.Random(1))

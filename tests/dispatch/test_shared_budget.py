"""The platform's overall budget shared by every worker on one database (a token bucket in a row)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from scheduler.delivery import shared_budget
from scheduler.delivery.ratelimit import PlatformLimits, grant

LIMITS = PlatformLimits(overall_per_second=30.0, overall_burst=5)


def test_grant_refills_at_the_rate_and_never_past_the_burst() -> None:
    assert grant(5.0, 0.0, 0.0, rate=30.0, capacity=5, want=3) == (2.0, 3, 0.0)
    tokens, granted, wait = grant(0.0, 0.0, 0.0, rate=30.0, capacity=5, want=3)
    assert (tokens, granted) == (0.0, 0) and wait == pytest.approx(1 / 30)
    assert grant(0.0, 0.0, 100.0, rate=30.0, capacity=5, want=10)[:2] == (0.0, 5)


def test_three_workers_taking_from_one_budget_stay_within_the_platforms_rate(engine: Engine) -> None:
    """Three workers asking in turn, as fast as they like, for five seconds: 30 a second between them
    (plus one burst), not 30 each."""
    granted = {"a": 0, "b": 0, "c": 0}
    now = 1000.0
    while now < 1005.0:
        for worker in granted:
            got, _wait = shared_budget.take(engine, "telegram", want=5, now=now, limits=LIMITS)
            granted[worker] += got
        now += 0.02
    assert 30 * 5 - 5 <= sum(granted.values()) <= 30 * 5 + 5


def test_a_platform_pause_is_seen_by_every_worker(engine: Engine) -> None:
    assert shared_budget.take(engine, "telegram", want=1, now=1000.0, limits=LIMITS)[0] == 1
    shared_budget.pause(engine, "telegram", until=1003.0)
    assert shared_budget.take(engine, "telegram", want=1, now=1001.0, limits=LIMITS) == (0, 2.0)
    assert shared_budget.take(engine, "telegram", want=1, now=1003.0, limits=LIMITS)[0] == 1

"""One overall send budget per platform, shared by every worker on a PostgreSQL database.

Each worker keeps its own per-chat budgets (a chat's rows are claimed by one worker at a time, see
`outbox.claim`), but the platform's overall limit is one for all of them: a token bucket in the
`rate_budget` row, refilled and taken from under `SELECT … FOR UPDATE`. A worker takes a few tokens
at a time (one round trip per burst, not per message) and may only send what it was granted. A 429
that pauses the platform is written there too, so that every worker waits it out.

Time is wall-clock seconds passed in by the caller (the same for every worker on the machines).
SQLite runs one dispatcher at a time and needs none of this.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from models.db import session_scope
from models.reminders import RateBudget
from scheduler.delivery.ratelimit import PlatformLimits, grant

_table = RateBudget.__table__  # type: ignore[attr-defined]


def take(engine: Engine, platform: str, *, want: int, now: float, limits: PlatformLimits) -> tuple[int, float]:
    """Take up to `want` of the platform's shared tokens: (granted, seconds to wait when none)."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with session_scope(engine) as session:
        session.execute(
            insert(_table)
            .values(platform=platform, tokens=float(limits.overall_burst), updated=now, paused_until=0.0)
            .on_conflict_do_nothing(index_elements=["platform"])
        )
        row = session.get(RateBudget, platform, with_for_update=True)
        assert row is not None
        if row.paused_until > now:
            return 0, row.paused_until - now
        tokens, granted, wait = grant(
            row.tokens,
            row.updated,
            now,
            rate=limits.overall_per_second,
            capacity=limits.overall_burst,
            want=want,
        )
        row.tokens, row.updated = tokens, max(row.updated, now)
        session.add(row)
        return granted, wait


def pause(engine: Engine, platform: str, *, until: float) -> None:
    """The platform said 429 to several chats at once: every worker waits until `until`."""
    with session_scope(engine) as session:
        row = session.get(RateBudget, platform, with_for_update=True)
        if row is not None and row.paused_until < until:
            row.paused_until = until
            session.add(row)


__all__ = ["pause", "take"]

"""Each delivered update handled once: its id is claimed in the database (table `platform_update`).

Claimed before handling, not after. Zalo redelivers (and retries a webhook call that answered slowly or
not 2xx), possibly while the first delivery is still being handled: recording afterwards would let both
through and record a report twice. A claim is an insert into the table's key (platform, update id), so
two processes, or two deliveries at once, cannot both win. If handling fails with an error the claim is
released, so the next delivery is handled; if the process dies mid-turn the turn's transaction is rolled
back and the message is not redelivered — the person sees no answer and writes again, which is better
than a report counted twice.

Blocking (database) functions: call them in a worker thread.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.db import session_scope
from models.updates import PlatformUpdate


def claim_update(engine: Engine, platform: str, update_id: str, now: datetime) -> bool:
    """Records that this update is being handled; False when it was already (a redelivery)."""
    try:
        with session_scope(engine) as session:
            session.add(PlatformUpdate(platform=platform, update_id=update_id, received_at=now))
    except IntegrityError:
        return False
    return True


def release_update(engine: Engine, platform: str, update_id: str) -> None:
    """Forgets a claim whose handling failed, so a redelivery of the update is handled."""
    with session_scope(engine) as session:
        session.execute(
            delete(PlatformUpdate).where(
                col(PlatformUpdate.platform) == platform, col(PlatformUpdate.update_id) == update_id
            )
        )


def forget_updates_before(engine: Engine, platform: str, before: datetime) -> int:
    """Deletes the claims received before `before` (no platform redelivers that late); returns how many."""
    with session_scope(engine) as session:
        result = session.execute(
            delete(PlatformUpdate).where(
                col(PlatformUpdate.platform) == platform, col(PlatformUpdate.received_at) < before
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


__all__ = ["claim_update", "forget_updates_before", "release_update"]

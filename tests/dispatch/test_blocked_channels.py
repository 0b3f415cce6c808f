"""A person who blocked the bot on one platform but can be written to on the other still gets their
reminders there, so their unit lead is not told; a lead on two platforms is told once."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import OutboxMessage, PlatformAccount
from models.db import session_scope
from scheduler.delivery import outbox
from tests.dispatch.support import LEAD, NOW, STAFF, queue, seed_unit

BLOCKED = "Forbidden: bot was blocked by the user"


def add_zalo(engine: Engine, member_id: int, user_id: str) -> None:
    with session_scope(engine) as session:
        session.add(PlatformAccount(platform="zalo", user_id=user_id, private_chat_id=user_id, member_id=member_id))


def blocked_on_telegram(engine: Engine) -> list[int]:
    """The staff member's Telegram chat refuses a reminder; the notes queued for the unit lead."""
    queue(engine, [str(STAFF)])
    (message,) = outbox.claim(engine, holder="a", now=NOW, lease_seconds=60, limit=10, platforms=["telegram"])
    return outbox.mark_blocked(engine, message, holder="a", error=BLOCKED, now=NOW)


def test_a_person_still_reachable_on_zalo_is_not_reported_to_the_lead(engine: Engine) -> None:
    seeded = seed_unit(engine)
    add_zalo(engine, seeded.staff_id, "zalo-an-0931")
    assert blocked_on_telegram(engine) == []
    with Session(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == str(STAFF))).one()
        assert account.blocked_at == NOW


def test_a_lead_on_two_platforms_is_told_once_on_the_account_linked_last(engine: Engine) -> None:
    seeded = seed_unit(engine)
    add_zalo(engine, seeded.lead_id, "zalo-binh-0905")
    notes = blocked_on_telegram(engine)
    assert len(notes) == 1
    with Session(engine) as session:
        note = session.get(OutboxMessage, notes[0])
        assert note is not None
        assert (note.platform, note.chat_id, note.member_id) == ("zalo", "zalo-binh-0905", seeded.lead_id)
        assert session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == str(LEAD))).all() == []

"""What the transports report back about delivery: a person who blocked the bot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from domain.messages import Platform
from models import AuditLog, PlatformAccount
from models.db import session_scope


def record_blocked(engine: Engine, platform: Platform, chat_id: str, now: datetime) -> bool:
    """Flags the account whose private chat refused a message (403); returns whether one was found."""
    with session_scope(engine) as session:
        account = session.exec(
            select(PlatformAccount).where(
                PlatformAccount.platform == platform.value, PlatformAccount.private_chat_id == chat_id
            )
        ).first()
        if account is None:
            return False
        if account.blocked_at is None:
            account.blocked_at = now
            session.add(account)
            session.add(
                AuditLog(
                    at=now,
                    actor=f"{platform.value}:platform",
                    action="member.blocked",
                    entity=f"member:{account.member_id}",
                    detail={"chat": chat_id},
                )
            )
        return True

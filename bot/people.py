"""Who is writing: a chat account resolved to a member with their roles and units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.messages import Platform
from bot.permissions import Audience, audience_of
from models import AuditLog, Member, Membership, PlatformAccount, Role, Unit


@dataclass(frozen=True)
class Person:
    member_id: int
    name: str
    language: str
    paused_until: date | None
    roles: frozenset[Role]
    unit_ids: frozenset[int]  # units they belong to, any role
    lead_unit_ids: frozenset[int]  # units they lead

    @property
    def audience(self) -> Audience:
        return audience_of(self.roles)


def load_person(session: Session, platform: Platform, user_id: str) -> Person | None:
    row = session.exec(
        select(Member)
        .join(PlatformAccount, col(PlatformAccount.member_id) == col(Member.id))
        .where(PlatformAccount.platform == platform.value, PlatformAccount.user_id == user_id)
    ).first()
    return None if row is None else person_of(session, row)


def person_of(session: Session, member: Member) -> Person:
    assert member.id is not None
    memberships = session.exec(select(Membership).where(Membership.member_id == member.id)).all()
    roles = frozenset(Role(m.role) for m in memberships)
    return Person(
        member_id=member.id,
        name=member.display_name,
        language=member.language,
        paused_until=member.paused_until,
        roles=roles,
        unit_ids=frozenset(m.unit_id for m in memberships if m.unit_id is not None),
        lead_unit_ids=frozenset(m.unit_id for m in memberships if m.unit_id is not None and m.role == Role.UNIT_LEAD),
    )


def memberships_with_units(session: Session, member_id: int) -> list[tuple[Role, str | None]]:
    rows = session.exec(
        select(Membership.role, Unit.name)
        .join(Unit, col(Unit.id) == col(Membership.unit_id), isouter=True)
        .where(Membership.member_id == member_id)
        .order_by(col(Membership.id))
    ).all()
    return [(Role(role), name) for role, name in rows]


def _audit(session: Session, person: Person, action: str, detail: dict[str, object], now: datetime) -> None:
    session.add(
        AuditLog(
            at=now,
            actor=f"member:{person.member_id}",
            action=action,
            entity=f"member:{person.member_id}",
            detail=detail,
        )
    )


def set_pause(session: Session, person: Person, until: date | None, now: datetime) -> None:
    member = session.get(Member, person.member_id)
    assert member is not None
    member.paused_until = until
    session.add(member)
    _audit(
        session,
        person,
        "member.pause" if until else "member.resume",
        {"until": until.isoformat() if until else None},
        now,
    )


def set_language(session: Session, person: Person, language: str, now: datetime) -> None:
    member = session.get(Member, person.member_id)
    assert member is not None
    member.language = language
    session.add(member)
    _audit(session, person, "member.language", {"language": language}, now)

"""Who is writing: a chat account resolved to a member with their roles and units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from domain.messages import Platform
from domain.permissions import Audience, audience_of
from models import AuditLog, Member, Membership, Role, Unit
from models.db import driver_day, raw_rows


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


# Built once, on the tables: it runs on every message, and building a statement or loading rows through the ORM
# costs more than the query itself on SQLite.
_MEMBER = SQLModel.metadata.tables["member"]
_MEMBERSHIP = SQLModel.metadata.tables["membership"]
_ACCOUNT = SQLModel.metadata.tables["platform_account"]
_PERSON = (
    sa.select(
        _MEMBER.c.id,
        _MEMBER.c.display_name,
        _MEMBER.c.language,
        _MEMBER.c.paused_until,
        _MEMBERSHIP.c.role,
        _MEMBERSHIP.c.unit_id,
    )
    .select_from(_ACCOUNT)
    .join(_MEMBER, _MEMBER.c.id == _ACCOUNT.c.member_id)
    .outerjoin(_MEMBERSHIP, _MEMBERSHIP.c.member_id == _MEMBER.c.id)
    .where(_ACCOUNT.c.platform == sa.bindparam("platform"), _ACCOUNT.c.user_id == sa.bindparam("user_id"))
)


_ROLES = {role.value: role for role in Role}


def load_person(session: Session, platform: Platform, user_id: str) -> Person | None:
    """One query, on every message: the member behind the account and all their memberships (straight
    through the driver: SQLAlchemy's result handling cost twice the query)."""
    rows = raw_rows(session, _PERSON, {"platform": platform.value, "user_id": user_id})
    if not rows:
        return None
    member_id, name, language, paused_until = rows[0][:4]
    memberships = [(_ROLES[role], unit_id) for *_member, role, unit_id in rows if role is not None]
    return Person(
        member_id=member_id,
        name=name,
        language=language,
        paused_until=None if paused_until is None else driver_day(paused_until),
        roles=frozenset(role for role, _unit in memberships),
        unit_ids=frozenset(unit for _role, unit in memberships if unit is not None),
        lead_unit_ids=frozenset(unit for role, unit in memberships if unit is not None and role == Role.UNIT_LEAD),
    )


_MEMBERSHIPS = (
    sa.select(col(Membership.role), col(Unit.name))
    .outerjoin(Unit, col(Unit.id) == col(Membership.unit_id))
    .where(col(Membership.member_id) == sa.bindparam("member_id"))
    .order_by(col(Membership.id))
)


def memberships_with_units(session: Session, member_id: int) -> list[tuple[Role, str | None]]:
    return [(Role(role), name) for role, name in session.execute(_MEMBERSHIPS, {"member_id": member_id})]


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


def greet(session: Session, person: Person, now: datetime) -> bool:
    """True when this person has been here before (they joined, reported or started in chat).

    People added without an invite (the sandbox's simulated ones) have done nothing yet: their first
    /start is recorded, so it is a welcome and the next one a welcome back."""
    actor = f"member:{person.member_id}"
    seen = session.execute(sa.select(sa.literal(1)).where(col(AuditLog.actor) == actor).limit(1)).first()
    if seen is None:
        _audit(session, person, "member.start", {}, now)
    return seen is not None

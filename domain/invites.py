"""Invite codes: an admin creates one for a unit and a role; a person joins with it in a private chat,
or a unit lead binds a group chat to the unit with it."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, select

from domain.messages import Platform
from domain.people import Person
from locales import N_
from locales.catalogs import Translate
from models import AuditLog, ChatBinding, Invite, Member, Membership, PlatformAccount, Role, Unit
from models.errors import UserFacingError
from models.unit_admin import find_unit

UNIT_REQUIRED = N_('Staff and unit leads belong to a unit: add --unit "…".')
BAD_USES = N_("The number of uses must be between 1 and 1000.")
# Codes are copied from paper and phones: capitals and digits without the look-alikes I, L, O, U
# (Crockford's base32), so any case and a typed O for 0 or I/L for 1 name the same code. Ten of them
# carry 50 random bits and fit a deep link (64 characters of A–Z a–z 0–9 _ -).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})
_LEGACY_CODE = re.compile(r"[A-Za-z0-9_-]{8}")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def canonical_code(typed: str) -> str:
    """The code as stored, from what someone typed: any case, O/0 and I/L/1 alike, spaces and dashes dropped."""
    return typed.strip().upper().translate(_LOOK_ALIKES)


def could_be_invite(text: str) -> bool:
    """Whether a message could be an invite code as people retype it, or one made before the base32
    alphabet (8 characters of A–Z a–z 0–9 _ -): checked before any query, so ordinary messages cost none."""
    canonical = canonical_code(text)
    if len(canonical) == CODE_LENGTH and set(canonical) <= set(CODE_ALPHABET):
        return True
    return _LEGACY_CODE.fullmatch(text.strip()) is not None


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED_UP = "used_up"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CreatedInvite:
    code: str
    unit: str | None
    role: Role
    uses: int
    expires_at: datetime | None


@dataclass(frozen=True)
class Joined:
    member_id: int
    unit: str | None
    role: Role
    already: bool  # they had this role in this unit before


@dataclass(frozen=True)
class Bound:
    unit: str
    already: bool


def create_invite(
    session: Session,
    *,
    unit_name: str | None,
    role: Role,
    uses: int,
    valid_for: timedelta | None,
    actor: str,
    now: datetime,
) -> CreatedInvite:
    if not 1 <= uses <= 1000:
        raise UserFacingError(BAD_USES)
    unit = find_unit(session, unit_name) if unit_name else None
    if unit is None and role in (Role.STAFF, Role.UNIT_LEAD):
        raise UserFacingError(UNIT_REQUIRED)
    code = new_code()
    while session.exec(select(Invite).where(Invite.code == code)).first() is not None:
        code = new_code()
    expires_at = now + valid_for if valid_for else None
    session.add(
        Invite(
            code=code,
            unit_id=unit.id if unit else None,
            role=role,
            uses_left=uses,
            expires_at=expires_at,
            created_by=actor,
            created_at=now,
        )
    )
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="invite.create",
            entity=f"invite:{code}",
            detail={"unit": unit.name if unit else None, "role": role.value, "uses": uses},
        )
    )
    session.flush()
    return CreatedInvite(code=code, unit=unit.name if unit else None, role=role, uses=uses, expires_at=expires_at)


def how_to_use(_: Translate, invite: CreatedInvite) -> str:
    """What to do with the code: everyone joins in a private chat; only a unit's code can bind its group.
    Zalo has no deep links, so the words to send there are spelled out: the code alone joins."""
    if invite.unit is None:
        private = _("In a private chat send: /start {code}").format(code=invite.code)
    else:
        private = _("In a private chat send: /start {code}; in the unit's group: /bind {code}").format(code=invite.code)
    return private + "\n" + _("On Zalo: send «{code}» to the bot").format(code=invite.code)


def find_invite(session: Session, typed: str) -> Invite | None:
    """The invite a message that is only a code names, whatever its state; None for ordinary text."""
    return _find(session, typed) if could_be_invite(typed) else None


def _find(session: Session, code: str) -> Invite | None:
    """The invite a typed code names: as written (codes made before the base32 alphabet were
    case-sensitive), else in its canonical form."""
    typed = code.strip()
    invite = session.exec(select(Invite).where(Invite.code == typed)).first()
    if invite is None and canonical_code(typed) != typed:
        invite = session.exec(select(Invite).where(Invite.code == canonical_code(typed))).first()
    return invite


def _usable(session: Session, code: str, now: datetime) -> Invite | InviteProblem:
    invite = _find(session, code)
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.expires_at is not None and invite.expires_at <= now:
        return InviteProblem.EXPIRED
    if invite.uses_left <= 0:
        return InviteProblem.USED_UP
    return invite


def _unit_name(session: Session, unit_id: int | None) -> str | None:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit.name if unit else None


def join(
    session: Session,
    code: str,
    *,
    platform: Platform,
    user_id: str,
    chat_id: str,
    display_name: str,
    language: str,
    now: datetime,
) -> Joined | InviteProblem:
    found = _usable(session, code, now)
    if isinstance(found, InviteProblem):
        # Opening the same deep link twice is not a problem: they are in already, whatever the code's state.
        return _joined_before(session, code, platform=platform, user_id=user_id) or found
    invite = found
    account = session.exec(
        select(PlatformAccount).where(PlatformAccount.platform == platform.value, PlatformAccount.user_id == user_id)
    ).first()
    if account is None:
        member = Member(display_name=display_name, language=language, created_at=now)
        session.add(member)
        session.flush()
        assert member.id is not None
        account = PlatformAccount(
            platform=platform.value, user_id=user_id, private_chat_id=chat_id, member_id=member.id
        )
    account.private_chat_id = chat_id
    account.blocked_at = None  # they wrote to us: the bot may write to them again
    session.add(account)
    session.flush()
    existing = session.exec(
        select(Membership).where(
            Membership.member_id == account.member_id,
            Membership.unit_id == invite.unit_id,
            Membership.role == invite.role,
        )
    ).first()
    if existing is None:
        session.add(Membership(member_id=account.member_id, unit_id=invite.unit_id, role=invite.role, created_at=now))
        invite.uses_left -= 1
        session.add(invite)
        session.add(
            AuditLog(
                at=now,
                actor=f"member:{account.member_id}",
                action="member.join",
                entity=f"member:{account.member_id}",
                detail={
                    "invite": invite.code,
                    "unit": _unit_name(session, invite.unit_id),
                    "role": str(invite.role),
                    "platform": platform.value,
                },
            )
        )
    session.flush()
    return Joined(
        member_id=account.member_id,
        unit=_unit_name(session, invite.unit_id),
        role=Role(invite.role),
        already=existing is not None,
    )


def _joined_before(session: Session, code: str, *, platform: Platform, user_id: str) -> Joined | None:
    invite = _find(session, code)
    account = session.exec(
        select(PlatformAccount).where(PlatformAccount.platform == platform.value, PlatformAccount.user_id == user_id)
    ).first()
    if invite is None or account is None:
        return None
    membership = session.exec(
        select(Membership).where(
            Membership.member_id == account.member_id,
            Membership.unit_id == invite.unit_id,
            Membership.role == invite.role,
        )
    ).first()
    if membership is None:
        return None
    return Joined(
        member_id=account.member_id, unit=_unit_name(session, invite.unit_id), role=Role(invite.role), already=True
    )


class BindRefusal(StrEnum):
    NOT_LEAD = "not_lead"  # only the unit's lead or an admin may bind a group
    NO_UNIT = "no_unit"  # the code is for a monitor or admin, not a unit


def bind(
    session: Session, code: str, *, person: Person, platform: Platform, chat_id: str, now: datetime
) -> Bound | InviteProblem | BindRefusal:
    found = _usable(session, code, now)
    if isinstance(found, InviteProblem):
        return found
    invite = found
    if invite.unit_id is None:
        return BindRefusal.NO_UNIT
    if Role.ADMIN not in person.roles and invite.unit_id not in person.lead_unit_ids:
        return BindRefusal.NOT_LEAD
    unit_name = _unit_name(session, invite.unit_id)
    assert unit_name is not None
    existing = session.exec(
        select(ChatBinding).where(
            ChatBinding.platform == platform.value,
            ChatBinding.chat_id == chat_id,
            ChatBinding.unit_id == invite.unit_id,
        )
    ).first()
    if existing is None:
        session.add(
            ChatBinding(
                platform=platform.value,
                chat_id=chat_id,
                unit_id=invite.unit_id,
                bound_by=person.member_id,
                bound_at=now,
            )
        )
        session.add(
            AuditLog(
                at=now,
                actor=f"member:{person.member_id}",
                action="chat.bind",
                entity=f"chat:{chat_id}",
                detail={"unit": unit_name, "platform": platform.value, "invite": invite.code},
            )
        )
        session.flush()
    return Bound(unit=unit_name, already=existing is not None)

"""One person, several chat platforms: linking a second account with a one-time code, and the platform
their messages go to (/kenh). Which account a message goes to is `models.accounts.delivery_account`.

Linking: in a private chat on the platform they already use, a member sends /lienket (or /link) and
gets a code of 8 characters, valid for 15 minutes and for one use; from their account on the other
platform they send that code to the bot in a private chat (the code alone, or /lienket CODE), and that
account becomes theirs. Asking again retires the unused code. An account that already belongs to
another member, or a second account on a platform the member has already, is refused: whoever holds
a code gets the member's reminders, so nothing is ever moved from one member to another in chat. Every
code made and every link is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col, select

from domain.invites import CODE_ALPHABET, canonical_code
from domain.messages import Platform
from models import AuditLog, LinkCode, Member, PlatformAccount
from models.accounts import MemberAccounts, member_accounts

LINK_CODE_LENGTH = 8  # 40 random bits: nobody guesses a live one within its minutes
LINK_VALID_FOR = timedelta(minutes=15)
# How the platforms are called in what the bot says (proper names: the same in every language).
PLATFORM_NAMES = {Platform.TELEGRAM: "Telegram", Platform.ZALO: "Zalo"}


def platform_name(platform: str) -> str:
    try:
        return PLATFORM_NAMES[Platform(platform)]
    except (ValueError, KeyError):
        return platform


@dataclass(frozen=True)
class IssuedLink:
    code: str
    expires_at: datetime


class LinkProblem(StrEnum):
    EXPIRED = "expired"  # used already, or too old: ask for a new one
    SAME_MEMBER = "same_member"  # this account is theirs already
    OTHER_MEMBER = "other_member"  # this account belongs to someone else
    PLATFORM_TAKEN = "platform_taken"  # they have an account on this platform already


@dataclass(frozen=True)
class Linked:
    member_id: int
    name: str
    platform: Platform


class ChannelProblem(StrEnum):
    UNKNOWN = "unknown"  # not a platform the bot knows
    NO_ACCOUNT = "no_account"  # they have no account there to write to


def _audit(session: Session, member_id: int, action: str, detail: dict[str, object], now: datetime) -> None:
    session.add(
        AuditLog(at=now, actor=f"member:{member_id}", action=action, entity=f"member:{member_id}", detail=detail)
    )


def could_be_link_code(text: str) -> bool:
    """Whether a message could be a link code as people retype it (any case, O/0, I/L/1): checked before
    any query, so ordinary messages cost none."""
    canonical = canonical_code(text)
    return len(canonical) == LINK_CODE_LENGTH and set(canonical) <= set(CODE_ALPHABET)


def issue_link_code(session: Session, member_id: int, platform: Platform, now: datetime) -> IssuedLink:
    # Only the newest code works: one asked for earlier and not used stops here.
    session.execute(
        sa.update(LinkCode)
        .where(
            col(LinkCode.member_id) == member_id,
            col(LinkCode.used_at).is_(None),
            col(LinkCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
    while session.exec(select(LinkCode.id).where(LinkCode.code == code)).first() is not None:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
    expires_at = now + LINK_VALID_FOR
    session.add(
        LinkCode(code=code, member_id=member_id, platform=platform.value, expires_at=expires_at, created_at=now)
    )
    # The code itself stays out of the log: it is as good as the account until it is used or expires.
    _audit(session, member_id, "member.link_code", {"platform": platform.value}, now)
    session.flush()
    return IssuedLink(code=code, expires_at=expires_at)


def find_link_code(session: Session, typed: str) -> LinkCode | None:
    """The link code a typed text names, whatever its state."""
    if not could_be_link_code(typed):
        return None
    return session.exec(select(LinkCode).where(LinkCode.code == canonical_code(typed))).first()


def link_account(
    session: Session, link: LinkCode, *, platform: Platform, user_id: str, chat_id: str, now: datetime
) -> Linked | LinkProblem:
    """Makes the account (`platform`, `user_id`) the code's member's, with `chat_id` as its private chat."""
    account = session.exec(
        select(PlatformAccount).where(PlatformAccount.platform == platform.value, PlatformAccount.user_id == user_id)
    ).first()
    if account is not None and account.member_id == link.member_id:
        return LinkProblem.SAME_MEMBER
    if link.used_at is not None or link.expires_at <= now:
        return LinkProblem.EXPIRED
    if account is not None:
        return LinkProblem.OTHER_MEMBER
    taken = session.exec(
        select(PlatformAccount.id).where(
            PlatformAccount.member_id == link.member_id, PlatformAccount.platform == platform.value
        )
    ).first()
    if taken is not None:
        return LinkProblem.PLATFORM_TAKEN
    member = session.get(Member, link.member_id)
    assert member is not None and member.id is not None
    session.add(PlatformAccount(platform=platform.value, user_id=user_id, private_chat_id=chat_id, member_id=member.id))
    link.used_at = now
    session.add(link)
    _audit(session, member.id, "member.link", {"platform": platform.value, "code_from": link.platform}, now)
    session.flush()
    return Linked(member_id=member.id, name=member.display_name, platform=platform)


def accounts_of(session: Session, member_id: int) -> MemberAccounts:
    return member_accounts(session, [member_id]).get(member_id, MemberAccounts(None, ()))


def set_channel(session: Session, member_id: int, typed: str, now: datetime) -> MemberAccounts | ChannelProblem:
    """Chooses the platform a member's messages go to, from what they typed ("zalo", "Telegram")."""
    try:
        platform = Platform(typed.strip().lower())
    except ValueError:
        return ChannelProblem.UNKNOWN
    current = accounts_of(session, member_id)
    if not any(account.platform == platform.value for account in current.accounts):
        return ChannelProblem.NO_ACCOUNT
    member = session.get(Member, member_id)
    assert member is not None
    member.channel = platform.value
    session.add(member)
    _audit(session, member_id, "member.channel", {"channel": platform.value}, now)
    session.flush()
    return MemberAccounts(platform.value, current.accounts)

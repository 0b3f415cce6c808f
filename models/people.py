"""People and what they may do: members, their chat accounts, unit roles, group bindings, invites."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class Role(StrEnum):
    STAFF = "staff"  # công chức, viên chức of a unit
    UNIT_LEAD = "unit_lead"  # lãnh đạo đơn vị
    MONITOR = "monitor"  # head of the monitoring department: sees the whole plan
    ADMIN = "admin"


class Member(SQLModel, table=True):
    __tablename__ = "member"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    language: str = Field(default="vi", max_length=8)
    # On leave: until this day (inclusive) the member gets nothing; the unit's chat still does.
    paused_until: date | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The platform chosen for messages to this person (/kenh); None: their newest account's (models/accounts.py).
    channel: str | None = Field(default=None, sa_column=Column(String(20), nullable=True))


class PlatformAccount(SQLModel, table=True):
    """A member's account on a chat platform; its private chat is where the bot writes to them."""

    __tablename__ = "platform_account"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    user_id: str = Field(max_length=64)
    private_chat_id: str | None = Field(default=None, max_length=64)
    member_id: int = Field(foreign_key="member.id", index=True)
    # Set when the platform says the person blocked the bot (403); the unit lead is told.
    blocked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Membership(SQLModel, table=True):
    """A member's role in a unit. Monitors and admins may have no unit."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("member_id", "unit_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    role: Role = Field(sa_column=Column(String(20), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ChatBinding(SQLModel, table=True):
    """A group chat bound to a unit: the unit's reminders also go there."""

    __tablename__ = "chat_binding"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))
    chat_id: str = Field(max_length=64)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    bound_by: int = Field(foreign_key="member.id")
    bound_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Invite(SQLModel, table=True):
    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    # Deep-link payloads allow A–Z a–z 0–9 _ - and 64 characters; codes are short and unambiguous.
    code: str = Field(max_length=64, unique=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    role: Role = Field(sa_column=Column(String(20), nullable=False))
    uses_left: int
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class LinkCode(SQLModel, table=True):
    """A one-time code a member asks for on one platform (/lienket) and sends from another account to
    link it: short-lived and single use, since whoever sends it gets the member's reminders."""

    __tablename__ = "link_code"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(sa_column=Column(String(20), nullable=False))  # where it was asked for
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

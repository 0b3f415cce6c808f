"""Updates a platform delivered, remembered so a redelivered one is handled once (also after a restart)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class PlatformUpdate(SQLModel, table=True):
    """One update (Zalo: a message id) taken in for handling; rows older than a few days are deleted."""

    __tablename__ = "platform_update"

    # The key is the uniqueness: a second insert of the same update fails, on SQLite and PostgreSQL alike.
    platform: str = Field(primary_key=True, max_length=20)
    update_id: str = Field(primary_key=True, max_length=128)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))

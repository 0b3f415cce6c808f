"""Migration 0020 stores each outbox row's chat kind, filling in the rows already queued: a chat bound
to a unit is a group on any platform, a Telegram id starting with "-" is a group, the rest private."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import ChatBinding, Member, Unit, db
from models.db import session_scope
from tests.conftest import PG_URL, _pg_unavailable

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
ZALO_GROUP = "5a1f0e7c3b9d24c8a6e1"  # Zalo's ids are opaque: a group's looks like a person's
ZALO_PERSON = "8c2d4f6a1b3e5d7c9f0a"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, not migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/kinds.db"
        return
    schema = f"nhacviec_kind_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        _pg_unavailable(str(error))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _queue_at_0019(connection: sa.Connection, key: str, platform: str, chat_id: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO outbox_message (idempotency_key, platform, chat_id, text, buttons, reason, due_at, state,"
            " attempts, created_at) VALUES (:key, :platform, :chat, 'Nhắc việc II.3', '[]', '{}', :now, 'pending',"
            " 0, :now)"
        ),
        {"key": key, "platform": platform, "chat": chat_id, "now": NOW.isoformat()},
    )


def test_rows_queued_before_0020_get_the_kind_of_their_chat(empty_url: str) -> None:
    engine = db.make_engine(empty_url)
    try:
        db.upgrade(engine, "0019")
        with session_scope(engine) as session:
            unit = Unit(name="Văn phòng Sở", key="văn phòng sở")
            lead = Member(display_name="Trần Thị Bình", created_at=NOW)
            session.add_all([unit, lead])
            session.flush()
            assert unit.id is not None and lead.id is not None
            session.add(
                ChatBinding(platform="zalo", chat_id=ZALO_GROUP, unit_id=unit.id, bound_by=lead.id, bound_at=NOW)
            )
        with engine.begin() as connection:
            _queue_at_0019(connection, "tg-group", "telegram", "-1001234567890")
            _queue_at_0019(connection, "tg-person", "telegram", "101")
            _queue_at_0019(connection, "zalo-group", "zalo", ZALO_GROUP)
            _queue_at_0019(connection, "zalo-person", "zalo", ZALO_PERSON)
            _queue_at_0019(connection, "zalo-dash", "zalo", "-3")  # a "-" means nothing on Zalo
        db.upgrade(engine)
        with engine.connect() as connection:
            kinds = dict(
                (str(key), str(kind))
                for key, kind in connection.execute(sa.text("SELECT idempotency_key, chat_kind FROM outbox_message"))
            )
        assert kinds == {
            "tg-group": "group",
            "tg-person": "private",
            "zalo-group": "group",
            "zalo-person": "private",
            "zalo-dash": "private",
        }
    finally:
        engine.dispose()


def test_a_row_without_a_kind_is_refused(engine: sa.Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        _queue_at_0019(connection, "no-kind", "telegram", "101")

"""The bundled plan with the sandbox's simulated people, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from models import db
from nhacviec.demo import seed_people
from tests.helpers import cli
from tests.reminders.support import START


@pytest.fixture
def planned(db_url: str, engine: Engine) -> Engine:
    """The bundled plan imported, and one staff member and one leader per unit, a monitor and an admin:
    telegram chats 1001 (staff) and 1002 (lead) for the TĐC department, 1003/1004 for the digital
    transformation centre, 1005/1006 Văn phòng Sở, 1007/1008 the post and telecoms department,
    1009/1010 the technical centre, 1011 the monitor, 1012 the admin."""
    result = cli(db_url, "plan", "import", "--bundled")
    assert result.exit_code == 0, result.output
    with db.session_scope(engine) as session:
        seed_people(session, START)
    return engine

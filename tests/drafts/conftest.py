"""The bundled plan with the sandbox's simulated people (the monitor is chat 1011), on SQLite and on
PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from models import db
from nhacviec.demo import SimulatedPerson, seed_people
from tests.helpers import cli

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 9, 1, 8, 0, tzinfo=VN)


@pytest.fixture
def people(db_url: str, engine: Engine) -> list[SimulatedPerson]:
    result = cli(db_url, "plan", "import", "--bundled")
    assert result.exit_code == 0, result.output
    with db.session_scope(engine) as session:
        return seed_people(session, START)

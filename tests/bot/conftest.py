"""A fresh chat over the bundled plan for every conversation test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.bot.chat import Chat


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)

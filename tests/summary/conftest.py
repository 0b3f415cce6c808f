"""The year of reports, built once per module and database (SQLite, PostgreSQL) for the tests that only
read it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models import db
from tests.conftest import _empty_pg_tables
from tests.summary.scenario import build


@dataclass(frozen=True)
class Year:
    url: str
    members: dict[str, int]  # member id by role: "monitor", "unit_lead", "staff"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def year(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Year:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("year") / "year.db"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_schema_url")
        _empty_pg_tables(url)
    return Year(url, build(url))


@pytest.fixture(scope="module")
def year_engine(year: Year) -> Iterator[Engine]:
    engine = db.make_engine(year.url)
    yield engine
    engine.dispose()

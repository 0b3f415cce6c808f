"""Shared test helpers: the bundled plan, a CLI runner, and a snapshot of every table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel
from typer.testing import CliRunner, Result

import models  # noqa: F401
from models import db
from nhacviec.cli import build_app

SEED = Path(__file__).resolve().parent.parent / "nhacviec" / "plans" / "quang-ngai-skhcn-tdc-2025.txt"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def cli(db_url: str, *args: str, lang: str = "vi") -> Result:
    return CliRunner().invoke(build_app(lang), ["--db", db_url, *args])


def snapshot(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so a test can say "the database is exactly as it was"."""
    engine = db.make_engine(db_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted((tuple(map(repr, row)) for row in connection.execute(select(table))), key=repr)
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()

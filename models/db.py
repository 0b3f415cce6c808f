"""Engines, sessions and migrations.

SQLite (WAL, foreign keys on) is the default; PostgreSQL serves several processes.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    """Accepts the usual `postgresql://` and `postgres://` forms and picks the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while the dispatcher writes; foreign keys are off in SQLite unless asked.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# The tables a plan import fills: their statistics tell the query planner how big they are.
PLANNED_TABLES = ("plan", "section", "task", "task_unit", "unit", "occurrence")


def refresh_statistics(session: Session, tables: Sequence[str] = PLANNED_TABLES) -> None:
    """ANALYZE after a bulk change. SQLite keeps no statistics of its own: without them it walks the
    occurrences of each of a plan's tasks instead of the few days a summary asks about (2-3× slower
    on 10,000 tasks). PostgreSQL's autovacuum would get there later; this makes it now."""
    for table in tables:
        session.execute(text(f'ANALYZE "{table}"'))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Held while a process migrates and seeds the database: a second process starting at the same
    time waits here, then finds the work done (both ran Alembic at once and one crashed, or the
    bundled plan was imported twice). PostgreSQL: a session advisory lock, per schema (tests run
    side by side in their own schemas); SQLite: an exclusive lock on a file next to the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            key = text("SELECT hashtext('nhacviec.startup:' || current_schema())")
            lock = connection.execute(key).scalar_one()
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock})
                connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # nothing another process could share
        return
    with open(f"{database}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # the loser waits; the kernel frees it if its holder dies
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head", *, lock: bool = True) -> None:
    """Migrate to `revision`, under the start-up lock (`lock=False` when the caller holds it already)."""
    if not lock:
        command.upgrade(alembic_config(engine), revision)
        return
    with startup_lock(engine):
        command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()

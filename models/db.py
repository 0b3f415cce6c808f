"""Engines, sessions and migrations.

SQLite (WAL, foreign keys on) is the default; PostgreSQL serves several processes.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import NullType
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic (and Mako, and Pygments under it: ~10 MB and a good part of `run`'s start-up) is imported
# only when there is something to migrate; a restart on a current database reads these two lines of
# each migration instead.
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"](\w+)['\"]\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def normalise_url(url: str) -> str:
    """Accepts the usual `postgresql://` and `postgres://` forms and picks the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def display_url(url: str) -> str:
    """The URL as messages show it: the driver named, the password hidden."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite database URL; None for PostgreSQL, an in-memory database or a `file:` URI."""
    parsed = make_url(normalise_url(url))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CHECKPOINT_PAGES = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while the dispatcher writes; foreign keys are off in SQLite unless asked.
    wal = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    if wal:
        # In WAL mode NORMAL syncs the log at checkpoints, not at every commit: a killed process loses
        # nothing committed (the reliability bench kills it 100 times); a power cut or an OS crash may lose
        # the last commits. FULL cost a disk flush (0.2-0.3 ms here) on every chat answer. PostgreSQL is
        # the option that syncs each commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A checkpoint every ~40 MB of log rather than SQLite's 4 MB: each one syncs the disk and copies
        # every page written since the last, so pages a chat answer rewrites all day (the newest reports,
        # the open questions) are copied once per 10,000 pages, not ten times (SQLite's share of a chat
        # answer's commit: ~80 -> ~55 us here). The log is emptied on a clean stop.
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    # Reads through the OS page cache, not a copy of each page into SQLite's own 2 MB cache: a summary of
    # a large plan looks up each occurrence's newest reports all over the file (the bench plan's summary
    # read: 72 -> 59 ms). Shared by every connection and process; a page is mapped only once read.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
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
    from alembic.config import Config

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
    if revision == "head" and _stored_revision(engine) == script_head():
        return  # nothing to do: Alembic need not even be imported
    from alembic import command

    if not lock:
        command.upgrade(alembic_config(engine), revision)
        return
    with startup_lock(engine):
        command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def script_head() -> str | None:
    """The newest migration, read from the files' `revision` and `down_revision` lines without Alembic;
    None (so: ask Alembic) unless every file reads plainly and exactly one revision is a head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    files = sorted((MIGRATIONS / "versions").glob("*.py"))
    for path in files:
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"['\"](\w+)['\"]", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and len(revisions) == len(files) else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision the database records (None when it has none, or several)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A statement compiled for one dialect, with what running it needs each time."""

    compiled: SQLCompiler
    defaults: dict[str, Any]  # the values bound in the statement itself (LIMIT 1, 'lead', …)
    processors: dict[str, Callable[[Any], Any]]  # SQLAlchemy's own conversion of each bound value
    sql: str
    order: Sequence[str] | None  # the parameters' order, for a positional driver (SQLite)
    expanding: tuple[str, ...]  # its IN lists ("expanding" parameters): one placeholder per value
    # The statement expanded for each combination of IN-list lengths met so far (SQLAlchemy expands by
    # rewriting the SQL text, which cost more than running a /tasks read).
    expansions: dict[tuple[int, ...], _Expansion]


@dataclass(frozen=True, slots=True)
class _Expansion:
    sql: str
    order: Sequence[str] | None
    processors: dict[str, Callable[[Any], Any]]


_PREPARED: dict[tuple[int, str, tuple[str, ...]], _Prepared] = {}
_SQLITE_MOMENT = "%Y-%m-%d %H:%M:%S.%f"  # how a datetime is stored in SQLite (naive UTC, see UTCDateTime)


def _sqlite_value(value: Any) -> Any:
    """An untyped parameter as SQLite stores it: days as ISO text, moments as naive UTC text."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value).strftime(_SQLITE_MOMENT)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _prepare(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Prepared:
    # An INSERT or UPDATE sets the columns it is given values for, as `Session.execute` compiles it.
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
    assert isinstance(compiled, SQLCompiler)
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError("raw_rows runs no column defaults computed in Python")
    processors: dict[str, Callable[[Any], Any]] = {}
    for bind, name in compiled.bind_names.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is None and dialect.name == "sqlite" and isinstance(bind.type, NullType):
            processor = _sqlite_value  # an untyped parameter: a day or a moment goes in as SQLite stores it
        if processor is not None:
            processors[name] = processor
    order = getattr(compiled, "positiontup", None)
    return _Prepared(
        compiled,
        dict(compiled.params),
        processors,
        compiled.string,
        order,
        tuple(sorted(compiled.bind_names[bind] for bind in compiled.post_compile_params)),
        {},
    )


def _spread(values: dict[str, Any], expanding: tuple[str, ...]) -> dict[str, Any]:
    """`values` with each IN list spread into one value per placeholder, named as SQLAlchemy names them."""
    spread = {name: value for name, value in values.items() if name not in expanding}
    for name in expanding:
        for index, value in enumerate(values[name], 1):
            spread[f"{name}_{index}"] = value
    return spread


def _expanded(prepared: _Prepared, values: dict[str, Any]) -> tuple[str, dict[str, Any], _Expansion]:
    sizes = tuple(len(values[name]) for name in prepared.expanding)
    known = prepared.expansions.get(sizes)
    if known is not None:
        return known.sql, _spread(values, prepared.expanding), known
    state = prepared.compiled.construct_expanded_state(values)
    expansion = _Expansion(state.statement, state.positiontup, {**prepared.processors, **state.processors})
    # Kept only when spreading the values by SQLAlchemy's naming gives exactly what it made itself.
    spread = _spread(values, prepared.expanding)
    if spread.keys() == state.parameters.keys() and all(spread[k] is state.parameters[k] for k in spread):
        prepared.expansions[sizes] = expansion
    return expansion.sql, dict(state.parameters), expansion


_DRIVER = "nhacviec.raw_rows.driver"


def _driver_connection(session: Session) -> tuple[Any, Dialect]:
    """The driver's connection under the session's transaction (begun if none), and its dialect: kept in the
    session's `info` for the rest of that transaction, since asking the session costs more than most of
    the statements a chat answer runs."""
    root = session.get_transaction()
    known = session.info.get(_DRIVER)
    # An inactive transaction (a failed flush) goes back through the session, which raises as it should.
    if root is not None and known is not None and known[0] is root and root.is_active:
        return known[1], known[2]
    connection = session.connection()
    driver, dialect = connection.connection.dbapi_connection, connection.dialect
    session.info[_DRIVER] = (session.get_transaction(), driver, dialect)
    return driver, dialect


def driver_day(value: date | str) -> date:
    """A stored day as `raw_rows` gives it (ISO text on SQLite)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def driver_moment(value: datetime | str) -> datetime:
    """A stored moment as `raw_rows` gives it (naive UTC text on SQLite), made aware."""
    if isinstance(value, str):
        # SQLite gives naive UTC text: parsing it with "+00:00" appended is six times faster than
        # parsing it and then replacing the tzinfo (thousands of reports per summary).
        offset = value[19:]
        aware = "+" in offset or "-" in offset or offset.endswith("Z")
        return datetime.fromisoformat(value if aware else value + "+00:00")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def raw_rows(session: Session, statement: ClauseElement, params: dict[str, Any]) -> list[Sequence[Any]]:
    """Runs a statement on the session's connection (same transaction) straight through the driver: on a
    10,000-task plan, SQLAlchemy's result rows and per-value processing took longer than the query, and
    on the few rows of a chat answer they took as long. Values are bound as SQLAlchemy would bind them
    (its own bind processors); rows come back as the driver gives them (dates as text on SQLite), for
    the callers to convert. An INSERT or UPDATE sets the columns named in `params`; rows are those it
    returns (RETURNING), if any. Pending ORM changes are flushed first, as `Session.execute` would."""
    if session.autoflush:
        session.flush()
    driver, dialect = _driver_connection(session)
    keys = tuple(params) if isinstance(statement, UpdateBase) else ()
    key = (id(statement), dialect.name, keys)
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = _PREPARED[key] = _prepare(statement, dialect, keys)
    values = {**prepared.defaults, **params}
    sql, order, processors = prepared.sql, prepared.order, prepared.processors
    if prepared.expanding:
        sql, values, expansion = _expanded(prepared, values)
        order, processors = expansion.order, expansion.processors
    for name, processor in processors.items():
        if name in values:
            values[name] = processor(values[name])
    bound = values if order is None else tuple([values[name] for name in order])
    cursor = driver.cursor()
    try:
        cursor.execute(sql, bound)
        rows: list[Sequence[Any]] = list(cursor.fetchall()) if cursor.description is not None else []
    finally:
        cursor.close()
    return rows

"""`nhacviec backup PATH` and `nhacviec restore PATH`.

SQLite is copied through its online backup API: one consistent snapshot, safe while the service
writes. PostgreSQL goes through `pg_dump` (custom format) and `pg_restore`, with the schema of the
URL's `search_path` when it names one. A restore checks the file before it touches anything, refuses a
database that already holds rows unless forced, and migrates afterwards (a backup of an older version
comes back at the current schema).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

import models  # noqa: F401  (registers the tables counted before a restore)
from locales import N_
from models import db
from models.errors import UserFacingError
from nhacviec.failures import NO_DATABASE

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"

NO_PG_TOOL = N_(
    "{tool} is not installed: install the PostgreSQL client programs (e.g. apt install postgresql-client) "
    "to back up or restore a PostgreSQL database."
)
MISSING_BACKUP = N_("There is no file {path}.")
UNKNOWN_FORMAT = N_("{path} is not a nhacviec backup: it is neither an SQLite database nor a pg_dump archive.")
DAMAGED = N_("{path} is damaged and cannot be restored: {detail}")
NO_REVISION = N_("{path} is not a nhacviec backup: it holds no nhacviec tables.")
NOT_FILE_DATABASE = N_("Backup and restore need an SQLite database in a file or a PostgreSQL database.")
SQLITE_BACKUP = N_("{path} is a backup of an SQLite database: restore it with --db sqlite:///…")
PG_BACKUP = N_("{path} is a backup of a PostgreSQL database: restore it with --db postgresql://…")
NEWER_BACKUP = N_("{path} comes from a newer version of nhacviec (revision {revision}): upgrade nhacviec first.")
NOT_EMPTY = N_("The database {url} already holds {rows} rows: restore would replace them. Add --force to replace them.")
TOOL_FAILED = N_("{tool} failed: {reason}")


@dataclass(frozen=True)
class PgTarget:
    """How the PostgreSQL client programs reach a database: a libpq URL without the password (which
    goes through the environment, never the command line) and the schema the search_path names."""

    conninfo: str
    password: str | None
    schema: str | None

    def env(self) -> dict[str, str]:
        return os.environ | ({"PGPASSWORD": self.password} if self.password else {})


def pg_target(url: str) -> PgTarget:
    parsed = make_url(db.normalise_url(url))
    schema = None
    options = parsed.query.get("options")
    for option in [options] if isinstance(options, str) else list(options or ()):
        # "-csearch_path=name" (how the tests and some hosts pick a schema)
        setting = option.removeprefix("-c").strip()
        if setting.startswith("search_path="):
            schema = setting.split("=", 1)[1].split(",")[0].strip() or None
    plain = parsed.set(drivername="postgresql", password=None)
    return PgTarget(plain.render_as_string(hide_password=False), parsed.password, schema)


def is_sqlite(url: str) -> bool:
    return make_url(db.normalise_url(url)).get_backend_name() == "sqlite"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UserFacingError(NO_PG_TOOL, tool=name)
    return found


def _run(tool: str, args: Sequence[str], target: PgTarget) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([tool, *args], capture_output=True, text=True, env=target.env(), check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit {result.returncode}"
        raise UserFacingError(TOOL_FAILED, tool=Path(tool).name, reason=reason.removeprefix(Path(tool).name + ": "))
    return result


def _sqlite_path(url: str) -> Path:
    path = db.sqlite_file(url)
    if path is None:
        raise UserFacingError(NOT_FILE_DATABASE)
    return path


# ---- backup ---------------------------------------------------------------------------------------


def backup(url: str, target: Path) -> None:
    """Writes a backup of the database at `url` to `target`, whole or not at all (a temporary file next
    to it is renamed at the end). OSError from writing is left to the caller."""
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(b"")  # a folder that is missing or not writable fails here, as an OSError
    try:
        if is_sqlite(url):
            _backup_sqlite(_sqlite_path(url), partial)
        else:
            _backup_postgresql(pg_target(url), partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _backup_sqlite(source: Path, partial: Path) -> None:
    if not source.is_file():
        raise UserFacingError(NO_DATABASE, path=str(source))
    partial.unlink()
    with sqlite3.connect(source, timeout=30) as reader, sqlite3.connect(partial) as writer:
        reader.backup(writer)  # all pages in one step: one consistent snapshot, writers wait meanwhile
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    reader.close()
    writer.close()


def _backup_postgresql(target: PgTarget, partial: Path) -> None:
    schema = ["--schema", target.schema] if target.schema else []
    args = ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", *schema, target.conninfo]
    _run(_tool("pg_dump"), args, target)


# ---- restore --------------------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    """ "sqlite" or "postgresql", from the file's first bytes; UserFacingError for anything else."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise UserFacingError(MISSING_BACKUP, path=str(path)) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise UserFacingError(UNKNOWN_FORMAT, path=str(path))


def _sqlite_backup_revision(path: Path) -> str:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise UserFacingError(DAMAGED, path=str(path), detail=str(check))
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.close()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            raise UserFacingError(NO_REVISION, path=str(path)) from None
        raise UserFacingError(DAMAGED, path=str(path), detail=str(error)) from None
    if row is None:
        raise UserFacingError(NO_REVISION, path=str(path))
    return str(row[0])


def _pg_backup_revision(path: Path, target: PgTarget) -> str:
    tool = _tool("pg_restore")
    try:
        listing = _run(tool, ["--list", str(path)], target)
    except UserFacingError as error:
        raise UserFacingError(DAMAGED, path=str(path), detail=error.params["reason"]) from None
    if "alembic_version" not in listing.stdout:
        raise UserFacingError(NO_REVISION, path=str(path))
    data = _run(tool, ["--data-only", "--table=alembic_version", "--file=-", str(path)], target).stdout
    rows = data.split("FROM stdin;\n", 1)[-1].split("\n\\.", 1)[0].split()
    if len(rows) != 1:
        raise UserFacingError(NO_REVISION, path=str(path))
    return rows[0]


def _known_revision(path: Path, revision: str) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory(str(db.MIGRATIONS)).get_revision(revision)
    except CommandError:
        raise UserFacingError(NEWER_BACKUP, path=str(path), revision=revision) from None


def rows_held(engine: Engine) -> int:
    """Rows in nhacviec's tables (the migrations' own bookkeeping aside); 0 for a database without them."""
    present = set(sa.inspect(engine).get_table_names())
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name in present]
    with engine.connect() as connection:
        return sum(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables)


def check_backup(url: str, path: Path) -> str:
    """The backup's schema revision, once the file is known to be a backup this database can take."""
    kind = backup_kind(path)
    if kind == "sqlite":
        if not is_sqlite(url):
            raise UserFacingError(SQLITE_BACKUP, path=str(path))
        revision = _sqlite_backup_revision(path)
    else:
        if is_sqlite(url):
            raise UserFacingError(PG_BACKUP, path=str(path))
        revision = _pg_backup_revision(path, pg_target(url))
    _known_revision(path, revision)
    return revision


def restore(url: str, path: Path, *, force: bool) -> str:
    """Replaces the database at `url` with the backup at `path` and migrates it; returns the revision
    it is at afterwards. Nothing is touched when the file is not a usable backup or (without `force`)
    when the database already holds rows."""
    check_backup(url, path)
    target_file = db.sqlite_file(url) if is_sqlite(url) else None
    if is_sqlite(url) and target_file is None:
        raise UserFacingError(NOT_FILE_DATABASE)
    if target_file is None or target_file.is_file():
        engine = db.make_engine(url)
        try:
            held = rows_held(engine)
        finally:
            engine.dispose()
        if held and not force:
            raise UserFacingError(NOT_EMPTY, url=db.display_url(url), rows=str(held))
    if target_file is not None:
        target_file.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source, sqlite3.connect(target_file) as writer:
            source.backup(writer)
        source.close()
        writer.close()
    else:
        target = pg_target(url)
        args = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        _run(_tool("pg_restore"), [*args, f"--dbname={target.conninfo}", str(path)], target)
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        return str(db.current_revision(engine))
    finally:
        engine.dispose()

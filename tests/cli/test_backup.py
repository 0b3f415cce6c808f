"""`nhacviec backup` and `nhacviec restore` on SQLite and PostgreSQL: a backup taken while the
dispatcher sends is consistent, a restore gives back every row, and nothing is overwritten or touched
by mistake."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine, make_url

from bot.platforms.telegram.sender import telegram_sender
from models import OutboxState, db
from nhacviec.backup import backup
from sandbox import Sandbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings
from tests.conftest import PG_URL
from tests.dispatch.support import GROUP, LEAD, OTHER, STAFF, FakeTime, seed_unit, serving
from tests.dispatch.support import queue as queue_messages
from tests.helpers import cli, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind, not even migrated: a PostgreSQL database of its own (with
    the source's schema name, which a schema's dump brings back), or an SQLite file not yet there."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'khoi-phuc' / 'nhacviec.db'}"
        return
    name = f"nhacviec_restore_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(db.normalise_url(db_url)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def outbox_states(url: str) -> dict[str, str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT idempotency_key, state FROM outbox_message").all()
    finally:
        engine.dispose()
    return {key: state for key, state in rows}


def without(tables: dict[str, list[tuple[object, ...]]], *names: str) -> dict[str, list[tuple[object, ...]]]:
    return {name: rows for name, rows in tables.items() if name not in names}


async def dispatch_while_backing_up(db_url: str, engine: Engine, box: Sandbox, fake: FakeTime, path: Path) -> None:
    """Sends every queued message through the sandbox; once the first is on its way, backs up to `path`."""
    sender = telegram_sender("123456:TEST", base_url=box.base_url)
    await sender.bot.initialize()
    try:
        settings = DispatchSettings(poll_seconds=1.0)
        async with Dispatcher(
            engine, {"telegram": sender}, settings=settings, clock=box.clock.now, ticker=fake, sleep=fake.sleep
        ) as dispatcher:
            sending = asyncio.create_task(dispatcher.run_until_done())
            while not any(e.method == "sendMessage" for e in box.exchanges):
                await asyncio.sleep(0.01)
            await asyncio.to_thread(backup, db_url, path)
            await sending
    finally:
        await sender.bot.shutdown()


async def test_a_backup_taken_while_the_dispatcher_sends_restores_whole(
    db_url: str, engine: Engine, fresh_url: str, tmp_path: Path
) -> None:
    seed_unit(engine)
    keys = queue_messages(engine, [STAFF, LEAD, OTHER, GROUP] * 40)
    fake = FakeTime()
    during = tmp_path / "trong-khi-gui.bak"
    async with serving(fake) as box:
        await dispatch_while_backing_up(db_url, engine, box, fake, during)
    # Taken mid-dispatch: every queued message is there, each in a state it really passed through.
    assert cli(fresh_url, "restore", str(during)).exit_code == 0
    restored = outbox_states(fresh_url)
    assert sorted(restored) == sorted(keys)
    assert set(restored.values()) <= {OutboxState.PENDING.value, OutboxState.SENDING.value, OutboxState.SENT.value}
    # The outbox, the leases, the shared send budget and the chats' open questions (a sent message with
    # buttons is one) are what the dispatch goes on changing.
    moving = ("outbox_message", "dispatcher_lease", "rate_budget", "open_question")
    assert without(snapshot(fresh_url), *moving) == without(snapshot(db_url), *moving)

    # Taken once the dispatcher is done: every row of every table comes back equal.
    after = tmp_path / "sau-khi-gui.bak"
    assert cli(db_url, "backup", str(after)).exit_code == 0
    result = cli(fresh_url, "restore", str(after), "--force")
    assert result.exit_code == 0, result.output
    assert snapshot(fresh_url) == snapshot(db_url)
    assert set(outbox_states(fresh_url).values()) == {OutboxState.SENT.value}


def test_restore_refuses_a_database_that_holds_rows(db_url: str, tmp_path: Path) -> None:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    path = tmp_path / "ban-sao.bak"
    assert cli(db_url, "backup", str(path)).exit_code == 0
    assert cli(db_url, "units", "merge", "Văn phòng Sở", "Phòng Bưu chính viễn thông và CDS").exit_code == 0
    before = snapshot(db_url)
    result = cli(db_url, "restore", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Cơ sở dữ liệu ")
    assert result.stderr.endswith(" dòng dữ liệu: khôi phục sẽ thay thế chúng. Thêm --force để thay thế.\n")
    assert snapshot(db_url) == before
    assert cli(db_url, "restore", str(path), "--force").exit_code == 0
    assert "Văn phòng Sở (đơn vị)" in cli(db_url, "units", "list").stdout


def test_restore_checks_the_file_before_touching_anything(tmp_path: Path) -> None:
    target = tmp_path / "moi" / "nhacviec.db"
    path = tmp_path / "ke-hoach.txt"
    path.write_text("không phải bản sao lưu", encoding="utf-8")
    result = cli(f"sqlite:///{target}", "restore", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Lỗi: {path} không phải bản sao lưu của nhacviec: không phải cơ sở dữ liệu SQLite cũng không phải tệp pg_dump.\n"
    )
    assert not target.parent.exists()


def test_restore_brings_an_older_backup_to_the_current_schema(tmp_path: Path) -> None:
    old = tmp_path / "cu.db"
    engine = db.make_engine(f"sqlite:///{old}")
    db.upgrade(engine, "0003")
    engine.dispose()
    path = tmp_path / "cu.bak"
    assert cli(f"sqlite:///{old}", "backup", str(path)).exit_code == 0
    result = cli(f"sqlite:///{tmp_path / 'moi.db'}", "restore", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"(phiên bản {db.head_revision()}).\n")


def test_a_postgresql_backup_without_pg_dump_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on it
    result = cli("postgresql://nhacviec@127.0.0.1:5432/nhacviec", "backup", str(tmp_path / "x.dump"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Chưa cài pg_dump: ")
    assert not (tmp_path / "x.dump").exists()

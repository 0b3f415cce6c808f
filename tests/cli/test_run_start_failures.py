"""Issue 24, finding 6: `nhacviec run` that cannot start ends with one line and exit code 2, like every
other command, never with a traceback: the database unreachable, missing or read-only, Telegram
unreachable, Zalo unreachable."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.slow


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "nhacviec", *args, "run"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_server_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def test_unreachable_postgresql() -> None:
    port = closed_port()
    result = run("--db", f"postgresql://nhacviec:bimat@127.0.0.1:{port}/nhacviec")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"Lỗi: Không dùng được cơ sở dữ liệu postgresql+psycopg://nhacviec:***@127.0.0.1:{port}/nhacviec: "
        "máy chủ không trả lời\n"
    )


def test_unreachable_postgresql_in_english() -> None:
    port = closed_port()
    result = run("--lang", "en", "--db", f"postgresql://nhacviec@127.0.0.1:{port}/nhacviec")
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: Cannot use the database postgresql+psycopg://nhacviec@127.0.0.1:{port}/nhacviec: "
        "the server does not answer\n"
    )


@pytest.mark.skipif(not pg_server_answers(), reason="no PostgreSQL server at 127.0.0.1:5432")
def test_missing_postgresql_database() -> None:
    url = PG_URL.rsplit("/", 1)[0] + "/nhacviec_khong_co"
    result = run("--db", url)
    assert result.returncode == 2
    assert result.stderr == (
        "Lỗi: Không dùng được cơ sở dữ liệu postgresql+psycopg://postgres@127.0.0.1:5432/nhacviec_khong_co: "
        "cơ sở dữ liệu không tồn tại\n"
    )


def test_read_only_sqlite_file(tmp_path: Path, sqlite_template: Path) -> None:
    # Opened read-only by SQLite itself: file permissions do not stop root, who runs CI here.
    path = tmp_path / "chi-doc.db"
    shutil.copyfile(sqlite_template, path)
    result = run("--db", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: Không dùng được cơ sở dữ liệu sqlite:///file")
    assert result.stderr.endswith(": tệp cơ sở dữ liệu chỉ cho phép đọc\n")


def test_unreachable_telegram(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "n.db")
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    result = run(
        "--db",
        f"sqlite:///{tmp_path / 'n.db'}",
        env={"NHACVIEC_TELEGRAM_TOKEN": "7000000001:khong-co-that", "NHACVIEC_TELEGRAM_BASE_URL": base_url},
    )
    assert result.returncode == 2
    # The bundled plan was imported before Telegram was tried; the last line says why it stopped.
    assert result.stderr == f"Lỗi: Không kết nối được Telegram tại {base_url}: máy chủ không trả lời\n"
    assert "khong-co-that" not in result.stdout + result.stderr


def test_unreachable_zalo(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "n.db")
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    result = run(
        "--db",
        f"sqlite:///{tmp_path / 'n.db'}",
        env={"NHACVIEC_ZALO_TOKEN": "1459232241454765289:khong-co-that", "NHACVIEC_ZALO_BASE_URL": base_url},
    )
    assert result.returncode == 2
    assert result.stderr == f"Lỗi: Không kết nối được Zalo tại {base_url}: máy chủ không trả lời\n"
    assert "khong-co-that" not in result.stdout + result.stderr

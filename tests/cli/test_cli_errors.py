"""Bad command lines and bad settings get one Vietnamese line and exit code 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest


def nhacviec(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "nhacviec", *args], capture_output=True, text=True, env=environment, check=False
    )


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--foo"], "Lỗi: lệnh hoặc tùy chọn không đúng (No such option: --foo)"),
        (["plan", "import", "--bundled", "--horizon", "abc"], "Lỗi: lệnh hoặc tùy chọn không đúng (Invalid value"),
        (["schedule", "parse", "Quý IV/2025", "--json"], "Lỗi: lệnh hoặc tùy chọn không đúng (Missing option"),
        (["--db", "notaurl", "plan", "list"], "Lỗi: Địa chỉ cơ sở dữ liệu không hợp lệ"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(args: list[str], start: str) -> None:
    result = nhacviec(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(start)


def test_a_bad_setting_names_the_variable_not_its_value(tmp_path: Path) -> None:
    result = nhacviec(
        "--db",
        f"sqlite:///{tmp_path}/x.db",
        "plan",
        "list",
        env={"NHACVIEC_TIMEZONE": "Mars/Base", "NHACVIEC_TELEGRAM_TOKEN": "123:SECRET"},
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "Lỗi: Cấu hình không hợp lệ: NHACVIEC_TIMEZONE; hãy kiểm tra biến môi trường hoặc tệp .env."
    )
    assert "SECRET" not in result.stderr


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    result = nhacviec("--db", f"sqlite:///{path}", "plan", "list")
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"Lỗi: Không dùng được cơ sở dữ liệu sqlite:///{path}: tệp không phải là cơ sở dữ liệu"
    )

"""`nhacviec run` with no token, as the README's first command runs it: the sandbox comes up, a
simulated person asks for their tasks through the scripting API, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from tests.e2e.support import READY, ask_for_tasks, free_port, spawn_run, stop_run, wait_for_line


def test_run_without_token_serves_the_sandbox_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "NHACVIEC_DB_URL": f"sqlite:///{tmp_path}/run.db",
        "NHACVIEC_SANDBOX_PORT": str(port),
        "NHACVIEC_HTTP_PORT": "0",
    }
    process = spawn_run(tmp_path, env, merge_stderr=True)
    try:
        lines = wait_for_line(process, READY, timeout=60)  # a guard against hanging, not a speed claim
        assert f"http://127.0.0.1:{port}/" in lines[-1]
        staff, answer = ask_for_tasks(port)
        assert staff == {
            "id": 1001,
            "name": "Nguyễn Văn An",
            "unit": "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
            "role": "staff",
        }
        assert answer.startswith("Các việc đang mở của đơn vị bạn (")
        page = httpx.get(f"http://127.0.0.1:{port}/")
        assert page.status_code == 200
        assert "text/html" in page.headers["content-type"]
    finally:
        output, _ = stop_run(process, timeout=15)
    assert process.returncode == 0, output
    assert output.rstrip().endswith("Đã dừng.")


def test_run_with_its_http_port_taken_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = {
            "NHACVIEC_DB_URL": f"sqlite:///{tmp_path}/run.db",
            "NHACVIEC_SANDBOX_PORT": str(free_port()),
            "NHACVIEC_HTTP_PORT": str(port),
        }
        process = spawn_run(tmp_path, env, merge_stderr=False)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 2
    last = errors.strip().splitlines()[-1]
    assert last == (
        f"Lỗi: Không mở được cổng 127.0.0.1:{port} (Address already in use): "
        "hãy kiểm tra NHACVIEC_HTTP_HOST và NHACVIEC_HTTP_PORT."
    )
    assert "Traceback" not in errors

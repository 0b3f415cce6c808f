"""`nhacviec run` with no token, as the README's first command runs it: the sandbox comes up, a
simulated person asks for their tasks through the scripting API, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.e2e.running import READY, ask_for_tasks, clean_env, free_port, stop, wait_for_line


def test_run_without_token_serves_the_sandbox_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(NHACVIEC_DB_URL=f"sqlite:///{tmp_path}/run.db", NHACVIEC_SANDBOX_PORT=str(port))
    process = subprocess.Popen(
        [sys.executable, "-m", "nhacviec", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
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
        output = stop(process)
    assert process.returncode == 0, output
    assert output.rstrip().endswith("Đã dừng.")

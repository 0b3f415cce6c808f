"""What the end-to-end tests share: a free loopback port, `nhacviec run` in its own process with none of
the caller's NHACVIEC_* settings, waiting for a line of its output, and a simulated person asking for /tasks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

READY = "Môi trường thử đã sẵn sàng"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**settings: str) -> dict[str, str]:
    """The process environment without NHACVIEC_* (and PYTHONPATH), plus `settings`."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_") and k != "PYTHONPATH"}
    return keep | settings


def spawn_run(tmp_path: Path, env: Mapping[str, str], *, merge_stderr: bool) -> subprocess.Popen[str]:
    """`nhacviec run` in `tmp_path` with only the given NHACVIEC_* variables (none from this machine)."""
    return subprocess.Popen(
        [sys.executable, "-m", "nhacviec", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        env=clean_env(**env),
        cwd=tmp_path,
    )


def wait_for_line(process: subprocess.Popen[str], text: str, timeout: float) -> list[str]:
    """The output lines up to and including the first that holds `text`."""
    assert process.stdout is not None
    started = time.monotonic()
    lines: list[str] = []
    while not any(text in line for line in lines):
        line = process.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
        assert time.monotonic() - started < timeout, f"no «{text}» within {timeout} s: {''.join(lines)}"
    return lines


def ask_for_tasks(port: int, timeout: float = 10) -> tuple[dict[str, object], str]:
    """The first simulated staff member sends /tasks; returns them and the bot's answer."""
    base = f"http://127.0.0.1:{port}/api/sandbox"
    people = httpx.get(f"{base}/people").json()
    staff: dict[str, object] = next(p for p in people if p["role"] == "staff")
    sent = httpx.post(f"{base}/send", json={"person": staff["id"], "text": "/tasks", "reply_to": None}).json()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chat = httpx.get(f"{base}/chat/{staff['id']}", params={"since": sent["message_id"]}).json()
        # Reminders due today may arrive too (the real date, catch-up): look for the answer itself.
        answers = [m for m in chat if m["from"] == "bot" and str(m["text"]).startswith("Các việc đang mở")]
        if answers:
            return staff, str(answers[0]["text"])
        time.sleep(0.1)
    raise AssertionError("the bot did not answer /tasks")


def stop_run(process: subprocess.Popen[str], timeout: float = 30) -> tuple[str, str]:
    """Ctrl-C, as a person would; (stdout, stderr) once it ended (killed if it hangs past `timeout`)."""
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise

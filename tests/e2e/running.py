"""What the tests of `nhacviec run` share: a free port, an environment without the caller's
NHACVIEC_* settings, waiting for a line of the output, and a simulated person asking for /tasks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

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


def stop(process: subprocess.Popen[str], timeout: float = 30) -> str:
    """Ctrl-C, as a person at the terminal stops it; the rest of the output."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return output

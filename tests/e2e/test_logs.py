"""A whole sandbox run's log: never the bot token (at any level, issue 24 finding 9: httpx logged
`/bot<token>/` URLs), never what people wrote at INFO (only ids and lengths), one line per event."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from bot.platforms.telegram import SANDBOX_TOKEN
from nhacviec.logs import make_handler
from nhacviec.service import log_secrets, start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock
from tests.e2e.support import free_port, spawn_run, stop_run

STAFF_TDC = 1001
REPLY = "Đã trình lãnh đạo Sở dự thảo quy chế, đạt 80%"


@pytest.fixture
def root_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    root = logging.getLogger()
    stream = io.StringIO()
    level = root.level
    yield root, stream
    root.setLevel(level)
    for handler in [h for h in root.handlers if getattr(h, "stream", None) is stream]:
        root.removeHandler(handler)


async def test_an_info_log_has_ids_and_lengths_not_the_reply_nor_the_token(
    tmp_path: Path, root_log: tuple[logging.Logger, io.StringIO]
) -> None:
    root, stream = root_log
    settings = Settings(db_url=f"sqlite:///{tmp_path}/logs.db", sandbox_port=0, http_port=0, telegram_token=None)
    root.addHandler(make_handler(stream, secrets=log_secrets(settings)))
    root.setLevel(logging.INFO)
    clock = SandboxClock(datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM))
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        box = running.sandbox
        clock.set(datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM))
        reminder = await box.wait_for_bot_message(STAFF_TDC, after=0, timeout=15)
        sent = box.send(STAFF_TDC, REPLY, reminder["message_id"])
        await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
    finally:
        await running.stop()
    text = stream.getvalue()
    assert f"handled message: chat={STAFF_TDC} message={sent} length={len(REPLY)} answers=" in text
    assert REPLY not in text and "đạt 80%" not in text
    assert SANDBOX_TOKEN not in text


def test_a_debug_run_in_json_never_shows_the_token(tmp_path: Path) -> None:
    """`nhacviec run` as IT staff would run it for a collector, at DEBUG, with people chatting."""
    sandbox_port, http_port = free_port(), free_port()
    env = {
        "NHACVIEC_DB_URL": f"sqlite:///{tmp_path}/run.db",
        "NHACVIEC_SANDBOX_PORT": str(sandbox_port),
        "NHACVIEC_HTTP_PORT": str(http_port),
        "NHACVIEC_LOG_LEVEL": "DEBUG",
        "NHACVIEC_LOG_FORMAT": "json",
    }
    process = spawn_run(tmp_path, env, merge_stderr=False)
    try:
        base = f"http://127.0.0.1:{sandbox_port}/api/sandbox"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "nhacviec run ended early"
            assert time.monotonic() < deadline, "the sandbox did not come up"
            try:
                if httpx.get(f"http://127.0.0.1:{http_port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        sent = httpx.post(f"{base}/send", json={"person": STAFF_TDC, "text": REPLY, "reply_to": None}).json()
        answered: list[object] = []
        while not answered and time.monotonic() < deadline:
            chat = httpx.get(f"{base}/chat/{STAFF_TDC}", params={"since": sent["message_id"]}).json()
            answered = [m for m in chat if m["from"] == "bot"]
            time.sleep(0.2)
        assert answered, "the bot answered"
    finally:
        _, log = stop_run(process, timeout=30)
    assert process.returncode == 0, log[-2000:]
    assert SANDBOX_TOKEN not in log
    assert SANDBOX_TOKEN.replace(":", "%3A") not in log
    entries = [json.loads(line) for line in log.splitlines()]  # one JSON object per line, every line
    # httpx's request lines are there, with the token redacted: the filter, not silence, kept it out.
    assert any(e["logger"] == "httpx" and "/bot<redacted>/getUpdates" in e["message"] for e in entries)
    assert {e["level"] for e in entries} >= {"DEBUG", "INFO"}

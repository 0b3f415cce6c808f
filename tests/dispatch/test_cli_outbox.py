"""`nhacviec outbox`: counts by state, the oldest pending row, the recent failures — in Vietnamese."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from domain.messages import ChatKind
from models.db import session_scope
from scheduler.delivery import outbox
from tests.dispatch.support import NOW, queue
from tests.helpers import cli


def test_an_empty_outbox(db_url: str) -> None:
    result = cli(db_url, "outbox")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Hàng đợi tin nhắn: 0 chờ gửi, 0 đang gửi, 0 đã gửi, 0 thất bại.",
        "Không có tin nào đang chờ gửi.",
        "Không có tin nào gửi thất bại.",
    ]


def test_counts_the_oldest_pending_and_the_failures(db_url: str, engine: Engine) -> None:
    queue(engine, ["101", "102", "103"])
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key="early",
            platform="telegram",
            chat_id="-42",
            chat_kind=ChatKind.GROUP,
            text="t",
            due_at=NOW - timedelta(hours=1),
            now=NOW,
        )
    first, second = outbox.claim(engine, holder="a", now=NOW, lease_seconds=60, limit=2, platforms=["telegram"])
    outbox.mark_failed(engine, first, holder="a", error="Forbidden: bot was blocked by the user", now=NOW)
    outbox.mark_retry(
        engine,
        second,
        holder="a",
        error="NetworkError: Bad Gateway",
        now=NOW,
        horizon_seconds=3600.0,
        backoff=lambda attempt: 60.0,
    )
    result = cli(db_url, "outbox")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Hàng đợi tin nhắn: 3 chờ gửi, 0 đang gửi, 0 đã gửi, 1 thất bại."
    # Due dates are shown in the settings' time zone (Asia/Ho_Chi_Minh): 01:30 UTC is 08:30 there.
    assert "Tin chờ lâu nhất: #2 gửi telegram:102, hẹn gửi 08:30 02/03/2026" in result.output
    assert lines[-2:] == [
        "Các tin gửi thất bại gần đây (1):",
        "  #4 gửi telegram:-42, hẹn gửi 07:30 02/03/2026, sau 1 lần thử: Forbidden: bot was blocked by the user",
    ]
    english = cli(db_url, "--lang", "en", "outbox", "--failures", "0")
    assert english.output.splitlines()[0] == "Outbox: 3 pending, 0 sending, 0 sent, 1 failed."
    assert "Recent failures" not in english.output and "No failed messages" not in english.output


def test_outbox_retry_of_a_row_that_did_not_fail_says_so(db_url: str, engine: Engine) -> None:
    queue(engine, ["101"])
    result = cli(db_url, "outbox", "retry", "--id", "1")
    assert result.exit_code == 2
    assert result.output.strip() == "Lỗi: Tin #1 không phải là tin gửi thất bại trong hàng đợi."
    nothing = cli(db_url, "outbox", "retry")
    assert nothing.exit_code == 0 and nothing.output.splitlines() == ["Không có tin nào gửi thất bại."]

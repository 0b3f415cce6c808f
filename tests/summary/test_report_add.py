"""`nhacviec report add`: a reply recorded from the command line as a chat reply would be, on the
occurrence the text answers."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models import AuditLog, Member, Occurrence, ProgressReport, Task, Unit, db
from tests.helpers import cli, snapshot
from tests.summary.scenario import TDC, TTKT, TZ, VP


@pytest.fixture
def plan_url(db_url: str) -> str:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    return db_url


def add(url: str, task: str, unit: str, text: str, at: str | None = None) -> str:
    result = cli(url, "report", "add", "--task", task, "--unit", unit, "--text", text, *(["--at", at] if at else []))
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def reports(url: str) -> list[tuple[str, str, str, str | None, int | None, str, bool, datetime]]:
    """(task, due, unit, status, percent, member, check-in, made at) of every report, oldest first."""
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(
                    Task.code,
                    Occurrence.due,
                    Unit.name,
                    ProgressReport.status,
                    ProgressReport.percent,
                    Member.display_name,
                    Occurrence.checkin,
                    ProgressReport.created_at,
                )
                .join(Occurrence, Occurrence.id == ProgressReport.occurrence_id)
                .join(Task, Task.id == Occurrence.task_id)
                .join(Unit, Unit.id == ProgressReport.unit_id)
                .join(Member, Member.id == ProgressReport.member_id)
                .order_by(ProgressReport.id)
            ).all()
            return [(c, d.isoformat(), u, s, p, m, k, t.astimezone(TZ)) for c, d, u, s, p, m, k, t in rows]
    finally:
        engine.dispose()


def test_a_report_is_read_and_stored_like_a_chat_reply(plan_url: str) -> None:
    assert add(plan_url, "II.3", "Phòng Quản lý", "đã trình dự thảo, đạt 70%", "2025-11-20T14:30") == (
        f"Đã ghi báo cáo nhiệm vụ II.3 ({TDC}), Quý IV/2025, hạn 31/12/2025: đang thực hiện, 70 %."
    )
    assert add(plan_url, "ii.4", "phong quan ly", "vướng kinh phí", "2025-12-10") == (
        f"Đã ghi báo cáo nhiệm vụ II.4 ({TDC}), Quý IV/2025, hạn 31/12/2025: có vướng mắc: kinh phí."
    )
    assert reports(plan_url) == [
        ("II.3", "2025-12-31", TDC, "in_progress", 70, "cli", False, datetime(2025, 11, 20, 14, 30, tzinfo=TZ)),
        ("II.4", "2025-12-31", TDC, "blocked", None, "cli", False, datetime(2025, 12, 10, 9, 0, tzinfo=TZ)),
    ]
    engine = db.make_engine(plan_url)
    with Session(engine) as session:
        audit = session.execute(
            select(AuditLog.action, AuditLog.detail).where(AuditLog.action == "report.create")
        ).all()
        members = session.execute(select(Member.display_name)).scalars().all()
    engine.dispose()
    assert [action for action, _detail in audit] == ["report.create", "report.create"]
    assert audit[1][1]["reason"] == "kinh phí"
    assert members == ["cli"]  # one system member for every command-line report


def test_the_occurrence_is_the_one_the_text_answers(plan_url: str) -> None:
    # 1. A deadline not yet done whose period holds the day.
    add(plan_url, "I.1", TDC, "đã quán triệt, xong", "2025-09-26")
    # 5. Everything done: the one whose period holds the day (a correction).
    add(plan_url, "I.1", TDC, "xong rồi", "2025-09-28")
    # 2. A late "done" closes the late deadline, not the next quarter's check-in.
    add(plan_url, "II.4", TDC, "đã ban hành kế hoạch", "2026-02-12")
    # 3. Ongoing work: the check-in of the quarter.
    add(plan_url, "I.2", TDC, "đang tuyên truyền", "2026-05-10")
    # 4. Before any period: the first one still open.
    add(plan_url, "I.4", TDC, "đang chuẩn bị", "2025-05-01")
    # A duty several units lead: each unit answers for itself.
    add(plan_url, "BC.1", VP, "đã gửi báo cáo, xong", "2025-11-10")
    add(plan_url, "BC.1", TTKT, "đã gửi báo cáo, xong", "2025-11-25")
    assert [(task, due, checkin) for task, due, _u, _s, _p, _m, checkin, _t in reports(plan_url)] == [
        ("I.1", "2025-09-30", False),
        ("I.1", "2025-09-30", False),
        ("II.4", "2025-12-31", False),
        ("I.2", "2026-06-30", True),
        ("I.4", "2025-09-30", True),
        ("BC.1", "2025-11-15", False),
        ("BC.1", "2025-11-15", False),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--task", "IX.9", "--unit", TDC, "--text", "xong"), "Lỗi: Kế hoạch không có nhiệm vụ IX.9."),
        (
            ("--task", "II.3", "--unit", VP, "--text", "xong"),
            "Lỗi: «Văn phòng Sở» không phải đơn vị chủ trì hay phối hợp của nhiệm vụ II.3.",
        ),
        (
            ("--task", "II.3", "--unit", TDC, "--text", "hôm nay trời đẹp"),
            "Lỗi: Không đọc được tình trạng từ «hôm nay trời đẹp»; hãy viết ví dụ «đã xong», «đang thực hiện, "
            "đạt 50%» hoặc «vướng kinh phí».",
        ),
        (
            ("--task", "II.3", "--unit", TDC, "--text", "xong", "--at", "31/12/2025"),
            "Lỗi: Thời điểm không hợp lệ 31/12/2025: hãy viết dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM, ví dụ "
            "2026-03-15T09:30.",
        ),
        (
            ("--task", "II.2", "--unit", TDC, "--text", "xong"),
            "Lỗi: Nhiệm vụ II.2 chưa có hạn hay kỳ báo cáo nào (đang chờ sự kiện).",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(plan_url: str, args: tuple[str, ...], message: str) -> None:
    before = snapshot(plan_url)
    result = cli(plan_url, "report", "add", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, message + "\n", "")
    assert snapshot(plan_url) == before

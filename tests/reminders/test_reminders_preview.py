"""`nhacviec reminders preview`: a public contract, on the bundled plan."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from models import Member, Occurrence, ProgressReport, ReportStatus, Task, db
from nhacviec.demo import seed_people
from tests.helpers import cli, snapshot

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
CDS = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"
VPS = "Văn phòng Sở"
BCVT = "Phòng Bưu chính viễn thông và CDS"
KT = "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"


def entry(at: str, task: str, unit: str, kind: str, due: str) -> dict[str, str]:
    return {"at": f"{at}T08:30:00+07:00", "task": task, "unit": unit, "kind": kind, "due": due}


def preview(db_url: str, start: str, end: str) -> list[dict[str, Any]]:
    result = cli(db_url, "reminders", "preview", "--from", start, "--to", end, "--json")
    assert result.exit_code == 0, result.output
    payload: list[dict[str, Any]] = json.loads(result.stdout)
    return payload


def test_the_first_weeks_of_the_bundled_plan(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert preview(db_url, "2025-09-15", "2025-10-20") == [
        entry("2025-09-16", "I.1", TDC, "lead", "2025-09-30"),
        entry("2025-09-16", "I.1", CDS, "coordinating", "2025-09-30"),
        entry("2025-09-23", "I.1", TDC, "lead", "2025-09-30"),
        entry("2025-09-23", "I.2", TDC, "checkin", "2025-09-30"),
        entry("2025-09-23", "I.4", TDC, "checkin", "2025-09-30"),
        entry("2025-09-23", "II.1", TDC, "checkin", "2025-09-30"),
        entry("2025-09-23", "V.1", TDC, "checkin", "2025-09-30"),
        entry("2025-09-23", "V.2", TDC, "checkin", "2025-09-30"),
        entry("2025-09-26", "I.1", TDC, "lead", "2025-09-30"),  # -3 is Saturday 27/09
        entry("2025-09-29", "I.1", TDC, "lead", "2025-09-30"),
        entry("2025-09-30", "I.1", TDC, "lead", "2025-09-30"),
        entry("2025-10-03", "I.1", TDC, "overdue", "2025-09-30"),
        entry("2025-10-08", "I.1", TDC, "overdue", "2025-09-30"),
        entry("2025-10-13", "I.1", TDC, "escalation", "2025-09-30"),  # to the unit's lead
        entry("2025-10-16", "I.1", TDC, "escalation", "2025-09-30"),  # to the monitor
        entry("2025-10-16", "BC.1", CDS, "obligation", "2025-11-15"),
        entry("2025-10-16", "BC.1", VPS, "obligation", "2025-11-15"),
        entry("2025-10-16", "BC.1", BCVT, "obligation", "2025-11-15"),
        entry("2025-10-16", "BC.1", KT, "obligation", "2025-11-15"),
    ]


def test_the_report_cycle_before_15_11_moves_off_the_weekend(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    cycle = [e for e in preview(db_url, "2025-10-01", "2025-12-31") if e["task"] == "BC.1" and e["unit"] == VPS]
    assert [(e["at"][:10], e["kind"]) for e in cycle] == [
        ("2025-10-16", "obligation"),
        ("2025-10-31", "obligation"),
        ("2025-11-07", "obligation"),  # -7 is Saturday 8/11
        ("2025-11-12", "obligation"),
        ("2025-11-14", "obligation"),  # -1 is Friday; the deadline itself is a Saturday
        ("2025-11-19", "overdue"),
        ("2025-11-24", "overdue"),
        ("2025-11-27", "escalation"),
        ("2025-12-02", "escalation"),
    ]


def test_a_whole_year_is_in_time_order_on_working_mornings(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    year = preview(db_url, "2026-01-01", "2026-12-31")
    assert len(year) > 150
    assert [e["at"] for e in year] == sorted(e["at"] for e in year)
    assert {e["at"][10:] for e in year} == {"T08:30:00+07:00"}
    assert {e["kind"] for e in year} == {"lead", "coordinating", "checkin", "obligation", "overdue", "escalation"}
    days = {e["at"][:10] for e in year}
    assert not days & {"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"}
    assert not days & {"2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"}
    assert all(datetime.fromisoformat(e["at"]).weekday() < 5 for e in year)


def test_event_tasks_have_nothing_until_their_event_is_recorded(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert preview(db_url, "2026-05-15", "2026-05-29") == []
    recorded = cli(
        db_url, "event", "record", "Trung ương ban hành Đề án", "--tasks", "III.3,VI.1", "--date", "2026-03-02"
    )
    assert recorded.exit_code == 0, recorded.output
    # Due 90 days later, Sunday 31/05/2026: -14 and -7 fall on Sundays, -1 and 0 on the weekend.
    assert preview(db_url, "2026-05-15", "2026-05-29") == [
        entry("2026-05-15", "III.3", TDC, "lead", "2026-05-31"),
        entry("2026-05-15", "III.3", KT, "coordinating", "2026-05-31"),
        entry("2026-05-15", "VI.1", TDC, "lead", "2026-05-31"),
        entry("2026-05-15", "VI.1", VPS, "coordinating", "2026-05-31"),
        entry("2026-05-15", "VI.1", KT, "coordinating", "2026-05-31"),
        entry("2026-05-22", "III.3", TDC, "lead", "2026-05-31"),
        entry("2026-05-22", "VI.1", TDC, "lead", "2026-05-31"),
        entry("2026-05-28", "III.3", TDC, "lead", "2026-05-31"),
        entry("2026-05-28", "VI.1", TDC, "lead", "2026-05-31"),
        entry("2026-05-29", "III.3", TDC, "lead", "2026-05-31"),
        entry("2026-05-29", "VI.1", TDC, "lead", "2026-05-31"),
    ]


def test_the_preview_assumes_nobody_answered_and_writes_nothing(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    engine = db.make_engine(db_url)
    now = datetime(2025, 9, 20, 9, 0, tzinfo=VN)
    with db.session_scope(engine) as session:
        seed_people(session, now)
        occurrence = session.exec(
            select(Occurrence).join(Task).where(Task.code == "I.1", Occurrence.checkin == False)  # noqa: E712
        ).one()
        member = session.exec(select(Member).order_by(col(Member.id))).first()
        assert occurrence.id is not None and member is not None and member.id is not None
        session.add(
            ProgressReport(
                occurrence_id=occurrence.id,
                member_id=member.id,
                unit_id=1,
                status=ReportStatus.DONE,
                note="xong rồi",
                platform="telegram",
                chat_id="1001",
                message_id="77",
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()
    before = snapshot(db_url)
    assert [e["kind"] for e in preview(db_url, "2025-09-25", "2025-10-03") if e["task"] == "I.1"] == [
        "lead",
        "lead",
        "lead",
        "overdue",
    ]
    cli(db_url, "reminders", "preview", "--from", "2025-09-01", "--to", "2026-12-31")
    assert snapshot(db_url) == before


def test_a_readable_list_in_vietnamese(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "reminders", "preview", "--from", "2025-09-29", "--to", "2025-10-03")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Nhắc việc sẽ gửi từ 29/09/2025 đến 03/10/2025 nếu không ai trả lời: 3",
        "Thứ Hai, 29/09/2025",
        f"  08:30  I.1 — nhắc hạn: {TDC} (hạn 30/09/2025)",
        "Thứ Ba, 30/09/2025",
        f"  08:30  I.1 — nhắc hạn: {TDC} (hạn 30/09/2025)",
        "Thứ Sáu, 03/10/2025",
        f"  08:30  I.1 — nhắc quá hạn: {TDC} (hạn 30/09/2025)",
    ]
    quiet = cli(db_url, "reminders", "preview", "--from", "2025-10-17", "--to", "2025-10-30")
    assert quiet.stdout.splitlines() == ["Không có nhắc việc nào từ 17/10/2025 đến 30/10/2025."]


def test_escalations_say_who_they_go_to(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "reminders", "preview", "--from", "2025-10-13", "--to", "2025-10-16")
    assert result.stdout.splitlines()[1:5] == [
        "Thứ Hai, 13/10/2025",
        f"  08:30  I.1 — báo lãnh đạo đơn vị: {TDC} (hạn 30/09/2025)",
        "Thứ Năm, 16/10/2025",
        f"  08:30  I.1 — báo lãnh đạo theo dõi kế hoạch: {TDC} (hạn 30/09/2025)",
    ]


def test_bad_dates_get_one_vietnamese_line_and_exit_2(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    bad = cli(db_url, "reminders", "preview", "--from", "2025-02-30", "--to", "2025-03-01", "--json")
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "Lỗi: Ngày không hợp lệ 2025-02-30: hãy viết theo dạng YYYY-MM-DD, ví dụ 2025-09-15."
    ]
    backwards = cli(db_url, "reminders", "preview", "--from", "2025-10-02", "--to", "2025-10-01", "--json")
    assert backwards.exit_code == 2
    assert backwards.stderr.splitlines() == ["Lỗi: Ngày đầu 02/10/2025 sau ngày cuối 01/10/2025."]
    unknown = cli(db_url, "reminders", "preview", "--from", "2025-10-01", "--to", "2025-10-02", "--plan", "x")
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines() == [
        "Lỗi: Không có kế hoạch mã x. Các kế hoạch hiện có: quang-ngai-skhcn-tdc-2025"
    ]


def test_one_plan_or_every_plan(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    one = cli(
        db_url,
        "reminders",
        "preview",
        "--from",
        "2025-09-16",
        "--to",
        "2025-09-16",
        "--plan",
        "quang-ngai-skhcn-tdc-2025",
        "--json",
    )
    assert json.loads(one.stdout) == preview(db_url, "2025-09-16", "2025-09-16")
    assert len(json.loads(one.stdout)) == 2

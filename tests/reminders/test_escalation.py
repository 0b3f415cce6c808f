"""Escalation follows the policy: a unit is escalated only after its own reminders reached it (the
platform acknowledged them) and the grace passed; the monitor reads each task once, its units under it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.reminders.support import at, deliver, messages, occurrence_id, run, steps

BC1_DUE = date(2026, 11, 15)  # a Sunday
BC1 = (
    "Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách nhiệm "
    "cụ thể đến từng bộ phận/công chức thuộc phạm vi quản lý; định kỳ trước ngày 15/11 hàng năm báo cáo tiến độ, "
    "kết quả thực hiện, các khó khăn vướng mắc gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng để tổng hợp, báo "
    "cáo lãnh đạo Sở."
)


def bc1_ledger(engine: Engine) -> list[tuple[str, str, int | None]]:
    with Session(engine) as session:
        bc1 = occurrence_id(session, "BC.1", BC1_DUE)
    return sorted({(s.kind, s.step, s.unit_id) for s in steps(engine) if s.occurrence_id == bc1})


def test_started_long_after_a_deadline_units_are_nudged_not_escalated(planned: Engine) -> None:
    # First start on Thursday 3/12/2026, 18 days after BC.1's deadline: nobody was ever reminded of it.
    run(planned, at("03/12/2026"))
    assert messages(planned, "1011") == []
    assert bc1_ledger(planned) == [("overdue", "+6", unit) for unit in (2, 3, 4, 6)]


def test_after_the_nudges_reached_them_the_leads_then_the_monitor_hear_an_interval_apart(planned: Engine) -> None:
    # From the first start on 3/12/2026 the units' reminders are delivered a minute after they are queued.
    for day in ("03/12/2026", "08/12/2026", "11/12/2026", "16/12/2026"):
        run(planned, at(day))
        deliver(planned, at(day, "08:31"))
    with Session(planned) as session:
        bc1 = occurrence_id(session, "BC.1", BC1_DUE)
    ledger = sorted(
        {(s.planned_at, s.kind, s.step) for s in steps(planned) if s.occurrence_id == bc1 and s.unit_id == 3}
    )
    assert ledger == [
        (at("23/11/2026"), "overdue", "+6"),  # collapsed at the first start: one nudge, not an escalation
        (at("08/12/2026"), "overdue", "+16"),  # the policy's second nudge, three working days later
        (at("11/12/2026"), "escalation", "lead:+9:u3"),
        (at("16/12/2026"), "escalation", "monitor:+12:u3"),
    ]
    [to_monitor] = [m for m in messages(planned, "1011") if "BC.1" in m.text]
    assert to_monitor.due_at == at("16/12/2026")
    assert to_monitor.text.splitlines() == [
        "⚠️ Nhiệm vụ BC.1 đã quá hạn 31 ngày (hạn Chủ Nhật, 15/11/2026): 4 đơn vị chưa báo cáo dù đã được nhắc:",
        "• Trung tâm Chuyên đổi số và Đổi mới sáng tạo",
        "• Văn phòng Sở",
        "• Phòng Bưu chính viễn thông và CDS",
        "• Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng",
        BC1,
    ]

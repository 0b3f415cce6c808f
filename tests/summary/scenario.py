"""A realistic year on the bundled Quảng Ngãi plan, September 2025 to November 2026: the units' replies
as they would come in chat (recorded the way `nhacviec report add` records them), an outside event for
III.3, and the people who ask for the summary. The summaries are taken on TODAY, a few days before the
yearly report is due (15/11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import Member, Membership, Plan, Role, Unit, db
from models.registry import unit_key
from nhacviec.bundled import bundled_plan_path
from reports.report_entry import add_report
from scheduler.timing.events import record_event

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 10)

TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
VP = "Văn phòng Sở"
TTKT = "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"
TTCDS = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"
BCVT = "Phòng Bưu chính viễn thông và CDS"

# (task, unit, reply, day): in the order they came.
REPLIES: list[tuple[str, str, str, str]] = [
    ("I.1", TDC, "Đã tổ chức quán triệt tại hội nghị giao ban, xong", "2025-09-26"),
    ("I.2", TDC, "đang tuyên truyền, đã đăng 3 tin bài trên cổng thông tin", "2025-09-29"),
    ("BC.1", VP, "đã hoàn thành báo cáo", "2025-11-12"),
    ("BC.1", TTKT, "đã gửi báo cáo, hoàn thành", "2025-11-14"),
    ("II.3", TDC, "đã trình dự thảo kế hoạch, đạt 70%", "2025-11-20"),
    ("BC.1", TTCDS, "đã gửi báo cáo, xong", "2025-11-20"),
    ("VI.2", TDC, "đã tổ chức diễn đàn, xong", "2025-11-28"),
    ("V.1", TDC, "đang kiểm tra, đã kiểm tra 15 cơ sở", "2025-12-05"),
    ("II.4", TDC, "vướng: chưa có hướng dẫn của Bộ về truy xuất nguồn gốc", "2025-12-10"),
    ("I.4", TDC, "đang tuyên truyền trên Zalo và Facebook", "2025-12-12"),
    ("III.4", TDC, "đã tổ chức 1/1 lớp", "2025-12-15"),
    ("III.2", TDC, "đã cử 38% công chức, viên chức tham gia đào tạo", "2025-12-18"),
    ("II.1", TDC, "đang rà soát 12 văn bản, đạt 40%", "2025-12-20"),
    ("IV.1", VP, "vướng kinh phí, chưa được bố trí dự toán", "2025-12-22"),
    ("II.3", TDC, "đã ban hành kế hoạch", "2025-12-26"),
    ("II.5", TDC, "đã ban hành kế hoạch", "2025-12-29"),
    ("III.1", TDC, "đã ban hành kế hoạch đào tạo", "2025-12-30"),
    ("II.4", TDC, "đã ban hành kế hoạch", "2026-02-12"),
    ("V.1", TDC, "đã ban hành kế hoạch kiểm tra năm 2026", "2026-03-20"),
    ("I.2", TDC, "đang tuyên truyền, đã đăng 5 tin bài", "2026-03-25"),
    ("II.5", TTKT, "đã khảo sát nhu cầu đo lường của 30 doanh nghiệp, đang thực hiện", "2026-05-15"),
    ("III.3", TDC, "đã xây dựng kế hoạch triển khai Đề án, xong", "2026-05-20"),
    ("V.2", TDC, "đã kiểm tra 3 tổ chức kiểm định, xong", "2026-06-10"),
    ("I.3", TDC, "đã tổ chức 1/1 diễn đàn đối thoại", "2026-06-18"),
    ("II.1", TDC, "đang rà soát, đạt 70%", "2026-06-20"),
    ("III.1", TDC, "đã tập huấn cho 100% công chức cấp tỉnh, 80% công chức cấp xã", "2026-06-25"),
    ("IV.1", VP, "vướng kinh phí năm 2026 chưa được phân bổ", "2026-08-10"),
    ("V.1", TDC, "đã kiểm tra 20 cơ sở, đạt 60%", "2026-09-15"),
    ("I.4", TDC, "đang triển khai tuyên truyền", "2026-09-20"),
    ("II.3", TDC, "đang triển khai kế hoạch, đạt 50%", "2026-09-28"),
    ("III.2", TDC, "đã cử 30% công chức tham gia đào tạo", "2026-09-30"),
    ("VI.2", TDC, "vướng: chưa có kinh phí tổ chức diễn đàn", "2026-10-05"),
    ("III.4", TDC, "đang chuẩn bị mở lớp, đạt 50%", "2026-10-20"),
    ("BC.1", TTKT, "đã gửi báo cáo năm 2026, xong", "2026-11-05"),
    ("BC.1", VP, "đang tổng hợp, đạt 80%", "2026-11-09"),
]

# The people who ask: (name, role, unit).
MONITOR = ("Trần Thị Bình", Role.MONITOR, TDC)
UNIT_LEAD = ("Lê Minh Châu", Role.UNIT_LEAD, VP)
STAFF = ("Phạm Thu Dung", Role.STAFF, TTKT)


def moment(day: str) -> datetime:
    """Replies come at half past nine in the morning, local time."""
    return datetime.combine(date.fromisoformat(day), time(9, 30), TZ)


def build(db_url: str) -> dict[str, int]:
    """Imports the plan, records the event and the replies; returns the members' ids by role."""
    engine = db.make_engine(db_url)
    now = datetime(2025, 9, 15, 2, 0, tzinfo=UTC)
    try:
        with db.session_scope(engine) as session:
            result = import_plan(
                session, read_plan(bundled_plan_path()), PlanOverrides(), actor="test", now=now, accept_obligations=True
            )
            plan = session.exec(select(Plan).where(Plan.code == result.outcome.plan_code)).one()
            record_event(
                session,
                plan,
                "Trung ương ban hành Đề án đào tạo nguồn nhân lực TĐC",
                date(2026, 3, 2),
                ["III.3"],
                due_in_days=90,
                actor="test",
                now=moment("2026-03-03"),
            )
            for task, unit, text, day in REPLIES:
                add_report(
                    session, plan, task_code=task, unit_text=unit, text=text, at=moment(day), actor="test", tz=TZ
                )
            return {
                role.value: _member(session, name, role, unit, now) for name, role, unit in (MONITOR, UNIT_LEAD, STAFF)
            }
    finally:
        engine.dispose()


def _member(session: Session, name: str, role: Role, unit_name: str, now: datetime) -> int:
    unit = session.exec(select(Unit).where(Unit.key == unit_key(unit_name))).one()
    member = Member(display_name=name, created_at=now)
    session.add(member)
    session.flush()
    assert member.id is not None
    session.add(Membership(member_id=member.id, unit_id=unit.id, role=role, created_at=now))
    session.flush()
    return member.id

"""Builds a plan of 10,000 tasks (500 sections, five lead units) with 200,000 progress reports in a fresh
SQLite database, then times the monitor's `/summary` of the current reporting cycle and its files.
The last line is a public contract:

    summary: tasks=10000 reports=200000 summary_ms=<ms> docx_s=<s> xlsx_s=<s>

`summary_ms` is the monitor's `/summary` answer for the current reporting cycle (a quarter: this plan has
no yearly reporting duty), from the database to the message fitted to Telegram's 4096 characters, the
median of five after a first run; the year's (`/summary 2026`) is printed before it. Like the service,
it keeps the registry's facts (tasks, units, sections) between answers, read again whenever the
registry changes (`reports.summary_facts.RegistryCache`); the first answer, which reads them, is
printed too. `docx_s` and `xlsx_s` build the files of the year (every task, one appendix row each).
Goals: under 100 ms, under 1 s.
Pass `--db URL` to measure PostgreSQL instead (an empty database).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import Member, Membership, Role, db
from reports.docx_report import build_docx
from reports.summary_chat import make_summary, summary_reply, viewer_view
from reports.summary_facts import RegistryCache
from reports.xlsx_report import build_xlsx

TODAY = date(2026, 11, 20)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LEADS = [
    "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
    "Văn phòng Sở",
    "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng",
    "Phòng Kế hoạch - Tài chính",
    "Thanh tra Sở",
]
TIMES = ["Quý III năm 2026", "Hàng năm", "Thường xuyên", "01 lớp/năm", "Sau khi Trung ương ban hành Đề án"]
NOTES = [
    ("done", None, "đã hoàn thành"),
    ("in_progress", 60, "đang thực hiện, đạt 60%"),
    ("in_progress", 30, "đã trình lãnh đạo Sở, đạt 30%"),
    ("blocked", None, "vướng kinh phí"),
    ("not_started", None, "chưa triển khai"),
]


def generate(path: Path, tasks: int, sections: int) -> None:
    per_section = tasks // sections
    lines = [
        "KẾ HOẠCH",
        "",
        "Thực hiện chương trình thử tải đến năm 2030 trên địa bàn tỉnh Quảng Ngãi",
        "",
        "(Kèm theo Kế hoạch số 98/KH-THU ngày 15/9/2025 của Sở Thử nghiệm)",
        "",
        "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
    ]
    for s in range(sections):
        code = ROMAN[s % 10] + (f".{s // 10 + 1}" if s >= 10 else "")
        lines.append(f"{code}\tNhóm nhiệm vụ số {s + 1} về tiêu chuẩn, đo lường, chất lượng\t\t\t")
        for t in range(per_section):
            n = s * per_section + t
            lines.append(
                f"{t + 1}\tTổ chức thực hiện nhiệm vụ số {n + 1} <i>(phấn đấu {n % 100}% doanh nghiệp được hỗ "
                f"trợ)</i>, bảo đảm đúng tiến độ và chất lượng.\t{LEADS[n % len(LEADS)]}\t-\t{TIMES[n % len(TIMES)]}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_reports(engine: sa.Engine, count: int) -> tuple[int, int]:
    """`count` reports on the occurrences due up to three months after TODAY; returns (plan id, monitor id)."""
    rng = random.Random(20261120)
    now = datetime.now(UTC)
    with db.session_scope(engine) as session:
        plan_id = session.execute(sa.text("SELECT id FROM plan")).scalar_one()
        monitor = Member(display_name="Giám sát", created_at=now)
        reporter = Member(display_name="Cán bộ", created_at=now)
        session.add_all([monitor, reporter])
        session.flush()
        assert monitor.id is not None and reporter.id is not None
        session.add(Membership(member_id=monitor.id, unit_id=None, role=Role.MONITOR, created_at=now))
        leads = dict(session.execute(sa.text("SELECT task_id, unit_id FROM task_unit WHERE role = 'lead'")).all())
        occurrences = session.execute(
            sa.text("SELECT id, task_id, due FROM occurrence WHERE due <= :last ORDER BY id"),
            {"last": (TODAY + timedelta(days=90)).isoformat()},
        ).all()
        rows = []
        for n in range(count):
            occurrence_id, task_id, due = occurrences[n % len(occurrences)]
            due_day = date.fromisoformat(str(due))
            status, percent, note = NOTES[rng.randrange(len(NOTES))]
            at = datetime.combine(due_day, datetime.min.time(), UTC) - timedelta(
                days=rng.randrange(-40, 80), minutes=n % 1440
            )
            rows.append(
                {
                    "occurrence_id": occurrence_id,
                    "member_id": reporter.id,
                    "unit_id": leads.get(task_id),
                    "status": status,
                    "percent": percent,
                    "reason": "kinh phí" if status == "blocked" else None,
                    "note": note,
                    "platform": "telegram",
                    "chat_id": "1",
                    "message_id": str(n),
                    "created_at": at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "updated_at": at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                }
            )
        session.execute(
            sa.text(
                "INSERT INTO progress_report (occurrence_id, member_id, unit_id, status, percent, reason, note, "
                "platform, chat_id, message_id, created_at, updated_at) VALUES (:occurrence_id, :member_id, "
                ":unit_id, :status, :percent, :reason, :note, :platform, :chat_id, :message_id, :created_at, "
                ":updated_at)"
            ),
            rows,
        )
        return plan_id, monitor.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plan_file = Path(tmp) / "plan.txt"
        generate(plan_file, args.tasks, 500)
        engine = db.make_engine(args.db or f"sqlite:///{tmp}/bench.db")
        db.upgrade(engine)
        with engine.connect() as connection:
            if connection.execute(sa.text("SELECT count(*) FROM plan")).scalar_one():
                sys.exit("bench/summary.py measures an empty database: this one holds a plan already.")
        started = time.perf_counter()
        with db.session_scope(engine) as session:
            import_plan(
                session,
                read_plan(plan_file),
                PlanOverrides(code="bench", horizon_year=2030),
                actor="bench",
                now=datetime.now(UTC),
            )
        _plan_id, monitor_id = add_reports(engine, args.reports)
        with engine.connect() as connection:
            tasks = connection.execute(sa.text("SELECT count(*) FROM task WHERE origin = 'appendix'")).scalar_one()
            reports = connection.execute(sa.text("SELECT count(*) FROM progress_report")).scalar_one()
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        registry = RegistryCache()  # as the service keeps one

        def answer(args: str) -> tuple[float, float, str]:
            """Median of five `/summary ARGS` answers after a first one (ms), the first one (which also
            reads the registry into the cache), and the message."""
            timings = []
            text = ""
            for _run in range(6):
                with db.session_scope(engine) as session:
                    started = time.perf_counter()
                    text, _buttons = summary_reply(
                        session,
                        viewer_member_id=monitor_id,
                        args=args,
                        platform_limit=4096,
                        today=TODAY,
                        tz=TZ,
                        locale="vi",
                        registry=registry,
                    )
                    timings.append(time.perf_counter() - started)
            return statistics.median(timings[1:]) * 1000, timings[0] * 1000, text

        summary_ms, first_ms, text = answer("")
        year_ms, _first, _text = answer("2026")
        print(
            f"/summary (current cycle): {summary_ms:.0f} ms ({first_ms:.0f} ms the first time, registry read), "
            f"{len(text)} characters; /summary 2026: {year_ms:.0f} ms",
            file=sys.stderr,
        )

        with db.session_scope(engine) as session:
            view = viewer_view(session, member_id=monitor_id, args="2026", today=TODAY)
            summary = make_summary(session, view, today=TODAY, tz=TZ)
        started = time.perf_counter()
        docx = build_docx(summary)
        docx_s = time.perf_counter() - started
        started = time.perf_counter()
        xlsx = build_xlsx(summary)
        xlsx_s = time.perf_counter() - started
        print(
            f"files of /summary 2026 ({len(summary.items)} tasks): docx {len(docx) // 1024} KiB, xlsx {len(xlsx) // 1024} KiB",
            file=sys.stderr,
        )
        engine.dispose()
    print(
        f"summary: tasks={tasks} reports={reports} summary_ms={summary_ms:.0f} docx_s={docx_s:.2f} xlsx_s={xlsx_s:.2f}"
    )


if __name__ == "__main__":
    main()

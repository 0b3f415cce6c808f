"""Generates a plan of 10,000 tasks in 500 sections, imports it into a fresh SQLite database, and
prints the figures. The last line is a public contract:

    import_scale: tasks=10000 seconds=<s> peak_rss_mb=<mb>

`seconds` covers reading the file, writing the registry and planning every task's occurrences (one
transaction); migrating the empty database beforehand is reported separately. Pass `--db URL` to
measure PostgreSQL instead.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import db

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LEADS = [
    "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
    "Văn phòng Sở",
    "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng",
    "Phòng Kế hoạch - Tài chính",
    "Thanh tra Sở",
]
COORDINATING = [
    "Trung tâm Chuyển đổi số và Đổi mới sáng tạo",
    "Phòng Bưu chính viễn thông và CDS",
    "Các phòng, đơn vị trực thuộc Sở",
    "-",
]
TIMES = ["Quý III năm 2026", "Hàng năm", "Thường xuyên", "01 lớp/năm", "Sau khi Trung ương ban hành Đề án"]


def generate(path: Path, tasks: int, sections: int) -> None:
    per_section = tasks // sections
    lines = [
        "KẾ HOẠCH",
        "",
        "Thực hiện chương trình thử tải đến năm 2030",
        "",
        "(Kèm theo Kế hoạch số 99/KH-THU ngày 15/9/2025 của Sở Thử nghiệm)",
        "",
        "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\tSản phẩm dự kiến",
    ]
    for s in range(sections):
        # Roman numerals run out; nested codes ("X.12") keep every section code distinct.
        code = ROMAN[s % 10] + (f".{s // 10 + 1}" if s >= 10 else "")
        lines.append(f"{code}\tNhóm nhiệm vụ số {s + 1} về tiêu chuẩn, đo lường, chất lượng\t\t\t")
        for t in range(per_section):
            n = s * per_section + t
            lines.append(
                f"{t + 1}\tTổ chức thực hiện nhiệm vụ số {n + 1} <i>(chỉ tiêu {n % 100}%)</i>, "
                f"bảo đảm đúng tiến độ và chất lượng.\t{LEADS[n % len(LEADS)]}\t"
                f"{COORDINATING[n % len(COORDINATING)]}\t{TIMES[n % len(TIMES)]}\tBáo cáo kết quả số {n + 1}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.txt"
        generate(plan, args.tasks, args.sections)
        engine = db.make_engine(args.db or f"sqlite:///{tmp}/bench.db")
        started = time.perf_counter()
        db.upgrade(engine)
        migrated = time.perf_counter() - started

        started = time.perf_counter()
        document = read_plan(plan)
        read = time.perf_counter() - started
        with db.session_scope(engine) as session:
            result = import_plan(session, document, PlanOverrides(), actor="bench", now=datetime.now(UTC))
        outcome = result.outcome
        seconds = time.perf_counter() - started
        engine.dispose()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {plan.name} ({args.tasks} tasks in {args.sections} sections)")
    print(f"migrate empty database: {migrated:.3f} s")
    print(f"read: {read:.3f} s, store: {seconds - read:.3f} s")
    print(
        f"stored: sections={outcome.sections} tasks={outcome.tasks} units={outcome.units} "
        f"occurrences={result.planning.added}"
    )
    print(f"import_scale: tasks={outcome.tasks} seconds={seconds:.3f} peak_rss_mb={peak_mb:.1f}")


if __name__ == "__main__":
    main()

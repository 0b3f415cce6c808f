"""Parses the time texts of a generated 10,000-task plan and expands them into occurrences to 2030.

The texts vary the way real appendices do (quarters, months, ranges, yearly duties with counts,
ongoing work, events, unreadable ones), with numbers drawn per task so few texts repeat. The last
line is a public contract:

    plan_scale: tasks=10000 occurrences=<n> seconds=<s> peak_rss_mb=<mb>
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.timing.periods import expand
from scheduler.timing.schedule_language import parse_time_text

ROMAN = ["I", "II", "III", "IV"]
TEMPLATES = [
    "Quý {roman} năm {year}",
    "Quí {q}-{year}",
    "Tháng {month}/{year}",
    "{month:02d}/{year}",
    "Giai đoạn {year}-{year2}",
    "Quý {roman} - Quý IV/{year}",
    "trước ngày {day}/{month} hằng năm",
    "Hàng năm",
    "{n:02d} lớp/năm",
    "Ít nhất {n} lần/năm",
    "{n} lần/năm (Quý {roman} hàng năm)",
    "Ban hành kế hoạch trong quý {roman} hàng năm; tổ chức kiểm tra theo kế hoạch và đột xuất",
    "Quý {roman}/{year} ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch",
    "báo cáo hằng quý",
    "định kỳ 6 tháng",
    "Thường xuyên",
    "Tuyên truyền thường xuyên với nhiều hình thức",
    "Sau khi Trung ương ban hành Đề án số {n}",
    "Thực hiện sau khi có hướng dẫn của Bộ KH&CN",
    "Theo tình hình thực tế của đơn vị {n}",
]


def generate(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for index in range(count):
        q = rng.randint(1, 4)
        year = rng.randint(2025, 2029)
        texts.append(
            TEMPLATES[index % len(TEMPLATES)].format(
                roman=ROMAN[q - 1],
                q=q,
                year=year,
                year2=year + rng.randint(1, 3),
                month=rng.randint(1, 12),
                day=rng.randint(1, 28),
                n=rng.randint(1, 5),
            )
        )
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--horizon", type=int, default=2030)
    parser.add_argument("--seed", type=int, default=40)
    args = parser.parse_args()

    texts = generate(args.tasks, args.seed)
    issued = date(2025, 9, 9)
    started = time.perf_counter()
    occurrences = 0
    needs_date = 0
    for text in texts:
        parsed = parse_time_text(text, issued, args.horizon)
        needs_date += parsed.needs_date
        occurrences += len(expand(parsed.schedules, issued, args.horizon))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"distinct texts: {len(set(texts))} of {len(texts)}; needing a date: {needs_date}")
    print(f"plan_scale: tasks={len(texts)} occurrences={occurrences} seconds={seconds:.3f} peak_rss_mb={peak_mb:.1f}")


if __name__ == "__main__":
    main()

"""An admin changes the reminder policy from the command line; what preview plans follows it."""

from __future__ import annotations

import json

from tests.helpers import cli, snapshot


def test_the_default_policy_is_shown_when_none_is_stored(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "reminders", "policy")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "Kế hoạch dùng chính sách mặc định: nhắc trước 14,7,3,1,0 ngày; lúc 08:30 các ngày làm việc."
    )


def test_an_override_for_one_task_changes_its_preview(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "reminders", "policy", "--task", "I.1", "--lead-days", "7,0", "--send-at", "09:00")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "riêng (nhiệm vụ I.1, đơn vị -): trước hạn 7,0 ngày; nghĩa vụ chung 30,15,7,3,1 ngày; kỳ báo cáo 7 ngày; "
        "quá hạn nhắc mỗi 3 ngày làm việc; báo cấp trên sau 2 lần; lúc 09:00"
    )
    preview = json.loads(
        cli(db_url, "reminders", "preview", "--from", "2025-09-01", "--to", "2025-09-30", "--json").stdout
    )
    lead_i1 = [(r["at"], r["kind"]) for r in preview if r["task"] == "I.1" and r["kind"] == "lead"]
    assert lead_i1 == [("2025-09-23T09:00:00+07:00", "lead"), ("2025-09-30T09:00:00+07:00", "lead")]


def test_bad_values_are_refused_and_nothing_changes(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "reminders", "policy", "--send-at", "22:00")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Giờ gửi phải từ 06:00 đến 17:00, viết dạng HH:MM, ví dụ 08:30 (không phải «22:00»)."
    )
    bad_days = cli(db_url, "reminders", "policy", "--lead-days", "bảy")
    assert bad_days.exit_code == 2
    assert snapshot(db_url) == before

import json
from pathlib import Path

from tests.helpers import cli, seed_text, snapshot


def occurrences(db_url: str, *args: str) -> list[str]:
    result = cli(db_url, "plan", "occurrences", *args)
    assert result.exit_code == 0, result.output
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def test_quarter_deadline_is_one_occurrence_on_its_last_day(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert occurrences(db_url, "--task", "I.1") == ["I.1 Thứ Ba, 30/09/2025 hạn Quý III/2025"]


def test_sub_plan_deadline_then_quarterly_check_ins(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    lines = occurrences(db_url, "--task", "II.3")
    assert lines[:3] == [
        "II.3 Thứ Tư, 31/12/2025 hạn Quý IV/2025",
        "II.3 Thứ Ba, 31/03/2026 kiểm tra Quý I/2026",
        "II.3 Thứ Ba, 30/06/2026 kiểm tra Quý II/2026",
    ]
    assert lines[-1] == "II.3 Thứ Ba, 31/12/2030 kiểm tra Quý IV/2030"
    assert len(lines) == 1 + 20  # the sub-plan's deadline, then a check-in each quarter of 2026–2030


def test_yearly_in_quarter_two_from_the_first_year_after_issue(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert occurrences(db_url, "--task", "I.3") == [
        "I.3 Thứ Ba, 30/06/2026 hạn Năm 2026",
        "I.3 Thứ Tư, 30/06/2027 hạn Năm 2027",
        "I.3 Thứ Sáu, 30/06/2028 hạn Năm 2028",
        "I.3 Thứ Bảy, 30/06/2029 hạn Năm 2029",
        "I.3 Chủ Nhật, 30/06/2030 hạn Năm 2030",
    ]


def test_event_task_has_no_occurrence_until_its_event(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    assert occurrences(db_url, "--task", "VI.1") == [
        "Chưa có thời hạn nào (nhiệm vụ chờ sự kiện sẽ có thời hạn khi sự kiện được ghi nhận)."
    ]


def test_reimport_keeps_every_occurrence(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)["occurrence"]
    cli(db_url, "plan", "import", "--bundled")
    assert snapshot(db_url)["occurrence"] == before


def test_changed_schedule_archives_old_and_adds_new(db_url: str, tmp_path: Path) -> None:
    cli(db_url, "plan", "import", "--bundled")
    path = tmp_path / "quang-ngai-skhcn-tdc-2025.txt"
    path.write_text(seed_text().replace("\tQuý III năm 2025\n", "\tQuý I/2026\n", 1), encoding="utf-8")
    result = cli(db_url, "plan", "import", str(path))
    assert "Hạn và kỳ kiểm tra: 1 mới, 1 lưu trữ, 0 khôi phục" in result.stdout
    assert occurrences(db_url, "--task", "I.1") == ["I.1 Thứ Ba, 31/03/2026 hạn Quý I/2026"]
    rows = snapshot(db_url)["occurrence"]
    assert len(rows) == 237  # the old deadline is archived, not deleted


def test_plan_show_json_flags_a_task_that_needs_a_date(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "kh.txt"
    path.write_text(
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\nI\tMục một\t\t\n"
        "1\tRà soát quy trình\tVăn phòng Sở\tTheo tình hình thực tế\n",
        encoding="utf-8",
    )
    result = cli(db_url, "plan", "import", str(path), "--issued", "2026-01-15")
    assert "Nhiệm vụ cần xác định thời hạn (không đọc được thời gian): I.1" in result.stdout
    task = json.loads(cli(db_url, "plan", "show", "--json").stdout)["tasks"][0]
    assert task["needs_date"] is True
    assert task["schedules"] == []
    assert task["time_text"] == "Theo tình hình thực tế"

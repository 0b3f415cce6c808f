import json

import pytest
from typer.testing import CliRunner

from nhacviec.cli import build_app


def parse(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app("vi"), ["schedule", "parse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_quarter_once_contract() -> None:
    code, out, _ = parse("Quý III năm 2025", "--issued", "2025-09-01", "--horizon", "2030", "--json")
    assert code == 0
    assert json.loads(out) == {
        "text": "Quý III năm 2025",
        "needs_date": False,
        "schedules": [{"kind": "once", "due": "2025-09-30"}],
        "occurrences": ["2025-09-30"],
    }


def test_yearly_in_a_quarter_contract() -> None:
    code, out, _ = parse("1 lần/năm (Quý II hàng năm)", "--issued", "2025-09-01", "--horizon", "2030", "--json")
    assert code == 0
    assert json.loads(out) == {
        "text": "1 lần/năm (Quý II hàng năm)",
        "needs_date": False,
        "schedules": [{"kind": "yearly", "month_day": "06-30", "from_year": 2026, "until_year": 2030, "count": 1}],
        "occurrences": ["2026-06-30", "2027-06-30", "2028-06-30", "2029-06-30", "2030-06-30"],
    }


def test_once_plus_ongoing_lists_only_the_deadline() -> None:
    code, out, _ = parse(
        "Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch",
        "--issued",
        "2025-09-01",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["schedules"] == [{"kind": "once", "due": "2025-12-31"}, {"kind": "ongoing"}]
    assert payload["occurrences"] == ["2025-12-31"]


def test_a_yearly_report_due_next_year_keeps_the_yearly_shape_and_reports_on_the_last_year() -> None:
    text = "Báo cáo hằng năm gửi Bộ trước ngày 20 tháng 01 năm sau"
    code, out, _ = parse(text, "--issued", "2025-09-01", "--horizon", "2030", "--json")
    assert code == 0
    assert json.loads(out) == {
        "text": text,
        "needs_date": False,
        "schedules": [{"kind": "yearly", "month_day": "01-20", "from_year": 2026, "until_year": 2031, "count": None}],
        "occurrences": [f"{year}-01-20" for year in range(2026, 2032)],
    }


def test_a_list_of_cycles_and_a_request_are_a_schedule_each() -> None:
    text = "Báo cáo hằng tháng, hằng quý hoặc đột xuất khi có yêu cầu"
    code, out, _ = parse(text, "--issued", "2025-09-01", "--horizon", "2030", "--json")
    assert code == 0
    assert json.loads(out)["schedules"] == [
        {"kind": "monthly"},
        {"kind": "quarterly"},
        {"kind": "event", "event": "đột xuất khi có yêu cầu"},
    ]


def test_event_contract() -> None:
    code, out, _ = parse("Sau khi Trung ương ban hành Đề án", "--issued", "2025-09-01", "--json")
    assert code == 0
    assert json.loads(out) == {
        "text": "Sau khi Trung ương ban hành Đề án",
        "needs_date": False,
        "schedules": [{"kind": "event", "event": "Sau khi Trung ương ban hành Đề án"}],
        "occurrences": [],
    }


def test_unreadable_text_needs_a_date_and_still_exits_0() -> None:
    code, out, _ = parse("Theo tình hình thực tế", "--issued", "2025-09-01", "--json")
    assert code == 0
    assert json.loads(out) == {
        "text": "Theo tình hình thực tế",
        "needs_date": True,
        "schedules": [],
        "occurrences": [],
    }


def test_yearly_without_horizon_has_null_until_year() -> None:
    code, out, _ = parse("Hằng năm", "--issued", "2025-09-01", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["schedules"] == [
        {"kind": "yearly", "month_day": "12-31", "from_year": 2025, "until_year": None, "count": None}
    ]
    # Without a horizon, occurrences run to the issue year + 5.
    assert payload["occurrences"][-1] == "2030-12-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Hàng năm", "--issued", "01-09-2025", "--json"], "Lỗi: Ngày không hợp lệ 01-09-2025"),
        (["Hàng năm", "--issued", "2025-09-01", "--horizon", "30", "--json"], "Lỗi: Năm kết thúc không hợp lệ 30"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], message: str) -> None:
    code, out, err = parse(*args)
    assert code == 2
    assert out == ""
    assert err.startswith(message)


def test_readable_output_without_json() -> None:
    code, out, _ = parse("Quý IV/2025", "--issued", "2025-09-01")
    assert code == 0
    assert out == '  {"kind": "once", "due": "2025-12-31"}\nThời hạn: 31/12/2025\n'

"""`nhacviec summary`: the `--json` contract (keep it exact), the plain text, the files, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli
from tests.summary.conftest import Year
from tests.summary.scenario import BCVT, TDC, TTCDS, VP

AS_OF = ("--today", "2026-11-10")
STATE_KEYS = [
    "hoàn thành đúng hạn",
    "hoàn thành quá hạn",
    "đang thực hiện (trong hạn)",
    "đang thực hiện quá hạn",
    "chưa thực hiện",
    "chưa đến hạn",
    "chờ sự kiện",
]


def summary_json(year: Year, *args: str) -> dict[str, object]:
    result = cli(year.url, "summary", *AS_OF, *args, "--json")
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_json_of_the_current_cycle(year: Year) -> None:
    assert summary_json(year) == {
        "period": {"label": "Năm 2026", "start": "2026-01-01", "end": "2026-12-31"},
        "counts": {
            "hoàn thành đúng hạn": 4,
            "hoàn thành quá hạn": 1,  # II.4's 2025 deadline, done in February: carried over
            "đang thực hiện (trong hạn)": 7,
            "đang thực hiện quá hạn": 3,  # BC.1, III.2 and IV.1 carried over from 2025, still open
            "chưa thực hiện": 2,
            "chưa đến hạn": 0,
            "chờ sự kiện": 3,
        },
        # 2025 deadlines still open come first; the on-time rate still measures 2026's own deadlines.
        "late": ["BC.1", "III.2", "IV.1", "V.3", "II.5"],
        "blocked": [
            {"task": "IV.1", "unit": VP, "reason": "kinh phí"},
            {"task": "VI.2", "unit": TDC, "reason": "chưa có kinh phí tổ chức diễn đàn"},
        ],
        "not_reported": [TTCDS, BCVT],
        "on_time_rate": 1.0,
        "previous_on_time_rate": 0.5455,
    }


def test_json_of_a_past_quarter_and_of_one_unit(year: Year) -> None:
    assert summary_json(year, "--period", "quý 4/2025") == {
        "period": {"label": "Quý IV/2025", "start": "2025-10-01", "end": "2025-12-31"},
        "counts": dict(zip(STATE_KEYS, [5, 1, 3, 3, 3, 0, 3], strict=True)),
        "late": ["BC.1", "I.2", "III.2", "IV.1", "V.2", "V.3"],
        "blocked": [{"task": "IV.1", "unit": VP, "reason": "kinh phí"}],
        "not_reported": [BCVT],
        "on_time_rate": 0.5,
        "previous_on_time_rate": 1.0,
    }
    unit = summary_json(year, "--unit", "văn phòng sở", "--period", "tháng 11/2026")
    assert unit == {
        "period": {"label": "Tháng 11/2026", "start": "2026-11-01", "end": "2026-11-30"},
        # IV.1's 2025 deadline, still blocked, is carried into the month.
        "counts": dict(zip(STATE_KEYS, [0, 0, 1, 1, 0, 0, 1], strict=True)),
        "late": ["IV.1"],
        "blocked": [{"task": "IV.1", "unit": VP, "reason": "kinh phí"}],
        "not_reported": [],
        "on_time_rate": None,
        "previous_on_time_rate": None,
    }


def test_json_keys_and_types_are_the_contract(year: Year) -> None:
    payload = summary_json(year, "--period", "2025")
    assert list(payload) == [
        "period",
        "counts",
        "late",
        "blocked",
        "not_reported",
        "on_time_rate",
        "previous_on_time_rate",
    ]
    assert list(payload["period"]) == ["label", "start", "end"]  # type: ignore[call-overload]
    assert list(payload["counts"]) == STATE_KEYS  # type: ignore[call-overload]
    assert isinstance(payload["on_time_rate"], float)
    assert payload["previous_on_time_rate"] is None  # nothing was due in 2024


def test_plain_text_has_no_markup_and_full_titles(year: Year) -> None:
    result = cli(year.url, "summary", *AS_OF, "--period", "quý 4/2025")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "📊 Tình hình thực hiện kế hoạch — Quý IV/2025"
    assert "<b>" not in result.stdout
    assert "⚠️ Vướng mắc (1):" in lines
    assert "• IV.1 (Văn phòng Sở): kinh phí" in lines


def test_english_period_words_with_lang_en(year: Year) -> None:
    result = cli(year.url, "--lang", "en", "summary", *AS_OF, "--period", "quarter 4/2025")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "📊 Plan progress — Q4 2025"


def test_english_period_words_work_in_vietnamese_too(year: Year) -> None:
    vietnamese = cli(year.url, "summary", *AS_OF, "--period", "quý 4/2025", "--json")
    english = cli(year.url, "summary", *AS_OF, "--period", "quarter 4/2025", "--json")
    assert english.stdout == vietnamese.stdout


def test_an_unreadable_period_gets_english_suggestions_with_lang_en(year: Year) -> None:
    result = cli(year.url, "--lang", "en", "summary", *AS_OF, "--period", "quarter 5/2025")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: I could not read the period «quarter 5/2025»: write e.g. 2026, quarter 4/2025 or month 11/2026.\n"
    )


@pytest.mark.parametrize(
    ("option", "name", "magic"),
    [("--docx", "r.docx", b"PK"), ("--xlsx", "r.xlsx", b"PK"), ("--chart", "r.png", b"\x89PNG")],
)
def test_files_are_written(year: Year, tmp_path: Path, option: str, name: str, magic: bytes) -> None:
    path = tmp_path / name
    result = cli(year.url, "summary", *AS_OF, option, str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Đã ghi {path}.\n"
    assert path.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--period", "quý 5/2025"),
            "Lỗi: Không hiểu kỳ «quý 5/2025»: hãy viết ví dụ 2026, quý 4/2025 hoặc tháng 11/2026.",
        ),
        (
            ("--period", "Văn phòng"),
            "Lỗi: Không hiểu kỳ «Văn phòng»: hãy viết ví dụ 2026, quý 4/2025 hoặc tháng 11/2026.",
        ),
        (
            ("--unit", "Sở Tài chính"),
            "Lỗi: Không có đơn vị nào tên «Sở Tài chính». Xem danh sách bằng lệnh: nhacviec units list",
        ),
        (("--json", "--xlsx", "x.xlsx"), "Lỗi: Chỉ chọn một trong --json, --docx, --xlsx và --chart."),
        (
            ("--docx", "/nonexistent/dir/r.docx"),
            "Lỗi: Không ghi được /nonexistent/dir/r.docx: tệp hoặc thư mục không tồn tại",
        ),
    ],
)
def test_bad_input_is_one_vietnamese_line_and_exit_2(year: Year, args: tuple[str, ...], message: str) -> None:
    result = cli(year.url, "summary", *AS_OF, *args)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""

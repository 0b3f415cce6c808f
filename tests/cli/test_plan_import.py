import json
from pathlib import Path

import pytest
import sqlalchemy

from tests.helpers import SEED, cli, seed_text, snapshot

SEED_CODE = "quang-ngai-skhcn-tdc-2025"


# The appendix numbers 20 tasks (I: 4, II: 5, III: 4, IV: 2, V: 3, VI: 2); the design's "19" miscounts.
SEED_TASKS = [
    *("I.1", "I.2", "I.3", "I.4"),
    *("II.1", "II.2", "II.3", "II.4", "II.5"),
    *("III.1", "III.2", "III.3", "III.4"),
    *("IV.1", "IV.2"),
    *("V.1", "V.2", "V.3"),
    *("VI.1", "VI.2"),
]


def test_bundled_plan_imports_six_sections_and_every_numbered_task(db_url: str) -> None:
    result = cli(db_url, "plan", "import", "--bundled")
    assert result.exit_code == 0, result.output
    assert "Đã nhập kế hoạch quang-ngai-skhcn-tdc-2025 từ quang-ngai-skhcn-tdc-2025.txt." in result.stdout
    assert "Mục: 6 · Nhiệm vụ tại Phụ lục: 20 · Đơn vị: 6" in result.stdout
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    assert [s["code"] for s in shown["sections"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert [t["code"] for t in shown["tasks"]] == SEED_TASKS


def test_plan_show_json_has_the_contract_shape(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    assert set(shown) == {"plan", "sections", "tasks"}
    assert shown["plan"] == {
        "code": SEED_CODE,
        "title": shown["plan"]["title"],
        "issued": "2025-09-01",
        "horizon": 2030,
    }
    assert shown["plan"]["title"].startswith("Thực hiện Kế hoạch 40/KH-UBND ngày 09 tháng 9 năm 2025")
    assert shown["sections"][0] == {
        "code": "I",
        "title": "Tuyên truyền, nâng cao nhận thức của các cấp ủy đảng, chính quyền, nhân dân và doanh "
        "nghiệp đối với công tác tiêu chuẩn đo lường chất lượng",
        "parent": None,
    }
    v1 = next(t for t in shown["tasks"] if t["code"] == "V.1")
    assert v1 == {
        "code": "V.1",
        "section": "V",
        "content": "Tăng cường kiểm tra các đơn vị, cá nhân sản xuất, kinh doanh sản phẩm, hàng hóa trong "
        "lĩnh vực tiêu chuẩn, đo lường, chất lượng để bảo đảm đo lường chính xác và an toàn của sản "
        "phẩm, hàng hóa trong tiêu dùng, sản xuất, nhập khẩu, lưu thông trên thị trường.",
        "lead_units": ["Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"],
        # The unit keeps the spelling it was first seen with (II.5 writes "Tiêu chuẩn").
        "coordinating_units": ["Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"],
        "time_text": "Ban hành kế hoạch trong quý I hàng năm; Tổ chức kiểm tra theo kế hoạch và đột xuất.",
        "extra": {},
        "schedules": [
            {"kind": "yearly", "month_day": "03-31", "from_year": 2026, "until_year": 2030, "count": None},
            {"kind": "ongoing"},
        ],
        "needs_date": False,
    }


def test_units_written_in_two_cases_are_one_unit(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    v1 = next(t for t in shown["tasks"] if t["code"] == "V.1")
    ii5 = next(t for t in shown["tasks"] if t["code"] == "II.5")
    # II.5 writes "Trung tâm Kỹ thuật Tiêu chuẩn…" with a capital T; the unit keeps its first spelling.
    assert ii5["coordinating_units"] == v1["coordinating_units"]


def test_group_unit_keeps_its_comma(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    ii1 = next(t for t in shown["tasks"] if t["code"] == "II.1")
    assert ii1["coordinating_units"] == ["Các phòng, đơn vị trực thuộc Sở"]
    units = cli(db_url, "units", "list").stdout
    assert "Các phòng, đơn vị trực thuộc Sở (nhóm)" in units


def test_importing_the_same_file_twice_changes_nothing(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "plan", "import", str(SEED))
    assert result.exit_code == 0, result.output
    assert "Kế hoạch quang-ngai-skhcn-tdc-2025 không thay đổi (20 nhiệm vụ tại Phụ lục)" in result.stdout
    assert snapshot(db_url) == before


def _revised(tmp_path: Path) -> Path:
    text = seed_text()
    text = text.replace("\tThường xuyên\n", "\tQuý II/2026\n", 1)  # II.1 changes its time
    cut = text.index("2\tTổ chức các diễn đàn trao đổi thông tin")
    text = text[:cut]  # VI.2 is dropped
    text += "3\tTổng kết thực hiện Kế hoạch.\tVăn phòng Sở\t-\tQuý IV/2030\n"
    path = tmp_path / "quang-ngai-skhcn-tdc-2025.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_revised_file_updates_tasks_by_code_and_archives_removed(db_url: str, tmp_path: Path) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "plan", "import", str(_revised(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "Thêm mới: 1 · Thay đổi: 1 · Lưu trữ: 1" in result.stdout
    assert "  thêm mới: VI.3" in result.stdout
    assert "  thay đổi: II.1" in result.stdout
    assert "  lưu trữ: VI.2" in result.stdout
    shown = json.loads(cli(db_url, "plan", "show", "--json").stdout)
    codes = [t["code"] for t in shown["tasks"]]
    assert "VI.2" not in codes and codes[-1] == "VI.3"
    assert next(t for t in shown["tasks"] if t["code"] == "II.1")["time_text"] == "Quý II/2026"


def test_archived_task_is_kept_in_the_database(db_url: str, tmp_path: Path) -> None:
    cli(db_url, "plan", "import", "--bundled")
    cli(db_url, "plan", "import", str(_revised(tmp_path)))
    tasks = snapshot(db_url)["task"]
    assert len(tasks) == 22  # 20 rows, VI.3 from the revision, and the accepted duty BC.1
    result = cli(db_url, "plan", "import", "--bundled")
    assert "Thêm mới: 0 · Thay đổi: 2 · Lưu trữ: 1" in result.stdout  # VI.2 is back, VI.3 archived


def test_flags_override_what_the_document_says(db_url: str) -> None:
    result = cli(
        db_url,
        "plan",
        "import",
        "--bundled",
        "--code",
        "KH-TDC",
        "--horizon",
        "2035",
        "--issued",
        "2025-09-15",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(cli(db_url, "plan", "show", "--json", "--plan", "KH-TDC").stdout)
    assert shown["plan"]["issued"] == "2025-09-15"
    assert shown["plan"]["horizon"] == 2035


def _bad(db_url: str, *args: str, lang: str = "vi") -> tuple[int, str]:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "plan", "import", *args, "--code", "KH-MOI", lang=lang)
    assert snapshot(db_url) == before
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    return result.exit_code, lines[0]


def test_missing_file(db_url: str, tmp_path: Path) -> None:
    code, message = _bad(db_url, str(tmp_path / "khong-co.txt"))
    assert code == 2
    assert message == "Lỗi: Không tìm thấy tệp khong-co.txt."


def test_missing_file_in_english(db_url: str, tmp_path: Path) -> None:
    code, message = _bad(db_url, str(tmp_path / "missing.txt"), lang="en")
    assert code == 2
    assert message.startswith("Error: ")


def test_empty_file(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "rong.txt"
    path.write_text("  \n", encoding="utf-8")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert message.startswith("Lỗi: Tệp ") and "rỗng" in message


def test_binary_file(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "anh.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "UTF-8" in message


def test_non_utf8_text(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cp1258.txt"
    # "Nội dung", "Cơ quan chủ trì" in the legacy TCVN3 (ABC) encoding old office PCs still use.
    path.write_bytes(b"TT\tN\xe9i dung\tC\xac quan ch\xf1 tr\xd7\n1\tA\tB\n")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "UTF-8" in message


def test_file_without_table(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "van-ban.txt"
    path.write_text("KẾ HOẠCH\n\nChỉ có lời văn, không có bảng nhiệm vụ.\n", encoding="utf-8")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "bảng" in message


def test_table_without_lead_column(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "thieu-cot.txt"
    path.write_text("TT\tNội dung nhiệm vụ\tThời gian thực hiện\nI\tMục một\t\n1\tViệc\tQuý I/2026\n", "utf-8")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "chủ trì" in message


def test_table_without_content_column(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "thieu-noi-dung.txt"
    path.write_text("TT\tCơ quan chủ trì\tThời gian thực hiện\n1\tVăn phòng Sở\tQuý I/2026\n", "utf-8")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "nội dung" in message.casefold()


def test_duplicated_task_code(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "trung-ma.txt"
    path.write_text(
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\nI\tMục một\t\t\n"
        "1\tViệc thứ nhất\tVăn phòng Sở\tQuý I/2026\n1\tViệc thứ hai\tVăn phòng Sở\tQuý II/2026\n",
        "utf-8",
    )
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "I.1" in message


def test_file_over_20_mb(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "lon.txt"
    header = "TT\tNội dung\tCơ quan chủ trì\n".encode()
    path.write_bytes(header + b"x" * (21 * 1024 * 1024))
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert "20 MB" in message


def test_neither_file_nor_bundled(db_url: str) -> None:
    result = cli(db_url, "plan", "import")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Lỗi: Hãy chỉ ra một tệp hoặc dùng --bundled."


def test_bad_issue_date(db_url: str) -> None:
    result = cli(db_url, "plan", "import", "--bundled", "--issued", "31/02/2025")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Ngày không hợp lệ 31/02/2025: hãy viết theo dạng YYYY-MM-DD, ví dụ 2025-09-15."
    )


@pytest.mark.parametrize("args", [["plan", "show"], ["plan", "show", "--json"]])
def test_show_without_any_plan_explains_how_to_import(db_url: str, args: list[str]) -> None:
    result = cli(db_url, *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Lỗi: Chưa có kế hoạch nào. Hãy nhập kế hoạch bằng lệnh: nhacviec plan import ĐƯỜNG_DẪN"
    )


def test_a_failure_mid_import_leaves_the_database_as_it_was(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)

    def planner_breaks(*args: object, **kwargs: object) -> None:
        raise sqlalchemy.exc.OperationalError("INSERT INTO occurrence", {}, Exception("disk I/O error"))

    # The registry is written first, then the occurrences: break the second step of a real import.
    monkeypatch.setattr("importer.store.plan_occurrences", planner_breaks)
    result = cli(db_url, "plan", "import", str(_revised(tmp_path)))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(": disk I/O error")
    assert snapshot(db_url) == before


def test_horizon_before_the_issue_year_is_refused(db_url: str) -> None:
    result = cli(db_url, "plan", "import", "--bundled", "--horizon", "2024")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Lỗi: Năm kết thúc 2024 ở trước năm ban hành 2025."


def test_header_only_table_is_refused(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "chi-co-tieu-de.txt"
    path.write_text("TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời gian thực hiện\n", encoding="utf-8")
    code, message = _bad(db_url, str(path))
    assert code == 2
    assert message == "Lỗi: Bảng nhiệm vụ trong chi-co-tieu-de.txt có dòng tiêu đề nhưng không có nhiệm vụ nào."

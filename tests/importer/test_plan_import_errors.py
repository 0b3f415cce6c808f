"""Bad input: every case raises PlanImportError with an English msgid and its parameters."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from importer.document import PlanImportError
from importer.read import MAX_BYTES, MSG_MISSING, MSG_TOO_LARGE, MSG_UNSUPPORTED, read_plan, read_plan_bytes
from importer.readers import (
    MSG_BAD_DOCX,
    MSG_BAD_XLSX,
    MSG_BINARY,
    MSG_CSV_CELL_TOO_LARGE,
    MSG_EMPTY,
    MSG_NOT_UTF8,
    MSG_UTF16,
)
from importer.table import (
    MSG_DUPLICATE_SECTION,
    MSG_DUPLICATE_TASK,
    MSG_NO_CONTENT_COLUMN,
    MSG_NO_LEAD_COLUMN,
    MSG_NO_TABLE,
)
from tests.importer.plan_import_files import docx_bytes, seed_plan, split_plan_text, xlsx_bytes

HEADER = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"


def _error(data: bytes, name: str) -> PlanImportError:
    with pytest.raises(PlanImportError) as caught:
        read_plan_bytes(data, name)
    return caught.value


def _file_error(path: Path) -> PlanImportError:
    with pytest.raises(PlanImportError) as caught:
        read_plan(path)
    return caught.value


def _one_line(error: PlanImportError) -> str:
    text = error.message.format(**error.params)
    assert "\n" not in text and "{" not in text
    return text


def test_missing_file(tmp_path: Path) -> None:
    error = _file_error(tmp_path / "ke-hoach-khong-co.txt")
    assert (error.message, error.params) == (MSG_MISSING, {"name": "ke-hoach-khong-co.txt"})
    assert _one_line(error) == "The file ke-hoach-khong-co.txt was not found."


def test_a_directory_is_not_a_plan_file(tmp_path: Path) -> None:
    (tmp_path / "ke-hoach.txt").mkdir()
    assert _file_error(tmp_path / "ke-hoach.txt").message == MSG_MISSING


def test_file_over_20_mb_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ke-hoach.xlsx"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: nothing to write

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    error = _file_error(path)
    assert (error.message, error.params) == (
        MSG_TOO_LARGE,
        {"name": "ke-hoach.xlsx", "size_mb": "21.0", "limit_mb": "20"},
    )
    _one_line(error)


def test_bytes_over_20_mb_are_refused() -> None:
    error = _error(b" " * (MAX_BYTES + 1), "ke-hoach.txt")
    assert error.message == MSG_TOO_LARGE
    assert error.params["size_mb"] == "20.0"


@pytest.mark.parametrize("name", ["ke-hoach.txt", "ke-hoach", "ke-hoach.csv", "ke-hoach.docx", "ke-hoach.xlsx"])
@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  "], ids=["zero-bytes", "whitespace"])
def test_empty_file(data: bytes, name: str) -> None:
    error = _error(data, name)
    assert (error.message, error.params) == (MSG_EMPTY, {"name": name})


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.md"
    path.write_bytes(b"")
    assert _file_error(path).message == MSG_EMPTY


def test_only_a_bom_and_blanks_is_empty() -> None:
    assert _error("\ufeff \n \u00a0\n".encode(), "ke-hoach.csv").message == MSG_EMPTY


@pytest.mark.parametrize("name", ["ke-hoach.txt", "ke-hoach.csv"])
def test_binary_data_in_a_text_file(name: str) -> None:
    error = _error(b"KE HOACH\x00\x01\x02\xff", name)
    assert (error.message, error.params) == (MSG_BINARY, {"name": name})


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_is_utf16(encoding: str) -> None:
    data = ("\ufeff" if encoding == "utf-16-be" else "") + "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\n"
    error = _error(data.encode(encoding), "ke-hoach.txt")
    assert (error.message, error.params) == (MSG_UTF16, {"name": "ke-hoach.txt"})


def test_text_in_another_encoding() -> None:
    prefix = "Kế hoạch năm 2026\n".encode()
    # "Phòng" saved as Windows-1258, as old Vietnamese Windows editors do: the grave accent is byte 0xCC.
    legacy = unicodedata.normalize("NFD", "Phòng Quản lý").encode("cp1258")
    error = _error(prefix + legacy, "ke-hoach.txt")
    assert error.message == MSG_NOT_UTF8
    assert error.params == {"name": "ke-hoach.txt", "position": str(len(prefix) + 3)}
    _one_line(error)


@pytest.mark.parametrize(
    ("data", "name", "msgid"),
    [
        (b"KE HOACH - not a Word file", "ke-hoach.docx", MSG_BAD_DOCX),
        (b"PK\x03\x04 broken zip", "ke-hoach.docx", MSG_BAD_DOCX),
        (b"KE HOACH - not an Excel file", "ke-hoach.xlsx", MSG_BAD_XLSX),
        (b"PK\x03\x04 broken zip", "ke-hoach.xlsx", MSG_BAD_XLSX),
    ],
)
def test_damaged_office_files(data: bytes, name: str, msgid: str) -> None:
    error = _error(data, name)
    assert (error.message, error.params) == (msgid, {"name": name})


def test_an_excel_file_named_docx_and_a_word_file_named_xlsx() -> None:
    plan = seed_plan()
    assert _error(xlsx_bytes(plan), "ke-hoach.docx").message == MSG_BAD_DOCX
    assert _error(docx_bytes(plan), "ke-hoach.xlsx").message == MSG_BAD_XLSX


def test_a_zip_that_is_not_an_office_file() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ke-hoach.txt", "KẾ HOẠCH")
    assert _error(buffer.getvalue(), "ke-hoach.docx").message == MSG_BAD_DOCX
    assert _error(buffer.getvalue(), "ke-hoach.xlsx").message == MSG_BAD_XLSX


def test_unsupported_file_type() -> None:
    error = _error(b"%PDF-1.7", "ke-hoach.pdf")
    assert (error.message, error.params) == (MSG_UNSUPPORTED, {"name": "ke-hoach.pdf", "extension": ".pdf"})


@pytest.mark.parametrize(
    "name",
    ["ke-hoach.txt", "ke-hoach.csv"],
)
def test_prose_without_a_table(name: str) -> None:
    error = _error("KẾ HOẠCH\nKiểm tra đo lường năm 2026\nNội dung, Cơ quan chủ trì\n".encode(), name)
    assert (error.message, error.params) == (MSG_NO_TABLE, {"name": name})
    _one_line(error)


def test_word_and_excel_files_without_a_task_table() -> None:
    plan = split_plan_text("KẾ HOẠCH\nKiểm tra\nTT\tGhi chú\tKết quả\n1\tmột\thai")
    assert _error(docx_bytes(plan), "ke-hoach.docx").message == MSG_NO_TABLE
    assert _error(xlsx_bytes(plan), "ke-hoach.xlsx").message == MSG_NO_TABLE


def test_header_without_a_content_column() -> None:
    text = "KẾ HOẠCH\nTT\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\n1\tVăn phòng Sở\t\tQuý I"
    error = _error(text.encode(), "ke-hoach.txt")
    assert (error.message, error.params) == (MSG_NO_CONTENT_COLUMN, {"name": "ke-hoach.txt", "line": "2"})
    _one_line(error)


def test_header_without_a_lead_column() -> None:
    text = "TT\tNội dung nhiệm vụ\tCơ quan phối hợp\tThời gian thực hiện\n1\tKiểm tra\tVăn phòng Sở\tQuý I"
    error = _error(text.encode(), "ke-hoach.txt")
    assert (error.message, error.params) == (MSG_NO_LEAD_COLUMN, {"name": "ke-hoach.txt", "line": "1"})


def test_duplicated_task_code() -> None:
    text = "\n".join(
        [
            HEADER,
            "I\tTuyên truyền\t\t\t",
            "1\tTổ chức hội nghị\tVăn phòng Sở\t\tQuý I",
            "2\tPhát hành tờ rơi\tVăn phòng Sở\t\tQuý II",
            "2\tĐăng tin trên cổng thông tin\tVăn phòng Sở\t\tQuý III",
        ]
    )
    error = _error(text.encode(), "ke-hoach.txt")
    assert error.message == MSG_DUPLICATE_TASK
    assert error.params == {"name": "ke-hoach.txt", "code": "I.2", "first_line": "4", "second_line": "5"}
    assert _one_line(error).startswith("Task I.2 appears twice in ke-hoach.txt, on line 4 and on line 5")


def test_duplicated_section_code() -> None:
    text = "\n".join([HEADER, "I\tTuyên truyền\t\t\t", "II\tKiểm tra\t\t\t", "I\tHợp tác\t\t\t"])
    error = _error(text.encode(), "ke-hoach.txt")
    assert error.message == MSG_DUPLICATE_SECTION
    assert error.params == {"name": "ke-hoach.txt", "code": "I", "first_line": "2", "second_line": "4"}


def test_csv_with_a_runaway_quoted_field() -> None:
    text = 'TT,Nội dung nhiệm vụ,Cơ quan chủ trì\n1,"' + "x" * 200_000 + "\n"
    error = _error(text.encode(), "ke-hoach.csv")
    # A quote left open swallows the rest of the file into one cell: the long-cell message names both.
    assert error.message == MSG_CSV_CELL_TOO_LARGE
    assert error.params["name"] == "ke-hoach.csv"

"""Files that are bad in size or shape rather than in syntax: each gets its own clear refusal, the same
on SQLite and PostgreSQL, and text that only looks like a separator is read as text."""

from __future__ import annotations

import pytest

from importer.document import PlanImportError, UnitKind, UnitRef
from importer.read import MSG_LONG_CODE, read_plan_bytes
from importer.readers import MSG_BAD_DOCX, MSG_CSV_CELL_TOO_LARGE, MSG_UNPACKS_TOO_LARGE
from tests.importer.plan_import_files import docx_bytes, seed_plan, zip_bomb

HEADER = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện"


def _error(data: bytes, name: str) -> PlanImportError:
    with pytest.raises(PlanImportError) as caught:
        read_plan_bytes(data, name)
    return caught.value


def test_a_docx_that_unpacks_to_more_than_64_mb_is_refused_before_it_is_unpacked() -> None:
    data = zip_bomb(docx_bytes(seed_plan()), 65)
    assert len(data) < 1024 * 1024
    error = _error(data, "ke-hoach.docx")
    assert (error.message, error.params) == (
        MSG_UNPACKS_TOO_LARGE,
        {"name": "ke-hoach.docx", "size_mb": "66", "limit_mb": "64"},  # the plan itself: about 1 MB
    )


def test_a_docx_whose_zip_claims_an_unknown_version_is_a_damaged_file() -> None:
    data = bytearray(docx_bytes(seed_plan()))
    entry = data.find(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (130).to_bytes(2, "little")  # "version needed to extract": 13.0
    assert _error(bytes(data), "ke-hoach.docx").message == MSG_BAD_DOCX


def test_a_csv_cell_over_128_kb_is_reported_as_a_long_cell_not_a_quote_problem() -> None:
    cell = "Văn phòng Sở " * 11_000  # about 140 KB
    data = (HEADER.replace("\t", ",") + f'\n1,Tổ chức hội nghị,"{cell}",,Quý IV năm 2025\n').encode()
    error = _error(data, "ke-hoach.csv")
    assert (error.message, error.params) == (
        MSG_CSV_CELL_TOO_LARGE,
        {"name": "ke-hoach.csv", "line": "2", "limit_kb": "128"},
    )


def test_an_escaped_ampersand_in_a_unit_cell_is_one_name() -> None:
    text = f"{HEADER}\n1\tTổ chức hội nghị\tSở Khoa học &amp; Công nghệ\tVăn phòng Sở\tQuý IV năm 2025\n"
    (task,) = read_plan_bytes(text.encode(), "ke-hoach.txt").tasks
    assert task.lead_units == (UnitRef("Sở Khoa học & Công nghệ", UnitKind.SINGLE),)


def test_a_task_number_over_80_characters_is_refused_on_every_database() -> None:
    number = "1" + ".1" * 40
    text = f"{HEADER}\n{number}\tTổ chức hội nghị\tVăn phòng Sở\t\tQuý IV năm 2025\n"
    error = _error(text.encode(), "ke-hoach.txt")
    assert (error.message, error.params) == (
        MSG_LONG_CODE,
        {"name": "ke-hoach.txt", "code": "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1…", "line": "2", "limit": "80"},
    )

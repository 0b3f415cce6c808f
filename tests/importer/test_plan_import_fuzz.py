"""Whatever the input, reading a plan either succeeds or raises PlanImportError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from importer.document import PlanDocument, PlanImportError
from importer.read import read_plan_bytes

# Pieces of real plans, so that generated files reach the table code and not only the error paths.
FRAGMENTS = [
    "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
    "STT\tThời hạn\tĐơn vị chủ trì\tTên nhiệm vụ\tSản phẩm dự kiến",
    "TT\tCơ quan chủ trì\tThời gian",
    "I\tTuyên truyền, phổ biến\t\t\t",
    "III.1.1\tĐào tạo\t\t\t",
    "II. Rà soát văn bản",
    "1\tTổ chức hội nghị (<i>phấn đấu 100%</i>)\tVăn phòng Sở\tCác phòng, đơn vị\tQuý IV năm 2025",
    "1.\tKiểm tra\tPhòng Bưu chính viễn thông và CDS; -\tx\tHàng năm",
    "\ttính đến năm 2030.\tlượng\t\ttheo Kế hoạch",
    "(Kèm theo Kế hoạch số /KH-SKHCN ngày /9/2025 của Sở Khoa học và Công nghệ)",
    "Quảng Ngãi, ngày 31 tháng 2 năm 2025",
    "KẾ HOẠCH",
    "# chú thích",
    "<i>",
    "</i>",
    "<br>",
    "",
]

line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
plan_text = st.lists(line, max_size=30).map("\n".join)


def _read(data: bytes, name: str) -> None:
    try:
        document = read_plan_bytes(data, name)
    except PlanImportError as error:
        assert error.message
        assert all(isinstance(value, str) for value in error.params.values())
    else:
        assert isinstance(document, PlanDocument)


@settings(deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _read(text.encode("utf-8"), "ke-hoach.txt")


@settings(deadline=None, max_examples=300)
@given(plan_text, st.sampled_from(["ke-hoach.txt", "ke-hoach.md", "ke-hoach"]))
def test_plan_like_text(text: str, name: str) -> None:
    _read(text.encode("utf-8"), name)


@settings(deadline=None)
@given(plan_text, st.sampled_from([",", ";"]))
def test_plan_like_csv(text: str, delimiter: str) -> None:
    _read(text.replace("\t", delimiter).encode("utf-8"), "ke-hoach.csv")


@settings(deadline=None)
@given(
    st.binary(max_size=2000),
    st.sampled_from(["ke-hoach.txt", "ke-hoach.csv", "ke-hoach.docx", "ke-hoach.xlsx"]),
)
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    _read(data, name)

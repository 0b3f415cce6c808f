"""The official documents tell the truth in official words (issue 20): a realistic chat session (buttons
pressed, replies typed without diacritics, a blocked reason) makes a .docx and an .xlsx that state each
task's status in the plan's words, quote a unit only where it adds information, name the plan as
officials do, and hold no character the report font cannot show."""

from __future__ import annotations

import io
import shutil
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from models import Role, db
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, User
from tests.summary.office import docx_to_pdf, pdf_text

SERIF_FONTS = sorted(Path("/usr/share/fonts/truetype/liberation2").glob("LiberationSerif-*.ttf"))


class Session:
    """The files and the chat summary the head of department got after the session."""

    def __init__(self, docx: bytes, xlsx: bytes, message: str) -> None:
        self.docx, self.xlsx, self.message = docx, xlsx, message

    def docx_lines(self) -> list[str]:
        body = Document(io.BytesIO(self.docx)).element.body
        return [line for p in body.iter(qn("w:p")) if (line := "".join(t.text or "" for t in p.iter(qn("w:t"))))]

    def appendix(self) -> dict[str, list[str]]:
        table = Document(io.BytesIO(self.docx)).tables[-1]
        return {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows[1:]}

    def sheet(self) -> dict[str, dict[str, object]]:
        rows = list(load_workbook(io.BytesIO(self.xlsx))["Nhiệm vụ"].iter_rows(values_only=True))
        heads = [str(h) for h in rows[0]]
        return {str(row[0]): dict(zip(heads, row, strict=True)) for row in rows[1:]}

    def facts(self) -> dict[object, object]:
        return dict(load_workbook(io.BytesIO(self.xlsx))["Tổng hợp"].iter_rows(values_only=True))


def _files(chat: Chat, head: User) -> dict[str, bytes]:
    """The report files behind the buttons of the summary the head of department just got."""
    payloads = [button.payload for row in chat.last(head).buttons for button in row]
    files = {}
    for payload in payloads:
        chat.press_payload(head, payload)
        (answer,) = chat.answers
        assert answer.attachment is not None
        files[payload.split(":")[1]] = answer.attachment.content
    return files


@pytest.fixture(scope="module")
def session(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    path = tmp_path_factory.mktemp("wording") / "session.db"
    shutil.copyfile(sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    chat = Chat(engine)
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    minh = chat.member("Lê Văn Minh", Role.STAFF, VAN_PHONG)
    # Buttons pressed on the reminders.
    chat.remind(lan, "II.3")
    chat.press(lan, "✅ Đã hoàn thành")
    chat.remind(lan, "III.4")
    chat.press(lan, "⏳ Đang thực hiện")
    # Replies typed without diacritics: one says only where things stand, one names a product, one holds
    # words whose reading is not certain.
    chat.say(lan, "dang lam 50%", reply_to=chat.remind(lan, "II.4"))
    chat.say(lan, "da trinh du thao ke hoach, dat 70%", reply_to=chat.remind(lan, "II.5"))
    chat.say(lan, "dang soan ke hoach dao tao cho can bo xa 👍", reply_to=chat.remind(lan, "III.1"))
    # A blocker: the button, then the reason in reply, without diacritics.
    reminder = chat.remind(minh, "IV.1")
    chat.press(minh, "⚠️ Có vướng mắc")
    chat.say(minh, "vuong kinh phi, chua duoc bo tri du toan", reply_to=reminder)
    chat.on(date(2025, 12, 20))
    (message,) = chat.say(head, "/summary quý 4/2025")
    files = _files(chat, head)
    yield Session(files["docx"], files["xlsx"], message)
    engine.dispose()


# ---- what the documents say ------------------------------------------------------------------------------


def test_a_button_press_is_a_status_never_a_quote(session: Session) -> None:
    rows = session.appendix()
    assert rows["II.3"][4] == "Đã hoàn thành\n(ngày 01/12/2025)"
    assert rows["III.4"][4] == "Đang thực hiện\n(ngày 01/12/2025)"
    text = "\n".join(session.docx_lines())
    for label in ("Đã hoàn thành»", "Đang thực hiện»", "Có vướng mắc»", "✅", "⏳", "⚠"):
        assert label not in text


def test_a_reply_that_only_says_where_things_stand_is_stated_not_quoted(session: Session) -> None:
    assert session.appendix()["II.4"][4] == "Đang thực hiện, đạt 50%\n(ngày 01/12/2025)"
    assert "dang lam" not in "\n".join(session.docx_lines())


def test_a_reply_naming_a_product_is_quoted_with_its_diacritics_restored(session: Session) -> None:
    assert session.appendix()["II.5"][4] == (
        "Đang thực hiện, đạt 70%: «đã trình dự thảo kế hoạch, đạt 70%»\n(ngày 01/12/2025)"
    )


def test_a_reply_whose_reading_is_not_certain_is_quoted_as_typed_and_marked(session: Session) -> None:
    assert session.appendix()["III.1"][4] == (
        "Đang thực hiện: «dang soan ke hoach dao tao cho can bo xa» (nguyên văn)\n(ngày 01/12/2025)"
    )


def test_a_blocked_reason_typed_without_diacritics_is_restored(session: Session) -> None:
    rows = session.appendix()
    assert rows["IV.1"][4] == "Có vướng mắc: «vướng kinh phí, chưa được bố trí dự toán»\n(ngày 01/12/2025)"
    assert rows["IV.1"][5] == "đang thực hiện (trong hạn); có vướng mắc: kinh phí"
    lines = session.docx_lines()
    assert "- Nhiệm vụ IV.1 (Văn phòng Sở): kinh phí." in lines
    assert "- Xem xét, tháo gỡ vướng mắc của nhiệm vụ IV.1 (Văn phòng Sở): kinh phí." in lines


def test_the_body_states_each_report_in_official_words(session: Session) -> None:
    said: dict[str, str] = {}  # the first line about each task: part I, results by section
    for line in session.docx_lines():
        if line.startswith("- Nhiệm vụ ") and "): " in line:
            said.setdefault(line.split(" (", 1)[0], line.split("): ", 1)[1])
    unit = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
    assert said["- Nhiệm vụ II.3"] == f"đã hoàn thành (báo cáo ngày 01/12/2025, {unit})."
    assert said["- Nhiệm vụ II.4"] == f"đang thực hiện, đạt 50% (báo cáo ngày 01/12/2025, {unit})."
    assert said["- Nhiệm vụ III.4"] == f"đang thực hiện (báo cáo ngày 01/12/2025, {unit})."


def test_the_table_states_status_and_restored_words(session: Session) -> None:
    rows = session.sheet()
    assert rows["II.3"]["Kết quả thực hiện"] == "Đã hoàn thành"
    assert rows["II.4"]["Kết quả thực hiện"] == "Đang thực hiện, đạt 50%"
    assert rows["II.5"]["Kết quả thực hiện"] == "Đang thực hiện, đạt 70%: «đã trình dự thảo kế hoạch, đạt 70%»"
    assert rows["IV.1"]["Vướng mắc"] == "kinh phí"


def test_the_chat_summary_does_not_quote_a_button_press_either(session: Session) -> None:
    lines = session.message.splitlines()
    assert "«" not in next(line for line in lines if "<b>II.3</b>" in line)
    assert not any("«✅" in line or "«⏳" in line or "«⚠" in line for line in lines)
    assert "«dang lam 50%» (01/12)" in session.message  # typed words are still quoted in chat


# ---- names and counts --------------------------------------------------------------------------------------

PLAN = "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND"


def test_the_report_names_the_plan_as_officials_do(session: Session) -> None:
    lines = session.docx_lines()
    subject = lines[lines.index("BÁO CÁO") + 1]
    assert subject == (f"Kết quả thực hiện {PLAN} ngày 09 tháng 9 năm 2025 của UBND tỉnh, quý IV/2025")
    assert not any("Kế hoạch thực hiện Kế hoạch" in line for line in lines)
    assert not any("quang-ngai-skhcn-tdc-2025" in line for line in lines)


def test_the_chat_summary_and_the_table_name_the_plan_not_its_code(session: Session) -> None:
    assert f"{PLAN} · toàn bộ kế hoạch · số liệu đến 20/12" in session.message
    assert "quang-ngai-skhcn-tdc-2025" not in session.message
    assert session.facts()["Kế hoạch"] == f"{PLAN} ngày 09 tháng 9 năm 2025 của UBND tỉnh"


def test_each_count_of_tasks_says_what_it_counts(session: Session) -> None:
    # I.1's deadline of 30/09/2025, still open, is carried into the quarter.
    assert "Nhiệm vụ trong kỳ: 20 (19 nhiệm vụ tại Phụ lục, 1 nghĩa vụ chung)" in session.message
    lines = session.docx_lines()
    assert any(
        "có 20 nhiệm vụ đến kỳ thực hiện hoặc báo cáo (19 nhiệm vụ tại Phụ lục Kế hoạch và 1 nghĩa vụ chung"
        " của kế hoạch), trong đó:" in line
        for line in lines
    )
    facts = session.facts()
    assert (facts["Nhiệm vụ tại Phụ lục Kế hoạch"], facts["Nghĩa vụ chung của kế hoạch"]) == (19, 1)


# ---- characters the font shows -------------------------------------------------------------------------


def _texts(package: bytes) -> str:
    """The text of every text element (w:t in Word, t in Excel) of every XML part of a package, as parsed
    (openpyxl writes characters as references, "&#9989;")."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                root = ElementTree.fromstring(archive.read(name))
                found += [element.text or "" for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "t"]
    return "\n".join(found)


def _not_printable(text: str) -> set[str]:
    """Emoji and other pictographs, variation selectors, joiners: what no text font of a report shows."""
    return {
        char
        for char in text
        if unicodedata.category(char) in ("So", "Cn", "Co", "Cs", "Cf")
        or 0xFE00 <= ord(char) <= 0xFE0F
        or ord(char) >= 0x1F000
    }


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_no_emoji_or_pictograph_is_in_the_files(session: Session, kind: str) -> None:
    assert _not_printable(_texts(session.docx if kind == "docx" else session.xlsx)) == set()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_every_character_of_the_files_is_in_the_report_font(session: Session, kind: str) -> None:
    """Times New Roman's metric twin, Liberation Serif, is what LibreOffice prints the report with."""
    if not SERIF_FONTS:
        pytest.skip("fonts-liberation2 is not installed")
    texts = _texts(session.docx if kind == "docx" else session.xlsx)
    for path in SERIF_FONTS:
        shown = set(TTFont(path).getBestCmap())
        assert {char for char in texts if ord(char) not in shown and char not in "\n\t"} == set(), path.name


def test_the_report_prints_in_official_words(session: Session, tmp_path: Path) -> None:
    words = " ".join(pdf_text(docx_to_pdf(session.docx, tmp_path)).split())
    assert "đang thực hiện, đạt 50%" in words
    assert "«đã trình dự thảo kế hoạch, đạt 70%»" in words
    assert "(nguyên văn)" in words
    assert "dang lam" not in words
    for label in ("Đã hoàn thành»", "Có vướng mắc»", "✅", "⏳", "⚠", "\ufffd"):
        assert label not in words

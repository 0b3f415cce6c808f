"""The progress language on realistic replies, written as Vietnamese office staff write them in chat."""

from __future__ import annotations

import unicodedata

import pytest

from domain.progress_language import READ_LIMIT, ProgressReading, ProgressStatus, parse_progress, reading_to_json
from locales.text import fold

DONE = ProgressStatus.DONE
IN_PROGRESS = ProgressStatus.IN_PROGRESS
BLOCKED = ProgressStatus.BLOCKED
NOT_STARTED = ProgressStatus.NOT_STARTED
UNCLEAR = ProgressStatus.UNCLEAR

# (reply, status, percent, reason)
CASES: list[tuple[str, ProgressStatus, int | None, str | None]] = [
    # -- done, with and without diacritics, in capitals, with typos
    ("xong rồi", DONE, None, None),
    ("xong", DONE, None, None),
    ("Xong rồi ạ", DONE, None, None),
    ("Xong roi a", DONE, None, None),
    ("xog roi", DONE, None, None),
    ("đã xong", DONE, None, None),
    ("ok xong", DONE, None, None),
    ("Ok đã xong", DONE, None, None),
    ("đã hoàn thành", DONE, None, None),
    ("ĐÃ HOÀN THÀNH", DONE, None, None),
    ("đã hòan thành", DONE, None, None),
    ("da hoan thanh", DONE, None, None),
    ("hoàn thành rồi", DONE, None, None),
    ("hoan thanh roi nhe", DONE, None, None),
    ("Đã hoàn tất", DONE, None, None),
    ("đã tổ chức xong", DONE, None, None),
    ("Đã tổ chức xong hội nghị tập huấn", DONE, None, None),
    ("đã triển khai xong", DONE, None, None),
    ("đã ban hành kế hoạch số 12/KH-SKHCN", DONE, None, None),
    ("Đã ban hành Kế hoạch số 12/KH-SKHCN ngày 05/11/2025", DONE, None, None),
    ("đã ký ban hành quyết định", DONE, None, None),
    ("Kế hoạch đã được UBND tỉnh phê duyệt", DONE, None, None),
    ("done", DONE, None, None),
    # A plain done outranks the weak signs of work under way that follow it.
    ("Xong rồi, đã gửi báo cáo về Sở", DONE, None, None),
    ("Đã trình lãnh đạo và đã ban hành", DONE, None, None),
    ("hoàn thành 100%", DONE, 100, None),
    ("10/10 lớp", DONE, 100, None),
    ("đã tổ chức 10/10 lớp", DONE, 100, None),
    ("chấm điểm xong", DONE, None, None),
    # "dựng", "dùng" fold like "dừng" (stop), and are not it
    ("đã xây dựng xong", DONE, None, None),
    ("dùng lại mẫu cũ, đã xong", DONE, None, None),
    # -- in progress, with a percentage in every form
    ("đã trình lãnh đạo Sở, đạt 80%", IN_PROGRESS, 80, None),
    ("dang lam 50%", IN_PROGRESS, 50, None),
    ("DANG THUC HIEN 50%", IN_PROGRESS, 50, None),
    ("được 7/10 lớp", IN_PROGRESS, 70, None),
    ("đã thực hiện được 3/5 lớp", IN_PROGRESS, 60, None),
    ("đã xong 2 trên 3 lớp", IN_PROGRESS, 66, None),
    ("70 phần trăm", IN_PROGRESS, 70, None),
    ("70 %", IN_PROGRESS, 70, None),
    ("70%", IN_PROGRESS, 70, None),
    ("khoảng 30 phan tram", IN_PROGRESS, 30, None),
    ("đạt 70", IN_PROGRESS, 70, None),
    ("Đạt 50 rồi", IN_PROGRESS, 50, None),
    ("đạt80%", IN_PROGRESS, 80, None),
    ("Tiến độ: 45%", IN_PROGRESS, 45, None),
    ("đạt 70-80%", IN_PROGRESS, 70, None),
    ("đạt 99,5%", IN_PROGRESS, 99, None),
    ("Hoàn thành 70%", IN_PROGRESS, 70, None),
    ("xong 50%", IN_PROGRESS, 50, None),
    # -- in progress, in words
    ("đang thực hiện", IN_PROGRESS, None, None),
    ("đang triển khai", IN_PROGRESS, None, None),
    ("đg làm", IN_PROGRESS, None, None),
    ("đang soạn dự thảo", IN_PROGRESS, None, None),
    ("đã trình", IN_PROGRESS, None, None),
    ("đã gửi xin ý kiến", IN_PROGRESS, None, None),
    ("Đã gửi dự thảo xin ý kiến các sở, ngành", IN_PROGRESS, None, None),
    ("chờ lãnh đạo ký", IN_PROGRESS, None, None),
    ("đã triển khai", IN_PROGRESS, None, None),
    ("đã xong phần dự thảo, đang chờ góp ý", IN_PROGRESS, None, None),
    ("đã hoàn thành dự thảo", IN_PROGRESS, None, None),
    ("xong bước 1, đang làm bước 2", IN_PROGRESS, None, None),
    # A later "đang …" says where things stand now.
    ("Đã ban hành kế hoạch, đang triển khai thực hiện", IN_PROGRESS, None, None),
    ("Sắp xong", IN_PROGRESS, None, None),
    ("gần xong rồi", IN_PROGRESS, None, None),
    ("Dự kiến hoàn thành trong quý IV/2025", IN_PROGRESS, None, None),
    # "Chưa xong" means started but not finished.
    ("chưa xong", IN_PROGRESS, None, None),
    ("Chưa hoàn thành", IN_PROGRESS, None, None),
    ("chưa ban hành", IN_PROGRESS, None, None),
    ("chưa được phê duyệt", IN_PROGRESS, None, None),
    # Half the work, in words, is 50 % and not done.
    ("xong một nửa", IN_PROGRESS, 50, None),
    ("được nửa chặng", IN_PROGRESS, 50, None),
    ("đã làm được một nửa", IN_PROGRESS, 50, None),
    ("mới được phân nửa", IN_PROGRESS, 50, None),
    ("nửa chặng đường rồi", IN_PROGRESS, 50, None),
    ("half done", IN_PROGRESS, 50, None),
    ("được một nửa, đạt 55%", IN_PROGRESS, 55, None),
    ("đang làm 150%", IN_PROGRESS, None, None),
    # -- blocked, with the reason in the writer's words
    ("vướng kinh phí", BLOCKED, None, "kinh phí"),
    ("vuong kinh phi", BLOCKED, None, "kinh phi"),
    ("vướng mắc do chưa được bố trí kinh phí", BLOCKED, None, "chưa được bố trí kinh phí"),
    ("vuong mac do chua duoc bo tri kinh phi", BLOCKED, None, "chua duoc bo tri kinh phi"),
    ("Vướng mắc: chưa được cấp kinh phí", BLOCKED, None, "chưa được cấp kinh phí"),
    ("chưa có kinh phí", BLOCKED, None, "chưa có kinh phí"),
    ("chưa có hướng dẫn của Bộ nên chưa triển khai", BLOCKED, None, "chưa có hướng dẫn của Bộ"),
    ("Do chưa có kinh phí nên chưa triển khai", BLOCKED, None, "chưa có kinh phí"),
    ("chờ hướng dẫn của Bộ nên chưa thực hiện", BLOCKED, None, "chờ hướng dẫn của Bộ"),
    ("Chưa triển khai do chưa có kinh phí", BLOCKED, None, "chưa có kinh phí"),
    ("chưa xong vì thiếu người", BLOCKED, None, "thiếu người"),
    ("khó khăn về nhân lực", BLOCKED, None, "nhân lực"),
    ("kho khan ve nhan luc", BLOCKED, None, "nhan luc"),
    ("gặp khó khăn do thiếu cán bộ chuyên môn", BLOCKED, None, "thiếu cán bộ chuyên môn"),
    ("bị chậm do chờ ý kiến góp ý của các sở", BLOCKED, None, "chờ ý kiến góp ý của các sở"),
    ("không thể tổ chức được vì dịch bệnh", BLOCKED, None, "dịch bệnh"),
    ("vướng ở khâu thẩm định", BLOCKED, None, "khâu thẩm định"),
    ("vướng kinh phí anh ạ.", BLOCKED, None, "kinh phí"),
    ("vướng tài chính", BLOCKED, None, "tài chính"),
    ("kẹt kinh phí", BLOCKED, None, "kinh phí"),
    ("chưa có kinh phí để tổ chức lớp tập huấn", BLOCKED, None, "chưa có kinh phí"),
    ("đang làm nhưng chưa có kinh phí", BLOCKED, None, "chưa có kinh phí"),
    ("vướng kinh phí, đang chờ Sở Tài chính thẩm định", BLOCKED, None, "kinh phí"),
    ("vướng kinh phí; chưa có hướng dẫn", BLOCKED, None, "kinh phí; chưa có hướng dẫn"),
    ("đạt 60% nhưng vướng kinh phí", BLOCKED, 60, "kinh phí"),
    ("có vướng mắc", BLOCKED, None, None),
    ("chậm tiến độ", BLOCKED, None, None),
    # In English
    ("blocked by budget", BLOCKED, None, "budget"),
    ("stuck waiting for funds", BLOCKED, None, "waiting for funds"),
    ("blocked due to missing data", BLOCKED, None, "missing data"),
    ("on hold", BLOCKED, None, None),
    # Work stopped while waiting for something
    ("đang đợi vốn nên ngừng lại", BLOCKED, None, "đợi vốn"),
    ("chờ vốn nên tạm dừng", BLOCKED, None, "chờ vốn"),
    ("ngừng lại vì chờ vốn", BLOCKED, None, "chờ vốn"),
    ("dừng lại", BLOCKED, None, None),
    # A request to move the deadline: the request with the date asked for, then its cause
    ("đề nghị lùi hạn sang tháng 3 vì thiếu dữ liệu", BLOCKED, None, "đề nghị lùi hạn sang tháng 3; thiếu dữ liệu"),
    ("xin gia hạn đến 15/3", BLOCKED, None, "xin gia hạn đến 15/3"),
    (
        "Kính đề nghị cho lùi thời hạn đến hết quý I/2026 do chờ ý kiến Bộ.",
        BLOCKED,
        None,
        "Kính đề nghị cho lùi thời hạn đến hết quý I/2026; chờ ý kiến Bộ",
    ),
    ("vướng kinh phí, đề nghị gia hạn sang tháng 6", BLOCKED, None, "kinh phí; đề nghị gia hạn sang tháng 6"),
    ("xin điều chỉnh thời hạn đến 30/6/2026", BLOCKED, None, "xin điều chỉnh thời hạn đến 30/6/2026"),
    # ... but work that runs until a date, or is adjusted, asks for nothing
    ("đang tập huấn, kéo dài đến hết tháng 3", IN_PROGRESS, None, None),
    ("đã điều chỉnh sang mẫu mới, đang làm", IN_PROGRESS, None, None),
    # -- not started
    ("chưa bắt đầu", NOT_STARTED, None, None),
    ("chưa làm", NOT_STARTED, None, None),
    ("chưa triển khai", NOT_STARTED, None, None),
    ("chua trien khai", NOT_STARTED, None, None),
    ("chưa thực hiện", NOT_STARTED, None, None),
    ("chưa có dự thảo", NOT_STARTED, None, None),
    ("sẽ triển khai trong quý 1/2026", NOT_STARTED, None, None),
    # -- a denied difficulty is no block
    ("không vướng mắc, đang triển khai bình thường", IN_PROGRESS, None, None),
    ("ko vướng gì đã xong", DONE, None, None),
    ("không vướng gì", UNCLEAR, None, None),
    ("không có khó khăn", UNCLEAR, None, None),
    ("Khó khăn, vướng mắc: không", UNCLEAR, None, None),
    # -- nothing to read: the bot asks with buttons
    ("ok", UNCLEAR, None, None),
    ("đã nhận", UNCLEAR, None, None),
    ("cảm ơn", UNCLEAR, None, None),
    ("?", UNCLEAR, None, None),
    ("", UNCLEAR, None, None),
    ("👍", UNCLEAR, None, None),
    ("vâng ạ", UNCLEAR, None, None),
    ("xong chưa?", UNCLEAR, None, None),
    ("hạn hoàn thành 30/11", UNCLEAR, None, None),
    ("đăng ký rồi", UNCLEAR, None, None),
    ("đạt 70 lớp", UNCLEAR, None, None),
    ("70", UNCLEAR, None, None),
    # -- a malformed percentage is dropped, the status still read
    ("150%", UNCLEAR, None, None),
    ("xong 150%", DONE, None, None),
    ("-5%", UNCLEAR, None, None),
]


@pytest.mark.parametrize(("text", "status", "percent", "reason"), CASES)
def test_reply_reads_as(text: str, status: ProgressStatus, percent: int | None, reason: str | None) -> None:
    reading = parse_progress(text)

    assert (reading.status, reading.percent, reading.reason) == (status, percent, reason)


@pytest.mark.parametrize("text", [text for text, *_ in CASES if not text.isascii()])
def test_decomposed_input_reads_like_composed(text: str) -> None:
    assert parse_progress(unicodedata.normalize("NFD", text)) == parse_progress(text)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("được 7/10 lớp", (7, 10)),
        ("10/10 lớp", (10, 10)),
        ("đã xong 2 trên 3 lớp", (2, 3)),
        ("đã gửi 7/10", (None, None)),  # 7 October, not 7 of 10
        ("ngày 15/11 gửi báo cáo", (None, None)),
        ("Đã ban hành Kế hoạch số 12/KH-SKHCN ngày 05/11/2025", (None, None)),
        ("được 12/10 lớp", (None, None)),
    ],
)
def test_counts_of_work_done_out_of_a_target(text: str, counts: tuple[int | None, int | None]) -> None:
    reading = parse_progress(text)

    assert (reading.done_count, reading.target_count) == counts


def test_note_is_the_reply_in_nfc_with_single_spaces() -> None:
    text = unicodedata.normalize("NFD", "  đã   xong\u200b phần\n dự thảo\t ")

    assert parse_progress(text).note == "đã xong phần dự thảo"


def test_reason_keeps_the_writers_capitals_and_diacritics() -> None:
    reading = parse_progress("Vướng mắc do chưa có hướng dẫn của Bộ KH&CN.")

    assert reading.reason == "chưa có hướng dẫn của Bộ KH&CN"


def test_reading_to_json_has_exactly_status_percent_and_reason() -> None:
    reading = parse_progress("đã trình lãnh đạo Sở, đạt 80%")

    assert reading_to_json(reading) == {"status": "in_progress", "percent": 80, "reason": None}


def test_reading_to_json_of_a_blocked_reply() -> None:
    assert reading_to_json(parse_progress("vướng kinh phí")) == {
        "status": "blocked",
        "percent": None,
        "reason": "kinh phí",
    }


def test_status_values_are_the_public_names() -> None:
    assert [status.value for status in ProgressStatus] == [
        "done",
        "in_progress",
        "blocked",
        "not_started",
        "unclear",
    ]


def test_a_reading_refuses_a_percentage_over_100() -> None:
    with pytest.raises(ValueError):
        ProgressReading(ProgressStatus.DONE, percent=150)


def test_a_reading_refuses_a_count_over_its_target() -> None:
    with pytest.raises(ValueError):
        ProgressReading(ProgressStatus.IN_PROGRESS, done_count=11, target_count=10)


@pytest.mark.parametrize(
    "text", ["cảm ơn", "Cảm ơn chị nhé!", "ok", "Ok ạ", "👍", "hello", "chào anh", "vâng ạ", "đã nhận"]
)
def test_small_talk_is_chatter(text: str) -> None:
    reading = parse_progress(text)

    assert (reading.status, reading.chatter) == (UNCLEAR, True)


@pytest.mark.parametrize("text", ["ok xong", "để em hỏi lại chị Mai", "70", "cảm ơn, đang làm 50%", "chưa rõ"])
def test_a_reply_with_more_than_small_talk_is_not_chatter(text: str) -> None:
    assert parse_progress(text).chatter is False


# -- a very long reply: only its beginning is read, the whole of it is kept

LONG_REPORT = "đang soạn dự thảo, " + "nội dung chi tiết của báo cáo " * 3500 + "xong rồi"


def test_a_status_past_the_read_limit_is_not_read() -> None:
    reading = parse_progress(LONG_REPORT)

    assert (reading.status, reading.percent) == (IN_PROGRESS, None)


def test_a_long_reply_is_kept_whole_as_the_note() -> None:
    assert parse_progress(LONG_REPORT).note == LONG_REPORT


def test_a_reason_ends_within_the_read_limit() -> None:
    reading = parse_progress("vướng " + "kinh phí và nhân lực " * 5000)

    assert reading.status == BLOCKED
    assert reading.reason is not None and len(reading.reason) < READ_LIMIT


def test_a_word_cut_at_the_read_limit_is_not_read() -> None:
    # "xong" ends exactly at the limit, "xuôi" goes on past it: the cut word is dropped, not read as done.
    text = "b" * (READ_LIMIT - 6) + " xongxuôi hết cả"
    assert fold(" " + text)[READ_LIMIT - 4 : READ_LIMIT + 1] == "xongx"

    assert parse_progress(text).status == UNCLEAR

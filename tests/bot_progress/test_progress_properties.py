"""Properties of the progress language over generated replies."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.progress_language import ProgressStatus, parse_progress, reading_to_json

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 %/-–.,;:()?!\n\t\u200b"
# Fragments of real replies, so that generated input reaches past the scan into the combining of
# statements, numbers and reasons.
# fmt: off
FRAGMENTS = [
    "xong", "rồi", "đã", "da", "đang", "dang", "đăng", "chưa", "chua", "hoàn thành", "hoan thanh", "không",
    "ko", "k", "vướng", "vuong", "mắc", "khó khăn", "kinh phí", "chưa có", "hướng dẫn", "nên", "do", "vì",
    "về", "ở", "tại", "thiếu", "bị chậm", "chấm", "kẹt", "kết", "không thể", "tạm dừng", "triển khai",
    "trình", "gửi", "xin ý kiến", "dự thảo", "phần", "bước 1", "sắp", "sẽ", "dự kiến", "hạn", "đạt", "được",
    "tiến độ", "70", "7/10", "10/10", "0/3", "15/11", "31/12/2025", "12/KH-SKHCN", "150%", "80%", "-5%",
    "70-80%", "99,5%", "phần trăm", "2 trên 3", "lớp", "ạ", "nhé", "anh", "?", ",", ";", ".", ":", "(", ")",
    "ok", "cảm ơn", "chờ", "ban hành", "phê duyệt", "tháo gỡ", "gì",
]
# fmt: on

replies = st.one_of(
    st.text(),
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join),
)


@settings(max_examples=800, deadline=None)
@given(text=replies)
def test_any_reply_reads_into_a_valid_reading(text: str) -> None:
    reading = parse_progress(text)

    assert reading.status in set(ProgressStatus)
    assert reading.percent is None or 0 <= reading.percent <= 100
    assert (reading.done_count is None) == (reading.target_count is None)
    if reading.done_count is not None and reading.target_count is not None:
        assert 0 <= reading.done_count <= reading.target_count


@settings(max_examples=500, deadline=None)
@given(text=replies)
def test_note_is_nfc_with_single_spaces(text: str) -> None:
    note = parse_progress(text).note

    assert unicodedata.is_normalized("NFC", note)
    assert note == " ".join(note.split())
    assert "\u200b" not in note


@settings(max_examples=500, deadline=None)
@given(text=replies)
def test_a_reason_is_a_trimmed_part_of_the_note_and_only_for_a_blocked_reply(text: str) -> None:
    reading = parse_progress(text)

    if reading.status is not ProgressStatus.BLOCKED:
        assert reading.reason is None
    elif reading.reason is not None:
        for part in reading.reason.split("; "):
            assert part
            assert part in reading.note
            assert part == part.strip(" .,;:!?")


@settings(max_examples=500, deadline=None)
@given(text=replies)
def test_reading_to_json_has_exactly_three_keys_and_serialises(text: str) -> None:
    reading = parse_progress(text)
    shape = reading_to_json(reading)

    assert set(shape) == {"status", "percent", "reason"}
    assert shape == {"status": reading.status.value, "percent": reading.percent, "reason": reading.reason}
    assert json.loads(json.dumps(shape, ensure_ascii=False)) == shape


@settings(max_examples=500, deadline=None)
@given(text=replies)
def test_reading_the_note_again_gives_the_same_reading(text: str) -> None:
    reading = parse_progress(text)

    assert parse_progress(reading.note) == reading


@settings(max_examples=500, deadline=None)
@given(text=replies)
def test_decomposed_input_reads_like_composed(text: str) -> None:
    assert parse_progress(unicodedata.normalize("NFD", text)) == parse_progress(unicodedata.normalize("NFC", text))

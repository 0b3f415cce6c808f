"""Button payloads: what `domain.payloads` reads back, and what a forged or out-of-range press gets in chat."""

from __future__ import annotations

import pytest

from domain.payloads import FILE_KINDS, LAYOUTS, MAX_ID, Choice, ChoiceKind, _reads_back, decode, encode
from models import ReportStatus, Role
from tests.bot.chat import QLTDC, Chat

INVALID = "Nút này không còn hiệu lực. Gửi /tasks để bắt đầu lại."


def test_every_choice_the_bot_makes_reads_back() -> None:
    choices = [
        Choice(ChoiceKind.STATUS, (17,), ReportStatus.DONE),
        Choice(ChoiceKind.PROMPT, (MAX_ID,), ReportStatus.BLOCKED),
        Choice(ChoiceKind.PICK, (3, 4108)),
        Choice(ChoiceKind.UNDO, (1,)),
        Choice(ChoiceKind.SUMMARY_FILE, file="docx", token="q4/2025 #3"),
    ]
    assert [decode(encode(choice)) for choice in choices] == choices


def _choices_of_every_shape() -> list[Choice]:
    """Each kind with ids, statuses, files and tokens it has a part for and ones it has not, some of them
    of the wrong type (what a bug in the caller could hand `encode`)."""
    ids: list[object] = [(), (1,), (7, MAX_ID), (1, 2, 3), (True,), (2.0,), [5]]
    statuses = [None, ReportStatus.DONE, ReportStatus.BLOCKED]
    return [
        Choice(kind, id_values, status, file, token)  # type: ignore[arg-type]
        for kind in LAYOUTS
        for id_values in ids
        for status in statuses
        for file in (None, *sorted(FILE_KINDS))
        for token in (None, "", "q4:2025")
    ]


def test_encode_skips_reading_back_only_where_it_would_read_back() -> None:
    """`encode`'s quick test stands in for decoding what it made: where it holds, decoding gives the choice."""
    quick = 0
    for choice in _choices_of_every_shape():
        try:
            payload = encode(choice)
        except (ValueError, TypeError, AttributeError):
            assert not _reads_back(choice) or not _encodable(choice), choice
            continue
        assert decode(payload) == choice, choice
        quick += _reads_back(choice)
    assert quick > 0


def _encodable(choice: Choice) -> bool:
    """Whether `encode` accepts the parts of `choice` its layout names (before reading its payload back)."""
    layout = LAYOUTS[choice.kind]
    ids = [part for part in layout if part == "id"]
    if len(choice.ids) != len(ids) or not all(isinstance(v, int) and 1 <= v <= MAX_ID for v in choice.ids):
        return False
    return "status" not in layout or choice.status is not None


@pytest.mark.parametrize(
    "payload",
    [
        "undo:" + "9" * 23,
        "undo:2147483648",
        "st:99999999999999999999:done",
        "rp:2147483648:done",
        "pick:1:99999999999",
        "undo:0",
        "undo:-1",
        "undo:+1",
        "undo:٣",  # an Arabic-Indic digit: int() takes it, the bot never makes it
        "undo: 1",
        "undo:1:2",
        "st:1:xong",
        "sum:pdf:2025",
        "pick:1",
        "",
    ],
)
def test_a_payload_the_bot_could_not_have_made_is_refused(payload: str) -> None:
    assert decode(payload) is None


def test_a_choice_with_an_id_over_the_database_range_cannot_be_encoded() -> None:
    with pytest.raises(ValueError):
        encode(Choice(ChoiceKind.UNDO, (MAX_ID + 1,)))


@pytest.mark.parametrize("payload", ["undo:" + "1" * 23, "st:" + "9" * 20 + ":done", "rp:" + "9" * 12 + ":done"])
def test_an_out_of_range_id_in_chat_is_a_stale_button_not_an_error(chat: Chat, payload: str) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.press_payload(lan, payload) == [INVALID]


def test_an_out_of_range_pick_in_chat_is_a_stale_button_not_an_error(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.press_payload(lan, "pick:" + "7" * 30 + ":1") == [INVALID]


def test_staff_forging_the_report_file_button_get_no_file(chat: Chat) -> None:
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    chat.say(head, "/summary")
    payload = next(b.payload for row in chat.last(head).buttons for b in row if b.payload.startswith("sum:docx:"))
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.press_payload(lan, payload) == ["Xin lỗi, nút này không dành cho bạn."]
    assert all(answer.attachment is None for answer in chat.answers)

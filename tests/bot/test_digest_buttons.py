"""A morning digest about many tasks: one "Báo cáo" button per task opens that task's three choices in
the same message, and a choice there records the report as on a single reminder."""

from __future__ import annotations

from models import Role
from tests.bot.chat import QLTDC, Chat, Sent, User

CODES = ["II.3", "II.4", "II.5", "III.1"]


def send_digest(chat: Chat, user: User, codes: list[str]) -> Sent:
    """What the dispatcher delivers: the morning's digest as the reminders render and queue it."""
    return chat.remind_together(user, *codes)


def test_report_opens_the_three_choices_in_place(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    digest = send_digest(chat, lan, CODES)
    assert digest.labels == ["Báo cáo II.3", "Báo cáo II.4", "Báo cáo II.5", "Báo cáo III.1"]
    chat.press(lan, "Báo cáo II.4")
    [edit] = chat.answers
    assert edit.edit_message_id == digest.message_id
    assert chat.last(lan).message_id == digest.message_id  # no new message: the same one, new buttons
    assert chat.last(lan).labels == [
        "Báo cáo II.3",
        "Xong II.4",
        "Đang làm II.4",
        "Vướng II.4",
        "Báo cáo II.5",
        "Báo cáo III.1",
    ]


def test_opening_another_task_folds_the_first_back(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    send_digest(chat, lan, CODES)
    chat.press(lan, "Báo cáo II.4")
    chat.press(lan, "Báo cáo III.1")
    assert chat.last(lan).labels == [
        "Báo cáo II.3",
        "Báo cáo II.4",
        "Báo cáo II.5",
        "Xong III.1",
        "Đang làm III.1",
        "Vướng III.1",
    ]


def test_a_choice_in_the_opened_row_records_the_report(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    send_digest(chat, lan, CODES)
    chat.press(lan, "Báo cáo II.4")
    assert chat.press(lan, "Xong II.4") == ["Đã ghi nhận: II.4 — đã hoàn thành."]
    assert [(r.task, r.status) for r in chat.reports()] == [("II.4", "done")]


def test_a_report_button_not_on_its_message_is_no_longer_valid(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    send_digest(chat, lan, CODES)
    assert chat.press_payload(lan, "rc:999") == ["Nút này không còn hiệu lực. Gửi /tasks để bắt đầu lại."]

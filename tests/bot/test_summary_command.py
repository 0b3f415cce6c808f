"""/summary in chat: the monitor gets the plan's state in one message and the report files on buttons."""

from __future__ import annotations

import pytest

from models import Role
from tests.bot.chat import QLTDC, Chat


def test_the_monitor_gets_one_message_with_file_buttons(chat: Chat) -> None:
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    answers = chat.say(head, "/summary")
    assert len(answers) == 1
    payloads = [b.payload for row in chat.last(head).buttons for b in row]
    assert [p.split(":")[1] for p in payloads] == ["docx", "xlsx", "png"]
    assert all(len(p.encode()) <= 64 for p in payloads)


@pytest.mark.parametrize("role", [Role.MONITOR, Role.UNIT_LEAD])
def test_the_docx_button_sends_the_report_file(chat: Chat, role: Role) -> None:
    head = chat.member("Trần Văn Hùng", role, QLTDC)
    chat.say(head, "/summary")
    payload = next(b.payload for row in chat.last(head).buttons for b in row if b.payload.startswith("sum:docx:"))
    chat.press_payload(head, payload)
    (answer,) = chat.answers
    assert answer.attachment is not None
    assert answer.attachment.filename.endswith(".docx")
    assert answer.attachment.content[:2] == b"PK"  # a .docx is a zip package


def test_staff_get_the_short_version_without_files(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    answers = chat.say(lan, "/summary")
    assert len(answers) == 1
    assert chat.last(lan).buttons == ()


def test_a_wrong_period_gets_an_example(chat: Chat) -> None:
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    (answer,) = chat.say(head, "/summary quý 7/2025")
    assert answer == (
        "Tôi không hiểu kỳ «quý 7/2025». Ví dụ: /summary 2026, /summary quý 4/2025, "
        "/summary tháng 11/2026 hoặc /summary Văn phòng Sở."
    )

"""What people type is cleaned where it enters the core, so both databases keep the same thing."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.messages import ChatKind, Incoming, Platform, clean_text
from models import ReportStatus, Role
from tests.bot.chat import QLTDC, Chat


def test_control_characters_become_spaces_and_the_text_nfc() -> None:
    decomposed = "đa\u0303 tri\u0300nh"  # "đã trình" as some phone keyboards send it
    assert clean_text("xong\x00rồi\x1b\x7f\x85 " + decomposed + "\ud800") == "xong rồi    đã trình "


def test_line_breaks_and_tabs_are_kept() -> None:
    assert clean_text("đã xong\r\n\tđạt 100%") == "đã xong\r\n\tđạt 100%"


def test_an_incoming_message_is_cleaned_whatever_transport_made_it() -> None:
    incoming = Incoming(
        platform=Platform.ZALO,
        chat_id="1",
        chat_kind=ChatKind.PRIVATE,
        sender_id="2",
        sender_name="Lan\x00",
        text="xong\x00rồi",
        message_id="3",
        at=datetime(2025, 12, 1, 2, tzinfo=UTC),
    )
    assert (incoming.text, incoming.sender_name) == ("xong rồi", "Lan ")


def test_a_reply_with_a_nul_is_recorded_on_both_databases(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    reminder = chat.remind(lan, "II.3")
    assert chat.say(lan, "xong\x00rồi", reply_to=reminder) == ["Đã ghi nhận: II.3 — đã hoàn thành."]
    (report,) = chat.reports()
    assert (report.status, report.note) == (ReportStatus.DONE, "xong rồi")

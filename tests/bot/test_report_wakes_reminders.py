"""A turn that records, changes or withdraws a report calls the conversation's `on_report` once it is
committed (the service wakes the reminder planner with it, so a blocker reaches the monitor at once)."""

from __future__ import annotations

from models import ReportStatus, Role
from tests.bot.chat import QLTDC, Chat


def test_reports_wake_the_planner_other_messages_do_not(chat: Chat) -> None:
    woken: list[list[str]] = []
    chat.conversation.on_report = lambda: woken.append([report.status or "" for report in chat.reports()])
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    reminder = chat.remind(lan, "II.4")
    chat.say(lan, "/tasks")
    assert woken == []
    chat.say(lan, "vướng kinh phí", reply_to=reminder)
    assert woken == [[ReportStatus.BLOCKED.value]]  # called after the commit: the report is there to read
    chat.press(lan, "↩️ Rút lại")
    assert len(woken) == 2

"""Every change of state made in chat is written to the audit log, with who did it and when."""

from __future__ import annotations

from datetime import UTC

from sqlmodel import col, select

from models import AuditLog, Role
from models.db import session_scope
from tests.bot.chat import QLTDC, START, Chat, User


def new_rows(chat: Chat, before: int) -> list[tuple[str, str, str]]:
    return chat.audit()[before:]


def joined(chat: Chat) -> tuple[User, str]:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    return lan, f"member:{chat.member_id(lan)}"


def test_joining_is_audited(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    before = len(chat.audit())
    lan = chat.person("Nguyễn Thị Lan")
    chat.say(lan, f"/start {code}")
    who = f"member:{chat.member_id(lan)}"
    assert new_rows(chat, before) == [(who, "member.join", who)]
    with session_scope(chat.engine) as session:
        row = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
    assert row is not None
    assert row.at == START.astimezone(UTC)
    assert row.detail == {
        "invite": code,
        "unit": QLTDC,
        "role": "staff",
        "platform": "telegram",
    }


def test_a_report_and_its_edit_are_audited(chat: Chat) -> None:
    lan, who = joined(chat)
    reminder = chat.remind(lan, "II.3")
    before = len(chat.audit())
    chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder)
    chat.edit(lan, "xong rồi")
    assert new_rows(chat, before) == [(who, "report.create", "report:1"), (who, "report.edit", "report:1")]


def test_an_undo_is_audited(chat: Chat) -> None:
    lan, who = joined(chat)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    before = len(chat.audit())
    chat.say(lan, "/undo")
    assert new_rows(chat, before) == [(who, "report.withdraw", "report:1")]


def test_an_event_is_audited(chat: Chat) -> None:
    hung = chat.member("Võ Quốc Hùng", Role.ADMIN)
    before = len(chat.audit())
    chat.say(hung, "/event III.3 2026-03-02 90d Trung ương ban hành Đề án đào tạo nguồn nhân lực")
    assert new_rows(chat, before) == [(f"member:{chat.member_id(hung)}", "event.record", "event:1")]


def test_pause_and_resume_are_audited(chat: Chat) -> None:
    lan, who = joined(chat)
    before = len(chat.audit())
    chat.say(lan, "/pause 2026-01-15")
    chat.say(lan, "/resume")
    assert new_rows(chat, before) == [(who, "member.pause", who), (who, "member.resume", who)]


def test_a_language_change_is_audited(chat: Chat) -> None:
    lan, who = joined(chat)
    before = len(chat.audit())
    chat.say(lan, "/lang en")
    assert new_rows(chat, before) == [(who, "member.language", who)]


def test_binding_a_group_is_audited(chat: Chat) -> None:
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    group = chat.group("Phòng TĐC")
    code = chat.invite(Role.STAFF, QLTDC)
    before = len(chat.audit())
    chat.say(son, f"/bind {code}", group=group)
    assert new_rows(chat, before) == [(f"member:{chat.member_id(son)}", "chat.bind", f"chat:{group.chat_id}")]


def test_reading_changes_nothing_in_the_audit(chat: Chat) -> None:
    lan, _who = joined(chat)
    before = len(chat.audit())
    for text in ("/tasks", "/task II.3", "/whoami", "/help", "/undo"):
        chat.say(lan, text)
    assert new_rows(chat, before) == []

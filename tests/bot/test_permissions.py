"""Every cell of the permission table (command × audience × chat kind), walked through the conversation.

An allowed cell must be answered with something other than a refusal; a forbidden one with a refusal
and no change of state (no audit row, no report).
"""

from __future__ import annotations

import pytest

from domain.messages import ChatKind
from domain.payloads import LAYOUTS, Choice, ChoiceKind, encode
from domain.permissions import CHOICE_COMMANDS, PERMISSIONS, Audience, Command, allowed
from models import Role
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, Group, User

GUEST = (
    "Xin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch: tôi nhắc các đơn vị trước hạn và nhận "
    "báo cáo tiến độ ngắn. Để sử dụng, vui lòng xin quản trị viên một mã mời, rồi gửi /start MÃ."
)
NOT_IN_CHARGE = "Xin lỗi, chỉ thành viên các đơn vị chủ trì, phối hợp nhiệm vụ II.3 mới báo cáo được nhiệm vụ này."
ROLES = {
    Audience.STAFF: Role.STAFF,
    Audience.UNIT_LEAD: Role.UNIT_LEAD,
    Audience.MONITOR: Role.MONITOR,
    Audience.ADMIN: Role.ADMIN,
}


def refusals(command: Command) -> set[str]:
    return {
        GUEST,
        f"Vui lòng gửi /{command.value} cho tôi trong chat riêng.",
        "/bind dùng trong nhóm chat: hãy thêm tôi vào nhóm của đơn vị và gửi lệnh trong nhóm.",
        f"Xin lỗi, bạn không dùng được lệnh /{command.value}.",
        "Xin lỗi, bạn không báo cáo tiến độ được trong cuộc trò chuyện này.",
        NOT_IN_CHARGE,
        "Xin lỗi, nút này không dành cho bạn.",
    }


def someone(chat: Chat, audience: Audience) -> User:
    """A fresh person for one cell; members all belong to the unit that leads II.3 (the monitor heads it)."""
    if audience == Audience.GUEST:
        return chat.person("Khách")
    return chat.member(f"Người {audience.value}", ROLES[audience], QLTDC)


def attempt(chat: Chat, user: User, command: Command, group: Group | None) -> list[str]:
    """Uses `command` the way a person would, with arguments that do real work when allowed."""
    text = {
        Command.START: f"/start {chat.invite(Role.STAFF, VAN_PHONG)}",
        Command.HELP: "/help",
        Command.TASKS: "/tasks",
        Command.TASK: "/task II.3",
        Command.UNDO: "/undo",
        Command.PAUSE: "/pause 2026-01-15",
        Command.RESUME: "/resume",
        Command.LANG: "/lang vi",
        Command.WHOAMI: "/whoami",
        Command.EVENT: "/event III.3 2026-03-02 90d Trung ương ban hành Đề án đào tạo nguồn nhân lực",
        Command.BIND: f"/bind {chat.invite(Role.STAFF, QLTDC)}",
        Command.LINK: "/lienket",
        Command.CHANNEL: "/kenh telegram",
    }.get(command)
    if text is not None:
        before = len(chat.audit())
        answers = chat.say(user, text, group=group)
        changed = len(chat.audit()) != before
    elif command == Command.SUMMARY_FILES:  # the /summary report-file button, pressed
        before = len(chat.audit())
        payload = encode(Choice(ChoiceKind.SUMMARY_FILE, file="docx", token="q4/2025"))
        answers = chat.press_payload(user, payload, group=group)
        changed = len(chat.audit()) != before
    else:  # REPORT: a reply to the bot's reminder
        reminder = chat.remind(group or user, "II.3")
        before = len(chat.audit())
        answers = chat.say(user, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder, group=group)
        changed = len(chat.audit()) != before
    return [*answers, "(state changed)"] if changed else answers


def test_the_table_has_a_row_for_every_command_and_chat_kind() -> None:
    assert set(PERMISSIONS) == {(command, kind) for command in Command for kind in ChatKind}


def test_reports_from_any_member_in_any_chat_are_in_the_table() -> None:
    assert all(allowed(Command.REPORT, a, k) for a in Audience if a != Audience.GUEST for k in ChatKind)


@pytest.mark.parametrize("audience", list(Audience))
def test_every_cell_is_enforced(chat: Chat, audience: Audience) -> None:
    wrong: list[str] = []
    for (command, kind), audiences in PERMISSIONS.items():
        user = someone(chat, audience)
        group = chat.group("Nhóm thử") if kind == ChatKind.GROUP else None
        answers = attempt(chat, user, command, group)
        refused = bool(answers) and answers[0] in refusals(command)
        if audience in audiences:
            if not answers or refused:
                wrong.append(f"{command.value}/{kind.value} should be allowed: {answers}")
        elif answers != [answers[0]] or not refused:
            wrong.append(f"{command.value}/{kind.value} should be refused without a change: {answers}")
    assert wrong == []


def test_replies_follow_the_table_too(chat: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PERMISSIONS, (Command.REPORT, ChatKind.GROUP), frozenset({Audience.UNIT_LEAD}))
    group = chat.group("Phòng TĐC")
    reminder = chat.remind(group, "II.3")
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "xong rồi", reply_to=reminder, group=group) == [
        "Xin lỗi, bạn không báo cáo tiến độ được trong cuộc trò chuyện này."
    ]
    assert chat.press(lan, "✅ Đã hoàn thành", group=group) == [
        "Xin lỗi, bạn không báo cáo tiến độ được trong cuộc trò chuyện này."
    ]
    assert chat.reports() == []
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    assert chat.say(son, "xong rồi", reply_to=reminder, group=group) == ["Đã ghi nhận: II.3 — đã hoàn thành."]


def test_every_button_kind_has_a_layout_and_a_row_of_the_table() -> None:
    assert set(CHOICE_COMMANDS) == set(ChoiceKind) == set(LAYOUTS)

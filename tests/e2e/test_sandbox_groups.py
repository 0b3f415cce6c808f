"""What `nhacviec run` gives a unit leader in the sandbox: a group per unit with its leader and staff,
binding it, reminders and replies there; and a sandbox clock that a restart does not put back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from domain.messages import Button, Outgoing, Platform
from models import ChatBinding, ProgressReport
from nhacviec.demo import FIRST_GROUP_ID
from nhacviec.service import Running, start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock
from tests.e2e.test_telegram_sandbox import NOW, remind

TDC_GROUP = FIRST_GROUP_ID  # the first unit's group: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng
STAFF_TDC, LEAD_TDC = 1001, 1002


@pytest.fixture
async def product(db_url: str) -> AsyncIterator[Running]:
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=SandboxClock(NOW), reminders=False)
    try:
        yield running
    finally:
        await running.stop()


def group_of(running: Running, group_id: int) -> dict[str, Any]:
    assert running.sandbox is not None
    return next(g for g in running.sandbox.groups() if g["id"] == group_id)


async def group_reminder(running: Running, task_code: str) -> dict[str, Any]:
    """A reminder to the group about the task's first deadline, as the reminders send to a bound group."""
    assert running.sandbox is not None
    before = max((m["message_id"] for m in running.sandbox.group_chat(TDC_GROUP)), default=0)
    await remind(running, TDC_GROUP, task_code, member_id=None)
    message: dict[str, Any] = await running.sandbox.wait_for_bot_message(TDC_GROUP, after=before, timeout=10)
    return message


async def test_each_unit_has_a_group_with_its_leader_and_staff(product: Running) -> None:
    group = group_of(product, TDC_GROUP)
    assert group["title"] == "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
    assert [(m["name"], m["role"]) for m in group["members"]] == [
        ("Nguyễn Văn An", "staff"),
        ("Trần Thị Bình", "unit_lead"),
    ]
    assert product.sandbox is not None
    units = {p.unit for p in product.people if p.unit is not None and p.role.value in ("staff", "unit_lead")}
    assert len(product.sandbox.groups()) == len(units)


async def test_the_leader_binds_the_group_with_the_code_the_page_shows(product: Running) -> None:
    assert product.sandbox is not None
    box = product.sandbox
    note = group_of(product, TDC_GROUP)["note"]
    code = note.split("/bind ")[1].split(" ")[0]
    assert note == f"Lãnh đạo đơn vị: gửi /bind {code} tại đây để nhóm nhận nhắc việc của đơn vị."
    sent = box.send(LEAD_TDC, f"/bind {code}", chat=TDC_GROUP)
    answer = await box.wait_for_bot_message(TDC_GROUP, after=sent, timeout=10)
    assert answer["text"] == "Từ nay nhóm này nhận nhắc việc của Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng."
    assert answer["to"] == {"id": LEAD_TDC, "name": "Trần Thị Bình"}
    with Session(product.engine) as session:
        assert session.exec(select(ChatBinding.chat_id)).all() == [str(TDC_GROUP)]


async def test_staff_answer_a_group_reminder_and_chatter_stays_private(product: Running) -> None:
    assert product.sandbox is not None
    box = product.sandbox
    reminder = await group_reminder(product, "II.3")
    assert reminder["to"] is None  # to the whole group
    box.send(STAFF_TDC, "chị Bình ơi, việc này em làm nhé", chat=TDC_GROUP)  # not for the bot: privacy mode
    sent = box.send(STAFF_TDC, "đã trình lãnh đạo Sở, đạt 80%", reminder["message_id"], chat=TDC_GROUP)
    answer = await box.wait_for_bot_message(TDC_GROUP, after=sent, timeout=10)
    assert answer["text"] == "Đã ghi nhận: II.3 — đang thực hiện, 80 %."
    assert answer["to"] == {"id": STAFF_TDC, "name": "Nguyễn Văn An"}
    chatter = next(m for m in box.group_chat(TDC_GROUP) if m["text"].startswith("chị Bình"))
    assert chatter["seen_by_bot"] is False
    with Session(product.engine) as session:
        assert [(r.status, r.percent) for r in session.exec(select(ProgressReport))] == [("in_progress", 80)]


async def test_a_report_button_opens_the_choices_in_the_same_message(product: Running) -> None:
    assert product.sandbox is not None
    box = product.sandbox
    reminder = await group_reminder(product, "II.3")
    # A digest's keyboard (one "Báo cáo" button per task) put on the reminder, as a digest would carry.
    prompt_id = int(reminder_prompt_payload(box, reminder["message_id"]).split(":")[1])
    keyboard = ((Button("Báo cáo II.3", f"rc:{prompt_id}"), Button("Báo cáo II.4", "rc:999999")),)
    await product.answer(
        Platform.TELEGRAM,
        Outgoing(chat_id=str(TDC_GROUP), text="", buttons=keyboard, edit_message_id=str(reminder["message_id"])),
    )
    box.press(STAFF_TDC, reminder["message_id"], "Báo cáo II.3", chat=TDC_GROUP)

    def opened() -> dict[str, Any] | None:
        message = next(m for m in box.group_chat(TDC_GROUP) if m["message_id"] == reminder["message_id"])
        return message if "Xong II.3" in message["buttons"] else None

    edited = await box.wait_until(opened, timeout=10)
    assert edited["buttons"] == ["Xong II.3", "Đang làm II.3", "Vướng II.3"]
    assert len(box.group_chat(TDC_GROUP)) == 1  # no new message: the same one, new buttons


def reminder_prompt_payload(box: Any, message_id: int) -> str:
    message = box.state.chats[TDC_GROUP].messages[message_id]
    payload: str = message.reply_markup["inline_keyboard"][0][0]["callback_data"]
    return payload


async def test_a_restart_resumes_the_sandbox_clock_where_it_was(db_url: str) -> None:
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, telegram_token=None)
    later = datetime(2031, 3, 2, 8, 0, tzinfo=VIETNAM)  # far past today: a clock reset would show it
    running = await start(settings, reminders=False)
    try:
        assert running.sandbox is not None
        running.sandbox.clock.set(later)
    finally:
        await running.stop()
    running = await start(settings, reminders=False)
    try:
        assert running.sandbox is not None
        assert running.sandbox.clock.now() >= later
        assert running.sandbox.clock.running
    finally:
        await running.stop()


async def test_a_bound_group_receives_the_units_reminders_when_the_clock_moves(db_url: str) -> None:
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, telegram_token=None)
    # The evening before the first reminder step of the bundled plan's first deadline (I.1, 30/09/2025).
    clock = SandboxClock(datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM))
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        box = running.sandbox
        code = group_of(running, TDC_GROUP)["note"].split("/bind ")[1].split(" ")[0]
        bound = await box.wait_for_bot_message(TDC_GROUP, after=box.send(LEAD_TDC, f"/bind {code}", chat=TDC_GROUP))
        clock.set(datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM))  # 14 days before 30/09, 08:30
        reminder = await box.wait_for_bot_message(TDC_GROUP, after=bound["message_id"], timeout=15)
        assert reminder["text"].startswith("🔔 Nhắc hạn nhiệm vụ I.1 — còn 14 ngày (hạn Thứ Ba, 30/09/2025)")
        assert reminder["to"] is None
        assert reminder["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]
    finally:
        await running.stop()

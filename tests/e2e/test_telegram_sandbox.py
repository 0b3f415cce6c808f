"""The real python-telegram-bot Application against the sandbox: what a person sees in their chat.

Each test starts the whole product as `nhacviec run` does without a token (sandbox on a free port,
simulated people seeded, the bundled plan imported) with the sandbox's clock held still.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from bot.platforms.telegram import TelegramInbound
from bot.platforms.telegram.limits import TelegramLimits
from bot.platforms.telegram.sender import TelegramSender
from bot.platforms.zalo import ZaloInbound
from domain.messages import Platform
from models import Invite, Occurrence, OutboxMessage, OutboxState, PlatformAccount, ProgressReport, Role, Task
from models.db import session_scope
from nhacviec.service import Running, start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock
from sandbox.state import SimPerson
from scheduler.delivery.dispatcher import Dispatcher
from scheduler.delivery.senders import Sender
from tests.bot.chat import queue_reminder

NOW = datetime(2025, 12, 24, 8, 30, tzinfo=VIETNAM)
STAFF_TDC = 1001  # the first simulated person: staff of Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng
GUEST = 5001


@pytest.fixture
async def product(db_url: str) -> AsyncIterator[Running]:
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(
        settings,
        sandbox_clock=SandboxClock(NOW),
        guests=[SimPerson(id=GUEST, name="Phan Thị Hoa", unit=None, role="staff")],
        reminders=False,  # these tests pin what a person sees; reminders have their own test below
    )
    try:
        yield running
    finally:
        await running.stop()


def sandbox(running: Running) -> Any:
    assert running.sandbox is not None
    return running.sandbox


async def say(running: Running, person: int, text: str, reply_to: int | None = None) -> dict[str, Any]:
    box = sandbox(running)
    sent = box.send(person, text, reply_to)
    reply: dict[str, Any] = await box.wait_for_bot_message(person, after=sent, timeout=10)
    return reply


def first_deadline(running: Running, task_code: str) -> int:
    """The id of the task's first deadline (not a check-in)."""
    with Session(running.engine) as session:
        occurrence_id = session.exec(
            select(Occurrence.id)
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(Task.code == task_code, col(Occurrence.checkin).is_(False))
            .order_by(col(Occurrence.due))
        ).first()
    assert occurrence_id is not None
    return occurrence_id


async def remind(
    running: Running, chat: int | str, task_code: str, *, member_id: int | None, platform: Platform = Platform.TELEGRAM
) -> OutboxMessage:
    """A reminder about the task's first deadline, as the reminders send it: its text and buttons queued in
    the outbox (tests/bot/chat.py queue_reminder), then a dispatcher through the platform's sender; the
    row once the dispatcher recorded the platform's answer (a sent reminder's buttons are then the chat's
    open question)."""
    now = sandbox(running).clock.now()
    key = f"e2e:{chat}:{task_code}:{now.isoformat()}"
    with session_scope(running.engine) as session:
        queue_reminder(
            session,
            key=key,
            occurrence_ids=[first_deadline(running, task_code)],
            member_id=member_id,
            platform=platform,
            chat_id=str(chat),
            now=now,
            locale="vi",
        )
    senders = {platform.value: outbox_sender(running, platform)}
    async with Dispatcher(running.engine, senders, clock=lambda: now, name="e2e") as dispatcher:
        await dispatcher.run_until_done()
    with Session(running.engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()


def outbox_sender(running: Running, platform: Platform) -> Sender:
    """The sender the outbox would use for the platform, on the running transport's connection (these
    tests run the product without a dispatcher)."""
    inbound = running.transports[platform.value]
    if isinstance(inbound, TelegramInbound):
        return TelegramSender(inbound.application.bot)
    assert isinstance(inbound, ZaloInbound)
    return inbound.transport.sender


async def prompt(running: Running, person: int, task_code: str) -> dict[str, Any]:
    """Sends the person a reminder about the task's first deadline, as the reminders do; the message."""
    with Session(running.engine) as session:
        member_id = session.exec(select(PlatformAccount.member_id).where(PlatformAccount.user_id == str(person))).one()
    box = sandbox(running)
    before = max((m["message_id"] for m in box.chat(person)), default=0)
    await remind(running, person, task_code, member_id=member_id)
    message: dict[str, Any] = await box.wait_for_bot_message(person, after=before, timeout=10)
    return message


async def test_bot_commands_are_registered_in_vietnamese_and_english(product: Running) -> None:
    box = sandbox(product)
    vietnamese = {c["command"]: c["description"] for c in box.commands("default", "")}
    english = {c["command"]: c["description"] for c in box.commands("default", "en")}
    assert vietnamese["tasks"] == "các việc đang mở của đơn vị bạn"
    assert english["tasks"] == "your units' open tasks"


async def test_joining_with_an_invite(product: Running) -> None:
    from domain.invites import create_invite
    from models.db import session_scope

    with session_scope(product.engine) as session:
        invite = create_invite(
            session, unit_name="Văn phòng Sở", role=Role.STAFF, uses=1, valid_for=None, actor="test", now=NOW
        )
    answer = await say(product, GUEST, f"/start {invite.code}")
    assert answer["text"] == (
        "Chào mừng Phan Thị Hoa! Bạn đã tham gia Văn phòng Sở với vai trò công chức, viên chức.\n"
        "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
    )
    with Session(product.engine) as session:
        assert session.exec(select(Invite.uses_left).where(Invite.code == invite.code)).one() == 0


async def test_a_stranger_gets_the_explanation(product: Running) -> None:
    answer = await say(product, GUEST, "chào anh")
    assert answer["text"].startswith("Xin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch")


async def test_tasks_lists_the_units_work(product: Running) -> None:
    answer = await say(product, STAFF_TDC, "/tasks")
    lines = answer["text"].split("\n")
    assert lines[0] == "Các việc đang mở của đơn vị bạn (19):"
    assert lines[1] == "❌ I.1 — chưa thực hiện · hạn Thứ Ba, 30/09/2025, quá 85 ngày"
    assert "🕒 II.3 — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 7 ngày" in lines


async def test_reply_to_a_prompt_is_recorded_and_confirmed(product: Running) -> None:
    reminder = await prompt(product, STAFF_TDC, "II.3")
    assert reminder["text"].startswith("🔔 Nhắc hạn nhiệm vụ II.3 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)")
    assert reminder["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]
    answer = await say(product, STAFF_TDC, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder["message_id"])
    assert answer["text"] == "Đã ghi nhận: II.3 — đang thực hiện, 80 %."
    assert answer["buttons"] == ["↩️ Rút lại"]


async def test_pressing_a_button_on_the_prompt(product: Running) -> None:
    reminder = await prompt(product, STAFF_TDC, "II.4")
    box = sandbox(product)
    box.press(STAFF_TDC, reminder["message_id"], "✅ Đã hoàn thành")
    answer = await box.wait_for_bot_message(STAFF_TDC, after=reminder["message_id"], timeout=10)
    assert answer["text"] == "Đã ghi nhận: II.4 — đã hoàn thành."
    assert box.unanswered_callbacks() == []


async def test_typing_2_after_which_task_picks_the_second_task(product: Running) -> None:
    await prompt(product, STAFF_TDC, "II.3")
    await prompt(product, STAFF_TDC, "II.4")
    question = await say(product, STAFF_TDC, "đã ban hành kế hoạch số 12/KH-SKHCN")
    assert question["text"] == (
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
        "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 7 ngày\n"
        "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 7 ngày"
    )
    answer = await say(product, STAFF_TDC, "2")
    assert answer["text"] == "Đã ghi nhận: II.3 — đã hoàn thành."
    with Session(product.engine) as session:
        reports = session.exec(
            select(Task.code, ProgressReport.status, ProgressReport.note)
            .join(Occurrence, col(Occurrence.id) == col(ProgressReport.occurrence_id))
            .join(Task, col(Task.id) == col(Occurrence.task_id))
        ).all()
    assert [tuple(r) for r in reports] == [("II.3", "done", "đã ban hành kế hoạch số 12/KH-SKHCN")]


async def test_editing_a_reply_updates_its_report(product: Running) -> None:
    reminder = await prompt(product, STAFF_TDC, "II.5")
    box = sandbox(product)
    sent = box.send(STAFF_TDC, "đang làm 50%", reminder["message_id"])
    await box.wait_for_bot_message(STAFF_TDC, after=sent, timeout=10)
    last = max(m["message_id"] for m in box.chat(STAFF_TDC))
    box.edit(STAFF_TDC, sent, "xong rồi")
    answer = await box.wait_for_bot_message(STAFF_TDC, after=last, timeout=10)
    assert answer["text"] == "Đã cập nhật: II.5 — đã hoàn thành."
    with Session(product.engine) as session:
        reports = session.exec(select(ProgressReport)).all()
    assert [(r.status, r.note) for r in reports] == [("done", "xong rồi")]


async def test_a_long_answer_is_split_at_line_boundaries(product: Running) -> None:
    monitor = next(p.id for p in product.people if p.role == Role.MONITOR)
    box = sandbox(product)
    # The monitor's list of the whole plan is about 2,000 characters; a 400-character platform limit
    # (set on both sides) makes it several messages.
    box.limits = replace(box.limits, text_length=400)
    inbound = product.transports[Platform.TELEGRAM.value]
    assert isinstance(inbound, TelegramInbound)
    inbound.transport.limits = TelegramLimits(text=400)
    sent = box.send(monitor, "/tasks")
    last = await box.wait_for_bot_message(
        monitor, after=sent, timeout=10, match=lambda m: m["text"].endswith("Chi tiết: /task MÃ")
    )
    parts = [m for m in box.chat(monitor) if m["from"] == "bot" and m["message_id"] <= last["message_id"]]
    assert parts[0]["text"].startswith("Các việc đang mở của kế hoạch (21):")
    assert len(parts) >= 4
    assert all(len(m["text"]) <= 400 for m in parts)
    # Split at line boundaries: no line of the list is cut in two.
    assert all(
        line.startswith(("❌", "🕒", "⏸", "⏳", "⚠", "❔", "Các", "Chi"))
        for m in parts
        for line in m["text"].split("\n")
    )


async def test_a_429_is_retried_after_retry_after(product: Running) -> None:
    box = sandbox(product)
    # The storm lasts until the answer has met it once, then lifts: a busy machine may send the answer
    # more than a second late, so a storm of fixed length could end before it began to matter.
    box.faults.storm(seconds=60.0, retry_after=1, now=box.ticker(), methods={"sendMessage"})

    async def lift_after_first_refusal() -> None:
        while not any(e.method == "sendMessage" and e.status == 429 for e in box.exchanges):
            await asyncio.sleep(0.01)
        box.faults.clear()

    lifting = asyncio.create_task(lift_after_first_refusal())
    try:
        answer = await say(product, STAFF_TDC, "/whoami")
        await asyncio.wait_for(lifting, timeout=1)
    finally:
        lifting.cancel()
    assert answer["text"].startswith("<b>Nguyễn Văn An</b>") or answer["text"].startswith("Nguyễn Văn An")
    refused = [e for e in box.exchanges if e.method == "sendMessage" and e.status == 429]
    assert refused, "the first send met the storm"


async def test_a_blocked_person_is_recorded(product: Running, tmp_path: Path) -> None:
    box = sandbox(product)
    box.block(STAFF_TDC)
    await prompt_expecting_nothing(product, STAFF_TDC, "II.3")
    with Session(product.engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.user_id == str(STAFF_TDC))).one()
    assert account.blocked_at is not None


async def prompt_expecting_nothing(running: Running, person: int, task_code: str) -> None:
    """A reminder that the person's chat refuses (403): the row is held, nothing reaches the chat."""
    before = sandbox(running).chat(person)
    row = await remind(running, person, task_code, member_id=None)
    assert row.state == OutboxState.HELD
    assert sandbox(running).chat(person) == before

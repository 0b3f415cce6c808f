"""Both platforms in the product, end to end (issue 21, "Done when"): the whole service as `nhacviec run`
starts it without tokens — the sandbox serving Telegram's and Zalo's Bot APIs, the real clients (python-
telegram-bot, the httpx Zalo client) talking to it — and one script played by a person on each platform:
join with an invite code typed as text, /tasks, the reminder after the sandbox's clock moves, "xong" to
it, "2" to the numbered question "which task?", and the reports on the right tasks in the database. A person with both
accounts gets each reminder once, where /kenh says; a Zalo webhook call without the secret changes
nothing; a Zalo update delivered again is handled once, across a restart of the service."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from domain.invites import create_invite
from models import Invite, Occurrence, OutboxMessage, PlatformAccount, PlatformUpdate, ProgressReport, Role, Task
from models.db import session_scope
from nhacviec.demo import FIRST_ID, ZALO_SEATS, zalo_user_id
from nhacviec.service import Running, start
from nhacviec.settings import Settings
from sandbox.clock import VIETNAM, SandboxClock
from sandbox.server import Sandbox
from sandbox.state import SimPerson
from tests.e2e.support import free_port

TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
STAFF_TDC = 1001  # on Telegram
ZALO_STAFF = FIRST_ID + ZALO_SEATS[0]  # staff of the second unit, seeded on Zalo by `make run`
GUEST_ON_ZALO = 5101
GUEST_ON_TELEGRAM = 5102
EVENING = datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM)
# The bundled plan's I.1 (due 30/09/2025) is reminded to its lead unit at 08:30 on these days.
FIRST_STEP = datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM)
SECOND_STEP = datetime(2025, 9, 23, 8, 30, tzinfo=VIETNAM)
SECRET = "bi-mat_So-KHCN_2026"
ZALO_HEADER = "X-Bot-Api-Secret-Token"


def box_of(running: Running) -> Sandbox:
    assert running.sandbox is not None
    return running.sandbox


@dataclass
class Side:
    """One person on one platform of the sandbox: what they write, what the bot answers there."""

    box: Sandbox
    person: int
    platform: str

    def sent_ids(self) -> list[Any]:
        chat = self.box.zalo_chat(self.person) if self.platform == "zalo" else self.box.chat(self.person)
        return [message["message_id"] for message in chat]

    def bot_texts(self) -> list[str]:
        chat = self.box.zalo_chat(self.person) if self.platform == "zalo" else self.box.chat(self.person)
        return [str(message["text"]) for message in chat if message["from"] == "bot"]

    async def say(self, text: str) -> dict[str, Any]:
        """Sends `text` (never as a reply: Zalo has none) and returns the bot's first answer to it."""
        if self.platform == "zalo":
            sent_zalo = self.box.zalo_send(self.person, text)
            return await self.box.wait_for_zalo_message(self.person, after=sent_zalo, timeout=20)
        sent = self.box.send(self.person, text)
        return await self.box.wait_for_bot_message(self.person, after=sent, timeout=20)

    async def wait_for(self, fragment: str) -> dict[str, Any]:
        """The first bot message holding `fragment`, once it is there (it may be already)."""

        def probe() -> dict[str, Any] | None:
            chat = self.box.zalo_chat(self.person) if self.platform == "zalo" else self.box.chat(self.person)
            return next((m for m in chat if m["from"] == "bot" and fragment in str(m["text"])), None)

        found: dict[str, Any] = await self.box.wait_until(probe, timeout=20)
        return found


def invite_code(engine: Engine, *, uses: int = 1, now: datetime = EVENING) -> str:
    with session_scope(engine) as session:
        return create_invite(
            session, unit_name=TDC, role=Role.STAFF, uses=uses, valid_for=None, actor="test", now=now
        ).code


def reports_of(engine: Engine, user_id: str) -> list[tuple[str, str | None, str]]:
    """(task, status, platform) of each report the account's member made, oldest first."""
    with Session(engine) as session:
        member_id = session.exec(select(PlatformAccount.member_id).where(PlatformAccount.user_id == user_id)).one()
        rows = session.exec(
            select(Task.code, ProgressReport.status, ProgressReport.platform)
            .join(Occurrence, col(Occurrence.id) == col(ProgressReport.occurrence_id))
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(ProgressReport.member_id == member_id)
            .order_by(col(ProgressReport.id))
        ).all()
    return [(code, status, platform) for code, status, platform in rows]


@dataclass
class Product:
    running: Running
    clock: SandboxClock

    @property
    def box(self) -> Sandbox:
        return box_of(self.running)


@pytest.fixture
async def product(tmp_path: Path) -> AsyncIterator[Product]:
    clock = SandboxClock(EVENING)
    settings = Settings(db_url=f"sqlite:///{tmp_path}/both.db", sandbox_port=0, http_port=0)
    guests = [
        SimPerson(id=GUEST_ON_ZALO, name="Phan Thị Hoa", unit=None, role="staff", platform="zalo"),
        SimPerson(id=GUEST_ON_TELEGRAM, name="Võ Văn Khải", unit=None, role="staff"),
    ]
    running = await start(settings, sandbox_clock=clock, guests=guests)
    try:
        yield Product(running, clock)
    finally:
        await running.stop()


async def test_without_tokens_both_platforms_run_in_the_sandbox_with_seeded_zalo_people(product: Product) -> None:
    assert sorted(product.running.transports) == ["telegram", "zalo"]
    assert sorted(product.running.outbounds) == ["telegram", "zalo"]
    on_zalo = [p for p in product.box.state.people.values() if p.platform == "zalo" and p.id < GUEST_ON_ZALO]
    assert [(p.id, p.role, p.zalo_user_id) for p in on_zalo] == [
        (FIRST_ID + seat, "staff", zalo_user_id(FIRST_ID + seat)) for seat in ZALO_SEATS
    ]
    answer = await Side(product.box, ZALO_STAFF, "zalo").say("/whoami")
    assert answer["platform"] == "zalo"
    assert answer["text"].startswith("Lê Minh Châu")


@pytest.mark.parametrize(("person", "platform"), [(GUEST_ON_ZALO, "zalo"), (GUEST_ON_TELEGRAM, "telegram")])
async def test_a_person_joins_lists_tasks_is_reminded_and_reports(product: Product, person: int, platform: str) -> None:
    side = Side(product.box, person, platform)
    name = product.box.state.person(person).name
    welcome = await side.say(invite_code(product.running.engine))  # the code alone, as Zalo people send it
    assert welcome["text"].startswith(f"Chào mừng {name}! Bạn đã tham gia {TDC} với vai trò công chức, viên chức.")

    tasks = await side.say("/tasks")
    assert tasks["text"].startswith("Các việc đang mở của đơn vị bạn (")
    assert "🕒 I.1 — chưa đến hạn · hạn Thứ Ba, 30/09/2025, còn 29 ngày" in tasks["text"]

    product.clock.set(FIRST_STEP)
    reminder = await side.wait_for("Nhắc hạn nhiệm vụ I.1")
    assert "còn 14 ngày (hạn Thứ Ba, 30/09/2025)" in reminder["text"]
    dispatcher = product.running.dispatcher
    assert dispatcher is not None
    # Sent and acknowledged: its choices are the chat's open question (a person reads before answering).
    await dispatcher.run_until_done()
    if platform == "zalo":
        assert reminder["buttons"] == []
        assert reminder["text"].endswith(
            "1. ✅ Đã hoàn thành\n2. ⏳ Đang thực hiện\n3. ⚠️ Có vướng mắc\nTrả lời 1, 2 hoặc 3."
        )
    else:
        assert reminder["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]

    done = await side.say("xong")  # not a reply (Zalo has none): the reminder's one task
    assert done["text"].startswith("Đã ghi nhận: I.1 — đã hoàn thành.")
    # Not about the reminder, and the unit has more open tasks: the bot asks which, numbered.
    asked = await side.say("đã trình lãnh đạo Sở, đạt 80%")
    lines = asked["text"].split("\n")
    assert lines[:3] == [
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:",
        "1. I.2 — hạn Thứ Ba, 30/09/2025, còn 14 ngày",
        "2. I.4 — hạn Thứ Ba, 30/09/2025, còn 14 ngày",
    ]
    picked = await side.say("2")
    assert picked["text"].startswith("Đã ghi nhận: I.4 — đang thực hiện, 80 %.")
    user_id = product.box.state.person(person).zalo_user_id if platform == "zalo" else str(person)
    assert reports_of(product.running.engine, user_id) == [("I.1", "done", platform), ("I.4", "in_progress", platform)]


async def test_a_person_with_both_accounts_gets_each_reminder_once_on_the_chosen_platform(product: Product) -> None:
    box = product.box
    box.set_platform(STAFF_TDC, "zalo")  # Nguyễn Văn An opens Zalo too
    telegram, zalo = Side(box, STAFF_TDC, "telegram"), Side(box, STAFF_TDC, "zalo")
    offer = await telegram.say("/lienket")
    found = re.search(r"/lienket (\S+)\.$", offer["text"])
    assert found is not None
    linked = await zalo.say(found.group(1))
    assert linked["text"].startswith("Đã liên kết")
    chosen = await zalo.say("/kenh telegram")
    assert chosen["text"].startswith("Đã lưu. Tin nhắc đến bạn qua Telegram, theo lựa chọn của bạn.")

    dispatcher = product.running.dispatcher
    assert dispatcher is not None
    product.clock.set(FIRST_STEP)
    await telegram.wait_for("Nhắc hạn nhiệm vụ I.1 — còn 14 ngày")
    await dispatcher.run_until_done()
    chosen = await zalo.say("/kenh zalo")
    assert chosen["text"].startswith("Đã lưu. Tin nhắc đến bạn qua Zalo, theo lựa chọn của bạn.")
    product.clock.set(SECOND_STEP)
    await zalo.wait_for("🔔 Nhắc việc Thứ Ba, 23/09/2025: 6 nhiệm vụ cần lưu ý\n• I.1 — còn 7 ngày")
    await dispatcher.run_until_done()

    def reminders(side: Side) -> list[str]:
        return [text.split("\n")[0] for text in side.bot_texts() if text.startswith("🔔")]

    assert reminders(telegram) == ["🔔 Nhắc hạn nhiệm vụ I.1 — còn 14 ngày (hạn Thứ Ba, 30/09/2025)"]
    assert reminders(zalo) == ["🔔 Nhắc việc Thứ Ba, 23/09/2025: 6 nhiệm vụ cần lưu ý"]
    with Session(product.running.engine) as session:
        chats = session.exec(
            select(OutboxMessage.platform, OutboxMessage.chat_id).where(
                col(OutboxMessage.chat_id).in_([str(STAFF_TDC), box.zalo_id(STAFF_TDC)])
            )
        ).all()
    assert sorted(chats) == [("telegram", str(STAFF_TDC)), ("zalo", box.zalo_id(STAFF_TDC))]


# ---- a Zalo webhook --------------------------------------------------------------------------------


@pytest.fixture
async def webhook_mode(tmp_path: Path) -> AsyncIterator[Running]:
    # The webhook URL is the service's own loopback server, as a reverse proxy would forward it.
    port = free_port()
    settings = Settings(
        db_url=f"sqlite:///{tmp_path}/webhook.db",
        sandbox_port=0,
        http_port=port,
        webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret=SECRET,
    )
    running = await start(settings, sandbox_clock=SandboxClock(EVENING), reminders=False)
    try:
        yield running
    finally:
        await running.stop()


def forged_zalo_update(box: Sandbox, person: int, text: str) -> dict[str, Any]:
    zalo_id = box.zalo_id(person)
    return {
        "event_name": "message.text.received",
        "message": {
            "message_id": "f0f0f0f0f0f0f0f0f0f0",
            "from": {"id": zalo_id, "display_name": "Lê Minh Châu", "is_bot": False},
            "chat": {"id": zalo_id, "chat_type": "PRIVATE"},
            "date": int(EVENING.timestamp() * 1000),
            "text": text,
        },
    }


async def test_zalo_posts_updates_to_the_webhook_with_the_secret(webhook_mode: Running) -> None:
    box = box_of(webhook_mode)
    assert webhook_mode.ops is not None
    assert box.zalo_webhook()["url"] == f"{webhook_mode.ops.url}/webhook/zalo"
    answer = await Side(box, ZALO_STAFF, "zalo").say("/tasks")
    assert answer["text"].startswith("Các việc đang mở của đơn vị bạn (")
    # The sandbox records a call once the service answered it (after the answer to /tasks went out).
    calls = await box.wait_until(lambda: box.zalo_webhook()["calls"] or None)
    assert [(call["secret_header"], call["status"]) for call in calls] == [(SECRET, 200)]
    assert "getUpdates" not in {exchange.method for exchange in box.zalo_exchanges}


async def test_a_zalo_webhook_call_without_the_secret_is_refused_and_changes_nothing(webhook_mode: Running) -> None:
    box = box_of(webhook_mode)
    assert webhook_mode.ops is not None
    url = f"{webhook_mode.ops.url}/webhook/zalo"
    forged = forged_zalo_update(box, ZALO_STAFF, "/lang en")
    async with httpx.AsyncClient() as client:
        for headers in ({}, {ZALO_HEADER: "doan-mo-sai"}, {"X-Telegram-Bot-Api-Secret-Token": SECRET}):
            refused = await client.post(url, json=forged, headers=headers)
            assert refused.status_code == 401
        with Session(webhook_mode.engine) as session:
            assert session.exec(select(PlatformUpdate)).all() == []
        # Still Vietnamese: the forged /lang never reached the bot.
        side = Side(box, ZALO_STAFF, "zalo")
        reply = await side.say("/tasks")
        assert reply["text"].startswith("Các việc đang mở của đơn vị bạn (")
        assert side.bot_texts()[0] == reply["text"]
        # The same request with the secret is taken: the test could see a change.
        taken = await client.post(url, json=forged, headers={ZALO_HEADER: SECRET})
        assert taken.status_code == 200
    switched = await side.wait_for("Language set: English.")
    assert switched["text"] == "Language set: English."


# ---- a redelivered Zalo update, across a restart -------------------------------------------------------


async def test_a_redelivered_zalo_update_is_handled_once_across_a_restart(tmp_path: Path) -> None:
    """Zalo-only service (its token set, no Telegram token) against a sandbox that outlives it."""
    box = Sandbox([SimPerson(id=GUEST_ON_ZALO, name="Phan Thị Hoa", unit=None, role="staff", platform="zalo")])
    await box.start("127.0.0.1", 0)
    settings = Settings(
        db_url=f"sqlite:///{tmp_path}/redeliver.db",
        http_port=0,
        zalo_token="1459232241454765289:ThuNghiemNhacViec",
        zalo_base_url=box.zalo_base_url,
    )
    side = Side(box, GUEST_ON_ZALO, "zalo")
    try:
        running = await start(settings, reminders=False)
        try:
            assert list(running.transports) == ["zalo"]  # no Telegram token: Telegram does not run
            code = invite_code(running.engine, uses=2, now=datetime.now(UTC))
            welcome = await side.say(code)
            assert welcome["text"].startswith(f"Chào mừng Phan Thị Hoa! Bạn đã tham gia {TDC}")
        finally:
            await running.stop()
        joined = side.sent_ids()[0]

        running = await start(settings, reminders=False)
        try:
            box.zalo_redeliver(joined)  # Zalo delivers the invite code again, same message_id
            after = await side.say("/whoami")  # handled after the redelivered one: updates come in order
            assert after["text"].startswith("Phan Thị Hoa")
            assert box.pending_zalo_updates == []
        finally:
            await running.stop()
        with Session(running.engine) as session:
            assert session.exec(select(Invite.uses_left).where(Invite.code == code)).one() == 1
            claimed = session.exec(select(PlatformUpdate.update_id).where(PlatformUpdate.platform == "zalo")).all()
        assert joined in claimed
        assert [text for text in side.bot_texts() if text.startswith("Chào mừng")] == [welcome["text"]]
        assert len(side.bot_texts()) == 2  # the welcome and /whoami's answer: nothing for the redelivery
    finally:
        await box.stop()

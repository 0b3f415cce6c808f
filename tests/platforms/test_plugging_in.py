"""Adding a chat platform is one folder and one line of wiring (issue 21 item 3): the fake platform of
tests/platforms/fake/ joins the registry with `platforms=(*PLATFORMS, fake)` and nothing else changes.
A person on it joins with an invite, gets the dispatcher's reminder, and their reply reaches the
conversation and is recorded on the right task. Also: what the service does with outbox rows of a
platform it does not run."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from domain.invites import create_invite
from domain.messages import ChatKind
from models import Occurrence, OutboxMessage, PlatformAccount, ProgressReport, Role, Task, db
from models.db import session_scope
from nhacviec.platforms import PLATFORMS
from nhacviec.service import Running, start
from nhacviec.settings import Settings
from nhacviec.workers import refuse_unserved
from sandbox.clock import VIETNAM, SandboxClock
from scheduler.delivery import outbox
from scheduler.delivery.dispatch_settings import DispatchSettings
from tests.platforms.fake import FakePlatform

TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
KHOA = "fk-7731"  # the person's id (and private chat) on the fake platform
EVENING = datetime(2025, 9, 1, 20, 0, tzinfo=VIETNAM)
# The first reminder step of the bundled plan's first deadline (I.1, 30/09/2025): 14 days before, 08:30.
REMINDER_MORNING = datetime(2025, 9, 16, 8, 30, tzinfo=VIETNAM)
# A platform added later brings its send limits as a setting (`DispatchSettings.extra_platforms`, where the
# dispatcher learns them): without them the dispatcher refuses the platform's sender.
DISPATCH = DispatchSettings.model_validate(
    {"extra_platforms": {"fake": {"overall_per_second": 30.0, "private_per_second": 1.0}}}
)


@dataclass
class Product:
    running: Running
    fake: FakePlatform
    clock: SandboxClock


@pytest.fixture
async def product(tmp_path: Path) -> AsyncIterator[Product]:
    fake = FakePlatform()
    clock = SandboxClock(EVENING)
    settings = Settings(
        db_url=f"sqlite:///{tmp_path}/fake.db", sandbox_port=0, http_port=0, telegram_token=None, dispatch=DISPATCH
    )
    # The one line that plugs the platform in.
    running = await start(settings, sandbox_clock=clock, platforms=(*PLATFORMS, fake))
    try:
        yield Product(running, fake, clock)
    finally:
        await running.stop()


def invite_code(engine: Engine) -> str:
    with session_scope(engine) as session:
        invite = create_invite(
            session, unit_name=TDC, role=Role.STAFF, uses=1, valid_for=None, actor="test", now=EVENING
        )
    return invite.code


async def test_a_person_on_a_platform_plugged_in_by_one_line_joins_is_reminded_and_reports(product: Product) -> None:
    network = product.fake.network
    welcome = await network.person_says(KHOA, "Phan Văn Khoa", invite_code(product.running.engine))
    assert welcome[0].startswith(f"Chào mừng Phan Văn Khoa! Bạn đã tham gia {TDC}")

    product.clock.set(REMINDER_MORNING)
    reminder = await network.wait_for(KHOA, "Nhắc hạn nhiệm vụ I.1")
    assert "còn 14 ngày (hạn Thứ Ba, 30/09/2025)" in reminder
    assert reminder.endswith("1. ✅ Đã hoàn thành\n2. ⏳ Đang thực hiện\n3. ⚠️ Có vướng mắc")

    answer = await network.person_says(KHOA, "Phan Văn Khoa", "xong rồi")
    assert answer == ["Đã ghi nhận: I.1 — đã hoàn thành.\n1. ↩️ Rút lại"]
    with Session(product.running.engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.user_id == KHOA)).one()
        assert (account.platform, account.private_chat_id) == ("fake", KHOA)
        report = session.exec(select(ProgressReport).where(ProgressReport.member_id == account.member_id)).one()
        task = session.exec(
            select(Task.code)
            .join(Occurrence, col(Occurrence.task_id) == col(Task.id))
            .where(Occurrence.id == report.occurrence_id)
        ).one()
        assert (task, report.status, report.platform, report.note) == ("I.1", "done", "fake", "xong rồi")
        rows = session.exec(select(OutboxMessage.state).where(OutboxMessage.platform == "fake")).all()
        assert rows == ["sent"]


async def test_rows_for_a_platform_not_configured_are_refused_at_start_and_kept(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with session_scope(engine) as session:
        for number in (1, 2):
            outbox.enqueue(
                session,
                key=f"test:viber:{number}",
                platform="viber",
                chat_id=f"vb-{number}",
                chat_kind=ChatKind.PRIVATE,
                text="🔔 Nhắc hạn nhiệm vụ I.1",
                due_at=EVENING,
                now=EVENING,
            )
    with caplog.at_level(logging.WARNING, logger="nhacviec.workers"):
        assert refuse_unserved(engine, ["telegram", "zalo"]) == {"viber": 2}
    assert caplog.messages == [
        "outbox: 2 message(s) for platform 'viber' are not sent: that platform is not configured here "
        "(no token for it); they wait until a dispatcher with it runs"
    ]
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage.state).where(OutboxMessage.platform == "viber")).all() == [
            "pending",
            "pending",
        ]


async def test_the_service_refuses_at_start_the_rows_of_platforms_it_does_not_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_url = f"sqlite:///{tmp_path}/alone.db"
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key="test:zalo:1",
            platform="zalo",
            chat_id="e4ea2cd5189df1c3a88c",
            chat_kind=ChatKind.PRIVATE,
            text="🔔 Nhắc hạn nhiệm vụ I.1",
            due_at=EVENING,
            now=EVENING,
        )
    engine.dispose()
    settings = Settings(db_url=db_url, sandbox_port=0, http_port=0, dispatch=DISPATCH)
    with caplog.at_level(logging.WARNING, logger="nhacviec.workers"):
        running = await start(settings, sandbox_clock=SandboxClock(EVENING), platforms=(FakePlatform(),))
        try:
            assert list(running.transports) == ["fake"]
        finally:
            await running.stop()
    assert caplog.messages == [
        "outbox: 1 message(s) for platform 'zalo' are not sent: that platform is not configured here "
        "(no token for it); they wait until a dispatcher with it runs"
    ]
    engine = db.make_engine(db_url)
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage.state).where(OutboxMessage.platform == "zalo")).all() == ["pending"]
    engine.dispose()

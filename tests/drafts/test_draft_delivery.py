"""The draft reaches the monitor's chat: outbox rows with a file go out with `sendDocument` through the
real TelegramSender and the dispatcher, into the sandbox — with the same error handling as messages."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.platforms.telegram.sender import TelegramSender, telegram_sender
from domain.messages import Attachment, ChatKind
from models import OutboxMessage, OutboxState, PlatformAccount
from models.db import session_scope
from nhacviec.demo import SimulatedPerson
from nhacviec.service import start
from nhacviec.settings import Settings
from sandbox import Limits, Sandbox, SandboxClock, SimPerson
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings
from scheduler.delivery.senders import Permanent, Sent
from scheduler.reminders.draft_enqueue import DOCX_MIME, enqueue_drafts
from tests.dispatch.support import FakeTime
from tests.drafts.conftest import VN

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

FAST = DispatchSettings(
    backoff_base_seconds=60.0, backoff_cap_seconds=600.0, retry_horizon_seconds=3 * 3600.0, poll_seconds=5.0
)
NOW = datetime(2026, 11, 9, 8, 30, tzinfo=VN)  # Monday: five working days before Sunday 15/11/2026
MONITOR = 1011
STAFF_TDC = 1001
HEADER = (
    "📝 Dự thảo báo cáo kết quả thực hiện kế hoạch — Năm 2026\nHạn báo cáo: Chủ Nhật, 15/11/2026 (còn 5 ngày làm việc)."
)
CAPTION = "📄 Dự thảo báo cáo — Năm 2026 (.docx)"


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def box(people: list[SimulatedPerson], fake: FakeTime) -> AsyncIterator[Sandbox]:
    persons = [SimPerson(id=p.id, name=p.name, unit=p.unit, role=p.role.value) for p in people]
    sandbox = Sandbox(persons, clock=SandboxClock(NOW), limits=Limits(), ticker=fake)
    await sandbox.start("127.0.0.1", 0)
    try:
        yield sandbox
    finally:
        await sandbox.stop()


@pytest.fixture
async def sender(box: Sandbox) -> AsyncIterator[TelegramSender]:
    made = telegram_sender("123456:TEST", base_url=box.base_url, settings=FAST)
    await made.bot.initialize()
    try:
        yield made
    finally:
        await made.bot.shutdown()


def dispatcher(engine: Engine, sender: TelegramSender, box: Sandbox, fake: FakeTime) -> Dispatcher:
    return Dispatcher(
        engine, {"telegram": sender}, settings=FAST, clock=box.clock.now, ticker=fake, sleep=fake.sleep, name="d1"
    )


def rows(engine: Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))}


def stored_file(box: Sandbox, chat: int, message_id: int) -> bytes:
    stored = box.state.chats[chat].messages[message_id].file
    assert stored is not None
    return stored.data


def queue_file(engine: Engine, key: str, chat: int, caption: str, content: bytes = b"%PDF-1.4 bao cao") -> None:
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key=key,
            platform="telegram",
            chat_id=str(chat),
            chat_kind=ChatKind.PRIVATE,
            text=caption,
            due_at=NOW,
            now=NOW,
            attachment=Attachment("bao-cao-quy-4-2026.pdf", content, "application/pdf"),
        )


async def test_the_monitor_receives_the_summary_then_the_docx_in_the_sandbox(
    engine: Engine, people: list[SimulatedPerson], box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    with session_scope(engine) as session:
        assert enqueue_drafts(session, now=NOW, working_days_before=5).messages == 2
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    seen = [m for m in box.chat(MONITOR) if m["from"] == "bot"]
    assert len(seen) == 2
    text, document = seen
    assert text["text"].startswith(HEADER) and "document" not in text
    assert document["text"] == CAPTION
    assert document["document"]["file_name"] == "tong-hop-nam-2026.docx"
    assert document["document"]["mime_type"] == DOCX_MIME
    paragraphs = [p.text for p in Document(io.BytesIO(stored_file(box, MONITOR, document["message_id"]))).paragraphs]
    assert paragraphs[0] == "BÁO CÁO"
    assert paragraphs[1].startswith(
        "Kết quả thực hiện Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND"
    )
    sent = {key.rsplit(":", 1)[1]: row for key, row in rows(engine).items() if key.startswith("draft:")}
    assert sent["text"].state == sent["docx"].state == OutboxState.SENT
    assert sent["text"].platform_message_id == str(text["message_id"])
    assert sent["docx"].platform_message_id == str(document["message_id"])
    assert [e.method for e in box.exchanges if e.method in ("sendMessage", "sendDocument")] == [
        "sendMessage",
        "sendDocument",
    ]


async def test_a_429_on_the_document_is_waited_out_and_it_arrives_once(
    engine: Engine, people: list[SimulatedPerson], box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    queue_file(engine, "f1", MONITOR, "📄 Báo cáo quý IV/2026 (<b>.pdf</b>)")
    box.faults.storm(seconds=5, retry_after=2, methods={"senddocument"})
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    statuses = [e.status for e in box.exchanges if e.method == "sendDocument"]
    assert statuses.count(429) >= 1 and statuses.count(200) == 1
    (arrived,) = [m for m in box.chat(MONITOR) if m["from"] == "bot"]
    assert arrived["text"] == "📄 Báo cáo quý IV/2026 (.pdf)" and "<b>.pdf</b>" in arrived["html"]
    assert arrived["document"]["file_name"] == "bao-cao-quy-4-2026.pdf"
    assert arrived["document"]["mime_type"] == "application/pdf"
    row = rows(engine)["f1"]
    assert row.state == OutboxState.SENT and row.attempts == 1


async def test_a_monitor_who_blocked_the_bot_is_recorded_for_a_document_too(
    engine: Engine, people: list[SimulatedPerson], box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    box.block(MONITOR)
    queue_file(engine, "f1", MONITOR, "📄 Báo cáo quý IV/2026")
    async with dispatcher(engine, sender, box, fake) as d:
        await d.run_until_done()
    row = rows(engine)["f1"]
    assert row.state == OutboxState.HELD and "blocked" in (row.last_error or "")
    with Session(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == str(MONITOR))).one()
        assert account.blocked_at == NOW
    assert d.counters.blocked == 1


async def test_a_caption_too_long_for_telegram_goes_partly_with_the_file_and_the_rest_after_it(
    box: Sandbox, sender: TelegramSender
) -> None:
    # A row may carry any text with its file: Telegram's 1024-character caption is the sender's concern.
    paragraphs = ["<b>Dự thảo báo cáo — Năm 2026</b>", "Phần " + "một " * 240, "Phần " + "hai " * 100]
    row = OutboxMessage(
        idempotency_key="long",
        platform="telegram",
        chat_id=str(MONITOR),
        text="\n\n".join(paragraphs),
        due_at=NOW,
        created_at=NOW,
        attachment_filename="tong-hop-nam-2026.docx",
        attachment_mime_type=DOCX_MIME,
        attachment_content=b"PK\x03\x04 not really a docx",
    )
    result = await sender.send(row)
    document, rest = box.chat(MONITOR)[-2:]
    assert isinstance(result, Sent) and result.message_id == str(rest["message_id"])
    assert document["document"]["file_name"] == "tong-hop-nam-2026.docx"
    assert document["text"] == "Dự thảo báo cáo — Năm 2026\n\n" + paragraphs[1].strip()
    assert rest["text"] == paragraphs[2].strip()


async def test_a_row_that_is_not_the_neutral_markup_fails_at_once(box: Sandbox, sender: TelegramSender) -> None:
    # The outbox refuses such a text; one written some other way is refused by the sender, not retried.
    row = OutboxMessage(
        idempotency_key="bad",
        platform="telegram",
        chat_id=str(MONITOR),
        text="<b>Dự thảo báo cáo",
        due_at=NOW,
        created_at=NOW,
        attachment_filename="tong-hop-nam-2026.docx",
        attachment_mime_type=DOCX_MIME,
        attachment_content=b"PK\x03\x04 not really a docx",
    )
    result = await sender.send(row)
    assert isinstance(result, Permanent) and "cannot render the message: unclosed <b>" in result.error
    assert box.chat(MONITOR) == []


def test_the_outbox_takes_a_file_with_a_name_a_type_and_some_content(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    queue_file(engine, "fits", MONITOR, "<i>📄 Báo cáo quý 4/2026</i>")
    with pytest.raises(ValueError, match="a file needs"):
        queue_file(engine, "empty", MONITOR, "📄", content=b"")
    assert list(rows(engine)) == ["fits"]


async def test_the_running_service_sends_the_draft_when_the_clock_reaches_its_morning(tmp_path: Path) -> None:
    # 15/11/2025 is a Saturday; with three working days the draft day is Wednesday 12/11/2025.
    settings = Settings(
        db_url=f"sqlite:///{tmp_path}/drafts.db",
        sandbox_port=0,
        http_port=0,
        telegram_token=None,
        report_draft_working_days=3,
    )
    clock = SandboxClock(datetime(2025, 11, 11, 20, 0, tzinfo=VN))
    running = await start(settings, sandbox_clock=clock)
    try:
        assert running.sandbox is not None
        box = running.sandbox
        assert [m for m in box.chat(MONITOR) if "document" in m] == []
        clock.set(datetime(2025, 11, 12, 8, 30, tzinfo=VN))
        document = await box.wait_for_bot_message(MONITOR, after=0, timeout=30, match=lambda m: "document" in m)
        assert document["text"] == "📄 Dự thảo báo cáo — Năm 2025 (.docx)"
        assert document["document"]["file_name"] == "tong-hop-nam-2025.docx"
        summary = [m for m in box.chat(MONITOR) if m["text"].startswith("📝 Dự thảo báo cáo")]
        assert len(summary) == 1
        assert "Hạn báo cáo: Thứ Bảy, 15/11/2025 (còn 3 ngày làm việc)." in summary[0]["text"]
        assert summary[0]["message_id"] < document["message_id"]
        assert [m for m in box.chat(STAFF_TDC) if "document" in m] == []
    finally:
        await running.stop()

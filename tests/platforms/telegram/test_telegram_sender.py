"""TelegramSender against the sandbox: outbox rows and the transport's answers take the same rendering and
the same reading of Telegram's answers; the answers count against the limiter they are given (the
dispatcher's), and a 403 on an answer is recorded as the outbox records one. Wall time is fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.conversation import Conversation
from bot.platforms.telegram.limits import TelegramLimits
from bot.platforms.telegram.sender import TelegramSender, make_bot
from bot.platforms.telegram.transport import AnswerNotSent, TelegramTransport
from domain.messages import Attachment, Button, ChatKind, Outgoing
from domain.payloads import Choice, ChoiceKind, encode
from models import AuditLog, OutboxMessage, PlatformAccount, ReportStatus
from sandbox import Sandbox
from scheduler.delivery.dispatcher import Dispatcher
from scheduler.delivery.ratelimit import TELEGRAM_LIMITS, RateLimiter
from scheduler.delivery.senders import Blocked, Permanent, RetryAfter, Sent
from tests.dispatch.support import LEAD, NOW, STAFF, FakeTime, queue, seed_unit, serving

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DONE = encode(Choice(ChoiceKind.PROMPT, (41,), ReportStatus.DONE))
BLOCKED = encode(Choice(ChoiceKind.PROMPT, (41,), ReportStatus.BLOCKED))
LONG = "<b>Nhắc việc II.3\n\nhạn 31/12/2025</b>\n\nTrả lời tin nhắn này để báo cáo tiến độ."


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def box(fake: FakeTime) -> AsyncIterator[Sandbox]:
    async with serving(fake) as sandbox:
        yield sandbox


@pytest.fixture
def limiter(fake: FakeTime) -> RateLimiter:
    return RateLimiter(TELEGRAM_LIMITS, ticker=fake, sleep=fake.sleep)


@pytest.fixture
async def sender(box: Sandbox, engine: Engine, fake: FakeTime, limiter: RateLimiter) -> AsyncIterator[TelegramSender]:
    made = TelegramSender(
        make_bot("123456:TEST", base_url=box.base_url),
        limits=TelegramLimits(text=40, caption=20),
        engine=engine,
        clock=lambda: NOW,
        reply_limiter=limiter,
        sleep=fake.sleep,
        ticker=fake,
    )
    await made.bot.initialize()
    try:
        yield made
    finally:
        await made.bot.shutdown()


def row(text: str, **fields: Any) -> OutboxMessage:
    values: dict[str, Any] = {
        "id": 7,
        "idempotency_key": "nhac-ii3",
        "platform": "telegram",
        "chat_id": str(STAFF),
        "text": text,
        "buttons": [],
        "due_at": NOW,
        "created_at": NOW,
    }
    values.update(fields)
    return OutboxMessage(**values)


def bot_messages(box: Sandbox, chat: int) -> list[tuple[str, list[str], int | None]]:
    """(text shown, button labels, replied-to id) of the bot's messages in the chat, oldest first."""
    return [(m["text"], m["buttons"], m["reply_to"]) for m in box.chat(chat) if m["from"] == "bot"]


# ---- one rendering for both paths --------------------------------------------------------------------------


async def test_a_long_row_goes_in_parts_with_its_buttons_under_the_last(box: Sandbox, sender: TelegramSender) -> None:
    buttons = [[{"label": "✅ Đã hoàn thành", "payload": DONE}, {"label": "⚠️ Có vướng mắc", "payload": BLOCKED}]]
    result = await sender.send(row(LONG, buttons=buttons))
    last = box.chat(STAFF)[-1]
    assert result == Sent(str(last["message_id"]))
    assert bot_messages(box, STAFF) == [
        ("Nhắc việc II.3\n\nhạn 31/12/2025", [], None),
        ("Trả lời tin nhắn này để báo cáo tiến độ.", ["✅ Đã hoàn thành", "⚠️ Có vướng mắc"], None),
    ]
    assert box.chat(STAFF)[0]["html"] == "<b>Nhắc việc II.3\n\nhạn 31/12/2025</b>"


async def test_a_long_answer_goes_the_same_way_replying_with_its_first_part(
    box: Sandbox, sender: TelegramSender
) -> None:
    asked = box.send(STAFF, "/task II.3")
    answer = Outgoing(
        chat_id=str(STAFF),
        text=LONG,
        buttons=((Button("✅ Đã hoàn thành", DONE), Button("⚠️ Có vướng mắc", BLOCKED)),),
        reply_to_message_id=str(asked),
    )
    assert isinstance(await sender.send_outgoing(answer), Sent)
    assert bot_messages(box, STAFF) == [
        ("Nhắc việc II.3\n\nhạn 31/12/2025", [], asked),
        ("Trả lời tin nhắn này để báo cáo tiến độ.", ["✅ Đã hoàn thành", "⚠️ Có vướng mắc"], None),
    ]


async def test_a_row_whose_stored_buttons_are_malformed_fails_at_once(box: Sandbox, sender: TelegramSender) -> None:
    result = await sender.send(row("Nhắc việc II.3", buttons=[[{"text": "Xong", "callback_data": "done:1"}]]))
    assert isinstance(result, Permanent) and result.error.startswith("cannot render the message:")
    assert box.chat(STAFF) == []


async def test_a_row_refused_midway_goes_on_from_the_part_that_failed(box: Sandbox, sender: TelegramSender) -> None:
    box.faults.throttle_every(2, retry_after=1, methods={"sendMessage"})  # the second part meets a 429
    assert await sender.send(row(LONG)) == RetryAfter(1.0)
    assert await sender.send(row(LONG)) == Sent(str(box.chat(STAFF)[-1]["message_id"]))
    assert [text for text, _buttons, _reply in bot_messages(box, STAFF)] == [
        "Nhắc việc II.3\n\nhạn 31/12/2025",
        "Trả lời tin nhắn này để báo cáo tiến độ.",
    ]


# ---- the answers' budget ------------------------------------------------------------------------------------


async def test_answers_take_their_budget_from_the_limiter_they_are_given(
    box: Sandbox, sender: TelegramSender, limiter: RateLimiter, fake: FakeTime
) -> None:
    # A private chat's burst is two messages; a third answer waits a second for the chat's budget.
    before = fake.now
    for text in ("Một", "Hai", "Ba"):
        assert isinstance(await sender.send_outgoing(Outgoing(chat_id=str(STAFF), text=text)), Sent)
    assert fake.now - before == pytest.approx(1.0)
    assert limiter.chat_wait(str(STAFF), ChatKind.PRIVATE, fake.now) > 0


async def test_a_429_on_an_answer_is_waited_out(box: Sandbox, sender: TelegramSender, fake: FakeTime) -> None:
    box.faults.storm(seconds=2.0, retry_after=2, now=fake.now, methods={"sendMessage"})
    start = fake.now
    assert isinstance(await sender.send_outgoing(Outgoing(chat_id=str(STAFF), text="Đã ghi nhận.")), Sent)
    assert fake.now - start >= 2.0
    assert [e.status for e in box.exchanges if e.method == "sendMessage"] == [429, 200]


async def test_a_chat_an_answer_met_a_429_in_waits_in_the_dispatcher_too(
    engine: Engine, box: Sandbox, fake: FakeTime
) -> None:
    """The transport is given the dispatcher's limiter: a 429 on an answer holds back that chat's reminders
    until the pause is over, instead of the dispatcher meeting the same 429."""
    outbox_sender = TelegramSender(make_bot("123456:TEST", base_url=box.base_url))
    await outbox_sender.bot.initialize()
    try:
        dispatcher = Dispatcher(
            engine, {"telegram": outbox_sender}, clock=box.clock.now, ticker=fake, sleep=fake.sleep, name="d1"
        )
        transport = TelegramTransport(
            Conversation(engine, tz=VIETNAM, default_locale="vi", clock=lambda: NOW),
            bot_username="nhacviec_bot",
            limiter=dispatcher.limiters["telegram"],
        )
        answers = transport.sender(outbox_sender.bot)
        answers.reply_attempts = 1  # the answer gives up at once: the pause is left to the dispatcher
        box.faults.storm(seconds=30.0, retry_after=30, now=fake.now, methods={"sendMessage"})
        start = fake.now
        assert await answers.send_outgoing(Outgoing(chat_id=str(STAFF), text="Đã ghi nhận.")) == RetryAfter(30.0)
        queue(engine, [STAFF])
        async with dispatcher:
            await dispatcher.run_until_done()
    finally:
        await outbox_sender.bot.shutdown()
    assert [e.status for e in box.exchanges if e.method == "sendMessage"] == [429, 200]
    assert fake.now - start >= 30.0
    assert [m["text"] for m in box.chat(STAFF)] == ["Nhắc việc m0"]


def test_the_transport_has_no_rate_limiter_of_its_own_but_the_one_it_is_given(engine: Engine) -> None:
    limiter = RateLimiter(TELEGRAM_LIMITS)
    transport = TelegramTransport(
        Conversation(engine, tz=VIETNAM, default_locale="vi", clock=lambda: NOW),
        bot_username="nhacviec_bot",
        limiter=limiter,
    )
    application = transport.build("123456:TEST", base_url="http://127.0.0.1:9/bot")
    assert application.bot.rate_limiter is None
    assert transport.sender(application.bot).reply_limiter is limiter


async def test_a_429_longer_than_an_answer_waits_for_is_given_up(
    box: Sandbox, sender: TelegramSender, fake: FakeTime
) -> None:
    box.faults.storm(seconds=120.0, retry_after=60, now=fake.now, methods={"sendMessage"})
    result = await sender.send_outgoing(Outgoing(chat_id=str(STAFF), text="Đã ghi nhận."))
    assert result == RetryAfter(60.0)
    assert box.chat(STAFF) == []


# ---- a person who blocked the bot ----------------------------------------------------------------------------


async def test_a_403_on_an_answer_is_recorded_as_the_outbox_records_one(
    engine: Engine, box: Sandbox, sender: TelegramSender
) -> None:
    seeded = seed_unit(engine)
    box.block(STAFF)
    result = await sender.send_outgoing(Outgoing(chat_id=str(STAFF), text="Đã ghi nhận: II.3 — đã hoàn thành."))
    assert isinstance(result, Blocked)
    with Session(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.user_id == str(STAFF))).one()
        audit = session.exec(select(AuditLog).where(AuditLog.action == "member.blocked")).one()
        notes = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert account.blocked_at == NOW
    assert audit.entity == f"member:{seeded.staff_id}"
    # The unit's lead is told, through the outbox, as when a reminder meets the 403.
    assert [(n.chat_id, n.reason["kind"]) for n in notes] == [(str(LEAD), "blocked")]
    assert notes[0].text.startswith("Đồng chí Nguyễn Văn An (Phòng Kế hoạch - Tài chính) đã chặn bot")


async def test_a_document_with_a_long_caption_is_sent_with_the_rest_after_it(
    box: Sandbox, sender: TelegramSender
) -> None:
    answer = Outgoing(
        chat_id=str(STAFF),
        text="<b>Tổng hợp Năm 2025</b>\n\nBáo cáo .docx của cả kế hoạch.",
        attachment=Attachment("tong-hop-nam-2025.docx", b"PK\x03\x04 not really a docx", "application/octet-stream"),
    )
    assert isinstance(await sender.send_outgoing(answer), Sent)
    document, rest = box.chat(STAFF)
    assert (document["text"], document["document"]["file_name"]) == ("Tổng hợp Năm 2025", "tong-hop-nam-2025.docx")
    assert rest["text"] == "Báo cáo .docx của cả kế hoạch."


async def test_an_answer_telegram_refuses_is_an_error_for_the_transports_handler(
    engine: Engine, box: Sandbox, sender: TelegramSender
) -> None:
    # As when PTB raised it: the error handler logs it and apologises, and later answers are not sent.
    transport = TelegramTransport(
        Conversation(engine, tz=VIETNAM, default_locale="vi", clock=lambda: NOW), bot_username="nhacviec_bot"
    )
    box.limits = replace(box.limits, text_length=10)
    answers = [Outgoing(chat_id=str(STAFF), text="Đã ghi nhận: II.3 — đã hoàn thành."), Outgoing(str(STAFF), "Hai")]
    with pytest.raises(AnswerNotSent, match="answer to chat 101 not sent: Permanent"):
        await transport.send(SimpleNamespace(bot=sender.bot), answers)  # type: ignore[arg-type]
    assert box.chat(STAFF) == []

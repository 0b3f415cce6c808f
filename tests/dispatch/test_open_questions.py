"""A queued message with buttons becomes its chat's open question when the platform acknowledged it (the
dispatcher's Sent), not when it was queued: "newest" follows the chat's history. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.platforms.telegram.sender import TelegramSender, telegram_sender
from domain.messages import Button, ChatKind, Keyboard
from models import OpenQuestion, OutboxMessage
from models.db import session_scope
from models.questions import OfferedChoice, newest_open
from sandbox import Sandbox
from scheduler.delivery import outbox
from scheduler.delivery.dispatcher import Dispatcher, DispatchSettings
from tests.dispatch.support import NOW, OTHER, STAFF, FakeTime, queue, seed_unit, serving

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

STATUSES = (
    (
        Button("✅ Đã hoàn thành", "rp:41:done"),
        Button("⏳ Đang thực hiện", "rp:41:in_progress"),
        Button("⚠️ Có vướng mắc", "rp:41:blocked"),
    ),
)


def queued(engine: Engine, key: str, chat: int, buttons: Keyboard = STATUSES) -> OutboxMessage:
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key=key,
            platform="telegram",
            chat_id=str(chat),
            chat_kind=ChatKind.PRIVATE,
            text="🔔 Nhắc hạn nhiệm vụ II.3",
            due_at=NOW,
            now=NOW,
            buttons=buttons,
        )
    with Session(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()


def questions_of(engine: Engine) -> list[tuple[str, str | None, int | None, bool]]:
    """(chat, message id, outbox row, open) of every question, oldest first."""
    with Session(engine) as session:
        return [
            (q.chat_id, q.message_id, q.outbox_id, q.closed_at is None)
            for q in session.exec(select(OpenQuestion).order_by(col(OpenQuestion.id)))
        ]


def test_a_sent_reminder_is_the_open_question_of_its_chat(engine: Engine) -> None:
    seed_unit(engine)
    message = queued(engine, "nhac-ii3", STAFF)
    sent_at = NOW + timedelta(minutes=3)
    assert outbox.mark_sent(engine, message, platform_message_id="4242", now=sent_at)
    with Session(engine) as session:
        question = newest_open(session, platform="telegram", chat_id=str(STAFF), now=sent_at)
    assert question is not None
    assert (question.message_id, question.created_at) == ("4242", sent_at)
    assert question.choices == (
        OfferedChoice("✅ Đã hoàn thành", "rp:41:done", 0),
        OfferedChoice("⏳ Đang thực hiện", "rp:41:in_progress", 0),
        OfferedChoice("⚠️ Có vướng mắc", "rp:41:blocked", 0),
    )
    assert questions_of(engine) == [(str(STAFF), "4242", message.id, True)]


def test_a_queued_reminder_not_sent_is_no_question(engine: Engine) -> None:
    seed_unit(engine)
    message = queued(engine, "nhac-ii3", STAFF)
    outbox.mark_failed(engine, message, holder="a", error="400 Bad Request: can't parse entities", now=NOW)
    assert questions_of(engine) == []


def test_a_second_acknowledgement_records_no_second_question(engine: Engine) -> None:
    seed_unit(engine)
    message = queued(engine, "nhac-ii3", STAFF)
    assert outbox.mark_sent(engine, message, platform_message_id="4242", now=NOW)
    assert not outbox.mark_sent(engine, message, platform_message_id="4243", now=NOW + timedelta(seconds=5))
    assert questions_of(engine) == [(str(STAFF), "4242", message.id, True)]


def test_the_row_sent_last_is_the_newest_whatever_the_queue_order(engine: Engine) -> None:
    seed_unit(engine)
    earlier = queued(engine, "nhac-ii3", STAFF)
    later = queued(engine, "nhac-ii4", STAFF)
    outbox.mark_sent(engine, later, platform_message_id="5001", now=NOW)
    outbox.mark_sent(engine, earlier, platform_message_id="5002", now=NOW + timedelta(seconds=40))
    assert questions_of(engine) == [
        (str(STAFF), "5001", later.id, False),
        (str(STAFF), "5002", earlier.id, True),
    ]


def test_a_message_without_buttons_leaves_the_question_open(engine: Engine) -> None:
    seed_unit(engine)
    outbox.mark_sent(engine, queued(engine, "nhac-ii3", STAFF), platform_message_id="5001", now=NOW)
    plain = queued(engine, "canh-bao", STAFF, buttons=())
    outbox.mark_sent(engine, plain, platform_message_id="5002", now=NOW + timedelta(seconds=1))
    assert [(chat, message, still_open) for chat, message, _row, still_open in questions_of(engine)] == [
        (str(STAFF), "5001", True)
    ]


@pytest.fixture
async def sender() -> AsyncIterator[tuple[Sandbox, TelegramSender, FakeTime]]:
    fake = FakeTime()
    async with serving(fake) as box:
        made = telegram_sender("123456:TEST", base_url=box.base_url)
        await made.bot.initialize()
        try:
            yield box, made, fake
        finally:
            await made.bot.shutdown()


async def test_the_dispatcher_records_each_chats_last_sent_reminder(
    engine: Engine, sender: tuple[Sandbox, TelegramSender, FakeTime]
) -> None:
    box, telegram, fake = sender
    seed_unit(engine)
    queue(engine, [STAFF, OTHER, STAFF])
    settings = DispatchSettings(poll_seconds=5.0)
    async with Dispatcher(
        engine, {"telegram": telegram}, settings=settings, clock=box.clock.now, ticker=fake, sleep=fake.sleep
    ) as dispatcher:
        await dispatcher.run_until_done()
    for person in (STAFF, OTHER):
        last = box.chat(person)[-1]
        with Session(engine) as session:
            question = newest_open(session, platform="telegram", chat_id=str(person), now=NOW)
        assert question is not None
        assert question.message_id == str(last["message_id"])
        assert [c.label for c in question.choices] == last["buttons"] == ["✅ Đã hoàn thành"]

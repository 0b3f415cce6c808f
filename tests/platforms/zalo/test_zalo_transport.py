"""ZaloTransport: Zalo updates in (long polling, webhook), handled once, the conversation's answers out."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.conversation import Conversation
from bot.platforms.zalo.limits import chat_kind
from bot.platforms.zalo.transport import (
    SECRET_HEADER,
    WebhookSecretError,
    ZaloTransport,
    addressed_to_bot,
    incoming_from_update,
    read_update,
    set_webhook,
)
from domain.messages import ChatKind, Incoming, Outgoing, Platform
from models import OutboxMessage, Prompt, Role
from models.db import session_scope
from models.updates import PlatformUpdate
from nhacviec.ops_server import OpsServer, Readiness, WebhookRoute
from scheduler.delivery.outbox import mark_sent
from scheduler.delivery.senders import Sent
from tests.bot.chat import QLTDC, TZ, Chat, User
from tests.platforms.zalo.fake_zalo import BOT_CHAT, GROUP_CHAT, TOKEN, FakeZalo, text_update

NOW = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội time
GREETING = (
    "Xin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch: tôi nhắc các đơn vị trước hạn và nhận "
    "báo cáo tiến độ ngắn. Để sử dụng, vui lòng xin quản trị viên một mã mời, rồi gửi /start MÃ."
)
ONLY_TEXT = "Xin lỗi, tôi chỉ đọc được tin nhắn chữ. Vui lòng nhắn cho tôi bằng chữ."
SECRET = "bi-mat-webhook-cua-So-KHCN"


class Waits:
    """The polling loop's back-off wait: remembers each delay and returns at once (not stopped)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, stop: asyncio.Event, seconds: float) -> bool:
        self.delays.append(seconds)
        return stop.is_set()


def transport(
    engine: Engine, zalo: FakeZalo, *, conversation: Conversation | None = None, waits: Waits | None = None
) -> ZaloTransport:
    conversation = conversation or Conversation(engine, tz=TZ, default_locale="vi", clock=lambda: NOW)
    return ZaloTransport(conversation, zalo.api(), engine, lambda: NOW, wait=waits or Waits())


def claims(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [(row.platform, row.update_id) for row in session.exec(select(PlatformUpdate))]


def stop_after(zalo: FakeZalo, stop: asyncio.Event, polls: int) -> None:
    """The `polls`-th empty getUpdates from now also sets `stop` (the loop then ends)."""

    def empty(last: bool) -> Callable[[httpx.Request], httpx.Response]:
        def answer(_request: httpx.Request) -> httpx.Response:
            if last:
                stop.set()
            return httpx.Response(408, json={"ok": False, "error_code": 408, "description": "Request timeout"})

        return answer

    for n in range(1, polls + 1):
        zalo.answer("getUpdates", empty(n == polls))


# ---- update → Incoming (pure) ----------------------------------------------------------------------------


def test_a_private_text_message_becomes_an_incoming() -> None:
    update = read_update(text_update("đã trình lãnh đạo Sở, đạt 80%", message_id="16f6366b3f02645a3d15"))
    assert update is not None
    assert incoming_from_update(update, NOW) == Incoming(
        platform=Platform.ZALO,
        chat_id=BOT_CHAT,
        chat_kind=ChatKind.PRIVATE,
        sender_id=BOT_CHAT,
        sender_name="Nguyễn Thị Lan",
        text="đã trình lãnh đạo Sở, đạt 80%",
        message_id="16f6366b3f02645a3d15",
        at=datetime(2025, 12, 1, 2, 0, tzinfo=UTC),
        addressed_to_bot=True,
    )


def test_a_group_message_becomes_a_group_incoming_from_its_member() -> None:
    data = text_update("/tasks", chat_id=GROUP_CHAT, chat_type="GROUP", sender_id="a1b2c3d4e5f60718293a")
    update = read_update(data)
    assert update is not None
    incoming = incoming_from_update(update, NOW)
    assert (incoming.chat_id, incoming.chat_kind, incoming.sender_id, incoming.addressed_to_bot) == (
        GROUP_CHAT,
        ChatKind.GROUP,
        "a1b2c3d4e5f60718293a",
        True,
    )


@pytest.mark.parametrize(
    ("text", "addressed"),
    [
        ("Chiều nay họp giao ban lúc 2 giờ nhé", False),
        ("/tasks", True),
        ("2", True),
        ("số 2", True),
        ("chọn 3.", True),
        ("Chọn số 2 ạ", True),
        ("２", True),
        ("2 việc còn lại tuần sau làm", False),
        ("@bot.nhacviec xong II.3 rồi", True),
    ],
)
def test_in_a_group_only_commands_choice_numbers_and_mentions_are_for_the_bot(text: str, addressed: bool) -> None:
    assert addressed_to_bot(ChatKind.GROUP, text, ("bot.nhacviec",)) is addressed


def test_the_chat_kind_comes_from_the_chat_type_not_the_id() -> None:
    assert [chat_kind("PRIVATE"), chat_kind("GROUP"), chat_kind("group")] == [
        ChatKind.PRIVATE,
        ChatKind.GROUP,
        ChatKind.GROUP,
    ]
    with pytest.raises(ValueError, match="unknown Zalo chat_type 'CHANNEL'"):
        chat_kind("CHANNEL")


@pytest.mark.parametrize(
    "data",
    [
        {"event_name": "message.text.received"},
        {"event_name": "message.text.received", "message": {"chat": {"id": "x", "chat_type": "PRIVATE"}}},
        text_update("xong", chat_type="CHANNEL"),
        text_update("xong", message_id=""),
        ["not", "an", "update"],
    ],
    ids=["no-message", "no-ids", "unknown-chat-type", "empty-id", "a-list"],
)
def test_what_is_not_an_update_is_read_as_none(data: object) -> None:
    assert read_update(data) is None


def test_a_webhook_body_in_the_envelope_is_unwrapped() -> None:
    assert read_update({"ok": True, "result": text_update("xong")}) == read_update(text_update("xong"))


# ---- handling once ---------------------------------------------------------------------------------------


async def test_a_text_message_is_answered_through_the_sender(engine: Engine) -> None:
    zalo = FakeZalo()
    assert await transport(engine, zalo).handle_update(text_update("xin chào")) is True
    assert zalo.delivered == [(BOT_CHAT, GREETING)]
    assert claims(engine) == [("zalo", "16f6366b3f02645a3d15")]


async def test_a_redelivered_update_is_handled_once_also_after_a_restart(engine: Engine) -> None:
    zalo = FakeZalo()
    first = transport(engine, zalo)
    assert await first.handle_update(text_update("xin chào")) is True
    assert await first.handle_update(text_update("xin chào")) is False
    restarted = transport(engine, zalo)  # a new process: nothing in memory, the same database
    assert await restarted.handle_update(text_update("xin chào")) is False
    assert zalo.delivered == [(BOT_CHAT, GREETING)]


async def test_another_message_from_the_same_person_is_handled(engine: Engine) -> None:
    zalo = FakeZalo()
    handler = transport(engine, zalo)
    await handler.handle_update(text_update("xin chào", message_id="16f6366b3f02645a3d15"))
    await handler.handle_update(text_update("xin chào", message_id="82599fa32f56d00e8941"))
    assert zalo.delivered == [(BOT_CHAT, GREETING), (BOT_CHAT, GREETING)]


class FailsOnce(Conversation):
    """The core failing on its first message (the database went away mid-turn, say)."""

    failed = False

    def handle(self, incoming: Incoming) -> list[Outgoing]:
        if not self.failed:
            self.failed = True
            raise RuntimeError("database connection lost")
        return super().handle(incoming)


async def test_an_update_whose_handling_failed_is_handled_when_delivered_again(engine: Engine) -> None:
    zalo = FakeZalo()
    conversation = FailsOnce(engine, tz=TZ, default_locale="vi", clock=lambda: NOW)
    handler = transport(engine, zalo, conversation=conversation)
    with pytest.raises(RuntimeError):
        await handler.handle_update(text_update("xin chào"))
    assert claims(engine) == []
    assert await handler.handle_update(text_update("xin chào")) is True
    assert zalo.delivered == [(BOT_CHAT, GREETING)]


async def test_claims_older_than_the_retention_are_forgotten(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(
            PlatformUpdate(platform="zalo", update_id="0ld0ld0ld0ld0ld0ld00", received_at=NOW - timedelta(days=8))
        )
        session.add(
            PlatformUpdate(platform="zalo", update_id="r3c3nt0r3c3nt0r3c3n", received_at=NOW - timedelta(days=6))
        )
    await transport(engine, FakeZalo()).handle_update(text_update("xin chào"))
    assert sorted(claims(engine)) == [("zalo", "16f6366b3f02645a3d15"), ("zalo", "r3c3nt0r3c3nt0r3c3n")]


async def test_a_photo_in_a_private_chat_gets_a_polite_answer(engine: Engine) -> None:
    zalo = FakeZalo()
    await transport(engine, zalo).handle_update(text_update("", event_name="message.image.received"))
    assert zalo.delivered == [(BOT_CHAT, ONLY_TEXT)]


async def test_a_sticker_in_a_group_gets_no_answer(engine: Engine) -> None:
    zalo = FakeZalo()
    update = text_update("", event_name="message.sticker.received", chat_id=GROUP_CHAT, chat_type="GROUP")
    await transport(engine, zalo).handle_update(update)
    assert zalo.calls == []


async def test_a_bots_message_is_ignored(engine: Engine) -> None:
    zalo = FakeZalo()
    for event in ("message.text.received", "message.unsupported.received"):
        assert (
            await transport(engine, zalo).handle_update(text_update("xin chào", is_bot=True, event_name=event)) is False
        )
    assert (zalo.calls, claims(engine)) == ([], [])


async def remind_on_zalo(chat: Chat, handler: ZaloTransport, user: User, code: str) -> OutboxMessage:
    """A reminder about `code` as the reminders queue it, sent through the Zalo sender and marked sent with
    Zalo's message id, as the dispatcher does."""
    key = chat.queue_reminder(user, code)
    with session_scope(chat.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
    result = await handler.sender.send(row)
    assert isinstance(result, Sent)
    assert mark_sent(chat.engine, row, platform_message_id=result.message_id, now=chat.now)
    return row


async def test_a_sent_reminder_is_recorded_with_zalos_message_id(engine: Engine) -> None:
    chat = Chat(engine)
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC, platform=Platform.ZALO)
    zalo = FakeZalo()
    row = await remind_on_zalo(chat, transport(engine, zalo, conversation=chat.conversation), lan, "II.3")
    with session_scope(engine) as session:
        prompt = session.get(Prompt, row.reason["prompt_id"])
        assert prompt is not None and prompt.message_id == "m1"
    assert zalo.delivered[0][1].endswith(
        "\n\n1. ✅ Đã hoàn thành\n2. ⏳ Đang thực hiện\n3. ⚠️ Có vướng mắc\nTrả lời 1, 2 hoặc 3."
    )


# ---- long polling ----------------------------------------------------------------------------------------


async def test_polling_handles_an_update_keeps_polling_through_408_and_stops_on_the_event(engine: Engine) -> None:
    zalo, stop = FakeZalo(), asyncio.Event()
    zalo.deliver(text_update("xin chào"))
    zalo.succeed("getUpdates")  # the update
    stop_after(zalo, stop, polls=3)  # then three empty polls, the last one as the service stops
    await transport(engine, zalo).run(stop)
    assert zalo.methods() == ["deleteWebhook", "getUpdates", "sendMessage", "getUpdates", "getUpdates", "getUpdates"]
    assert zalo.delivered == [(BOT_CHAT, GREETING)]


async def test_polling_stops_while_a_long_poll_is_waiting(engine: Engine) -> None:
    zalo, stop, polling = FakeZalo(), asyncio.Event(), asyncio.Event()

    async def long_poll(_request: httpx.Request) -> httpx.Response:
        polling.set()
        await asyncio.Event().wait()  # Zalo holds the request until an update comes: none will
        raise AssertionError("unreachable")

    zalo.answer("getUpdates", long_poll)  # type: ignore[arg-type]
    run = asyncio.create_task(transport(engine, zalo).run(stop))
    await polling.wait()
    stop.set()
    await asyncio.wait_for(run, timeout=10)  # a guard against a hang, not a measurement
    assert zalo.methods() == ["deleteWebhook", "getUpdates"]


async def test_polling_backs_off_on_errors_up_to_the_cap_and_recovers(engine: Engine) -> None:
    zalo, stop, waits = FakeZalo(), asyncio.Event(), Waits()
    for _ in range(4):
        zalo.fail("getUpdates", 502, "Bad Gateway")
    zalo.deliver(text_update("xin chào"))
    zalo.succeed("getUpdates")
    zalo.fail("getUpdates", 500, "Internal Server Error")
    stop_after(zalo, stop, polls=1)
    handler = transport(engine, zalo, waits=waits)
    handler.backoff_cap_seconds = 3.0
    await handler.run(stop)
    # 1, 2, 3 (capped), 3; an answer resets the back-off.
    assert waits.delays == [1.0, 2.0, 3.0, 3.0, 1.0]
    assert zalo.delivered == [(BOT_CHAT, GREETING)]


@pytest.fixture
def zalo_log() -> Iterator[io.StringIO]:
    """What the Zalo modules log at DEBUG, through a handler with no secrets filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("bot.platforms.zalo")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_the_zalo_modules_own_log_lines_never_show_the_token(engine: Engine, zalo_log: io.StringIO) -> None:
    zalo, stop = FakeZalo(), asyncio.Event()
    zalo.raise_("deleteWebhook", httpx.ConnectError)  # httpx's error text holds the URL, token and all
    zalo.raise_("getUpdates", httpx.ConnectError)
    zalo.raise_("getUpdates", httpx.ReadTimeout)
    zalo.deliver(text_update("xin chào"))
    zalo.succeed("getUpdates")
    stop_after(zalo, stop, polls=1)
    zalo.fail("sendMessage", 500, f"Internal Server Error at bot{TOKEN}")
    await transport(engine, zalo).run(stop)
    logged = zalo_log.getvalue()
    assert (
        "getUpdates failed (getUpdates: ConnectError: simulated for https://bot-api.zaloplatforms.com/bot<token>/getUpdates)"
        in logged
    )
    assert TOKEN not in logged


# ---- webhook ---------------------------------------------------------------------------------------------


@pytest.fixture
async def webhook(engine: Engine) -> AsyncIterator[tuple[OpsServer, FakeZalo]]:
    zalo = FakeZalo()
    handler = transport(engine, zalo)
    server = OpsServer(registry=CollectorRegistry(), readiness=lambda: Readiness(True, True, True, "bot"))
    server.add_webhook(WebhookRoute("zalo", SECRET_HEADER, SECRET, handler.accept))
    await server.start("127.0.0.1", 0)
    try:
        yield server, zalo
    finally:
        await server.stop()


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: "bi-mat-doan-mo"}, {SECRET_HEADER: SECRET + "x"}, {"X-Telegram-Bot-Api-Secret-Token": SECRET}],
    ids=["missing", "wrong", "longer", "other-header"],
)
async def test_a_webhook_call_without_the_secret_is_refused_and_changes_nothing(
    engine: Engine, webhook: tuple[OpsServer, FakeZalo], headers: dict[str, str]
) -> None:
    server, zalo = webhook
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post("/webhook/zalo", json=text_update("xin chào"), headers=headers)
    assert answer.status_code == 401
    assert (zalo.calls, claims(engine)) == ([], [])


async def test_a_webhook_call_with_the_secret_is_handled_once(
    engine: Engine, webhook: tuple[OpsServer, FakeZalo]
) -> None:
    server, zalo = webhook
    async with httpx.AsyncClient(base_url=server.url) as client:
        answers = [
            await client.post("/webhook/zalo", json=text_update("xin chào"), headers={SECRET_HEADER: SECRET})
            for _ in range(2)  # Zalo delivers it again
        ]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert zalo.delivered == [(BOT_CHAT, GREETING)]


async def test_set_webhook_registers_the_url_and_the_secret() -> None:
    zalo = FakeZalo()
    await set_webhook(zalo.api(), "https://nhacviec.skhcn.quangngai.gov.vn/webhook/zalo", SECRET)
    assert [(call.method, call.body) for call in zalo.calls] == [
        ("setWebhook", {"url": "https://nhacviec.skhcn.quangngai.gov.vn/webhook/zalo", "secret_token": SECRET})
    ]


@pytest.mark.parametrize("secret", ["bimat07", "x" * 257], ids=["7-characters", "257-characters"])
async def test_set_webhook_refuses_a_secret_zalo_would_refuse(secret: str) -> None:
    zalo = FakeZalo()
    with pytest.raises(WebhookSecretError) as raised:
        await set_webhook(zalo.api(), "https://nhacviec.skhcn.quangngai.gov.vn/webhook/zalo", secret)
    assert str(raised.value) == (
        f"NHACVIEC_WEBHOOK_SECRET must be 8–256 characters for Zalo's setWebhook (it has {len(secret)})"
    )
    assert zalo.calls == []


# ---- a Zalo person, end to end ---------------------------------------------------------------------------


async def test_a_zalo_person_joins_is_reminded_and_reports_by_polling(engine: Engine) -> None:
    chat = Chat(engine)
    code = chat.invite(Role.STAFF, QLTDC)
    zalo, stop = FakeZalo(), asyncio.Event()
    handler = transport(engine, zalo, conversation=chat.conversation)
    zalo.deliver(text_update(f"/start {code}", message_id="a0000000000000000001"))
    zalo.succeed("getUpdates")
    stop_after(zalo, stop, polls=1)
    await handler.run(stop)
    assert zalo.delivered[-1][1].startswith("Chào mừng")

    person = User("Nguyễn Thị Lan", user_id=BOT_CHAT, platform=Platform.ZALO, chat_id=BOT_CHAT)
    await remind_on_zalo(chat, handler, person, "II.3")

    stop.clear()
    zalo.deliver(text_update("xong rồi", message_id="a0000000000000000002"))
    zalo.succeed("getUpdates")
    stop_after(zalo, stop, polls=1)
    await handler.run(stop)
    assert zalo.delivered[-1] == (BOT_CHAT, "Đã ghi nhận: II.3 — đã hoàn thành.\n\n1. ↩️ Rút lại\nTrả lời 1.")
    assert [(report.task, report.status) for report in chat.reports()] == [("II.3", "done")]

"""ZaloSender: outbox rows and direct answers sent as Zalo messages, Zalo's answers as the dispatcher's results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.platforms.zalo.limits import ZaloLimits
from bot.platforms.zalo.sender import ZaloSender
from domain.messages import Attachment, Button, Outgoing
from models import AuditLog, Member, PlatformAccount
from models.db import session_scope
from models.reminders import OutboxMessage
from scheduler.delivery.senders import Blocked, Permanent, RetryAfter, Sender, SendResult, Sent, Transient
from tests.platforms.zalo.fake_zalo import BOT_CHAT, FakeZalo

NOW = datetime(2025, 12, 24, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội time
SEND_URL = "https://bot-api.zaloplatforms.com/bot<token>/sendMessage"


def reminder(text: str = "Nhắc việc: <b>II.3</b> — còn 7 ngày (hạn 31/12/2025)", **fields: Any) -> OutboxMessage:
    values: dict[str, Any] = {
        "id": 41,
        "idempotency_key": "reminder:41:lead:0",
        "platform": "zalo",
        "chat_id": BOT_CHAT,
        "text": text,
        "buttons": [],
        "due_at": NOW,
        "created_at": NOW,
    }
    values.update(fields)
    return OutboxMessage(**values)


class Sleeps:
    """The sender's sleep: remembers each wait, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_the_sender_is_a_dispatcher_sender() -> None:
    sender = ZaloSender(FakeZalo().api())
    assert isinstance(sender, Sender)
    assert sender.platform == "zalo"


async def test_a_row_is_sent_as_plain_text_and_acknowledged_with_zalos_id() -> None:
    zalo = FakeZalo()
    assert await ZaloSender(zalo.api()).send(reminder()) == Sent("m1")
    assert zalo.delivered == [(BOT_CHAT, "Nhắc việc: II.3 — còn 7 ngày (hạn 31/12/2025)")]


def refuse(code: int, description: str, **extra: object) -> FakeZalo:
    zalo = FakeZalo()
    zalo.fail("sendMessage", code, description, **extra)
    return zalo


def gateway_page() -> FakeZalo:
    zalo = FakeZalo()
    zalo.answer("sendMessage", lambda _request: httpx.Response(502, text="<html>502 Bad Gateway</html>"))
    return zalo


def unreachable(error: type[httpx.TransportError]) -> FakeZalo:
    zalo = FakeZalo()
    zalo.raise_("sendMessage", error)
    return zalo


@pytest.mark.parametrize(
    ("zalo", "expected"),
    [
        (refuse(429, "Too Many Requests", parameters={"retry_after": 7}), RetryAfter(7.0)),
        (refuse(429, "Too Many Requests"), RetryAfter(30.0)),
        (refuse(429, "Too Many Requests", retry_after=0.2), RetryAfter(1.0)),
        (refuse(500, "Internal Server Error"), Transient("sendMessage: 500 Internal Server Error")),
        (refuse(503, "Service Unavailable"), Transient("sendMessage: 503 Service Unavailable")),
        (gateway_page(), Transient("sendMessage: 502 no Bot API answer")),
        (refuse(408, "Request timeout"), Transient("sendMessage: 408 Request timeout")),
        (unreachable(httpx.ConnectError), Transient(f"sendMessage: ConnectError: simulated for {SEND_URL}")),
        (unreachable(httpx.ReadTimeout), Transient(f"sendMessage: ReadTimeout: simulated for {SEND_URL}")),
        (refuse(401, "Unauthorized"), Transient("sendMessage: 401 Unauthorized")),
        (refuse(403, "Forbidden: user blocked the bot"), Blocked("sendMessage: 403 Forbidden: user blocked the bot")),
        (refuse(400, "Bad Request: text is too long"), Permanent("sendMessage: 400 Bad Request: text is too long")),
        (refuse(404, "Not Found: chat not found"), Permanent("sendMessage: 404 Not Found: chat not found")),
    ],
    ids=[
        "429-hint",
        "429-no-hint",
        "429-short-hint",
        "500",
        "503",
        "502-page",
        "408",
        "connect",
        "timeout",
        "401",
        "403",
        "400",
        "404",
    ],
)
async def test_zalos_answer_maps_to_a_send_result(zalo: FakeZalo, expected: SendResult) -> None:
    assert await ZaloSender(zalo.api()).send(reminder()) == expected


async def test_the_wait_after_a_bare_429_is_a_setting() -> None:
    sender = ZaloSender(refuse(429, "Too Many Requests").api(), limits=ZaloLimits(retry_after_seconds=45.0))
    assert await sender.send(reminder()) == RetryAfter(45.0)


async def test_the_connect_error_text_carries_no_token() -> None:
    result = await ZaloSender(unreachable(httpx.ConnectError).api()).send(reminder())
    assert isinstance(result, Transient)
    assert "1459232241454765289:" not in result.error


# ---- a row longer than one Zalo message -----------------------------------------------------------------

LONG = "\n\n".join(f"• II.{n} — " + "đang thực hiện " * 90 for n in (1, 2))  # two paragraphs of ~1360 characters


async def test_a_long_row_goes_out_in_parts_acknowledged_with_the_first_id() -> None:
    zalo = FakeZalo()
    assert await ZaloSender(zalo.api()).send(reminder(LONG)) == Sent("m1")
    assert [text for _chat, text in zalo.delivered] == LONG.split("\n\n")


async def test_a_retry_after_part_two_failed_does_not_send_part_one_again() -> None:
    zalo = FakeZalo()
    api, parts = zalo.api(), LONG.split("\n\n")
    sender = ZaloSender(api)
    zalo.succeed("sendMessage")  # part 1 goes through
    zalo.fail("sendMessage", 502, "Bad Gateway")  # part 2 does not
    assert await sender.send(reminder(LONG)) == Transient("sendMessage: 502 Bad Gateway")
    assert [text for _chat, text in zalo.delivered] == parts[:1]
    assert await sender.send(reminder(LONG)) == Sent("m1")
    assert [text for _chat, text in zalo.delivered] == parts


async def test_after_a_restart_a_retry_starts_over_from_part_one() -> None:
    # At least once: the memory of the parts sent is the sender's, and a restart loses it.
    zalo = FakeZalo()
    api, parts = zalo.api(), LONG.split("\n\n")
    zalo.succeed("sendMessage")
    zalo.fail("sendMessage", 502, "Bad Gateway")
    await ZaloSender(api).send(reminder(LONG))
    assert await ZaloSender(api).send(reminder(LONG)) == Sent("m2")
    assert [text for _chat, text in zalo.delivered] == [parts[0], parts[0], parts[1]]


async def test_a_row_that_renders_to_nothing_is_refused() -> None:
    zalo = FakeZalo()
    assert await ZaloSender(zalo.api()).send(reminder("<b></b>")) == Permanent(
        "nothing to send: the message has no text"
    )
    assert zalo.calls == []


async def test_a_row_with_a_file_sends_the_caption_and_where_to_get_the_file() -> None:
    zalo = FakeZalo()
    row = reminder(
        "Dự thảo báo cáo năm 2026 — hạn 15/11/2026",
        attachment_filename="du-thao-bao-cao-2026.docx",
        attachment_mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        attachment_content=b"PK\x03\x04",
    )
    assert await ZaloSender(zalo.api()).send(row) == Sent("m1")
    assert zalo.delivered == [
        (
            BOT_CHAT,
            "Dự thảo báo cáo năm 2026 — hạn 15/11/2026\n\n"
            "Zalo không gửi được tệp du-thao-bao-cao-2026.docx: "
            "vui lòng nhận tệp trên Telegram hoặc từ bộ phận theo dõi kế hoạch.",
        )
    ]


# ---- the recipient's language and blocks (database) -------------------------------------------------------


def zalo_member(engine: Engine, name: str, language: str = "vi") -> int:
    with session_scope(engine) as session:
        member = Member(display_name=name, language=language, created_at=NOW)
        session.add(member)
        session.flush()
        assert member.id is not None
        session.add(PlatformAccount(platform="zalo", user_id=BOT_CHAT, private_chat_id=BOT_CHAT, member_id=member.id))
        return member.id


async def test_the_numbered_list_hint_is_in_the_members_language(engine: Engine) -> None:
    member_id = zalo_member(engine, "Trần Văn Minh", language="en")
    zalo = FakeZalo()
    row = reminder(
        "Reminder: II.3 — 7 days left (due 31/12/2025)",
        member_id=member_id,
        buttons=[[{"label": "Done", "payload": "rp:5:done"}, {"label": "Blocked", "payload": "rp:5:blocked"}]],
    )
    assert await ZaloSender(zalo.api(), engine=engine).send(row) == Sent("m1")
    assert zalo.delivered == [
        (BOT_CHAT, "Reminder: II.3 — 7 days left (due 31/12/2025)\n\n1. Done\n2. Blocked\nReply 1 or 2.")
    ]


async def test_an_answer_refused_with_403_records_the_block(engine: Engine) -> None:
    member_id = zalo_member(engine, "Nguyễn Thị Lan")
    zalo = refuse(403, "Forbidden: user blocked the bot")
    sender = ZaloSender(zalo.api(), engine=engine, clock=lambda: NOW)
    result = await sender.send_outgoing(Outgoing(chat_id=BOT_CHAT, text="Đã ghi nhận: II.3 — hoàn thành."))
    assert result == Blocked("sendMessage: 403 Forbidden: user blocked the bot")
    with session_scope(engine) as session:
        account = session.exec(select(PlatformAccount)).one()
        audit = session.exec(select(AuditLog)).one()
    assert account.blocked_at == NOW
    assert (audit.actor, audit.action, audit.entity) == ("zalo:platform", "member.blocked", f"member:{member_id}")


# ---- direct answers -----------------------------------------------------------------------------------------


async def test_an_answer_waits_out_a_429_and_is_sent() -> None:
    zalo = refuse(429, "Too Many Requests", parameters={"retry_after": 3})
    sleeps = Sleeps()
    sender = ZaloSender(zalo.api(), sleep=sleeps)
    outgoing = Outgoing(
        chat_id=BOT_CHAT,
        text="Báo cáo này về nhiệm vụ nào?",
        buttons=((Button("II.3", "pick:7:41"),), (Button("III.1", "pick:7:42"),)),
    )
    assert await sender.send_outgoing(outgoing) == Sent("m1")
    assert sleeps.waits == [3.0]
    assert zalo.delivered == [(BOT_CHAT, "Báo cáo này về nhiệm vụ nào?\n\n1. II.3\n2. III.1\nTrả lời 1 hoặc 2.")]


async def test_an_answer_is_tried_three_times_on_transient_failures() -> None:
    zalo = FakeZalo()
    for _ in range(3):
        zalo.fail("sendMessage", 503, "Service Unavailable")
    sleeps = Sleeps()
    sender = ZaloSender(zalo.api(), sleep=sleeps)
    result = await sender.send_outgoing(Outgoing(chat_id=BOT_CHAT, text="Đã ghi nhận."))
    assert result == Transient("sendMessage: 503 Service Unavailable")
    assert (sleeps.waits, zalo.methods()) == ([1.0, 2.0], ["sendMessage"] * 3)


async def test_an_answer_with_a_file_is_its_caption_and_the_note_in_english() -> None:
    zalo = FakeZalo()
    outgoing = Outgoing(
        chat_id=BOT_CHAT,
        text="Summary 2026",
        attachment=Attachment("summary-2026.png", b"\x89PNG", "image/png"),
    )
    assert await ZaloSender(zalo.api()).send_outgoing(outgoing, locale="en") == Sent("m1")
    assert zalo.delivered == [
        (
            BOT_CHAT,
            "Summary 2026\n\nThe file summary-2026.png cannot be sent on Zalo: "
            "please get it on Telegram or from the monitoring department.",
        )
    ]


async def test_an_answer_that_renders_to_nothing_sends_nothing() -> None:
    zalo = FakeZalo()
    outgoing = Outgoing(chat_id=BOT_CHAT, text="", edit_message_id="82599fa32f56d00e8941")
    assert await ZaloSender(zalo.api()).send_outgoing(outgoing) is None
    assert zalo.calls == []

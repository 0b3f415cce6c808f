"""The sandbox's Zalo Bot API driven with plain httpx: one update per getUpdates then 408, plain text up to
2000 characters, the webhook with its secret header, limits and faults of its own, redelivery."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox import Sandbox, ZaloLimits
from tests.sandbox.support import AN, BINH, DUNG, FakeTicker, ZaloClient

AN_ZALO = "9f2664d2915845cb4ff4"  # the Zalo id the sandbox derives from An's id, the same on every run
BINH_ZALO = "d6b644f9f2790d0c757e"
START_MS = 1_759_280_400_000  # 01/10/2025 08:00 in Vietnam, in Zalo's Unix milliseconds
POLL_WAIT = 0.2


@pytest.fixture(autouse=True)
def on_zalo(sandbox: Sandbox) -> None:
    """An and Bình chat on Zalo; polls wait at most POLL_WAIT seconds before answering 408."""
    sandbox.zalo_limits = ZaloLimits(poll_wait_seconds=POLL_WAIT)
    sandbox.set_platform(AN, "zalo")
    sandbox.set_platform(BINH, "zalo")


async def script(http: httpx.AsyncClient, path: str, body: Any) -> Any:
    response = await http.post(f"/api/sandbox/{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_get_me_answers_the_bot_account(zalo: ZaloClient) -> None:
    assert await zalo.ok("getMe") == {
        "id": "7000000001000000001",
        "account_name": "bot.nhacviec",
        "account_type": "BASIC",
        "can_join_groups": False,
    }


async def test_get_updates_answers_one_update_per_call_then_408(http: httpx.AsyncClient, zalo: ZaloClient) -> None:
    first = await script(http, "send", {"person": AN, "text": "/start MOI-7KX2", "reply_to": None})
    second = await script(http, "send", {"person": AN, "text": "xong rồi"})

    assert await zalo.ok("getUpdates", timeout="30") == {
        "event_name": "message.text.received",
        "message": {
            "message_id": first["message_id"],
            "from": {"id": AN_ZALO, "display_name": "Nguyễn Văn An", "is_bot": False},
            "chat": {"id": AN_ZALO, "chat_type": "PRIVATE"},
            "date": START_MS,
            "text": "/start MOI-7KX2",
        },
    }
    assert (await zalo.ok("getUpdates", timeout="30"))["message"]["message_id"] == second["message_id"]
    began = time.monotonic()
    status, body = await zalo.error("getUpdates", timeout="30")
    assert (status, body) == (408, {"ok": False, "error_code": 408, "description": "Request timeout"})
    assert time.monotonic() - began < 10  # the sandbox's cap, not the 30 s asked for


async def test_a_waiting_poll_answers_with_the_message_sent_meanwhile(sandbox: Sandbox, zalo: ZaloClient) -> None:
    sandbox.zalo_limits = ZaloLimits(poll_wait_seconds=5)
    poll = asyncio.create_task(zalo.ok("getUpdates", timeout="30"))
    await asyncio.sleep(0.05)
    message_id = sandbox.zalo_send(BINH, "vướng kinh phí")
    update = await poll
    assert (update["message"]["message_id"], update["message"]["text"]) == (message_id, "vướng kinh phí")


async def test_stopping_the_sandbox_answers_a_waiting_poll_at_once(sandbox: Sandbox, zalo: ZaloClient) -> None:
    sandbox.zalo_limits = ZaloLimits(poll_wait_seconds=30)
    poll = asyncio.create_task(zalo.call("getUpdates", timeout="30"))
    await asyncio.sleep(0.05)
    await sandbox.stop()
    assert (await poll).json() == {"ok": False, "error_code": 408, "description": "Request timeout"}


async def test_send_message_puts_plain_text_in_the_persons_zalo_chat(
    http: httpx.AsyncClient, sandbox: Sandbox, zalo: ZaloClient
) -> None:
    text = "Báo cáo này về nhiệm vụ nào?\n1. II.3\n2. III.1\nTrả lời 1 hoặc 2"
    result = await zalo.ok("sendMessage", chat_id=AN_ZALO, text=text)
    assert set(result) == {"message_id", "date"} and result["date"] == START_MS
    assert (await http.get(f"/api/sandbox/chat/{AN}")).json() == [
        {
            "message_id": result["message_id"],
            "from": "bot",
            "text": text,
            "buttons": [],
            "date": "2025-10-01T08:00:00+07:00",
            "platform": "zalo",
        }
    ]
    assert sandbox.chat(AN) == []  # nothing went to An's Telegram chat


async def test_send_message_refuses_text_over_2000_characters(sandbox: Sandbox, zalo: ZaloClient) -> None:
    await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Đ" * 2000)
    status, body = await zalo.error("sendMessage", chat_id=AN_ZALO, text="Đ" * 2001)
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: text must be at most 2000 characters"},
    )
    # Counted in UTF-16 code units: an emoji outside the BMP counts twice.
    status, _ = await zalo.error("sendMessage", chat_id=AN_ZALO, text="🔔" + "Đ" * 1999)
    assert status == 400
    assert [len(item["text"]) for item in sandbox.zalo_chat(AN)] == [2000]


async def test_send_message_to_nobody_or_a_blocked_or_silent_person_is_refused(
    sandbox: Sandbox, zalo: ZaloClient
) -> None:
    assert await zalo.error("sendMessage", chat_id="0000aaaa1111bbbb2222", text="Nhắc việc") == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    assert (await zalo.error("sendMessage", text="Nhắc việc"))[1]["description"] == "Bad Request: chat_id is empty"
    assert (await zalo.error("sendMessage", chat_id=AN_ZALO, text=""))[1]["description"] == "Bad Request: text is empty"
    sandbox.zalo_block(AN)
    assert await zalo.error("sendMessage", chat_id=AN_ZALO, text="Nhắc việc") == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: the user has blocked the bot"},
    )
    dung = sandbox.set_platform(DUNG, "zalo")  # never opened the bot: it may not write first
    status, body = await zalo.error("sendMessage", chat_id=dung.zalo_user_id, text="Nhắc việc")
    assert (status, body["description"]) == (403, "Forbidden: the user has not chatted with the bot yet")
    sandbox.zalo_send(DUNG, "/start MOI-7KX2")
    await zalo.ok("sendMessage", chat_id=dung.zalo_user_id, text="Chào anh Dũng")


async def test_photo_sticker_and_chat_action(sandbox: Sandbox, zalo: ZaloClient) -> None:
    photo = await zalo.ok("sendPhoto", chat_id=AN_ZALO, photo="https://placehold.co/600x400", caption="Biểu đồ quý 4")
    await zalo.ok("sendSticker", chat_id=AN_ZALO, sticker="0e078a2fb66a5f34067b")
    response = await zalo.call("sendChatAction", chat_id=AN_ZALO, action="typing")
    assert response.json() == {"ok": True}
    status, body = await zalo.error("sendPhoto", chat_id=AN_ZALO, photo="bieu-do.png")
    assert (status, body["description"]) == (400, "Bad Request: photo must be an http(s) URL")
    assert sandbox.zalo.chats[AN_ZALO].last_action == "typing"
    [sent_photo, sent_sticker] = sandbox.zalo_chat(AN)
    assert (sent_photo["message_id"], sent_photo["photo"], sent_photo["text"]) == (
        photo["message_id"],
        {"url": "https://placehold.co/600x400"},
        "Biểu đồ quý 4",
    )
    assert sent_sticker["sticker"] == "0e078a2fb66a5f34067b"


async def test_a_chat_over_its_rate_gets_429_with_a_retry_hint(
    sandbox: Sandbox, zalo: ZaloClient, ticker: FakeTicker
) -> None:
    sandbox.zalo_limits = ZaloLimits(private_per_second=0.5, private_burst=2)
    for n in (1, 2):
        await zalo.ok("sendMessage", chat_id=AN_ZALO, text=f"Nhắc việc {n}")
    response = await zalo.call("sendMessage", chat_id=AN_ZALO, text="Nhắc việc 3")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 2"}
    await zalo.ok("sendMessage", chat_id=BINH_ZALO, text="Nhắc việc 1")  # another chat has its own budget
    ticker.now += 2
    await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Nhắc việc 3")
    assert [item["text"] for item in sandbox.zalo_chat(AN)] == ["Nhắc việc 1", "Nhắc việc 2", "Nhắc việc 3"]


async def test_the_overall_rate_covers_every_chat(sandbox: Sandbox, zalo: ZaloClient, ticker: FakeTicker) -> None:
    sandbox.zalo_limits = ZaloLimits(overall_per_second=2.0, overall_burst=2)
    await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")
    await zalo.ok("sendMessage", chat_id=BINH_ZALO, text="Nhắc việc")
    status, body = await zalo.error("sendMessage", chat_id=BINH_ZALO, text="Nhắc việc")
    assert (status, body["description"]) == (429, "Too Many Requests: retry after 1")
    ticker.now += 0.5
    await zalo.ok("sendMessage", chat_id=BINH_ZALO, text="Nhắc việc")


async def test_faults_are_per_platform(http: httpx.AsyncClient, sandbox: Sandbox, zalo: ZaloClient) -> None:
    await script(http, "faults", {"platform": "zalo", "storm": {"seconds": 60, "retry_after": 7}})
    described = (await http.get("/api/sandbox/faults", params={"platform": "zalo"})).json()
    assert described["storm"] == {
        "seconds_left": 60.0,
        "retry_after": 7,
        "methods": ["sendmessage", "sendphoto", "sendsticker"],
    }
    assert (await http.get("/api/sandbox/faults")).json()["storm"] is None  # Telegram's are untouched
    response = await zalo.call("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")
    await script(http, "faults", {"platform": "zalo", "clear": True, "server_errors": {"count": 1, "status": 502}})
    gateway = await zalo.call("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")
    assert gateway.status_code == 502 and "502 Bad Gateway" in gateway.text
    await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")
    assert [item["text"] for item in sandbox.zalo_chat(AN)] == ["Nhắc việc"]


async def test_a_late_answer_may_still_have_delivered(sandbox: Sandbox, zalo: ZaloClient) -> None:
    sandbox.zalo_faults.delay(seconds=0.05, deliver=False)
    lost = await zalo.call("sendMessage", chat_id=AN_ZALO, text="Nhắc việc 1")
    sandbox.zalo_faults.delay(seconds=0.05, deliver=True)
    late = await zalo.call("sendMessage", chat_id=AN_ZALO, text="Nhắc việc 2")
    assert (lost.status_code, late.status_code) == (504, 200)
    assert [item["text"] for item in sandbox.zalo_chat(AN)] == ["Nhắc việc 2"]


class Receiver:
    """A stand-in for the service's Zalo webhook route: records the secret header and body, answers `status`."""

    def __init__(self) -> None:
        self.status = 200
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.headers.get("X-Bot-Api-Secret-Token"), await request.json()))
        self.arrived.set()
        return web.Response(status=self.status)

    async def next(self) -> tuple[str | None, dict[str, Any]]:
        await asyncio.wait_for(self.arrived.wait(), 5)
        self.arrived.clear()
        return self.received[-1]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/webhook/zalo", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        yield found, f"http://127.0.0.1:{sock.getsockname()[1]}/webhook/zalo"
    finally:
        await runner.cleanup()


async def test_webhook_posts_carry_the_secret_header_and_polling_is_refused(
    http: httpx.AsyncClient, sandbox: Sandbox, zalo: ZaloClient, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    assert await zalo.ok("setWebhook", url=url, secret_token="bi-mat-zalo-1") == {"url": url, "updated_at": START_MS}
    message_id = sandbox.zalo_send(AN, "đã trình lãnh đạo Sở, đạt 80%")
    secret, update = await hook.next()
    assert secret == "bi-mat-zalo-1"
    assert update["message"]["message_id"] == message_id
    assert update["message"]["text"] == "đã trình lãnh đạo Sở, đạt 80%"
    status, body = await zalo.error("getUpdates", timeout="30")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates while a webhook is set; call deleteWebhook first",
    )
    assert await zalo.ok("getWebhookInfo") == {"url": url, "updated_at": START_MS}
    calls = (await http.get("/api/sandbox/zalo/webhook")).json()
    assert (calls["url"], calls["pending"]) == (url, 0)
    assert [
        (c["message_id"], c["event_name"], c["secret_header"], c["status"], c["error"]) for c in calls["calls"]
    ] == [(message_id, "message.text.received", "bi-mat-zalo-1", 200, None)]
    assert await zalo.ok("deleteWebhook") == {"url": "", "updated_at": START_MS}
    sandbox.zalo_send(AN, "xong")
    assert (await zalo.ok("getUpdates"))["message"]["text"] == "xong"
    assert len(hook.received) == 1


async def test_a_refused_webhook_call_is_retried_and_listed(
    http: httpx.AsyncClient, sandbox: Sandbox, zalo: ZaloClient, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    sandbox.zalo_api.webhook_retry_seconds = 0.01
    hook.status = 403
    await zalo.ok("setWebhook", url=url, secret_token="bi-mat-zalo-1")
    sandbox.zalo_send(AN, "vướng kinh phí")
    _, first = await hook.next()
    hook.status = 200
    while True:  # the refused call repeats until the receiver takes it
        _, again = await hook.next()
        if not sandbox.pending_zalo_updates:
            break
    assert again == first
    statuses = [call["status"] for call in (await http.get("/api/sandbox/zalo/webhook")).json()["calls"]]
    assert statuses[0] == 403 and statuses[-1] == 200


async def test_set_webhook_wants_https_and_a_secret_of_8_to_256_characters(zalo: ZaloClient) -> None:
    _, body = await zalo.error(
        "setWebhook", url="http://nhacviec.example.vn/webhook/zalo", secret_token="bi-mat-zalo-1"
    )
    assert body["description"] == "Bad Request: url must be an HTTPS URL"
    _, body = await zalo.error("setWebhook", url="https://nhacviec.example.vn/webhook/zalo", secret_token="ngan")
    assert body["description"] == "Bad Request: secret_token must be 8 to 256 visible ASCII characters"
    _, body = await zalo.error("setWebhook", url="https://nhacviec.example.vn/webhook/zalo")
    assert body["description"] == "Bad Request: secret_token must be 8 to 256 visible ASCII characters"
    result = await zalo.ok("setWebhook", url="https://nhacviec.example.vn/webhook/zalo", secret_token="x" * 256)
    assert result["url"] == "https://nhacviec.example.vn/webhook/zalo"


async def test_a_redelivered_update_repeats_its_message_id(http: httpx.AsyncClient, zalo: ZaloClient) -> None:
    sent = await script(http, "send", {"person": AN, "text": "2"})
    delivered = await zalo.ok("getUpdates", timeout="30")
    again = await script(http, "zalo/redeliver", {})
    assert again == delivered and again["message"]["message_id"] == sent["message_id"]
    assert await zalo.ok("getUpdates", timeout="30") == delivered
    status, _ = await zalo.error("getUpdates", timeout="30")
    assert status == 408


async def test_redelivery_picks_an_update_by_message_id(http: httpx.AsyncClient, zalo: ZaloClient) -> None:
    first = await script(http, "send", {"person": AN, "text": "xong rồi"})
    await script(http, "send", {"person": BINH, "text": "đang làm"})
    for _ in range(2):
        await zalo.ok("getUpdates")
    await script(http, "zalo/redeliver", {"message_id": first["message_id"]})
    update = await zalo.ok("getUpdates")
    assert (update["message"]["message_id"], update["message"]["text"]) == (first["message_id"], "xong rồi")


async def test_nothing_to_redeliver_before_a_delivery(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/sandbox/zalo/redeliver")
    assert response.status_code == 409
    assert response.json() == {"ok": False, "description": "Chưa có cập nhật Zalo nào đã giao cho bot để giao lại."}


async def test_an_unknown_method_is_not_found(zalo: ZaloClient) -> None:
    assert await zalo.error("sendDocument", chat_id=AN_ZALO) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


async def test_the_base_url_sits_beside_telegrams(sandbox: Sandbox) -> None:
    assert sandbox.zalo_base_url == f"http://127.0.0.1:{sandbox.port}/zalo/bot"
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/bot"


async def test_waiting_for_the_bots_answer_on_zalo(sandbox: Sandbox, zalo: ZaloClient) -> None:
    asked = sandbox.zalo_send(AN, "/tasks")
    waiting = asyncio.create_task(sandbox.wait_for_zalo_message(AN, after=asked))
    await asyncio.sleep(0.05)
    sent = await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Các việc đang mở của đơn vị bạn (19):")
    answer = await waiting
    assert (answer["message_id"], answer["from"]) == (sent["message_id"], "bot")
    with pytest.raises(TimeoutError):
        await sandbox.wait_for_zalo_message(AN, timeout=0.05)

"""The scripting API with people on two platforms: a person is put on Zalo, sends and reads there, and
everything a Telegram person does keeps its shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox import Sandbox, SandboxClock, SimPerson
from tests.sandbox.support import AN, BINH, CHAU, DUNG, PEOPLE, START, BotClient, ZaloClient

AN_ZALO = "9f2664d2915845cb4ff4"


async def post(http: httpx.AsyncClient, path: str, body: Any) -> httpx.Response:
    return await http.post(f"/api/sandbox/{path}", json=body)


def failure(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"ok", "description"} and body["ok"] is False
    return str(body["description"])


async def test_everyone_starts_on_telegram_without_a_zalo_id(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/sandbox/platforms")).json() == [
        {"person": AN, "platform": "telegram", "zalo_id": None},
        {"person": BINH, "platform": "telegram", "zalo_id": None},
        {"person": CHAU, "platform": "telegram", "zalo_id": None},
        {"person": DUNG, "platform": "telegram", "zalo_id": None},
    ]


async def test_a_person_is_put_on_zalo_and_the_people_list_keeps_its_shape(http: httpx.AsyncClient) -> None:
    response = await post(http, "platform", {"person": AN, "platform": "zalo"})
    assert response.json() == {"person": AN, "platform": "zalo", "zalo_id": AN_ZALO}
    platforms = (await http.get("/api/sandbox/platforms")).json()
    assert platforms[0] == {"person": AN, "platform": "zalo", "zalo_id": AN_ZALO}
    assert (await http.get("/api/sandbox/people")).json()[0] == {
        "id": AN,
        "name": "Nguyễn Văn An",
        "unit": "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
        "role": "staff",
    }


async def test_an_unknown_platform_is_refused(http: httpx.AsyncClient) -> None:
    description = failure(await post(http, "platform", {"person": AN, "platform": "viber"}), 400)
    assert description == "Trường «platform» phải là «telegram» hoặc «zalo»."


async def test_send_goes_through_the_persons_platform(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    on_zalo = (await post(http, "send", {"person": AN, "text": "xong", "reply_to": None})).json()
    on_telegram = (await post(http, "send", {"person": BINH, "text": "xong", "reply_to": None})).json()
    assert isinstance(on_zalo["message_id"], str) and on_telegram == {"message_id": 1}
    assert [update["message"]["message_id"] for update in sandbox.pending_zalo_updates] == [on_zalo["message_id"]]
    assert [update["message"]["from"]["id"] for update in sandbox.pending_updates] == [BINH]


async def test_zalo_has_no_reply_to_no_buttons_and_no_edits(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    sent = (await post(http, "send", {"person": AN, "text": "xong"})).json()
    reply = await post(http, "send", {"person": AN, "text": "đạt 80%", "reply_to": 1})
    assert failure(reply, 400) == "Zalo không có trả lời vào một tin nhắn cụ thể: gửi tin với «reply_to» là null."
    press = await post(http, "press", {"person": AN, "message_id": 1, "button": 0})
    assert failure(press, 400) == "Zalo không có nút bấm: hãy gõ số của lựa chọn (POST /api/sandbox/send)."
    edit = await post(http, "edit", {"person": AN, "message_id": sent["message_id"], "text": "chưa xong"})
    assert failure(edit, 400) == "Bot Zalo không nhận được tin đã sửa: hãy gửi một tin mới."
    assert len(sandbox.pending_zalo_updates) == 1


async def test_a_person_with_both_accounts_reads_each_chat(
    http: httpx.AsyncClient, sandbox: Sandbox, bot: BotClient, zalo: ZaloClient
) -> None:
    await bot.ok("sendMessage", chat_id=AN, text="Nhắc hạn nhiệm vụ II.3 (Telegram)")
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    sent = await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Nhắc hạn nhiệm vụ II.3 (Zalo)")
    own = (await http.get(f"/api/sandbox/chat/{AN}")).json()
    assert [(item["message_id"], item["text"]) for item in own] == [
        (sent["message_id"], "Nhắc hạn nhiệm vụ II.3 (Zalo)")
    ]
    telegram = (await http.get(f"/api/sandbox/chat/{AN}", params={"platform": "telegram"})).json()
    assert [(item["message_id"], item["text"]) for item in telegram] == [(1, "Nhắc hạn nhiệm vụ II.3 (Telegram)")]
    await post(http, "platform", {"person": AN, "platform": "telegram"})
    assert (await http.get(f"/api/sandbox/chat/{AN}")).json() == telegram
    zalo_again = (await http.get(f"/api/sandbox/chat/{AN}", params={"platform": "zalo"})).json()
    assert [item["text"] for item in zalo_again] == ["Nhắc hạn nhiệm vụ II.3 (Zalo)"]
    # Back on Telegram, An keeps the Zalo account: the platforms list still names it.
    assert (await http.get("/api/sandbox/platforms")).json()[0] == {
        "person": AN,
        "platform": "telegram",
        "zalo_id": AN_ZALO,
    }


async def test_a_zalo_chat_is_read_since_a_message_id(http: httpx.AsyncClient, zalo: ZaloClient) -> None:
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    first = (await post(http, "send", {"person": AN, "text": "/tasks"})).json()["message_id"]
    answer = await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Các việc đang mở của đơn vị bạn (19):")
    newer = (await http.get(f"/api/sandbox/chat/{AN}", params={"since": first})).json()
    assert [(item["message_id"], item["from"]) for item in newer] == [(answer["message_id"], "bot")]
    unknown = await http.get(f"/api/sandbox/chat/{AN}", params={"since": "khong-co"})
    assert failure(unknown, 404) == "Không có tin nhắn khong-co trong cuộc trò chuyện Zalo này."


async def test_a_person_never_on_zalo_cannot_write_there(http: httpx.AsyncClient) -> None:
    response = await post(http, "send", {"person": CHAU, "text": "xong", "platform": "zalo"})
    assert failure(response, 409) == (
        "Lê Minh Châu chưa dùng Zalo; hãy chuyển người này sang Zalo trước "
        f'(POST /api/sandbox/platform {{"person": {CHAU}, "platform": "zalo"}}).'
    )


async def test_blocking_on_zalo_leaves_telegram_alone(
    http: httpx.AsyncClient, sandbox: Sandbox, bot: BotClient, zalo: ZaloClient
) -> None:
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    assert (await post(http, "block", {"person": AN})).json() == {"person": AN, "blocked": True}
    status, _ = await zalo.error("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")
    assert status == 403
    await bot.ok("sendMessage", chat_id=AN, text="Nhắc việc")
    assert sandbox.pending_updates == []  # no Telegram my_chat_member: the block was on Zalo
    refused = await post(http, "send", {"person": AN, "text": "xong"})
    assert (
        failure(refused, 409) == "Nguyễn Văn An đang chặn bot trên Zalo; hãy bỏ chặn trước (POST /api/sandbox/block)."
    )
    assert (await post(http, "block", {"person": AN, "blocked": False})).json() == {"person": AN, "blocked": False}
    await zalo.ok("sendMessage", chat_id=AN_ZALO, text="Nhắc việc")


async def test_zalo_events_other_than_text(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await post(http, "platform", {"person": AN, "platform": "zalo"})
    sticker = (await post(http, "zalo/send", {"person": AN, "sticker": "0e078a2fb66a5f34067b"})).json()
    photo = (
        await post(http, "zalo/send", {"person": AN, "photo": "https://placehold.co/600x400", "caption": "ảnh"})
    ).json()
    other = (await post(http, "zalo/send", {"person": AN, "unsupported": True})).json()
    assert [sticker["event_name"], photo["event_name"], other["event_name"]] == [
        "message.sticker.received",
        "message.image.received",
        "message.unsupported.received",
    ]
    messages = [update["message"] for update in sandbox.pending_zalo_updates]
    assert messages[0]["sticker"] == "0e078a2fb66a5f34067b" and "text" not in messages[0]
    assert (messages[1]["photo"], messages[1]["caption"]) == ("https://placehold.co/600x400", "ảnh")
    assert set(messages[2]) == {"message_id", "from", "chat", "date"}
    both = await post(http, "zalo/send", {"person": AN, "text": "xong", "sticker": "0e078a2fb66a5f34067b"})
    assert failure(both, 400) == "Gửi đúng một trong các trường: «text», «photo», «sticker» hoặc «unsupported»."


async def test_people_may_start_on_zalo() -> None:
    people = [*PEOPLE[:3], SimPerson(id=105, name="Võ Thị Hạnh", unit="Văn phòng Sở", role="staff", platform="zalo")]
    box = Sandbox(people, clock=SandboxClock(START))
    assert box.platform(105) == "zalo"
    assert box.zalo_id(105) == "0decd93defb242dd95bc"  # fixed by the id: the same on every run
    assert box.zalo_send(105, "/start MOI-7KX2") == box.pending_zalo_updates[0]["message"]["message_id"]


def test_zalo_ids_are_letters_and_digits_and_distinct() -> None:
    with pytest.raises(ValueError):
        SimPerson(id=105, name="Võ Thị Hạnh", unit=None, role="staff", zalo_id="không-hợp-lệ")
    with pytest.raises(ValueError):
        SimPerson(id=105, name="Võ Thị Hạnh", unit=None, role="staff", platform="viber")
    twins = [
        SimPerson(id=105, name="Võ Thị Hạnh", unit=None, role="staff", zalo_id="abc123"),
        SimPerson(id=106, name="Đỗ Văn Hùng", unit=None, role="staff", zalo_id="abc123"),
    ]
    with pytest.raises(ValueError):
        Sandbox(twins, clock=SandboxClock(START))


async def test_the_page_shows_platform_badges_and_a_switch(http: httpx.AsyncClient) -> None:
    page = (await http.get("/")).text
    # The badge beside each name and in the chat's title, from the platforms list the page loads.
    assert 'api("platforms")' in page
    assert 'element.className = "badge " + platform;' in page
    assert '<span id="chat-platform" class="badge" hidden></span>' in page
    assert 'const PLATFORM_NAMES = { telegram: "Telegram", zalo: "Zalo" };' in page
    # The control that puts the open person on Zalo (or back), and Zalo messages drawn as plain text.
    assert '<button id="platform-switch" type="button" hidden></button>' in page
    assert 'api("platform", { person: current.id, platform: $("platform-switch").dataset.target })' in page
    assert 'if (message.platform === "zalo") { return zaloMessageElement(message); }' in page

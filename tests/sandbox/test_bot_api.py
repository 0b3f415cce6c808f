"""Bot API của hộp cát: cùng phong bì JSON, cùng thông báo lỗi và giới hạn như Telegram."""

from __future__ import annotations

import asyncio
import json
import struct
import time
import zlib
from datetime import timedelta

import httpx
import pytest

from sandbox import Limits, Sandbox
from tests.sandbox.support import AN, BINH, CHAU, DUNG, GROUP, TOKEN, BotClient, FakeTicker

KEYBOARD = {
    "inline_keyboard": [
        [
            {"text": "✅ Đã hoàn thành", "callback_data": "done:42"},
            {"text": "⏳ Đang thực hiện", "callback_data": "wip:42"},
        ],
        [
            {"text": "⚠️ Có vướng mắc", "callback_data": "blocked:42"},
            {"text": "Kế hoạch", "url": "https://example.vn/kh"},
        ],
    ]
}


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def test_getme_voi_token_bat_ky_va_moi_kieu_gui(
    bot: BotClient, http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    me = await bot.ok("getMe")
    assert me["username"] == "nhacviec_bot" and me["is_bot"] is True
    assert me["can_read_all_group_messages"] is False
    by_get = (await http.get(f"{sandbox.base_url}999:OTHER/getme")).json()
    by_form = (await http.post(f"{sandbox.base_url}{TOKEN}/getMe", data={})).json()
    assert by_get == by_form == {"ok": True, "result": me}


async def test_phuong_thuc_khong_co(bot: BotClient) -> None:
    status, body = await bot.error("sendSticker", chat_id=AN, sticker="x")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_gui_tin_dang_form_nhu_python_telegram_bot(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    response = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendMessage",
        data={
            "chat_id": str(AN),
            "text": "🔔 <b>Nhắc hạn</b> nhiệm vụ II.3",
            "parse_mode": "HTML",
            "reply_markup": json.dumps(KEYBOARD),
            "link_preview_options": json.dumps({"is_disabled": True}),
            "disable_notification": "true",
        },
    )
    body = response.json()
    assert response.status_code == 200 and body["ok"] is True
    message = body["result"]
    assert message["text"] == "🔔 Nhắc hạn nhiệm vụ II.3"
    assert message["entities"] == [{"type": "bold", "offset": 3, "length": 8}]
    assert message["chat"] == {"id": AN, "type": "private", "first_name": "Nguyễn Văn An"}
    assert message["from"]["username"] == "nhacviec_bot"
    assert message["date"] == int(sandbox.clock.now().timestamp())
    assert message["reply_markup"] == KEYBOARD
    assert message["link_preview_options"] == {"is_disabled": True}
    [seen] = sandbox.chat(AN)
    assert seen["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc", "Kế hoạch"]


async def test_tin_qua_dai_tinh_sau_khi_phan_tich_the(bot: BotClient) -> None:
    # 4096 characters of text: the tags around them do not count.
    exact = await bot.ok("sendMessage", chat_id=AN, text="<b>" + "ệ" * 4096 + "</b>", parse_mode="HTML")
    assert len(exact["text"]) == 4096
    status, body = await bot.error("sendMessage", chat_id=AN, text="a" * 4097)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")


async def test_loi_phan_tich_the(bot: BotClient) -> None:
    status, body = await bot.error("sendMessage", chat_id=AN, text="Tiến độ <b>80%", parse_mode="HTML")
    assert status == 400
    assert body["description"] == "Bad Request: can't parse entities: Can't find end tag corresponding to start tag b"
    _, body = await bot.error("sendMessage", chat_id=AN, text="<p>x</p>", parse_mode="HTML")
    assert body["description"] == 'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0'
    # Without a parse mode the same text is plain.
    plain = await bot.ok("sendMessage", chat_id=AN, text="Tiến độ <b>80%")
    assert plain["text"] == "Tiến độ <b>80%"


async def test_van_ban_rong(bot: BotClient) -> None:
    for text in ("", "   \n", "<b> </b>"):
        status, body = await bot.error("sendMessage", chat_id=AN, text=text, parse_mode="HTML")
        assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_khong_tim_thay_chat(bot: BotClient) -> None:
    for chat_id in (999, "@nobody", "abc"):
        status, body = await bot.error("sendMessage", chat_id=chat_id, text="Xin chào")
        assert (status, body["description"]) == (400, "Bad Request: chat not found")
    by_username = await bot.ok("sendMessage", chat_id="@chau_le", text="Xin chào")
    assert by_username["chat"]["id"] == CHAU


async def test_du_lieu_nut_qua_64_byte(bot: BotClient) -> None:
    fits = {"inline_keyboard": [[{"text": "Đúng 64 byte", "callback_data": "ệ" * 21 + "x"}]]}
    await bot.ok("sendMessage", chat_id=AN, text="Chọn", reply_markup=fits)
    for data in ("ệ" * 22, "", "x" * 65):
        markup = {"inline_keyboard": [[{"text": "Nút", "callback_data": data}]]}
        status, body = await bot.error("sendMessage", chat_id=AN, text="Chọn", reply_markup=markup)
        assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_ban_phim_sai(bot: BotClient) -> None:
    no_action = {"inline_keyboard": [[{"text": "Chỉ có chữ"}]]}
    _, body = await bot.error("sendMessage", chat_id=AN, text="x", reply_markup=no_action)
    assert body["description"].startswith("Bad Request: can't parse inline keyboard button")
    _, body = await bot.error("sendMessage", chat_id=AN, text="x", reply_markup="{không phải JSON")
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"
    too_many = {"inline_keyboard": [[{"text": str(n), "callback_data": str(n)}] for n in range(101)]}
    _, body = await bot.error("sendMessage", chat_id=AN, text="x", reply_markup=too_many)
    assert body["description"] == "Bad Request: reply markup is too long"


async def test_nguoi_chan_bot(bot: BotClient, sandbox: Sandbox) -> None:
    sandbox.block(BINH)
    status, body = await bot.error("sendMessage", chat_id=BINH, text="Nhắc hạn")
    assert (status, body) == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    status, _ = await bot.error("sendChatAction", chat_id=BINH, action="typing")
    assert status == 403
    [update] = sandbox.pending_updates
    member = update["my_chat_member"]
    assert (member["old_chat_member"]["status"], member["new_chat_member"]["status"]) == ("member", "kicked")
    sandbox.unblock(BINH)
    await bot.ok("sendMessage", chat_id=BINH, text="Nhắc hạn")


async def test_bot_khong_duoc_nhan_truoc(bot: BotClient, sandbox: Sandbox) -> None:
    status, body = await bot.error("sendMessage", chat_id=DUNG, text="Chào anh")
    assert (status, body["description"]) == (403, "Forbidden: bot can't initiate conversation with a user")
    sandbox.send(DUNG, "/start")
    await bot.ok("sendMessage", chat_id=DUNG, text="Chào anh")


async def test_gioi_han_moi_chat_rieng_429(bot: BotClient, ticker: FakeTicker) -> None:
    for n in range(3):
        await bot.ok("sendMessage", chat_id=AN, text=f"Tin {n}")
    status, body = await bot.error("sendMessage", chat_id=AN, text="Tin 3")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    await bot.ok("sendMessage", chat_id=BINH, text="Người khác vẫn nhận được")
    ticker.now += 1
    await bot.ok("sendMessage", chat_id=AN, text="Tin 3")


async def test_gioi_han_nhom_20_tin_moi_phut(bot: BotClient, ticker: FakeTicker) -> None:
    for n in range(20):
        await bot.ok("sendMessage", chat_id=GROUP, text=f"Tin {n}")
        ticker.now += 0.5
    status, body = await bot.error("sendMessage", chat_id=GROUP, text="Tin 21")
    assert status == 429 and body["parameters"]["retry_after"] >= 1


async def test_doi_gioi_han_khi_dang_chay(bot: BotClient, sandbox: Sandbox) -> None:
    sandbox.limits = Limits(private_burst=1, text_length=10)
    assert sandbox.limits.private_burst == 1
    _, body = await bot.error("sendMessage", chat_id=AN, text="mười một ký")
    assert body["description"] == "Bad Request: message is too long"
    await bot.ok("sendMessage", chat_id=AN, text="ngắn")
    status, _ = await bot.error("sendMessage", chat_id=AN, text="ngắn")
    assert status == 429


async def test_tra_loi_mot_tin(bot: BotClient, sandbox: Sandbox) -> None:
    asked = sandbox.send(AN, "đã trình dự thảo, đạt 70%")
    answer = await bot.ok("sendMessage", chat_id=AN, text="Đã ghi nhận", reply_parameters={"message_id": asked})
    assert answer["reply_to_message"]["message_id"] == asked
    assert answer["reply_to_message"]["text"] == "đã trình dự thảo, đạt 70%"
    legacy = await bot.ok("sendMessage", chat_id=AN, text="Cũ", reply_to_message_id=asked)
    assert legacy["reply_to_message"]["message_id"] == asked
    _, body = await bot.error("sendMessage", chat_id=AN, text="x", reply_parameters={"message_id": 999})
    assert body["description"] == "Bad Request: message to be replied not found"
    lenient = await bot.ok(
        "sendMessage", chat_id=AN, text="x", reply_parameters={"message_id": 999, "allow_sending_without_reply": True}
    )
    assert "reply_to_message" not in lenient
    assert sandbox.chat(AN)[1]["reply_to"] == asked


async def test_sua_tin_nhan(bot: BotClient, sandbox: Sandbox) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Nhắc hạn", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    sandbox.clock.advance(timedelta(minutes=5))
    edited = await bot.ok(
        "editMessageText",
        chat_id=AN,
        message_id=mid,
        text="<i>Đã ghi nhận</i>",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    assert edited["text"] == "Đã ghi nhận" and edited["edit_date"] > edited["date"]
    _, body = await bot.error(
        "editMessageText",
        chat_id=AN,
        message_id=mid,
        text="<i>Đã ghi nhận</i>",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    assert body["description"].startswith("Bad Request: message is not modified")
    # Leaving reply_markup out removes the keyboard, as on Telegram.
    bare = await bot.ok("editMessageText", chat_id=AN, message_id=mid, text="Đã ghi nhận", parse_mode="HTML")
    assert "reply_markup" not in bare
    [item] = sandbox.chat(AN)
    assert (item["text"], item["buttons"], item["edited"]) == ("Đã ghi nhận", [], True)
    _, body = await bot.error("editMessageText", chat_id=AN, message_id=77, text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    mine = sandbox.send(AN, "xong rồi")
    _, body = await bot.error("editMessageText", chat_id=AN, message_id=mine, text="x")
    assert body["description"] == "Bad Request: message can't be edited"


async def test_sua_ban_phim(bot: BotClient, sandbox: Sandbox) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Chọn", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    smaller = {"inline_keyboard": [[{"text": "✅ Đã hoàn thành", "callback_data": "done:42"}]]}
    result = await bot.ok("editMessageReplyMarkup", chat_id=AN, message_id=mid, reply_markup=smaller)
    assert result["reply_markup"] == smaller
    _, body = await bot.error("editMessageReplyMarkup", chat_id=AN, message_id=mid, reply_markup=smaller)
    assert body["description"].startswith("Bad Request: message is not modified")
    cleared = await bot.ok("editMessageReplyMarkup", chat_id=AN, message_id=mid)
    assert "reply_markup" not in cleared
    assert sandbox.chat(AN)[0]["buttons"] == []


async def test_bam_nut_va_tra_loi_callback(bot: BotClient, sandbox: Sandbox) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Nhắc hạn", reply_markup=KEYBOARD)
    query_id = sandbox.press(AN, sent["message_id"], "⏳ Đang thực hiện")
    [update] = await bot.ok("getUpdates")
    query = update["callback_query"]
    assert (query["id"], query["data"], query["from"]["id"]) == (query_id, "wip:42", AN)
    assert query["message"]["message_id"] == sent["message_id"]
    assert sandbox.unanswered_callbacks() == [query_id]
    assert await bot.ok("answerCallbackQuery", callback_query_id=query_id, text="Đã ghi: đang thực hiện") is True
    _, body = await bot.error("answerCallbackQuery", callback_query_id=query_id)
    assert body["description"] == "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert sandbox.chat(AN)[0]["callback_answer"] == "Đã ghi: đang thực hiện"
    assert sandbox.unanswered_callbacks() == []


async def test_long_polling_tra_ngay_khi_co_cap_nhat(bot: BotClient, sandbox: Sandbox) -> None:
    async def later() -> None:
        await asyncio.sleep(0.1)
        sandbox.send(AN, "/tasks")

    started = time.monotonic()
    task = asyncio.create_task(later())
    updates = await bot.ok("getUpdates", timeout=5)
    await task
    assert time.monotonic() - started < 2
    [update] = updates
    message = update["message"]
    assert message["text"] == "/tasks"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"] == {"id": AN, "is_bot": False, "first_name": "Nguyễn Văn An", "language_code": "vi"}


async def test_long_polling_het_gio_tra_rong(bot: BotClient) -> None:
    started = time.monotonic()
    assert await bot.ok("getUpdates", timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 3


async def test_offset_xac_nhan_cap_nhat_cu(bot: BotClient, sandbox: Sandbox) -> None:
    for text in ("một", "hai", "ba"):
        sandbox.send(AN, text)
    updates = await bot.ok("getUpdates")
    assert [u["message"]["text"] for u in updates] == ["một", "hai", "ba"]
    # Unconfirmed updates come again.
    assert await bot.ok("getUpdates") == updates
    first = updates[0]["update_id"]
    again = await bot.ok("getUpdates", offset=first + 1, limit=1)
    assert [u["update_id"] for u in again] == [first + 1]
    assert [u["update_id"] for u in await bot.ok("getUpdates", offset=-1)] == [first + 2]
    assert await bot.ok("getUpdates", offset=first + 3) == []


async def test_allowed_updates_loc_khi_tao(bot: BotClient, sandbox: Sandbox) -> None:
    await bot.ok("getUpdates", allowed_updates=["callback_query"])
    sandbox.send(AN, "không được giao")
    sent = await bot.ok("sendMessage", chat_id=AN, text="Chọn", reply_markup=KEYBOARD)
    sandbox.press(AN, sent["message_id"], 0)
    updates = await bot.ok("getUpdates")
    assert [next(k for k in u if k != "update_id") for u in updates] == ["callback_query"]
    # An empty list goes back to Telegram's default.
    await bot.ok("getUpdates", allowed_updates=[], offset=updates[-1]["update_id"] + 1)
    sandbox.send(AN, "được giao")
    assert [u["message"]["text"] for u in await bot.ok("getUpdates")] == ["được giao"]


async def test_webhook_chan_getupdates(bot: BotClient, sandbox: Sandbox) -> None:
    _, body = await bot.error("setWebhook", url="http://example.vn/hook")
    assert body["description"] == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    _, body = await bot.error("setWebhook", url="https://example.vn:8080/hook")
    assert body["description"].startswith("Bad Request: bad webhook: Webhook can be set up only on ports")
    assert await bot.ok("setWebhook", url="https://example.vn/hook", secret_token="bi-mat_1") is True
    info = await bot.ok("getWebhookInfo")
    assert info["url"] == "https://example.vn/hook" and info["pending_update_count"] == 0
    status, body = await bot.error("getUpdates")
    assert status == 409 and body["description"].startswith(
        "Conflict: can't use getUpdates method while webhook is active"
    )
    sandbox.send(AN, "chờ")
    await bot.ok("deleteWebhook", drop_pending_updates=True)
    assert await bot.ok("getUpdates") == []
    assert (await bot.ok("getWebhookInfo"))["url"] == ""


async def test_hai_ban_bot_cung_lay_cap_nhat(bot: BotClient) -> None:
    first = asyncio.create_task(bot.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(bot.call("getUpdates", timeout=0))
    older, newer = await asyncio.gather(first, second)
    assert older.status_code == 409
    assert older.json()["description"].startswith("Conflict: terminated by other getUpdates request")
    assert newer.json() == {"ok": True, "result": []}


async def test_lenh_theo_ngon_ngu(bot: BotClient, sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    vi = [{"command": "tasks", "description": "Việc của đơn vị"}, {"command": "summary", "description": "Tổng hợp"}]
    en = [{"command": "tasks", "description": "My unit's tasks"}]
    assert await bot.ok("setMyCommands", commands=vi) is True
    assert await bot.ok("setMyCommands", commands=en, language_code="en") is True
    await bot.ok("setMyCommands", commands=vi[:1], scope={"type": "chat", "chat_id": CHAU}, language_code="vi")
    assert sandbox.commands() == vi
    assert sandbox.commands(language_code="en") == en
    assert sandbox.commands("chat:103", "vi") == vi[:1]
    assert await bot.ok("getMyCommands", language_code="en") == en
    assert await bot.ok("getMyCommands", language_code="fr") == []
    listed = (await http.get("/api/sandbox/commands")).json()
    assert {(item["scope"]["type"], item["language_code"]) for item in listed} == {
        ("default", ""),
        ("default", "en"),
        ("chat", "vi"),
    }
    _, body = await bot.error("setMyCommands", commands=[{"command": "Tasks!", "description": "x"}])
    assert body["description"] == "Bad Request: BOT_COMMAND_INVALID"
    await bot.ok("deleteMyCommands", language_code="en")
    assert sandbox.commands(language_code="en") == []


async def test_gui_tep_multipart_va_tai_ve(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    content = "Báo cáo tiến độ quý IV".encode() * 100
    response = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendDocument",
        data={"chat_id": str(AN), "caption": "<b>Báo cáo</b> quý IV/2025", "parse_mode": "HTML"},
        files={
            "document": (
                "Báo cáo quý IV.docx",
                content,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        },
    )
    message = response.json()["result"]
    document = message["document"]
    assert document["file_name"] == "Báo cáo quý IV.docx" and document["file_size"] == len(content)
    assert message["caption"] == "Báo cáo quý IV/2025"
    assert message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 7}]
    [item] = sandbox.chat(AN)
    assert item["text"] == "Báo cáo quý IV/2025"
    assert item["document"]["file_name"] == "Báo cáo quý IV.docx"
    download = await http.get(item["document"]["url"])
    assert download.content == content
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20IV.docx" in download.headers["content-disposition"]
    # getFile and the file URL the bot libraries use.
    file = (await http.post(f"{sandbox.base_url}{TOKEN}/getFile", json={"file_id": document["file_id"]})).json()[
        "result"
    ]
    assert (await http.get(f"{sandbox.base_file_url}{TOKEN}/{file['file_path']}")).content == content
    # Sending again by file_id reuses the stored file.
    again = (
        await http.post(
            f"{sandbox.base_url}{TOKEN}/sendDocument", json={"chat_id": BINH, "document": document["file_id"]}
        )
    ).json()
    assert again["result"]["document"]["file_id"] == document["file_id"]


async def test_gui_tep_loi(bot: BotClient, http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    _, body = await bot.error("sendDocument", chat_id=AN)
    assert body["description"] == "Bad Request: there is no document in the request"
    _, body = await bot.error("sendDocument", chat_id=AN, document="https://example.vn/a.pdf")
    assert body["description"] == "Bad Request: failed to get HTTP URL content"
    _, body = await bot.error("sendDocument", chat_id=AN, document="không-có")
    assert body["description"] == "Bad Request: wrong file identifier/HTTP URL specified"
    empty = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendDocument",
        data={"chat_id": str(AN)},
        files={"document": ("rong.txt", b"", "text/plain")},
    )
    assert empty.json()["description"] == "Bad Request: file must be non-empty"
    long_caption = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendDocument",
        data={"chat_id": str(AN), "caption": "x" * 1025},
        files={"document": ("a.txt", b"a", "text/plain")},
    )
    assert long_caption.json()["description"] == "Bad Request: message caption is too long"


async def test_gui_anh(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    image = png(3, 2)
    response = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendPhoto",
        data={"chat_id": str(AN), "caption": "Biểu đồ tiến độ"},
        files={"photo": ("bieu-do.png", image, "image/png")},
    )
    [size] = response.json()["result"]["photo"]
    assert (size["width"], size["height"], size["file_size"]) == (3, 2, len(image))
    item = sandbox.chat(AN)[0]
    assert (await http.get(item["photo"]["url"])).content == image
    refused = await http.post(
        f"{sandbox.base_url}{TOKEN}/sendPhoto",
        data={"chat_id": str(AN)},
        files={"photo": ("a.png", b"not an image", "image/png")},
    )
    assert refused.json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_hanh_dong_chat_va_xoa_tin(bot: BotClient, sandbox: Sandbox) -> None:
    assert await bot.ok("sendChatAction", chat_id=AN, action="typing") is True
    _, body = await bot.error("sendChatAction", chat_id=AN, action="dancing")
    assert body["description"] == "Bad Request: wrong parameter action in request"
    sent = await bot.ok("sendMessage", chat_id=AN, text="Sẽ xoá")
    assert await bot.ok("deleteMessage", chat_id=AN, message_id=sent["message_id"]) is True
    assert sandbox.chat(AN) == []
    _, body = await bot.error("deleteMessage", chat_id=AN, message_id=sent["message_id"])
    assert body["description"] == "Bad Request: message to delete not found"


async def test_bao_429(bot: BotClient, sandbox: Sandbox, ticker: FakeTicker) -> None:
    sandbox.faults.storm(seconds=10, retry_after=5)  # from the sandbox's ticker
    status, body = await bot.error("sendMessage", chat_id=AN, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 5})
    assert body["description"] == "Too Many Requests: retry after 5"
    assert await bot.ok("getMe")  # not a sending method
    ticker.now += 10
    await bot.ok("sendMessage", chat_id=AN, text="x")
    assert [item["text"] for item in sandbox.chat(AN)] == ["x"]


async def test_loi_5xx(bot: BotClient, sandbox: Sandbox) -> None:
    sandbox.faults.server_errors(count=1, status=500)
    status, body = await bot.error("sendMessage", chat_id=AN, text="x")
    assert (status, body["description"]) == (500, "Internal Server Error")
    sandbox.faults.server_errors(count=1, status=502)
    response = await bot.call("sendMessage", chat_id=AN, text="x")
    assert response.status_code == 502 and "502 Bad Gateway" in response.text
    assert sandbox.chat(AN) == []
    await bot.ok("sendMessage", chat_id=AN, text="x")


async def test_tra_loi_cham(bot: BotClient, sandbox: Sandbox) -> None:
    sandbox.faults.delay(seconds=0.3, deliver=True)
    started = time.monotonic()
    await bot.ok("sendMessage", chat_id=AN, text="đến nhưng trả lời chậm")
    assert time.monotonic() - started >= 0.3
    # With deliver=False nothing arrives and the answer is a gateway timeout.
    sandbox.faults.delay(seconds=0.2, deliver=False)
    response = await bot.call("sendMessage", chat_id=AN, text="không đến")
    assert response.status_code == 504
    assert [item["text"] for item in sandbox.chat(AN)] == ["đến nhưng trả lời chậm"]


async def test_client_het_gio_nhung_tin_van_den(sandbox: Sandbox) -> None:
    sandbox.faults.delay(seconds=2, deliver=True)
    async with httpx.AsyncClient(timeout=0.2) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await impatient.post(f"{sandbox.base_url}{TOKEN}/sendMessage", json={"chat_id": AN, "text": "đã đến"})
    assert [item["text"] for item in sandbox.chat(AN)] == ["đã đến"]


async def test_nhom_che_do_rieng_tu(bot: BotClient, sandbox: Sandbox) -> None:
    sandbox.send(AN, "chuyện riêng của nhóm", chat=GROUP)
    sandbox.send(AN, "/tasks", chat=GROUP)
    sandbox.send(BINH, "/tasks@other_bot", chat=GROUP)
    sandbox.send(BINH, "hỏi @nhacviec_bot giúp", chat=GROUP)
    posted = await bot.ok("sendMessage", chat_id=GROUP, text="Danh sách việc")
    assert posted["chat"] == {"id": GROUP, "type": "supergroup", "title": "Tổ công tác TĐC"}
    sandbox.send(CHAU, "cảm ơn bot", reply_to=posted["message_id"], chat=GROUP)
    texts = [u["message"]["text"] for u in await bot.ok("getUpdates")]
    assert texts == ["/tasks", "hỏi @nhacviec_bot giúp", "cảm ơn bot"]
    assert len(sandbox.group_chat(GROUP)) == 6

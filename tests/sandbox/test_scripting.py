"""API kịch bản /api/sandbox/: đúng hình dạng hợp đồng công khai, lỗi rõ ràng bằng tiếng Việt."""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx

from sandbox import Sandbox
from tests.sandbox.support import AN, BINH, CHAU, DUNG, GROUP, BotClient

KEYBOARD = {
    "inline_keyboard": [
        [
            {"text": "✅ Đã hoàn thành", "callback_data": "done:7"},
            {"text": "⏳ Đang thực hiện", "callback_data": "wip:7"},
        ],
        [{"text": "Xem kế hoạch", "url": "https://example.vn/kh"}],
    ]
}


async def post(http: httpx.AsyncClient, path: str, body: Any) -> httpx.Response:
    return await http.post(f"/api/sandbox/{path}", json=body)


def assert_failure(response: httpx.Response, status: int) -> str:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "description"} and body["ok"] is False
    assert isinstance(body["description"], str) and body["description"]
    return str(body["description"])


async def test_danh_sach_nguoi(http: httpx.AsyncClient) -> None:
    people = (await http.get("/api/sandbox/people")).json()
    assert people == [
        {"id": AN, "name": "Nguyễn Văn An", "unit": "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "role": "staff"},
        {
            "id": BINH,
            "name": "Trần Thị Bình",
            "unit": "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
            "role": "unit_lead",
        },
        {"id": CHAU, "name": "Lê Minh Châu", "unit": "Văn phòng Sở", "role": "monitor"},
        {"id": DUNG, "name": "Phạm Quốc Dũng", "unit": None, "role": "admin"},
    ]


async def test_gui_tin_tao_cap_nhat_message(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    response = await post(http, "send", {"person": AN, "text": "/start INV-abc", "reply_to": None})
    assert response.status_code == 200
    assert response.json() == {"message_id": 1}
    [update] = sandbox.pending_updates
    message = update["message"]
    assert message["text"] == "/start INV-abc"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["chat"] == {"id": AN, "type": "private", "first_name": "Nguyễn Văn An"}
    plain = await post(http, "send", {"person": AN, "text": "đã trình lãnh đạo Sở, 80%"})
    assert plain.json() == {"message_id": 2}
    assert "entities" not in sandbox.pending_updates[-1]["message"]


async def test_tra_loi_mot_tin_cua_bot(http: httpx.AsyncClient, bot: BotClient, sandbox: Sandbox) -> None:
    prompt = await bot.ok("sendMessage", chat_id=AN, text="Báo cáo tiến độ nhiệm vụ II.3?")
    response = await post(http, "send", {"person": AN, "text": "đạt 70%", "reply_to": prompt["message_id"]})
    mid = response.json()["message_id"]
    message = sandbox.pending_updates[-1]["message"]
    assert message["reply_to_message"]["message_id"] == prompt["message_id"]
    assert message["reply_to_message"]["from"]["is_bot"] is True
    assert sandbox.chat(AN)[-1]["reply_to"] == prompt["message_id"] and sandbox.chat(AN)[-1]["message_id"] == mid


async def test_loi_khi_gui(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    bad_json = await http.post("/api/sandbox/send", content=b"{person: 1", headers={"Content-Type": "application/json"})
    assert "JSON" in assert_failure(bad_json, 400)
    assert_failure(await post(http, "send", ["không", "phải", "đối tượng"]), 400)
    assert "999" in assert_failure(await post(http, "send", {"person": 999, "text": "x"}), 404)
    assert_failure(await post(http, "send", {"person": "an", "text": "x"}), 400)
    assert_failure(await post(http, "send", {"person": AN}), 400)
    assert_failure(await post(http, "send", {"person": AN, "text": "   "}), 400)
    assert_failure(await post(http, "send", {"person": AN, "text": "x", "reply_to": 55}), 404)
    sandbox.block(AN)
    assert "chặn" in assert_failure(await post(http, "send", {"person": AN, "text": "x"}), 409)
    assert_failure(await post(http, "send", {"person": AN, "text": "x", "chat": -5}), 404)
    assert_failure(await post(http, "send", {"person": DUNG, "text": "x", "chat": GROUP}), 403)


async def test_bam_nut_theo_nhan_hoac_so_thu_tu(http: httpx.AsyncClient, bot: BotClient, sandbox: Sandbox) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Nhắc hạn", reply_markup=KEYBOARD)
    mid = sent["message_id"]
    by_label = await post(http, "press", {"person": AN, "message_id": mid, "button": "⏳ Đang thực hiện"})
    assert by_label.status_code == 200
    assert set(by_label.json()) == {"callback_query_id"}
    by_index = await post(http, "press", {"person": AN, "message_id": mid, "button": 0})
    # A label in another Unicode form still finds its button.
    decomposed = unicodedata.normalize("NFD", "✅ Đã hoàn thành")
    by_nfd = await post(http, "press", {"person": AN, "message_id": mid, "button": decomposed})
    assert by_nfd.status_code == 200
    data = [u["callback_query"]["data"] for u in sandbox.pending_updates]
    assert data == ["wip:7", "done:7", "done:7"]
    assert sandbox.pending_updates[1]["callback_query"]["id"] == by_index.json()["callback_query_id"]


async def test_loi_khi_bam_nut(http: httpx.AsyncClient, bot: BotClient) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Nhắc hạn", reply_markup=KEYBOARD)
    plain = await bot.ok("sendMessage", chat_id=AN, text="Không có nút")
    mid = sent["message_id"]
    assert_failure(await post(http, "press", {"person": AN, "message_id": 99, "button": 0}), 404)
    assert "các nút" in assert_failure(
        await post(http, "press", {"person": AN, "message_id": mid, "button": "Không có"}), 400
    )
    assert_failure(await post(http, "press", {"person": AN, "message_id": mid, "button": 7}), 400)
    assert "liên kết" in assert_failure(await post(http, "press", {"person": AN, "message_id": mid, "button": 2}), 400)
    assert_failure(await post(http, "press", {"person": AN, "message_id": plain["message_id"], "button": 0}), 400)
    assert_failure(await post(http, "press", {"person": AN, "message_id": mid}), 400)
    # Another person's chat does not hold that message.
    assert_failure(await post(http, "press", {"person": BINH, "message_id": mid, "button": 0}), 404)


async def test_xem_cuoc_tro_chuyen(http: httpx.AsyncClient, bot: BotClient, sandbox: Sandbox) -> None:
    first = (await post(http, "send", {"person": AN, "text": "/tasks"})).json()["message_id"]
    reply = await bot.ok(
        "sendMessage", chat_id=AN, text="<b>Việc của đơn vị</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    chat = (await http.get(f"/api/sandbox/chat/{AN}")).json()
    assert [m["message_id"] for m in chat] == [first, reply["message_id"]]
    for item in chat:
        assert {"message_id", "from", "text", "buttons", "date"} <= set(item)
    assert chat[0]["from"] == "person" and chat[0]["text"] == "/tasks" and chat[0]["buttons"] == []
    bot_item = chat[1]
    assert bot_item["from"] == "bot"
    assert bot_item["text"] == "Việc của đơn vị"
    assert bot_item["html"] == "<b>Việc của đơn vị</b>"
    assert bot_item["buttons"] == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "Xem kế hoạch"]
    assert bot_item["date"] == "2025-10-01T08:00:00+07:00"
    newer = (await http.get(f"/api/sandbox/chat/{AN}", params={"since": first})).json()
    assert [m["message_id"] for m in newer] == [reply["message_id"]]
    assert (await http.get(f"/api/sandbox/chat/{BINH}")).json() == []
    assert_failure(await http.get("/api/sandbox/chat/999"), 404)
    assert_failure(await http.get("/api/sandbox/chat/abc"), 400)
    assert_failure(await http.get(f"/api/sandbox/chat/{AN}", params={"since": "hôm qua"}), 400)


async def test_tin_bot_da_sua_hien_noi_dung_moi(http: httpx.AsyncClient, bot: BotClient) -> None:
    sent = await bot.ok("sendMessage", chat_id=AN, text="Đang xử lý…")
    await bot.ok("editMessageText", chat_id=AN, message_id=sent["message_id"], text="Đã ghi nhận: 80%")
    [item] = (await http.get(f"/api/sandbox/chat/{AN}")).json()
    assert (item["text"], item["edited"]) == ("Đã ghi nhận: 80%", True)


async def test_nguoi_sua_tin_cua_minh(http: httpx.AsyncClient, bot: BotClient, sandbox: Sandbox) -> None:
    mid = (await post(http, "send", {"person": AN, "text": "đạt 70%"})).json()["message_id"]
    response = await post(http, "edit", {"person": AN, "message_id": mid, "text": "đạt 75%"})
    assert response.json() == {"message_id": mid}
    edited = sandbox.pending_updates[-1]["edited_message"]
    assert (edited["message_id"], edited["text"]) == (mid, "đạt 75%")
    assert edited["edit_date"] >= edited["date"]
    assert sandbox.chat(AN)[0]["text"] == "đạt 75%"
    prompt = await bot.ok("sendMessage", chat_id=AN, text="Câu hỏi")
    assert_failure(await post(http, "edit", {"person": AN, "message_id": prompt["message_id"], "text": "x"}), 400)
    assert_failure(await post(http, "edit", {"person": AN, "message_id": mid, "text": "đạt 75%"}), 400)
    assert_failure(await post(http, "edit", {"person": BINH, "message_id": mid, "text": "x"}), 404)


async def test_dong_ho(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    assert (await http.get("/api/sandbox/clock")).json() == {"now": "2025-10-01T08:00:00+07:00"}
    advanced = await post(http, "clock", {"advance": "P7D"})
    assert advanced.json() == {"now": "2025-10-08T08:00:00+07:00"}
    moved = await post(http, "clock", {"to": "2025-12-24T01:30:00Z"})
    assert moved.json() == {"now": "2025-12-24T08:30:00+07:00"}
    assert sandbox.clock.now().isoformat() == "2025-12-24T08:30:00+07:00"
    backwards = assert_failure(await post(http, "clock", {"to": "2025-01-01T00:00:00+07:00"}), 400)
    assert "lùi" in backwards and "never moves backwards" in backwards
    assert_failure(await post(http, "clock", {"to": "2026-01-01T00:00:00"}), 400)
    assert_failure(await post(http, "clock", {"advance": "1 tuần"}), 400)
    assert_failure(await post(http, "clock", {"advance": "P1M"}), 400)
    assert_failure(await post(http, "clock", {}), 400)
    assert_failure(await post(http, "clock", {"to": "2026-01-01T00:00:00+07:00", "advance": "P1D"}), 400)
    # Messages carry the moved clock's date.
    await post(http, "send", {"person": AN, "text": "sau Giáng sinh"})
    assert sandbox.chat(AN)[0]["date"] == "2025-12-24T08:30:00+07:00"


async def test_nhom_qua_api_kich_ban(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    response = await post(http, "send", {"person": BINH, "text": "/summary", "chat": GROUP})
    mid = response.json()["message_id"]
    [item] = (await http.get(f"/api/sandbox/group/{GROUP}")).json()
    assert (item["message_id"], item["sender"]) == (mid, {"id": BINH, "name": "Trần Thị Bình"})
    assert sandbox.pending_updates[0]["message"]["chat"]["type"] == "supergroup"
    assert_failure(await http.get(f"/api/sandbox/group/{AN}"), 404)


async def test_chan_va_loi_gia_lap_qua_http(http: httpx.AsyncClient, bot: BotClient) -> None:
    blocked = await post(http, "block", {"person": CHAU})
    assert blocked.json() == {"person": CHAU, "blocked": True}
    status, _ = await bot.error("sendMessage", chat_id=CHAU, text="x")
    assert status == 403
    await post(http, "block", {"person": CHAU, "blocked": False})
    await bot.ok("sendMessage", chat_id=CHAU, text="x")
    assert_failure(await post(http, "block", {"person": CHAU, "blocked": "có"}), 400)

    faults = await post(http, "faults", {"storm": {"seconds": 30, "retry_after": 2}})
    assert faults.json()["storm"]["retry_after"] == 2
    status, body = await bot.error("sendMessage", chat_id=CHAU, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 2})
    cleared = await post(http, "faults", {"clear": True, "server_errors": {"count": 1, "status": 503}})
    assert cleared.json()["storm"] is None and cleared.json()["server_errors"]["status"] == 503
    assert (await bot.call("sendMessage", chat_id=CHAU, text="x")).status_code == 503
    assert (await http.get("/api/sandbox/faults")).json() == {"storm": None, "server_errors": None, "delay": None}
    assert_failure(await post(http, "faults", {"storm": {"seconds": -1, "retry_after": 2}}), 400)
    assert_failure(await post(http, "faults", {"server_errors": {"count": 1, "status": 404}}), 400)


async def test_trang_web(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert unicodedata.is_normalized("NFC", page)
    for needle in (
        'lang="vi"',
        "Trả lời",
        "Gửi",
        "+1 ngày",
        "+7 ngày",
        "Đặt giờ",
        "Tải xuống",
        "/api/sandbox/",
        '"chat/"',
    ):
        assert needle in page
    for element in (
        'id="people"',
        'id="groups"',
        'id="speaker"',
        'id="messages"',
        'id="text"',
        'id="send"',
        'id="clock-now"',
    ):
        assert element in page


async def test_danh_sach_nhom_va_thanh_vien(http: httpx.AsyncClient) -> None:
    groups = (await http.get("/api/sandbox/groups")).json()
    assert [(g["id"], g["title"], g["note"]) for g in groups] == [(GROUP, "Tổ công tác TĐC", "")]
    assert [m["name"] for m in groups[0]["members"]] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"]


async def test_ma_nhom_o_cho_cua_nguoi_duoc_chi_cach_gui(http: httpx.AsyncClient) -> None:
    description = assert_failure(await post(http, "send", {"person": GROUP, "text": "/bind ABC"}), 404)
    assert description == (
        f"{GROUP} là mã của nhóm «Tổ công tác TĐC», không phải của một người: "
        f'gửi {{"person": <mã thành viên>, "chat": {GROUP}}}.'
    )


async def test_chat_cua_ma_nhom_la_tin_nhan_cua_nhom(http: httpx.AsyncClient) -> None:
    await post(http, "send", {"person": BINH, "text": "/tasks", "chat": GROUP})
    assert (await http.get(f"/api/sandbox/chat/{GROUP}")).json() == (
        await http.get(f"/api/sandbox/group/{GROUP}")
    ).json()


async def test_tin_nhom_bot_khong_thay_duoc_danh_dau(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    await post(http, "send", {"person": AN, "text": "chào cả nhà", "chat": GROUP})
    await post(http, "send", {"person": AN, "text": "/tasks", "chat": GROUP})
    chatter, command = (await http.get(f"/api/sandbox/group/{GROUP}")).json()
    assert chatter["seen_by_bot"] is False
    assert "seen_by_bot" not in command
    assert [u["message"]["text"] for u in sandbox.pending_updates] == ["/tasks"]


async def test_tin_cua_bot_trong_nhom_ghi_nguoi_nhan(http: httpx.AsyncClient, bot: BotClient) -> None:
    asked = (await post(http, "send", {"person": BINH, "text": "/tasks", "chat": GROUP})).json()["message_id"]
    await bot.ok("sendMessage", chat_id=GROUP, text="Các việc…", reply_parameters={"message_id": asked})
    reminder = await bot.ok("sendMessage", chat_id=GROUP, text="🔔 Nhắc hạn", reply_markup=KEYBOARD)
    await post(http, "press", {"person": AN, "message_id": reminder["message_id"], "button": 0, "chat": GROUP})
    reply = {"message_id": reminder["message_id"]}
    await bot.ok("sendMessage", chat_id=GROUP, text="Đã ghi nhận", reply_parameters=reply)
    messages = (await http.get(f"/api/sandbox/group/{GROUP}")).json()
    assert [(m["text"], m.get("to")) for m in messages if m["from"] == "bot"] == [
        ("Các việc…", {"id": BINH, "name": "Trần Thị Bình"}),
        ("🔔 Nhắc hạn", None),
        ("Đã ghi nhận", {"id": AN, "name": "Nguyễn Văn An"}),
    ]

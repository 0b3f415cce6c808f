"""Đối chiếu độc lập: mọi yêu cầu hộp cát nhận và mọi đối tượng nó trả về đều hợp lệ theo mô hình của aiogram."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from aiogram.types import Update

from sandbox import Sandbox
from sandbox.telegram_api import SPECS
from tests.sandbox.aiogram_check import METHOD_MODELS, check_exchange, check_traffic
from tests.sandbox.support import AN, BINH, CHAU, GROUP, TOKEN, BotClient
from tests.sandbox.test_bot_api import png

KEYBOARD = {
    "inline_keyboard": [
        [
            {"text": "✅ Đã hoàn thành", "callback_data": "done:II.3"},
            {"text": "⏳ Đang thực hiện", "callback_data": "wip:II.3"},
        ],
        [{"text": "⚠️ Có vướng mắc", "callback_data": "blocked:II.3"}],
        [{"text": "Mở kế hoạch", "url": "https://t.me/nhacviec_bot?start=plan"}],
    ]
}


def test_moi_tham_so_hop_cat_doc_deu_co_trong_aiogram() -> None:
    for method, spec in SPECS.items():
        model = METHOD_MODELS[method]
        assert set(spec) <= set(model.model_fields), (method, set(spec) - set(model.model_fields))


def test_bo_kiem_tra_bat_duoc_truong_la() -> None:
    from sandbox.telegram_api import Exchange

    message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x", "txt": "lỗi chính tả"}
    problems = check_exchange(
        Exchange("sendMessage", {"chat_id": 1, "text": "x"}, 200, {"ok": True, "result": message}, 0)
    )
    assert problems == ["sendMessage → 200: result field $.txt"]


async def scripted(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(f"/api/sandbox/{path}", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_cuoc_tro_chuyen_kich_ban_khop_aiogram(bot: BotClient, http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    offset = 0

    async def poll(timeout: int = 0) -> list[dict[str, Any]]:
        nonlocal offset
        updates: list[dict[str, Any]] = await bot.ok("getUpdates", offset=offset, timeout=timeout, allowed_updates=[])
        for update in updates:
            Update.model_validate(update)
            offset = update["update_id"] + 1
        return updates

    # Start-up, as python-telegram-bot and aiogram do it.
    await bot.ok("getMe")
    await bot.ok("deleteWebhook", drop_pending_updates=False)
    await bot.ok("setMyCommands", commands=[{"command": "tasks", "description": "Việc của đơn vị"}], language_code="vi")
    await bot.ok("setMyCommands", commands=[{"command": "tasks", "description": "My tasks"}], language_code="en")
    await bot.ok("getMyCommands", scope={"type": "default"}, language_code="vi")

    # A person starts the bot with an invite; the bot answers while a long poll is waiting.
    waiting = asyncio.create_task(poll(timeout=5))
    await asyncio.sleep(0.05)
    await scripted(http, "send", {"person": AN, "text": "/start INV-7Qk", "reply_to": None})
    [start] = await waiting
    await bot.ok("sendChatAction", chat_id=AN, action="typing")
    welcome = await bot.ok(
        "sendMessage",
        chat_id=AN,
        text="Chào <b>Nguyễn Văn An</b>! Gõ /tasks để xem việc. Hướng dẫn: https://example.vn/hd",
        parse_mode="HTML",
        link_preview_options={"is_disabled": True},
        reply_parameters={"message_id": start["message"]["message_id"]},
    )

    # A reminder with buttons; the person replies to it, edits the reply, presses a button.
    reminder = await bot.ok(
        "sendMessage",
        chat_id=AN,
        text="🔔 <b>Nhắc hạn nhiệm vụ II.3</b> — còn 7 ngày\n<i>Chủ trì:</i> Phòng TĐC\n<blockquote>Trả lời tin này để báo cáo.</blockquote>",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    answer = await scripted(
        http, "send", {"person": AN, "text": "đã trình dự thảo, 70%", "reply_to": reminder["message_id"]}
    )
    await scripted(http, "edit", {"person": AN, "message_id": answer["message_id"], "text": "đã trình dự thảo, 75%"})
    await scripted(http, "press", {"person": AN, "message_id": reminder["message_id"], "button": "⏳ Đang thực hiện"})
    updates = await poll()
    assert [next(k for k in u if k != "update_id") for u in updates] == ["message", "edited_message", "callback_query"]
    query = updates[2]["callback_query"]
    await bot.ok("answerCallbackQuery", callback_query_id=query["id"], text="Đã ghi nhận: đang thực hiện")
    await bot.ok(
        "editMessageText",
        chat_id=AN,
        message_id=reminder["message_id"],
        text="✅ Đã ghi nhận báo cáo <code>II.3</code>: 75%",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "Sửa báo cáo", "callback_data": "fix:II.3"}]]},
    )
    await bot.ok("editMessageReplyMarkup", chat_id=AN, message_id=reminder["message_id"])

    # Files, as multipart uploads.
    document = (
        await http.post(
            f"{sandbox.base_url}{TOKEN}/sendDocument",
            data={"chat_id": str(CHAU), "caption": "<b>Báo cáo</b> tổng hợp quý IV", "parse_mode": "HTML"},
            files={"document": ("Báo cáo tổng hợp.xlsx", b"PK\x03\x04 fake xlsx", "application/vnd.ms-excel")},
        )
    ).json()["result"]
    await http.post(
        f"{sandbox.base_url}{TOKEN}/sendPhoto",
        data={
            "chat_id": str(CHAU),
            "reply_markup": '{"inline_keyboard": [[{"text": "Tải Excel", "callback_data": "xlsx"}]]}',
        },
        files={"photo": ("bieu-do.png", png(4, 3), "image/png")},
    )
    await bot.ok("getFile", file_id=document["document"]["file_id"])
    await bot.ok("sendDocument", chat_id=BINH, document=document["document"]["file_id"], caption="Bản sao")
    temporary = await bot.ok("sendMessage", chat_id=CHAU, text="Đang tạo báo cáo…")
    await bot.ok("deleteMessage", chat_id=CHAU, message_id=temporary["message_id"])

    # A group, a block, a webhook round trip.
    await scripted(http, "send", {"person": BINH, "text": "/summary@nhacviec_bot quý 4/2025", "chat": GROUP})
    await bot.ok("sendMessage", chat_id=GROUP, text="Tổng hợp quý 4/2025: 12/19 nhiệm vụ đúng hạn.")
    await scripted(http, "block", {"person": BINH})
    assert [next(k for k in u if k != "update_id") for u in await poll()] == ["message", "my_chat_member"]
    await scripted(http, "block", {"person": BINH, "blocked": False})
    await poll()
    await bot.ok("setWebhook", url="https://example.vn/telegram", secret_token="abc_123", max_connections=5)
    await bot.ok("getWebhookInfo")
    await bot.ok("deleteWebhook", drop_pending_updates=True)

    # Refusals keep Telegram's envelope too.
    await bot.error("sendMessage", chat_id=AN, text="<b>dở dang", parse_mode="HTML")
    await bot.error("sendMessage", chat_id=999, text="x")
    await bot.error("answerCallbackQuery", callback_query_id=query["id"])
    sandbox.faults.storm(seconds=60, retry_after=4)
    await bot.error("sendMessage", chat_id=AN, text="x")

    assert welcome["reply_to_message"]["message_id"] == start["message"]["message_id"]
    used = {exchange.method for exchange in sandbox.exchanges if exchange.status == 200}
    assert used == set(SPECS) - {"logOut", "close", "deleteMyCommands"}
    assert check_traffic(sandbox.exchanges) == []


@pytest.mark.parametrize("method", ["logOut", "close"])
async def test_cac_phuong_thuc_con_lai(bot: BotClient, sandbox: Sandbox, method: str) -> None:
    await bot.ok(method)
    await bot.ok("deleteMyCommands")
    assert check_traffic(sandbox.exchanges) == []

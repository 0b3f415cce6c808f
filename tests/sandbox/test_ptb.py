"""Một Application thật của python-telegram-bot 22 chạy với hộp cát: khởi động, nhận /start, trả lời, gửi tệp, nút bấm."""

from __future__ import annotations

import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from sandbox import Sandbox
from tests.sandbox.aiogram_check import check_traffic
from tests.sandbox.support import AN


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(
        f"Bạn viết: <b>{update.effective_message.text}</b>",
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("✅ Đã hoàn thành", callback_data="done:1")]]),
    )


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    data = InputFile(io.BytesIO("Báo cáo tiến độ".encode()), filename="Báo cáo.txt")
    await update.effective_message.reply_document(data, caption="Báo cáo quý IV")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã ghi nhận")
    await query.edit_message_text(f"Đã chọn: {query.data}")


async def test_application_that_voi_hop_cat(sandbox: Sandbox) -> None:
    app = (
        Application.builder().token("123:TEST").base_url(sandbox.base_url).base_file_url(sandbox.base_file_url).build()
    )
    app.add_handler(CommandHandler("report", report))
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.bot.set_my_commands([("tasks", "Việc của đơn vị"), ("report", "Báo cáo")])
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            start = sandbox.send(AN, "/start")
            answer = await sandbox.wait_for_bot_message(AN, after=start)
            assert answer["text"] == "Bạn viết: /start" and "<b>/start</b>" in answer["html"]
            seen = sandbox.chat(AN)
            assert [(m["from"], m["text"]) for m in seen] == [("person", "/start"), ("bot", "Bạn viết: /start")]

            sandbox.press(AN, answer["message_id"], "✅ Đã hoàn thành")
            edited = await sandbox.wait_until(
                lambda: next((m for m in sandbox.chat(AN) if m["text"] == "Đã chọn: done:1"), None)
            )
            assert edited["edited"] is True and edited["callback_answer"] == "Đã ghi nhận"

            asked = sandbox.send(AN, "/report")
            document = await sandbox.wait_for_bot_message(AN, after=asked)
            assert document["document"]["file_name"] == "Báo cáo.txt"
            stored = await app.bot.get_file(sandbox.state.files[document["document"]["url"].rsplit("/", 1)[1]].file_id)
            assert bytes(await stored.download_as_bytearray()) == "Báo cáo tiến độ".encode()
        finally:
            await app.updater.stop()
            await app.stop()

    assert sandbox.commands() == [
        {"command": "tasks", "description": "Việc của đơn vị"},
        {"command": "report", "description": "Báo cáo"},
    ]
    assert sandbox.unanswered_callbacks() == []
    methods = [exchange.method for exchange in sandbox.exchanges]
    assert methods[:2] == ["getMe", "setMyCommands"] and "deleteWebhook" in methods
    assert check_traffic(sandbox.exchanges) == []

"""A person with a Telegram and a Zalo account gets each reminder once, on one account: the platform
chosen with /kenh, by default the account joined or linked last, the other when the chosen one is
blocked. Set up through the conversation as people do it, then queued by the reminder planner."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from domain.delivery import record_blocked
from domain.messages import Platform
from models import OutboxMessage, ReminderStep, Role
from tests.bot.chat import Chat, User
from tests.reminders.support import at, messages, run

VAN_PHONG = "Văn phòng Sở"
# Văn phòng Sở leads IV.1 (due 31/12/2025); nothing else is due for its staff on the 24th.
IV1_HEAD = "🔔 Nhắc hạn nhiệm vụ IV.1 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)"


def on_two_platforms(planned: Engine) -> tuple[Chat, User, User]:
    """Nam joins Văn phòng Sở on Zalo with an invite, then links his Telegram account (linked last)."""
    chat = Chat(planned, now=at("01/12/2025", "09:00"), with_plan=False)
    nam_zalo = chat.person("Đặng Văn Nam", Platform.ZALO)
    assert chat.say(nam_zalo, chat.invite(Role.STAFF, VAN_PHONG))[0].startswith("Chào mừng Đặng Văn Nam!")
    [answer] = chat.say(nam_zalo, "/lienket")
    match = re.search(r"Mã liên kết của bạn: (\w+)", answer)
    assert match is not None, answer
    nam_telegram = chat.person("Đặng Văn Nam", Platform.TELEGRAM)
    assert chat.say(nam_telegram, match.group(1))[0].startswith("Đã liên kết")
    return chat, nam_zalo, nam_telegram


def heads(engine: Engine, user: User) -> list[tuple[str, str]]:
    """(platform, first line) of each outbox message to `user`'s private chat."""
    return [(m.platform, m.text.splitlines()[0]) for m in messages(engine, user.chat_id) if m.platform == user.platform]


def on_the_24th(engine: Engine, user: User) -> list[OutboxMessage]:
    return [m for m in messages(engine, user.chat_id) if m.due_at == at("24/12/2025")]


def test_after_kenh_zalo_a_due_reminder_is_queued_once_for_the_zalo_account(planned: Engine) -> None:
    chat, nam_zalo, nam_telegram = on_two_platforms(planned)
    assert chat.say(nam_telegram, "/kenh zalo")[0].startswith("Đã lưu. Tin nhắc đến bạn qua Zalo")
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    [reminder] = on_the_24th(planned, nam_zalo)
    assert reminder.idempotency_key == f"zalo:{nam_zalo.chat_id}:2025-12-24T08:30:00+07:00"
    assert (reminder.platform, reminder.member_id) == ("zalo", chat.member_id(nam_zalo))
    assert reminder.text.splitlines()[0] == IV1_HEAD
    assert heads(planned, nam_telegram) == []
    with Session(planned) as session:
        recipients = session.exec(
            select(ReminderStep.recipient).where(col(ReminderStep.recipient).endswith(f":{nam_zalo.chat_id}"))
        ).all()
        telegram_steps = session.exec(
            select(ReminderStep.id).where(ReminderStep.recipient == f"telegram:{nam_telegram.chat_id}")
        ).all()
    assert set(recipients) == {f"zalo:{nam_zalo.chat_id}"} and telegram_steps == []


def test_without_a_choice_reminders_go_to_the_account_linked_last(planned: Engine) -> None:
    _chat, nam_zalo, nam_telegram = on_two_platforms(planned)
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    assert [m.text.splitlines()[0] for m in on_the_24th(planned, nam_telegram)] == [IV1_HEAD]
    assert heads(planned, nam_zalo) == []


def test_a_blocked_chosen_account_falls_back_to_the_other(planned: Engine) -> None:
    chat, nam_zalo, nam_telegram = on_two_platforms(planned)
    chat.say(nam_telegram, "/kenh zalo")
    assert record_blocked(planned, Platform.ZALO, nam_zalo.chat_id, at("10/12/2025"))
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    assert [m.text.splitlines()[0] for m in on_the_24th(planned, nam_telegram)] == [IV1_HEAD]
    assert heads(planned, nam_zalo) == []


def test_nobody_to_write_to_when_every_account_is_blocked(planned: Engine) -> None:
    _chat, nam_zalo, nam_telegram = on_two_platforms(planned)
    record_blocked(planned, Platform.ZALO, nam_zalo.chat_id, at("10/12/2025"))
    record_blocked(planned, Platform.TELEGRAM, nam_telegram.chat_id, at("10/12/2025"))
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    assert heads(planned, nam_zalo) == heads(planned, nam_telegram) == []
    # The unit's other staff member (seeded, chat 1005) still gets it.
    assert [m.text.splitlines()[0] for m in messages(planned, "1005") if m.due_at == at("24/12/2025")] == [IV1_HEAD]


def test_changing_the_channel_does_not_send_a_queued_step_again(planned: Engine) -> None:
    chat, nam_zalo, nam_telegram = on_two_platforms(planned)
    run(planned, at("17/12/2025"))
    [first] = heads(planned, nam_telegram)
    assert first == ("telegram", "🔔 Nhắc việc Thứ Tư, 17/12/2025: 4 nhiệm vụ cần lưu ý")
    chat.say(nam_telegram, "/kenh zalo")
    run(planned, at("17/12/2025", "10:00"))
    assert heads(planned, nam_zalo) == []
    run(planned, at("24/12/2025"))
    assert heads(planned, nam_zalo) == [("zalo", IV1_HEAD)]
    assert heads(planned, nam_telegram) == [first]

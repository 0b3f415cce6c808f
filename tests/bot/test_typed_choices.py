"""Typing the number of a choice works as pressing its button: the newest message that offered choices in
the chat is the open question, and "2" (or "số 2", "chọn 2") takes its second choice — the same decode,
the same permission checks, the same answer. No bot, no network, no event loop."""

from __future__ import annotations

from datetime import date

import pytest

from models import Role
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, Report, User

END_OF_2025 = date(2025, 12, 31)
PICKER = (
    "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
    "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
    "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày"
)


def lan_of(chat: Chat) -> User:
    return chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)


def asked_which(chat: Chat, lan: User) -> None:
    """Lan has reminders about II.3 and II.4 and writes without replying: the bot asks which task."""
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    assert chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN") == [PICKER]


def test_typing_2_after_which_task_records_the_kept_reply_on_the_second(chat: Chat) -> None:
    lan = lan_of(chat)
    asked_which(chat, lan)
    assert chat.say(lan, "2") == ["Đã ghi nhận: II.3 — đã hoàn thành."]
    assert chat.reports() == [Report("II.3", END_OF_2025, "done", None, None, "đã ban hành kế hoạch số 12/KH-SKHCN")]


@pytest.mark.parametrize("typed", ["số 2", "Chọn số 2.", "chọn 2", "2.", "２"])
def test_the_number_may_come_with_words_and_punctuation(chat: Chat, typed: str) -> None:
    lan = lan_of(chat)
    asked_which(chat, lan)
    assert chat.say(lan, typed) == ["Đã ghi nhận: II.3 — đã hoàn thành."]


def test_a_typed_number_answers_exactly_as_the_button(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.4")
    assert chat.say(lan, "3") == [
        "Đã ghi nhận: II.4 — có vướng mắc.\n"
        "Vui lòng cho biết vướng mắc: trả lời tin nhắc bằng vài chữ, ví dụ «vướng kinh phí»."
    ]
    assert [(r.task, r.status, r.note) for r in chat.reports()] == [("II.4", "blocked", "⚠️ Có vướng mắc")]


def test_the_newest_question_in_the_chat_takes_the_number(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    assert chat.say(lan, "1") == ["Đã ghi nhận: II.4 — đã hoàn thành."]


def test_a_number_out_of_range_gets_the_range_and_loses_nothing(chat: Chat) -> None:
    lan = lan_of(chat)
    asked_which(chat, lan)
    assert chat.say(lan, "3") == ["Vui lòng trả lời một số từ 1 đến 2."]
    assert chat.say(lan, "0") == ["Vui lòng trả lời một số từ 1 đến 2."]
    assert chat.reports() == []
    assert chat.say(lan, "1") == ["Đã ghi nhận: II.4 — đã hoàn thành."]


def test_a_single_choice_asks_for_1_and_1_takes_it(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    assert chat.last(lan).labels == ["↩️ Rút lại"]
    assert chat.say(lan, "2") == ["Vui lòng trả lời số 1."]
    assert chat.say(lan, "1") == ["Đã rút lại báo cáo của bạn về II.3. Hãy trả lời lại khi sẵn sàng."]


def test_an_answered_question_closes_and_a_number_after_it_is_a_message(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.press(lan, "✅ Đã hoàn thành")
    chat.press(lan, "↩️ Rút lại")
    # Nothing open offers choices now: "1" is a reply about the reminder open again, and it says no status.
    assert chat.say(lan, "1") == ["Tôi chưa rõ tình trạng trong báo cáo của bạn về II.3. Vui lòng chọn:"]
    assert chat.reports()[-1] == Report("II.3", END_OF_2025, None, None, None, "1")


def test_a_question_a_week_old_takes_no_number(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.later(days=7)
    assert chat.say(lan, "2") == ["Tôi chưa rõ tình trạng trong báo cáo của bạn về II.3. Vui lòng chọn:"]


def test_a_question_six_days_old_still_takes_it(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.later(days=6, hours=23)
    assert chat.say(lan, "2") == ["Đã ghi nhận: II.3 — đang thực hiện."]


def test_a_bare_number_with_no_open_question_is_a_reply_as_before(chat: Chat) -> None:
    lan = lan_of(chat)
    [answer] = chat.say(lan, "2")
    assert answer.startswith("Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n1. ")
    assert chat.reports() == []


def test_a_reminder_sent_by_the_dispatcher_takes_the_number(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.deliver_queued(chat.queue_reminder(lan, "II.3"))
    assert chat.say(lan, "2") == ["Đã ghi nhận: II.3 — đang thực hiện."]


def test_newest_is_the_reminder_sent_last_not_the_one_queued_last(chat: Chat) -> None:
    lan = lan_of(chat)
    first_queued = chat.queue_reminder(lan, "II.3")
    second_queued = chat.queue_reminder(lan, "II.4")
    chat.deliver_queued(second_queued)
    chat.later(minutes=1)  # the first was held back (a retry) and arrives after the other
    chat.deliver_queued(first_queued)
    assert chat.say(lan, "1") == ["Đã ghi nhận: II.3 — đã hoàn thành."]


def test_a_digests_number_opens_that_tasks_choices_in_place_as_its_button(chat: Chat) -> None:
    lan = lan_of(chat)
    digest = chat.deliver_queued(chat.queue_reminder(lan, "II.3", "II.4", "II.5", "III.1"))
    assert digest.labels == ["Báo cáo II.3", "Báo cáo II.4", "Báo cáo II.5", "Báo cáo III.1"]
    assert chat.say(lan, "2") == [digest.text]  # no new message: the digest, new buttons
    [edit] = chat.answers
    assert edit.edit_message_id == digest.message_id
    assert chat.last(lan).labels == [
        "Báo cáo II.3",
        "Xong II.4",
        "Đang làm II.4",
        "Vướng II.4",
        "Báo cáo II.5",
        "Báo cáo III.1",
    ]
    # The buttons now on the message are the question: 3 is "Đang làm II.4".
    assert chat.say(lan, "3") == ["Đã ghi nhận: II.4 — đang thực hiện."]


def test_in_a_group_a_number_not_for_the_bot_is_left_alone(chat: Chat) -> None:
    group = chat.group("Phòng TĐC")
    chat.remind(group, "II.3")
    lan = lan_of(chat)
    assert chat.say(lan, "2", group=group, addressed=False) == []
    assert chat.say(lan, "2", group=group) == ["Đã ghi nhận: II.3 — đang thực hiện."]


def test_a_number_is_refused_as_the_button_and_the_question_stays_for_the_unit(chat: Chat) -> None:
    group = chat.group("Sở KH&CN — điều hành chung")
    chat.remind(group, "II.3")
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    lan = lan_of(chat)
    assert chat.say(nam, "1", group=group) == [
        "Xin lỗi, chỉ thành viên các đơn vị chủ trì, phối hợp nhiệm vụ II.3 mới báo cáo được nhiệm vụ này."
    ]
    assert chat.say(lan, "1", group=group) == ["Đã ghi nhận: II.3 — đã hoàn thành."]
    assert [(r.task, r.status) for r in chat.reports()] == [("II.3", "done")]


def test_a_number_after_summary_sends_that_file_and_closes_the_question(chat: Chat) -> None:
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    chat.say(head, "/summary")
    assert chat.say(head, "2") == ["tong-hop-nam-2025.xlsx"]
    (answer,) = chat.answers
    assert answer.attachment is not None and answer.attachment.content[:2] == b"PK"
    # Answered: "3" is now a message like any other (a report to place), not the third file.
    [asked] = chat.say(head, "3")
    assert asked.startswith("Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n1. I.1 — ")
    assert chat.answers[0].attachment is None

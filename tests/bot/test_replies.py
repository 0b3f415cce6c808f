"""Progress replies: a few words in chat become a report on the right occurrence, confirmed in one line."""

from __future__ import annotations

from datetime import date

from models import Role
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, Report, User

END_OF_2025 = date(2025, 12, 31)


def lan_of(chat: Chat) -> User:
    return chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)


def test_the_reminder_names_the_task_its_deadline_and_how_to_answer(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    assert reminder.text == (
        "🔔 Nhắc hạn nhiệm vụ II.3 — còn 30 ngày (hạn Thứ Tư, 31/12/2025)\n"
        "Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt "
        "“Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn "
        "2021 – 2030” trên địa bàn tính đến năm 2030.\n"
        "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\n"
        "Trả lời tin nhắn này để báo cáo tiến độ, ví dụ: «đã trình dự thảo, đạt 70%»."
    )
    assert reminder.labels == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]


def test_a_reply_to_a_reminder_is_recorded_and_confirmed_in_one_line(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    assert chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder) == [
        "Đã ghi nhận: II.3 — đang thực hiện, 80 %."
    ]
    assert chat.last(lan).labels == ["↩️ Rút lại"]
    assert chat.reports() == [Report("II.3", END_OF_2025, "in_progress", 80, None, "đã trình lãnh đạo Sở, đạt 80%")]


def test_pressing_a_reminders_button_records_that_status(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.4")
    assert chat.press(lan, "✅ Đã hoàn thành") == ["Đã ghi nhận: II.4 — đã hoàn thành."]
    assert [(r.task, r.status) for r in chat.reports()] == [("II.4", "done")]


def test_the_blocked_button_asks_for_the_reason(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.4")
    assert chat.press(lan, "⚠️ Có vướng mắc") == [
        "Đã ghi nhận: II.4 — có vướng mắc.\n"
        "Vui lòng cho biết vướng mắc: trả lời tin nhắc bằng vài chữ, ví dụ «vướng kinh phí»."
    ]


def test_a_message_that_is_not_a_reply_goes_to_the_only_open_reminder(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.5")
    assert chat.say(lan, "dang lam 50%") == ["Đã ghi nhận: II.5 — đang thực hiện, 50 %."]
    assert [(r.task, r.percent) for r in chat.reports()] == [("II.5", 50)]


def test_with_several_open_reminders_the_bot_asks_which_task(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    assert chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN") == [
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
        "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày"
    ]
    assert chat.last(lan).labels == ["1. II.4", "2. II.3"]
    assert chat.reports() == []


def test_the_task_question_says_its_text_already_numbers_the_choices(chat: Chat) -> None:
    # So Zalo, which shows choices as a numbered list, does not list "1. 1. II.4" under the text.
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN")
    assert chat.last(lan).choices_in_text


def test_pressing_a_numbered_choice_records_the_kept_reply(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN")
    assert chat.press(lan, "2. II.3") == ["Đã ghi nhận: II.3 — đã hoàn thành."]
    assert chat.reports() == [Report("II.3", END_OF_2025, "done", None, None, "đã ban hành kế hoạch số 12/KH-SKHCN")]
    assert chat.press(lan, "1. II.4") == ["Lựa chọn này đã đóng. Vui lòng gửi lại báo cáo."]
    assert len(chat.reports()) == 1


def test_once_one_is_answered_the_next_message_goes_to_the_other(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    chat.say(lan, "xong rồi")
    chat.press(lan, "2. II.3")
    assert chat.say(lan, "được 7/10 phần việc") == ["Đã ghi nhận: II.4 — đang thực hiện, 70 %."]


def test_an_unclear_reply_is_kept_and_answered_by_a_status_button(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    assert chat.say(lan, "để em hỏi lại chị Mai", reply_to=reminder) == [
        "Tôi chưa rõ tình trạng trong báo cáo của bạn về II.3. Vui lòng chọn:"
    ]
    assert chat.last(lan).labels == ["✅ Đã hoàn thành", "⏳ Đang thực hiện", "⚠️ Có vướng mắc"]
    assert chat.reports() == [Report("II.3", END_OF_2025, None, None, None, "để em hỏi lại chị Mai")]
    assert chat.press(lan, "⏳ Đang thực hiện") == ["Đã ghi nhận: II.3 — đang thực hiện."]
    assert chat.reports() == [Report("II.3", END_OF_2025, "in_progress", None, None, "để em hỏi lại chị Mai")]


def test_an_edited_reply_updates_its_report(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder)
    assert chat.edit(lan, "đã trình lãnh đạo Sở, đạt 90%") == ["Đã cập nhật: II.3 — đang thực hiện, 90 %."]
    assert chat.edit(lan, "xong rồi, đã ban hành") == ["Đã cập nhật: II.3 — đã hoàn thành."]
    assert chat.reports() == [Report("II.3", END_OF_2025, "done", None, None, "xong rồi, đã ban hành")]


def test_undo_withdraws_the_last_report(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=chat.remind(lan, "II.3"))
    assert chat.say(lan, "/undo") == ["Đã rút lại báo cáo của bạn về II.3. Hãy trả lời lại khi sẵn sàng."]
    assert [r.withdrawn for r in chat.reports()] == [True]
    assert chat.say(lan, "/undo") == ["Bạn không có báo cáo nào để rút lại."]


def test_after_undo_the_reminder_is_open_again(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    chat.say(lan, "/undo")
    assert chat.say(lan, "mới đạt 60%") == ["Đã ghi nhận: II.3 — đang thực hiện, 60 %."]


def test_the_undo_button_withdraws_that_report_once(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    assert chat.press(lan, "↩️ Rút lại") == ["Đã rút lại báo cáo của bạn về II.3. Hãy trả lời lại khi sẵn sàng."]
    assert chat.press(lan, "↩️ Rút lại") == ["Báo cáo này đã được rút lại hoặc không phải của bạn."]


def test_a_late_reply_counts_for_the_period_it_answers(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")  # Quý IV/2025, due 31/12/2025
    chat.on(date(2026, 1, 12))
    assert chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN", reply_to=reminder) == [
        "Đã ghi nhận: II.3 — đã hoàn thành."
    ]
    assert chat.reports() == [Report("II.3", END_OF_2025, "done", None, None, "đã ban hành kế hoạch số 12/KH-SKHCN")]
    lines = chat.say(lan, "/tasks")[0].split("\n")
    assert "🕒 <b>II.3</b> — thường xuyên, kỳ báo cáo · hạn Thứ Ba, 31/03/2026, còn 78 ngày" in lines


def test_a_late_plain_message_still_goes_to_the_open_reminder(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "III.2")  # Năm 2025, due 31/12/2025
    chat.on(date(2026, 1, 5))
    assert chat.say(lan, "đã cử 3 công chức đi tập huấn, xong") == ["Đã ghi nhận: III.2 — đã hoàn thành."]
    assert [(r.task, r.due) for r in chat.reports()] == [("III.2", END_OF_2025)]


def test_someone_outside_the_tasks_units_gets_a_polite_no(chat: Chat) -> None:
    group = chat.group("Sở KH&CN — điều hành chung")
    reminder = chat.remind(group, "II.3")
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    assert chat.say(nam, "xong rồi", reply_to=reminder, group=group) == [
        "Xin lỗi, chỉ thành viên các đơn vị chủ trì, phối hợp nhiệm vụ II.3 mới báo cáo được nhiệm vụ này."
    ]
    assert chat.press(nam, "✅ Đã hoàn thành", group=group) == [
        "Xin lỗi, chỉ thành viên các đơn vị chủ trì, phối hợp nhiệm vụ II.3 mới báo cáo được nhiệm vụ này."
    ]
    assert chat.reports() == []


def test_a_member_of_the_unit_reports_in_the_group(chat: Chat) -> None:
    group = chat.group("Phòng TĐC")
    reminder = chat.remind(group, "II.3")
    lan = lan_of(chat)
    assert chat.say(lan, "vướng kinh phí", reply_to=reminder, group=group) == [
        "Đã ghi nhận: II.3 — có vướng mắc: kinh phí."
    ]


def test_group_talk_that_is_not_for_the_bot_gets_no_answer(chat: Chat) -> None:
    group = chat.group("Phòng TĐC")
    lan = lan_of(chat)
    assert chat.say(lan, "Chiều nay họp giao ban lúc 14h nhé", group=group, addressed=False) == []
    assert chat.reports() == []


def test_user_text_is_escaped_in_what_the_bot_shows(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    assert chat.say(lan, "vướng <b>kinh phí</b> & thủ tục") == [
        "Đã ghi nhận: II.3 — có vướng mắc: &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục."
    ]
    details = chat.say(lan, "/task II.3")[0]
    assert details.endswith(
        "Báo cáo gần nhất:\n"
        "  • 01/12/2025 09:00, chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng — có vướng mắc: &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục — "
        "«vướng &lt;b&gt;kinh phí&lt;/b&gt; &amp; thủ tục»"
    )


def test_a_name_with_markup_is_escaped_in_the_welcome(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    assert chat.say(chat.person("<i>Lan</i>"), f"/start {code}")[0].startswith("Chào mừng &lt;i&gt;Lan&lt;/i&gt;!")


def test_someone_with_nothing_open_is_told_so(chat: Chat) -> None:
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "xong rồi") == ["Bạn không có việc đang mở để báo cáo. Gửi /tasks để xem việc của đơn vị."]


def test_a_stale_or_forged_button_is_refused(chat: Chat) -> None:
    lan = lan_of(chat)
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    assert chat.press_payload(nam, "undo:1") == ["Báo cáo này đã được rút lại hoặc không phải của bạn."]
    assert chat.press_payload(nam, "st:1:done") == ["Câu hỏi này dành cho người khác, hoặc báo cáo đã được rút lại."]
    assert chat.press_payload(nam, "nonsense") == ["Nút này không còn hiệu lực. Gửi /tasks để bắt đầu lại."]
    assert [r.withdrawn for r in chat.reports()] == [False]


# -- small talk, long replies, reminders of several tasks, requests to move a deadline


def test_thanks_get_a_short_acknowledgement_not_the_task_picker(chat: Chat) -> None:
    lan = lan_of(chat)
    chat.remind(lan, "II.3")
    chat.remind(lan, "II.4")
    assert chat.say(lan, "cảm ơn") == ["👍 Đã nhận. Khi có tiến độ mới, bạn chỉ cần trả lời tin nhắc bằng vài chữ."]
    assert chat.last(lan).labels == []
    assert chat.reports() == []


def test_a_thumbs_up_to_a_reminder_is_acknowledged_and_records_nothing(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    assert chat.say(lan, "👍", reply_to=reminder) == [
        "👍 Đã nhận. Khi có tiến độ mới, bạn chỉ cần trả lời tin nhắc bằng vài chữ."
    ]
    assert chat.reports() == []


def test_a_greeting_with_nothing_open_is_acknowledged(chat: Chat) -> None:
    lan = lan_of(chat)
    assert chat.say(lan, "chào anh") == ["👍 Đã nhận. Khi có tiến độ mới, bạn chỉ cần trả lời tin nhắc bằng vài chữ."]


def test_a_100_kb_reply_gets_one_answer_and_is_kept_whole(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    text = "vướng kinh phí và nhân lực " * 4000
    assert len(text.encode("utf-8")) > 100_000

    answers = chat.say(lan, text, reply_to=reminder)

    assert len(answers) == 1
    assert answers[0].startswith("Đã ghi nhận: II.3 — có vướng mắc: kinh phí và nhân lực vướng kinh phí")
    [report] = chat.reports()
    assert (report.status, report.note) == ("blocked", text.strip())
    assert report.reason is not None and len(report.reason) < 500


def test_a_second_reply_to_a_reminder_of_several_tasks_is_asked_about_those_tasks(chat: Chat) -> None:
    lan = lan_of(chat)
    morning = chat.remind_together(lan, "II.3", "II.4")
    assert chat.say(lan, "đã ban hành kế hoạch số 12/KH-SKHCN", reply_to=morning) == [
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
        "1. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "2. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày"
    ]
    chat.press(lan, "1. II.3")
    chat.remind(lan, "II.5")  # a newer reminder, about another task

    assert chat.say(lan, "đang làm 50%", reply_to=morning) == [
        "Báo cáo này về nhiệm vụ nào? Vui lòng chọn:\n"
        "1. II.4 — hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "2. II.3 — hạn Thứ Tư, 31/12/2025, còn 30 ngày"
    ]


def test_a_request_to_move_the_deadline_is_blocked_with_the_date_asked_for(chat: Chat) -> None:
    lan = lan_of(chat)
    reminder = chat.remind(lan, "II.3")
    assert chat.say(lan, "đề nghị lùi hạn sang tháng 3 vì thiếu dữ liệu", reply_to=reminder) == [
        "Đã ghi nhận: II.3 — có vướng mắc: đề nghị lùi hạn sang tháng 3; thiếu dữ liệu."
    ]
    assert [(r.status, r.reason) for r in chat.reports()] == [
        ("blocked", "đề nghị lùi hạn sang tháng 3; thiếu dữ liệu")
    ]


def test_the_monitor_sees_the_date_asked_for_on_the_summarys_blocked_line(chat: Chat) -> None:
    lan = lan_of(chat)
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    chat.say(lan, "đề nghị lùi hạn sang tháng 3 vì thiếu dữ liệu", reply_to=chat.remind(lan, "II.3"))

    summary = chat.say(tuan, "/summary quý 4/2025")[0].split("\n")

    assert f"• <b>II.3</b> ({QLTDC}): đề nghị lùi hạn sang tháng 3; thiếu dữ liệu" in summary

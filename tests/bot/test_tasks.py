"""/tasks and /task: what is due, for a unit's staff and for the monitor who sees the whole plan."""

from __future__ import annotations

from datetime import date

from bot.platforms.zalo.render import render_outgoing
from domain.markup import plain
from domain.messages import Platform
from locales.catalogs import translator
from models import Role
from tests.bot.chat import QLTDC, VAN_PHONG, Chat

PLAN_OPEN_TASKS = [
    "Các việc đang mở của kế hoạch (21):",
    "❌ <b>I.1</b> — chưa thực hiện · hạn Thứ Ba, 30/09/2025, quá 62 ngày",
    "❌ <b>BC.1</b> — chưa thực hiện · hạn Thứ Bảy, 15/11/2025, quá 16 ngày · 0/4 đơn vị chủ trì đã xong",
    "🕒 <b>I.2</b> — thường xuyên, kỳ báo cáo · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>I.4</b> — thường xuyên, kỳ báo cáo · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>II.1</b> — thường xuyên, kỳ báo cáo · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>II.3</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>II.4</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>II.5</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>III.1</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>III.2</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>III.4</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>IV.1</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>V.1</b> — thường xuyên, kỳ báo cáo · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>V.2</b> — thường xuyên, kỳ báo cáo · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>V.3</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>VI.2</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày",
    "🕒 <b>I.3</b> — chưa đến hạn · hạn Thứ Ba, 30/06/2026, còn 211 ngày",
    "⏸️ <b>II.2</b> — chờ sự kiện: sau khi trung ương ban hành chủ trương, chính sách",
    "⏸️ <b>III.3</b> — chờ sự kiện: Sau khi Đề án của Trung ương ban hành",
    "⏸️ <b>IV.2</b> — chờ sự kiện: sau khi có hướng dẫn cụ thể của Bộ KH&amp;CN",
    "⏸️ <b>VI.1</b> — chờ sự kiện: Sau khi Trung ương ban hành Đề án",
    "Chi tiết: /task MÃ",
]

II_3 = (
    "<b>II.3</b> Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ "
    "phê duyệt “Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai "
    "đoạn 2021 – 2030” trên địa bàn tính đến năm 2030.\n"
    "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\n"
    "Phối hợp: không có\n"
    "Thời gian: Quý IV năm 2025 ban hành kế hoạch. Thực hiện các nhiệm vụ cụ thể theo Kế hoạch\n"
    "Các thời hạn tới:\n"
    "  • Quý IV/2025: hạn Thứ Tư, 31/12/2025, còn 30 ngày"
)


def test_staff_see_their_units_open_tasks_soonest_first(chat: Chat) -> None:
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    assert chat.say(nam, "/tasks") == [
        "Các việc đang mở của đơn vị bạn (6):\n"
        "❌ <b>BC.1</b> — chưa thực hiện · hạn Thứ Bảy, 15/11/2025, quá 16 ngày\n"
        "🕒 <b>III.1</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "🕒 <b>IV.1</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "🕒 <b>VI.2</b> — chưa đến hạn · hạn Thứ Tư, 31/12/2025, còn 30 ngày\n"
        "🕒 <b>I.3</b> — chưa đến hạn · hạn Thứ Ba, 30/06/2026, còn 211 ngày\n"
        "⏸️ <b>VI.1</b> — chờ sự kiện: Sau khi Trung ương ban hành Đề án\n"
        "Chi tiết: /task MÃ"
    ]


def test_tasks_show_the_latest_report_with_its_blocked_reason(chat: Chat) -> None:
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    chat.say(nam, "vướng kinh phí, chưa được bố trí vốn", reply_to=chat.remind(nam, "IV.1"))
    lines = chat.say(nam, "/tasks")[0].split("\n")
    assert lines[3] == (
        "⚠️ <b>IV.1</b> — đang thực hiện (trong hạn) · hạn Thứ Tư, 31/12/2025, còn 30 ngày"
        " · vướng mắc: kinh phí; chưa được bố trí vốn"
    )


def test_tasks_show_the_percent_of_work_in_progress(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=chat.remind(lan, "II.3"))
    lines = chat.say(lan, "/tasks")[0].split("\n")
    assert lines[5] == "⏳ <b>II.3</b> — đang thực hiện (trong hạn) · hạn Thứ Tư, 31/12/2025, còn 30 ngày · 80 %"


def test_the_monitor_sees_the_whole_plan(chat: Chat) -> None:
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "/tasks") == ["\n".join(PLAN_OPEN_TASKS)]


def test_a_task_of_another_unit_is_refused_to_staff(chat: Chat) -> None:
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    assert chat.say(nam, "/task II.3") == ["Nhiệm vụ II.3 không thuộc đơn vị của bạn."]


def test_a_task_of_their_own_unit_is_shown_to_staff(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/task ii.3") == [II_3]


def test_the_monitor_sees_any_task_with_its_latest_reports(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=chat.remind(lan, "II.3"))
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "/task II.3") == [
        II_3 + "\nBáo cáo gần nhất:\n  • 01/12/2025 09:00, chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng — "
        "đang thực hiện, 80 % — «đã trình lãnh đạo Sở, đạt 80%»"
    ]


def test_an_unknown_task_code_is_explained(chat: Chat) -> None:
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "/task IX.9") == ["Không có nhiệm vụ IX.9. Gửi /tasks để xem việc của bạn."]
    assert chat.say(tuan, "/task") == ["Gửi /task MÃ, ví dụ /task II.3"]


def test_a_long_list_on_zalo_comes_in_parts_of_at_most_2000_characters(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    end_of_2025 = date(2025, 12, 31)
    # Seven blockers make the plan's list over 2000 characters as Zalo shows it (plain text, tags left out).
    blocked = ["II.3", "II.4", "II.5", "III.1", "III.2"]
    for code, checkin in [("I.2", True), ("I.4", True), *((code, False) for code in blocked)]:
        chat.say(
            lan,
            "vướng kinh phí, chưa có hướng dẫn của Bộ Khoa học và Công nghệ về định mức chi, đề nghị bổ sung dự toán",
            reply_to=chat.remind(lan, code, end_of_2025, checkin=checkin),
        )
    telegram = chat.say(chat.member("Phạm Minh Tuấn", Role.MONITOR), "/tasks")
    chat.say(chat.member("Phạm Minh Tuấn", Role.MONITOR, platform=Platform.ZALO), "/tasks")
    # The core answers with one message; the Zalo renderer splits it (at line ends here).
    [answer] = chat.answers
    zalo = render_outgoing(translator("vi"), answer)
    assert len(telegram) == 1 and len(telegram[0]) > 2000 and answer.text == telegram[0]
    assert [len(part) <= 2000 for part in zalo] == [True, True]
    assert "\n".join(zalo) == plain(telegram[0])
    assert zalo[0].startswith("Các việc đang mở của kế hoạch (21):\n")
    assert zalo[1].endswith("\nChi tiết: /task MÃ")

"""Personal settings, binding a group, the admin's /event, and the help for anything unknown."""

from __future__ import annotations

from sqlmodel import col, select

from models import ChatBinding, Member, Role
from models.db import session_scope
from tests.bot.chat import QLTDC, VAN_PHONG, Chat

INTRO = (
    "Tôi nhắc đơn vị của bạn trước các thời hạn và nhận báo cáo tiến độ.\n"
    "Trả lời tin nhắc bằng vài chữ, ví dụ «đã trình dự thảo, đạt 70%» hoặc «vướng kinh phí».\n"
    "\n"
)
TASKS = (
    "/tasks — các việc đang mở của đơn vị bạn\n/task II.3 — chi tiết một nhiệm vụ\n/undo — rút lại báo cáo gần nhất\n"
)
SETTINGS = (
    "/pause 2026-12-15 — tạm dừng nhắc đến hết ngày đó; /resume — nhắc lại\n/lang vi hoặc /lang en — ngôn ngữ\n"
    "/kenh zalo hoặc /kenh telegram — nơi nhận tin nhắc\n/lienket — liên kết tài khoản Telegram và Zalo của bạn\n"
)
WHOAMI = "/whoami — đơn vị và vai trò của bạn\n"
STAFF_SUMMARY = "/summary [2026 | quý 4/2025] — tình hình của đơn vị bạn, bản tóm tắt"
LEAD_SUMMARY = "/summary [2026 | quý 4/2025] — tình hình các đơn vị bạn phụ trách, kèm tệp báo cáo"
PLAN_SUMMARY = "/summary [2026 | quý 4/2025 | đơn vị] — tình hình thực hiện kế hoạch, kèm tệp báo cáo"
HELP = INTRO + TASKS + SETTINGS + WHOAMI + STAFF_SUMMARY


def test_pause_is_confirmed_and_shown_by_whoami(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/pause 15/01/2026") == [
        "Đã tạm dừng nhắc việc cho bạn đến hết Thứ Năm, 15/01/2026; đơn vị của bạn vẫn nhận nhắc. "
        "Gửi /resume để bật lại."
    ]
    assert chat.say(lan, "/whoami") == [
        "<b>Nguyễn Thị Lan</b>\n"
        "  • công chức, viên chức — Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\n"
        "Ngôn ngữ: vi\n"
        "Tạm dừng nhắc việc đến hết 15/01/2026."
    ]


def test_resume_ends_the_pause(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    chat.say(lan, "/pause 2026-01-15")
    assert chat.say(lan, "/resume") == ["Đã bật lại nhắc việc."]
    assert "Tạm dừng" not in chat.say(lan, "/whoami")[0]
    with session_scope(chat.engine) as session:
        assert session.exec(select(col(Member.paused_until))).all() == [None]


def test_a_pause_that_has_ended_is_not_shown(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    chat.say(lan, "/pause 2025-12-05")
    chat.later(days=5)
    assert "Tạm dừng" not in chat.say(lan, "/whoami")[0]


def test_pause_without_a_readable_day_explains_itself(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/pause tuần sau") == ["Gửi /pause NGÀY, ví dụ /pause 2026-12-15 hoặc /pause 15/12/2026"]
    assert chat.say(lan, "/pause 2025-11-30") == ["Ngày 30/11/2025 đã qua; vui lòng chọn từ hôm nay trở đi."]


def test_a_paused_member_can_still_report(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    reminder = chat.remind(lan, "II.3")
    chat.say(lan, "/pause 2026-01-15")
    assert chat.say(lan, "xong rồi", reply_to=reminder) == ["Đã ghi nhận: II.3 — đã hoàn thành."]


def test_lang_en_switches_the_language(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/lang en") == ["Language set: English."]
    assert chat.say(lan, "/whoami") == [
        "<b>Nguyễn Thị Lan</b>\n  • staff — Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\nLanguage: en"
    ]
    assert chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3")) == ["Recorded: II.3 — done."]
    assert chat.say(lan, "/lang vi") == ["Đã chọn ngôn ngữ: tiếng Việt."]
    assert chat.say(lan, "/lang fr") == ["Gửi /lang vi hoặc /lang en."]


def test_an_unknown_command_is_named_before_the_help(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/baocao") == ["Không có lệnh /baocao.\n" + HELP]
    assert chat.say(lan, "/admin") == ["Không có lệnh /admin.\n" + HELP]


def test_report_is_not_a_command_people_type(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/report") == ["Không có lệnh /report.\n" + HELP]


def test_a_stranger_typing_an_unknown_command_learns_how_to_join(chat: Chat) -> None:
    assert chat.say(chat.person("Khách"), "/foo") == [
        "Không có lệnh /foo.\nXin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch: tôi nhắc các đơn vị "
        "trước hạn và nhận báo cáo tiến độ ngắn. Để sử dụng, vui lòng xin quản trị viên một mã mời, rồi gửi /start MÃ.\n"
        "\n"
        "/start MÃ — tham gia bằng mã mời của quản trị viên\n"
        "/lienket MÃ — liên kết tài khoản này với tài khoản bạn đang dùng với tôi"
    ]


def test_staff_help_promises_no_report_files(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/help") == [HELP]


def test_a_unit_lead_learns_the_files_and_how_to_bind_the_group(chat: Chat) -> None:
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    assert chat.say(son, "/help") == [
        INTRO
        + TASKS
        + SETTINGS
        + WHOAMI
        + LEAD_SUMMARY
        + "\n/bind MÃ — gửi trong nhóm chat của đơn vị để nhóm nhận nhắc việc"
    ]


def test_the_monitor_help_is_about_the_whole_plan(chat: Chat) -> None:
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "/help") == [INTRO + TASKS + SETTINGS + WHOAMI + PLAN_SUMMARY]


def test_the_admin_help_names_event(chat: Chat) -> None:
    hung = chat.member("Võ Quốc Hùng", Role.ADMIN)
    assert chat.say(hung, "/help") == [
        INTRO
        + TASKS
        + SETTINGS
        + WHOAMI
        + PLAN_SUMMARY
        + "\n/event III.3,VI.1 2026-03-02 90d Mô tả — ghi nhận sự kiện bên ngoài"
        + "\n/bind MÃ — gửi trong nhóm chat của đơn vị để nhóm nhận nhắc việc"
    ]


def test_help_in_a_group_leaves_out_the_private_settings(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    group = chat.group("Phòng TĐC")
    assert chat.say(lan, "/help", group=group) == [INTRO + TASKS + WHOAMI + STAFF_SUMMARY]
    assert chat.say(son, "/help", group=group) == [
        INTRO
        + TASKS
        + WHOAMI
        + LEAD_SUMMARY
        + "\n/bind MÃ — gửi nhắc việc của một đơn vị vào nhóm này (lãnh đạo đơn vị hoặc quản trị viên)"
    ]


def test_summary_arguments_are_read_as_typed(chat: Chat) -> None:
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    assert chat.say(tuan, "/summary <i>2026</i>") == [
        "Tôi không đọc được «&lt;i&gt;2026&lt;/i&gt;». Hãy viết kỳ hoặc tên đơn vị bằng văn bản thuần, ví dụ: "
        "/summary 2026, /summary quý 4/2025 hoặc /summary Văn phòng Sở."
    ]


def test_the_admin_records_an_outside_event(chat: Chat) -> None:
    hung = chat.member("Võ Quốc Hùng", Role.ADMIN)
    assert chat.say(hung, "/event III.3,VI.1 2026-03-02 90d Trung ương ban hành Đề án đào tạo nguồn nhân lực") == [
        "Đã ghi nhận sự kiện: Trung ương ban hành Đề án đào tạo nguồn nhân lực. "
        "Nhiệm vụ III.3, VI.1 có hạn Chủ Nhật, 31/05/2026."
    ]
    tuan = chat.member("Phạm Minh Tuấn", Role.MONITOR)
    lines = chat.say(tuan, "/tasks")[0].split("\n")
    assert "🕒 <b>III.3</b> — chưa đến hạn · hạn Chủ Nhật, 31/05/2026, còn 181 ngày" in lines


def test_an_event_on_an_unknown_task_changes_nothing(chat: Chat) -> None:
    hung = chat.member("Võ Quốc Hùng", Role.ADMIN)
    assert chat.say(hung, "/event X.9 2026-03-02 90d Trung ương ban hành Đề án") == ["Kế hoạch không có nhiệm vụ X.9."]
    assert [action for _actor, action, _entity in chat.audit() if action.startswith("event")] == []


def test_event_without_its_parts_shows_how(chat: Chat) -> None:
    hung = chat.member("Võ Quốc Hùng", Role.ADMIN)
    assert chat.say(hung, "/event III.3") == [
        "Gửi /event NHIỆM_VỤ NGÀY [KHOẢNG] MÔ_TẢ, ví dụ /event III.3,VI.1 2026-03-02 90d Trung ương ban hành Đề án"
    ]


def test_staff_cannot_record_events(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/event III.3 2026-03-02 90d Trung ương ban hành Đề án") == [
        "Xin lỗi, bạn không dùng được lệnh /event."
    ]


def test_a_unit_lead_binds_the_units_group(chat: Chat) -> None:
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    group = chat.group("Phòng TĐC")
    code = chat.invite(Role.STAFF, QLTDC, uses=10)
    assert chat.say(son, f"/bind {code}", group=group) == [
        "Từ nay nhóm này nhận nhắc việc của Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng."
    ]
    assert chat.say(son, f"/bind {code}", group=group) == [
        "Nhóm này đã nhận nhắc việc của Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng."
    ]
    with session_scope(chat.engine) as session:
        assert [b.chat_id for b in session.exec(select(ChatBinding))] == [group.chat_id]


def test_staff_cannot_bind_a_group(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    group = chat.group("Phòng TĐC")
    assert chat.say(lan, f"/bind {chat.invite(Role.STAFF, QLTDC)}", group=group) == [
        "Xin lỗi, bạn không dùng được lệnh /bind."
    ]
    with session_scope(chat.engine) as session:
        assert session.exec(select(ChatBinding)).all() == []


def test_a_lead_cannot_bind_a_group_to_another_unit(chat: Chat) -> None:
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    assert chat.say(son, f"/bind {chat.invite(Role.STAFF, VAN_PHONG)}", group=chat.group("Văn phòng")) == [
        "Chỉ lãnh đạo đơn vị hoặc quản trị viên mới gắn được nhóm với đơn vị."
    ]


def test_bind_in_a_private_chat_points_to_the_group(chat: Chat) -> None:
    son = chat.member("Huỳnh Thanh Sơn", Role.UNIT_LEAD, QLTDC)
    assert chat.say(son, f"/bind {chat.invite(Role.STAFF, QLTDC)}") == [
        "/bind dùng trong nhóm chat: hãy thêm tôi vào nhóm của đơn vị và gửi lệnh trong nhóm."
    ]


def test_personal_settings_are_for_the_private_chat(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/pause 2026-01-15", group=chat.group("Phòng TĐC")) == [
        "Vui lòng gửi /pause cho tôi trong chat riêng."
    ]


def test_a_command_addressed_with_the_bots_name_works_in_a_group(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/whoami@nhacviec_bot", group=chat.group("Phòng TĐC")) == [
        "<b>Nguyễn Thị Lan</b>\n  • công chức, viên chức — Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\nNgôn ngữ: vi"
    ]

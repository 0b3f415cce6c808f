"""Joining with an invite code, and what the bot says to people nobody invited."""

from __future__ import annotations

from domain.invites import CODE_ALPHABET, CODE_LENGTH, canonical_code
from domain.messages import Platform
from models import Role
from models.db import session_scope
from nhacviec.demo import seed_people
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, User

GUEST = (
    "Xin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch: tôi nhắc các đơn vị trước hạn và nhận "
    "báo cáo tiến độ ngắn. Để sử dụng, vui lòng xin quản trị viên một mã mời, rồi gửi /start MÃ."
)


def test_a_good_code_joins_the_unit_with_its_role(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, f"/start {code}") == [
        "Chào mừng Nguyễn Thị Lan! Bạn đã tham gia Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng với vai trò "
        "công chức, viên chức.\n"
        "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
    ]
    assert chat.say(lan, "/whoami") == [
        "<b>Nguyễn Thị Lan</b>\n  • công chức, viên chức — Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng\nNgôn ngữ: vi"
    ]


def test_a_monitor_code_joins_the_whole_plan(chat: Chat) -> None:
    code = chat.invite(Role.MONITOR)
    tuan = chat.person("Phạm Minh Tuấn")
    assert chat.say(tuan, f"/start {code}") == [
        "Chào mừng Phạm Minh Tuấn! Bạn đã tham gia toàn bộ kế hoạch với vai trò theo dõi, giám sát.\n"
        "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
    ]


def test_a_wrong_code_is_explained_and_joins_nobody(chat: Chat) -> None:
    binh = chat.person("Trần Văn Bình")
    assert chat.say(binh, "/start abc123") == [
        "Mã abc123 không đúng. Vui lòng kiểm tra lại hoặc xin quản trị viên mã mới."
    ]
    assert chat.member_id(binh) is None
    assert chat.say(binh, "/tasks") == [GUEST]


def test_a_used_up_code_is_explained(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, VAN_PHONG, uses=1)
    chat.say(chat.person("Đặng Văn Nam"), f"/start {code}")
    hoa = chat.person("Lê Thị Hoa")
    assert chat.say(hoa, f"/start {code}") == [f"Mã {code} đã hết lượt dùng. Vui lòng xin quản trị viên mã mới."]
    assert chat.member_id(hoa) is None


def test_an_expired_code_is_explained(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, VAN_PHONG, uses=5)  # valid for 14 days
    chat.later(days=15)
    hoa = chat.person("Lê Thị Hoa")
    assert chat.say(hoa, f"/start {code}") == [f"Mã {code} đã hết hạn. Vui lòng xin quản trị viên mã mới."]
    assert chat.member_id(hoa) is None


def test_opening_the_same_link_twice_says_they_are_in_already(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC, uses=1)
    lan = chat.person("Nguyễn Thị Lan")
    chat.say(lan, f"/start {code}")
    assert chat.say(lan, f"/start {code}") == [
        "Bạn đã ở Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng với vai trò công chức, viên chức."
    ]


def test_a_chat_nobody_invited_gets_one_explanation_and_nothing_else(chat: Chat) -> None:
    stranger = chat.person("Khách lạ")
    assert chat.say(stranger, "Chào bạn, cho hỏi hạn nộp báo cáo năm nay là ngày nào?") == [GUEST]
    assert chat.say(stranger, "/start") == [GUEST]
    assert chat.press_payload(stranger, "rp:1:done") == [GUEST]
    assert chat.answers[0].buttons == ()
    assert chat.member_id(stranger) is None


def test_start_with_a_code_in_a_group_points_to_the_private_chat(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, f"/start {code}", group=chat.group("Phòng TĐC")) == [
        "Để tham gia, gửi /start MÃ cho tôi trong chat riêng; trong nhóm dùng /bind MÃ."
    ]
    assert chat.member_id(lan) is None


def test_a_seeded_persons_first_start_is_a_welcome_and_the_next_a_welcome_back(chat: Chat) -> None:
    with session_scope(chat.engine) as session:
        seeded = seed_people(session, chat.now)[0]
    an = User(name=seeded.name, user_id=str(seeded.id), platform=Platform.TELEGRAM, chat_id=str(seeded.id))
    assert chat.say(an, "/start")[0].split("\n")[0] == "Chào mừng Nguyễn Văn An!"
    assert chat.say(an, "/start")[0].split("\n")[0] == "Chào mừng Nguyễn Văn An trở lại!"


def test_someone_who_joined_with_a_code_is_welcomed_back(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/start")[0].split("\n")[0] == "Chào mừng Nguyễn Thị Lan trở lại!"


def test_a_code_retyped_in_lower_case_joins(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, f"/start {code.lower()}")[0].startswith("Chào mừng Nguyễn Thị Lan! Bạn đã tham gia")


def test_a_code_retyped_with_look_alikes_joins(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    retyped = code.replace("0", "O").replace("1", "l").lower()
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, f"/start {retyped}")[0].startswith("Chào mừng Nguyễn Thị Lan! Bạn đã tham gia")


def test_new_codes_use_only_capitals_and_digits_without_look_alikes(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert not set("ILOU") & set(CODE_ALPHABET)


def test_a_typed_code_reads_as_its_canonical_form() -> None:
    assert canonical_code(" k7mo-qlzp i ") == "K7M0Q1ZP1"

"""One person on two platforms: joining from Zalo with the code alone, linking a second account with a
one-time code, and choosing the platform reminders go to (/kenh)."""

from __future__ import annotations

import re

from sqlmodel import col, select

from domain.messages import Platform
from models import AuditLog, Member, PlatformAccount, Role
from models.db import session_scope
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, User

GUEST = (
    "Xin chào! Tôi là nhacviec, trợ lý nhắc việc thực hiện kế hoạch: tôi nhắc các đơn vị trước hạn và nhận "
    "báo cáo tiến độ ngắn. Để sử dụng, vui lòng xin quản trị viên một mã mời, rồi gửi /start MÃ."
)
WELCOME_LAN = (
    "Chào mừng Nguyễn Thị Lan! Bạn đã tham gia Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng với vai trò "
    "công chức, viên chức.\n"
    "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
)
LINK_CODE = re.compile(r"^Mã liên kết của bạn: ([0-9A-Z]{8}) \(dùng một lần, trong 15 phút\)\.$")


def accounts(chat: Chat) -> list[tuple[str, str, int]]:
    """(platform, user id, member id) of every account, oldest first."""
    with session_scope(chat.engine) as session:
        rows = session.exec(select(PlatformAccount).order_by(col(PlatformAccount.id))).all()
        return [(a.platform, a.user_id, a.member_id) for a in rows]


def channel(chat: Chat, user: User) -> str | None:
    member_id = chat.member_id(user)
    with session_scope(chat.engine) as session:
        member = session.get(Member, member_id)
        assert member is not None
        return member.channel


def link_code(chat: Chat, user: User) -> str:
    """`user` asks for a link code with /lienket; the code the bot gives."""
    answer = chat.say(user, "/lienket")
    match = LINK_CODE.match(answer[0].split("\n")[0])
    assert match is not None, answer
    return match.group(1)


def linked_lan(chat: Chat) -> tuple[User, User]:
    """Lan joined on Telegram and linked her Zalo account."""
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    lan_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    chat.say(lan_zalo, link_code(chat, lan))
    return lan, lan_zalo


# ---- joining with the code alone ----------------------------------------------------------------------


def test_the_code_alone_as_text_joins(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, code) == [WELCOME_LAN]
    assert chat.member_id(lan) is not None


def test_the_code_alone_joins_in_any_case_and_with_look_alikes(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan, "  " + code.replace("0", "O").replace("1", "l").lower() + " ") == [WELCOME_LAN]


def test_a_zalo_user_joins_with_start_and_the_code(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan, f"/start {code}") == [WELCOME_LAN]
    assert accounts(chat) == [("zalo", lan.user_id, chat.member_id(lan))]


def test_a_zalo_user_joins_with_the_code_as_text(chat: Chat) -> None:
    code = chat.invite(Role.UNIT_LEAD, VAN_PHONG)
    nam = chat.person("Đặng Văn Nam", Platform.ZALO)
    assert chat.say(nam, code) == [
        "Chào mừng Đặng Văn Nam! Bạn đã tham gia Văn phòng Sở với vai trò lãnh đạo đơn vị.\n"
        "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
    ]
    assert chat.say(nam, "/whoami") == ["<b>Đặng Văn Nam</b>\n  • lãnh đạo đơn vị — Văn phòng Sở\nNgôn ngữ: vi"]


def test_a_member_sending_another_units_code_joins_that_unit_too(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, chat.invite(Role.STAFF, VAN_PHONG)) == [
        "Chào mừng Nguyễn Thị Lan! Bạn đã tham gia Văn phòng Sở với vai trò công chức, viên chức.\n"
        "Gửi /tasks để xem việc của bạn; trả lời tin nhắc để báo cáo tiến độ."
    ]


def test_a_used_up_code_as_text_is_explained(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, VAN_PHONG, uses=1)
    chat.say(chat.person("Đặng Văn Nam"), code)
    hoa = chat.person("Lê Thị Hoa", Platform.ZALO)
    assert chat.say(hoa, code) == [f"Mã {code} đã hết lượt dùng. Vui lòng xin quản trị viên mã mới."]
    assert chat.member_id(hoa) is None


def test_text_that_only_looks_like_a_code_is_ordinary_text(chat: Chat) -> None:
    stranger = chat.person("Khách lạ", Platform.ZALO)
    assert chat.say(stranger, "ABCD234567") == [GUEST]
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    reminder = chat.remind(lan, "II.3")
    # Ten letters and digits once spaces are dropped, like a code: still a progress reply.
    assert chat.say(lan, "xong het roi", reply_to=reminder) == ["Đã ghi nhận: II.3 — đã hoàn thành."]


def test_the_code_alone_in_a_group_joins_nobody(chat: Chat) -> None:
    code = chat.invite(Role.STAFF, QLTDC)
    lan = chat.person("Nguyễn Thị Lan")
    assert chat.say(lan, code, group=chat.group("Phòng TĐC"), addressed=False) == []
    assert chat.member_id(lan) is None


# ---- linking a second account -------------------------------------------------------------------------


def test_a_member_gets_a_link_code_and_the_words_for_the_other_platform(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    [answer] = chat.say(lan, "/lienket")
    first, second = answer.split("\n")
    match = LINK_CODE.match(first)
    assert match is not None, answer
    assert second == f"Trên Zalo, nhắn mã này cho bot trong chat riêng, hoặc gửi /lienket {match.group(1)}."


def test_the_link_code_sent_from_zalo_links_that_account_to_the_same_person(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    code = link_code(chat, lan)
    lan_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan_zalo, code) == [
        "Đã liên kết: tài khoản Zalo này nay cũng là của Nguyễn Thị Lan.\nTin nhắc sẽ đến bạn qua Zalo; đổi bằng /kenh."
    ]
    member = chat.member_id(lan)
    assert accounts(chat) == [("telegram", lan.user_id, member), ("zalo", lan_zalo.user_id, member)]
    assert chat.say(lan_zalo, "/whoami") == chat.say(lan, "/whoami")


def test_linking_is_audited_without_the_code(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    who = f"member:{chat.member_id(lan)}"
    before = len(chat.audit())
    code = link_code(chat, lan)
    chat.say(chat.person("Nguyễn Thị Lan", Platform.ZALO), f"/lienket {code}")
    assert chat.audit()[before:] == [(who, "member.link_code", who), (who, "member.link", who)]
    with session_scope(chat.engine) as session:
        details = [
            row.detail for row in session.exec(select(AuditLog).where(col(AuditLog.action).startswith("member.link")))
        ]
    assert details == [{"platform": "telegram"}, {"platform": "zalo", "code_from": "telegram"}]


def test_a_link_code_sent_with_start_links_too(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    lan_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan_zalo, f"/start {link_code(chat, lan)}")[0].startswith(
        "Đã liên kết: tài khoản Zalo này nay cũng là của Nguyễn Thị Lan."
    )
    assert chat.member_id(lan_zalo) == chat.member_id(lan)


def test_a_link_code_works_once(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    code = link_code(chat, lan)
    chat.say(chat.person("Nguyễn Thị Lan", Platform.ZALO), code)
    someone = chat.person("Người lạ", Platform.ZALO)
    assert chat.say(someone, code) == [
        f"Mã liên kết {code} không đúng hoặc đã hết hạn (mỗi mã dùng được một lần, trong 15 phút). "
        "Vui lòng gửi /lienket ở tài khoản bạn đang dùng để lấy mã mới."
    ]
    assert chat.member_id(someone) is None


def test_a_link_code_expires_after_fifteen_minutes(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    code = link_code(chat, lan)
    chat.later(minutes=15)
    lan_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan_zalo, code.lower())[0].startswith(f"Mã liên kết {code.lower()} không đúng hoặc đã hết hạn")
    assert chat.member_id(lan_zalo) is None


def test_asking_again_retires_the_unused_code(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    first = link_code(chat, lan)
    second = link_code(chat, lan)
    lan_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(lan_zalo, f"/lienket {first}")[0].startswith(f"Mã liên kết {first} không đúng")
    assert chat.say(lan_zalo, f"/lienket {second}")[0].startswith("Đã liên kết")


def test_an_account_of_another_member_is_not_linked(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG, platform=Platform.ZALO)
    assert chat.say(nam, link_code(chat, lan)) == [
        "Tài khoản này đã thuộc về một thành viên khác nên không liên kết được. Vui lòng liên hệ quản trị viên."
    ]
    assert chat.say(nam, "/whoami")[0].startswith("<b>Đặng Văn Nam</b>")


def test_a_second_account_on_the_same_platform_is_not_linked(chat: Chat) -> None:
    lan, _lan_zalo = linked_lan(chat)
    other_zalo = chat.person("Nguyễn Thị Lan", Platform.ZALO)
    assert chat.say(other_zalo, link_code(chat, lan)) == [
        "Bạn đã liên kết một tài khoản Zalo; mỗi nền tảng chỉ liên kết được một tài khoản. "
        "Vui lòng liên hệ quản trị viên nếu cần đổi."
    ]
    assert chat.member_id(other_zalo) is None


def test_the_code_sent_back_to_an_account_already_linked_says_so(chat: Chat) -> None:
    lan, lan_zalo = linked_lan(chat)
    assert chat.say(lan_zalo, link_code(chat, lan)) == ["Tài khoản này đã được liên kết với bạn."]


def test_a_stranger_asking_for_a_link_code_learns_where_to_ask(chat: Chat) -> None:
    assert chat.say(chat.person("Khách", Platform.ZALO), "/link") == [
        "Để liên kết tài khoản này với tài khoản bạn đang dùng với tôi: gửi /lienket ở tài khoản đó, "
        "rồi nhắn cho tôi mã nhận được."
    ]


def test_a_link_code_is_asked_for_in_the_private_chat_only(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/lienket", group=chat.group("Phòng TĐC")) == [
        "Vui lòng gửi /lienket cho tôi trong chat riêng."
    ]


# ---- the channel ----------------------------------------------------------------------------------------


def test_without_a_choice_reminders_go_to_the_account_linked_last(chat: Chat) -> None:
    _lan, lan_zalo = linked_lan(chat)
    assert chat.say(lan_zalo, "/kenh") == [
        "Tin nhắc đến bạn qua Zalo, tài khoản bạn tham gia hoặc liên kết gần nhất.\n"
        "Tài khoản của bạn: Telegram, Zalo.\n"
        "Đổi kênh: /kenh telegram, /kenh zalo."
    ]


def test_kenh_stores_the_choice(chat: Chat) -> None:
    lan, lan_zalo = linked_lan(chat)
    assert chat.say(lan_zalo, "/kenh Telegram") == [
        "Đã lưu. Tin nhắc đến bạn qua Telegram, theo lựa chọn của bạn.\n"
        "Tài khoản của bạn: Telegram, Zalo.\n"
        "Đổi kênh: /kenh telegram, /kenh zalo."
    ]
    assert channel(chat, lan) == "telegram"
    who = f"member:{chat.member_id(lan)}"
    assert chat.audit()[-1] == (who, "member.channel", who)


def test_channel_and_kenh_with_diacritics_are_the_same_command(chat: Chat) -> None:
    lan, _lan_zalo = linked_lan(chat)
    chat.say(lan, "/channel telegram")
    assert channel(chat, lan) == "telegram"
    chat.say(lan, "/kênh zalo")
    assert channel(chat, lan) == "zalo"


def test_an_unknown_channel_is_answered_with_the_options(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/kenh fax") == [
        "Không có kênh «fax». Vui lòng chọn một trong: telegram, zalo, ví dụ /kenh zalo."
    ]
    assert channel(chat, lan) is None


def test_a_channel_without_an_account_there_says_how_to_link_one(chat: Chat) -> None:
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/kenh zalo") == [
        "Bạn chưa liên kết tài khoản Zalo. Gửi /lienket ở đây, rồi nhắn mã nhận được cho bot trên Zalo."
    ]
    assert channel(chat, lan) is None
    assert chat.say(lan, "/kenh") == [
        "Tin nhắc đến bạn qua Telegram, tài khoản bạn tham gia hoặc liên kết gần nhất.\n"
        "Tài khoản của bạn: Telegram.\n"
        "Muốn nhận qua Zalo, hãy liên kết tài khoản đó trước: gửi /lienket."
    ]


def test_a_blocked_chosen_channel_is_shown_with_where_reminders_go_instead(chat: Chat) -> None:
    lan, lan_zalo = linked_lan(chat)
    chat.say(lan, "/kenh zalo")
    with session_scope(chat.engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.user_id == lan_zalo.user_id)).one()
        account.blocked_at = chat.now
        session.add(account)
    assert chat.say(lan, "/kenh")[0].split("\n")[0] == (
        "Bạn đã chọn Zalo nhưng tôi không gửi tin được ở đó (bot bị chặn hoặc chưa được bắt đầu), "
        "nên tin nhắc đến bạn qua Telegram."
    )


def test_kenh_is_for_members_in_the_private_chat(chat: Chat) -> None:
    assert chat.say(chat.person("Khách", Platform.ZALO), "/kenh zalo") == [GUEST]
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert chat.say(lan, "/kenh zalo", group=chat.group("Phòng TĐC")) == [
        "Vui lòng gửi /kenh cho tôi trong chat riêng."
    ]

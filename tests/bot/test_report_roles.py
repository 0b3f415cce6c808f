"""Reports belong to a unit in a role (issue 20, findings 1 and 2): a coordinating unit's reply is its
contribution, shown as such, and never closes the lead unit's task; /tasks, /task and /summary say the
same about every occurrence."""

from __future__ import annotations

from datetime import date

import pytest

from models import Role
from tests.bot.chat import QLTDC, TRUNG_TAM_KT, VAN_PHONG, Chat, User

V_3_SUMMARY_LINE = (
    "❌ <b>V.3</b> Đẩy mạnh công tác khảo sát chất lượng sản phẩm, hàng hóa… — hạn 31/12/2025 · chưa có báo cáo\n"
    "    phối hợp: Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng — đã xong phần phối hợp"
)


def pick(chat: Chat, user: User, code: str) -> list[str]:
    """`user` picks task `code` in the list the bot offered ("Báo cáo này về nhiệm vụ nào?")."""
    for row in chat.last(user).buttons:
        for button in row:
            if button.label.endswith(" " + code):
                return chat.press(user, button.payload)
    raise AssertionError(f"{code} is not offered: {chat.last(user)}")


@pytest.fixture
def coordinated(chat: Chat) -> Chat:
    """Finding 1: the Trung tâm Kỹ thuật staff member (coordinating unit on V.3) replies "đã phối hợp xong"
    after V.3's deadline (31/12/2025) and picks V.3."""
    chat.on(date(2026, 1, 5))
    dung = chat.member("Phạm Thu Dung", Role.STAFF, TRUNG_TAM_KT)
    chat.say(dung, "đã phối hợp xong")
    assert pick(chat, dung, "V.3") == ["Đã ghi nhận: V.3 — đã xong phần phối hợp."]
    return chat


def test_a_coordinating_units_done_leaves_the_task_open_in_the_summary_and_shows_as_its_part(
    coordinated: Chat,
) -> None:
    head = coordinated.member("Trần Thị Bình", Role.MONITOR)
    (summary,) = coordinated.say(head, "/summary quý 4/2025")
    assert V_3_SUMMARY_LINE in summary
    assert "V.3" in summary.split("\n")[7]  # "⏰ Quá hạn (15): …": still late


def test_a_coordinating_units_done_leaves_the_task_in_the_lead_units_tasks(coordinated: Chat) -> None:
    lan = coordinated.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert "❌ <b>V.3</b> — chưa thực hiện · hạn Thứ Tư, 31/12/2025, quá 5 ngày" in coordinated.say(lan, "/tasks")[0]


def test_task_details_say_which_unit_reported_in_which_role_and_when(coordinated: Chat) -> None:
    lan = coordinated.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    assert coordinated.say(lan, "/task V.3")[0].endswith(
        "Các thời hạn tới:\n"
        "  • Năm 2025: hạn Thứ Tư, 31/12/2025, quá 5 ngày\n"
        "    phối hợp: Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng — đã xong phần phối hợp\n"
        "  • Năm 2026: hạn Thứ Năm, 31/12/2026, còn 360 ngày\n"
        "  • Năm 2027: hạn Thứ Sáu, 31/12/2027, còn 725 ngày\n"
        "Báo cáo gần nhất:\n"
        "  • 05/01/2026 09:00, phối hợp: Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng — đã xong phần phối hợp"
        " — «đã phối hợp xong»"
    )


def test_the_lead_units_done_closes_the_task_and_the_contribution_stays_beside_it(coordinated: Chat) -> None:
    lan = coordinated.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    coordinated.later(hours=1)
    coordinated.say(lan, "đã khảo sát xong", reply_to=coordinated.remind(lan, "V.3", date(2025, 12, 31)))
    assert "🕒 <b>V.3</b> — chưa đến hạn · hạn Thứ Năm, 31/12/2026, còn 360 ngày" in coordinated.say(lan, "/tasks")[0]
    (summary,) = coordinated.say(coordinated.member("Trần Thị Bình", Role.MONITOR), "/summary quý 4/2025")
    assert (
        "☑️ <b>V.3</b> Đẩy mạnh công tác khảo sát chất lượng sản phẩm, hàng hóa… — «đã khảo sát xong» (05/01)\n"
        "    phối hợp: Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng — đã xong phần phối hợp"
    ) in summary


@pytest.fixture
def office_reported(chat: Chat) -> tuple[Chat, User]:
    """Finding 2: Văn phòng Sở (coordinating unit on III.1) reports "dang lam 50%" and picks III.1, whose
    31/12/2025 deadline is past."""
    chat.on(date(2026, 3, 2))
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    chat.say(nam, "dang lam 50%")
    assert pick(chat, nam, "III.1") == ["Đã ghi nhận: III.1 — đang thực hiện, 50 %."]
    return chat, nam


def test_tasks_and_summary_say_the_same_of_a_deadline_only_a_coordinating_unit_reported_on(
    office_reported: tuple[Chat, User],
) -> None:
    chat, nam = office_reported
    (tasks,) = chat.say(nam, "/tasks")
    (summary,) = chat.say(chat.member("Trần Thị Bình", Role.MONITOR), "/summary quý 4/2025")
    assert "❌ <b>III.1</b> — chưa thực hiện · hạn Thứ Tư, 31/12/2025, quá 61 ngày" in tasks
    assert (
        "❌ <b>III.1</b> Xây dựng kế hoạch và tổ chức đào tạo, tập huấn, bồi dưỡng… — hạn 31/12/2025 · chưa có báo cáo\n"
        "    phối hợp: Văn phòng Sở — đang thực hiện, 50 %"
    ) in summary


@pytest.fixture
def lead_reported_late(chat: Chat) -> tuple[Chat, User]:
    """Finding 2, as the lead unit sees it: Phòng Quản lý TĐC (III.1's lead; Văn phòng Sở only coordinates
    it) replies "dang lam 50%" to the reminder of III.1's 31/12/2025 deadline, two months after it."""
    chat.on(date(2026, 3, 2))
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    answer = chat.say(lan, "dang lam 50%", reply_to=chat.remind(lan, "III.1", date(2025, 12, 31)))
    assert answer == ["Đã ghi nhận: III.1 — đang thực hiện, 50 %."]
    return chat, lan


def test_a_years_summary_carries_an_earlier_deadline_still_open_in_the_state_tasks_shows(
    lead_reported_late: tuple[Chat, User],
) -> None:
    chat, lan = lead_reported_late
    (tasks,) = chat.say(lan, "/tasks")
    (summary,) = chat.say(chat.member("Trần Thị Bình", Role.MONITOR), "/summary 2026")
    assert "⏰ <b>III.1</b> — đang thực hiện quá hạn · hạn Thứ Tư, 31/12/2025, quá 61 ngày · 50 %" in tasks
    assert (
        "⏰ <b>III.1</b> Xây dựng kế hoạch và tổ chức đào tạo, tập huấn, bồi dưỡng… — chuyển từ kỳ trước: hạn "
        "31/12/2025 · «dang lam 50%» (02/03)"
    ) in summary


def test_a_unit_that_reported_in_the_period_on_a_carried_deadline_is_not_listed_as_silent(
    lead_reported_late: tuple[Chat, User],
) -> None:
    chat, _lan = lead_reported_late
    (summary,) = chat.say(chat.member("Trần Thị Bình", Role.MONITOR), "/summary 2026")
    silent = next(line for line in summary.split("\n") if line.startswith("📭"))
    assert QLTDC not in silent

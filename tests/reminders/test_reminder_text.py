"""What reminders say, in Vietnamese first: the design's sketch exactly, digests, escalations."""

from __future__ import annotations

from datetime import date

from domain.messages import Button, Keyboard
from domain.payloads import MAX_ID, MAX_PAYLOAD_BYTES
from domain.status_buttons import digest_buttons
from locales.catalogs import translator
from models import ReminderKind
from scheduler.reminders.policy import Audience
from scheduler.reminders.text import ReminderItem, render_reminders


def rows(keyboard: Keyboard) -> list[list[Button]]:
    """The buttons row by row, as lists (to compare with a literal)."""
    return [list(row) for row in keyboard]


TDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"
II3 = (
    "Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt "
    "“Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn "
    "2021 – 2030” trên địa bàn tính đến năm 2030."
)
DUE = date(2025, 12, 31)


def item(kind: ReminderKind = ReminderKind.LEAD, **changes: object) -> ReminderItem:
    fields: dict[str, object] = {
        "occurrence_id": 5,
        "kind": kind,
        "audience": Audience.UNIT,
        "task_code": "II.3",
        "content": II3,
        "due": DUE,
        "lead_units": (TDC,),
        "unit": TDC,
        "prompt_id": 42,
    }
    fields.update(changes)
    return ReminderItem(**fields)  # type: ignore[arg-type]


def test_the_design_sketch_seven_days_ahead_to_the_lead_unit() -> None:
    rendered = render_reminders([item()], send_day=date(2025, 12, 24), locale="vi")
    assert rendered.text.splitlines() == [
        "🔔 Nhắc hạn nhiệm vụ II.3 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)",
        II3,
        "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
        "Trả lời tin nhắn này để báo cáo tiến độ, ví dụ: «đã trình dự thảo, đạt 70%».",
    ]
    assert rows(rendered.buttons) == [
        [
            Button("✅ Đã hoàn thành", "rp:42:done"),
            Button("⏳ Đang thực hiện", "rp:42:in_progress"),
            Button("⚠️ Có vướng mắc", "rp:42:blocked"),
        ]
    ]


def test_the_same_reminder_in_english() -> None:
    rendered = render_reminders([item()], send_day=date(2025, 12, 26), locale="en")
    assert (
        rendered.text.splitlines()[0] == "🔔 Deadline reminder for task II.3 — 5 days left (due Wednesday, 31/12/2025)"
    )
    assert rendered.buttons[0][0] == Button("✅ Done", "rp:42:done")


def test_on_the_day_and_after_it() -> None:
    today = render_reminders([item()], send_day=DUE, locale="vi").text.splitlines()[0]
    assert today == "🔔 Nhắc hạn nhiệm vụ II.3 — hạn là hôm nay (Thứ Tư, 31/12/2025)"
    late = render_reminders([item(ReminderKind.OVERDUE)], send_day=date(2026, 1, 6), locale="vi")
    assert late.text.splitlines()[0] == "🔔 Nhiệm vụ II.3 đã quá hạn 6 ngày (hạn Thứ Tư, 31/12/2025)"
    assert late.text.splitlines()[-1].startswith("Trả lời tin nhắn này")
    assert len(late.buttons) == 1


def test_a_coordinating_unit_gets_a_lighter_note_without_buttons() -> None:
    note = item(ReminderKind.COORDINATING, unit="Trung tâm Chuyên đổi số và Đổi mới sáng tạo", prompt_id=None)
    rendered = render_reminders([note], send_day=date(2025, 12, 17), locale="vi")
    assert rendered.text.splitlines() == [
        "🔔 Thông tin phối hợp: nhiệm vụ II.3 đến hạn Thứ Tư, 31/12/2025 (còn 14 ngày)",
        II3,
        "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
        "Phối hợp: Trung tâm Chuyên đổi số và Đổi mới sáng tạo. Không cần trả lời tin nhắn này.",
    ]
    assert rows(rendered.buttons) == []


def test_a_check_in_and_a_plan_wide_report() -> None:
    checkin = item(ReminderKind.CHECKIN, task_code="V.2", period="Quý IV/2025", content="Thanh tra, kiểm tra.")
    assert render_reminders([checkin], send_day=date(2025, 12, 24), locale="vi").text.splitlines()[:2] == [
        "🔔 Hỏi tiến độ nhiệm vụ V.2 — Quý IV/2025 (đến Thứ Tư, 31/12/2025)",
        "Thanh tra, kiểm tra.",
    ]
    report = item(
        ReminderKind.OBLIGATION,
        task_code="BC.1",
        due=date(2025, 11, 15),
        obligation=True,
        unit="Văn phòng Sở",
        content="Báo cáo tiến độ trước ngày 15/11 hàng năm.",
    )
    assert render_reminders([report], send_day=date(2025, 10, 16), locale="vi").text.splitlines() == [
        "🔔 Nhắc hạn báo cáo BC.1 — còn 30 ngày (hạn Thứ Bảy, 15/11/2025)",
        "Báo cáo tiến độ trước ngày 15/11 hàng năm.",
        "Đơn vị báo cáo: Văn phòng Sở",
        "Trả lời tin nhắn này để báo cáo tiến độ, ví dụ: «đã trình dự thảo, đạt 70%».",
    ]


def test_escalations_to_the_unit_lead_and_to_the_monitor() -> None:
    to_lead = item(ReminderKind.ESCALATION, audience=Audience.UNIT_LEAD)
    assert render_reminders([to_lead], send_day=date(2026, 1, 14), locale="vi").text.splitlines() == [
        "⚠️ Nhiệm vụ II.3 đã quá hạn 14 ngày (hạn Thứ Tư, 31/12/2025), "
        "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng chưa báo cáo tiến độ.",
        II3,
        "Đề nghị lãnh đạo đơn vị đôn đốc thực hiện, hoặc trả lời tin nhắn này để báo cáo tiến độ.",
    ]
    to_monitor = item(ReminderKind.ESCALATION, audience=Audience.MONITOR, prompt_id=None)
    rendered = render_reminders([to_monitor], send_day=date(2026, 1, 19), locale="vi")
    assert rendered.text.splitlines() == [
        "⚠️ Nhiệm vụ II.3 đã quá hạn 19 ngày (hạn Thứ Tư, 31/12/2025): "
        "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng chưa báo cáo dù đã được nhắc.",
        II3,
        "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
    ]
    assert rows(rendered.buttons) == []


def test_a_blocker_told_to_the_monitor() -> None:
    blocked = item(
        ReminderKind.ESCALATION, audience=Audience.MONITOR, blocked=True, reason="chưa có kinh phí", prompt_id=None
    )
    assert render_reminders([blocked], send_day=date(2025, 12, 22), locale="vi").text.splitlines() == [
        "⚠️ Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng báo có vướng mắc ở nhiệm vụ II.3 (hạn Thứ Tư, 31/12/2025)",
        "Lý do: chưa có kinh phí",
        II3,
        "Chủ trì: Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
    ]


def test_several_reminders_for_one_chat_on_one_morning_are_one_digest() -> None:
    items = [
        item(ReminderKind.CHECKIN, occurrence_id=8, task_code="V.2", period="Quý IV/2025", prompt_id=44),
        item(),
        item(ReminderKind.OVERDUE, occurrence_id=9, task_code="I.1", due=date(2025, 9, 30), prompt_id=43),
        item(ReminderKind.COORDINATING, occurrence_id=10, task_code="VI.1", prompt_id=None, content="Phối hợp."),
    ]
    rendered = render_reminders(items, send_day=date(2025, 12, 24), locale="vi")
    assert rendered.text.splitlines() == [
        "🔔 Nhắc việc Thứ Tư, 24/12/2025: 4 nhiệm vụ cần lưu ý",
        "• I.1 — quá hạn 85 ngày (hạn Thứ Ba, 30/09/2025)",
        "   Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt …",
        "• II.3 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)",
        "   Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt …",
        "• V.2 — hỏi tiến độ Quý IV/2025 (đến Thứ Tư, 31/12/2025)",
        "   Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt …",
        "• VI.1 — phối hợp, hạn Thứ Tư, 31/12/2025 (còn 7 ngày)",
        "   Phối hợp.",
        "Trả lời tin nhắn này để báo cáo tiến độ (tôi sẽ hỏi là nhiệm vụ nào), hoặc chọn một nhiệm vụ bên dưới.",
    ]
    assert rows(rendered.buttons) == [
        [
            Button("Xong I.1", "rp:43:done"),
            Button("Đang làm I.1", "rp:43:in_progress"),
            Button("Vướng I.1", "rp:43:blocked"),
        ],
        [
            Button("Xong II.3", "rp:42:done"),
            Button("Đang làm II.3", "rp:42:in_progress"),
            Button("Vướng II.3", "rp:42:blocked"),
        ],
        [
            Button("Xong V.2", "rp:44:done"),
            Button("Đang làm V.2", "rp:44:in_progress"),
            Button("Vướng V.2", "rp:44:blocked"),
        ],
    ]


def test_a_digest_of_many_tasks_offers_one_report_button_per_task() -> None:
    codes = ["III.1", "III.2", "III.3", "III.4", "III.5"]
    items = [item(occurrence_id=60 + n, task_code=code, prompt_id=70 + n) for n, code in enumerate(codes)]
    rendered = render_reminders(items, send_day=date(2025, 12, 24), locale="vi")
    assert rows(rendered.buttons) == [
        [Button("Báo cáo III.1", "rc:70"), Button("Báo cáo III.2", "rc:71")],
        [Button("Báo cáo III.3", "rc:72"), Button("Báo cáo III.4", "rc:73")],
        [Button("Báo cáo III.5", "rc:74")],
    ]


def test_opening_a_tasks_choices_puts_them_in_its_buttons_place() -> None:
    tasks = [(70, "III.1"), (71, "III.2"), (72, "III.3"), (73, "III.4")]
    assert rows(digest_buttons(translator("vi"), tasks, opened=71)) == [
        [Button("Báo cáo III.1", "rc:70")],
        [
            Button("Xong III.2", "rp:71:done"),
            Button("Đang làm III.2", "rp:71:in_progress"),
            Button("Vướng III.2", "rp:71:blocked"),
        ],
        [Button("Báo cáo III.3", "rc:72"), Button("Báo cáo III.4", "rc:73")],
    ]


def test_digest_buttons_carry_words_in_english_too() -> None:
    assert rows(digest_buttons(translator("en"), [(7, "II.3")])) == [
        [
            Button("Done II.3", "rp:7:done"),
            Button("In progress II.3", "rp:7:in_progress"),
            Button("Blocked II.3", "rp:7:blocked"),
        ]
    ]


def test_plan_text_is_escaped_and_payloads_fit_telegram() -> None:
    # The largest id a prompt can have (PostgreSQL INTEGER): its payload still fits.
    rendered = render_reminders([item(content="Đạt <50% & hơn", prompt_id=MAX_ID)], send_day=DUE, locale="vi")
    assert "Đạt &lt;50% &amp; hơn" in rendered.text
    assert [len(b.payload or "") for row in rendered.buttons for b in row] == [18, 25, 21]
    assert max(len(b.payload or "") for row in rendered.buttons for b in row) <= MAX_PAYLOAD_BYTES


BC1 = (
    "Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách nhiệm "
    "cụ thể đến từng bộ phận/công chức thuộc phạm vi quản lý; định kỳ trước ngày 15/11 hàng năm báo cáo tiến độ, "
    "kết quả thực hiện, các khó khăn vướng mắc gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng để tổng hợp, báo "
    "cáo lãnh đạo Sở."
)
LATE_UNITS = ("Văn phòng Sở", "Phòng Bưu chính viễn thông và CDS", "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng")


def bc1_to_monitor(unit: str) -> ReminderItem:
    return item(
        ReminderKind.ESCALATION,
        audience=Audience.MONITOR,
        occurrence_id=30,
        task_code="BC.1",
        content=BC1,
        due=date(2026, 11, 15),
        obligation=True,
        unit=unit,
        prompt_id=None,
    )


def test_one_escalation_states_the_task_once_with_its_late_units_under_it() -> None:
    rendered = render_reminders([bc1_to_monitor(unit) for unit in LATE_UNITS], send_day=date(2026, 12, 16), locale="vi")
    assert rendered.text.splitlines() == [
        "⚠️ Nhiệm vụ BC.1 đã quá hạn 31 ngày (hạn Chủ Nhật, 15/11/2026): 3 đơn vị chưa báo cáo dù đã được nhắc:",
        "• Văn phòng Sở",
        "• Phòng Bưu chính viễn thông và CDS",
        "• Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng",
        BC1,
    ]
    assert rows(rendered.buttons) == []


def test_a_digest_of_escalations_names_each_task_once() -> None:
    late_ii3 = item(ReminderKind.ESCALATION, audience=Audience.MONITOR, due=date(2026, 12, 1), prompt_id=None)
    items = [bc1_to_monitor(LATE_UNITS[0]), late_ii3, bc1_to_monitor(LATE_UNITS[1])]
    rendered = render_reminders(items, send_day=date(2026, 12, 16), locale="vi")
    assert rendered.text.splitlines() == [
        "🔔 Nhắc việc Thứ Tư, 16/12/2026: 2 nhiệm vụ cần lưu ý",
        "• BC.1 — quá hạn 31 ngày (hạn Chủ Nhật, 15/11/2026), 2 đơn vị chưa báo cáo: "
        "Văn phòng Sở; Phòng Bưu chính viễn thông và CDS",
        "   Các phòng, đơn vị trực thuộc Sở căn cứ các nhiệm vụ được giao chủ trì tại Kế hoạch này, phân công trách nhiệm …",
        "• II.3 — quá hạn 15 ngày (hạn Thứ Ba, 01/12/2026), Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng chưa báo cáo",
        "   Xây dựng kế hoạch thực hiện Quyết định số 1322/QĐ-TTg ngày 31/08/2020 của Thủ tướng Chính phủ phê duyệt …",
    ]

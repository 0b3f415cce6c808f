"""The monitor's draft report queued from the bundled plan (BC.1, "trước ngày 15/11 hàng năm"), on
SQLite and PostgreSQL: the summary message and the .docx, once per monitor, only before the deadline."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import (
    CalendarOverride,
    CalendarOverrideKind,
    Member,
    Membership,
    Occurrence,
    OutboxMessage,
    OutboxState,
    PlatformAccount,
    Role,
    Task,
    db,
)
from nhacviec.demo import SimulatedPerson
from scheduler.reminders import draft_enqueue, reminder_loop
from scheduler.reminders.draft_enqueue import DOCX_MIME, DraftResult, enqueue_drafts
from scheduler.reminders.enqueue import next_due_at
from scheduler.reminders.reminder_loop import ReminderLoop

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONITOR_CHAT = "1011"
HEADER_2026 = (
    "<b>📝 Dự thảo báo cáo kết quả thực hiện kế hoạch — Năm 2026</b>\n"
    "Hạn báo cáo: Chủ Nhật, 15/11/2026 (còn 5 ngày làm việc).\n"
    "Bản dự thảo .docx được gửi ngay sau tin này, kính đề nghị đồng chí rà soát, hoàn thiện trước khi trình ký.\n"
    "\n"
    "📊 <b>Tình hình thực hiện kế hoạch — Năm 2026</b>\n"
    "Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND · toàn bộ kế hoạch · số liệu đến 09/11/2026\n"
)
CAPTION_2026 = "📄 Dự thảo báo cáo — Năm 2026 (.docx)"


def at(day: str, clock: str = "08:30") -> datetime:
    return datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def run(engine: Engine, now: datetime, working_days: int = 5) -> DraftResult:
    with db.session_scope(engine) as session:
        return enqueue_drafts(session, now=now, working_days_before=working_days)


def drafts(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("draft:"))
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def bc1_2026(engine: Engine) -> int:
    with Session(engine) as session:
        found = session.exec(
            select(Occurrence.id)
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(Task.code == "BC.1", Occurrence.due == date(2026, 11, 15))
        ).one()
        assert found is not None
        return found


def member_of(engine: Engine, chat: str) -> int:
    with Session(engine) as session:
        return session.exec(select(PlatformAccount.member_id).where(PlatformAccount.private_chat_id == chat)).one()


def add_monitor(engine: Engine, name: str, chat: str, language: str = "vi") -> int:
    with db.session_scope(engine) as session:
        member = Member(display_name=name, language=language, created_at=at("01/11/2026"))
        session.add(member)
        session.flush()
        assert member.id is not None
        session.add(PlatformAccount(platform="telegram", user_id=chat, private_chat_id=chat, member_id=member.id))
        session.add(Membership(member_id=member.id, unit_id=None, role=Role.MONITOR, created_at=at("01/11/2026")))
        return member.id


def set_paused(engine: Engine, chat: str, until: date | None) -> None:
    with db.session_scope(engine) as session:
        member = session.get(Member, member_of(engine, chat))
        assert member is not None
        member.paused_until = until
        session.add(member)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_on_the_draft_day_the_monitor_gets_the_summary_then_the_docx(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    assert any(p.role == Role.MONITOR and p.id == int(MONITOR_CHAT) for p in people)
    occurrence, monitor = bc1_2026(engine), member_of(engine, MONITOR_CHAT)
    result = run(engine, at("09/11/2026"))
    assert result == DraftResult(messages=2, no_monitor=0, next_at=at("08/11/2027"))
    text, document = drafts(engine)
    assert [text.idempotency_key, document.idempotency_key] == [
        f"draft:{occurrence}:m{monitor}:text",
        f"draft:{occurrence}:m{monitor}:docx",
    ]
    for row in (text, document):
        assert (row.platform, row.chat_id, row.member_id) == ("telegram", MONITOR_CHAT, monitor)
        assert row.due_at == at("09/11/2026") and row.state == OutboxState.PENDING and row.buttons == []
        assert row.reason["kind"] == "draft" and row.reason["occurrence"] == occurrence
    assert text.text.startswith(HEADER_2026)
    # Nobody reported: the 2025 deadlines still open are carried into the year, first.
    assert (
        "⏰ <b>Quá hạn (17):</b> I.1, BC.1, II.3, II.4, II.5, III.1, III.2, III.4, IV.1, V.3, VI.2, V.1, I.3, I.2, I.4,"
        " II.1, V.2" in text.text
    )
    assert len(text.text) <= 4096
    assert text.attachment_content is None and text.attachment_filename is None
    assert document.text == CAPTION_2026
    assert document.attachment_filename == "tong-hop-nam-2026.docx"
    assert document.attachment_mime_type == DOCX_MIME
    assert document.attachment_content is not None
    body = docx_text(document.attachment_content)
    assert body.startswith(
        "BÁO CÁO\nKết quả thực hiện Kế hoạch của Sở Khoa học và Công nghệ thực hiện Kế hoạch số 40/KH-UBND"
    )
    assert "năm 2026 (số liệu tính đến ngày 09/11/2026)" in body


def test_a_second_wakeup_or_run_queues_nothing_more(engine: Engine, people: list[SimulatedPerson]) -> None:
    assert run(engine, at("09/11/2026")).messages == 2
    before = [(m.id, m.idempotency_key, m.text) for m in drafts(engine)]
    assert run(engine, at("09/11/2026")).messages == 0
    assert run(engine, at("09/11/2026", "10:15")).messages == 0
    assert run(engine, at("13/11/2026", "16:00")).messages == 0
    assert [(m.id, m.idempotency_key, m.text) for m in drafts(engine)] == before


def test_before_the_draft_day_nothing_is_queued_and_the_wakeup_is_set(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    assert run(engine, at("06/11/2026", "17:30")) == DraftResult(next_at=at("09/11/2026"))
    assert run(engine, at("06/11/2026", "17:30"), working_days=0) == DraftResult(next_at=at("13/11/2026"))
    assert drafts(engine) == []


def test_the_admins_calendar_moves_the_draft_day(engine: Engine, people: list[SimulatedPerson]) -> None:
    with db.session_scope(engine) as session:
        session.add(
            CalendarOverride(
                day=date(2026, 11, 11),
                kind=CalendarOverrideKind.DAY_OFF,
                reason="Nghỉ bù theo thông báo của UBND tỉnh",
                created_by="admin",
                created_at=at("01/11/2026"),
            )
        )
    assert run(engine, at("06/11/2026", "08:00")).next_at == at("06/11/2026")
    assert run(engine, at("06/11/2026")).messages == 2
    text = drafts(engine)[0].text
    assert "Hạn báo cáo: Chủ Nhật, 15/11/2026 (còn 5 ngày làm việc)." in text
    assert "số liệu đến 06/11/2026" in text


def test_with_no_monitor_to_send_to_nothing_is_recorded_and_a_monitor_back_in_time_gets_it(
    engine: Engine, people: list[SimulatedPerson], caplog: pytest.LogCaptureFixture
) -> None:
    set_paused(engine, MONITOR_CHAT, date(2026, 11, 11))  # on leave until Wednesday
    with caplog.at_level("WARNING", logger=draft_enqueue.__name__):
        assert run(engine, at("09/11/2026")) == DraftResult(no_monitor=1, next_at=at("08/11/2027"))
    assert "no monitor has a chat" in caplog.text
    assert drafts(engine) == []
    # Back on Thursday: the draft goes out then, with the days really left.
    assert run(engine, at("12/11/2026", "08:30")).messages == 2
    assert "Hạn báo cáo: Chủ Nhật, 15/11/2026 (còn 2 ngày làm việc)." in drafts(engine)[0].text


def test_a_monitor_who_joins_later_gets_it_too_and_nobody_gets_it_twice(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    occurrence = bc1_2026(engine)
    assert run(engine, at("09/11/2026")).messages == 2
    deputy = add_monitor(engine, "Phạm Thị Hoa", "2001")
    assert run(engine, at("13/11/2026", "08:30")).messages == 2
    rows = drafts(engine)
    assert [m.chat_id for m in rows] == [MONITOR_CHAT, MONITOR_CHAT, "2001", "2001"]
    assert rows[2].idempotency_key == f"draft:{occurrence}:m{deputy}:text"
    assert "Hạn báo cáo: Chủ Nhật, 15/11/2026 (còn 1 ngày làm việc)." in rows[2].text
    assert rows[3].attachment_filename == "tong-hop-nam-2026.docx"
    assert run(engine, at("13/11/2026", "09:00")).messages == 0


def test_a_monitor_who_reads_english_gets_an_english_message_and_the_vietnamese_document(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    set_paused(engine, MONITOR_CHAT, date(2026, 12, 31))
    add_monitor(engine, "Jane Nguyen", "2002", language="en")
    assert run(engine, at("09/11/2026")).messages == 2
    text, document = drafts(engine)
    assert text.text.startswith(
        "<b>📝 Draft report on the plan's implementation — Year 2026</b>\n"
        "Report deadline: Sunday, 15/11/2026 (5 working days left).\n"
        "The .docx draft follows this message: please review and complete it before it is signed.\n"
    )
    assert document.text == "📄 Draft report — Year 2026 (.docx)"
    assert document.attachment_content is not None
    assert docx_text(document.attachment_content).startswith("BÁO CÁO\n")


def test_after_the_deadline_a_missed_draft_is_dropped(engine: Engine, people: list[SimulatedPerson]) -> None:
    # The service was down over the whole week: on Saturday and after the Sunday deadline, nothing.
    assert run(engine, at("14/11/2026", "09:00")) == DraftResult(next_at=at("08/11/2027"))
    assert run(engine, at("16/11/2026", "09:00")) == DraftResult(next_at=at("08/11/2027"))
    assert drafts(engine) == []
    # A Monday deadline (15/11/2027) still takes its late draft that morning: "hôm nay".
    assert run(engine, at("15/11/2027", "10:00")).messages == 2
    assert "Hạn báo cáo: hôm nay, Thứ Hai, 15/11/2027." in drafts(engine)[0].text


def test_a_duty_dated_only_by_its_day_reports_on_the_plans_cycle(engine: Engine, people: list[SimulatedPerson]) -> None:
    # An occurrence that only knows its date ("Ngày 15/11/2026") is summarised over the plan's reporting
    # cycle holding it: the year, for a yearly duty.
    with db.session_scope(engine) as session:
        occurrence = session.get(Occurrence, bc1_2026(engine))
        assert occurrence is not None
        occurrence.period_kind, occurrence.period_index = "date", 11
        session.add(occurrence)
    assert run(engine, at("09/11/2026")).messages == 2
    text, document = drafts(engine)
    assert text.text.startswith(HEADER_2026)
    assert document.attachment_filename == "tong-hop-nam-2026.docx"


async def test_the_reminder_wakeup_queues_the_drafts_and_wakes_for_the_next(
    engine: Engine, people: list[SimulatedPerson]
) -> None:
    poked: list[bool] = []

    def loop(moment: datetime, working_days: int = 5) -> ReminderLoop:
        return ReminderLoop(
            engine,
            clock=lambda: moment,
            tz=VN,
            locale="vi",
            report_draft_working_days=working_days,
            on_queued=lambda: poked.append(True),
        )

    # With 30 working days, the draft (Monday 05/10/2026) comes before any reminder step: the loop
    # wakes for it although the reminders alone would sleep until 16/10.
    evening = at("01/10/2026", "17:30")
    with Session(engine) as session:
        assert next_due_at(session, evening, tz=VN) == at("16/10/2026")
    assert loop(evening, 30)._plan() == (0, at("05/10/2026"))
    await loop(at("09/11/2026")).run_now()
    assert poked == [True]
    assert [m.idempotency_key.rsplit(":", 1)[1] for m in drafts(engine)] == ["text", "docx"]


async def test_a_draft_that_cannot_be_built_does_not_stop_the_reminders(
    engine: Engine, people: list[SimulatedPerson], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> DraftResult:
        raise OSError("No space left on device")

    monkeypatch.setattr(reminder_loop, "enqueue_drafts", broken)
    now = at("09/11/2026")
    loop = ReminderLoop(
        engine, clock=lambda: now, tz=VN, locale="vi", report_draft_working_days=5, on_queued=lambda: None
    )
    with caplog.at_level("ERROR", logger=reminder_loop.__name__):
        queued, upcoming = loop._plan()
    assert "queuing the draft report failed" in caplog.text
    assert queued > 0  # the reminders due that morning were queued and committed
    with Session(engine) as session:
        assert upcoming == next_due_at(session, now, tz=VN)
        assert session.exec(select(OutboxMessage)).first() is not None
    assert drafts(engine) == []

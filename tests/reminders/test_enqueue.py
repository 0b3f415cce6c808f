"""Queuing reminders on the bundled plan: ledger rows, outbox messages, digests, prompts, who gets what."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import OutboxMessage, OutboxState, PlatformAccount, Prompt, ReminderStep, ReportStatus, db
from models.queries import find_plan
from scheduler.reminders import enqueue
from scheduler.reminders.enqueue import EnqueueResult, enqueue_due, next_due_at
from scheduler.timing.events import record_event
from scheduler.timing.periods import Period, period_label
from tests.reminders.support import TDC, answer, at, bind_group, deliver, messages, occurrence_id, pause, run, steps

IV1 = (
    "Tiếp tục đầu tư cơ sở vật chất cho Trung tâm Kỹ thuật tiêu chuẩn đo lường chất lượng của tỉnh, đáp ứng yêu "
    "cầu quản lý nhà nước trên địa bàn tỉnh."
)
I1 = (
    "Tiếp tục tổ chức quán triệt, tuyên truyền, phổ biến nội dung Chỉ thị số 38-CT/TW của Ban Bí thư, Quyết định "
    "số 1703/QĐ-TTg và các văn bản hướng dẫn thực hiện bằng nhiều hình thức."
)
V3 = (
    "Đẩy mạnh công tác khảo sát chất lượng sản phẩm, hàng hóa để thông tin tới các cơ quan có chức năng thanh "
    "tra, kiểm tra và cảnh báo người tiêu dùng về chất lượng sản phẩm, hàng hóa."
)
REPLY = "Trả lời tin nhắn này để báo cáo tiến độ, ví dụ: «đã trình dự thảo, đạt 70%»."
# Lead unit TĐC, due 31/12/2025: eight deadlines and five quarterly check-ins.
DEC_31 = ["II.3", "II.4", "II.5", "III.1", "III.2", "III.4", "V.3", "VI.2"]
DEC_31_CHECKINS = ["I.2", "I.4", "II.1", "V.1", "V.2"]


def codes(message: OutboxMessage) -> list[str]:
    return sorted(step["task"] for step in message.reason["steps"])


def test_a_single_reminder_reads_as_in_the_design(planned: Engine) -> None:
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    message = messages(planned, "1005")[-1]  # Văn phòng Sở leads IV.1; nothing else is due for it that morning
    assert message.idempotency_key == "telegram:1005:2025-12-24T08:30:00+07:00"
    assert message.due_at == datetime(2025, 12, 24, 1, 30, tzinfo=UTC)
    assert message.state == OutboxState.PENDING
    assert message.text.splitlines() == [
        "🔔 Nhắc hạn nhiệm vụ IV.1 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)",
        IV1,
        "Chủ trì: Văn phòng Sở",
        REPLY,
    ]
    with Session(planned) as session:
        prompt = session.exec(select(Prompt).where(Prompt.chat_id == "1005").order_by(col(Prompt.id).desc())).first()
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == "1005")).one()
        assert prompt is not None
        assert prompt.occurrence_id == occurrence_id(session, "IV.1", date(2025, 12, 31))
        assert (prompt.member_id, prompt.platform, prompt.message_id) == (account.member_id, "telegram", None)
        assert message.member_id == account.member_id
    assert message.buttons == [
        [
            {"label": "✅ Đã hoàn thành", "payload": f"rp:{prompt.id}:done"},
            {"label": "⏳ Đang thực hiện", "payload": f"rp:{prompt.id}:in_progress"},
            {"label": "⚠️ Có vướng mắc", "payload": f"rp:{prompt.id}:blocked"},
        ]
    ]
    assert message.reason["prompt_id"] == prompt.id
    assert message.reason["steps"] == [
        {
            "occurrence": prompt.occurrence_id,
            "task": "IV.1",
            "unit": 3,
            "kind": "lead",
            "step": "-7",
            "audience": "unit",
            "obligation": False,
            "prompt": prompt.id,
        }
    ]
    assert [m.text.splitlines()[0] for m in messages(planned, "1006")][-1] == message.text.splitlines()[0]


def test_same_morning_steps_for_one_chat_are_one_digest(planned: Engine) -> None:
    run(planned, at("17/12/2025"))
    result = run(planned, at("24/12/2025"))
    assert result.messages == len({(m.chat_id, m.due_at) for m in messages(planned) if m.due_at == at("24/12/2025")})
    [digest] = [m for m in messages(planned, "1001") if m.due_at == at("24/12/2025")]
    assert codes(digest) == sorted(DEC_31 + DEC_31_CHECKINS)
    lines = digest.text.splitlines()
    assert lines[0] == "🔔 Nhắc việc Thứ Tư, 24/12/2025: 13 nhiệm vụ cần lưu ý"
    assert "• II.3 — còn 7 ngày (hạn Thứ Tư, 31/12/2025)" in lines
    quarter = period_label(Period("quarter", 2025, 4), "vi")  # "Quý IV/2025"
    assert f"• V.2 — hỏi tiến độ {quarter} (đến Thứ Tư, 31/12/2025)" in lines
    assert (
        lines[-1]
        == "Trả lời tin nhắn này để báo cáo tiến độ (tôi sẽ hỏi là nhiệm vụ nào), hoặc chọn một nhiệm vụ bên dưới."
    )
    # 13 tasks: one "Báo cáo" button each, two to a row, not 39 status buttons.
    labels = [button["label"] for row in digest.buttons for button in row]
    assert sorted(labels) == sorted(f"Báo cáo {code}" for code in codes(digest))
    assert len(digest.buttons) == 7
    assert "prompt_id" not in digest.reason
    assert len(digest.reason["prompt_ids"]) == 13


def test_running_twice_or_from_two_sessions_queues_nothing_twice(
    planned: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(planned, at("17/12/2025"))
    assert first.steps > 0 and first.messages > 0
    before = [(m.idempotency_key, m.text) for m in messages(planned)]
    assert run(planned, at("17/12/2025", "10:00")) == EnqueueResult()
    with Session(planned) as one, Session(planned) as two:
        assert enqueue_due(one, now=at("24/12/2025")).steps > 0
        one.commit()
        # The second session decided before the first committed (it read no ledger rows): every insert of
        # a step meets the first session's row and is skipped, and nothing reaches the outbox.
        monkeypatch.setattr(enqueue, "_queued", lambda session, ids: set())
        late = enqueue_due(two, now=at("24/12/2025"))
        two.commit()
    assert (late.steps, late.messages, late.merged, late.prompts) == (0, 0, 0, 0)
    assert late.skipped > 0
    after = messages(planned)
    assert [(m.idempotency_key, m.text) for m in after][: len(before)] == before
    ledger = steps(planned)
    assert len(ledger) == sum(len(m.reason["steps"]) for m in after)
    assert all(step.outbox_id is not None for step in ledger)


def test_two_processes_at_once_on_postgresql(planned: Engine, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time; concurrent queuing is a PostgreSQL matter")
    barrier = threading.Barrier(2)
    results: list[EnqueueResult] = []
    errors: list[BaseException] = []

    def worker() -> None:
        engine = db.make_engine(db_url)
        try:
            barrier.wait()
            with db.session_scope(engine) as session:
                results.append(enqueue_due(session, now=at("24/12/2025")))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ledger = steps(planned)
    assert sum(result.steps for result in results) == len(ledger) > 0
    outbox = messages(planned)
    assert len({(m.chat_id, m.due_at) for m in outbox}) == len(outbox)
    assert sum(len(m.reason["steps"]) for m in outbox) == len(ledger)


def test_paused_members_and_blocked_accounts_get_nothing_their_unit_still_does(planned: Engine) -> None:
    pause(planned, "1001", date(2025, 12, 31))
    bind_group(planned, "-100500", 1)
    with db.session_scope(planned) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == "1005")).one()
        account.blocked_at = at("01/12/2025")
        session.add(account)
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    assert messages(planned, "1001") == []
    assert messages(planned, "1005") == []
    assert [codes(m) for m in messages(planned, "1006") if m.due_at == at("24/12/2025")] == [["IV.1"]]
    lead = [m for m in messages(planned, "1002") if m.due_at == at("24/12/2025")]
    group = [m for m in messages(planned, "-100500") if m.due_at == at("24/12/2025")]
    assert [codes(m) for m in group] == [codes(m) for m in lead] == [sorted(DEC_31 + DEC_31_CHECKINS)]
    assert group[0].member_id is None
    with Session(planned) as session:
        group_prompts = session.exec(select(Prompt).where(Prompt.chat_id == "-100500")).all()
        assert {p.member_id for p in group_prompts} == {None}
    # The pause is over: the next steps reach them again.
    run(planned, at("24/03/2026"))
    [back] = messages(planned, "1001")
    assert back.idempotency_key == "telegram:1001:2026-03-24T08:30:00+07:00"
    assert codes(back) == ["I.2", "I.4", "II.1", "II.3", "II.4", "II.5", "III.1", "V.1", "V.2"]


def test_a_units_bound_zalo_group_is_queued_as_a_group_its_people_as_private_chats(planned: Engine) -> None:
    # Zalo's group ids are opaque (no "-" as on Telegram): the kind comes from the binding.
    bind_group(planned, "5a1f0e7c3b9d24c8a6e1", 1, platform="zalo")
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    [group] = [m for m in messages(planned, "5a1f0e7c3b9d24c8a6e1") if m.due_at == at("24/12/2025")]
    [lead] = [m for m in messages(planned, "1002") if m.due_at == at("24/12/2025")]
    assert (group.platform, group.chat_kind, group.member_id) == ("zalo", "group", None)
    assert (lead.platform, lead.chat_kind) == ("telegram", "private")
    assert {m.chat_kind for m in messages(planned) if m.chat_id != "5a1f0e7c3b9d24c8a6e1"} == {"private"}


def record(engine: Engine, codes: str, day: date, due_in_days: int, now: datetime) -> None:
    with db.session_scope(engine) as session:
        record_event(
            session,
            find_plan(session, None),
            "Trung ương ban hành Đề án",
            day,
            codes.split(","),
            due_in_days=due_in_days,
            actor="test",
            now=now,
        )


def test_a_late_step_joins_the_pending_message_or_gets_its_own(planned: Engine) -> None:
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    # An event recorded at 9:00 gives III.3 a deadline on Monday 29/12: its -7 step is already due.
    record(planned, "III.3", date(2025, 12, 24), 5, at("24/12/2025", "09:00"))
    late = run(planned, at("24/12/2025", "09:00"))
    assert late.merged >= 1
    [digest] = [m for m in messages(planned, "1001") if m.due_at == at("24/12/2025")]
    assert digest.idempotency_key == "telegram:1001:2025-12-24T08:30:00+07:00"
    assert codes(digest) == sorted([*DEC_31, *DEC_31_CHECKINS, "III.3"])
    assert "• III.3 — còn 5 ngày (hạn Thứ Hai, 29/12/2025)" in digest.text.splitlines()
    note = messages(planned, "1009")[-1]  # the technical centre coordinates III.3
    assert note.text.splitlines()[0] == "🔔 Thông tin phối hợp: nhiệm vụ III.3 đến hạn Thứ Hai, 29/12/2025 (còn 5 ngày)"
    # Once the morning's message has gone, a later step gets a message of its own.
    with db.session_scope(planned) as session:
        sent = session.get(OutboxMessage, digest.id)
        assert sent is not None
        sent.state, sent.sent_at = OutboxState.SENT, at("24/12/2025", "08:31")
        session.add(sent)
    record(planned, "VI.1", date(2025, 12, 24), 5, at("24/12/2025", "10:00"))
    run(planned, at("24/12/2025", "10:00"))
    newest = messages(planned, "1001")[-1]
    assert newest.idempotency_key == "telegram:1001:2025-12-24T08:30:00+07:00#2"
    assert newest.text.splitlines()[0] == "🔔 Nhắc hạn nhiệm vụ VI.1 — còn 5 ngày (hạn Thứ Hai, 29/12/2025)"
    assert newest.reason["prompt_id"] == newest.reason["prompt_ids"][0]


def test_done_ends_the_reminders_blocked_tells_the_monitor_once(planned: Engine) -> None:
    run(planned, at("17/12/2025"))
    run(planned, at("24/12/2025"))
    answer(planned, "II.3", date(2025, 12, 31), "1002", ReportStatus.DONE, at("24/12/2025", "10:00"))
    answer(
        planned, "V.3", date(2025, 12, 31), "1001", ReportStatus.BLOCKED, at("24/12/2025", "15:00"), "chưa có kinh phí"
    )
    told = run(planned, at("24/12/2025", "15:05"))
    assert (told.steps, told.messages) == (1, 1)
    [notice] = messages(planned, "1011")[-1:]
    assert notice.idempotency_key == "telegram:1011:2025-12-24T08:30:00+07:00"
    assert notice.text.splitlines() == [
        f"⚠️ {TDC} báo có vướng mắc ở nhiệm vụ V.3 (hạn Thứ Tư, 31/12/2025)",
        "Lý do: chưa có kinh phí",
        V3,
        f"Chủ trì: {TDC}",
    ]
    assert notice.buttons == []
    run(planned, at("26/12/2025"))
    [friday] = [m for m in messages(planned, "1001") if m.due_at == at("26/12/2025")]
    assert codes(friday) == ["II.4", "II.5", "III.1", "III.2", "III.4", "VI.2"]
    for day in ("29/12/2025", "30/12/2025", "31/12/2025", "02/01/2026", "06/01/2026", "14/01/2026", "19/01/2026"):
        run(planned, at(day))
    late = {s["task"] for m in messages(planned) if m.due_at > at("26/12/2025") for s in m.reason["steps"]}
    assert not late & {"II.3", "V.3"}
    assert len([m for m in messages(planned, "1011") if "V.3" in codes(m)]) == 1


def test_an_unanswered_deadline_escalates_to_the_unit_lead_then_the_monitor(planned: Engine) -> None:
    day = date(2025, 9, 15)
    while day <= date(2025, 10, 17):
        if day.weekday() < 5:
            run(planned, datetime.combine(day, at("01/01/2025").timetz()))
            deliver(planned, datetime.combine(day, at("01/01/2025", "08:31").timetz()))
        day += timedelta(days=1)
    with Session(planned) as session:
        i1 = occurrence_id(session, "I.1", date(2025, 9, 30))
    ledger = [(s.kind, s.step, s.recipient) for s in steps(planned) if s.occurrence_id == i1]
    assert ledger[-3:] == [
        ("overdue", "+6", "telegram:1002"),
        ("escalation", "lead:+9:u1", "telegram:1002"),
        ("escalation", "monitor:+12:u1", "telegram:1011"),
    ]
    [to_lead] = [m for m in messages(planned, "1002") if m.due_at == at("13/10/2025")]
    assert to_lead.text.splitlines() == [
        f"⚠️ Nhiệm vụ I.1 đã quá hạn 13 ngày (hạn Thứ Ba, 30/09/2025), {TDC} chưa báo cáo tiến độ.",
        I1,
        "Đề nghị lãnh đạo đơn vị đôn đốc thực hiện, hoặc trả lời tin nhắn này để báo cáo tiến độ.",
    ]
    assert len(to_lead.buttons) == 1
    assert [m for m in messages(planned, "1001") if m.due_at == at("13/10/2025")] == []
    [to_monitor] = [m for m in messages(planned, "1011") if m.due_at == at("16/10/2025")]
    assert to_monitor.text.splitlines()[0] == (
        f"⚠️ Nhiệm vụ I.1 đã quá hạn 16 ngày (hạn Thứ Ba, 30/09/2025): {TDC} chưa báo cáo dù đã được nhắc."
    )
    assert to_monitor.buttons == []


def test_after_downtime_missed_steps_collapse_and_a_passed_deadline_becomes_a_nudge(planned: Engine) -> None:
    run(planned, at("16/09/2025"))
    down = run(planned, at("02/10/2025", "10:00"))  # nothing ran for two weeks
    assert down.steps == 2  # one overdue nudge for the TĐC department's staff member and its lead
    [nudge] = messages(planned, "1001")[-1:]
    assert nudge.idempotency_key == "telegram:1001:2025-10-02T08:30:00+07:00"
    assert nudge.text.splitlines()[:2] == ["🔔 Nhiệm vụ I.1 đã quá hạn 2 ngày (hạn Thứ Ba, 30/09/2025)", I1]
    run(planned, at("03/10/2025"))
    with Session(planned) as session:
        i1 = occurrence_id(session, "I.1", date(2025, 9, 30))
    assert [(s.kind, s.step) for s in steps(planned) if s.recipient == "telegram:1001" and s.occurrence_id == i1] == [
        ("lead", "-14"),
        ("overdue", "+0"),
        ("overdue", "+3"),
    ]


def test_nothing_is_queued_at_night_the_next_wake_up_is_the_morning(planned: Engine) -> None:
    night = run(planned, at("24/12/2025", "20:00"))
    assert night.steps == 0 and night.waiting > 0
    with Session(planned) as session:
        assert next_due_at(session, at("24/12/2025", "20:00")) == at("25/12/2025")
    morning = run(planned, at("25/12/2025"))
    assert morning.steps > 0
    assert {m.due_at for m in messages(planned)} == {at("25/12/2025")}
    with Session(planned) as session:
        assert next_due_at(session, at("25/12/2025")) == at("26/12/2025")
        assert next_due_at(session, at("01/06/2031")) is None


def test_the_next_wake_up_jumps_over_quiet_months(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        assert next_due_at(session, at("01/09/2025")) is None  # no plan
    from tests.helpers import cli

    cli(db_url, "plan", "import", "--bundled")
    with Session(engine) as session:
        assert next_due_at(session, at("20/01/2026", "09:00")) == at("17/03/2026")  # V.1, 14 days before 31/03
        # Nobody has joined, so BC.1's nudges of 2030 reached nobody and nobody is escalated: after them
        # the next step is the first reminder of 31/12/2030.
        assert next_due_at(session, at("03/12/2030", "09:00")) == at("17/12/2030")


def test_the_ledger_names_each_step_and_recipient(planned: Engine) -> None:
    run(planned, at("16/09/2025"))
    with Session(planned) as session:
        rows = session.exec(select(ReminderStep).order_by(col(ReminderStep.recipient))).all()
    assert [(r.kind, r.step, r.recipient, r.unit_id, r.planned_at) for r in rows] == [
        ("lead", "-14", "telegram:1001", 1, at("16/09/2025")),
        ("lead", "-14", "telegram:1002", 1, at("16/09/2025")),
        ("coordinating", "-14", "telegram:1003", 2, at("16/09/2025")),
        ("coordinating", "-14", "telegram:1004", 2, at("16/09/2025")),
    ]

"""A year of the bundled plan with an injected clock: every working morning and random moments (nights,
weekends, Tết included), from 1/9/2025 to 1/9/2026, with a few answers on the way and a dispatcher
that sends whatever is due."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import OutboxState, ReminderKind, ReportStatus, db
from scheduler.reminders.enqueue import enqueue_due, load_facts, next_due_at
from scheduler.reminders.policy import Rules, plan_due_reminders
from scheduler.timing.calendar import WorkingCalendar
from tests.reminders.support import (
    START,
    TDC,
    VN,
    answer,
    at,
    bind_group,
    dispatch,
    messages,
    occurrence_id,
    pause,
    steps,
)

END = datetime(2026, 9, 1, 8, 0, tzinfo=VN)
CALENDAR = WorkingCalendar()
UNITS_WITH_PEOPLE = {1, 2, 3, 4, 6}  # "Các phòng, đơn vị trực thuộc Sở" stands for several units: nobody joins it


@dataclass(frozen=True)
class Reply:
    at: datetime
    code: str
    due: date
    chat: str
    status: ReportStatus
    reason: str | None = None


REPLIES = [
    Reply(at("05/11/2025", "09:00"), "BC.1", date(2025, 11, 15), "1003", ReportStatus.IN_PROGRESS),
    Reply(at("20/12/2025", "10:00"), "II.3", date(2025, 12, 31), "1002", ReportStatus.DONE),
    Reply(at("29/12/2025", "15:00"), "V.3", date(2025, 12, 31), "1002", ReportStatus.BLOCKED, "chưa có kinh phí"),
]


def moments() -> list[datetime]:
    every_morning = []
    day = START.date()
    while day < END.date():
        if CALENDAR.is_working_day(day):
            every_morning.append(datetime.combine(day, at("01/01/2025").timetz()))
        day += timedelta(days=1)
    rng = random.Random(14)
    span = (END - START).total_seconds()
    anytime = [START + timedelta(seconds=rng.uniform(0, span)) for _ in range(120)]
    return sorted({*every_morning, *anytime, at("29/12/2025", "16:00")})


def walk(engine: Engine) -> None:
    pending = list(REPLIES)
    wake: datetime | None = None
    for number, now in enumerate(moments()):
        answered = False
        while pending and pending[0].at <= now:
            reply = pending.pop(0)
            answer(engine, reply.code, reply.due, reply.chat, reply.status, reply.at, reply.reason)
            answered = True
        with db.session_scope(engine) as session:
            result = enqueue_due(session, now=now)
            if wake is not None and now < wake and not answered:
                assert result.steps == 0, f"{now}: queued before the announced wake-up {wake}"
            dispatch(session, now)
            wake = next_due_at(session, now)
            assert wake is None or wake > now
        if number % 25 == 0:  # again, and from a second session: nothing twice
            with Session(engine) as one, Session(engine) as two:
                assert enqueue_due(one, now=now).steps == 0
                one.commit()
                assert enqueue_due(two, now=now).steps == 0
                two.commit()


def test_a_year_of_reminders(planned: Engine) -> None:
    pause(planned, "1001", date(2025, 12, 31))  # TĐC's staff member is on leave until the end of 2025
    bind_group(planned, "-100500", 1)  # TĐC's group chat
    walk(planned)
    ledger = steps(planned)
    outbox = messages(planned)
    with Session(planned) as session:
        ids = {(reply.code, reply.due): occurrence_id(session, reply.code, reply.due) for reply in REPLIES} | {
            ("I.1", date(2025, 9, 30)): occurrence_id(session, "I.1", date(2025, 9, 30))
        }
        facts = load_facts(
            session, due_from=date(2025, 8, 1), due_to=date(2026, 10, 31), answers=False, deliveries=False
        ).facts

    # Every dated occurrence gets its steps: exactly the policy's plan, for every unit someone can receive.
    answered = {ids[(reply.code, reply.due)] for reply in REPLIES}
    planned_steps = plan_due_reminders(facts, START, END, Rules(), CALENDAR, VN)
    expected = {r.key for r in planned_steps if r.unit_id in UNITS_WITH_PEOPLE and r.occurrence_id not in answered}
    queued = {(s.occurrence_id, s.unit_id, s.kind, s.step) for s in ledger if s.occurrence_id not in answered}
    assert queued == expected
    assert {r.occurrence_id for r in planned_steps} - answered == {s.occurrence_id for s in ledger} - answered
    # 30/09/2025: I.1 and five check-ins; BC.1; 31/12/2025: nine deadlines and five check-ins; 31/03/2026: nine;
    # 30/06/2026: ten (the check-ins of 30/09/2026 are after the walk).
    assert len({r.occurrence_id for r in planned_steps}) == 40

    # Never at night, on a weekend or on a holiday: every message at 8:30 on a working day.
    holidays_2026 = {day for day, _name in CALENDAR.days_off(2026)}
    for message in outbox:
        local = message.due_at.astimezone(VN)
        assert CALENDAR.is_working_day(local.date()), message.idempotency_key
        assert local.date() not in holidays_2026
        assert (local.hour, local.minute) == (8, 30)
        assert message.state == OutboxState.SENT and message.sent_at is not None
        assert message.sent_at.astimezone(VN).date() == local.date()
    assert all(
        s.planned_at.astimezone(VN).timetz() == at("01/01/2025").timetz() for s in ledger if "blocked" not in s.step
    )

    # Each step once per recipient, each in one message; same-morning steps of a chat share one message.
    assert len(ledger) == sum(len(m.reason["steps"]) for m in outbox)
    assert len({(m.chat_id, m.due_at) for m in outbox}) == len(outbox)
    assert [m.idempotency_key for m in outbox if "#" in m.idempotency_key] == []
    [september_23] = [m for m in messages(planned, "1002") if m.due_at == at("23/09/2025")]
    assert sorted(s["task"] for s in september_23.reason["steps"]) == ["I.1", "I.2", "I.4", "II.1", "V.1", "V.2"]

    def received(code: str, due: date) -> set[tuple[str, str, str]]:
        return {(s.kind, s.step, s.recipient) for s in ledger if s.occurrence_id == ids[(code, due)]}

    # A done reply stops the rest: II.3 had its first reminder (1001 was on leave), then nothing.
    assert received("II.3", date(2025, 12, 31)) == {
        ("lead", "-14", "telegram:1002"),
        ("lead", "-14", "telegram:-100500"),
    }
    # A blocker stops the nudges and tells the monitor, once.
    v3 = received("V.3", date(2025, 12, 31))
    assert {(kind, step) for kind, step, _chat in v3} == {
        ("lead", "-14"),
        ("coordinating", "-14"),
        ("lead", "-7"),
        ("lead", "-3"),
        ("escalation", "blocked:u1"),
    }
    [notice] = [m for m in outbox if any(s["step"] == "blocked:u1" for s in m.reason["steps"])]
    assert (notice.chat_id, notice.due_at) == ("1011", at("29/12/2025"))
    assert notice.text.splitlines()[:2] == [
        f"⚠️ {TDC} báo có vướng mắc ở nhiệm vụ V.3 (hạn Thứ Tư, 31/12/2025)",
        "Lý do: chưa có kinh phí",
    ]

    # An unanswered deadline escalates: to the unit's lead, then to the monitor.
    i1 = received("I.1", date(2025, 9, 30))
    assert {(kind, step, chat) for kind, step, chat in i1 if kind == ReminderKind.ESCALATION.value} == {
        ("escalation", "lead:+9:u1", "telegram:1002"),
        ("escalation", "monitor:+12:u1", "telegram:1011"),
    }
    assert {step for kind, step, _chat in i1 if kind == "overdue"} == {"+3", "+6"}

    # The 15/11 report cycle reaches every unit; the one that reported is left alone.
    bc1 = received("BC.1", date(2025, 11, 15))
    for unit, staff, lead in ((3, "1005", "1006"), (4, "1007", "1008"), (6, "1009", "1010")):
        for chat in (staff, lead):
            assert {step for kind, step, to in bc1 if to == f"telegram:{chat}" and kind != "escalation"} == {
                "-30",
                "-15",
                "-7",
                "-3",
                "-1",
                "+3",
                "+6",
            }
        assert ("escalation", f"lead:+9:u{unit}", f"telegram:{lead}") in bc1
        assert ("escalation", f"monitor:+12:u{unit}", "telegram:1011") in bc1
    assert {(step, to) for _kind, step, to in bc1 if to in ("telegram:1003", "telegram:1004")} == {
        ("-30", "telegram:1003"),
        ("-30", "telegram:1004"),
        ("-15", "telegram:1003"),
        ("-15", "telegram:1004"),
    }

    # On leave: nothing for 1001 until the leave ends; the unit's lead and group had every reminder.
    on_leave = [m for m in messages(planned, "1001") if m.due_at.astimezone(VN).date() <= date(2025, 12, 31)]
    assert on_leave == []
    assert messages(planned, "1001")[0].due_at >= at("01/01/2026", "00:00")
    lead_days = {m.due_at for m in messages(planned, "1002") if m.due_at < at("01/01/2026", "00:00")}
    group_days = {m.due_at for m in messages(planned, "-100500") if m.due_at < at("01/01/2026", "00:00")}
    assert lead_days >= group_days and len(group_days) > 10

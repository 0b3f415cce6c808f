"""The reminder policy alone: facts in, planned steps out (no database)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models import ReminderKind, ReminderPolicy, ReportStatus, UnitRole
from scheduler.reminders.policy import (
    Answer,
    Delivery,
    OccurrenceFacts,
    PolicyBook,
    Rules,
    StepKey,
    UnitFacts,
    catch_up,
    first_sendable,
    plan_due_reminders,
)
from scheduler.timing.calendar import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
DEFAULT = Rules()
TDC = UnitFacts(1, "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", UnitRole.LEAD)
CDS = UnitFacts(2, "Trung tâm Chuyên đổi số và Đổi mới sáng tạo", UnitRole.COORDINATING)
REPORTERS = tuple(
    UnitFacts(unit_id, name, UnitRole.LEAD, position)
    for position, (unit_id, name) in enumerate(
        [
            (2, "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"),
            (3, "Văn phòng Sở"),
            (4, "Phòng Bưu chính viễn thông và CDS"),
            (6, "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"),
        ]
    )
)


def at(day: str, clock: str = "08:30") -> datetime:
    return datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def occurrence(
    due: date,
    *,
    code: str = "II.3",
    units: tuple[UnitFacts, ...] = (TDC,),
    checkin: bool = False,
    obligation: bool = False,
    answers: tuple[Answer, ...] = (),
) -> OccurrenceFacts:
    return OccurrenceFacts(
        occurrence_id=7,
        plan_id=1,
        task_id=9,
        task_code=code,
        due=due,
        checkin=checkin,
        obligation=obligation,
        units=units,
        answers=answers,
    )


def steps(
    *facts: OccurrenceFacts, policy: Rules | PolicyBook = DEFAULT, start: str = "01/01/2025", end: str = "31/12/2027"
) -> list[tuple[str, str, str, int | None]]:
    planned = plan_due_reminders(facts, at(start, "00:00"), at(end, "23:59"), policy, CALENDAR, VN)
    return [(r.at.strftime("%d/%m/%Y %H:%M"), r.kind.value, r.step, r.unit_id) for r in planned]


II3_STEPS = [
    ("17/12/2025 08:30", "lead", "-14", 1),
    ("24/12/2025 08:30", "lead", "-7", 1),
    ("26/12/2025 08:30", "lead", "-3", 1),  # 28/12 is a Sunday: the Friday before
    ("30/12/2025 08:30", "lead", "-1", 1),
    ("31/12/2025 08:30", "lead", "0", 1),
    # Working days after the deadline: 1/1/2026 is New Year's Day.
    ("06/01/2026 08:30", "overdue", "+3", 1),
    ("09/01/2026 08:30", "overdue", "+6", 1),
    ("14/01/2026 08:30", "escalation", "lead:+9:u1", 1),
    ("19/01/2026 08:30", "escalation", "monitor:+12:u1", 1),
]


def test_lead_unit_steps_before_and_after_a_deadline() -> None:
    assert steps(occurrence(date(2025, 12, 31))) == II3_STEPS


def test_a_coordinating_unit_gets_one_lighter_note_at_the_first_step() -> None:
    assert steps(occurrence(date(2025, 9, 30), code="I.1", units=(TDC, CDS)))[:3] == [
        ("16/09/2025 08:30", "lead", "-14", 1),
        ("16/09/2025 08:30", "coordinating", "-14", 2),
        ("23/09/2025 08:30", "lead", "-7", 1),
    ]
    assert [s for s in steps(occurrence(date(2025, 9, 30), units=(TDC, CDS))) if s[3] == 2] == [
        ("16/09/2025 08:30", "coordinating", "-14", 2)
    ]


def test_the_plan_wide_report_before_15_11_reaches_every_unit_from_30_days_ahead() -> None:
    planned = steps(occurrence(date(2025, 11, 15), code="BC.1", units=REPORTERS, obligation=True))
    # 15/11/2025 is a Saturday; 8/11 too: both move to the Friday before.
    assert [s for s in planned if s[3] == 3] == [
        ("16/10/2025 08:30", "obligation", "-30", 3),
        ("31/10/2025 08:30", "obligation", "-15", 3),
        ("07/11/2025 08:30", "obligation", "-7", 3),
        ("12/11/2025 08:30", "obligation", "-3", 3),
        ("14/11/2025 08:30", "obligation", "-1", 3),
        ("19/11/2025 08:30", "overdue", "+3", 3),
        ("24/11/2025 08:30", "overdue", "+6", 3),
        ("27/11/2025 08:30", "escalation", "lead:+9:u3", 3),
        ("02/12/2025 08:30", "escalation", "monitor:+12:u3", 3),
    ]
    assert [s for s in planned if s[0] == "16/10/2025 08:30"] == [
        ("16/10/2025 08:30", "obligation", "-30", unit) for unit in (2, 3, 4, 6)
    ]


def test_steps_in_tet_move_before_it_and_merge_into_one() -> None:
    # Due on Mùng bốn Tết 2026 (Friday 20/02): -3, -1 and 0 all fall in Tết (14–22/02) and move to
    # Friday 13/02, where -7 already is; that morning's one reminder is the one nearest the deadline.
    assert steps(occurrence(date(2026, 2, 20)))[:3] == [
        ("06/02/2026 08:30", "lead", "-14", 1),
        ("13/02/2026 08:30", "lead", "0", 1),
        ("25/02/2026 08:30", "overdue", "+3", 1),
    ]


def test_ongoing_work_gets_a_check_in_a_week_before_the_quarter_ends() -> None:
    assert steps(occurrence(date(2026, 3, 31), code="V.2", units=(TDC, CDS), checkin=True)) == [
        ("24/03/2026 08:30", "checkin", "-7", 1)
    ]
    # 23/06/2029 is a Saturday.
    assert steps(occurrence(date(2029, 6, 30), code="V.2", checkin=True), end="31/12/2029") == [
        ("22/06/2029 08:30", "checkin", "-7", 1)
    ]


@pytest.mark.parametrize("obligation", [False, True])
def test_no_step_at_night_on_a_weekend_or_a_holiday_whatever_the_deadline(obligation: bool) -> None:
    first = date(2025, 9, 1)
    facts = [
        OccurrenceFacts(
            occurrence_id=n,
            plan_id=1,
            task_id=n,
            task_code=f"T.{n}",
            due=first + timedelta(days=n),
            obligation=obligation,
            units=(TDC, CDS),
            checkin=n % 5 == 0,
        )
        for n in range(500)
    ]
    planned = plan_due_reminders(facts, at("01/01/2025", "00:00"), at("31/12/2027", "23:59"), Rules(), CALENDAR, VN)
    assert len(planned) > 3000
    assert all(CALENDAR.is_working_day(r.at.date()) and r.at.timetz() == time(8, 30, tzinfo=VN) for r in planned)
    assert [r.at for r in planned] == sorted(r.at for r in planned)
    holidays_2026 = {day for day, _name in CALENDAR.days_off(2026)}
    assert not {r.at.date() for r in planned} & holidays_2026


def test_the_window_keeps_only_its_steps() -> None:
    assert steps(occurrence(date(2025, 12, 31)), start="24/12/2025", end="30/12/2025") == II3_STEPS[1:4]


# ---- answers -------------------------------------------------------------------------------------------


def answer(status: ReportStatus, when: datetime, unit: int | None = 1, reason: str | None = None) -> Answer:
    return Answer(unit, status, when, reason)


def test_a_done_report_ends_the_occurrences_reminders() -> None:
    done = answer(ReportStatus.DONE, at("20/12/2025", "10:00"))
    assert steps(occurrence(date(2025, 12, 31), units=(TDC, CDS), answers=(done,))) == []


def test_a_blocked_report_stops_the_nudges_and_tells_the_monitor_once_in_office_hours() -> None:
    blocked = answer(ReportStatus.BLOCKED, at("20/12/2025", "10:00"), reason="chưa có kinh phí")  # a Saturday
    assert steps(occurrence(date(2025, 12, 31), answers=(blocked,))) == [
        ("22/12/2025 08:30", "escalation", "blocked:u1", 1)
    ]
    planned = plan_due_reminders(
        [occurrence(date(2025, 12, 31), answers=(blocked,))], at("01/12/2025"), at("31/01/2026"), Rules(), CALENDAR
    )
    assert [r.audience.value for r in planned] == ["monitor"]


def test_an_answer_before_the_deadline_keeps_the_reminders_one_after_it_stops_the_nudges() -> None:
    early = answer(ReportStatus.IN_PROGRESS, at("29/12/2025", "09:00"))
    assert steps(occurrence(date(2025, 12, 31), answers=(early,))) == II3_STEPS
    late = answer(ReportStatus.IN_PROGRESS, at("02/01/2026", "09:00"))
    assert steps(occurrence(date(2025, 12, 31), answers=(late,))) == II3_STEPS[:5]


def test_a_plan_wide_duty_stops_only_for_the_units_that_reported() -> None:
    reported = answer(ReportStatus.IN_PROGRESS, at("01/11/2025", "09:00"), unit=3)
    blocked = answer(ReportStatus.BLOCKED, at("03/11/2025", "18:00"), unit=4, reason="thiếu số liệu")
    planned = steps(
        occurrence(date(2025, 11, 15), code="BC.1", units=REPORTERS, obligation=True, answers=(reported, blocked))
    )
    assert [s for s in planned if s[3] == 3] == []
    assert [s for s in planned if s[3] == 4] == [("04/11/2025 08:30", "escalation", "blocked:u4", 4)]
    assert len([s for s in planned if s[3] == 2]) == 9
    assert len([s for s in planned if s[3] == 6]) == 9


# ---- catching up ---------------------------------------------------------------------------------------


def due_now(
    facts: Sequence[OccurrenceFacts], now: datetime, queued: Collection[StepKey] = ()
) -> list[tuple[str, str, str, int | None]]:
    result = catch_up(facts, now, queued, Rules(), CALENDAR, VN)
    return [
        (d.send_at.strftime("%d/%m/%Y %H:%M"), d.reminder.kind.value, d.reminder.step, d.reminder.unit_id)
        for d in result.due
    ]


def test_missed_steps_collapse_to_the_latest_sent_once_now() -> None:
    facts = [occurrence(date(2025, 12, 31), units=(TDC, CDS))]
    # Down from before 17/12 until Thursday 25/12 at 10:00: -14 and -7 were missed; only -7 goes.
    assert due_now(facts, at("25/12/2025", "10:00")) == [
        ("25/12/2025 08:30", "coordinating", "-14", 2),
        ("25/12/2025 08:30", "lead", "-7", 1),
    ]
    queued = {(7, 1, "lead", "-7"), (7, 2, "coordinating", "-14")}
    assert due_now(facts, at("25/12/2025", "10:00"), queued) == []
    # A step already queued is not superseded by an older one that was missed.
    assert due_now(facts, at("26/12/2025", "08:30"), queued) == [("26/12/2025 08:30", "lead", "-3", 1)]


def test_a_missed_reminder_for_a_passed_deadline_goes_out_as_an_overdue_nudge() -> None:
    facts = [occurrence(date(2025, 12, 31), units=(TDC, CDS))]
    # Down until Friday 2/1/2026: the due-day reminder becomes a nudge; the coordinating note is dropped.
    assert due_now(facts, at("02/01/2026", "09:15")) == [("02/01/2026 08:30", "overdue", "+0", 1)]
    assert due_now(facts, at("02/01/2026", "09:15"), {(7, 1, "overdue", "+0")}) == []
    assert due_now(facts, at("02/01/2026", "09:15"), {(7, 1, "lead", "0")}) == []


def test_a_missed_check_in_is_dropped_once_its_quarter_is_over() -> None:
    facts = [occurrence(date(2025, 12, 31), checkin=True)]
    assert due_now(facts, at("30/12/2025", "09:00")) == [("30/12/2025 08:30", "checkin", "-7", 1)]
    assert due_now(facts, at("02/01/2026", "09:00")) == []


@pytest.mark.parametrize(
    ("now", "wake"),
    [
        (at("25/12/2025", "18:00"), at("26/12/2025")),  # after office hours: the next morning
        (at("27/12/2025", "10:00"), at("29/12/2025")),  # Saturday: Monday
        (at("25/12/2025", "07:00"), at("25/12/2025")),  # early: at the send hour
        (at("13/02/2026", "20:00"), at("23/02/2026")),  # Tết
    ],
)
def test_nothing_goes_out_at_night_held_steps_wait_for_the_next_send_hour(now: datetime, wake: datetime) -> None:
    facts = [occurrence(now.date() + timedelta(days=5))]
    result = catch_up(facts, now, (), Rules(), CALENDAR, VN)
    assert result.due == ()
    assert len(result.waiting) == 1
    assert result.next_at == wake


def test_the_next_wake_up_is_the_next_step() -> None:
    facts = [occurrence(date(2025, 12, 31), units=(TDC, CDS))]
    queued = {(7, 1, "lead", "-14"), (7, 2, "coordinating", "-14")}
    result = catch_up(facts, at("18/12/2025", "09:00"), queued, Rules(), CALENDAR, VN)
    assert result.due == () and result.waiting == ()
    assert result.next_at == at("24/12/2025")
    done = occurrence(date(2025, 12, 31), answers=(answer(ReportStatus.DONE, at("18/12/2025", "08:00")),))
    assert catch_up([done], at("18/12/2025", "09:00"), queued, Rules(), CALENDAR, VN).next_at is None


def test_first_sendable_moment() -> None:
    rules = Rules()
    assert first_sendable(at("24/12/2025", "10:05"), rules, CALENDAR) == at("24/12/2025", "10:05")
    assert first_sendable(at("24/12/2025", "17:00"), rules, CALENDAR) == at("25/12/2025")
    assert first_sendable(at("31/12/2025", "23:00"), rules, CALENDAR) == at("02/01/2026")


# ---- the stored policy -------------------------------------------------------------------------------


def test_a_stored_policy_is_checked_and_never_sends_at_night() -> None:
    row = ReminderPolicy(
        plan_id=1,
        lead_days=[7, -1, "x", 0, 7],  # type: ignore[list-item]  # what a hand-edited row may hold
        obligation_days=[],
        checkin_days_before=10,
        overdue_every_working_days=0,
        escalate_after_nudges=1,
        send_at="22:00",
    )
    assert Rules.from_policy(row) == Rules(
        lead_days=(7, 0),
        obligation_days=(30, 15, 7, 3, 1),
        checkin_days_before=10,
        overdue_every_working_days=3,
        escalate_after_nudges=1,
        send_at=time(8, 30),
    )
    assert Rules.from_policy(ReminderPolicy(plan_id=1, send_at="07:45")).send_at == time(7, 45)
    with pytest.raises(ValueError):
        Rules(send_at=time(21, 0))


def test_overrides_per_task_and_unit() -> None:
    book = PolicyBook(
        {
            (1, None, None): Rules(lead_days=(7,)),
            (1, 9, None): Rules(lead_days=(3,)),
            (1, None, 2): Rules(lead_days=(1,)),
            (1, 9, 2): Rules(lead_days=(0,)),
        }
    )
    assert book.rules_for(1, 8, 1).lead_days == (7,)
    assert book.rules_for(1, 9, 1).lead_days == (3,)
    assert book.rules_for(1, 8, 2).lead_days == (1,)
    assert book.rules_for(1, 9, 2).lead_days == (0,)
    assert book.rules_for(2, 9, 2) == Rules()
    lead_too = UnitFacts(2, "Trung tâm Chuyên đổi số và Đổi mới sáng tạo", UnitRole.LEAD)
    assert [s[:3] for s in steps(occurrence(date(2025, 12, 31), units=(TDC, lead_too)), policy=book)][:2] == [
        ("26/12/2025 08:30", "lead", "-3"),
        ("31/12/2025 08:30", "lead", "0"),
    ]
    escalation_sooner = PolicyBook({(1, None, None): Rules(overdue_every_working_days=1, escalate_after_nudges=0)})
    assert steps(occurrence(date(2025, 12, 31)), policy=escalation_sooner)[5:] == [
        ("02/01/2026 08:30", "escalation", "lead:+1:u1", 1),
        ("05/01/2026 08:30", "escalation", "monitor:+2:u1", 1),
    ]


# ---- escalation waits for delivered reminders ------------------------------------------------------------


def delivered(*steps: tuple[str, str, datetime], unit: int = 1) -> tuple[Delivery, ...]:
    return tuple(Delivery(unit, ReminderKind(kind), step, when) for kind, step, when in steps)


def test_nobody_is_escalated_whose_reminders_never_reached_them() -> None:
    never = replace(occurrence(date(2025, 12, 31)), delivered=())
    # Started on 21/01/2026, after the whole lane: one nudge now, no escalation to the lead or the monitor.
    assert due_now([never], at("21/01/2026", "09:00")) == [("21/01/2026 08:30", "overdue", "+6", 1)]
    assert [s for s in steps(never) if s[1] == "escalation"] == []


def test_the_lead_hears_an_interval_after_the_last_delivered_nudge_the_monitor_one_after_the_lead() -> None:
    nudged = delivered(("overdue", "+3", at("06/01/2026", "08:31")), ("overdue", "+6", at("12/01/2026", "10:00")))
    late = replace(occurrence(date(2025, 12, 31)), delivered=nudged)
    # The second nudge went out three days late (12/01): its grace runs to 15/01, not 14/01.
    assert steps(late)[-2:] == [
        ("15/01/2026 08:30", "escalation", "lead:+9:u1", 1),
        ("20/01/2026 08:30", "escalation", "monitor:+12:u1", 1),
    ]
    told = replace(late, delivered=(*nudged, *delivered(("escalation", "lead:+9:u1", at("16/01/2026", "08:31")))))
    assert steps(told)[-1] == ("21/01/2026 08:30", "escalation", "monitor:+12:u1", 1)


def test_nudges_collapsed_by_downtime_are_made_up_before_anyone_is_escalated() -> None:
    once = replace(occurrence(date(2025, 12, 31)), delivered=delivered(("overdue", "+6", at("21/01/2026", "08:31"))))
    # One nudge reached the unit (the policy counts two): the second follows three working days later.
    assert steps(once)[5:] == [
        ("06/01/2026 08:30", "overdue", "+3", 1),
        ("09/01/2026 08:30", "overdue", "+6", 1),
        ("26/01/2026 08:30", "overdue", "+17", 1),  # 17 working days after 31/12 (1/1 is a holiday)
    ]

"""One state, one function (issue 20): random report histories — units in either role, several periods,
corrections, undo, answers after the deadline, unclear replies settled by a button — written through the
conversation's report-writing functions; then /tasks, /task, /summary and the reminder policy must say, of
every occurrence and from every unit's side, what a plain model of the history says: each unit's newest
standing report counts, only lead units' reports decide, coordinating ones are contributions.

The model reads the history without the database; the views read the database. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.work import open_deadlines, open_work
from domain import replies
from domain.messages import ChatKind, Incoming, Platform
from domain.people import Person
from domain.progress_language import ProgressReading, ProgressStatus
from domain.status import ReportFact, Standing, standing
from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import Member, Membership, Occurrence, ReportStatus, Role, Task, TaskUnit, Unit, UnitKind, UnitRole, db
from nhacviec.bundled import bundled_plan_path
from reports.summary import build_summary
from reports.summary_facts import load_facts as summary_facts
from scheduler.reminders.enqueue import load_facts as reminder_facts
from scheduler.reminders.enqueue import load_policies, load_working_calendar
from scheduler.reminders.policy import Lane, occurrence_standing, plan_due_reminders
from scheduler.timing.periods import Period

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
IMPORTED = datetime(2025, 9, 20, 9, 0, tzinfo=TZ)
FIRST_REPLY = datetime(2025, 10, 1, 8, 0, tzinfo=TZ)
TODAY = date(2026, 1, 20)
# A task one unit leads with a coordinating unit (V.3: two yearly deadlines; III.1: a deadline and
# check-ins), ongoing work (I.2: check-ins only) and the duty every unit leads (BC.1).
WATCHED = {"V.3": False, "III.1": False, "I.2": True, "BC.1": False}  # code → its check-ins are watched
LAST_DUE = date(2026, 3, 31)


@dataclass(frozen=True)
class Scene:
    plan_id: int
    tasks: dict[int, str]  # id → code
    units: dict[int, list[tuple[int, UnitRole]]]  # task id → its units that can report, with their role
    occurrences: list[tuple[int, int, date, bool]]  # (id, task id, due, check-in) of the watched ones
    all_occurrences: dict[int, list[tuple[int, date, bool]]]  # task id → its live ones, in order
    people: dict[int, Person]  # unit id → a staff member of it


@dataclass
class ModelReport:
    seq: int
    occurrence_id: int
    unit_id: int
    role: UnitRole
    status: ReportStatus | None
    created: datetime
    updated: datetime
    withdrawn: bool = False
    row: replies.ReportRow | None = field(default=None, repr=False)


def _scene(engine: Engine) -> Scene:
    with db.session_scope(engine) as session:
        import_plan(
            session,
            read_plan(bundled_plan_path()),
            PlanOverrides(),
            actor="test",
            now=IMPORTED,
            accept_obligations=True,
        )
    with db.session_scope(engine) as session:
        tasks = dict(session.exec(select(Task.id, Task.code).where(col(Task.code).in_(list(WATCHED)))).all())
        plan_id = session.exec(select(Task.plan_id)).first()
        assert plan_id is not None
        units: dict[int, list[tuple[int, UnitRole]]] = {task_id: [] for task_id in tasks}
        for task_id, unit_id, role in session.exec(
            select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role)
            .join(Unit, col(Unit.id) == col(TaskUnit.unit_id))
            .where(col(TaskUnit.task_id).in_(list(tasks)), Unit.kind != UnitKind.GROUP.value)
            .order_by(col(TaskUnit.task_id), col(TaskUnit.role).desc(), col(TaskUnit.position))
        ):
            units[task_id].append((unit_id, UnitRole(role)))
        rows = session.exec(
            select(Occurrence.id, Occurrence.task_id, Occurrence.due, Occurrence.checkin)
            .where(col(Occurrence.task_id).in_(list(tasks)), col(Occurrence.archived_at).is_(None))
            .order_by(col(Occurrence.due), col(Occurrence.checkin), col(Occurrence.id))
        ).all()
        all_occurrences: dict[int, list[tuple[int, date, bool]]] = {task_id: [] for task_id in tasks}
        watched: list[tuple[int, int, date, bool]] = []
        for occurrence_id, task_id, due, checkin in rows:
            assert occurrence_id is not None
            all_occurrences[task_id].append((occurrence_id, due, checkin))
            if due <= LAST_DUE and checkin == WATCHED[tasks[task_id]]:
                watched.append((occurrence_id, task_id, due, checkin))
        people: dict[int, Person] = {}
        for unit_id in sorted({unit for pairs in units.values() for unit, _role in pairs}):
            member = Member(display_name=f"Cán bộ {unit_id}", created_at=IMPORTED)
            session.add(member)
            session.flush()
            assert member.id is not None
            session.add(Membership(member_id=member.id, unit_id=unit_id, role=Role.STAFF, created_at=IMPORTED))
            people[unit_id] = Person(
                member.id, member.display_name, "vi", None, frozenset({Role.STAFF}), frozenset({unit_id}), frozenset()
            )
    return Scene(plan_id, tasks, units, watched, all_occurrences, people)


# ---- histories ------------------------------------------------------------------------------------------

STATUSES = [ProgressStatus.DONE, ProgressStatus.IN_PROGRESS, ProgressStatus.BLOCKED, ProgressStatus.NOT_STARTED]
HOURS = st.sampled_from([0, 0, 1, 30, 20 * 24, 45 * 24])  # since the previous step: ties, hours, weeks
# Steps are (kind, which, unit, status, hours): "which" picks a watched occurrence (report), an earlier
# report (edit, pick) or a person (undo), modulo how many there are.
report_step = st.tuples(
    st.just("report"),
    st.integers(0, 63),
    st.integers(0, 7),
    st.sampled_from([*STATUSES, ProgressStatus.UNCLEAR]),
    HOURS,
)
edit_step = st.tuples(st.just("edit"), st.integers(0, 63), st.just(0), st.sampled_from(STATUSES), HOURS)
pick_step = st.tuples(st.just("pick"), st.integers(0, 63), st.just(0), st.sampled_from(STATUSES), HOURS)
undo_step = st.tuples(st.just("undo"), st.integers(0, 7), st.just(0), st.just(ProgressStatus.DONE), HOURS)
Step = tuple[str, int, int, ProgressStatus, int]
histories = st.lists(st.one_of(report_step, report_step, edit_step, undo_step, pick_step), max_size=14)


def _incoming(person: Person, message_id: str, at: datetime) -> Incoming:
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=str(person.member_id),
        chat_kind=ChatKind.PRIVATE,
        sender_id=str(person.member_id),
        sender_name=person.name,
        text="báo cáo",
        message_id=message_id,
        at=at,
    )


def _write(engine: Engine, scene: Scene, history: list[Step]) -> list[ModelReport]:
    """Writes the history through the conversation's functions; the model of what was written."""
    model: list[ModelReport] = []
    now = FIRST_REPLY
    ids = itertools.count(1)
    with db.session_scope(engine) as session:
        session.execute(sa.text("DELETE FROM progress_report"))
        session.execute(sa.text("DELETE FROM audit_log WHERE action LIKE 'report.%'"))
        for kind, which, unit_choice, status, hours in history:
            now += timedelta(hours=hours)
            if kind == "report":
                occurrence_id, task_id, _due, _checkin = scene.occurrences[which % len(scene.occurrences)]
                unit_id, role = scene.units[task_id][unit_choice % len(scene.units[task_id])]
                person = scene.people[unit_id]
                target = replies.target_of(session, occurrence_id)
                assert target is not None
                incoming = _incoming(person, str(next(ids)), now)
                row = replies.record(session, person, target, ProgressReading(status, note="báo cáo"), incoming, now)
                model.append(ModelReport(len(model), occurrence_id, unit_id, role, row.status, now, now, row=row))
            elif model and kind in ("edit", "pick"):
                report = model[which % len(model)]
                person = scene.people[report.unit_id]
                assert report.row is not None
                if kind == "edit":  # the message edited: a correction (and it stands again if withdrawn)
                    report.row = replies.update_report(
                        session, person, report.row, ProgressReading(status, note="sửa"), now
                    )
                    report.withdrawn = False
                elif report.status is None and not report.withdrawn:  # the button of an unclear reply
                    report.row = replies.set_status(session, person, report.row, ReportStatus(status.value), now)
                else:
                    continue
                report.status, report.updated = ReportStatus(status.value), now
            elif kind == "undo":
                person = list(scene.people.values())[which % len(scene.people)]
                last = replies.last_report(session, person)
                if last is not None:
                    replies.withdraw(session, person, last, now)
                    next(r for r in model if r.row is not None and r.row.id == last.id).withdrawn = True
    return model


# ---- the model and the views ----------------------------------------------------------------------------


def _expected(
    scene: Scene,
    model: list[ModelReport],
    occurrence_id: int,
    task_id: int,
    due: date,
    checkin: bool,
    unit_id: int | None,
) -> Standing:
    newest: dict[int, ModelReport] = {}
    for report in model:  # in the order they were made: a later one of the same moment is the newer
        standing_report = report.occurrence_id == occurrence_id and report.status is not None and not report.withdrawn
        if standing_report and (report.unit_id not in newest or report.created >= newest[report.unit_id].created):
            newest[report.unit_id] = report
    facts = [
        ReportFact(occurrence_id, r.unit_id, r.status, "", r.updated.astimezone(TZ).date(), r.created, role=r.role)
        for r in sorted(newest.values(), key=lambda r: (r.created, r.seq), reverse=True)
        if r.status is not None
    ]
    leads = tuple(unit for unit, role in scene.units[task_id] if role == UnitRole.LEAD)
    return standing(due, checkin, leads, facts, TODAY, unit_id)


def _sides(scene: Scene, task_id: int) -> list[int | None]:
    """The whole plan (the monitor) and each unit of the task."""
    return [None, *(unit for unit, _role in scene.units[task_id])]


def _same(view: str, got: Standing | None, want: Standing, where: tuple[object, ...]) -> None:
    assert got is not None, (view, where)
    assert (got.state, got.units_done) == (want.state, want.units_done), (view, where)
    assert {r.unit_id for r in got.contributions} == {r.unit_id for r in want.contributions}, (view, where)


def _check(engine: Engine, scene: Scene, model: list[ModelReport]) -> None:
    expected = {
        (occurrence_id, side): _expected(scene, model, occurrence_id, task_id, due, checkin, side)
        for occurrence_id, task_id, due, checkin in scene.occurrences
        for side in _sides(scene, task_id)
    }
    with db.session_scope(engine) as session:
        _check_tasks(session, scene, model, expected)
        _check_task_details(session, scene, expected)
        _check_summary(session, scene, expected)
        _check_carried_over(session, scene, expected)
        _check_reminders(session, scene, expected)


def _check_tasks(
    session: Session, scene: Scene, model: list[ModelReport], expected: dict[tuple[int, int | None], Standing]
) -> None:
    """/tasks: per task, the first occurrence not done (past check-ins left out), in the state the model says."""
    for side in [None, *scene.people]:
        items = {
            item.task_id: item
            for item in open_work(session, scene.plan_id, set(scene.tasks), TODAY, TZ, () if side is None else {side})
        }
        for task_id in scene.tasks:
            if side is not None and side not in dict(scene.units[task_id]):
                continue
            first = next(
                (
                    (occurrence_id, want)
                    for occurrence_id, due, checkin in scene.all_occurrences[task_id]
                    if not (checkin and due < TODAY)
                    and not (want := _expected(scene, model, occurrence_id, task_id, due, checkin, side)).done
                ),
                None,
            )
            item = items.get(task_id)
            if first is None:
                assert item is None, ("/tasks", task_id, side)
                continue
            assert item is not None and item.occurrence_id == first[0], ("/tasks", task_id, side)
            assert (item.state, item.units_done) == (first[1].state, first[1].units_done), ("/tasks", task_id, side)


def _check_task_details(session: Session, scene: Scene, expected: dict[tuple[int, int | None], Standing]) -> None:
    """/task: the deadlines not done, each in the state the model says."""
    for task_id in scene.tasks:
        for side in _sides(scene, task_id):
            shown = {o.id: s for o, s in open_deadlines(session, task_id, TODAY, TZ, () if side is None else {side})}
            for occurrence_id, of_task, _due, checkin in scene.occurrences:
                if of_task != task_id or checkin:
                    continue
                want = expected[(occurrence_id, side)]
                if want.done:
                    assert occurrence_id not in shown, ("/task", occurrence_id, side)
                else:
                    _same("/task", shown.get(occurrence_id), want, (occurrence_id, side))


def _check_summary(session: Session, scene: Scene, expected: dict[tuple[int, int | None], Standing]) -> None:
    """/summary (and the .docx/.xlsx, made from the same `Summary`) of the month each occurrence falls in."""
    # One read covers every watched occurrence (the check-ins of 2025 and 2026 with it); each month's
    # summary is built from it.
    facts = summary_facts(session, scene.plan_id, main=Period("year", 2025), others=[Period("year", 2026)], tz=TZ)
    for occurrence_id, task_id, due, _checkin in scene.occurrences:
        month = Period.month_of(due)
        for side in _sides(scene, task_id):
            summary = build_summary(facts, period=month, previous=None, today=TODAY, unit_id=side)
            item = next(i for i in summary.items if i.task_id == task_id)
            want = expected[(occurrence_id, side)]
            assert (item.state, item.blocked, item.units_done) == (
                want.state.state,
                want.state.blocked,
                want.units_done,
            ), ("/summary", occurrence_id, side)
            assert {c.unit for c in item.contributions} == {
                facts.units[r.unit_id].name for r in want.contributions if r.unit_id is not None
            }, ("/summary", occurrence_id, side)


def _check_carried_over(session: Session, scene: Scene, expected: dict[tuple[int, int | None], Standing]) -> None:
    """/summary of a later period (the month of TODAY): a deadline still open when it began (not done, or
    done only since) is carried over as its task's line, in the state the model says; one done before is not."""
    month = Period.month_of(TODAY)
    facts = summary_facts(session, scene.plan_id, main=month, tz=TZ)
    for occurrence_id, task_id, due, checkin in scene.occurrences:
        if checkin or due >= month.start:
            continue
        for side in _sides(scene, task_id):
            summary = build_summary(facts, period=month, previous=None, today=TODAY, unit_id=side)
            item = next((i for i in summary.items if i.task_id == task_id), None)
            want = expected[(occurrence_id, side)]
            if want.done and want.done_on is not None and want.done_on < month.start:
                assert item is None or not (item.carried and item.due == due), ("carried", occurrence_id, side)
                continue
            assert item is not None and item.carried and item.due == due, ("carried", occurrence_id, side)
            assert (item.state, item.blocked, item.units_done) == (
                want.state.state,
                want.state.blocked,
                want.units_done,
            ), ("carried", occurrence_id, side)


def _check_reminders(session: Session, scene: Scene, expected: dict[tuple[int, int | None], Standing]) -> None:
    """The reminder policy: done and blocked as the model says; a lead unit whose part is done is not
    nudged any more, one that has not answered still is."""
    loaded = reminder_facts(session, occurrence_ids=[o for o, *_rest in scene.occurrences])
    book, calendar = load_policies(session), load_working_calendar(session)
    for facts in loaded.facts:
        planned = plan_due_reminders(
            [facts], datetime(2025, 1, 1, tzinfo=TZ), datetime(2027, 12, 31, tzinfo=TZ), book, calendar, TZ
        )
        answered = {answer.unit_id for answer in facts.answers}
        for side in _sides(scene, facts.task_id):
            want = expected[(facts.occurrence_id, side)]
            got = occurrence_standing(facts, TZ, side)
            assert (got.done, got.state.blocked, got.units_done) == (want.done, want.state.blocked, want.units_done), (
                "reminders",
                facts.occurrence_id,
                side,
            )
            if side is None or dict(scene.units[facts.task_id])[side] != UnitRole.LEAD:
                continue
            nudged = any(step.unit_id == side and step.lane in (Lane.MAIN, Lane.CHECKIN) for step in planned)
            if want.done:
                assert not nudged, ("reminders: nudged when done", facts.occurrence_id, side)
            elif side not in answered and not want.state.blocked and not expected[(facts.occurrence_id, None)].done:
                assert nudged, ("reminders: not nudged", facts.occurrence_id, side)


@pytest.fixture
def scene(engine: Engine) -> Iterator[Scene]:
    yield _scene(engine)


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(history=histories)
def test_every_view_gives_the_same_state_of_every_occurrence_from_every_side(
    engine: Engine, scene: Scene, history: list[Step]
) -> None:
    _check(engine, scene, _write(engine, scene, history))


def test_the_model_is_not_trivial(engine: Engine, scene: Scene) -> None:
    """A history where the coordinating unit says done and the lead does not: the task stays open."""
    v3 = next(o for o in scene.occurrences if scene.tasks[o[1]] == "V.3")
    index = scene.occurrences.index(v3)
    coordinating = next(i for i, (_u, role) in enumerate(scene.units[v3[1]]) if role == UnitRole.COORDINATING)
    model = _write(engine, scene, [("report", index, coordinating, ProgressStatus.DONE, 30 * 24)])
    assert [r.role for r in model] == [UnitRole.COORDINATING]
    assert not _expected(scene, model, v3[0], v3[1], v3[2], v3[3], None).done
    _check(engine, scene, model)

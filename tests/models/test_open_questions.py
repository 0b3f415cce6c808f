"""The open question of a chat: the newest message offering choices there, kept in order until a choice
is taken, a newer message offers choices, or a week has passed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from models import OpenQuestion
from models.db import session_scope
from models.questions import OfferedChoice, close_offering, newest_open, offer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2026, 3, 2, 8, 30, tzinfo=TZ)
PICKER = [[("1. II.4", "pick:7:21")], [("2. II.3", "pick:7:20")]]
STATUSES = [
    [("✅ Đã hoàn thành", "rp:5:done"), ("⏳ Đang thực hiện", "rp:5:in_progress"), ("⚠️ Có vướng mắc", "rp:5:blocked")]
]


def test_the_newest_message_offering_choices_is_the_open_question(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=STATUSES, now=MORNING, message_id="1002")
        offer(session, platform="telegram", chat_id="7001", rows=PICKER, now=MORNING + timedelta(minutes=5))
    with session_scope(engine) as session:
        question = newest_open(session, platform="telegram", chat_id="7001", now=MORNING + timedelta(minutes=6))
    assert question is not None
    assert question.choices == (OfferedChoice("1. II.4", "pick:7:21", 0), OfferedChoice("2. II.3", "pick:7:20", 1))
    assert question.message_id is None


def test_a_newer_question_closes_the_one_before(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = offer(session, platform="telegram", chat_id="7001", rows=STATUSES, now=MORNING)
        second = offer(session, platform="telegram", chat_id="7001", rows=PICKER, now=MORNING + timedelta(minutes=5))
    with session_scope(engine) as session:
        closed = {q.id: q.closed_at for q in session.exec(select(OpenQuestion).order_by(col(OpenQuestion.id)))}
    assert closed == {first: MORNING + timedelta(minutes=5), second: None}


def test_each_chat_has_its_own_question_on_each_platform(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=STATUSES, now=MORNING)
        offer(session, platform="zalo", chat_id="7001", rows=PICKER, now=MORNING + timedelta(minutes=1))
        offer(session, platform="telegram", chat_id="7002", rows=PICKER, now=MORNING + timedelta(minutes=2))
    later = MORNING + timedelta(minutes=3)
    with session_scope(engine) as session:
        telegram = newest_open(session, platform="telegram", chat_id="7001", now=later)
        zalo = newest_open(session, platform="zalo", chat_id="7001", now=later)
        nobody = newest_open(session, platform="telegram", chat_id="7003", now=later)
    assert telegram is not None and [c.label for c in telegram.choices] == [
        "✅ Đã hoàn thành",
        "⏳ Đang thực hiện",
        "⚠️ Có vướng mắc",
    ]
    assert zalo is not None and [c.label for c in zalo.choices] == ["1. II.4", "2. II.3"]
    assert nobody is None


def test_a_question_a_week_old_takes_no_number(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=PICKER, now=MORNING)
    with session_scope(engine) as session:
        almost = newest_open(session, platform="telegram", chat_id="7001", now=MORNING + timedelta(days=7, seconds=-1))
        week = newest_open(session, platform="telegram", chat_id="7001", now=MORNING + timedelta(days=7))
    assert almost is not None
    assert week is None


def test_taking_a_choice_closes_the_question_that_offered_it(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=PICKER, now=MORNING)
    with session_scope(engine) as session:
        unrelated = close_offering(session, platform="telegram", chat_id="7001", payload="undo:3", now=MORNING)
        taken = close_offering(session, platform="telegram", chat_id="7001", payload="pick:7:20", now=MORNING)
    with session_scope(engine) as session:
        assert newest_open(session, platform="telegram", chat_id="7001", now=MORNING) is None
    assert (unrelated, taken) == (0, 1)


def test_a_message_without_choices_is_no_question_and_closes_none(engine: Engine) -> None:
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=PICKER, now=MORNING)
        assert offer(session, platform="telegram", chat_id="7001", rows=[], now=MORNING + timedelta(minutes=1)) is None
    with session_scope(engine) as session:
        question = newest_open(session, platform="telegram", chat_id="7001", now=MORNING + timedelta(minutes=2))
    assert question is not None and len(question.choices) == 2


def test_the_keyboard_rows_come_back_as_offered(engine: Engine) -> None:
    rows = [
        [("Báo cáo II.3", "rc:11")],
        [("Xong II.4", "rp:12:done"), ("Đang làm II.4", "rp:12:in_progress"), ("Vướng II.4", "rp:12:blocked")],
        [("Báo cáo II.5", "rc:13"), ("Báo cáo III.1", "rc:14")],
    ]
    with session_scope(engine) as session:
        offer(session, platform="telegram", chat_id="7001", rows=rows, now=MORNING, message_id="1005")
    with session_scope(engine) as session:
        question = newest_open(session, platform="telegram", chat_id="7001", now=MORNING)
    assert question is not None
    assert [[(c.label, c.payload) for c in row] for row in question.rows()] == rows
    assert question.choices[2] == OfferedChoice("Đang làm II.4", "rp:12:in_progress", 1)
    assert question.message_id == "1005"

"""The outbox's state machine on SQLite and PostgreSQL: enqueue, claim, leases, sent, retry, failed."""

from __future__ import annotations

import random
import re
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from domain.markup import MarkupError
from domain.messages import Button, ChatKind
from domain.payloads import Choice, ChoiceKind, encode
from locales.catalogs import translator
from models import AuditLog, Occurrence, OutboxMessage, OutboxState, Plan, PlatformAccount, Prompt, ReportStatus, Task
from models.db import session_scope
from scheduler.delivery import outbox
from tests.dispatch.support import LEAD, NOW, STAFF, queue, seed_unit

LEASE = 60.0


def claim(
    engine: Engine,
    holder: str = "a",
    *,
    now: datetime = NOW,
    limit: int = 10,
    exclude_chats: dict[str, set[str]] | None = None,
) -> list[OutboxMessage]:
    return outbox.claim(
        engine,
        holder=holder,
        now=now,
        lease_seconds=LEASE,
        limit=limit,
        platforms=["telegram"],
        exclude_chats=exclude_chats,
    )


def row(engine: Engine, key: str) -> OutboxMessage:
    with Session(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()


def retry(
    engine: Engine,
    message: OutboxMessage,
    holder: str = "a",
    *,
    now: datetime = NOW,
    horizon: float = 30.0,
    retry_after: float | None = None,
) -> OutboxState | None:
    return outbox.mark_retry(
        engine,
        message,
        holder=holder,
        error="NetworkError: Bad Gateway",
        now=now,
        horizon_seconds=horizon,
        backoff=lambda attempt: 10.0 * attempt,
        retry_after=retry_after,
    )


def test_enqueue_is_idempotent_by_key(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = outbox.enqueue(
            session,
            key="k",
            platform="telegram",
            chat_id="101",
            chat_kind=ChatKind.PRIVATE,
            text="Một",
            due_at=NOW,
            now=NOW,
            buttons=((Button("Xong", encode(Choice(ChoiceKind.PROMPT, (9,), ReportStatus.DONE))),),),
            reason={"occurrence": 5, "prompt_id": 9},
        )
        again = outbox.enqueue(
            session,
            key="k",
            platform="telegram",
            chat_id="102",
            chat_kind=ChatKind.PRIVATE,
            text="Hai",
            due_at=NOW + timedelta(days=1),
            now=NOW,
        )
    assert first.created and not again.created
    assert again.message.id == first.message.id and again.message.text == "Một"
    stored = row(engine, "k")
    assert stored.state == OutboxState.PENDING and stored.attempts == 0
    assert stored.buttons == [[{"label": "Xong", "payload": "rp:9:done"}]]
    assert stored.reason == {"occurrence": 5, "prompt_id": 9}


def test_enqueue_refuses_a_text_that_is_not_the_neutral_markup(engine: Engine) -> None:
    for text in ("Sở KH&CN <Quảng Ngãi>", "<b>II.3 đã xong"):
        with pytest.raises(MarkupError), session_scope(engine) as session:
            outbox.enqueue(
                session,
                key="x",
                platform="telegram",
                chat_id="101",
                chat_kind=ChatKind.PRIVATE,
                text=text,
                due_at=NOW,
                now=NOW,
            )
    with session_scope(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_stored_buttons_read_back_as_the_buttons_queued() -> None:
    rows = (
        (Button("✅ Đã hoàn thành", "rp:41:done"), Button("⚠️ Có vướng mắc", "rp:41:blocked")),
        (Button("Kế hoạch", url="https://skhcn.quangngai.gov.vn/ke-hoach"),),
    )
    stored = outbox.buttons_to_json(rows)
    assert stored == [
        [
            {"label": "✅ Đã hoàn thành", "payload": "rp:41:done"},
            {"label": "⚠️ Có vướng mắc", "payload": "rp:41:blocked"},
        ],
        [{"label": "Kế hoạch", "url": "https://skhcn.quangngai.gov.vn/ke-hoach"}],
    ]
    assert outbox.buttons_from_json(stored) == rows


@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        ({"label": "Xong"}, "a list of rows"),
        ([{"label": "Xong", "payload": "rp:41:done"}], "a stored row of buttons is a list"),
        ([[{"text": "Xong", "callback_data": "rp:41:done"}]], "a label and a payload or a url"),
        ([[{"label": "Xong", "payload": "rp:41:done", "url": "https://x.vn"}]], "a label and a payload or a url"),
        ([[{"label": "Xong", "payload": "done:1"}]], "is not a payload domain.payloads makes"),
        ([[{"label": "Xong", "payload": 41}]], "an object of strings"),
    ],
)
def test_stored_buttons_written_some_other_way_are_refused(stored: object, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        outbox.buttons_from_json(stored)


def test_enqueue_stores_the_chat_kind_the_caller_knows(engine: Engine) -> None:
    with session_scope(engine) as session:
        for key, platform, chat, kind in (
            ("nhom-zalo", "zalo", "5a1f0e7c3b9d24c8a6e1", ChatKind.GROUP),
            ("rieng-zalo", "zalo", "8c2d4f6a1b3e5d7c9f0a", ChatKind.PRIVATE),
            ("nhom-telegram", "telegram", "-1001234567890", ChatKind.GROUP),
        ):
            outbox.enqueue(
                session, key=key, platform=platform, chat_id=chat, chat_kind=kind, text="Nhắc việc", due_at=NOW, now=NOW
            )
    assert [row(engine, key).chat_kind for key in ("nhom-zalo", "rieng-zalo", "nhom-telegram")] == [
        "group",
        "private",
        "group",
    ]


def test_claim_takes_the_earliest_due_first_and_leases_them(engine: Engine) -> None:
    with session_scope(engine) as session:
        for minutes, key in ((5, "late"), (1, "b"), (1, "a"), (30, "latest")):
            outbox.enqueue(
                session,
                key=key,
                platform="telegram",
                chat_id="101",
                chat_kind=ChatKind.PRIVATE,
                text=key,
                due_at=NOW - timedelta(minutes=minutes),
                now=NOW,
            )
        outbox.enqueue(
            session,
            key="future",
            platform="telegram",
            chat_id="101",
            chat_kind=ChatKind.PRIVATE,
            text="f",
            due_at=NOW + timedelta(seconds=1),
            now=NOW,
        )
        outbox.enqueue(
            session,
            key="zalo",
            platform="zalo",
            chat_id="z1",
            chat_kind=ChatKind.PRIVATE,
            text="z",
            due_at=NOW - timedelta(days=1),
            now=NOW,
        )
    claimed = claim(engine, limit=3)
    assert [m.idempotency_key for m in claimed] == ["latest", "late", "b"]
    assert all(m.state == OutboxState.SENDING and m.leased_by == "a" for m in claimed)
    assert all(m.lease_until == NOW + timedelta(seconds=LEASE) for m in claimed)
    # The rest that is due stays with the dispatcher sending to its chat; nothing is claimed twice.
    assert claim(engine, "b") == []
    assert [m.idempotency_key for m in claim(engine, "a")] == ["a"]
    assert claim(engine, "c") == []


def test_a_thousand_rows_not_due_never_delay_the_one_that_is(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(1000):
            outbox.enqueue(
                session,
                key=f"later{n}",
                platform="telegram",
                chat_id=str(1000 + n),
                chat_kind=ChatKind.PRIVATE,
                text="t",
                due_at=NOW + timedelta(hours=1),
                now=NOW - timedelta(days=1),
            )
        outbox.enqueue(
            session,
            key="due",
            platform="telegram",
            chat_id="7",
            chat_kind=ChatKind.PRIVATE,
            text="t",
            due_at=NOW,
            now=NOW,
        )
    assert [m.idempotency_key for m in claim(engine, limit=1)] == ["due"]


def test_claim_leaves_out_the_chats_the_dispatcher_already_holds(engine: Engine) -> None:
    queue(engine, ["101", "101", "102", "-5"])
    claimed = claim(engine, limit=10, exclude_chats={"telegram": {"101", "-5"}})
    assert [(m.chat_id, m.idempotency_key) for m in claimed] == [("102", "m2")]


def test_claims_from_many_threads_never_share_a_row(engine: Engine) -> None:
    queue(engine, [str(100 + n % 40) for n in range(400)])
    got: dict[str, list[int]] = {}

    def worker(name: str) -> None:
        mine: list[int] = []
        while batch := claim(engine, name, limit=7):
            mine.extend(m.id or 0 for m in batch)
        got[name] = mine

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in got.values() for i in ids]
    assert len(everything) == len(set(everything)) == 400


def test_expired_leases_come_back_and_live_ones_are_renewed(engine: Engine) -> None:
    queue(engine, ["101", "102"])
    first, second = claim(engine, "dead")
    later = NOW + timedelta(seconds=LEASE / 2)
    assert outbox.renew(engine, holder="dead", now=later, lease_seconds=LEASE) == 2
    assert outbox.recover_expired(engine, now=NOW + timedelta(seconds=LEASE + 1)) == 0  # renewed: still held
    assert claim(engine, "other", now=NOW + timedelta(seconds=LEASE + 1)) == []
    expiry = later + timedelta(seconds=LEASE, microseconds=1)
    assert outbox.next_wakeup(engine, platforms=["telegram"]) == later + timedelta(seconds=LEASE)
    assert outbox.recover_expired(engine, now=expiry) == 2
    recovered = row(engine, "m0")
    assert recovered.state == OutboxState.PENDING and recovered.leased_by is None and recovered.attempts == 0
    assert [m.idempotency_key for m in claim(engine, "other", now=expiry)] == ["m0", "m1"]
    # The dead dispatcher's late answer still counts: the platform did take the message.
    assert outbox.mark_sent(engine, first, platform_message_id="77", now=expiry)
    assert row(engine, "m0").state == OutboxState.SENT
    assert retry(engine, second, "dead") is None  # its lease was taken over: nothing changes
    assert row(engine, "m1").state == OutboxState.SENDING and row(engine, "m1").leased_by == "other"


def test_sent_records_the_platform_id_once_and_links_the_prompt(engine: Engine) -> None:
    seeded = seed_unit(engine)
    with session_scope(engine) as session:
        prompt_id = _prompt(session, seeded.staff_id)
        outbox.enqueue(
            session,
            key="p",
            platform="telegram",
            chat_id=str(STAFF),
            chat_kind=ChatKind.PRIVATE,
            text="t",
            due_at=NOW,
            now=NOW,
            reason={"prompt_id": prompt_id},
        )
    (message,) = claim(engine)
    assert outbox.mark_sent(engine, message, platform_message_id="4242", now=NOW + timedelta(seconds=1))
    assert not outbox.mark_sent(engine, message, platform_message_id="9999", now=NOW + timedelta(seconds=2))
    sent = row(engine, "p")
    assert (sent.state, sent.platform_message_id, sent.attempts) == (OutboxState.SENT, "4242", 1)
    assert sent.sent_at == NOW + timedelta(seconds=1) and sent.lease_until is None
    with Session(engine) as session:
        prompt = session.get(Prompt, prompt_id)
        assert prompt is not None and prompt.message_id == "4242"


def _prompt(session: Session, member_id: int) -> int:
    """A prompt on a minimal plan → task → occurrence chain."""
    plan = Plan(code="KH-1", title="Kế hoạch", source_name="kh.txt", source_sha256="0" * 64, imported_at=NOW)
    session.add(plan)
    session.flush()
    assert plan.id is not None
    task = Task(plan_id=plan.id, code="I.1", content="Việc", position=1, time_text="Quý I/2026")
    session.add(task)
    session.flush()
    assert task.id is not None
    occurrence = Occurrence(
        task_id=task.id, due=date(2026, 3, 31), period_kind="quarter", period_year=2026, period_index=1, created_at=NOW
    )
    session.add(occurrence)
    session.flush()
    assert occurrence.id is not None
    prompt = Prompt(
        platform="telegram", chat_id=str(STAFF), occurrence_id=occurrence.id, member_id=member_id, created_at=NOW
    )
    session.add(prompt)
    session.flush()
    assert prompt.id is not None
    return prompt.id


def test_retry_backs_off_then_fails_at_the_horizon(engine: Engine) -> None:
    queue(engine, ["101"])
    (message,) = claim(engine)
    assert retry(engine, message) is OutboxState.PENDING
    stored = row(engine, "m0")
    assert stored.attempts == 1 and stored.due_at == NOW + timedelta(seconds=10)
    assert stored.last_error == "NetworkError: Bad Gateway" and stored.leased_by is None
    assert claim(engine, now=NOW + timedelta(seconds=9)) == []  # not due before its backoff ends
    (message,) = claim(engine, now=NOW + timedelta(seconds=10))
    assert retry(engine, message, now=NOW + timedelta(seconds=10)) is OutboxState.PENDING
    # The backoff would say 20 s later; the horizon (30 s after the first failure) comes first.
    assert row(engine, "m0").due_at == NOW + timedelta(seconds=30)
    assert row(engine, "m0").failing_since == NOW
    (message,) = claim(engine, now=NOW + timedelta(seconds=30))
    assert retry(engine, message, now=NOW + timedelta(seconds=30)) is OutboxState.FAILED
    failed = row(engine, "m0")
    assert (failed.state, failed.attempts) == (OutboxState.FAILED, 3)
    assert claim(engine, now=NOW + timedelta(days=1)) == []


def test_an_hour_of_server_errors_leaves_a_row_due_again(engine: Engine) -> None:
    """An outage of an hour with the default 24 h horizon and real backoff: a dozen failed sends, the
    row still pending; the first send after the outage goes through (it failed after six before)."""
    queue(engine, ["101"])
    rng = random.Random(1)
    now = NOW
    failures = 0
    while now < NOW + timedelta(hours=1):
        (message,) = claim(engine, now=now)
        state = outbox.mark_retry(
            engine,
            message,
            holder="a",
            error="NetworkError: Bad Gateway",
            now=now,
            horizon_seconds=24 * 3600.0,
            backoff=lambda attempt: outbox.backoff_delay(attempt, base=30.0, cap=3600.0, rng=rng),
        )
        assert state is OutboxState.PENDING
        failures += 1
        now = row(engine, "m0").due_at
    assert failures >= 6
    (message,) = claim(engine, now=now)
    assert outbox.mark_sent(engine, message, platform_message_id="77", now=now)
    sent = row(engine, "m0")
    assert (sent.state, sent.attempts, sent.failing_since) == (OutboxState.SENT, failures + 1, None)


def test_requeue_failed_makes_failed_rows_due_at_once_with_a_fresh_horizon(engine: Engine) -> None:
    queue(engine, ["101", "102", "103"])
    first, second, third = claim(engine)
    retry(engine, first, horizon=0.0)
    outbox.mark_failed(engine, second, holder="a", error="BadRequest: chat not found", now=NOW)
    outbox.mark_sent(engine, third, platform_message_id="9", now=NOW)
    later = NOW + timedelta(hours=30)
    with session_scope(engine) as session:
        assert outbox.requeue_failed(session, ids=[third.id or 0]) == []  # sent: left alone
        assert outbox.requeue_failed(session) == [first.id, second.id]
    requeued = row(engine, "m0")
    assert (requeued.state, requeued.due_at, requeued.failing_since) == (OutboxState.PENDING, NOW, None)
    assert [m.idempotency_key for m in claim(engine, now=later)] == ["m0", "m1"]


def test_retry_after_honours_the_platform_and_counts_no_attempt(engine: Engine) -> None:
    queue(engine, ["101"])
    (message,) = claim(engine)
    assert retry(engine, message, retry_after=45.0) is OutboxState.PENDING
    stored = row(engine, "m0")
    assert stored.attempts == 0 and stored.due_at == NOW + timedelta(seconds=45)
    assert stored.last_error == "NetworkError: Bad Gateway"


def test_a_refused_message_fails_at_once(engine: Engine) -> None:
    queue(engine, ["101"])
    (message,) = claim(engine)
    assert not outbox.mark_failed(engine, message, holder="someone else", error="x", now=NOW)
    assert outbox.mark_failed(engine, message, holder="a", error="BadRequest: can't parse entities", now=NOW)
    stored = row(engine, "m0")
    assert (stored.state, stored.attempts, stored.last_error) == (
        OutboxState.FAILED,
        1,
        "BadRequest: can't parse entities",
    )


def test_release_gives_rows_back_unsent(engine: Engine) -> None:
    queue(engine, ["101", "102", "103"])
    claimed = claim(engine, "me")
    assert outbox.release(engine, holder="me", ids=[claimed[0].id or 0]) == 1
    assert outbox.release(engine, holder="me", ids=[]) == 0
    assert outbox.release(engine, holder="me") == 2
    assert [m.idempotency_key for m in claim(engine, "you")] == ["m0", "m1", "m2"]


def test_the_dispatcher_lease_lets_one_dispatcher_work_at_a_time(engine: Engine) -> None:
    take = outbox.acquire_dispatcher_lease
    assert take(engine, holder="a", now=NOW, lease_seconds=30)
    assert not take(engine, holder="b", now=NOW + timedelta(seconds=10), lease_seconds=30)
    assert take(engine, holder="a", now=NOW + timedelta(seconds=20), lease_seconds=30)  # renewed
    assert not take(engine, holder="b", now=NOW + timedelta(seconds=40), lease_seconds=30)
    lease = outbox.dispatcher_lease(engine)
    assert lease is not None and (lease.holder, lease.lease_until) == ("a", NOW + timedelta(seconds=50))
    assert take(engine, holder="b", now=NOW + timedelta(seconds=51), lease_seconds=30)  # a died: b takes over
    assert not outbox.release_dispatcher_lease(engine, holder="a", now=NOW + timedelta(seconds=52))
    assert outbox.release_dispatcher_lease(engine, holder="b", now=NOW + timedelta(seconds=52))
    assert take(engine, holder="a", now=NOW + timedelta(seconds=53), lease_seconds=30)


def test_a_blocked_person_is_flagged_and_the_unit_lead_told_once(engine: Engine) -> None:
    seed_unit(engine)
    queue(engine, [str(STAFF), str(STAFF)])
    first, second = claim(engine)
    notes = outbox.mark_blocked(engine, first, holder="a", error="Forbidden: bot was blocked by the user", now=NOW)
    assert len(notes) == 1
    again = outbox.mark_blocked(
        engine, second, holder="a", error="Forbidden: bot was blocked by the user", now=NOW + timedelta(minutes=1)
    )
    assert again == notes  # the same note, not a second one
    with Session(engine) as session:
        account = session.exec(select(PlatformAccount).where(PlatformAccount.private_chat_id == str(STAFF))).one()
        assert account.blocked_at == NOW
        assert session.exec(select(AuditLog).where(AuditLog.action == "member.blocked")).one()
        note = session.get(OutboxMessage, notes[0])
        assert note is not None
        assert (note.chat_id, note.state, note.due_at) == (str(LEAD), OutboxState.PENDING, NOW)
        expected = translator("vi")(outbox.BLOCKED_NOTICE).format(
            name="Nguyễn Văn An", unit="Phòng Kế hoạch - Tài chính"
        )
        assert note.text == expected and "đã chặn" in note.text
        # Held, not failed: they go out if the person unblocks the bot in time.
        held = session.exec(select(OutboxMessage).where(col(OutboxMessage.state) == OutboxState.HELD)).all()
        assert sorted(m.idempotency_key for m in held) == ["m0", "m1"]
        assert all("blocked" in (m.last_error or "") for m in held)


def test_a_blocked_group_or_unknown_chat_only_fails_the_row(engine: Engine) -> None:
    queue(engine, ["-42"])
    (message,) = claim(engine)
    assert outbox.mark_blocked(engine, message, holder="a", error="Forbidden: bot was kicked", now=NOW) == []
    assert row(engine, "m0").state == OutboxState.FAILED


def test_stats_show_counts_the_oldest_pending_and_recent_failures(engine: Engine) -> None:
    queue(engine, ["101", "102", "103", "104"])
    with session_scope(engine) as session:
        outbox.enqueue(
            session,
            key="early",
            platform="telegram",
            chat_id="9",
            chat_kind=ChatKind.PRIVATE,
            text="t",
            due_at=NOW - timedelta(hours=2),
            now=NOW,
        )
    a, b, c = claim(engine, limit=3)
    outbox.mark_sent(engine, b, platform_message_id="1", now=NOW)
    outbox.mark_failed(engine, c, holder="a", error="BadRequest: chat not found", now=NOW)
    with Session(engine) as session:
        summary = outbox.stats(session, now=NOW, failures=5)
    assert summary.counts == {
        OutboxState.PENDING: 2,
        OutboxState.SENDING: 1,
        OutboxState.SENT: 1,
        OutboxState.FAILED: 1,
        OutboxState.HELD: 0,
    }
    assert summary.oldest_pending is not None and summary.oldest_pending.idempotency_key == "m2"
    assert summary.overdue == 2
    assert [m.last_error for m in summary.recent_failures] == ["BadRequest: chat not found"]
    assert outbox.unfinished(engine) == 3
    assert a.idempotency_key == "early"


def test_random_walks_through_the_state_machine_keep_its_invariants(engine: Engine) -> None:
    """Many random claims, answers, crashes and clock steps: a row is sent at most once, never sent
    without an id, a sent row is not failing any more, and in the end everything is sent or failed."""
    rng = random.Random(3)
    queue(engine, [str(100 + n % 7) for n in range(60)])
    now = NOW
    sent_calls: dict[str, int] = {}
    for _ in range(400):
        now += timedelta(seconds=rng.choice([0, 1, 5, 30, 61]))
        outbox.recover_expired(engine, now=now)
        holder = rng.choice(["a", "b"])
        for message in claim(engine, holder, now=now, limit=rng.randint(1, 5)):
            fate = rng.random()
            if fate < 0.5:
                if outbox.mark_sent(engine, message, platform_message_id=str(message.id), now=now):
                    sent_calls[message.idempotency_key] = sent_calls.get(message.idempotency_key, 0) + 1
            elif fate < 0.8:
                retry(engine, message, holder, now=now, horizon=120.0)
            elif fate < 0.85:
                outbox.mark_failed(engine, message, holder=holder, error="BadRequest", now=now)
            # else: the dispatcher "crashed" holding it
        if outbox.unfinished(engine) == 0:
            break
    for _ in range(200):
        now += timedelta(hours=1)
        outbox.recover_expired(engine, now=now)
        for message in claim(engine, now=now, limit=50):
            outbox.mark_sent(engine, message, platform_message_id=str(message.id), now=now)
        if outbox.unfinished(engine) == 0:
            break
    assert outbox.unfinished(engine) == 0
    assert all(count == 1 for count in sent_calls.values())
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert all(m.platform_message_id for m in rows if m.state == OutboxState.SENT)
    assert all(m.failing_since is None for m in rows if m.state == OutboxState.SENT)


def test_a_chat_another_dispatcher_is_sending_to_is_left_to_it(engine: Engine) -> None:
    """Two workers never send to one chat at once: its order and its own limit stay in one place."""
    queue(engine, ["101", "101", "102"])
    (first,) = claim(engine, "a", limit=1)
    assert first.idempotency_key == "m0"
    assert [m.idempotency_key for m in claim(engine, "b")] == ["m2"]
    assert [m.idempotency_key for m in claim(engine, "a")] == ["m1"]  # its own chat: yes

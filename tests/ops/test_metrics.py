"""Metrics: send results counted by platform and result, the outbox read at scrape time."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from models import OutboxMessage
from models.db import session_scope
from models.reminders import OutboxState
from nhacviec.metrics import Metrics, OutboxCollector, outbox_facts, result_label
from sandbox.clock import VIETNAM
from scheduler.delivery.senders import Blocked, Permanent, RetryAfter, Sent, Transient
from tests.dispatch.support import NOW, queue
from tests.ops.support import samples


def test_results_are_labelled_ok_429_403_error() -> None:
    assert [
        result_label(r)
        for r in (Sent("41"), RetryAfter(3.0), Blocked(), Transient("502 Bad Gateway"), Permanent("400 chat not found"))
    ] == ["ok", "429", "403", "error", "error"]


def test_sends_and_reply_latency_are_counted_on_the_given_registry() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.record_send("telegram", Sent("41"))
    metrics.record_send("telegram", Sent("42"))
    metrics.record_send("telegram", Blocked())
    metrics.observe_reply(0.04)
    found = samples(generate_latest(registry).decode())
    assert found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", "ok"))] == 2
    assert found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", "403"))] == 1
    assert found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", "429"))] == 0
    assert found["nhacviec_reply_handling_seconds_count", ()] == 1
    assert found["nhacviec_reply_handling_seconds_bucket", (("le", "0.05"),)] == 1
    assert found["nhacviec_reply_handling_seconds_bucket", (("le", "0.025"),)] == 0


def test_two_registries_do_not_share_counts() -> None:
    first, second = Metrics(CollectorRegistry()), Metrics(CollectorRegistry())
    first.record_send("telegram", Sent("1"))
    found = samples(generate_latest(second.registry).decode())
    assert found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", "ok"))] == 0


def test_outbox_rows_by_state_and_the_oldest_due_rows_lag(engine: Engine) -> None:
    queue(engine, [101, 102, 103], now=NOW - timedelta(seconds=90), prefix="due")
    queue(engine, [104], now=NOW + timedelta(hours=1), prefix="later")
    with session_scope(engine) as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.idempotency_key == "due1").values(state="sent"))
        session.execute(update(OutboxMessage).where(OutboxMessage.idempotency_key == "due2").values(state="failed"))
    with session_scope(engine) as session:
        facts = outbox_facts(session, now=NOW, tz=VIETNAM)
    assert facts.rows == {
        OutboxState.PENDING: 2,
        OutboxState.SENDING: 0,
        OutboxState.SENT: 1,
        OutboxState.FAILED: 1,
        OutboxState.HELD: 0,
    }
    assert facts.oldest_due_lag_seconds == 90.0
    assert list(facts.planned.values()) == [0] * 7
    assert min(facts.planned).isoformat() == "2026-02-24" and max(facts.planned).isoformat() == "2026-03-02"


def test_nothing_due_means_no_lag(engine: Engine) -> None:
    queue(engine, [104], now=NOW + timedelta(hours=1), prefix="later")
    with session_scope(engine) as session:
        assert outbox_facts(session, now=NOW, tz=VIETNAM).oldest_due_lag_seconds == 0.0


def test_the_collector_reads_the_database_at_each_scrape(engine: Engine) -> None:
    registry = CollectorRegistry()
    registry.register(OutboxCollector(engine, clock=lambda: NOW, tz=VIETNAM))
    before = samples(generate_latest(registry).decode())
    assert before["nhacviec_outbox_rows", (("state", "pending"),)] == 0
    queue(engine, [101, 102], now=NOW - timedelta(seconds=30))
    after = samples(generate_latest(registry).decode())
    assert after["nhacviec_outbox_rows", (("state", "pending"),)] == 2
    assert after["nhacviec_outbox_oldest_due_lag_seconds", ()] == 30.0
    assert after["nhacviec_reminders_planned", (("day", "2026-03-02"),)] == 0

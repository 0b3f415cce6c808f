"""Prometheus metrics, on a `CollectorRegistry` the wiring makes and passes down (none at module level).

Two kinds:

- Counted as things happen (`Metrics`): outbox sends by platform and result, and how long a chat
  reply takes to handle (the core plus sending the answers).
- Read from the database at scrape time (`OutboxCollector`): outbox rows by state, how late the
  oldest due row is, and reminder steps planned per day. The database is the truth, so several
  processes sharing it report the same numbers and a restart loses none.

    nhacviec_outbox_sends_total{platform="telegram",result="ok"|"429"|"403"|"error"}
    nhacviec_reply_handling_seconds_bucket{le=…} / _sum / _count
    nhacviec_outbox_rows{state="pending"|"sending"|"sent"|"failed"}
    nhacviec_outbox_oldest_due_lag_seconds
    nhacviec_reminders_planned{day="YYYY-MM-DD"}   (the last 7 days, local dates)
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import ReminderStep
from models.db import session_scope
from models.reminders import OutboxState
from scheduler.delivery import outbox
from scheduler.delivery.senders import Blocked, RetryAfter, SendResult, Sent

RESULTS = ("ok", "429", "403", "error")
PLANNED_DAYS = 7
# A reply is the core's work (a few ms) plus the platform's answer (tens to hundreds of ms).
REPLY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def result_label(result: SendResult) -> str:
    if isinstance(result, Sent):
        return "ok"
    if isinstance(result, RetryAfter):
        return "429"
    if isinstance(result, Blocked):
        return "403"
    return "error"  # Transient (5xx, network) and Permanent (400)


class Metrics:
    """The counters the service feeds; `platforms` get their series at 0 from the start."""

    def __init__(self, registry: CollectorRegistry, *, platforms: Sequence[str] = ("telegram",)) -> None:
        self.registry = registry
        self.sends = Counter(
            "nhacviec_outbox_sends",
            "Outbox messages handed to a platform, by platform and result (ok, 429, 403, error).",
            ["platform", "result"],
            registry=registry,
        )
        self.reply_seconds = Histogram(
            "nhacviec_reply_handling_seconds",
            "Time from a chat message's arrival to the bot's answers being sent.",
            buckets=REPLY_BUCKETS,
            registry=registry,
        )
        for platform in platforms:
            for result in RESULTS:
                self.sends.labels(platform=platform, result=result)

    def record_send(self, platform: str, result: SendResult) -> None:
        self.sends.labels(platform=platform, result=result_label(result)).inc()

    def observe_reply(self, seconds: float) -> None:
        self.reply_seconds.observe(seconds)


@dataclass(frozen=True)
class OutboxFacts:
    rows: dict[OutboxState, int]
    oldest_due_lag_seconds: float  # 0 when nothing pending is due
    planned: dict[date, int]  # reminder steps planned per local day, the last PLANNED_DAYS days


def outbox_facts(session: Session, *, now: datetime, tz: tzinfo, days: int = PLANNED_DAYS) -> OutboxFacts:
    summary = outbox.stats(session, now=now, failures=0)
    oldest = summary.oldest_pending
    lag = max(0.0, (now - oldest.due_at).total_seconds()) if oldest is not None else 0.0
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(today + timedelta(days=1), time(), tz)
    step = ReminderStep
    moments = session.exec(
        select(step.planned_at).where(col(step.planned_at) >= start, col(step.planned_at) < end)
    ).all()
    tally = Tally(moment.astimezone(tz).date() for moment in moments)
    planned = {first + timedelta(days=n): tally.get(first + timedelta(days=n), 0) for n in range(days)}
    return OutboxFacts(rows=dict(summary.counts), oldest_due_lag_seconds=lag, planned=planned)


def fact_families(facts: OutboxFacts) -> list[Metric]:
    rows = GaugeMetricFamily("nhacviec_outbox_rows", "Outbox rows by state.", labels=["state"])
    for state in OutboxState:
        rows.add_metric([state.value], facts.rows.get(state, 0))
    lag = GaugeMetricFamily(
        "nhacviec_outbox_oldest_due_lag_seconds",
        "How long the oldest pending outbox row has been due (0: nothing overdue).",
        value=facts.oldest_due_lag_seconds,
    )
    planned = GaugeMetricFamily(
        "nhacviec_reminders_planned", "Reminder steps planned per local day (the last 7 days).", labels=["day"]
    )
    for day, count in sorted(facts.planned.items()):
        planned.add_metric([day.isoformat()], count)
    return [rows, lag, planned]


class OutboxCollector(Collector):
    """Reads the outbox at scrape time (register it, then scrape off the event loop: it blocks)."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime], tz: tzinfo) -> None:
        self.engine = engine
        self.clock = clock
        self.tz = tz

    def collect(self) -> Iterable[Metric]:
        with session_scope(self.engine) as session:
            facts = outbox_facts(session, now=self.clock(), tz=self.tz)
        return fact_families(facts)


__all__ = [
    "Metrics",
    "OutboxCollector",
    "OutboxFacts",
    "fact_families",
    "outbox_facts",
    "result_label",
]

"""The dispatcher's two operations hooks: every send's result reaches the observer, and its last
tick is readable (on its own ticker) so /readyz can tell a stuck dispatcher."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy.engine import Engine

from models.reminders import OutboxMessage
from nhacviec.metrics import Metrics
from scheduler.delivery.dispatch_settings import DispatchSettings
from scheduler.delivery.dispatcher import Dispatcher
from scheduler.delivery.senders import Blocked, RetryAfter, SendResult, Sent, Transient
from tests.dispatch.support import NOW, FakeTime, queue, seed_unit
from tests.ops.support import samples

FAST = DispatchSettings(backoff_base_seconds=60.0, backoff_cap_seconds=600.0, max_attempts=3, poll_seconds=5.0)


class ChatAnswers:
    """A platform that answers per chat as told (a 403 for a blocked person, a long 429…)."""

    def __init__(self, answers: dict[str, SendResult]) -> None:
        self.answers = answers

    async def send(self, message: OutboxMessage) -> SendResult:
        return self.answers[message.chat_id]


async def test_each_result_is_counted_by_platform_and_result(engine: Engine) -> None:
    seed_unit(engine)
    queue(engine, ["101", "102", "103", "104"])
    platform = ChatAnswers(
        {"101": Sent("9001"), "102": Blocked(), "103": RetryAfter(120.0), "104": Transient("502 Bad Gateway")}
    )
    metrics = Metrics(CollectorRegistry())
    fake = FakeTime()
    dispatcher = Dispatcher(
        engine,
        {"telegram": platform},
        settings=FAST,
        clock=lambda: NOW,
        ticker=fake,
        sleep=fake.sleep,
        on_result=metrics.record_send,
    )
    assert dispatcher.seconds_since_tick() is None  # not ready before its first pass
    async with dispatcher:
        await dispatcher.wait_passes(1)
        assert dispatcher.seconds_since_tick() == 0.0
        fake.now += 95.0
        assert dispatcher.seconds_since_tick() == 95.0
    found = samples(generate_latest(metrics.registry).decode())
    counted = {
        result: found["nhacviec_outbox_sends_total", (("platform", "telegram"), ("result", result))]
        for result in ("ok", "403", "429", "error")
    }
    assert counted == {"ok": 1, "403": 1, "429": 1, "error": 1}

"""Pushes 10,000 incoming messages through the conversation core on a fresh SQLite database and prints
the figures. The last line is a public contract:

    replies: messages=10000 per_second=<n> p99_ms=<ms>

The scene: the bundled Quảng Ngãi plan, ~20 members of its units who joined with invite codes, and a
reminder for each member's open occurrences, as production sends it (its text and buttons from
scheduler/reminders/text.py in an outbox row, marked sent with the platform's message id). The mix is what a working day looks like: replies to reminders, plain replies, `/tasks`,
button presses (status, undo, picking a task), unclear replies that the bot asks about, edits, `/undo`.
Setting the scene is not timed; `per_second` is messages / wall seconds of the timed loop, and p99 is
over each message's `Conversation.handle`. Goal: ≥ 1000 messages/s and p99 < 20 ms. Pass `--db URL` to
measure PostgreSQL instead, `--profile` to print the top of a cProfile of the loop.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.conversation import Conversation
from domain.invites import create_invite
from domain.messages import Button, ChatKind, Incoming, Platform
from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import Membership, Occurrence, PlatformAccount, Role, TaskUnit, db
from models.db import session_scope
from nhacviec.bundled import bundled_plan_path
from scheduler.delivery.outbox import mark_sent
from tests.bot.chat import queue_reminder

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 12, 1, 8, 0, tzinfo=TZ)
MESSAGES = 10_000

# (unit, role, how many): the departments of the Sở that the plan names, and the people who answer.
PEOPLE = [
    ("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", Role.STAFF, 6),
    ("Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", Role.UNIT_LEAD, 1),
    ("Văn phòng Sở", Role.STAFF, 3),
    ("Văn phòng Sở", Role.UNIT_LEAD, 1),
    ("Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng", Role.STAFF, 3),
    ("Trung tâm Chuyên đổi số và Đổi mới sáng tạo", Role.STAFF, 2),
    ("Phòng Bưu chính viễn thông và CDS", Role.STAFF, 2),
    (None, Role.MONITOR, 1),
    (None, Role.ADMIN, 1),
]
CLEAR = [
    "đã trình lãnh đạo Sở, đạt 80%",
    "xong rồi",
    "đã ban hành kế hoạch số 12/KH-SKHCN",
    "dang lam 50%",
    "được 7/10 lớp",
    "vướng kinh phí",
    "chưa có hướng dẫn của Bộ nên chưa triển khai",
    "chưa bắt đầu",
    "Hoàn thành 70%",
    "đang xin ý kiến các phòng, đạt 60 phần trăm",
    "da xong, da gui bao cao",
    "vuong thu tuc, cho so tai chinh",
]
UNCLEAR = ["để em hỏi lại chị Mai", "ok anh", "em sẽ báo cáo sau", "Dạ em nhận được rồi ạ"]
# kind → weight (per 100 messages)
MIX = {
    "reply": 34,
    "plain": 18,
    "tasks": 14,
    "button": 14,
    "unclear": 8,
    "edit": 4,
    "task": 3,
    "undo": 3,
    "whoami": 2,
}


@dataclass
class Person:
    user_id: str
    name: str
    prompts: list[str] = field(default_factory=list)  # message ids of reminders in their chat
    buttons: list[Button] = field(default_factory=list)  # on the bot's newest answer to them
    said: list[str] = field(default_factory=list)  # message ids of their replies


@dataclass
class Bench:
    engine: Engine
    now: datetime = START
    ids: int = 1000
    people: list[Person] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.conversation = Conversation(self.engine, tz=TZ, default_locale="vi", clock=lambda: self.now)

    def next_id(self) -> str:
        self.ids += 1
        return str(self.ids)

    def incoming(self, person: Person, text: str, **extra: object) -> Incoming:
        message = Incoming(
            platform=Platform.TELEGRAM,
            chat_id=person.user_id,
            chat_kind=ChatKind.PRIVATE,
            sender_id=person.user_id,
            sender_name=person.name,
            text=text,
            message_id=self.next_id(),
            at=self.now,
        )
        return replace(message, **extra)  # type: ignore[arg-type]

    def setup(self) -> None:
        with session_scope(self.engine) as session:
            import_plan(
                session,
                read_plan(bundled_plan_path()),
                PlanOverrides(),
                actor="bench",
                now=self.now,
                accept_obligations=True,
            )
        number = 0
        for unit, role, count in PEOPLE:
            for _ in range(count):
                number += 1
                with session_scope(self.engine) as session:
                    code = create_invite(
                        session,
                        unit_name=unit,
                        role=role,
                        uses=1,
                        valid_for=timedelta(days=14),
                        actor="bench",
                        now=self.now,
                    ).code
                person = Person(user_id=str(500_000 + number), name=f"Cán bộ {number}")
                answer = self.conversation.handle(self.incoming(person, f"/start {code}"))
                assert answer[0].text.startswith("Chào mừng"), answer
                self.people.append(person)
        self.remind_everyone()

    def remind_everyone(self) -> int:
        """A reminder for each member's units' occurrences due in the next quarter (what the dispatcher sends)."""
        sent = 0
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(PlatformAccount.user_id, Membership.member_id, Occurrence.id)
                .join(Membership, col(Membership.member_id) == col(PlatformAccount.member_id))
                .join(TaskUnit, col(TaskUnit.unit_id) == col(Membership.unit_id))
                .join(Occurrence, col(Occurrence.task_id) == col(TaskUnit.task_id))
                .where(Occurrence.due >= self.now.date(), Occurrence.due <= (self.now + timedelta(days=120)).date())
                .order_by(col(Membership.member_id), col(Occurrence.due))
            ).all()
        by_user = {person.user_id: person for person in self.people}
        for user_id, member_id, occurrence_id in rows:
            person = by_user[user_id]
            assert occurrence_id is not None
            with session_scope(self.engine) as session:
                row = queue_reminder(
                    session,
                    key=f"bench:{user_id}:{occurrence_id}",
                    occurrence_ids=[occurrence_id],
                    member_id=member_id,
                    platform=Platform.TELEGRAM,
                    chat_id=person.user_id,
                    now=self.now,
                    locale="vi",
                )
            message_id = self.next_id()
            assert mark_sent(self.engine, row, platform_message_id=message_id, now=self.now)
            person.prompts.append(message_id)
            sent += 1
        return sent

    def message(self, rng: random.Random, kind: str) -> tuple[Person, Incoming]:
        person = rng.choice(self.people)
        if kind in ("reply", "unclear") and person.prompts:
            text = rng.choice(CLEAR if kind == "reply" else UNCLEAR)
            return person, self.incoming(person, text, reply_to_message_id=rng.choice(person.prompts))
        if kind == "button" and person.buttons:
            return person, self.incoming(person, "", payload=rng.choice(person.buttons).payload)
        if kind == "edit" and person.said:
            return person, self.incoming(
                person, rng.choice(CLEAR), message_id=rng.choice(person.said[-5:]), edited=True
            )
        if kind == "tasks":
            return person, self.incoming(person, "/tasks")
        if kind == "task":
            return person, self.incoming(person, f"/task {rng.choice(['II.3', 'I.1', 'IV.1', 'V.2', 'BC.1'])}")
        if kind == "undo":
            return person, self.incoming(person, "/undo")
        if kind == "whoami":
            return person, self.incoming(person, "/whoami")
        return person, self.incoming(person, rng.choice(CLEAR))  # a plain reply, not quoting anything

    def run(self, count: int, seed: int) -> tuple[list[float], float, float, list[str]]:
        rng = random.Random(seed)
        kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=count)
        latencies: list[float] = []
        seen: list[str] = []
        started, cpu_started = time.perf_counter(), time.process_time()
        for index, kind in enumerate(kinds):
            self.now = START + timedelta(seconds=20 * index)  # a message every 20 s: about two working days
            person, incoming = self.message(rng, kind)
            before = time.perf_counter()
            answers = self.conversation.handle(incoming)
            latencies.append(time.perf_counter() - before)
            seen.append(kind)
            buttons = [button for out in answers for row in out.buttons for button in row]
            if buttons:
                person.buttons = buttons
            if incoming.payload is None and not incoming.edited and not incoming.text.startswith("/"):
                person.said.append(incoming.message_id)
        return latencies, time.perf_counter() - started, time.process_time() - cpu_started, seen


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--seed", type=int, default=40)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the timed loop")
    parser.add_argument(
        "--synchronous",
        choices=["default", "normal", "full"],
        default="default",
        help="SQLite's PRAGMA synchronous for this run (default: what models/db.py sets)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(args.db or f"sqlite:///{tmp}/bench.db")
        if args.synchronous != "default" and engine.dialect.name == "sqlite":
            mode = args.synchronous.upper()
            event.listen(
                engine, "connect", lambda connection, _record: connection.execute(f"PRAGMA synchronous={mode}")
            )
        db.upgrade(engine)
        bench = Bench(engine)
        started = time.perf_counter()
        bench.setup()
        print(
            f"scene: {len(bench.people)} members, {sum(len(p.prompts) for p in bench.people)} reminders, "
            f"{time.perf_counter() - started:.2f} s to set up"
        )
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()
        latencies, seconds, cpu_seconds, seen = bench.run(args.messages, args.seed)
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        engine.dispose()

    ms = [value * 1000 for value in latencies]
    by_kind: dict[str, list[float]] = {}
    for kind, value in zip(seen, ms, strict=True):
        by_kind.setdefault(kind, []).append(value)
    print("mix (count, mean ms): " + ", ".join(f"{k}={len(v)} {statistics.fmean(v):.2f}" for k, v in by_kind.items()))
    print(
        f"latency ms: mean={statistics.fmean(ms):.2f} p50={percentile(ms, 0.50):.2f} "
        f"p95={percentile(ms, 0.95):.2f} p99={percentile(ms, 0.99):.2f} max={max(ms):.2f}"
    )
    # CPU seconds leave out waiting for the disk and for other processes on a busy machine.
    print(f"seconds={seconds:.2f} cpu_seconds={cpu_seconds:.2f} per_cpu_second={len(ms) / cpu_seconds:.0f}")
    print(f"replies: messages={len(ms)} per_second={len(ms) / seconds:.0f} p99_ms={percentile(ms, 0.99):.2f}")


if __name__ == "__main__":
    main()

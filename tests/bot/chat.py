"""A small script language for conversation tests: people say things, the bot answers.

    chat = Chat(engine)                       # the bundled Quảng Ngãi plan, 01/12/2025 09:00 in Hà Nội time
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    reminder = chat.remind(lan, "II.3")       # the bot reminds Lan of II.3, as the reminders do
    assert chat.say(lan, "đã trình lãnh đạo Sở, đạt 80%", reply_to=reminder) == [
        "Đã ghi nhận: II.3 — đang thực hiện, 80 %."
    ]
    chat.press(lan, "↩️ Hoàn tác")            # a button of the bot's last message in that chat

Everything goes through `Conversation.handle` exactly as a transport would call it: each incoming message
gets a fresh message id, each message the bot sends gets one too. Reminders take production's path: the
text and buttons of `scheduler/reminders/text.py` in an outbox row, marked sent as the dispatcher marks
it, so a later reply to it finds its occurrence. The clock is the chat's, moved by the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.conversation import Conversation
from bot.work import task_units
from domain.invites import create_invite
from domain.messages import ChatKind, Incoming, Keyboard, Outgoing, Platform
from domain.people import load_person
from domain.replies import create_prompt
from importer.read import read_plan
from importer.store import PlanOverrides, import_plan
from models import AuditLog, Member, Occurrence, OutboxMessage, ProgressReport, ReminderKind, Role, Task, UnitRole
from models.db import session_scope
from nhacviec.bundled import bundled_plan_path
from scheduler.delivery.outbox import buttons_from_json, enqueue, mark_sent
from scheduler.reminders.policy import Audience
from scheduler.reminders.text import ReminderItem, render_reminders
from scheduler.timing.periods import period_label
from scheduler.timing.planning import period_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 01/12/2025, nine in the morning: a month before the Quý IV/2025 deadlines.
START = datetime(2025, 12, 1, 9, 0, tzinfo=TZ)

# The units of the bundled plan, as the plan names them.
QLTDC = "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"  # leads almost everything
VAN_PHONG = "Văn phòng Sở"
TRUNG_TAM_KT = "Trung tâm Kỹ thuật Tiêu chuẩn đo lường chất lượng"
CDS = "Trung tâm Chuyên đổi số và Đổi mới sáng tạo"
BUU_CHINH = "Phòng Bưu chính viễn thông và CDS"


@dataclass
class User:
    """A person on one chat platform; `chat_id` is their private chat with the bot."""

    name: str
    user_id: str
    platform: Platform
    chat_id: str


@dataclass(frozen=True)
class Group:
    title: str
    chat_id: str
    platform: Platform = Platform.TELEGRAM


@dataclass(frozen=True)
class Sent:
    """A message as it appears in a chat, with the id the platform gave it."""

    message_id: str
    chat_id: str
    text: str
    buttons: Keyboard = ()
    from_bot: bool = True
    choices_in_text: bool = False

    @property
    def labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]


@dataclass(frozen=True)
class Report:
    task: str
    due: date
    status: str | None
    percent: int | None
    reason: str | None
    note: str
    withdrawn: bool = False


@dataclass
class Chat:
    engine: Engine
    now: datetime = START
    with_plan: bool = True
    conversation: Conversation = field(init=False)
    answers: list[Outgoing] = field(init=False, default_factory=list)  # the bot's answers to the last message
    history: dict[str, list[Sent]] = field(init=False, default_factory=dict)  # chat id → messages, oldest first
    _ids: itertools.count[int] = field(init=False, default_factory=lambda: itertools.count(1001))
    _users: itertools.count[int] = field(init=False, default_factory=lambda: itertools.count(7001))

    def __post_init__(self) -> None:
        self.conversation = Conversation(self.engine, tz=TZ, default_locale="vi", clock=lambda: self.now)
        if self.with_plan:
            self.import_plan()

    # ---- setting the scene --------------------------------------------------------------------------

    def import_plan(self) -> None:
        document = read_plan(bundled_plan_path())
        with session_scope(self.engine) as session:
            import_plan(session, document, PlanOverrides(), actor="test", now=self.now, accept_obligations=True)

    def invite(
        self, role: Role, unit: str | None = None, *, uses: int = 1, valid_for: timedelta | None = timedelta(days=14)
    ) -> str:
        with session_scope(self.engine) as session:
            created = create_invite(
                session, unit_name=unit, role=role, uses=uses, valid_for=valid_for, actor="test", now=self.now
            )
        return created.code

    def person(self, name: str, platform: Platform = Platform.TELEGRAM) -> User:
        """Somebody who has not joined (yet)."""
        number = next(self._users)
        return User(name=name, user_id=str(number), platform=platform, chat_id=str(number))

    def member(self, name: str, role: Role, unit: str | None = None, *, platform: Platform = Platform.TELEGRAM) -> User:
        """Somebody who joined with a fresh invite code for `role` in `unit`."""
        user = self.person(name, platform)
        answer = self.say(user, "/start " + self.invite(role, unit))
        assert answer[0].startswith("Chào mừng"), answer
        return user

    def group(self, title: str, platform: Platform = Platform.TELEGRAM) -> Group:
        return Group(title=title, chat_id=f"-100{next(self._users)}", platform=platform)

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def on(self, day: date, hour: int = 9) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)

    def occurrence(self, code: str, due: date | None = None, *, checkin: bool = False) -> int:
        """The id of task `code`'s occurrence (its first deadline, or the one due on `due`)."""
        with session_scope(self.engine) as session:
            query = (
                select(Occurrence.id)
                .join(Task, col(Task.id) == col(Occurrence.task_id))
                .where(Task.code == code, Occurrence.checkin == checkin)
                .order_by(col(Occurrence.due))
            )
            if due is not None:
                query = query.where(Occurrence.due == due)
            found = session.exec(query).first()
        assert found is not None, f"no occurrence of {code} due {due}"
        return found

    def reports(self) -> list[Report]:
        """Every progress report stored, oldest first."""
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(ProgressReport, Occurrence, Task)
                .join(Occurrence, col(Occurrence.id) == col(ProgressReport.occurrence_id))
                .join(Task, col(Task.id) == col(Occurrence.task_id))
                .order_by(col(ProgressReport.id))
            ).all()
            return [
                Report(
                    task.code,
                    occurrence.due,
                    report.status,
                    report.percent,
                    report.reason,
                    report.note,
                    report.withdrawn_at is not None,
                )
                for report, occurrence, task in rows
            ]

    def audit(self) -> list[tuple[str, str, str]]:
        """(actor, action, entity) of every audit row, oldest first."""
        with session_scope(self.engine) as session:
            return [(a.actor, a.action, a.entity) for a in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]

    # ---- talking ------------------------------------------------------------------------------------

    def remind(self, to: User | Group, code: str, due: date | None = None, *, checkin: bool = False) -> Sent:
        """The bot reminds a person in their private chat, or a group, of task `code` (its first deadline,
        or the one due on `due`), as the reminders do: queued, sent and acknowledged."""
        return self.deliver_queued(self.queue_reminder(to, code, due=due, checkin=checkin))

    def remind_together(self, to: User | Group, *codes: str) -> Sent:
        """One reminder about several tasks, as the reminder planner sends a morning's digest."""
        return self.deliver_queued(self.queue_reminder(to, *codes))

    def queue_reminder(self, to: User | Group, *codes: str, due: date | None = None, checkin: bool = False) -> str:
        """A reminder as the planner queues it, not sent yet (see `queue_reminder`); its key."""
        member_id = self.member_id(to) if isinstance(to, User) else None
        occurrence_ids = [self.occurrence(code, due, checkin=checkin) for code in codes]
        key = f"reminder:{to.chat_id}:{'+'.join(codes)}:{self.now.isoformat()}"
        with session_scope(self.engine) as session:
            member = session.get(Member, member_id) if member_id is not None else None
            queue_reminder(
                session,
                key=key,
                occurrence_ids=occurrence_ids,
                member_id=member_id,
                platform=to.platform,
                chat_id=to.chat_id,
                chat_kind=ChatKind.GROUP if isinstance(to, Group) else ChatKind.PRIVATE,
                now=self.now,
                locale=member.language if member is not None else "vi",
                checkin=checkin,
            )
        return key

    def deliver_queued(self, key: str) -> Sent:
        """The dispatcher sends that row now: the platform gives the message an id and the row is marked sent."""
        with session_scope(self.engine) as session:
            message = session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
        sent = Sent(str(next(self._ids)), message.chat_id, message.text, buttons_from_json(message.buttons))
        assert mark_sent(self.engine, message, platform_message_id=sent.message_id, now=self.now)
        self.history.setdefault(message.chat_id, []).append(sent)
        return sent

    def say(
        self, user: User, text: str, *, reply_to: Sent | None = None, group: Group | None = None, addressed: bool = True
    ) -> list[str]:
        """`user` writes `text` in their private chat (or in `group`); the bot's answers, as texts."""
        return self._send(user, text=text, reply_to=reply_to, group=group, addressed=addressed)

    def press(self, user: User, button: str, *, group: Group | None = None) -> list[str]:
        """`user` presses the button labelled (or with the payload) `button` on the bot's newest message
        in the chat that has it."""
        chat_id = group.chat_id if group else user.chat_id
        for sent in reversed(self.history.get(chat_id, [])):
            for row in sent.buttons:
                for candidate in row:
                    if button in (candidate.label, candidate.payload):
                        return self._send(
                            user,
                            text="",
                            payload=candidate.payload,
                            group=group,
                            message_id=sent.message_id,
                            keyboard=sent.buttons,
                        )
        raise AssertionError(f"no button {button!r} in chat {chat_id}")

    def press_payload(self, user: User, payload: str, *, group: Group | None = None) -> list[str]:
        """A button press with any payload, as a forged or stale callback would arrive."""
        return self._send(user, text="", payload=payload, group=group)

    def edit(self, user: User, text: str, *, message: Sent | None = None) -> list[str]:
        """`user` edits their message (by default their newest one in the private chat) to `text`."""
        if message is None:
            message = next(m for m in reversed(self.history.get(user.chat_id, [])) if not m.from_bot)
        return self._send(user, text=text, message_id=message.message_id, edited=True)

    def incoming(
        self,
        user: User,
        text: str,
        *,
        group: Group | None = None,
        payload: str | None = None,
        reply_to: Sent | None = None,
    ) -> Incoming:
        return Incoming(
            platform=group.platform if group else user.platform,
            chat_id=group.chat_id if group else user.chat_id,
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
            sender_id=user.user_id,
            sender_name=user.name,
            text=text,
            message_id=str(next(self._ids)),
            at=self.now,
            reply_to_message_id=reply_to.message_id if reply_to else None,
            payload=payload,
        )

    def last(self, user: User) -> Sent:
        """The bot's newest message in `user`'s private chat."""
        return next(m for m in reversed(self.history[user.chat_id]) if m.from_bot)

    def member_id(self, user: User) -> int | None:
        with session_scope(self.engine) as session:
            person = load_person(session, user.platform, user.user_id)
        return person.member_id if person else None

    # ---- plumbing -----------------------------------------------------------------------------------

    def _send(
        self,
        user: User,
        *,
        text: str,
        reply_to: Sent | None = None,
        group: Group | None = None,
        payload: str | None = None,
        addressed: bool = True,
        message_id: str | None = None,
        edited: bool = False,
        keyboard: Keyboard = (),
    ) -> list[str]:
        incoming = self.incoming(user, text, group=group, payload=payload, reply_to=reply_to)
        incoming = replace(incoming, addressed_to_bot=addressed, edited=edited, keyboard=keyboard)
        if message_id is not None:
            incoming = replace(incoming, message_id=message_id)
        if payload is None and not edited:
            self.history.setdefault(incoming.chat_id, []).append(
                Sent(incoming.message_id, incoming.chat_id, text, from_bot=False)
            )
        self.answers = self.conversation.handle(incoming)
        for out in self.answers:
            assert out.chat_id == incoming.chat_id, "the core answers in the chat it was asked in"
        return [sent.text for sent in self._deliver(*self.answers)]

    def _deliver(self, *answers: Outgoing) -> list[Sent]:
        """What a transport does: send, and note the platform's message id."""
        delivered = []
        for out in answers:
            if out.edit_message_id is not None:
                # New buttons for a message already in the chat: it keeps its id and text.
                history = self.history[out.chat_id]
                index = next(i for i, m in enumerate(history) if m.message_id == out.edit_message_id)
                history[index] = replace(history[index], buttons=out.buttons)
                delivered.append(history[index])
                continue
            sent = Sent(str(next(self._ids)), out.chat_id, out.text, out.buttons, choices_in_text=out.choices_in_text)
            self.history.setdefault(out.chat_id, []).append(sent)
            delivered.append(sent)
        return delivered


def queue_reminder(
    session: Session,
    *,
    key: str,
    occurrence_ids: Sequence[int],
    member_id: int | None,
    platform: Platform,
    chat_id: str,
    now: datetime,
    locale: str,
    chat_kind: ChatKind = ChatKind.PRIVATE,
    checkin: bool = False,
) -> OutboxMessage:
    """A reminder as the planner queues it: a prompt per occurrence and one outbox row with the text and
    buttons production renders (scheduler/reminders/text.py: one task's reminder with its three status
    buttons, a digest for several), in `locale`.

    Each task is the lead unit's deadline reminder (overdue once past, a check-in with `checkin`),
    whoever reads it: the tests pin what a reply to a reminder does, not who gets which."""
    today = now.astimezone(TZ).date()
    items = []
    for occurrence_id in occurrence_ids:
        prompt = create_prompt(
            session, occurrence_id=occurrence_id, member_id=member_id, platform=platform.value, chat_id=chat_id, now=now
        )
        occurrence, task = session.exec(
            select(Occurrence, Task)
            .join(Task, col(Task.id) == col(Occurrence.task_id))
            .where(Occurrence.id == occurrence_id)
        ).one()
        assert task.id is not None
        period = period_of(occurrence.period_kind, occurrence.period_year, occurrence.period_index, occurrence.due)
        items.append(
            ReminderItem(
                occurrence_id=occurrence_id,
                kind=ReminderKind.CHECKIN
                if checkin
                else ReminderKind.OVERDUE
                if occurrence.due < today
                else ReminderKind.LEAD,
                audience=Audience.UNIT,
                task_code=task.code,
                content=task.content,
                due=occurrence.due,
                lead_units=tuple(task_units(session, task.id).get(UnitRole.LEAD, [])),
                period=period_label(period, locale) if checkin else None,
                prompt_id=prompt.id,
            )
        )
    rendered = render_reminders(items, send_day=today, locale=locale)
    prompt_ids = [item.prompt_id for item in items]
    reason: dict[str, object] = {"prompt_ids": prompt_ids}
    if len(items) == 1:
        reason["prompt_id"] = prompt_ids[0]  # one task: a reply to the sent message answers it
    return enqueue(
        session,
        key=key,
        platform=platform.value,
        chat_id=chat_id,
        chat_kind=chat_kind,
        text=rendered.text,
        due_at=now,
        now=now,
        buttons=rendered.buttons,
        member_id=member_id,
        reason=reason,
    ).message

"""The conversation core: an `Incoming` in, the `Outgoing` messages out. No platform, no network.

Each message is handled in one database transaction, so a failure changes nothing. What the bot says
goes through gettext in the person's language, as the neutral markup (domain/markup.py): what people
wrote is escaped before it is shown. Each platform renders and, when long, splits the answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.choice_numbers import typed_number
from bot.work import (
    TaskReport,
    WorkItem,
    latest_reports,
    open_deadlines,
    open_work,
    task_by_code,
    units_of_task,
)
from domain import accounts, invites, replies
from domain.dates import day_with_weekday, short_day
from domain.markup import escape as esc
from domain.messages import Attachment, Button, ChatKind, Incoming, Keyboard, Outgoing, Platform
from domain.payloads import Choice, ChoiceKind, decode, encode
from domain.people import Person, greet, load_person, memberships_with_units, set_language, set_pause
from domain.permissions import CHOICE_COMMANDS, Audience, Command, allowed, sees_whole_plan
from domain.progress_language import ProgressReading, ProgressStatus, parse_progress
from domain.render import MESSAGE_LIMITS, due_phrase
from domain.status import BLOCKED_ICON, STATE_ICONS, STATE_WORDS, OccurrenceState
from domain.status_buttons import STATUS_LABELS, digest_buttons
from locales import N_
from locales.catalogs import SUPPORTED, Translate, translator
from models import (
    LinkCode,
    ReportStatus,
    Role,
    UnitRole,
    questions,
)
from models.accounts import MemberAccounts
from models.db import session_scope
from models.errors import UserFacingError
from models.registry import Plan
from reports.summary_chat import summary_files, summary_reply
from reports.summary_facts import RegistryCache
from reports.summary_text import CONTRIBUTION_WORDS, contribution_words, status_words, units_done_words
from scheduler.timing.events import record_event
from scheduler.timing.periods import period_label
from scheduler.timing.planning import period_of

Clock = Callable[[], datetime]

# Command names are Latin; letters with diacritics are read too, so "/kênh" is /kenh.
COMMAND = re.compile(r"^/([^\W\d]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)
# Other names people type for a command: the English ones of the Vietnamese commands.
ALIASES = {"link": Command.LINK, "channel": Command.CHANNEL}
SPAN = re.compile(r"^(\d{1,4})\s*(d|ngày|ngay|w|tuần|tuan|m|tháng|thang)?$", re.IGNORECASE)
SPAN_DAYS = {"d": 1, "ngày": 1, "ngay": 1, "w": 7, "tuần": 7, "tuan": 7, "m": 30, "tháng": 30, "thang": 30}
# Punctuation found in periods ("quý 4/2025", "2026-2028") and unit names ("KH&CN", "Phòng Bưu chính, CDS").
PLAIN_PUNCTUATION = frozenset("/-–.,;:()&'’\"“”#")
# How many lines /tasks lists before saying "and N more" (the rest is in the summary files).
TASKS_SHOWN = 30
REPORTS_SHOWN = 3
DEADLINES_SHOWN = 3

ROLE_WORDS = {
    Role.STAFF: N_("staff"),
    Role.UNIT_LEAD: N_("unit lead"),
    Role.MONITOR: N_("monitor"),
    Role.ADMIN: N_("administrator"),
}
# /help's line for each command it lists in order, shown only where the permission table allows it.
HELP_LINES: tuple[tuple[Command, str], ...] = (
    (Command.TASKS, N_("/tasks — your units' open tasks")),
    (Command.TASK, N_("/task II.3 — one task in detail")),
    (Command.UNDO, N_("/undo — withdraw your last report")),
    (Command.PAUSE, N_("/pause 2026-12-15 — no reminders until that day; /resume — reminders again")),
    (Command.LANG, N_("/lang vi or /lang en — language")),
    (Command.CHANNEL, N_("/kenh zalo or /kenh telegram — where your reminders arrive")),
    (Command.LINK, N_("/lienket — link your Telegram and Zalo accounts")),
    (Command.WHOAMI, N_("/whoami — your units and roles")),
)
# What /summary gives each audience: staff the short version with no files (as summary_chat decides).
SUMMARY_HELP = {
    Audience.STAFF: N_("/summary [2026 | quý 4/2025] — where your unit stands, in short"),
    Audience.UNIT_LEAD: N_("/summary [2026 | quý 4/2025] — where the units you lead stand, with report files"),
    Audience.MONITOR: N_("/summary [2026 | quý 4/2025 | unit] — where the plan stands, with report files"),
    Audience.ADMIN: N_("/summary [2026 | quý 4/2025 | unit] — where the plan stands, with report files"),
}
REPORT_WORDS = {
    ReportStatus.DONE: N_("done"),
    ReportStatus.IN_PROGRESS: N_("in progress"),
    ReportStatus.BLOCKED: N_("blocked"),
    ReportStatus.NOT_STARTED: N_("not started"),
}


@dataclass(frozen=True)
class Turn:
    """What one message needs to be answered: who, in which language, and when."""

    incoming: Incoming
    person: Person | None
    _: Translate
    locale: str
    now: datetime
    today: date

    def answer(self, text: str, buttons: Keyboard = (), *, choices_in_text: bool = False) -> Outgoing:
        return Outgoing(
            chat_id=self.incoming.chat_id,
            text=text,
            buttons=buttons,
            reply_to_message_id=self.incoming.message_id,
            choices_in_text=choices_in_text,
        )


class Conversation:
    def __init__(
        self,
        engine: Engine,
        *,
        tz: ZoneInfo,
        default_locale: str,
        clock: Clock,
        message_limits: Mapping[Platform, int] = MESSAGE_LIMITS,
        registry: RegistryCache | None = None,
        on_report: Callable[[], None] | None = None,
        question_lifetime: timedelta = questions.QUESTION_LIFETIME,
    ) -> None:
        self.engine = engine
        # How long a message's choices can be picked by typing their number (see models/questions.py).
        self.question_lifetime = question_lifetime
        # Called once a turn that recorded, changed or withdrew a report is committed: the reminder
        # planner's wake-up, so that a blocker reaches the monitor now, not at the next planned step.
        self.on_report = on_report
        # Keeps the registry facts between /summary answers (None: read them each time).
        self.registry = registry
        self.tz = tz
        self.default_locale = default_locale
        self.clock = clock
        # Characters per message on each platform: how long a /summary answer is written (the
        # platform's renderer splits any longer message).
        self.message_limits = message_limits

    # ---- entry points ------------------------------------------------------------------------------

    def handle(self, incoming: Incoming) -> list[Outgoing]:
        with session_scope(self.engine) as session:
            answers = self._handle(session, incoming)
            # The transport sends the answers right away: one offering choices is the chat's open question.
            for out in answers:
                self._offer(session, incoming.platform, out)
            reported = replies.reports_changed(session)
        if reported and self.on_report is not None:
            self.on_report()
        return answers

    def _offer(self, session: Session, platform: Platform, out: Outgoing) -> None:
        """Keeps the choices `out` offers, in order, as its chat's open question (buttons edited in place
        are the same message offering new choices)."""
        if out.buttons:
            questions.offer(
                session,
                platform=platform.value,
                chat_id=out.chat_id,
                # Link buttons are not choices: only payloads can be picked by their number.
                rows=[[(b.label, b.payload) for b in row if b.payload is not None] for row in out.buttons],
                now=self.clock(),
                message_id=out.edit_message_id,
            )

    # ---- dispatch ----------------------------------------------------------------------------------

    def _handle(self, session: Session, incoming: Incoming) -> list[Outgoing]:
        person = load_person(session, incoming.platform, incoming.sender_id)
        locale = person.language if person else self.default_locale
        now = self.clock()
        turn = Turn(incoming, person, translator(locale), locale, now, now.astimezone(self.tz).date())
        text = incoming.text.strip()
        match = COMMAND.match(text) if incoming.payload is None else None
        if match is not None:
            return self._command(session, turn, match.group(1).lower(), (match.group(2) or "").strip())
        if incoming.payload is None and incoming.chat_kind == ChatKind.GROUP and not incoming.addressed_to_bot:
            return []  # group talk that is not for the bot
        if incoming.payload is None and incoming.chat_kind == ChatKind.PRIVATE and not incoming.edited:
            by_code = self._plain_code(session, turn, text)
            if by_code is not None:
                return by_code
        if person is None:
            return [turn.answer(self._guest_text(turn._))]
        if incoming.payload is None and not incoming.edited:
            typed = self._typed_choice(session, turn, text)
            if isinstance(typed, Outgoing):
                return [typed]
            turn = typed
        if turn.incoming.payload is not None:
            return self._taken(session, turn, person)
        # Replies are the REPORT row of the permission table.
        if not allowed(Command.REPORT, person.audience, incoming.chat_kind):
            return [turn.answer(turn._("Sorry, you cannot report progress in this chat."))]
        return self._reply(session, turn, person)

    def _typed_choice(self, session: Session, turn: Turn, text: str) -> Turn | Outgoing:
        """A number typed while the chat has an open question is the press of that choice (the turn comes
        back carrying its payload); out of range, the valid range. Otherwise the turn as it was: a bare
        number with no open question is a message like any other."""
        number = typed_number(text)
        if number is None:
            return turn
        incoming = turn.incoming
        question = questions.newest_open(
            session,
            platform=incoming.platform.value,
            chat_id=incoming.chat_id,
            now=turn.now,
            lifetime=self.question_lifetime,
        )
        if question is None:
            return turn
        if not 1 <= number <= len(question.choices):
            return turn.answer(self._number_range(turn._, len(question.choices)))
        return replace(turn, incoming=_pressed(incoming, question, number))

    def _taken(self, session: Session, turn: Turn, person: Person) -> list[Outgoing]:
        """A choice pressed or typed. Once taken (a report recorded, changed or withdrawn, a file sent) the
        question that offered it is answered and closes; a refusal ("only members of the units in
        charge…") leaves it open for whoever it is for."""
        incoming = turn.incoming
        assert incoming.payload is not None
        answers = self._button(session, turn, person, incoming.payload)
        if replies.reports_changed(session) or any(out.attachment is not None for out in answers):
            questions.close_offering(
                session,
                platform=incoming.platform.value,
                chat_id=incoming.chat_id,
                payload=incoming.payload,
                now=turn.now,
            )
        return answers

    def _command(self, session: Session, turn: Turn, name: str, args: str) -> list[Outgoing]:
        _ = turn._
        try:
            command = ALIASES.get(_folded(name)) or Command(_folded(name))
        except ValueError:
            return [self._unknown_command(turn, name)]
        if command in (Command.REPORT, Command.SUMMARY_FILES):  # rows for replies and buttons, not typed
            return [self._unknown_command(turn, name)]
        audience = turn.person.audience if turn.person else Audience.GUEST
        if not allowed(command, audience, turn.incoming.chat_kind):
            if turn.person is None and command != Command.BIND:
                return [turn.answer(self._guest_text(_))]
            if allowed(command, audience, ChatKind.PRIVATE):
                return [turn.answer(_("Please send /{command} to me in a private chat.").format(command=name))]
            if command == Command.BIND and turn.incoming.chat_kind == ChatKind.PRIVATE:
                return [turn.answer(_("/bind is for group chats: add me to your unit's group and send it there."))]
            return [turn.answer(_("Sorry, you cannot use /{command}.").format(command=name))]
        handlers: dict[Command, Callable[[Session, Turn, str], list[Outgoing]]] = {
            Command.START: self._start,
            Command.HELP: lambda s, t, a: [t.answer(self._help_text(t))],
            Command.TASKS: self._tasks,
            Command.TASK: self._task,
            Command.UNDO: self._undo,
            Command.PAUSE: self._pause,
            Command.RESUME: self._resume,
            Command.LANG: self._lang,
            Command.WHOAMI: self._whoami,
            Command.SUMMARY: self._summary,
            Command.EVENT: self._event,
            Command.BIND: self._bind,
            Command.LINK: self._link,
            Command.CHANNEL: self._channel,
        }
        return handlers[command](session, turn, args)

    # ---- texts used in several places --------------------------------------------------------------

    def _guest_text(self, _: Translate) -> str:
        return _(
            "Hello! I am nhacviec, the reminder bot for the plan's tasks: I remind units of their deadlines "
            "and take short progress replies. To use me, ask the administrator for an invite code, then send "
            "/start CODE."
        )

    def _help_text(self, turn: Turn) -> str:
        """The commands this person may use in this chat, as the permission table says, and nothing more."""
        _ = turn._
        if turn.person is None:
            return (
                self._guest_text(_)
                + "\n\n"
                + _("/start CODE — join with an invite code from the administrator")
                + "\n"
                + _("/lienket CODE — link this account to the one you already use with me")
            )
        audience, kind = turn.person.audience, turn.incoming.chat_kind
        lines = [
            _("I remind your unit of its deadlines and take your progress replies."),
            _("Reply to a reminder in a few words, e.g. «đã trình dự thảo, đạt 70%» or «vướng kinh phí»."),
            "",
        ]
        for command, line in HELP_LINES:
            if allowed(command, audience, kind):
                lines.append(_(line))
        if allowed(Command.SUMMARY, audience, kind):
            lines.append(_(SUMMARY_HELP[audience]))
        if allowed(Command.EVENT, audience, kind):
            lines.append(_("/event III.3,VI.1 2026-03-02 90d Description — record an outside event"))
        if allowed(Command.BIND, audience, kind):
            lines.append(_("/bind CODE — send reminders of a unit to this group (unit lead or admin)"))
        elif kind == ChatKind.PRIVATE and allowed(Command.BIND, audience, ChatKind.GROUP):
            lines.append(_("/bind CODE — in your unit's group chat: its reminders go to that group"))
        return "\n".join(lines)

    def _number_range(self, _: Translate, count: int) -> str:
        if count == 1:
            return _("Please reply 1.")
        return _("Please reply with a number from 1 to {count}.").format(count=count)

    def _unknown_command(self, turn: Turn, name: str) -> Outgoing:
        """Says the command does not exist before listing the ones this person may use."""
        unknown = turn._("There is no command /{command}.").format(command=esc(name))
        return turn.answer(unknown + "\n" + self._help_text(turn))

    def _status_labels(self, _: Translate) -> dict[ReportStatus, str]:
        return {status: _(label) for status, label, _icon in STATUS_LABELS}

    def _status_buttons(self, _: Translate, kind: ChoiceKind, row_id: int) -> Keyboard:
        labels = self._status_labels(_)
        return (tuple(Button(label, encode(Choice(kind, (row_id,), status))) for status, label in labels.items()),)

    def _report_words(
        self, _: Translate, report: replies.ReportFacts | ProgressReading, role: UnitRole | None = None
    ) -> str:
        """A coordinating unit's report is about its part: "đã xong phần phối hợp", not "đã hoàn thành"."""
        status = report.status
        if isinstance(status, ProgressStatus):
            status = None if status == ProgressStatus.UNCLEAR else ReportStatus(status.value)
        words = CONTRIBUTION_WORDS if role == UnitRole.COORDINATING else REPORT_WORDS
        return status_words(_, words, status, report.percent, report.reason, esc)

    # ---- joining ------------------------------------------------------------------------------------

    def _start(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        incoming = turn.incoming
        if not args:
            if turn.person is None:
                return [turn.answer(self._guest_text(_))]
            welcome = _("Welcome back, {name}!") if greet(session, turn.person, turn.now) else _("Welcome, {name}!")
            return [turn.answer(welcome.format(name=esc(turn.person.name)) + "\n" + self._help_text(turn))]
        if incoming.chat_kind == ChatKind.GROUP:
            return [turn.answer(_("To join, send /start CODE to me in a private chat; in a group use /bind CODE."))]
        code = args.split()[0]
        if invites.find_invite(session, code) is None:
            # A link code sent as people send invites (Zalo users type /start CODE too).
            link = accounts.find_link_code(session, code)
            if link is not None:
                return self._redeem(session, turn, link, code)
        return self._join(session, turn, code)

    def _join(self, session: Session, turn: Turn, code: str) -> list[Outgoing]:
        _ = turn._
        incoming = turn.incoming
        result = invites.join(
            session,
            code,
            platform=incoming.platform,
            user_id=incoming.sender_id,
            chat_id=incoming.chat_id,
            display_name=incoming.sender_name,
            language=turn.locale,
            now=turn.now,
        )
        if isinstance(result, invites.InviteProblem):
            return [turn.answer(self._invite_problem(_, result, code))]
        role = _(ROLE_WORDS[result.role])
        unit = esc(result.unit) if result.unit else _("the whole plan")
        if result.already:
            return [turn.answer(_("You are already in {unit} as {role}.").format(unit=unit, role=role))]
        welcome = _("Welcome, {name}! You joined {unit} as {role}.").format(
            name=esc(incoming.sender_name), unit=unit, role=role
        )
        return [
            turn.answer(welcome + "\n" + _("Send /tasks to see your tasks; reply to my reminders to report progress."))
        ]

    def _invite_problem(self, _: Translate, problem: invites.InviteProblem, code: str) -> str:
        texts = {
            invites.InviteProblem.UNKNOWN: _(
                "The code {code} is not valid. Please check it, or ask the administrator for a new one."
            ),
            invites.InviteProblem.USED_UP: _(
                "The code {code} has been used up. Please ask the administrator for a new one."
            ),
            invites.InviteProblem.EXPIRED: _(
                "The code {code} has expired. Please ask the administrator for a new one."
            ),
        }
        return texts[problem].format(code=esc(code))

    def _bind(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        assert turn.person is not None
        if not args:
            return [turn.answer(_("Send /bind CODE with the invite code of your unit."))]
        code = args.split()[0]
        result = invites.bind(
            session,
            code,
            person=turn.person,
            platform=turn.incoming.platform,
            chat_id=turn.incoming.chat_id,
            now=turn.now,
        )
        if isinstance(result, invites.InviteProblem):
            return [turn.answer(self._invite_problem(_, result, code))]
        if result == invites.BindRefusal.NO_UNIT:
            return [turn.answer(_("This code is not for a unit; a group can only be bound to a unit."))]
        if result == invites.BindRefusal.NOT_LEAD:
            return [turn.answer(_("Only the unit's lead or an administrator can bind a group to it."))]
        assert isinstance(result, invites.Bound)
        if result.already:
            return [
                turn.answer(_("This group already receives the reminders of {unit}.").format(unit=esc(result.unit)))
            ]
        return [turn.answer(_("This group now receives the reminders of {unit}.").format(unit=esc(result.unit)))]

    def _plain_code(self, session: Session, turn: Turn, text: str) -> list[Outgoing] | None:
        """A private message that is nothing but a code joins or links, as /start CODE or /lienket CODE
        would: Zalo has no deep links, so people send the code as text. A code that was used up or has
        expired is explained; any other text is ordinary text (None)."""
        link = accounts.find_link_code(session, text)
        if link is not None:
            return self._redeem(session, turn, link, text)
        if invites.find_invite(session, text) is not None:
            return self._join(session, turn, text)
        return None

    # ---- a second account, and where messages go ----------------------------------------------------

    def _link(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        minutes = int(accounts.LINK_VALID_FOR.total_seconds() // 60)
        if args:
            code = args.split()[0]
            link = accounts.find_link_code(session, code)
            if link is None:
                return [turn.answer(self._link_expired(turn, code))]
            return self._redeem(session, turn, link, code)
        if turn.person is None:
            return [
                turn.answer(
                    _(
                        "To link this account to the one you already use with me: send /lienket there, "
                        "then send me the code you get."
                    )
                )
            ]
        platform = turn.incoming.platform
        issued = accounts.issue_link_code(session, turn.person.member_id, platform, turn.now)
        others = ", ".join(accounts.platform_name(other) for other in Platform if other != platform)
        return [
            turn.answer(
                _("Your link code: {code} (one use, valid for {minutes} minutes).").format(
                    code=issued.code, minutes=minutes
                )
                + "\n"
                + _("On {platforms}, send this code to the bot in a private chat, or /lienket {code}.").format(
                    platforms=others, code=issued.code
                )
            )
        ]

    def _link_expired(self, turn: Turn, code: str) -> str:
        minutes = int(accounts.LINK_VALID_FOR.total_seconds() // 60)
        return turn._(
            "The link code {code} is not valid or has expired (a code works once, for {minutes} minutes). "
            "Send /lienket on the account you already use to get a new one."
        ).format(code=esc(code), minutes=minutes)

    def _redeem(self, session: Session, turn: Turn, link: LinkCode, code: str) -> list[Outgoing]:
        _ = turn._
        incoming = turn.incoming
        result = accounts.link_account(
            session,
            link,
            platform=incoming.platform,
            user_id=incoming.sender_id,
            chat_id=incoming.chat_id,
            now=turn.now,
        )
        name = accounts.platform_name(incoming.platform)
        if result == accounts.LinkProblem.EXPIRED:
            return [turn.answer(self._link_expired(turn, code))]
        if result == accounts.LinkProblem.SAME_MEMBER:
            return [turn.answer(_("This account is already linked to you."))]
        if result == accounts.LinkProblem.OTHER_MEMBER:
            return [
                turn.answer(
                    _(
                        "This account already belongs to another member, so it cannot be linked. "
                        "Please ask the administrator."
                    )
                )
            ]
        if result == accounts.LinkProblem.PLATFORM_TAKEN:
            return [
                turn.answer(
                    _(
                        "You already have a {platform} account linked, and only one per platform can be. "
                        "Please ask the administrator to change it."
                    ).format(platform=name)
                )
            ]
        assert isinstance(result, accounts.Linked)
        delivery = accounts.accounts_of(session, result.member_id).delivery
        linked = _("Linked: this {platform} account is now also {name}'s.").format(platform=name, name=esc(result.name))
        if delivery is None:
            return [turn.answer(linked)]
        where = _("Your reminders arrive on {platform}; change that with /kenh.").format(
            platform=accounts.platform_name(delivery.platform)
        )
        return [turn.answer(linked + "\n" + where)]

    def _channel(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        assert turn.person is not None
        member_id = turn.person.member_id
        if not args:
            return [turn.answer(self._channel_text(turn, accounts.accounts_of(session, member_id)))]
        typed = args.split()[0]
        result = accounts.set_channel(session, member_id, typed, turn.now)
        if result == accounts.ChannelProblem.UNKNOWN:
            return [
                turn.answer(
                    _("There is no channel «{name}». Choose one of: {options}, e.g. /kenh {example}.").format(
                        name=esc(typed),
                        options=", ".join(platform.value for platform in Platform),
                        example=Platform.ZALO.value,
                    )
                )
            ]
        if result == accounts.ChannelProblem.NO_ACCOUNT:
            name = accounts.platform_name(typed.strip().lower())
            return [
                turn.answer(
                    _(
                        "You have no {platform} account linked yet. Send /lienket here, then send the code "
                        "to the bot on {platform}."
                    ).format(platform=name)
                )
            ]
        assert isinstance(result, MemberAccounts)
        return [turn.answer(_("Saved.") + " " + self._channel_text(turn, result))]

    def _channel_text(self, turn: Turn, facts: MemberAccounts) -> str:
        """Where this person's messages go and why, their accounts, and how to change it."""
        _ = turn._
        delivery = facts.delivery
        lines = []
        if delivery is None:
            lines.append(_("I cannot write to any of your accounts now."))
        else:
            where = accounts.platform_name(delivery.platform)
            if facts.channel is None:
                lines.append(
                    _("Reminders reach you on {platform}, the account you joined or linked last.").format(
                        platform=where
                    )
                )
            elif facts.channel == delivery.platform:
                lines.append(_("Reminders reach you on {platform}, as you chose.").format(platform=where))
            else:
                lines.append(
                    _(
                        "You chose {chosen}, but I cannot write to you there (the bot is blocked or was never "
                        "started), so reminders reach you on {platform}."
                    ).format(chosen=accounts.platform_name(facts.channel), platform=where)
                )
        platforms = list(dict.fromkeys(account.platform for account in facts.accounts))
        lines.append(
            _("Your accounts: {platforms}.").format(platforms=", ".join(accounts.platform_name(p) for p in platforms))
        )
        if len(platforms) > 1:
            lines.append(
                _("Change: {commands}.").format(commands=", ".join(f"/kenh {platform}" for platform in platforms))
            )
        else:
            missing = [platform for platform in Platform if platform.value not in platforms]
            if missing:
                lines.append(
                    _("To get them on {platform} instead, link that account first: send /lienket.").format(
                        platform=accounts.platform_name(missing[0])
                    )
                )
        return "\n".join(lines)

    # ---- looking at work ----------------------------------------------------------------------------

    def _plan(self, session: Session) -> Plan | None:
        return replies.plan_of(session)

    def _tasks(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        assert turn.person is not None
        plan_id = replies.plan_id_of(session)
        if plan_id is None:
            return [turn.answer(_("No plan has been imported yet."))]
        whole = sees_whole_plan(turn.person.audience)
        items = open_work(session, plan_id, None, turn.today, self.tz, turn.person.unit_ids, of_units=not whole)
        if not items:
            return [turn.answer(_("Your units have no open tasks."))]
        header = (_("Open tasks of the plan ({count}):") if whole else _("Your units' open tasks ({count}):")).format(
            count=len(items)
        )
        # What every line shares is looked up once per answer, not per line: the line's pattern and state
        # words in the viewer's language, and each due date's phrase (tasks share their deadlines).
        pattern = _("{code} — {state} · {due}")
        words: dict[OccurrenceState | None, str] = {None: _("ongoing, check-in")}
        dues: dict[date, str] = {}
        lines = [header] + [self._item_line(turn, item, pattern, words, dues) for item in items[:TASKS_SHOWN]]
        if len(items) > TASKS_SHOWN:
            lines.append(_("… and {count} more.").format(count=len(items) - TASKS_SHOWN))
        lines.append(_("Details: /task CODE"))
        return [turn.answer("\n".join(lines))]

    def _item_line(
        self,
        turn: Turn,
        item: WorkItem,
        pattern: str,
        words: dict[OccurrenceState | None, str],
        dues: dict[date, str],
    ) -> str:
        """`pattern`: "{code} — {state} · {due}" in the viewer's language; `words` and `dues` the state
        words (None: a check-in's) and due phrases found so far, filled in as lines need more."""
        _ = turn._
        code = f"<b>{esc(item.task_code)}</b>"
        derived = item.state
        if derived is None:
            return "❔ " + _("{code} — needs a date").format(code=code)
        state = derived.state
        if state == OccurrenceState.WAITING_EVENT:
            return (
                STATE_ICONS[state]
                + " "
                + _("{code} — waiting for an event: {event}").format(code=code, event=esc(item.event or ""))
            )
        due = item.due
        assert due is not None
        icon = BLOCKED_ICON if derived.blocked else STATE_ICONS[state]
        key = None if item.checkin else state
        word = words.get(key)
        if word is None:
            word = words[key] = _(STATE_WORDS[state])
        phrase = dues.get(due)
        if phrase is None:
            phrase = dues[due] = due_phrase(_, due, turn.today, turn.locale)
        line = f"{icon} " + pattern.format(code=code, state=word, due=phrase)
        latest = item.latest
        if latest is not None and latest.percent is not None and latest.status != ReportStatus.DONE:
            line += f" · {latest.percent} %"
        if item.units_done is not None:
            line += " · " + units_done_words(_, item.units_done)
        if derived.blocked and latest is not None and latest.reason:
            line += " · " + _("blocked: {reason}").format(reason=esc(latest.reason))
        return line

    def _task(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        assert turn.person is not None
        code = args.split()[0] if args else ""
        if not code:
            return [turn.answer(_("Send /task CODE, e.g. /task II.3"))]
        task = task_by_code(session, code.upper(), turn.person.unit_ids)
        if task is None:
            return [turn.answer(_("There is no task {code}. Send /tasks to see yours.").format(code=esc(code)))]
        if not sees_whole_plan(turn.person.audience) and not task.of_units:
            return [turn.answer(_("Task {code} is not one of your units' tasks.").format(code=esc(task.code)))]
        units = units_of_task(session, task.id)
        unit_names = units.names
        none = _("none")
        lines = [
            f"<b>{esc(task.code)}</b> " + esc(task.content),
            _("Lead: {units}").format(units=esc("; ".join(units.by_role.get(UnitRole.LEAD, [])) or none)),
            _("Coordinating: {units}").format(
                units=esc("; ".join(units.by_role.get(UnitRole.COORDINATING, [])) or none)
            ),
            _("Time: {text}").format(text=esc(task.time_text) or none),
        ]
        upcoming = open_deadlines(session, task.id, turn.today, self.tz, turn.person.unit_ids)
        if upcoming:
            lines.append(_("Next deadlines:"))
            for occurrence, standing in upcoming[:DEADLINES_SHOWN]:
                period = period_label(
                    period_of(occurrence.period_kind, occurrence.period_year, occurrence.period_index, occurrence.due),
                    turn.locale,
                )
                line = f"  • {period}: " + due_phrase(_, occurrence.due, turn.today, turn.locale)
                if standing.units_done is not None:
                    line += " · " + units_done_words(_, standing.units_done)
                lines.append(line)
                lines.extend(
                    "    " + contribution_words(_, unit_names.get(r.unit_id or 0, ""), r.status, r.percent, r.reason)
                    for r in standing.contributions
                )
        elif task.needs_date:
            lines.append(_("This task needs a date: its time text could not be read."))
        reports = latest_reports(session, task.id, REPORTS_SHOWN)
        if reports:
            lines.append(_("Latest reports:"))
            for report in reports:
                lines.append("  • " + self._report_line(turn, report, unit_names, units.roles))
        return [turn.answer("\n".join(lines))]

    def _report_line(
        self, turn: Turn, report: TaskReport, unit_names: dict[int, str], roles: dict[int, UnitRole]
    ) -> str:
        """Who reported (unit, in which role) and when, then what: a coordinating unit's part is not the task."""
        _ = turn._
        when = report.updated_at.astimezone(self.tz)
        unit = unit_names.get(report.unit_id, "") if report.unit_id is not None else ""
        role = report.role or (roles.get(report.unit_id) if report.unit_id is not None else None)
        if role == UnitRole.COORDINATING:
            words = contribution_words(_, unit, report.status, report.percent, report.reason)
        else:
            words = _("lead: {unit} — {words}").format(unit=esc(unit), words=self._report_words(_, report))
        return _("{day} {time}, {words} — «{note}»").format(
            day=short_day(when.date()), time=f"{when:%H:%M}", words=words, note=esc(report.note)
        )

    # ---- personal settings --------------------------------------------------------------------------

    def _pause(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        assert turn.person is not None
        until = _parse_day(args)
        if until is None:
            return [turn.answer(_("Send /pause DATE, e.g. /pause 2026-12-15 or /pause 15/12/2026"))]
        if until < turn.today:
            return [turn.answer(_("{date} has passed; give a day from today on.").format(date=short_day(until)))]
        set_pause(session, turn.person, until, turn.now)
        return [
            turn.answer(
                _(
                    "Reminders are paused for you until {date} inclusive; your unit still receives them. "
                    "Send /resume to start again."
                ).format(date=day_with_weekday(until, turn.locale))
            )
        ]

    def _resume(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        assert turn.person is not None
        set_pause(session, turn.person, None, turn.now)
        return [turn.answer(turn._("Reminders are on again."))]

    def _lang(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        assert turn.person is not None
        language = args.strip().lower()
        if language not in SUPPORTED:
            return [turn.answer(turn._("Send /lang vi or /lang en."))]
        set_language(session, turn.person, language, turn.now)
        _ = translator(language)
        return [turn.answer(_("Language set: Vietnamese.") if language == "vi" else _("Language set: English."))]

    def _whoami(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        person = turn.person
        assert person is not None
        lines = [f"<b>{esc(person.name)}</b>"]
        for role, unit in memberships_with_units(session, person.member_id):
            lines.append(
                "  • "
                + _("{role} — {unit}").format(role=_(ROLE_WORDS[role]), unit=esc(unit) if unit else _("the whole plan"))
            )
        lines.append(_("Language: {language}").format(language=person.language))
        if person.paused_until is not None and person.paused_until >= turn.today:
            lines.append(_("Reminders paused until {date}.").format(date=short_day(person.paused_until)))
        return [turn.answer("\n".join(lines))]

    def _summary(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        assert turn.person is not None
        if not plain_words(args):
            # Arguments are text as typed: "<i>2026</i>" is neither a period nor a unit, so it is quoted whole.
            return [
                turn.answer(
                    turn._(
                        "I could not read «{text}». Write a period or a unit in plain words, e.g. /summary 2026, "
                        "/summary quý 4/2025 or /summary Văn phòng Sở."
                    ).format(text=esc(args))
                )
            ]
        text, buttons = summary_reply(
            session,
            viewer_member_id=turn.person.member_id,
            args=args,
            platform_limit=self.message_limits[turn.incoming.platform],
            today=turn.today,
            locale=turn.locale,
            tz=self.tz,
            registry=self.registry,
        )
        return [turn.answer(text, buttons=tuple((Button(label, payload),) for label, payload in buttons))]

    def _summary_file(self, session: Session, turn: Turn, person: Person, kind: str, args: str) -> list[Outgoing]:
        try:
            filename, content = summary_files(
                session,
                viewer_member_id=person.member_id,
                args=args,
                kind=kind,  # type: ignore[arg-type]
                today=turn.today,
                locale=turn.locale,
                tz=self.tz,
                registry=self.registry,
            )
        except UserFacingError as error:
            return [turn.answer(turn._(error.message).format(**{k: esc(v) for k, v in error.params.items()}))]
        mime = {
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "png": "image/png",
        }[kind]
        return [
            Outgoing(
                chat_id=turn.incoming.chat_id,
                text=esc(filename),
                attachment=Attachment(filename=filename, content=content, mime_type=mime),
            )
        ]

    def _event(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        _ = turn._
        usage = _(
            "Send /event TASKS DATE [SPAN] DESCRIPTION, e.g. /event III.3,VI.1 2026-03-02 90d Trung ương ban hành Đề án"
        )
        parts = args.split(maxsplit=3)
        if len(parts) < 3:
            return [turn.answer(usage)]
        codes, day_text, *rest = parts
        occurred_on = _parse_day(day_text)
        if occurred_on is None:
            return [turn.answer(usage)]
        span: int | None = None
        match = SPAN.match(rest[0]) if rest else None
        if match is not None and len(rest) == 2:
            span = int(match.group(1)) * SPAN_DAYS[(match.group(2) or "d").lower()]
            rest = rest[1:]
        description = " ".join(rest)
        plan = self._plan(session)
        if plan is None:
            return [turn.answer(_("No plan has been imported yet."))]
        assert turn.person is not None
        try:
            with session.begin_nested():
                event = record_event(
                    session,
                    plan,
                    description,
                    occurred_on,
                    codes.split(","),
                    due_in_days=span,
                    actor=f"member:{turn.person.member_id}",
                    now=turn.now,
                )
        except UserFacingError as error:
            return [turn.answer(_(error.message).format(**{k: esc(v) for k, v in error.params.items()}))]
        return [
            turn.answer(
                _("Recorded event: {description}. Tasks {codes} are due {date}.").format(
                    description=esc(event.description),
                    codes=", ".join(event.tasks),
                    date=day_with_weekday(event.due, turn.locale),
                )
            )
        ]

    # ---- progress replies ---------------------------------------------------------------------------

    def _reply(self, session: Session, turn: Turn, person: Person) -> list[Outgoing]:
        _ = turn._
        incoming = turn.incoming
        if not incoming.text.strip():
            return []
        if incoming.edited:
            edited = replies.report_from_message_with_target(session, incoming, person.member_id)
            if edited is not None:
                report, target = edited
                updated = replies.update_report(session, person, report, parse_progress(incoming.text), turn.now)
                assert target is not None
                return [self._confirmation(session, turn, updated, _("Updated"), target)]
        if parse_progress(incoming.text).chatter:
            # "cảm ơn", "ok", "👍": no report, so nothing to record and no task to ask about.
            return [turn.answer(_("👍 Noted. When there is progress to report, reply to a reminder in a few words."))]
        replied_to = replies.target_replied_to(session, incoming)
        if replied_to is not None:
            return self._report_on_target(session, turn, person, replied_to[1], incoming.text)
        asked = replies.occurrences_of_reminder(session, incoming)
        if asked:
            # A reply to a reminder of several tasks is about one of them, however often it comes: the
            # ones still open first, then those already answered (a correction).
            still_open = set(replies.open_prompt_occurrences(session, person, turn.today, self.tz))
            asked.sort(key=lambda occurrence_id: occurrence_id not in still_open)
            if len(asked) == 1:
                return self._report_on(session, turn, person, asked[0], incoming.text)
            return self._ask_which(session, turn, person, asked)
        # Each open one with its task code and due date, for the list to pick from.
        open_ones: dict[int, tuple[str, date]] = {}
        if not sees_whole_plan(person.audience) or person.unit_ids:
            open_ones = replies.open_prompts(session, person, turn.today, self.tz)
            if len(open_ones) == 1:
                return self._report_on(session, turn, person, next(iter(open_ones)), incoming.text)
        if not open_ones:
            plan_id = replies.plan_id_of(session)
            if plan_id is not None and person.unit_ids:
                items = open_work(session, plan_id, None, turn.today, self.tz, person.unit_ids, of_units=True)
                open_ones = {
                    item.occurrence_id: (item.task_code, item.due)
                    for item in items
                    if item.occurrence_id is not None and item.due is not None
                }
        if not open_ones:
            return [turn.answer(_("You have no open task to report on. Send /tasks to see your units' tasks."))]
        if len(open_ones) == 1:
            return self._report_on(session, turn, person, next(iter(open_ones)), incoming.text)
        return self._ask_which(session, turn, person, list(open_ones), open_ones)

    def _ask_which(
        self,
        session: Session,
        turn: Turn,
        person: Person,
        occurrence_ids: list[int],
        known: Mapping[int, tuple[str, date]] | None = None,
    ) -> list[Outgoing]:
        """`known`: the task code and due date of each of `occurrence_ids`, when the caller read them."""
        _ = turn._
        if known is None:
            known = replies.choices(session, occurrence_ids[:8])
        shown = [occurrence_id for occurrence_id in occurrence_ids[:8] if occurrence_id in known]
        pending_id = replies.keep_pending(session, person, turn.incoming, shown, turn.now)
        rows: list[tuple[Button, ...]] = []
        lines = [_("Which task is this report about? Choose one:")]
        for number, occurrence_id in enumerate(shown, start=1):
            code, due = known[occurrence_id]
            lines.append(f"{number}. {esc(code)} — " + due_phrase(_, due, turn.today, turn.locale))
            rows.append((Button(f"{number}. {code}", encode(Choice(ChoiceKind.PICK, (pending_id, occurrence_id)))),))
        return [turn.answer("\n".join(lines), buttons=tuple(rows), choices_in_text=True)]

    def _report_on(self, session: Session, turn: Turn, person: Person, occurrence_id: int, text: str) -> list[Outgoing]:
        return self._report_on_target(session, turn, person, replies.target_of(session, occurrence_id), text)

    def _report_on_target(
        self, session: Session, turn: Turn, person: Person, target: replies.Target | None, text: str
    ) -> list[Outgoing]:
        """`_report_on` the occurrence whose `target_of` is `target` (None: the task is gone)."""
        _ = turn._
        if target is None:
            return [turn.answer(_("That task no longer exists in the plan."))]
        if not replies.may_report(person, target):
            return [self._not_yours(turn, target.task_code)]
        reading = parse_progress(text)
        report = replies.record(session, person, target, reading, turn.incoming, turn.now)
        if report.status is None:
            assert report.id is not None
            return [
                turn.answer(
                    _("I could not tell the status from your reply about {code}. Which is it?").format(
                        code=esc(target.task_code)
                    ),
                    buttons=self._status_buttons(_, ChoiceKind.STATUS, report.id),
                )
            ]
        return [self._confirmation(session, turn, report, _("Recorded"), target)]

    def _confirmation(
        self, session: Session, turn: Turn, report: replies.ReportFacts, verb: str, target: replies.Target | None = None
    ) -> Outgoing:
        _ = turn._
        if target is None:
            target = replies.target_of(session, report.occurrence_id)
        assert target is not None and report.id is not None
        role = replies.reporting_unit(turn.person, target)[1] if turn.person is not None else None
        text = _("{verb}: {code} — {words}.").format(
            verb=verb, code=esc(target.task_code), words=self._report_words(_, report, role)
        )
        return turn.answer(text, buttons=((Button(_("↩️ Undo"), encode(Choice(ChoiceKind.UNDO, (report.id,)))),),))

    def _undo(self, session: Session, turn: Turn, args: str) -> list[Outgoing]:
        assert turn.person is not None
        return [self._withdraw(session, turn, replies.last_report_with_target(session, turn.person))]

    def _withdraw(
        self, session: Session, turn: Turn, found: tuple[replies.ReportRow, replies.Target | None] | None
    ) -> Outgoing:
        """Withdraws the report `found` (with its occurrence's target)."""
        _ = turn._
        assert turn.person is not None
        if found is None:
            return turn.answer(_("You have no report to withdraw."))
        report, target = found
        assert target is not None
        replies.withdraw(session, turn.person, report, turn.now)
        return turn.answer(
            _("Withdrawn: your report on {code}. Reply again when you are ready.").format(code=esc(target.task_code))
        )

    # ---- buttons -----------------------------------------------------------------------------------

    def _button(self, session: Session, turn: Turn, person: Person, payload: str) -> list[Outgoing]:
        _ = turn._
        choice = decode(payload)
        if choice is None:
            return [turn.answer(_("This button is no longer valid. Send /tasks to start again."))]
        command = CHOICE_COMMANDS[choice.kind]
        if not allowed(command, person.audience, turn.incoming.chat_kind):
            if command == Command.REPORT:
                return [turn.answer(_("Sorry, you cannot report progress in this chat."))]
            return [turn.answer(_("Sorry, this button is not for you."))]
        if choice.kind == ChoiceKind.STATUS and choice.status is not None:
            return self._set_status(session, turn, person, choice.ids[0], choice.status)
        if choice.kind == ChoiceKind.PROMPT and choice.status is not None:
            return self._prompt_button(session, turn, person, choice.ids[0], choice.status)
        if choice.kind == ChoiceKind.OPEN_CHOICES:
            return self._open_choices(session, turn, choice.ids[0])
        if choice.kind == ChoiceKind.PICK:
            return self._pick(session, turn, person, choice.ids[0], choice.ids[1])
        if choice.kind == ChoiceKind.SUMMARY_FILE and choice.file is not None:
            return self._summary_file(session, turn, person, choice.file, choice.token or "")
        found = replies.report_by_id_with_target(session, choice.ids[0])
        if found is None or found[0].member_id != person.member_id or found[0].withdrawn:
            return [turn.answer(_("This report was already withdrawn or is not yours."))]
        return [self._withdraw(session, turn, found)]

    def _set_status(
        self, session: Session, turn: Turn, person: Person, report_id: int, status: ReportStatus
    ) -> list[Outgoing]:
        _ = turn._
        found = replies.report_by_id_with_target(session, report_id)
        if found is None or found[0].member_id != person.member_id or found[0].withdrawn:
            return [turn.answer(_("This question was for someone else, or its report was withdrawn."))]
        report, target = found
        report = replies.set_status(session, person, report, status, turn.now)
        assert target is not None
        return [self._confirmation(session, turn, report, _("Recorded"), target)]

    def _prompt_button(
        self, session: Session, turn: Turn, person: Person, prompt_id: int, status: ReportStatus
    ) -> list[Outgoing]:
        _ = turn._
        occurrence_id = replies.prompt_occurrence(session, prompt_id)
        if occurrence_id is None:
            return [turn.answer(_("This button is no longer valid. Send /tasks to start again."))]
        target = replies.target_of(session, occurrence_id)
        if target is None:
            return [turn.answer(_("That task no longer exists in the plan."))]
        if not replies.may_report(person, target):
            return [self._not_yours(turn, target.task_code)]
        # The label pressed is the note: reports.wording tells a button press from typed words by it.
        labels = self._status_labels(_)
        reading = ProgressReading(ProgressStatus(status.value), note=labels.get(status, status.value))
        report = replies.record(session, person, target, reading, turn.incoming, turn.now)
        confirmation = self._confirmation(session, turn, report, _("Recorded"), target)
        if status == ReportStatus.BLOCKED:
            hint = _("Tell me what is blocking it: reply to the reminder in a few words, e.g. «vướng kinh phí».")
            confirmation = replace(confirmation, text=confirmation.text + "\n" + hint)
        return [confirmation]

    def _open_choices(self, session: Session, turn: Turn, prompt_id: int) -> list[Outgoing]:
        """A digest's "Report III.2" button: the same message's buttons again, with III.2's three choices
        in its place (any other task's choices fold back into its "Report" button)."""
        _ = turn._
        prompt_ids = list(dict.fromkeys(_keyboard_prompts(turn.incoming.keyboard)))
        occurrences = {pid: replies.prompt_occurrence(session, pid) for pid in prompt_ids}
        codes = replies.choices(session, [o for o in occurrences.values() if o is not None])
        tasks = [(pid, codes[o][0]) for pid, o in occurrences.items() if o is not None and o in codes]
        if not any(pid == prompt_id for pid, _code in tasks):
            return [turn.answer(_("This button is no longer valid. Send /tasks to start again."))]
        keyboard = digest_buttons(_, tasks, opened=prompt_id)
        return [
            Outgoing(chat_id=turn.incoming.chat_id, text="", buttons=keyboard, edit_message_id=turn.incoming.message_id)
        ]

    def _not_yours(self, turn: Turn, code: str) -> Outgoing:
        return turn.answer(
            turn._("Sorry, only members of the units in charge of {code} can report on it.").format(code=esc(code))
        )

    def _pick(
        self, session: Session, turn: Turn, person: Person, pending_id: int, occurrence_id: int
    ) -> list[Outgoing]:
        _ = turn._
        found = replies.pending_picked(session, pending_id, occurrence_id)
        if found is None:
            return [turn.answer(_("This choice is no longer open. Send your report again."))]
        pending, target = found
        if pending.member_id != person.member_id or pending.resolved or occurrence_id not in pending.occurrence_ids:
            return [turn.answer(_("This choice is no longer open. Send your report again."))]
        replies.resolve_pending(session, pending_id, turn.now)
        original = replace(turn.incoming, message_id=pending.message_id, text=pending.text, payload=None)
        return self._report_on_target(session, replace(turn, incoming=original), person, target, pending.text)


def _pressed(incoming: Incoming, question: questions.Question, number: int) -> Incoming:
    """`incoming` (a typed number) as the press of that choice: on the question's message when its id is
    known (as a press is), with the question's buttons as the keyboard."""
    return replace(
        incoming,
        text="",
        payload=question.choices[number - 1].payload,
        message_id=question.message_id or incoming.message_id,
        reply_to_message_id=None,
        keyboard=tuple(tuple(Button(c.label, c.payload) for c in row) for row in question.rows()),
    )


def _folded(name: str) -> str:
    """A typed command name without case or diacritics: "Kênh" → "kenh", "liênkết" → "lienket"."""
    decomposed = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _keyboard_prompts(keyboard: Keyboard) -> list[int]:
    """The prompt ids a digest's buttons are about, in their order (its "Report" and status buttons)."""
    found = []
    for row in keyboard:
        for button in row:
            choice = decode(button.payload) if button.payload is not None else None
            if choice is not None and choice.kind in (ChoiceKind.OPEN_CHOICES, ChoiceKind.PROMPT):
                found.append(choice.ids[0])
    return found


def plain_words(text: str) -> bool:
    """Whether `text` is made of what periods and unit names are written with: letters, digits, spaces
    and a little punctuation. Markup such as "<i>2026</i>" is not, and nothing is read out of it."""
    return all(char.isalnum() or char.isspace() or char in PLAIN_PUNCTUATION for char in text)


def _parse_day(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


__all__ = ["Clock", "Conversation"]

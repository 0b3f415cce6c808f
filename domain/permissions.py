"""Who may do what, in one table: command × audience × chat kind. A test walks every cell."""

from __future__ import annotations

from enum import StrEnum

from domain.messages import ChatKind
from domain.payloads import ChoiceKind
from models.people import Role


class Audience(StrEnum):
    GUEST = "guest"  # nobody invited them
    STAFF = "staff"
    UNIT_LEAD = "unit_lead"
    MONITOR = "monitor"
    ADMIN = "admin"


class Command(StrEnum):
    START = "start"
    HELP = "help"
    TASKS = "tasks"
    TASK = "task"
    REPORT = "report"  # a progress reply, a status button, picking a task for a reply
    UNDO = "undo"
    PAUSE = "pause"
    RESUME = "resume"
    LANG = "lang"
    WHOAMI = "whoami"
    SUMMARY = "summary"  # the monitor sees the plan, a unit lead the unit, staff the unit's short version
    EVENT = "event"
    BIND = "bind"
    LINK = "lienket"  # link an account on another platform (alias /link)
    CHANNEL = "kenh"  # the platform messages go to (alias /channel)
    # Not typed: a /summary file button (the report .docx, the table, the chart), for those who lead.
    SUMMARY_FILES = "summary_files"


_EVERYONE = frozenset(Audience)
_MEMBERS = frozenset({Audience.STAFF, Audience.UNIT_LEAD, Audience.MONITOR, Audience.ADMIN})
_NOBODY: frozenset[Audience] = frozenset()

# (command, chat kind) → who may. Personal settings live in the private chat; binding is for groups.
PERMISSIONS: dict[tuple[Command, ChatKind], frozenset[Audience]] = {
    (Command.START, ChatKind.PRIVATE): _EVERYONE,
    (Command.START, ChatKind.GROUP): _EVERYONE,
    (Command.HELP, ChatKind.PRIVATE): _EVERYONE,
    (Command.HELP, ChatKind.GROUP): _EVERYONE,
    (Command.TASKS, ChatKind.PRIVATE): _MEMBERS,
    (Command.TASKS, ChatKind.GROUP): _MEMBERS,
    (Command.TASK, ChatKind.PRIVATE): _MEMBERS,
    (Command.TASK, ChatKind.GROUP): _MEMBERS,
    (Command.REPORT, ChatKind.PRIVATE): _MEMBERS,
    (Command.REPORT, ChatKind.GROUP): _MEMBERS,
    (Command.UNDO, ChatKind.PRIVATE): _MEMBERS,
    (Command.UNDO, ChatKind.GROUP): _MEMBERS,
    (Command.PAUSE, ChatKind.PRIVATE): _MEMBERS,
    (Command.PAUSE, ChatKind.GROUP): _NOBODY,
    (Command.RESUME, ChatKind.PRIVATE): _MEMBERS,
    (Command.RESUME, ChatKind.GROUP): _NOBODY,
    (Command.LANG, ChatKind.PRIVATE): _MEMBERS,
    (Command.LANG, ChatKind.GROUP): _NOBODY,
    (Command.WHOAMI, ChatKind.PRIVATE): _MEMBERS,
    (Command.WHOAMI, ChatKind.GROUP): _MEMBERS,
    (Command.SUMMARY, ChatKind.PRIVATE): _MEMBERS,
    (Command.SUMMARY, ChatKind.GROUP): _MEMBERS,
    (Command.EVENT, ChatKind.PRIVATE): frozenset({Audience.ADMIN}),
    (Command.EVENT, ChatKind.GROUP): _NOBODY,
    (Command.BIND, ChatKind.PRIVATE): _NOBODY,
    (Command.BIND, ChatKind.GROUP): frozenset({Audience.UNIT_LEAD, Audience.ADMIN}),
    # Anyone may send a link code from a new account; members ask for one. Both in the private chat only.
    (Command.LINK, ChatKind.PRIVATE): _EVERYONE,
    (Command.LINK, ChatKind.GROUP): _NOBODY,
    (Command.CHANNEL, ChatKind.PRIVATE): _MEMBERS,
    (Command.CHANNEL, ChatKind.GROUP): _NOBODY,
    (Command.SUMMARY_FILES, ChatKind.PRIVATE): frozenset({Audience.UNIT_LEAD, Audience.MONITOR, Audience.ADMIN}),
    (Command.SUMMARY_FILES, ChatKind.GROUP): frozenset({Audience.UNIT_LEAD, Audience.MONITOR, Audience.ADMIN}),
}

# What a pressed button may do is the table's row of its kind, not which buttons the chat showed:
# a forged payload gets no more than the person could get by asking.
CHOICE_COMMANDS: dict[ChoiceKind, Command] = {
    ChoiceKind.STATUS: Command.REPORT,
    ChoiceKind.PROMPT: Command.REPORT,
    ChoiceKind.PICK: Command.REPORT,
    ChoiceKind.UNDO: Command.UNDO,
    ChoiceKind.SUMMARY_FILE: Command.SUMMARY_FILES,
    ChoiceKind.OPEN_CHOICES: Command.REPORT,
}

_RANK = {Role.STAFF: 1, Role.UNIT_LEAD: 2, Role.MONITOR: 3, Role.ADMIN: 4}
_AUDIENCE = {
    Role.STAFF: Audience.STAFF,
    Role.UNIT_LEAD: Audience.UNIT_LEAD,
    Role.MONITOR: Audience.MONITOR,
    Role.ADMIN: Audience.ADMIN,
}


def audience_of(roles: set[Role] | frozenset[Role]) -> Audience:
    """A person acts with their highest role; nobody with no role is a guest."""
    if not roles:
        return Audience.GUEST
    return _AUDIENCE[max(roles, key=lambda role: _RANK[role])]


def allowed(command: Command, audience: Audience, chat_kind: ChatKind) -> bool:
    return audience in PERMISSIONS[(command, chat_kind)]


def sees_whole_plan(audience: Audience) -> bool:
    return audience in (Audience.MONITOR, Audience.ADMIN)

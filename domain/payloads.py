"""Button payloads: one `Choice` type, encoded and decoded here and nowhere else.

A payload comes back from the platform as untrusted text (a forged callback, a stale button, a number
typed on Zalo). `decode` refuses anything that is not exactly what `encode` makes: an unknown kind,
a missing or extra part, a status that does not exist, an id that is not a positive number the
database's INTEGER columns can hold. A refused payload is `None`, never an exception.

Adding a kind is one line in `LAYOUTS` (and its row in `domain.permissions.CHOICE_COMMANDS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models import ReportStatus

# PostgreSQL INTEGER (and the ids SQLite hands out in practice); a larger id cannot name a row, and
# binding it raises OverflowError / NumericValueOutOfRange deep in the driver.
MAX_ID = 2**31 - 1
_ID = re.compile(r"[1-9][0-9]{0,9}")
# Payloads are short ASCII made here, and each must fit the smallest limit of every platform that carries
# them: Telegram's 64 bytes of callback_data (bot/platforms/telegram/limits.py). Zalo has no buttons: a
# typed number is mapped back to the payload in the core, so it sets no limit. A platform with a smaller
# limit lowers this bound; `encode` refuses anything longer.
MAX_PAYLOAD_BYTES = 64
_SEPARATOR = ":"


class ChoiceKind(StrEnum):
    STATUS = "st"  # a report whose status the reply did not say: report id, status
    PROMPT = "rp"  # a reminder's status button: prompt id, status
    PICK = "pick"  # which task a reply was about: pending reply id, occurrence id
    UNDO = "undo"  # withdraw a report: report id
    SUMMARY_FILE = "sum"  # a /summary file: file kind, the summary's token
    OPEN_CHOICES = "rc"  # a digest's "Báo cáo III.2": open that task's three choices in place: prompt id


class Part(StrEnum):
    ID = "id"
    STATUS = "status"
    FILE = "file"
    TOKEN = "token"  # free text, always the last part


FILE_KINDS = frozenset({"docx", "xlsx", "png"})

LAYOUTS: dict[ChoiceKind, tuple[Part, ...]] = {
    ChoiceKind.STATUS: (Part.ID, Part.STATUS),
    ChoiceKind.PROMPT: (Part.ID, Part.STATUS),
    ChoiceKind.PICK: (Part.ID, Part.ID),
    ChoiceKind.UNDO: (Part.ID,),
    ChoiceKind.SUMMARY_FILE: (Part.FILE, Part.TOKEN),
    ChoiceKind.OPEN_CHOICES: (Part.ID,),
}

# Every button is decoded when made and again when pressed: a dict lookup, not an enum call.
_KINDS = {kind.value: kind for kind in ChoiceKind}
_STATUSES = {status.value: status for status in ReportStatus}


@dataclass(frozen=True)
class Choice:
    """What a pressed button asks for: its kind and the values its layout names, typed."""

    kind: ChoiceKind
    ids: tuple[int, ...] = ()
    status: ReportStatus | None = None
    file: str | None = None
    token: str | None = None


def encode(choice: Choice) -> str:
    """The payload for `choice`; raises ValueError on a choice its layout does not fit, or that is not
    ASCII of at most MAX_PAYLOAD_BYTES (a bug in the caller: every payload the bot makes must come back
    through `decode` and fit every platform)."""
    ids = iter(choice.ids)
    parts: list[str] = [choice.kind.value]
    for part in LAYOUTS[choice.kind]:
        if part is Part.ID:
            value = next(ids, None)
            if value is None or not 1 <= value <= MAX_ID:
                raise ValueError(f"{choice!r}: id out of range")
            parts.append(str(value))
        elif part is Part.STATUS:
            if choice.status is None:
                raise ValueError(f"{choice!r}: no status")
            parts.append(choice.status.value)
        elif part is Part.FILE:
            if choice.file not in FILE_KINDS:
                raise ValueError(f"{choice!r}: unknown file kind")
            parts.append(choice.file)
        else:
            parts.append(choice.token or "")
    if next(ids, None) is not None:
        raise ValueError(f"{choice!r}: more ids than its layout")
    payload = _SEPARATOR.join(parts)
    if not payload.isascii() or len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"{choice!r}: a payload is ASCII of at most {MAX_PAYLOAD_BYTES} bytes, not {payload!r}")
    if not _reads_back(choice) and decode(payload) != choice:
        raise ValueError(f"{choice!r} would not read back from {payload!r}")
    return payload


# Layouts whose parts are only ids and statuses: neither holds the separator, so each part reads back alone.
_PLAIN_LAYOUTS = frozenset(kind for kind, layout in LAYOUTS.items() if set(layout) <= {Part.ID, Part.STATUS})


def _reads_back(choice: Choice) -> bool:
    """Whether `decode` certainly gives `choice` back from what `encode` made of it (a cheap sufficient
    test, for the buttons of every answer; `encode` decodes when it is not met). `encode` has checked
    the parts its layout names: ids in range, one per ID part, and a status for a STATUS part. Such an
    id that is a plain int is written as decimal digits `decode` reads back; a status reads back as
    itself; and what the layout has no part for must be unset, as `decode` leaves it."""
    if choice.kind not in _PLAIN_LAYOUTS or choice.file is not None or choice.token is not None:
        return False
    if choice.status is not None and (
        Part.STATUS not in LAYOUTS[choice.kind] or type(choice.status) is not ReportStatus
    ):
        return False
    return type(choice.ids) is tuple and all(type(value) is int for value in choice.ids)


def well_formed(payload: str) -> bool:
    """Whether `payload` is one `encode` could have made: within the bound, and read back by `decode`."""
    return payload.isascii() and len(payload) <= MAX_PAYLOAD_BYTES and decode(payload) is not None


def decode(payload: str) -> Choice | None:
    """The choice a payload names, or None when it is not one the bot could have made."""
    kind_text, _sep, rest = payload.partition(_SEPARATOR)
    kind = _KINDS.get(kind_text)
    if kind is None:
        return None
    layout = LAYOUTS[kind]
    # A token is free text and comes last: it keeps any separators it holds.
    texts = rest.split(_SEPARATOR, len(layout) - 1 if layout[-1] == Part.TOKEN else -1)
    if len(texts) != len(layout):
        return None
    ids: list[int] = []
    status: ReportStatus | None = None
    file: str | None = None
    token: str | None = None
    for part, text in zip(layout, texts, strict=True):
        if part == Part.ID:
            if _ID.fullmatch(text) is None or int(text) > MAX_ID:
                return None
            ids.append(int(text))
        elif part == Part.STATUS:
            status = _STATUSES.get(text)
            if status is None:
                return None
        elif part == Part.FILE:
            if text not in FILE_KINDS:
                return None
            file = text
        else:
            token = text
    return Choice(kind, tuple(ids), status, file, token)


__all__ = [
    "FILE_KINDS",
    "LAYOUTS",
    "MAX_ID",
    "MAX_PAYLOAD_BYTES",
    "Choice",
    "ChoiceKind",
    "Part",
    "decode",
    "encode",
    "well_formed",
]

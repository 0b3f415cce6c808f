"""The core's neutral messages as Zalo plain text: pure functions, no network.

The core's text is the neutral markup (`domain/markup.py`: plain text with `<b>`, `<i>`, `<code>`,
`<a href="…">` and four entities; what people wrote is escaped inside). Zalo shows plain text only, up
to 2000 characters a message, and has no buttons:

- the markup as `domain.markup.plain` reads it: tags dropped, a link as "text (url)" (or just the url
  when that is its text), entities unescaped once ("&amp;lt;" stays "&lt;": it was typed so);
- buttons become a numbered list after the text, in order row by row, left to right (the order the
  core numbers its choices in), then "Reply 1, 2 or 3."; a button holding a URL instead of a payload is
  shown as "label (url)" above the list, unnumbered;
- a file (a .docx/.xlsx/.png report) cannot go through sendMessage: its caption is sent with a line
  saying where to get the file;
- the result is cut at blank lines, then at line ends, then between words, into messages of at most
  the limit; a single word longer than that is cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.platforms.zalo.limits import TEXT_LIMIT
from domain.markup import plain
from domain.messages import Keyboard, Outgoing
from locales import N_
from locales.catalogs import Translate
from models.reminders import OutboxMessage
from scheduler.delivery.outbox import buttons_from_json

REPLY_HINT = N_("Reply {choices}.")
# How the last two numbers of a choice list are joined ("1, 2 or 3"; vi "1, 2 hoặc 3").
OR_LAST = N_("{choices} or {last}")
FILE_ELSEWHERE = N_(
    "The file {name} cannot be sent on Zalo: please get it on Telegram or from the monitoring department."
)

# Separators to split a long text at, best first: paragraphs, lines, words.
_SEPARATORS = ("\n\n", "\n", " ")


@dataclass(frozen=True)
class Option:
    """One button as Zalo shows it: a numbered choice (no url) or a link (url)."""

    label: str
    url: str | None = None


def plain_text(markup: str) -> str:
    """The neutral markup as Zalo shows it: `domain.markup.plain` (a MarkupError for malformed markup)."""
    return plain(markup)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in parts of at most `limit` characters, cut at blank lines, then line ends, then spaces;
    a word longer than `limit` is cut. Parts lose the line breaks at their edges; empty parts are dropped."""
    if limit < 1:
        raise ValueError("the limit must be at least one character")
    parts = (part.strip("\n") for part in _split(text, limit, _SEPARATORS))
    return [part for part in parts if part.strip()]


def _split(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if len(text) <= limit:
        return [text]
    if not separators:
        return [text[start : start + limit] for start in range(0, len(text), limit)]
    separator, finer = separators[0], separators[1:]
    # Each piece fits; consecutive pieces of one chunk never fit together (they were packed greedily
    # below), so joining across chunks with this separator keeps every original separator in place.
    pieces = [piece for chunk in text.split(separator) for piece in _split(chunk, limit, finer)]
    parts: list[str] = []
    current: str | None = None
    for piece in pieces:
        if current is None:
            current = piece
        elif len(current) + len(separator) + len(piece) <= limit:
            current = f"{current}{separator}{piece}"
        else:
            parts.append(current)
            current = piece
    if current is not None:
        parts.append(current)
    return parts


def choice_numbers(_: Translate, count: int) -> str:
    """ "1", "1 or 2", "1, 2 or 3" … in the catalog's words (vi: "1 hoặc 2", "1, 2, 3 hoặc 4")."""
    if count < 1:
        raise ValueError("a choice list has at least one choice")
    if count == 1:
        return "1"
    return _(OR_LAST).format(choices=", ".join(str(n) for n in range(1, count)), last=count)


def reply_hint(_: Translate, count: int) -> str:
    """The line under a numbered list: "Reply 1, 2 or 3." (vi "Trả lời 1, 2 hoặc 3.")."""
    return _(REPLY_HINT).format(choices=choice_numbers(_, count))


def render(
    _: Translate,
    markup: str,
    buttons: Sequence[Sequence[Option]] = (),
    *,
    attachment: str | None = None,
    limit: int = TEXT_LIMIT,
    choices_in_text: bool = False,
) -> list[str]:
    """The Zalo messages for one neutral message: its text, its links, its numbered choices and the
    note for a file, in that order, split to `limit`. No message at all when there is nothing to say.
    With `choices_in_text` the text already numbers the choices: only the line saying how to answer."""
    paragraphs: list[str] = []
    text = plain_text(markup).strip("\n")
    if text.strip():
        paragraphs.append(text)
    options = [option for row in buttons for option in row]
    links = [_link(option) for option in options if option.url]
    if links:
        paragraphs.append("\n".join(links))
    choices = [option.label for option in options if not option.url]
    if choices:
        numbered = [] if choices_in_text else [f"{number}. {label}" for number, label in enumerate(choices, start=1)]
        paragraphs.append("\n".join([*numbered, reply_hint(_, len(choices))]))
    if attachment is not None:
        paragraphs.append(_(FILE_ELSEWHERE).format(name=attachment))
    return split_text("\n\n".join(paragraphs), limit)


def _link(option: Option) -> str:
    assert option.url is not None
    return option.url if option.label.strip() in ("", option.url) else f"{option.label} ({option.url})"


def options(rows: Keyboard) -> list[list[Option]]:
    """The buttons as Zalo shows them: a payload as a numbered choice, a link as its address."""
    return [[Option(button.label, button.url) for button in row] for row in rows]


def outgoing_options(outgoing: Outgoing) -> list[list[Option]]:
    return options(outgoing.buttons)


def outbox_options(stored: object) -> list[list[Option]]:
    """An outbox row's stored buttons (`outbox.buttons_from_json`: ValueError when malformed)."""
    return options(buttons_from_json(stored))


def render_outgoing(_: Translate, outgoing: Outgoing, limit: int = TEXT_LIMIT) -> list[str]:
    """A direct answer of the conversation. Zalo cannot edit a sent message: new buttons for an earlier
    message (`edit_message_id`, whose text is unused) go out as a new message with the list only."""
    text = "" if outgoing.edit_message_id is not None else outgoing.text
    attachment = outgoing.attachment.filename if outgoing.attachment is not None else None
    return render(
        _,
        text,
        outgoing_options(outgoing),
        attachment=attachment,
        limit=limit,
        choices_in_text=outgoing.choices_in_text,
    )


def render_outbox(_: Translate, message: OutboxMessage, limit: int = TEXT_LIMIT) -> list[str]:
    """An outbox row (a reminder, a summary, a report draft with its file)."""
    attachment = message.attachment_filename if message.attachment_content is not None else None
    return render(_, message.text, outbox_options(message.buttons), attachment=attachment, limit=limit)


__all__ = [
    "FILE_ELSEWHERE",
    "OR_LAST",
    "REPLY_HINT",
    "Option",
    "choice_numbers",
    "options",
    "outbox_options",
    "outgoing_options",
    "plain_text",
    "render",
    "render_outbox",
    "render_outgoing",
    "reply_hint",
    "split_text",
]

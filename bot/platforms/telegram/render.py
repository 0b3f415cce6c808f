"""The core's neutral messages as Telegram messages: pure functions, no network.

The neutral markup (domain/markup.py) is a subset of Telegram's HTML parse mode, so a message that fits
goes as written. One that does not is split, its length counted as Telegram counts it (the text shown,
after the HTML is parsed, in UTF-16 code units): at blank lines first, then at line ends, then between
words; only a word longer than a whole message is cut inside it. Never inside a tag or an entity: a
mark open across a cut is closed before it and opened again after it. Parts lose the white space at
their edges.

A file goes as a document whose caption is the text's first part (Telegram takes 1024 characters
there); the rest of the text follows as messages. The buttons go under the last part, so that they
come after everything they are about; a reply goes on the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platforms.telegram.limits import BUTTONS_LIMIT, CALLBACK_DATA_BYTES, TelegramLimits
from domain.markup import Token, TokenKind, tokens
from domain.messages import Keyboard

# Where a long text is cut, best first: paragraphs, lines, words.
SEPARATORS = ("\n\n", "\n", " ")


def utf16_length(text: str) -> int:
    """Telegram's length of `text`: UTF-16 code units (a character outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


class _Layout:
    """A markup's tokens, the text they show, and where in that text each token starts."""

    def __init__(self, markup: str) -> None:
        self.tokens: tuple[Token, ...] = tuple(tokens(markup))
        starts: list[int] = []
        shown: list[str] = []
        offset = 0
        for token in self.tokens:
            starts.append(offset)
            shown.append(token.text)
            offset += len(token.text)
        self.starts = starts
        self.text = "".join(shown)
        # widths[i]: Telegram's length of text[:i].
        self.widths = [0, *accumulate(2 if ord(char) > 0xFFFF else 1 for char in self.text)]

    def width(self, start: int, end: int) -> int:
        return self.widths[end] - self.widths[start]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def ranges(self, start: int, end: int, limit: int, separators: Sequence[str] = SEPARATORS) -> list[tuple[int, int]]:
        """[start, end) of the shown text as ranges that each fit `limit`, cut at the first separator that
        makes pieces small enough, the pieces then packed greedily (with what lay between them)."""
        if self.width(start, end) <= limit:
            return [(start, end)]
        if not separators:
            return self._cut(start, end, limit)
        separator, finer = separators[0], separators[1:]
        pieces: list[tuple[int, int]] = []
        position = start
        while (found := self.text.find(separator, position, end)) >= 0:
            pieces.append((position, found))
            position = found + len(separator)
        pieces.append((position, end))
        fitted = [part for piece in pieces for part in self.ranges(*piece, limit, finer)]
        packed: list[tuple[int, int]] = []
        current = fitted[0]
        for following in fitted[1:]:
            if self.width(current[0], following[1]) <= limit:
                current = (current[0], following[1])
            else:
                packed.append(current)
                current = following
        packed.append(current)
        return packed

    def _cut(self, start: int, end: int, limit: int) -> list[tuple[int, int]]:
        """A word longer than a message, cut between characters (one at least per part)."""
        parts: list[tuple[int, int]] = []
        while start < end:
            stop = start + 1
            while stop < end and self.width(start, stop + 1) <= limit:
                stop += 1
            parts.append((start, stop))
            start = stop
        return parts

    def markup(self, start: int, end: int) -> str:
        """The markup showing text[start:end]: the marks open at `start` opened first, those still open
        at `end` closed last (each as it was written, a link with its address)."""
        open_tags: list[Token] = []
        out: list[str] = []
        index = 0
        count = len(self.tokens)
        # Before the range: only which marks are open matters.
        while index < count:
            token, at = self.tokens[index], self.starts[index]
            if token.kind in (TokenKind.TEXT, TokenKind.ENTITY) and at + len(token.text) > start:
                break
            if token.kind == TokenKind.OPEN:
                open_tags.append(token)
            elif token.kind == TokenKind.CLOSE:
                open_tags.pop()
            index += 1
        out.extend(token.source for token in open_tags)
        while index < count:
            token, at = self.tokens[index], self.starts[index]
            if token.kind == TokenKind.TEXT:
                if at >= end:
                    break
                out.append(token.text[max(start, at) - at : min(end, at + len(token.text)) - at])
            elif token.kind == TokenKind.ENTITY:
                if at >= end:
                    break
                out.append(token.source)
            elif token.kind == TokenKind.OPEN:
                if at >= end:
                    break  # opens what the next part shows
                open_tags.append(token)
                out.append(token.source)
            else:
                open_tags.pop()
                out.append(token.source)
            index += 1
        out.extend(f"</{token.mark}>" for token in reversed(open_tags))
        return "".join(out)


def split(markup: str, limit: int) -> list[str]:
    """`markup` as Telegram HTML messages each showing at most `limit` UTF-16 code units (the markup
    itself when it fits); none when it shows nothing but white space."""
    layout = _Layout(markup)
    start, end = layout.trim(0, len(layout.text))
    if start == end:
        return []
    if layout.width(0, len(layout.text)) <= limit:
        return [markup]
    return _parts(layout, layout.ranges(start, end, limit))


def split_caption(markup: str, limits: TelegramLimits) -> tuple[str, list[str]]:
    """A file's text as its caption and the messages after it: the caption fits `limits.caption`, each
    message `limits.text`. The caption is "" when the text shows nothing."""
    layout = _Layout(markup)
    start, end = layout.trim(0, len(layout.text))
    if start == end:
        return "", []
    if layout.width(0, len(layout.text)) <= limits.caption:
        return markup, []
    first = layout.ranges(start, end, limits.caption)[0]
    caption = _parts(layout, [first])
    rest = layout.trim(first[1], end)
    return caption[0] if caption else "", _parts(layout, layout.ranges(*rest, limits.text)) if rest[0] < rest[1] else []


def _parts(layout: _Layout, ranges: Sequence[tuple[int, int]]) -> list[str]:
    parts = []
    for range_ in ranges:
        start, end = layout.trim(*range_)
        if start < end:
            parts.append(layout.markup(start, end))
    return parts


def keyboard(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """The buttons as an inline keyboard; ValueError when Telegram would refuse them (over 100 buttons, a
    payload over 64 bytes)."""
    if sum(len(row) for row in rows) > BUTTONS_LIMIT:
        raise ValueError(f"Telegram shows at most {BUTTONS_LIMIT} buttons on a message")
    made: list[list[InlineKeyboardButton]] = []
    for row in rows:
        buttons = []
        for button in row:
            if button.payload is None:
                buttons.append(InlineKeyboardButton(button.label, url=button.url))
                continue
            if len(button.payload.encode("utf-8")) > CALLBACK_DATA_BYTES:
                raise ValueError(f"callback data over {CALLBACK_DATA_BYTES} bytes: {button.payload!r}")
            buttons.append(InlineKeyboardButton(button.label, callback_data=button.payload))
        if buttons:
            made.append(buttons)
    return InlineKeyboardMarkup(made) if made else None


@dataclass(frozen=True)
class Part:
    """One Telegram message of a neutral message: its HTML, and whether it is the file's caption."""

    html: str
    document: bool = False


def render(markup: str, *, document: bool = False, limits: TelegramLimits | None = None) -> list[Part]:
    """The Telegram messages of one neutral message, in order: with a file, the document (caption the
    first part) then the rest of the text; without, the text's parts (none when it shows nothing)."""
    limits = limits or TelegramLimits()
    if document:
        caption, rest = split_caption(markup, limits)
        return [Part(caption, document=True), *(Part(text) for text in rest)]
    return [Part(text) for text in split(markup, limits.text)]


__all__ = ["SEPARATORS", "Part", "keyboard", "render", "split", "split_caption", "utf16_length"]

"""The neutral markup: the project's own format for what the core says, the same for every platform.

Every text the core hands to a platform (`Outgoing.text`, an outbox row's `text`) is plain text with
only these marks, and nothing else:

    <b>…</b>              bold
    <i>…</i>              italic
    <code>…</code>        monospace (holds no other mark)
    <a href="URL">…</a>   a link (holds no other link); in the URL `&` is written `&amp;`, `"` `&quot;`
    &amp; &lt; &gt; &quot;   the characters & < > " (the first three are always written so)

Marks nest properly (`<b><i>x</i></b>`, never `<b><i>x</b></i>`) and never inside themselves. What
people wrote goes through `escape` before it is put in. Each platform renders the markup its own way
(Telegram: its HTML within its limits, `bot/platforms/telegram/render.py`; Zalo: plain text,
`bot/platforms/zalo/render.py`); the format is deliberately small enough for any of them. `validate`
refuses anything else with a `MarkupError` saying what and where, and runs where messages are made
(`Outgoing`, the outbox), so a malformed text fails in the tests that make it, not at the platform.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Mark(StrEnum):
    BOLD = "b"
    ITALIC = "i"
    CODE = "code"
    LINK = "a"


class MarkupError(ValueError):
    """A text that is not the neutral markup (a bug in whoever wrote it: user text must be escaped)."""


_MARKS = {mark.value: mark for mark in Mark}

ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}

# At a "<" or "&": one tag or entity exactly as the format writes it. Anything else there is an error.
_AT_SPECIAL = re.compile(
    r"<(?P<open>b|i|code)>"
    r'|<a href="(?P<href>[^"<>]*)">'
    r"|</(?P<close>b|i|code|a)>"
    r"|(?P<entity>&(?:amp|lt|gt|quot);)"
)
_SPECIAL = re.compile(r"[<>&]")
# The tags and entities `_AT_SPECIAL` reads, all at once by `findall` (see `_plainly_valid`); each
# alternative starts with its literal < or &, so the engine skips text between them twice as fast.
_MARKS_FOUND = re.compile(
    r'<(?:(?P<open>b|i|code)>|a href="(?P<href>[^"<>]*)">|/(?P<close>b|i|code|a)>)|&(?P<entity>(?:amp|lt|gt|quot);)'
)
_HREF_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot);)")
_ENTITY = re.compile("|".join(ENTITIES))


class TokenKind(StrEnum):
    TEXT = "text"  # characters as they are (no entity inside)
    ENTITY = "entity"  # one escaped character
    OPEN = "open"
    CLOSE = "close"


class Token(NamedTuple):
    """A piece of markup: `source` as written, `text` what it shows (empty for a tag). A tuple: every
    answer is tokenized when it is made, and a frozen dataclass cost three times as much to build."""

    kind: TokenKind
    source: str
    text: str = ""
    mark: Mark | None = None
    href: str | None = None  # an opening link's address, unescaped


@dataclass(frozen=True)
class Run:
    """Characters that share their marks: `text` unescaped, `href` the link's address when `Mark.LINK`
    is among `marks`."""

    text: str
    marks: frozenset[Mark] = frozenset()
    href: str | None = None


def escape(text: str) -> str:
    """`text` (what somebody wrote, a plan's wording) as markup that shows exactly that text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The markup's entities as characters, in one pass ("&amp;lt;" becomes "&lt;", not "<")."""
    return _ENTITY.sub(lambda match: ENTITIES[match.group(0)], text)


def _where(markup: str, position: int) -> str:
    return f"at {position} (…{markup[max(0, position - 12) : position + 12]!r}…)"


def tokens(markup: str) -> Iterator[Token]:
    """The markup as tokens, in order; a `MarkupError` at the first thing the format does not allow."""
    stack: list[Mark] = []
    position = 0
    for special in _SPECIAL.finditer(markup):
        start = special.start()
        if start < position:
            continue  # inside a tag already read
        if start > position:
            yield Token(TokenKind.TEXT, markup[position:start], markup[position:start])
        match = _AT_SPECIAL.match(markup, start)
        if match is None:
            char = special.group(0)
            if char == "<":
                raise MarkupError(f"unknown or malformed tag {_where(markup, start)}: write &lt; for a bare <")
            if char == ">":
                raise MarkupError(f"bare > {_where(markup, start)}: write &gt;")
            raise MarkupError(f"bare & {_where(markup, start)}: write &amp; (entities: {' '.join(ENTITIES)})")
        position = match.end()
        source = match.group(0)
        if match.group("entity") is not None:
            yield Token(TokenKind.ENTITY, source, ENTITIES[source])
        elif match.group("close") is not None:
            mark = _MARKS[match.group("close")]
            if not stack or stack[-1] != mark:
                state = f"<{stack[-1].value}> is open" if stack else "nothing is open"
                raise MarkupError(f"unbalanced </{mark.value}> {_where(markup, start)}: {state}")
            stack.pop()
            yield Token(TokenKind.CLOSE, source, mark=mark)
        else:
            href = match.group("href")
            mark = Mark.LINK if href is not None else _MARKS[match.group("open")]
            if mark in stack:
                raise MarkupError(f"<{mark.value}> inside <{mark.value}> {_where(markup, start)}")
            if Mark.CODE in stack:
                raise MarkupError(f"<{mark.value}> inside <code> {_where(markup, start)}: code holds no other mark")
            if href is not None:
                if not href.strip():
                    raise MarkupError(f"a link without an address {_where(markup, start)}")
                if _HREF_AMP.search(href):
                    raise MarkupError(f"bare & in a link's address {_where(markup, start)}: write &amp;")
            stack.append(mark)
            yield Token(TokenKind.OPEN, source, mark=mark, href=unescape(href) if href is not None else None)
    if position < len(markup):
        yield Token(TokenKind.TEXT, markup[position:], markup[position:])
    if stack:
        raise MarkupError(f"unclosed <{stack[-1].value}> at the end of {markup[-24:]!r}")


def validate(markup: str) -> str:
    """`markup` itself when it is the neutral markup, else a `MarkupError` naming the first fault."""
    if not _plainly_valid(markup):
        for _token in tokens(markup):  # raises, naming the fault
            pass
    return markup


def _plainly_valid(markup: str) -> bool:
    """True only for markup `tokens` reads without an error; False for any doubt (`validate` then lets
    `tokens` name the fault). Every answer is validated when made, and a /tasks list has dozens of
    marks: this reads the marks with one `findall` and makes no token and no slice (150 -> 35 us for a
    1,400-character list). Each tag holds exactly one < and one >, an entity one &, and a link's address
    only escaped &s: so the counts of those characters tell whether any stands bare."""
    stack: list[str] = []
    tags = entities = amps_in_links = 0
    for opening, href, closing, entity in _MARKS_FOUND.findall(markup):
        if entity:
            entities += 1
            continue
        tags += 1
        if closing:
            if not stack or stack[-1] != closing:
                return False
            stack.pop()
            continue
        if not opening and not href.strip():
            return False  # a link without an address (or nothing matched: doubt)
        mark = opening or "a"
        if mark in stack or "code" in stack or _HREF_AMP.search(href):
            return False
        amps_in_links += href.count("&")
        stack.append(mark)
    return (
        not stack
        and markup.count("<") == tags
        and markup.count(">") == tags
        and markup.count("&") == entities + amps_in_links
    )


def parse(markup: str) -> tuple[Run, ...]:
    """The markup as runs of text with their marks (adjacent pieces with the same marks joined)."""
    runs: list[Run] = []
    marks: list[Mark] = []
    href: str | None = None
    for token in tokens(markup):
        if token.kind == TokenKind.OPEN:
            assert token.mark is not None
            marks.append(token.mark)
            href = token.href if token.mark == Mark.LINK else href
        elif token.kind == TokenKind.CLOSE:
            closed = marks.pop()
            href = None if closed == Mark.LINK else href
        else:
            current = frozenset(marks)
            if runs and runs[-1].marks == current and runs[-1].href == href:
                runs[-1] = Run(runs[-1].text + token.text, current, href)
            else:
                runs.append(Run(token.text, current, href))
    return tuple(runs)


def plain(markup: str) -> str:
    """The markup as plain text: marks dropped, entities unescaped, a link as "its words (its address)",
    or just the address when that is its words or it has none."""
    out: list[str] = []
    link_start: int | None = None
    href = ""
    for token in tokens(markup):
        if token.kind == TokenKind.OPEN and token.mark == Mark.LINK:
            link_start, href = len(out), token.href or ""
        elif token.kind == TokenKind.CLOSE and token.mark == Mark.LINK and link_start is not None:
            label = "".join(out[link_start:]).strip()
            if not label:
                out.append(href)
            elif label != href:
                out.append(f" ({href})")
            link_start = None
        else:
            out.append(token.text)
    return "".join(out)


__all__ = [
    "ENTITIES",
    "Mark",
    "MarkupError",
    "Run",
    "Token",
    "TokenKind",
    "escape",
    "parse",
    "plain",
    "tokens",
    "unescape",
    "validate",
]

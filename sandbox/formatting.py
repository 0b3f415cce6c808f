"""Message text the way Telegram reads it: HTML parse mode, trimming, auto-detected entities, and back.

`parse_html` follows TDLib's `parse_html` (td/telegram/MessageEntity.cpp), the code behind the Bot
API's `parse_mode=HTML`, down to its error texts and byte offsets, so that a message the sandbox
refuses is one Telegram refuses too. One deliberate difference, on by default (`strict_ampersand`):
Telegram keeps a lone `&` as text, the sandbox refuses it, because it almost always means text that
was not escaped.

Entity offsets and lengths are in UTF-16 code units, as in the Bot API; the 4096 limit counts
characters (code points), as TDLib's `utf8_length` does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

Entity = dict[str, Any]

# TDLib's type priorities: entities starting at the same place with the same length sort by these.
_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
}
ENTITY_TYPES = frozenset(_PRIORITY)
_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
}
# Entities inside which Telegram detects nothing (no links inside code, no commands inside a link).
_OPAQUE = frozenset({"code", "pre", "text_link", "url"})
_TRIMMED = " \t\r\n\v\f"
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})


class EntityParseError(ValueError):
    """The text in `parse_mode=HTML` is not valid; `str(error)` is TDLib's message."""


@dataclass(frozen=True)
class FormattedText:
    text: str
    entities: list[Entity]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16_prefix(text: str) -> list[int]:
    """prefix[i] = UTF-16 offset of text[i]; one more item for the end."""
    prefix = [0] * (len(text) + 1)
    for index, char in enumerate(text):
        prefix[index + 1] = prefix[index] + (2 if ord(char) > 0xFFFF else 1)
    return prefix


def _is_space(char: str) -> bool:
    # TDLib's is_space, which counts the end of the C string as space: `_at` answers "\0" there.
    return char in " \t\r\n\v\0"


def _decode_entity(text: str, position: int) -> tuple[str, int] | None:
    """An HTML character reference at `position` (which holds "&"): its character and where it ends."""
    end = position + 1
    if text.startswith("&#", position):
        end += 1
        code = 0
        if text.startswith("x", end):
            end += 1
            while end < len(text) and text[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(text[end], 16)
                end += 1
        else:
            while end < len(text) and text[end].isdigit() and text[end].isascii():
                code = code * 10 + int(text[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or end - position >= 10:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[position + 1 : end])
        if named is None:
            return None
        char = named
    if end < len(text) and text[end] == ";":
        end += 1
    return char, end


def check_link(url: str) -> str | None:
    """TDLib-like link check: a missing scheme means http; a link it cannot use is dropped (None)."""
    candidate = url
    if not candidate or any(char.isspace() for char in candidate):
        return None
    if "://" not in candidate and not candidate.lower().startswith(("tg:", "ton:", "tonsite:")):
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme in ("http", "https"):
        host = parts.hostname or ""
        if "." not in host and host != "localhost":
            return None
        return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment))
    return candidate


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int
    text_start: int
    expandable: bool


def parse_html(source: str, *, strict_ampersand: bool = True) -> FormattedText:
    """Turn Telegram HTML into plain text and entities, or raise EntityParseError with TDLib's message."""
    size = len(source)

    def at(index: int) -> str:
        return source[index] if index < size else "\0"

    def byte_offset(index: int) -> int:
        return len(source[:index].encode("utf-8"))

    out: list[str] = []
    utf16 = 0
    entities: list[Entity] = []
    stack: list[_Open] = []
    i = 0
    while i < size:
        char = source[i]
        if char == "&":
            decoded = _decode_entity(source, i)
            if decoded is not None:
                value, i = decoded
                out.append(value)
                utf16 += 2 if ord(value) > 0xFFFF else 1
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Unescaped "&" at byte offset {byte_offset(i)}; write it as &amp; '
                    "(the sandbox is stricter than Telegram here)"
                )
        if char != "<":
            out.append(char)
            utf16 += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            tag = source[begin + 1 : i].lower()
            if tag not in _SUPPORTED_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}')
            argument = ""
            expandable = False
            while at(i) != ">":
                while i < size and _is_space(at(i)):
                    i += 1
                if at(i) == ">":
                    break
                attribute_begin = i
                while not _is_space(at(i)) and at(i) not in "=>":
                    i += 1
                attribute = source[attribute_begin:i]
                if not attribute:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset(begin)}'
                    )
                while i < size and _is_space(at(i)):
                    i += 1
                if tag == "blockquote" and attribute.lower() == "expandable" and at(i) != "=":
                    # The one attribute Telegram takes without a value: <blockquote expandable>.
                    expandable = True
                    if i >= size:
                        raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
                    continue
                if at(i) != "=":
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {byte_offset(begin)}'
                    )
                i += 1
                while i < size and _is_space(at(i)):
                    i += 1
                if i >= size:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {byte_offset(begin)}')
                if at(i) not in "'\"":
                    # A name token: letters, digits, periods and hyphens, case-insensitive.
                    token_begin = i
                    while (at(i).isascii() and at(i).isalnum()) or at(i) in ".-":
                        i += 1
                    value = source[token_begin:i].lower()
                    if not _is_space(at(i)) and at(i) != ">":
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {byte_offset(token_begin)}"
                        )
                else:
                    quote = at(i)
                    i += 1
                    parts: list[str] = []
                    while i < size and at(i) != quote:
                        if at(i) == "&":
                            decoded = _decode_entity(source, i)
                            if decoded is not None:
                                parts.append(decoded[0])
                                i = decoded[1]
                                continue
                        parts.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(parts)
                if i >= size:
                    raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
                name = attribute.lower()
                if tag == "a" and name == "href":
                    argument = value
                elif tag == "code" and name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and name == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}')
            stack.append(_Open(tag, argument, utf16, len(out), expandable))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            end_tag = source[begin + 2 : i].lower()
            while i < size and _is_space(at(i)):
                i += 1
            if at(i) != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            opened = stack[-1]
            if end_tag and end_tag != opened.tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{opened.tag}>", found "</{end_tag}>"'
                )
            if utf16 > opened.offset:
                _close(opened, utf16 - opened.offset, "".join(out[opened.text_start :]), entities)
            stack.pop()
        i += 1
    if stack:
        raise EntityParseError(f"Can't find end tag corresponding to start tag {stack[-1].tag}")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    text = "".join(out)
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return FormattedText(text, sort_entities(entities))


def _close(opened: _Open, length: int, inner_text: str, entities: list[Entity]) -> None:
    tag, offset = opened.tag, opened.offset
    if tag in _SIMPLE_TAGS:
        entities.append({"type": _SIMPLE_TAGS[tag], "offset": offset, "length": length})
    elif tag == "span":
        entities.append({"type": "spoiler", "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not opened.argument.isdigit() or int(opened.argument) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {"type": "custom_emoji", "offset": offset, "length": length, "custom_emoji_id": opened.argument}
        )
    elif tag == "a":
        url = check_link(opened.argument or inner_text)
        if url is not None:
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last
            and last["type"] == "code"
            and (last["offset"], last["length"]) == (offset, length)
            and last.get("language")
        ):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        last = entities[-1] if entities else None
        if last and last["type"] == "pre" and (last["offset"], last["length"]) == (offset, length) and opened.argument:
            last["language"] = opened.argument
        else:
            entity: Entity = {"type": "code", "offset": offset, "length": length}
            if opened.argument:
                entity["language"] = opened.argument
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if opened.expandable else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


def sort_entities(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def trim(formatted: FormattedText) -> FormattedText:
    """Drop leading and trailing whitespace, as Telegram does, moving and clipping entities to match."""
    text = formatted.text
    stripped = text.lstrip(_TRIMMED)
    shift = utf16_length(text[: len(text) - len(stripped)])
    result = stripped.rstrip(_TRIMMED)
    end = utf16_length(result)
    entities: list[Entity] = []
    for entity in formatted.entities:
        start = max(0, entity["offset"] - shift)
        stop = min(end, entity["offset"] + entity["length"] - shift)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return FormattedText(result, entities)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _hashtag_letter(char: str) -> bool:
    return char.isalpha() or char.isdecimal() or char in "_\u200c\u00b7"


_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def detect_entities(text: str) -> list[Entity]:
    """The entities Telegram finds by itself: bot commands, mentions, hashtags and http(s) links.

    A simplification of TDLib's find_entities: links are found only with their scheme, and e-mail
    addresses, cashtags and phone numbers are not looked for (the product never relies on them).
    """
    prefix = _utf16_prefix(text)
    found: list[tuple[str, int, int]] = []
    size = len(text)
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char == "/" and not (before and (_word(before) or before in "/<>")):
            end = index + 1
            while end < size and _ascii_word(text[end]) and end - index <= 64:
                end += 1
            if not 1 <= end - index - 1 <= 64:
                continue
            if end < size and text[end] == "@":
                mention_end = end + 1
                while mention_end < size and _ascii_word(text[mention_end]):
                    mention_end += 1
                if not 3 <= mention_end - end - 1 <= 32:
                    continue
                end = mention_end
            after = text[end] if end < size else ""
            if after and (_word(after) or after in "/<>"):
                continue
            found.append(("bot_command", index, end))
        elif char == "@" and not (before and _word(before)):
            end = index + 1
            while end < size and _ascii_word(text[end]):
                end += 1
            after = text[end] if end < size else ""
            if 2 <= end - index - 1 <= 32 and not (after and _word(after)):
                found.append(("mention", index, end))
        elif char == "#" and not (before and _hashtag_letter(before)):
            end = index + 1
            while end < size and _hashtag_letter(text[end]):
                end += 1
            body = text[index + 1 : end]
            if body and not text.startswith("#", end) and any(c.isalpha() for c in body):
                found.append(("hashtag", index, min(end, index + 257)))
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?)]}'»\"":
            end -= 1
        if end > match.start() + len("http://"):
            found.append(("url", match.start(), end))
    entities = [
        {"type": kind, "offset": prefix[start], "length": prefix[end] - prefix[start]} for kind, start, end in found
    ]
    # A "/path" inside a link is part of the link, not a command.
    urls = [e for e in entities if e["type"] == "url"]
    return [e for e in entities if e["type"] == "url" or not any(_overlap(e, u) for u in urls)]


def _overlap(a: Entity, b: Entity) -> bool:
    return bool(a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"])


def add_detected(formatted: FormattedText) -> FormattedText:
    """The formatted text plus what Telegram detects in it, except inside code, pre and links."""
    opaque = [e for e in formatted.entities if e["type"] in _OPAQUE]
    detected = [e for e in detect_entities(formatted.text) if not any(_overlap(e, o) for o in opaque)]
    return FormattedText(formatted.text, sort_entities([*formatted.entities, *detected]))


@dataclass
class _Node:
    entity: Entity | None
    start: int
    end: int
    children: list[_Node]


def entities_to_html(text: str, entities: list[Entity]) -> str:
    """Safe HTML for the web page: every character escaped, only known tags, only http(s)/tg links.

    Entities that cross each other (possible only through an explicit `entities` parameter) are left
    out of the rendering rather than producing broken markup.
    """
    prefix = _utf16_prefix(text)
    index_of = {offset: index for index, offset in enumerate(prefix)}
    root = _Node(None, 0, prefix[-1], [])
    stack = [root]
    for entity in sort_entities([e for e in entities if e.get("length", 0) > 0]):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if start not in index_of or end not in index_of or end > prefix[-1]:
            continue
        while stack[-1] is not root and stack[-1].end <= start:
            stack.pop()
        parent = stack[-1]
        if end > parent.end:
            continue
        node = _Node(entity, start, end, [])
        parent.children.append(node)
        stack.append(node)

    def render(node: _Node) -> str:
        pieces: list[str] = []
        cursor = node.start
        for child in node.children:
            pieces.append(html.escape(text[index_of[cursor] : index_of[child.start]]))
            pieces.append(render(child))
            cursor = child.end
        pieces.append(html.escape(text[index_of[cursor] : index_of[node.end]]))
        inner = "".join(pieces)
        if node.entity is None:
            return inner
        opening, closing = _html_tags(node.entity, text[index_of[node.start] : index_of[node.end]])
        return f"{opening}{inner}{closing}"

    return render(root)


def _html_tags(entity: Entity, covered: str) -> tuple[str, str]:
    kind = entity["type"]
    simple = {
        "bold": "b",
        "italic": "i",
        "underline": "u",
        "strikethrough": "s",
        "code": "code",
        "blockquote": "blockquote",
        "expandable_blockquote": "blockquote",
    }
    if kind in simple:
        tag = simple[kind]
        return f"<{tag}>", f"</{tag}>"
    if kind == "pre":
        language = html.escape(str(entity.get("language", "")), quote=True)
        return f'<pre data-language="{language}">', "</pre>"
    if kind == "spoiler":
        return '<span class="spoiler">', "</span>"
    if kind in ("text_link", "url"):
        url = str(entity.get("url", covered)) if kind == "text_link" else covered
        checked = check_link(url)
        if checked is None or not checked.lower().startswith(("http://", "https://")):
            return '<span class="link">', "</span>"
        href = html.escape(checked, quote=True)
        return f'<a href="{href}" target="_blank" rel="noopener noreferrer">', "</a>"
    if kind == "bot_command":
        command = html.escape(covered, quote=True)
        return f'<span class="command" data-command="{command}">', "</span>"
    if kind in ("mention", "hashtag"):
        return f'<span class="{kind}">', "</span>"
    return "<span>", "</span>"


__all__ = [
    "ENTITY_TYPES",
    "Entity",
    "EntityParseError",
    "FormattedText",
    "add_detected",
    "check_link",
    "detect_entities",
    "entities_to_html",
    "parse_html",
    "sort_entities",
    "trim",
    "utf16_length",
]

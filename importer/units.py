"""Unit cells: text normalisation, splitting a cell into unit names, and names that probably mean one unit.

The store reuses `unit_key` and `near_duplicate` to compare new names with units already registered.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from importer.document import NearDuplicate, UnitKind, UnitRef
from locales.text import strip_diacritics
from models.registry import unit_key

WHY_DIACRITICS = "diacritics"
WHY_ABBREVIATION = "abbreviation"
WHY_SPELLING = "spelling"

SPELLING_RATIO = 0.92
# Beyond this many distinct names, only names sharing their first word are compared (keeps it near-linear).
ALL_PAIRS_LIMIT = 300

# Invisible characters that Word and web pages leave in text; they would make equal names differ.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SEPARATOR = re.compile(r"([,;\n])")
_BULLET = re.compile(r"^(?:[-–—+•●▪*]\s+)+")
_TRAILING_DOTS = re.compile(r"[\s.]+$")
# Cells that say "no unit" in Vietnamese tables.
_NO_UNIT = frozenset({"", "-", "–", "—", "x", "--", "…", "..."})
# Heading words of a name that stands for several units (data: Vietnamese).
_GROUP_PREFIXES = ("các ", "tất cả", "toàn bộ")
# An all-caps token such as "CDS", "UBND" or "KH&CN" ("&" stands for the word "và").
_ABBREVIATION = re.compile(r"^[^\W\d_]+(?:&[^\W\d_]+)*$")
_AND_WORD = "va"
_DIGITS = re.compile(r"\d+")


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, any run of whitespace (newlines included) as one space, stripped."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii() and _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    # str.split() splits on the same Unicode whitespace as \s, and is several times faster than re.sub.
    return " ".join(text.split())


# `text` without Vietnamese diacritics ("đ" becomes "d"), for comparisons only; the name importer.table uses.
fold_diacritics = strip_diacritics


def split_units(cell: str) -> tuple[UnitRef, ...]:
    """The units named in one lead/coordinating cell, as written, without duplicates.

    `cell` may keep the line breaks of a Word or Excel cell: each line is a separate name unless it
    continues the previous one (starts with a lowercase letter).
    """
    names: list[str] = []
    pieces = _SEPARATOR.split(cell)
    # pieces alternate: text, separator, text, ...
    separator = ""
    for index, raw in enumerate(pieces):
        if index % 2 == 1:
            separator = raw
            continue
        piece = _BULLET.sub("", normalize_text(raw))
        if not piece:
            continue
        if names and piece[0].isalpha() and piece[0].islower():
            # "Các phòng, đơn vị trực thuộc Sở": a comma inside one name; a wrapped line joins with a space.
            joiner = " " if separator == "\n" else f"{separator} "
            names[-1] = f"{names[-1]}{joiner}{piece}"
        else:
            names.append(piece)

    units: list[UnitRef] = []
    seen: set[str] = set()
    for written in names:
        name = _TRAILING_DOTS.sub("", written)
        if name.casefold() in _NO_UNIT:
            continue
        key = unit_key(name)
        if key in seen:
            continue
        seen.add(key)
        kind = UnitKind.GROUP if key.startswith(_GROUP_PREFIXES) else UnitKind.SINGLE
        units.append(UnitRef(name=name, kind=kind))
    return tuple(units)


def _abbreviation_pattern(token: str) -> tuple[str, ...] | None:
    """The words an all-caps token stands for: one initial per letter, "va" for "&"; None if not one."""
    if not token.isupper() or not _ABBREVIATION.match(token):
        return None
    pattern = tuple(_AND_WORD if char == "&" else char for char in strip_diacritics(token.casefold()))
    if sum(1 for item in pattern if item != _AND_WORD) < 2:
        return None
    return pattern


@dataclass(frozen=True)
class _Name:
    """A unit name with what the comparisons need, computed once per name."""

    written: str
    key: str
    folded: str
    words: tuple[str, ...]  # folded words
    patterns: tuple[tuple[str, ...] | None, ...]  # per word, what it abbreviates
    numbers: tuple[str, ...]  # "Trường số 1" and "Trường số 2" are different units, however alike


def _prepare(name: str) -> _Name:
    written = normalize_text(name)
    key = unit_key(written)
    folded = strip_diacritics(key)
    tokens = written.split(" ")
    return _Name(
        written=written,
        key=key,
        folded=folded,
        words=tuple(folded.split(" ")),
        patterns=tuple(_abbreviation_pattern(token) for token in tokens),
        numbers=tuple(_DIGITS.findall(folded)),
    )


def _cover_ends(pattern: tuple[str, ...], words: tuple[str, ...], start: int) -> list[int]:
    """Where the words that `pattern` abbreviates can end, when they begin at `start`.

    Each letter is the initial of one word, or of a two-syllable word ("TĐC": Tiêu chuẩn Đo lường Chất
    lượng; "CDS": Chuyển đổi số); "&" is the word "và".
    """
    ends = {start}
    for expected in pattern:
        following: set[int] = set()
        for at in ends:
            if at >= len(words):
                continue
            if expected == _AND_WORD:
                if words[at] == _AND_WORD:
                    following.add(at + 1)
            elif words[at][:1] == expected:
                following.add(at + 1)
                if at + 1 < len(words):
                    following.add(at + 2)
        ends = following
        if not ends:
            break
    return sorted(ends)


def _expands(a: _Name, b: _Name) -> bool:
    """Whether the names are equal once abbreviations (on either side) are read as initials of words."""
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(a.words) or j == len(b.words):
            result = i == len(a.words) and j == len(b.words)
        else:
            result = a.words[i] == b.words[j] and match(i + 1, j + 1)
            pattern = a.patterns[i]
            if not result and pattern is not None:
                result = any(match(i + 1, end) for end in _cover_ends(pattern, b.words, j))
            pattern = b.patterns[j]
            if not result and pattern is not None:
                result = any(match(end, j + 1) for end in _cover_ends(pattern, a.words, i))
        memo[(i, j)] = result
        return result

    return match(0, 0)


def _compare(a: _Name, b: _Name) -> str | None:
    if a.key == b.key or a.numbers != b.numbers:
        return None
    if a.folded == b.folded:
        return WHY_DIACRITICS
    if (any(a.patterns) or any(b.patterns)) and _expands(a, b):
        return WHY_ABBREVIATION
    # The cheap upper bounds first: most pairs are far apart (the length bound is real_quick_ratio's).
    shorter, longer = sorted((len(a.folded), len(b.folded)))
    if 2 * shorter < SPELLING_RATIO * (shorter + longer):
        return None
    matcher = SequenceMatcher(None, a.folded, b.folded, autojunk=False)
    if matcher.quick_ratio() >= SPELLING_RATIO and matcher.ratio() >= SPELLING_RATIO:
        return WHY_SPELLING
    return None


def near_duplicate(name: str, other: str) -> str | None:
    """Why two unit names probably mean the same unit ("diacritics", "abbreviation", "spelling"), or None.

    Names equal up to case and spacing are the same unit, not near-duplicates; names with different
    numbers in them ("Trường số 1", "Trường số 2") are different units: both None.
    """
    return _compare(_prepare(name), _prepare(other))


def _character_bags(names: list[_Name]) -> list[int]:
    """Each name's folded characters as a multiset packed into an int: character c with count k sets k
    bits of c's field, so the size of two bags' intersection is one AND and a bit count."""
    counts = [Counter(name.folded) for name in names]
    width = max((max(count.values()) for count in counts if count), default=1)
    fields: dict[str, int] = {}
    bags = []
    for count in counts:
        bag = 0
        for char, times in count.items():
            bag |= ((1 << times) - 1) << (fields.setdefault(char, len(fields)) * width)
        bags.append(bag)
    return bags


def _candidate_pairs(names: list[_Name], groups: list[list[int]]) -> Iterator[tuple[int, int]]:
    """The pairs (i < j) within each group that `_compare` could find alike, without comparing the rest.

    Alike needs equal folded names, an abbreviation, or a spelling ratio of at least SPELLING_RATIO,
    which SequenceMatcher.quick_ratio (twice the shared characters over both lengths) bounds from above.
    Names with an abbreviation are paired with all; the others only when lengths and shared characters
    allow that ratio: exact, and near-linear where names differ (600 "Phòng …" names took 4.7 s).
    """
    bags = _character_bags(names)
    lengths = [len(name.folded) for name in names]
    for group in groups:
        abbreviated = {i for i in group if any(names[i].patterns)}
        for i in abbreviated:
            for j in group:
                if j != i and (j not in abbreviated or i < j):
                    yield min(i, j), max(i, j)
        plain = sorted((i for i in group if not any(names[i].patterns)), key=lambda i: lengths[i])
        for position, i in enumerate(plain):
            for j in plain[position + 1 :]:
                total = lengths[i] + lengths[j]
                if 2 * lengths[i] < SPELLING_RATIO * total:
                    break  # sorted by length: every later name is longer still
                if 2 * (bags[i] & bags[j]).bit_count() >= SPELLING_RATIO * total:
                    yield min(i, j), max(i, j)


def find_near_duplicates(names: Iterable[str]) -> tuple[NearDuplicate, ...]:
    """Pairs among the distinct `names` (first spelling of each key, in order) that look like one unit."""
    distinct: dict[str, _Name] = {}
    seen: set[str] = set()
    for name in names:
        # A plan repeats a few names thousands of times: prepare each spelling once.
        if name in seen:
            continue
        seen.add(name)
        prepared = _prepare(name)
        distinct.setdefault(prepared.key, prepared)
    ordered = list(distinct.values())

    if len(ordered) <= ALL_PAIRS_LIMIT:
        groups: list[list[int]] = [list(range(len(ordered)))]
    else:
        by_first_word: dict[str, list[int]] = defaultdict(list)
        for index, prepared in enumerate(ordered):
            by_first_word[prepared.words[0]].append(index)
        groups = list(by_first_word.values())

    found: list[tuple[int, int, NearDuplicate]] = []
    for i, j in _candidate_pairs(ordered, groups):
        why = _compare(ordered[i], ordered[j])
        if why is not None:
            found.append((i, j, NearDuplicate(name=ordered[i].written, other=ordered[j].written, why=why)))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(pair for _, _, pair in found)

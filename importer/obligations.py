"""Plan-wide reporting duties stated in a plan's body, proposed to the admin.

A plan's body often adds a duty that is in no table row, for example "Các phòng, đơn vị trực thuộc Sở
… định kỳ trước ngày 15/11 hàng năm báo cáo tiến độ … gửi Phòng Quản lý Tiêu chuẩn Đo lường Chất
lượng để tổng hợp". A duty is a clause with the verb "báo cáo" and a dated time phrase; the phrase is
kept as written and must read, in the schedule language, as dated schedules (yearly, quarterly,
monthly or once). "Định kỳ … theo quy định" with no cycle and no date is no duty.

The text is folded one character to one (lower case, no diacritics; dashes kept as written), so every
position found in the folded text is a position in the original, from which the words are quoted as
written.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from itertools import islice

from importer.document import ObligationProposal
from importer.units import normalize_text
from locales.text import CITATION, NEXT_YEAR, WORD_END, WORD_START, YEAR, fold
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import Monthly, Once, Quarterly, Yearly

__all__ = ["find_obligations"]

# The kinds of schedule a duty may have: an undated "định kỳ" (ongoing) or an event is not a deadline.
_DATED = (Once, Yearly, Quarterly, Monthly)
# Only the kinds of the schedules are checked, and they do not depend on the issue date.
_ANY_ISSUE_DATE = date(2025, 1, 1)
# Paragraphs longer than this are not prose a duty is stated in (a pasted table, a data dump).
_MAX_PARAGRAPH = 20_000
_MAX_SUBJECT_WORDS = 30
_MAX_RECIPIENT_WORDS = 14


# ---- patterns over folded Vietnamese administrative wording (data) -----------------------------------

_START = WORD_START
_STOP = WORD_END

# A cheap first test on the NFC text, so that paragraphs without the verb cost almost nothing.
_MAY_REPORT = re.compile(r"b[aáàảãạ]o\s+c[aáàảãạ]o", re.IGNORECASE)
_REPORT = re.compile(
    _START + r"bao\s+cao" + _STOP + r"(?!\s+(?:so\s+[0-9]|[0-9]+[/-][a-z]))"  # "Báo cáo số 12/BC-…" is a citation
)
_DAY_MONTH = r"[0-9]{1,2}\s*/\s*[0-9]{1,2}"
_DATE = _DAY_MONTH + r"(?:\s*/\s*" + YEAR + r")?(?![0-9/])"
_DATE_WORDS = r"[0-9]{1,2}\s+thang\s+[0-9]{1,2}(?:\s*,?\s*nam\s+" + YEAR + r")?(?![0-9])"
# "ngày 25 của tháng cuối quý", "ngày 20 hằng tháng" (the cycle itself is its own atom).
_DAY_OF_PERIOD = (
    r"[0-9]{1,2}(?:\s+(?:cua\s+)?thang\s+(?:cuoi|dau)(?:\s+(?:cua\s+)?(?:moi\s+|hang\s+)?(?:qu[iy]|ky(?:\s+bao\s+cao)?|nam))?)?"
    r"(?![0-9/])"
)
_LEAD = r"(?:truoc|cham\s+nhat(?:\s+(?:la|vao|truoc))?|den\s+het|den|vao|han\s+chot(?:\s+la)?)"


class _Kind(Enum):
    STRONG = "strong"  # a cycle or a deadline: enough for a time phrase
    WEAK = "weak"  # "định kỳ", "ngày 15/6": part of a phrase, never one alone
    NEXT = "next"  # "15/12" or "năm" after "và" or ",": only continues a list


# Order matters: at one position the first alternative that matches wins, so longer forms come first.
_ATOMS: tuple[tuple[str, _Kind, str], ...] = (
    # Matched first only to consume a citation, so that its date is never read as a deadline.
    ("citation", _Kind.WEAK, CITATION.pattern.removeprefix(_START)),
    ("semi_year", _Kind.STRONG, r"(?:(?:hang|moi|tung|dinh\s+ky)\s+)?(?:6|sau)\s+thang\s*(?:,|va)\s*(?:ca\s+)?nam"),
    (
        "cycle",
        _Kind.STRONG,
        r"(?:dinh\s+ky\s+)?(?:(?:hang|moi|tung)\s+(?:nam|qu[iy]|thang)|thuong\s+nien"
        r"|(?:hang|moi|tung|dinh\s+ky)\s+(?:6|sau)\s+thang(?!\s+(?:dau|cuoi)" + _STOP + r"))",
    ),
    # "trước ngày 20 tháng 01 năm sau": the year after is part of the deadline (a yearly duty).
    (
        "deadline",
        _Kind.STRONG,
        _LEAD
        + r"\s+(?:ngay\s+(?:"
        + _DATE_WORDS
        + "|"
        + _DATE
        + "|"
        + _DAY_OF_PERIOD
        + ")|"
        + _DATE
        + r")(?:\s+"
        + NEXT_YEAR
        + ")?",
    ),
    # Without a lead word only a day without a year: with a year it is a cited document's date.
    (
        "day",
        _Kind.WEAK,
        r"ngay\s+(?:[0-9]{1,2}\s+thang\s+[0-9]{1,2}(?![0-9])(?!\s*,?\s*nam\s+[0-9])|"
        + _DAY_MONTH
        + r"(?![0-9/])|"
        + _DAY_OF_PERIOD
        + ")",
    ),
    ("periodic", _Kind.WEAK, r"dinh\s+ky"),
    ("more_date", _Kind.NEXT, _DATE),
    (
        "more_cycle",
        _Kind.NEXT,
        r"(?:(?:hang|moi)\s+)?(?:ca\s+)?(?:nam|qu[iy](?!\s+(?:dinh|che|hoach|trinh|chuan|mo|pham)" + _STOP + r"))"
        r"(?!\s*[0-9])",
    ),
)
# The words an atom can start with, checked first so that other words are passed over quickly.
_ATOM_FIRST = r"(?=[0-9]|(?:so|hang|moi|tung|dinh|sau|thuong|truoc|cham|den|vao|han|ngay|ca|nam|qu[iy])" + _STOP + ")"
_ATOM = re.compile(
    _START + _ATOM_FIRST + "(?:" + "|".join(f"(?P<{name}>{pattern})" for name, _, pattern in _ATOMS) + ")" + _STOP
)
_ATOM_KIND = {name: kind for name, kind, _ in _ATOMS}
# Between the atoms of one phrase: spaces, commas, parentheses and one "và"/"hoặc".
_GAP = re.compile(r"[\s,()]*(?:(?:va|hoac)" + _STOP + r"[\s,()]*)?")
_LIST_GAP = re.compile(r".*(?:,|va|hoac)")
# "ngân sách hằng năm", "kế hoạch hằng năm": the cycle belongs to the noun, not to a report.
_NOUN_BEFORE = re.compile(_START + r"(?:ngan\s+sach|kinh\s+phi|du\s+toan|von|ke\s+hoach|chuong\s+trinh|chi\s+tieu)\s*$")
# Other work between a time phrase and "báo cáo" takes the phrase: "tổ chức tập huấn hằng năm và báo cáo".
_OTHER_WORK = re.compile(
    _START + r"(?:to\s+chuc|trien\s+khai|xay\s+dung|ban\s+hanh|tap\s+huan|tuyen\s+truyen|dao\s+tao|bo\s+tri"
    r"|kiem\s+tra|khao\s+sat|ra\s+soat|phan\s+cong)" + _STOP
)
_AND_BEFORE = re.compile(r"^[\s,]*va[\s,]*$")

# Words that end a subject: the verbs and adverbials a duty sentence goes on with.
_SUBJECT_END = re.compile(
    _START + r"(?:can\s+cu|co\s+trach\s+nhiem|chiu\s+trach\s+nhiem|co\s+nhiem\s+vu|chu\s+dong|chu\s+tri|phoi\s+hop"
    r"|to\s+chuc|trien\s+khai|thuc\s+hien|xay\s+dung|phan\s+cong|tham\s+muu|theo\s+doi|tong\s+hop|bao\s+cao"
    r"|gui|nop|dinh\s+ky|truoc|cham\s+nhat|(?:hang|moi)\s+(?:nam|qu[iy]|thang)|kiem\s+tra|don\s+doc"
    r"|ra\s+soat|cap\s+nhat|bo\s+tri|tiep\s+tuc|khan\s+truong|tren\s+co\s+so|theo\s+chuc\s+nang|dam\s+bao"
    r"|bao\s+dam|huong\s+dan|ban\s+hanh|quan\s+triet|de\s+xuat|cung\s+cap|nghien\s+cuu|thong\s+ke|danh\s+gia"
    r"|tiep\s+nhan|phai|can|se|la)" + _STOP + r"|:"
)
# "Các tổ chức", "được giao chủ trì": the word is part of the noun phrase there.
_IN_NOUN_PHRASE = re.compile(_START + r"(?:cac|nhung|cua|duoc|giao|moi)\s+$")
_SUBJECT_LEAD = re.compile(r"(?:de\s+nghi|yeu\s+cau|giao)\s+")
# An opening phrase before the subject: "Căn cứ nhiệm vụ được giao, các đơn vị báo cáo …".
_OPENING_PHRASE = re.compile(r"(?:can\s+cu|tren\s+co\s+so|theo|de|nham|sau\s+khi)\s[^,;:]*,\s*")
_RECIPIENT_VERBS = (
    re.compile(_START + r"gui\s+(?:(?:ve|den|toi|cho|len)\s+)?"),
    re.compile(_START + r"(?:ve|cho|len|den|toi)\s+"),
    re.compile(_START + r"bao\s+cao\s+"),
)
# Who a report can go to when the name follows "về" or "báo cáo" directly; the name is capitalised except
# for these words, which are written in lower case ("báo cáo lãnh đạo Sở").
_RECIPIENT_HEAD = re.compile(
    r"(?:so|uy\s+ban|ubnd|bo|phong|van\s+phong|ban|trung\s+tam|chi\s+cuc|cuc|tong\s+cuc|hoi\s+dong"
    r"|thuong\s+truc|tinh\s+uy|huyen\s+uy|thanh\s+uy|giam\s+doc|chu\s+tich|lanh\s+dao|thu\s+truong|co\s+quan)" + _STOP
)
_LOWERCASE_HEAD = re.compile(r"(?:lanh\s+dao|thu\s+truong)" + _STOP)
# Lower-case words that end a name: what the sentence goes on with after it ("… để tổng hợp").
_RECIPIENT_END = re.compile(
    _START + r"(?:de|truoc|cham|theo|qua|trong|dinh|vao|tong|bao|dong|kem|ke|tu|sau|khi|nham|bang|tren|dung|dam"
    r"|cung|gui|ngay|hang|moi|thuc|ket\s+qua|tinh\s+hinh|tien\s+do|viec|noi\s+dung|so\s+lieu|thong\s+tin"
    r"|danh\s+sach|kho\s+khan|(?P<and>va))" + _STOP
)
_PUNCTUATION_END = re.compile(r"[,;:.()!?\"“”]")

_LIST_MARK = re.compile(r"^(?:\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]|\(?[a-zđ]\)|[-–—+•●▪*])\s+")
_SENTENCE_END = re.compile(r"[.!?](?:\s*/\s*\.)?(?=\s+(?P<next>\S))")
_ABBREVIATIONS = frozenset({"tp", "tx", "q", "p", "kt", "ts", "ths", "pgs", "gs", "tt", "ncs"})
_CLAUSE_END = re.compile(r";")
_TITLE_HEADING = "ke hoach"
_DOCUMENT = (
    r"(?:luat|nghi\s+dinh|nghi\s+quyet|quyet\s+dinh|thong\s+tu|chi\s+thi|ke\s+hoach|cong\s+van|van\s+ban"
    r"|huong\s+dan|chuong\s+trinh|de\s+an)"
)
# Captions, subject lines and the legal basis ("Căn cứ Thông tư số …", "Thực hiện Kế hoạch số …") cite
# documents, whose titles may speak of reports; they state no duty of this plan.
_NOT_A_DUTY = re.compile(
    r"[(\s]*(?:(?:kem\s+theo|v/v|ve\s+viec|trich\s+yeu|can\s+cu\s+"
    + _DOCUMENT
    + r")"
    + _STOP
    + r"|thuc\s+hien\s+"
    + _DOCUMENT
    + r"\s+(?:so\s+)?[0-9])"
)
_ENDS_PARAGRAPH = (".", ";", ":", "!", "?", "…")


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    kind: _Kind


@dataclass(frozen=True, slots=True)
class _Run:
    start: int
    end: int


def _paragraphs(prose: Sequence[str]) -> Iterator[str]:
    """Whole paragraphs: a line that continues the previous one (no end mark, a lower-case start) joins it.

    Lines are only stripped here; a paragraph is normalised once it is known to mention a report.
    """
    parts: list[str] = []
    for raw in prose:
        line = raw.strip()
        if not line:
            if parts:
                yield " ".join(parts)
            parts = []
            continue
        if parts and not parts[-1].endswith(_ENDS_PARAGRAPH) and line[0].islower() and not _LIST_MARK.match(line):
            parts.append(line)
            continue
        if parts:
            yield " ".join(parts)
        parts = [line]
    if parts:
        yield " ".join(parts)


def _is_title_heading(paragraph: str) -> bool:
    return len(paragraph) <= 20 and fold(unicodedata.normalize("NFC", paragraph).strip(" #*_")) == _TITLE_HEADING


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        following = match.group("next")
        space = text.rfind(" ", start, match.start())
        word = text[start if space == -1 else space + 1 : match.start()].casefold()
        # "TP. Quảng Ngãi" goes on; a sentence ends before a capital or a number.
        if not (following.isupper() or following.isdigit()) or word in _ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.start("next")
    spans.append((start, len(text)))
    return spans


def _clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _CLAUSE_END.finditer(text, start, end):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, end))
    return spans


def _atoms(folded: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _ATOM.finditer(folded):
        name = match.lastgroup
        if name is None or name == "citation":
            continue
        start = match.start()
        if (
            name == "cycle"
            and not folded.startswith("dinh", start)
            and _NOUN_BEFORE.search(folded, max(0, start - 20), start)
        ):
            continue
        atoms.append(_Atom(start, match.end(), _ATOM_KIND[name]))
    return atoms


def _runs(atoms: list[_Atom], folded: str) -> tuple[_Run, ...]:
    """Time phrases: atoms next to each other, with at least one cycle or deadline.

    A phrase never crosses a clause or a sentence: the gaps it may hold have no ";" and no ".".
    """
    runs: list[_Run] = []
    group: list[_Atom] = []

    def close() -> None:
        if any(atom.kind is _Kind.STRONG for atom in group):
            runs.append(_Run(group[0].start, group[-1].end))
        group.clear()

    for atom in atoms:
        joins = group and _GAP.fullmatch(folded, group[-1].end, atom.start)
        # "15/12" or "năm" alone continues a list ("ngày 20/6 và 20/12"), never a plain phrase.
        if joins and (atom.kind is not _Kind.NEXT or _LIST_GAP.match(folded, group[-1].end, atom.start)):
            group.append(atom)
            continue
        close()
        if atom.kind is not _Kind.NEXT:
            group.append(atom)
    close()
    return tuple(runs)


def _run_start(run: _Run) -> int:
    return run.start


@dataclass(frozen=True, slots=True)
class _Paragraph:
    text: str  # NFC, single spaces, without its list mark
    folded: str  # `text` folded, position for position
    runs: tuple[_Run, ...]  # its time phrases

    def runs_in(self, start: int, end: int) -> list[_Run]:
        found: list[_Run] = []
        # Runs are in order and do not overlap: those from `start` on, until one ends past `end`.
        for run in islice(self.runs, bisect_left(self.runs, start, key=_run_start), None):
            if run.end > end:
                break
            found.append(run)
        return found


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the parenthesis it leaves open: "hằng quý (trước ngày 25 …)"."""
    phrase = text[start:end]
    opened = phrase.count("(") - phrase.count(")")
    if opened > 0:
        after = text[end:]
        stripped = after.lstrip()
        if stripped.startswith(")"):
            end += len(after) - len(stripped) + 1
    elif opened < 0:
        before = text[:start]
        stripped = before.rstrip()
        if stripped.endswith("("):
            start = len(stripped) - 1
    return start, end


@lru_cache(maxsize=1024)
def _is_dated(time_text: str) -> bool:
    schedules = parse_time_text(time_text, _ANY_ISSUE_DATE, None).schedules
    return bool(schedules) and all(isinstance(schedule, _DATED) for schedule in schedules)


def _duty_runs(paragraph: _Paragraph, start: int, end: int) -> tuple[list[_Run], int]:
    """The time phrases of the report in the clause at [start, end), and where its verb is (-1: no report)."""
    text, folded = paragraph.text, paragraph.folded
    verb = _REPORT.search(folded, start, end)
    if verb is None:
        return [], -1
    kept: list[_Run] = []
    for run in paragraph.runs_in(start, end):
        # A phrase that opens the clause ("Hằng năm, …") sets the time of all of it.
        opens = not folded[start : run.start].strip(" ,(")
        if run.end <= verb.start() and not opens:
            gap = folded[run.end : verb.start()]
            if _OTHER_WORK.search(gap) or _AND_BEFORE.match(gap):
                continue
        span = _balanced(text, run.start, run.end)
        kept.append(_Run(*span))
    return kept, verb.start()


def _lowercase_at(text: str, position: int) -> bool:
    return text[position : position + 1].islower()


def _subject(paragraph: _Paragraph, start: int, end: int) -> str | None:
    """Who the clause or sentence at [start, end) is about: the words before its first verb.

    A clause that starts with its verb may have its subject after a colon ("Thực hiện chế độ báo cáo: các
    đơn vị …"); otherwise it is elsewhere in the sentence.
    """
    folded = paragraph.folded
    # A label about reporting comes before the duty: "Chế độ báo cáo: các đơn vị báo cáo hằng quý …".
    colon = folded.find(":", start, end)
    if colon != -1 and _REPORT.search(folded, start, colon) and _REPORT.search(folded, colon, end):
        start = colon + 1
    while True:
        subject = _subject_from(paragraph, start, end)
        if subject is not None:
            return subject or None
        colon = folded.find(":", start, end)
        if colon == -1:
            return None
        start = colon + 1


def _subject_from(paragraph: _Paragraph, start: int, end: int) -> str | None:
    """The words before the first verb from `start` on; "" if there is none, None if a verb comes first."""
    text, folded = paragraph.text, paragraph.folded
    position = start
    # Leading time phrases and commas: "Trước ngày 15/11 hằng năm, UBND các huyện báo cáo …".
    for run in paragraph.runs_in(start, end):
        between = folded[position : run.start]
        if between.strip(" ,") or run.start < position:
            break
        position = run.end
    while position < end and folded[position] in " ,()":
        position += 1
    opening = _OPENING_PHRASE.match(folded, position, end)
    if opening is not None:
        position = opening.end()
    lead = _SUBJECT_LEAD.match(folded, position, end)
    if lead is not None:
        position = lead.end()
    stop = end
    for match in _SUBJECT_END.finditer(folded, position, end):
        if match.start() == position:
            return None
        if match.group() != ":" and not _lowercase_at(text, match.start()):
            continue  # "Phòng Quản lý …": a capitalised word is part of a name
        if _IN_NOUN_PHRASE.search(folded, max(position, match.start() - 12), match.start()):
            continue
        stop = match.start()
        break
    subject = text[position:stop].strip(" ,;:-")
    if stop == end or len(subject.split()) > _MAX_SUBJECT_WORDS:
        return ""
    return subject


def _recipient(text: str, folded: str, start: int, end: int) -> str | None:
    """To whom the report goes: "gửi X", then "về X", then "báo cáo X", searched from the verb on."""
    for rank, verb in enumerate(_RECIPIENT_VERBS):
        for match in verb.finditer(folded, start, end):
            name_start = match.end()
            if rank > 0 and not _RECIPIENT_HEAD.match(folded, name_start, end):
                continue
            if not text[name_start : name_start + 1].isupper() and not _LOWERCASE_HEAD.match(folded, name_start, end):
                continue
            name = _name_at(text, folded, name_start, end)
            if name:
                return name
    return None


def _name_at(text: str, folded: str, start: int, end: int) -> str | None:
    stop = end
    punctuation = _PUNCTUATION_END.search(text, start, end)
    if punctuation is not None:
        stop = punctuation.start()
    for match in _RECIPIENT_END.finditer(folded, start + 1, stop):
        # "và" joins two names ("Sở Khoa học và Công nghệ") unless a lower-case word follows it.
        word = match.end() + 1 if match.group("and") else match.start()
        if _lowercase_at(text, word):
            stop = match.start()
            break
    name = text[start:stop].strip(" -")
    if not name or len(name.split()) > _MAX_RECIPIENT_WORDS:
        return None
    return name


def _tidy(sentence: str) -> str:
    # "./." closes a Vietnamese administrative document; it is no part of the duty.
    sentence = sentence.strip()
    if sentence.endswith("/."):
        sentence = sentence[:-2].rstrip()
        if not sentence.endswith("."):
            sentence += "."
    return sentence


def _duty(paragraph: _Paragraph, spans: list[tuple[int, int]], first: tuple[int, int]) -> ObligationProposal | None:
    """The duty stated in the sentences at `spans`, if any: its time phrases, who reports and to whom.

    `first` is the paragraph's first sentence, which names who a later sentence without a subject is about.
    """
    text = paragraph.text
    time_texts: list[str] = []
    reporters: str | None = None
    recipient: str | None = None
    for sentence_start, sentence_end in spans:
        for clause_start, clause_end in _clause_spans(text, sentence_start, sentence_end):
            runs, verb = _duty_runs(paragraph, clause_start, clause_end)
            phrases = [text[run.start : run.end] for run in runs]
            if len(phrases) > 1 and not _is_dated(", ".join(phrases)):
                phrases = [phrase for phrase in phrases if _is_dated(phrase)]
            elif phrases and not _is_dated(phrases[0]):
                phrases = []
            if not phrases:
                continue
            time_texts.append(", ".join(phrases))
            if reporters is None:
                reporters = (
                    _subject(paragraph, clause_start, clause_end)
                    or _subject(paragraph, sentence_start, sentence_end)
                    or _subject(paragraph, *first)
                )
            if recipient is None:
                recipient = _recipient(text, paragraph.folded, verb, clause_end)
    if not time_texts:
        return None
    sentence = _tidy(text[spans[0][0] : spans[-1][1]])
    return ObligationProposal(sentence, "; ".join(time_texts), reporters, recipient)


@lru_cache(maxsize=4096)
def _paragraph_obligations(paragraph: str) -> tuple[ObligationProposal, ...]:
    mark = _LIST_MARK.match(paragraph)
    text = paragraph[mark.end() :] if mark else paragraph
    folded = fold(text, punctuation=False)  # only letters: this reader matches dashes as written
    if _REPORT.search(folded) is None:
        return ()
    runs = _runs(_atoms(folded), folded)
    if not runs:
        return ()
    parsed = _Paragraph(text, folded, runs)
    sentences = _sentence_spans(text)
    # A numbered item is one duty, quoted whole: its first sentence often names who it is for.
    groups = [sentences] if mark else [[span] for span in sentences]
    found = (_duty(parsed, group, sentences[0]) for group in groups)
    return tuple(proposal for proposal in found if proposal is not None)


def find_obligations(prose: Sequence[str]) -> tuple[ObligationProposal, ...]:
    """The reporting duties stated in a plan's prose (the lines or paragraphs before its task table).

    Each is proposed once, in the order of the text; a duty whose time is not dated is not proposed.
    """
    found: dict[ObligationProposal, None] = {}
    after_heading = False
    for raw in _paragraphs(prose):
        paragraph = raw if unicodedata.is_normalized("NFC", raw) else unicodedata.normalize("NFC", raw)
        # The plan's title follows "KẾ HOẠCH"; it names the plan's subject, which may be a report.
        is_title, after_heading = after_heading, _is_title_heading(paragraph)
        if is_title or len(paragraph) > _MAX_PARAGRAPH or not _MAY_REPORT.search(paragraph):
            continue
        paragraph = normalize_text(paragraph)
        # Headings in capitals and captions ("(Kèm theo …)") name a report rather than state a duty.
        mark = _LIST_MARK.match(paragraph)
        opening = fold(paragraph[mark.end() if mark else 0 :][:60])
        if not any(char.islower() for char in paragraph) or _NOT_A_DUTY.match(opening):
            continue
        for proposal in _paragraph_obligations(paragraph):
            found.setdefault(proposal, None)
    return tuple(found)

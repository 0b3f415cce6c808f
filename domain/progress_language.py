"""The progress language: reading a unit's short chat reply ("xong rồi", "đã trình lãnh đạo Sở, đạt 80%",
"vướng kinh phí") into a progress status, a percentage and, when the work is blocked, the reason.

The reply is normalised to NFC with single spaces (that is the note kept with the report) and folded
(lower case, no diacritics, one kind of dash), one character to one, so that "Đã xong", "da xong" and
"ĐÃ XONG" read alike and a reason found in the folded text is quoted from the original at the same
positions. One regular expression scans the folded text once for statements (done, under way, not
started, a difficulty, a denied difficulty) and another for numbers. The few words whose folded form
is also another common word ("đang"/"đăng", "chậm"/"chấm", "kẹt"/"kết") count only when the original
spells them so.

How the statements combine into one status:
- any difficulty that is not denied ("vướng …", "chưa có kinh phí", "bị chậm do …") makes it blocked;
- a percentage decides next: 100 is done, above 0 is in progress ("Hoàn thành 70%" is not done);
- a plain "done" wins over the weak signs of work under way ("đã gửi", "đã trình", "triển khai"), but
  not over a later "đang …" or an unfinished or partial done ("chưa xong", "xong phần dự thảo"): a
  reply tells its story in order and ends with where things stand;
- "chưa bắt đầu", "chưa triển khai" alone (or 0 %) is not started; anything else is unclear.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from locales.text import fold

__all__ = ["READ_LIMIT", "ProgressReading", "ProgressStatus", "parse_progress", "reading_to_json"]


class ProgressStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class ProgressReading:
    """What a reply says. `note` is the reply as written (NFC, single spaces), kept whatever the status."""

    status: ProgressStatus
    percent: int | None = None
    reason: str | None = None
    done_count: int | None = None
    target_count: int | None = None
    note: str = ""
    # Small talk and no report ("cảm ơn", "ok", "👍", "chào anh"): acknowledged, never asked about.
    chatter: bool = False

    def __post_init__(self) -> None:
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValueError(f"percent out of range: {self.percent}")
        done, target = self.done_count, self.target_count
        if (done is None) != (target is None):
            raise ValueError("done_count and target_count go together")
        if target is not None and (done is None or target == 0 or not 0 <= done <= target):
            raise ValueError(f"bad count: {done}/{target}")


def reading_to_json(reading: ProgressReading) -> dict[str, str | int | None]:
    """The public shape of a reading (`nhacviec reply parse TEXT --json`): exactly these three keys."""
    return {"status": reading.status.value, "percent": reading.percent, "reason": reading.reason}


# ---- normalising and folding ---------------------------------------------------------------------


# Zero-width characters pasted from documents would otherwise split a word in two.
_INVISIBLE = re.compile("[\u200b\u200c\u2060\ufeff]+")


# How much of a reply is read for its status, percentage and reason: where things stand is said first,
# and some patterns look back over the text read so far, so a very long reply (a pasted report) would
# cost time quadratic in its length. The note keeps the whole reply.
READ_LIMIT = 500


def _normalise(text: str) -> tuple[str, str, str]:
    """The note (NFC, single spaces, trimmed), the part of it that is read (its first `READ_LIMIT`
    characters, cut between words) and that part folded, of the same length; each after one space:
    every word then follows a separator, which the patterns below start with so that the engine jumps
    from separator to separator instead of trying every position."""
    if not text.isascii():
        text = _INVISIBLE.sub(" ", unicodedata.normalize("NFC", text))
    note = " " + " ".join(text.split())
    head = note
    if len(note) > READ_LIMIT:
        head = note[:READ_LIMIT]
        if note[READ_LIMIT] != " " and head.rfind(" ") > 0:
            head = head[: head.rfind(" ")]  # not half a word: "xong" from "xongxuôi…"
    return note, head, fold(head)


# Words whose folded form is also another common word count only in these spellings (lower case): the
# head word of a statement, and any word in a group named "w".
_SPELLINGS: dict[str, frozenset[str]] = {
    key: frozenset(values)
    for key, values in {
        "dang": ("đang", "dang"),
        "dag": ("đag", "dag"),
        "dg": ("đg", "dg"),
        "cham": ("chậm", "cham"),
        "vuong": ("vướng", "vuong", "vứơng", "vuớng"),
        "vuon": ("vướn", "vuon"),
        "ket": ("kẹt", "ket"),
        "tac": ("tắc", "tac"),
        "lam": ("làm", "lam"),
        "dat": ("đạt", "dat"),
        "nen": ("nên", "nen"),
        "do": ("do",),
        "vi": ("vì", "vi"),
        "boi": ("bởi", "boi"),
        "la": ("là", "la"),
        "o": ("ở", "o"),
        "ve": ("về", "ve"),
        "tai": ("tại", "tai"),
        "nhung": ("nhưng", "nhung"),
        "mong": ("mong",),
        "phan": ("phần", "phan"),
        "de": ("để",),  # "để" (so as to) ends a reason; "đề" (đề án) and a bare "de" do not
        "dung": ("dừng", "dung"),  # not "dùng" (use), "đúng" (right) or "dựng" (xây dựng)
    }.items()
}


def _spelled_at(note: str, folded: str, start: int, end: int) -> bool:
    allowed = _SPELLINGS.get(folded[start:end])
    return allowed is None or note[start:end].lower() in allowed


def _spelled(match: re.Match[str], group: str, note: str) -> bool:
    """Whether the ambiguous word in `group`, if the pattern has it and it took part, is spelled as the
    keyword it stands for."""
    if group not in match.re.groupindex:
        return True
    start, end = match.span(group)
    return start < 0 or _spelled_at(note, match.string, start, end)


def _words(pattern: str) -> str:
    """A pattern written with single spaces between words that also matches the words run together
    ("hoànthành"); the text has single spaces only, so one optional space is enough."""
    return pattern.replace(" ", " ?")


# ---- the statement grammar, on folded text ---------------------------------------------------------

_END = "(?![a-z])"
_RESOURCE = _words(
    "(?:kinh phi|von|ngan sach|nguon (?:kinh phi|von|luc)|huong dan|chi dao|van ban(?: huong dan)?"
    "|y kien(?: chi dao)?|quyet dinh|chu truong|nhan luc|nhan su|can bo|nguoi|bien che|thiet bi"
    "|phuong tien|co so phap ly|quy dinh|dia diem|mat bang|du lieu|so lieu)"
)
_DIFFICULTY = _words("(?:(?P<w>vuong|vuon|cham)(?: mac| tre)?|kho khan|tro ngai|van de|bat cap|tre|thieu)")
_NEGATIONS = ("chua", "chx", "chang", "khong", "ko", "k", "kg", "khg")

# Each statement: its kind, the words it starts with, and the pattern of the rest. Order matters: at
# one position the first statement that matches wins, so denials come before the difficulties they
# deny, and longer forms before shorter ones.
_GRAMMAR: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # "không vướng gì", "không có khó khăn", "chưa gặp trở ngại", "không bị chậm"
    ("no_block", _NEGATIONS, _words(" (?:co |gap |bi |con |thay |xay ra |phat sinh )?(?:gi )?") + _DIFFICULTY + _END),
    # A form's answer: "Khó khăn, vướng mắc: không"
    (
        "no_block",
        ("kho khan", "vuong mac", "tro ngai"),
        _words("(?:[,/]? (?:kho khan|vuong mac|tro ngai)){0,2}(?: gi)? [:-]? (?:khong|ko|k)") + _END,
    ),
    # "đã tháo gỡ được vướng mắc", "hết vướng"
    (
        "no_block",
        ("thao go", "giai quyet", "khac phuc", "xu ly", "het"),
        _words("(?: xong| duoc| het)?(?: cac| nhung)? (?:vuong|kho khan)") + _END,
    ),
    # "chưa có kinh phí", "chưa được bố trí kinh phí", "thiếu cán bộ": the phrase is the reason.
    (
        "lack",
        ("chua", "chx", "khong", "ko", "k"),
        _words(" (?:co|duoc|dc)(?: bo tri| cap| phan bo| giao| ho tro| huong dan)? ") + _RESOURCE + _END,
    ),
    ("lack", ("chua", "chx"), _words(" (?:duoc |dc )?(?:bo tri|cap|phan bo|giao) ") + _RESOURCE + _END),
    ("lack", ("thieu",), _END),
    ("lack", ("het",), _words(" (?:kinh phi|von|ngan sach|nguon)") + _END),
    # "vướng kinh phí", "khó khăn về nhân lực", "kẹt thủ tục": the reason follows.
    (
        "difficulty",
        ("vuong", "vuon", "ket"),
        "(?! ?(?:qua|thuc|luan|hop|noi)" + _END + ")" + _words("(?: mac)?") + _END,
    ),
    ("difficulty", ("kho khan", "tro ngai", "bat cap", "co van de"), _END),
    # "đề nghị lùi hạn sang tháng 3", "xin gia hạn đến 15/3": the request, with the date asked for, is the
    # reason (the monitor decides on it); a cause after "vì"/"do" is a reason too.
    ("postpone", ("lui", "gia han", "doi han", "doi thoi han"), _words("(?: (?:thoi )?han| (?:sang|den|toi))") + _END),
    # "kéo dài đến tháng 3" may say how long the work runs; only the deadline's is a request.
    ("postpone", ("keo dai", "dieu chinh"), _words(" (?:thoi )?han") + _END),
    ("postpone", ("xin them thoi gian", "postpone", "extend the deadline", "extension"), _END),
    # "blocked by budget", "stuck waiting for funds", "on hold": replies in English.
    ("difficulty", ("blocked", "stuck", "on hold"), _END),
    # "không thể …", "bị chậm", "tạm dừng": the reason, if any, comes after "do"/"vì".
    ("cannot", ("khong", "ko", "k", "chua"), _words(" (?:the|kip)") + _END),
    ("cannot", ("khong", "ko"), _words(" (?:thuc hien|trien khai|lam|hoan thanh) (?:duoc|dc)") + _END),
    ("cannot", ("bi",), _words(" (?:tre|dung|treo|ach tac|cham|tac)") + _END),
    ("cannot", ("tre",), _words(" (?:han|hen|tien do)") + _END),
    ("cannot", ("tam",), _words(" (?:dung|hoan|ngung)") + _END),
    # "ngừng lại", "dừng lại": work stopped (the cause, if any, before "nên" or after "vì").
    ("cannot", ("ngung",), _words("(?: lai| thuc hien| trien khai)?") + _END),
    ("cannot", ("dung",), _words(" lai") + _END),
    ("cannot", ("ach tac", "cham", "tac"), _words("(?: tien do| tre)?") + _END),
    # "X nên chưa triển khai": X is the cause.
    (
        "so_not",
        ("cho nen", "nen", "vi vay", "vi the", "do do", "do vay"),
        _words(" (?:van |con )?") + "(?=(?:chua|chx|khong|ko|k|bi|cham|tam|ngung|dung)" + _END + ")",
    ),
    # "chưa ban hành", "chưa được phê duyệt": the last step is still to come.
    ("unfinished", ("chua", "chx"), _words(" (?:duoc |dc )?(?:ban hanh|ky|trinh|phe duyet|nghiem thu)") + _END),
    (
        "not_started",
        ("chua", "chx"),
        _words(
            " (?:duoc |dc )?(?:bat dau|lam|trien khai|thuc hien|tien hanh|to chuc|xay dung|soan(?: thao)?"
            "|khoi dong|khoi cong|dong|co gi|lam gi|co dong thai|tham muu)"
        )
        + _END,
    ),
    # "xong", "hoàn thành": the words before ("đã", "đã tổ chức", "chưa", "sắp") are read by _BEFORE.
    ("done", ("xong+", "xog+"), _words("(?: (?:roi|r|rui|xuoi|het))*") + _END),
    ("done", ("hoan",), _words(" (?:thanh|thah|thnah|tanh|thang|tat)") + _END),
    ("done", ("da", "vua", "moi"), _words(" (?:ht|hthanh)") + _END),
    (
        "done",
        ("da", "vua", "moi", "duoc", "dc"),
        _words(" (?:duoc |dc )?(?:ky )?(?:ban hanh|phe duyet|thong qua|nghiem thu|to chuc|ket thuc)") + _END,
    ),
    # "đã được UBND tỉnh phê duyệt"
    ("done", ("duoc", "dc"), _words("(?: [a-z]+){1,3} (?:phe duyet|thong qua|nghiem thu)") + _END),
    ("done", ("ky ban hanh",), _END),
    ("done", ("ban hanh", "ket thuc"), _words(" (?:roi|xong)") + _END),
    ("done", ("done", "finished", "completed", "complete"), _END),
    # Work under way, said as such: "đang …". It says where things stand now.
    ("ongoing", ("dang", "dag", "dg"), _END),
    # Signs of work under way that a plain "done" outranks: "đã trình", "đã gửi xin ý kiến", "triển khai".
    ("working", ("da", "vua", "moi"), _words(" (?:trinh|gui|bao cao|xin|lay)") + _END),
    (
        "working",
        ("trinh",),
        _words(" (?:ky|lanh dao|ld|ubnd|ub|so|bo|xin|phe duyet|tham dinh|giam doc|gd|cap tren|hdnd)") + _END,
    ),
    ("working", ("xin", "lay", "gop", "cho"), _words(" y kien") + _END),
    (
        "working",
        ("cho", "doi"),
        _words(
            " (?:phe duyet|duyet|ky|lanh dao|ket qua|tham dinh|phan hoi|xem xet|thong qua|ban hanh|huong dan"
            "|chi dao|tong hop|cap)"
        )
        + _END,
    ),
    (
        "working",
        (
            "to trinh",
            "gop y",
            "du thao",
            "ban thao",
            "de cuong",
            "trien khai",
            "thuc hien",
            "tien hanh",
            "xay dung",
            "soan",
            "soan thao",
            "tong hop",
            "ra soat",
            "hoan thien",
            "khao sat",
            "thu thap",
            "chuan bi",
            "phoi hop",
            "tham muu",
            "tiep tuc",
            "bat dau",
            "lam",
        ),
        _END,
    ),
)


@dataclass(frozen=True, slots=True)
class _Alternative:
    kind: str
    head_group: str | None  # the group that ends the head word, when a head word is ambiguous
    word_group: str | None  # the group of an ambiguous word in the rest, if it has one


def _compile(grammar: tuple[tuple[str, tuple[str, ...], str], ...]) -> tuple[re.Pattern[str], dict[str, _Alternative]]:
    """One pattern for the whole grammar, so a reply is scanned once; returns it and its alternatives.

    The pattern starts with the separator before a word, so the engine jumps from separator to
    separator. Then it branches on the word's first letter, and only the statements whose head words
    start with that letter are tried, in the grammar's order (statements that start with different
    letters never compete). Each alternative ends with an empty group named after it, which is then
    the match's last group; its head words end at an empty group "<name>_h", and its inner groups are
    prefixed by its name.
    """
    by_letter: dict[str, list[str]] = {}
    alternatives: dict[str, _Alternative] = {}
    for kind, heads, rest in grammar:
        heads_by_letter: dict[str, list[str]] = {}
        for head in heads:
            heads_by_letter.setdefault(head[0], []).append(head)
        for letter, letter_heads in heads_by_letter.items():
            name = f"a{len(alternatives)}"
            ambiguous = any(head in _SPELLINGS for head in letter_heads)
            alternatives[name] = _Alternative(
                kind, f"{name}_h" if ambiguous else None, f"{name}_w" if "(?P<w>" in rest else None
            )
            tails = "|".join(_words(head[1:]) for head in letter_heads)
            inner = rest.replace("(?P<", f"(?P<{name}_")
            by_letter.setdefault(letter, []).append(f"(?:{tails})(?P<{name}_h>){inner}(?P<{name}>)")
    branches = (f"{letter}(?:{'|'.join(patterns)})" for letter, patterns in by_letter.items())
    return re.compile("[^0-9a-z](?:" + "|".join(branches) + ")"), alternatives


_STATEMENT, _ALTERNATIVES = _compile(_GRAMMAR)

# What comes just before a done or working statement changes it: "chưa xong" is unfinished, "sắp xong"
# and "dự kiến hoàn thành" are in progress, "hạn hoàn thành" or "khi nào xong" says nothing. Between
# that word and the statement may stand a few verbs: "chưa tổ chức xong", "sẽ được triển khai".
_BEFORE_WORDS = {
    "neg": "chua|chx|khong|ko|k|kg|khg|hok|chang",
    "soon": "du kien|se|sap|gan|phan dau|co gang|dang|ke hoach",
    "aim": "thoi han|han|ngay|de|neu|khi nao|bao gio|khi|truoc khi|sau khi|muc tieu|yeu cau|nham|phai|can",
}
_BETWEEN_WORDS = (
    "the|duoc|dc|lam|co|van|hoan toan|thuc hien|trien khai|to chuc|xay dung|ban hanh|soan|soan thao|tien hanh"
    "|kip|se|dao tao|tap huan|kiem tra|tong hop|ra soat|khao sat|nghiem thu|hoan thien|giai quyet|xu ly"
)
# Spelled backwards without spaces, as _BEFORE finds them.
_NOT_YET = frozenset(word.replace(" ", "")[::-1] for word in ("se", "du kien", "sap", "ke hoach"))


def _backwards(words: str) -> str:
    """A "|"-separated list of words, each spelled backwards, for matching in the reversed text."""
    return _words("|".join(word[::-1] for word in words.split("|")))


# Matched in the reversed text from the statement's start backwards, so that the engine reads only the
# few words that matter instead of searching a window before the statement.
_BEFORE = re.compile(
    f" ?(?:(?:{_backwards(_BETWEEN_WORDS)}) ?)*"
    + "(?:"
    + "|".join(f"(?P<{name}>{_backwards(words)})" for name, words in _BEFORE_WORDS.items())
    + ")"
    + _END
)
# A done statement about a part of the work: "đã xong phần dự thảo", "hoàn thành bước 1".
_PARTIAL = re.compile(
    "[^a-z]"
    + _words(
        "(?:(?P<w>phan)(?! ?(?:tram|bo|cong|loai|tich|phoi|anh|hoi|biet|mem|thuong))|buoc|giai doan|khau"
        "|du thao|ban thao|de cuong|so bo|mot so|mot phan|dot (?:[0-9]|mot|dau)|hang muc|chuan bi)"
    )
    + _END
)
_QUESTION = re.compile(r" ?(?:chua|chx)(?: (?:a|nhi|vay|the|ha))? ?\??$")
_SEGMENT_START = re.compile(r"[,;.!?][^,;.!?]*\Z")
_SEGMENT_REST = re.compile(r"[^,;.!?]*")

# ---- numbers ---------------------------------------------------------------------------------------

# "7/10" (not a date "31/12/2025"), "80%", "80 phần trăm", "70-80%", or a bare number that the context
# check accepts ("đạt 80"). It starts with a digit, so the engine jumps from number to number; one that
# follows a digit, "/", "." or "," is the middle of another number and is skipped.
_NUMBER = re.compile(
    "(?P<value>[0-9][0-9]{0,3}(?:[.,][0-9]{1,2})?)(?![0-9]|[.,][0-9])"
    "(?:(?P<fraction> ?/ ?| tren )(?P<target>[0-9]{1,4})(?![0-9]| ?[/.-] ?[0-9])"
    "|(?: ?(?:-|den |toi ) ?[0-9]{1,4}(?:[.,][0-9]{1,2})?(?![0-9]|[.,][0-9]))?"
    "(?P<sign> ?(?:%|phan ?tram|ptram)(?![a-z]))?)"
)
_INSIDE_A_NUMBER = frozenset("0123456789/.,")
_LOOK_BACK = 40  # how far before a number its lead ("đạt", "được") is looked for
# Leads that make a number a percentage ("đạt 80") or a fraction a count of work done ("được 7/10").
_LEAD = re.compile(
    "[^a-z]"
    + _words(
        "(?:(?P<w>dat)|duoc|dc|dk|tien do|xong|hoan thanh|(?P<verb>to chuc|thuc hien|trien khai|lam|tong so"
        "|tong cong|tong))(?: (?:dat|duoc|dc|khoang|tam|gan|hon|tren|xap xi|chung|la))*"
    )
    + r" ?[:~]? ?\Z"
)
# Half the work, in words: "xong một nửa", "được nửa chặng", "half done". Not "nửa tháng", "nửa đầu năm".
_HALF = re.compile(
    "[^a-z]"
    + _words(
        "(?:(?:(?:mot|phan) )?nua(?P<way> chang(?: duong)?| duong| khoi luong| cong viec| phan viec)?"
        "(?! ?(?:dau|cuoi|nam|thang|quy|ngay|tuan|gio|tieng|buoi|sau|truoc|kia|so)(?![a-z]))"
        "|(?P<english>half ?way|half (?:done|finished|complete)))"
    )
    + _END
)
_DATE_BEFORE = re.compile(r"[^a-z](?:ngay|hom|truoc|sau|den|tu|han|luc|vao|thang|so|dip) ?\Z")
# A bare number after a lead is a percentage only when nothing but a particle follows: "đạt 70 rồi".
_NUMBER_ENDS = re.compile(" ?(?:$|[^a-z0-9 ]|(?:roi|r|a|nhe|nha|nhi|thoi|ok)(?![a-z]))")
# A fraction with no lead is a count only when a word other than these follows: "7/10 lớp".
_NOT_A_COUNT = re.compile(" ?(?:$|[^a-z ]|(?:roi|r|a|nhe|nha|nam|ngay|thang|va|thi|la)(?![a-z]))")


def _percent(match: re.Match[str], note: str, folded: str) -> float | None:
    """The percentage a number states, or None: not a percentage, or malformed (over 100, "-5%").

    Of a range ("70-80%") the lower end counts: the unit has surely done that much.
    """
    start = match.start()
    if match.group("sign") is None:
        lead = _LEAD.search(folded, max(0, start - _LOOK_BACK), start)
        if lead is None or lead.group("verb") is not None or not _spelled(lead, "w", note):
            return None
        if not _NUMBER_ENDS.match(folded, match.end()):
            return None  # "đạt 70 lớp" counts classes
    if folded[start - 1] == "-":
        return None
    value = float(match.group("value").replace(",", "."))
    return value if value <= 100 else None


def _half(note: str, folded: str) -> bool:
    """Whether the reply says half the work is done, after a lead ("được", "xong") or in a phrase that
    says so by itself ("nửa chặng đường", "half done")."""
    for match in _HALF.finditer(folded):
        if match.group("way") is not None or match.group("english") is not None:
            return True
        start = match.start() + 1
        lead = _LEAD.search(folded, max(0, start - _LOOK_BACK), start)
        if lead is not None and _spelled(lead, "w", note):
            return True
    return False


def _counts(match: re.Match[str], note: str, folded: str) -> tuple[int, int] | None:
    """Work done out of a target ("được 7/10 lớp"), or None for a date, a document number or nonsense."""
    first, target = match.group("value"), int(match.group("target"))
    if not first.isdigit() or target == 0 or int(first) > target:
        return None
    start = match.start()
    window = max(0, start - _LOOK_BACK)
    lead = _LEAD.search(folded, window, start)
    if lead is not None and _spelled(lead, "w", note):
        return int(first), target
    if _DATE_BEFORE.search(folded, window, start) or _NOT_A_COUNT.match(folded, match.end()):
        return None
    return int(first), target


# ---- reasons ---------------------------------------------------------------------------------------

_CAUSE = re.compile(
    "[^a-z]"
    + _words(
        "(?:boi vi|tai vi|la do|la vi|vi ly do|ly do la|ly do|nguyen nhan la|nguyen nhan|(?P<w>do|vi|boi)(?! ?pham))"
    )
    + _END
)
# Words that lead into a reason without being part of it: "vướng mắc do …", "khó khăn về …". The first
# pattern stops at a comma, so that "vướng, đang làm" is read as a comma before "đang", not as a reason.
_CONNECTIVE_WORDS = _words(
    "(?:ve viec|ve van de|trong viec|tai vi|boi vi|la do|la vi|nguyen nhan(?: la)?|ly do(?: la)?"
    "|by|due to|because of|because"
    "|lien quan(?: den| toi)?|o viec|trong|voi|(?P<w>ve|vi(?! ?pham)|do|boi|la|o|tai))"
)
_CONNECTIVE = re.compile("[ :-]+|" + _CONNECTIVE_WORDS + _END)
_CONNECTIVE_OR_COMMA = re.compile("[ :,-]+|" + _CONNECTIVE_WORDS + _END)
# Where a reason ends: the end of a sentence, "nên", "nhưng", "đang", a new statement after a comma. Each
# alternative starts with its own punctuation mark or space, so the engine jumps between those.
_REASON_END = re.compile(
    r";|!|\?|…|\.(?= |$)"
    "|, ?(?:da|chua|chx|khong|ko|con|dat|duoc|dc|xong|hoan thanh|tien do|sau|truoc|hien|se|du kien|dang"
    "|[0-9])(?![a-z])"
    "| (?:cho nen|vi vay|vi the|do do|tuy nhien|kinh de nghi|de nghi|kien nghi|rat mong"
    "|va (?:dang|da|se|hien|chua|du kien)|(?P<w>nen|mong|nhung|dang|de))(?![a-z])"
)
_PARTICLE = re.compile(r"(?: (?:anh|chi|em|a|nhe|nha|nhi|thoi|ah))* (?:a|ah|nhe|nha|nhi|thoi)\Z")
_PUNCTUATION = frozenset(" .,;:!?…-–—\"'“”*")
_CLAUSE_START = re.compile(r"[;.!?,]| (?:nhung|tuy nhien)(?= )")
_STATUS_START = re.compile(_words("(?:dang|da|xong|hoan thanh)") + _END)
# "đang đợi vốn nên ngừng lại": waiting for something is a cause, not a status.
_WAITING = re.compile(_words("(?:dang |van |con )?(?:doi|cho)") + _END)
# The words that ask for the deadline to move, before the request itself: "kính đề nghị", "xin", "mong".
_ASKING = re.compile(_words("(?:(?:kinh )?de nghi|kien nghi|xin|mong|muon|can)(?: cho)? ?") + r"\Z")

Span = tuple[int, int]


def _skip(pattern: re.Pattern[str], note: str, folded: str, start: int, end: int) -> int:
    while start < end:
        match = pattern.match(folded, start, end)
        if match is None or match.end() == start or not _spelled(match, "w", note):
            break
        start = match.end()
    return start


def _reason_end(note: str, folded: str, start: int) -> int:
    position = start
    while (match := _REASON_END.search(folded, position)) is not None:
        if _spelled(match, "w", note):
            return match.start()
        position = match.start() + 1
    return len(folded)


def _reason(note: str, folded: str, start: int, end: int | None = None) -> Span | None:
    """The span of the reason that begins at `start` (and ends at `end`, or where the reason language
    says), without its leading connectives and trailing punctuation; None when nothing is left."""
    if end is None:
        start = _skip(_CONNECTIVE, note, folded, start, len(folded))
        end = _reason_end(note, folded, start + 1)
    start = _skip(_CONNECTIVE_OR_COMMA, note, folded, start, end)
    while start < end and note[start] in _PUNCTUATION:
        start += 1
    while end > start:
        if note[end - 1] in _PUNCTUATION:
            end -= 1
        elif (particle := _PARTICLE.search(folded, start, end)) is not None:
            end = particle.start()
        elif note[end - 1] == ")" and note.count("(", start, end) < note.count(")", start, end):
            end -= 1
        else:
            break
    return (start, end) if end > start else None


def _cause_after(note: str, folded: str, position: int) -> Span | None:
    """The reason given by "do"/"vì" after a negative statement, within the same clause."""
    limit = _reason_end(note, folded, position)
    match = _CAUSE.search(folded, position, limit)
    while match is not None and not _spelled(match, "w", note):
        match = _CAUSE.search(folded, match.end(), limit)
    return None if match is None else _reason(note, folded, match.end())


def _cause_before(note: str, folded: str, position: int) -> Span | None:
    """The cause in "X nên chưa …": X, from the start of its clause up to "nên"."""
    start = 0
    for match in _CLAUSE_START.finditer(folded, 0, position):
        if match.end() < position:
            start = match.end()
    start = _skip(_CONNECTIVE_OR_COMMA, note, folded, start, position)
    if (waiting := _WAITING.match(folded, start)) is not None:
        start = waiting.end() - len(waiting.group().split()[-1])  # "đợi vốn", without "đang"
    elif start >= position or _STATUS_START.match(folded, start):
        return None  # "đang làm nên chưa xong" gives no cause
    return _reason(note, folded, start, position)


def _request(note: str, folded: str, start: int, end: int) -> Span | None:
    """The request to move the deadline, from the words that ask ("đề nghị") to the date asked for: it
    ends where the reason language ends a reason, or where its cause ("vì …") begins."""
    asking = _ASKING.search(folded, max(0, start - 24), start)
    if asking is not None:
        start = asking.start()
    limit = _reason_end(note, folded, end)
    cause = _CAUSE.search(folded, end, limit)
    while cause is not None and not _spelled(cause, "w", note):
        cause = _CAUSE.search(folded, cause.end(), limit)
    return _reason(note, folded, start, limit if cause is None else cause.start())


def _join_reasons(note: str, spans: list[Span | None]) -> str | None:
    """Each reason once, in the order written; a reason that overlaps an earlier one is the same one."""
    taken: list[Span] = []
    for span in spans:
        if span is not None and all(span[1] <= start or span[0] >= end for start, end in taken):
            taken.append(span)
    taken.sort()
    return "; ".join(note[start:end] for start, end in taken) or None


# ---- reading ---------------------------------------------------------------------------------------


def _is_partial(note: str, folded: str, start: int, end: int) -> bool:
    """Whether the comma-separated segment around a done statement names a part of the work."""
    mark = _SEGMENT_START.search(folded, 0, start)
    rest = _SEGMENT_REST.match(folded, end)
    segment_end = len(folded) if rest is None else rest.end()
    partial = _PARTIAL.search(folded, 0 if mark is None else mark.end(), segment_end)
    while partial is not None and not _spelled(partial, "w", note):
        partial = _PARTIAL.search(folded, partial.end(), segment_end)
    return partial is not None


# Small talk that says nothing of the work, word by word on the folded text (emoji and punctuation aside).
_CHATTER = re.compile(
    "(?:(?:ok|oke|okie|oki|okay|okey|k|vang|da|u|uh|uhm|um|uk|ukm|cam on|thanks|thank you|thank|thx|tks|ty"
    "|hello|hi|hey|chao|xin chao|anh|chi|em|a|ah|nhe|nha|ban|moi nguoi|nhieu|rat|a nhe|da nhan|nhan duoc|ro"
    "|good|great|nice|tot|tot qua|xin|sep|nhan) ?)+"
)
_WORD = re.compile("[0-9a-z]+")


def _is_chatter(folded: str) -> bool:
    """Small talk only, or only emoji and punctuation ("👍", "!!")."""
    words = _WORD.findall(folded)
    if not words:
        return bool(folded.strip())
    return _CHATTER.fullmatch(" ".join(words)) is not None


_CACHED = 2 * READ_LIMIT  # longer replies are rare and unlikely to repeat: not worth keeping


def parse_progress(text: str) -> ProgressReading:
    """Reads a progress reply; never fails. A reply it cannot read is `unclear`, its note kept."""
    return _read(text) if len(text) <= _CACHED else _read.__wrapped__(text)


# Replies repeat ("xong", "ok", "đã xong") and a reading is immutable, so readings are shared.
@lru_cache(maxsize=1024)
def _read(text: str) -> ProgressReading:
    whole, note, folded = _normalise(text)
    backwards = folded[::-1]
    reasons: list[Span | None] = []
    blocked = not_started = working = False
    done_at = ongoing_at = -1  # where the last plain done, and the last "đang …" or unfinished done, are
    percent: float | None = None
    counts: tuple[int, int] | None = None

    for match in _STATEMENT.finditer(folded):
        name = match.lastgroup
        assert name is not None  # every alternative ends with its named group
        alternative = _ALTERNATIVES[name]
        kind = alternative.kind
        start, end = match.start() + 1, match.end()  # after the separator
        if kind == "no_block":
            continue
        head, word = alternative.head_group, alternative.word_group
        if (head is not None and not _spelled_at(note, folded, start, match.end(head))) or (
            word is not None and not _spelled(match, word, note)
        ):
            continue
        cause: Span | None = None
        if kind in ("lack", "difficulty", "cannot", "so_not", "postpone"):
            if kind == "postpone":
                reasons.append(_request(note, folded, start, end))
                cause = _cause_after(note, folded, end)
            elif kind == "lack":
                cause = _reason(note, folded, start)
            elif kind == "difficulty":
                cause = _reason(note, folded, end)
            elif kind == "cannot":
                cause = _cause_after(note, folded, end)
            else:
                cause = _cause_before(note, folded, start)
                if cause is None:
                    continue  # "nên chưa làm" with nothing before it names no cause
            blocked = True
            reasons.append(cause)
            continue

        # The words just before a statement of progress change it: "chưa xong", "sắp xong", "sẽ làm".
        before = _BEFORE.match(backwards, len(folded) - start)
        if before is not None and before.group("aim") is not None:
            continue  # "hạn hoàn thành 30/11", "để triển khai": no statement of progress
        negated = before is not None and before.group("neg") is not None
        if kind == "not_started" or (kind == "working" and negated):
            not_started = True
            cause = _cause_after(note, folded, end)
        elif kind == "unfinished" or (kind == "done" and negated):
            ongoing_at = start  # "chưa xong": started, not finished
            cause = _cause_after(note, folded, end)
        elif kind == "done":
            if _QUESTION.match(folded, end):
                continue  # "xong chưa?" asks
            if before is not None or _is_partial(note, folded, start, end):
                ongoing_at = start  # "sắp xong", "xong phần dự thảo"
            else:
                done_at = start
        elif kind == "ongoing":
            ongoing_at = start
        elif before is not None and before.group("soon").replace(" ", "") in _NOT_YET:
            not_started = True  # "sẽ triển khai"
        else:
            working = True
        if cause is not None:
            blocked = True  # "chưa triển khai do chưa có kinh phí", "chưa xong vì thiếu người"
            reasons.append(cause)

    if _half(note, folded):
        percent = 50.0  # a number said as well is more exact, and is read next
    for match in _NUMBER.finditer(folded):
        if folded[match.start() - 1] in _INSIDE_A_NUMBER:
            continue
        if match.group("fraction") is not None:
            if (found := _counts(match, note, folded)) is not None:
                counts = found
                percent = found[0] * 100 / found[1]
        elif (value := _percent(match, note, folded)) is not None:
            percent = value

    if blocked:
        status = ProgressStatus.BLOCKED
    elif percent is not None and percent >= 100:
        status = ProgressStatus.DONE
    elif percent is not None and percent > 0:
        status = ProgressStatus.IN_PROGRESS
    elif done_at > ongoing_at:
        status = ProgressStatus.DONE
    elif ongoing_at >= 0 or working:
        status = ProgressStatus.IN_PROGRESS
    elif not_started or percent == 0:
        status = ProgressStatus.NOT_STARTED
    else:
        status = ProgressStatus.UNCLEAR
    return ProgressReading(
        status=status,
        percent=None if percent is None else int(percent),
        reason=_join_reasons(note, reasons) if blocked else None,
        done_count=None if counts is None else counts[0],
        target_count=None if counts is None else counts[1],
        note=whole[1:],
        chatter=status is ProgressStatus.UNCLEAR and _is_chatter(folded),
    )

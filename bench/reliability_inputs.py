"""Bad input, measured (issue 24): generated inputs through every parser that reads what people send,
and forged button presses through the conversation core. Prints one line per fault kind, then

    reliability_inputs: fuzz_inputs=<n> fuzz_crashes=<n> forged_accepted=<n>

Fuzz: seeded generators (random bytes, truncated and corrupted zips, a zip bomb, huge cells, odd Unicode, wrong
columns, plan-like time texts, replies, payloads) feed the importer (`read_plan_bytes`), the schedule
language (`parse_time_text`), the reply parser (`parse_progress`) and the payload decoder (`decode`).
A crash is any exception but the importer's `PlanImportError`; an input that takes over a second
counts as a crash too (and is shown as `slow`). Goal: 0 of both over ≥ 100,000 inputs.

Forged: presses a person could send but should get nothing from (others' reports, prompts and
choices, out-of-range ids, stale buttons, buttons their role may not use), on a fresh database with
the bundled plan. A press is accepted when it changes a report or the audit log, brings a file, or raises.
Goal: 0 accepted.

`run(quick=True)` is a smoke run (a fiftieth of the inputs). `bench/reliability.py` imports `run` for
the three figures: keep its signature and keys. The test suite runs a small share of the same
generators (`tests/test_reliability_inputs.py`).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import Engine

from domain.payloads import MAX_ID, Choice, ChoiceKind, decode, encode
from domain.progress_language import parse_progress
from importer.document import PlanImportError
from importer.read import read_plan_bytes
from importer.units import find_near_duplicates
from models import ReportStatus, Role, db
from scheduler.timing.schedule_language import parse_time_text
from tests.bot.chat import QLTDC, VAN_PHONG, Chat, User
from tests.importer.plan_import_files import docx_bytes, seed_plan, xlsx_bytes, zip_bomb

SLOW_SECONDS = 1.0
SEED = 20251201
# Inputs per fault kind at full size; `quick` runs a fiftieth.
FULL_COUNTS = {
    "importer/random_bytes": 1500,
    "importer/corrupt_zip": 1500,
    "importer/huge_cell": 300,
    "importer/zip_bomb": 100,
    "importer/odd_unicode": 1500,
    "importer/wrong_columns": 1500,
    "schedule/time_text": 30_000,
    "reply/text": 33_700,
    "payload/text": 30_000,
}
QUICK_SHARE = 50

# Pieces of real plans and replies, so that generated inputs reach the parsers' inner paths.
HEADERS = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Sản phẩm"]
ROWS = [
    ["I", "Tuyên truyền, phổ biến", "", "", ""],
    ["1", "Tổ chức hội nghị (<i>phấn đấu 100%</i>)", "Văn phòng Sở", "Các phòng, đơn vị", "Quý IV năm 2025"],
    ["II.3", "Rà soát văn bản", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Văn phòng Sở", "Hàng năm"],
    ["2", "Kiểm tra", "Phòng Bưu chính viễn thông và CDS; -", "x", "Trước ngày 15/12/2025"],
]
TIME_TEXTS = [
    "Quý IV năm 2025",
    "Hàng năm",
    "Hằng quý",
    "6 tháng đầu năm 2026",
    "Tháng 10/2025",
    "Trước ngày 15/12/2025",
    "Năm 2025-2030",
    "Thường xuyên",
    "Sau khi Trung ương ban hành Đề án",
    "trong vòng 90 ngày",
    "Giai đoạn 2026 - 2030, báo cáo trước 20/11 hằng năm",
    "31/2/2025",
    "quý 5/2025",
]
REPLY_TEXTS = [
    "xong rồi",
    "đã trình lãnh đạo Sở, đạt 80%",
    "vướng kinh phí",
    "chưa làm",
    "đang thực hiện 50 %",
    "hoàn thành 100%",
    "không",
    "đạt 150%",
    "-5%",
    "đã xong nhưng còn vướng",
]
ODD = [
    "\u0301",  # a combining accent with nothing to sit on
    "\u200b",
    "\u200d",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\uffff",
    "\x00",
    "\x1b",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "ǅ",
    "ß",
    "İ",
    "٣",
    "𝟗",
    "\r",
    "\t",
    "\u2028",
    "%",
    ":",
    ";",
    "&amp;",
    '"',
    "#",
]
NAMES = ["ke-hoach.txt", "ke-hoach.md", "ke-hoach.csv", "ke-hoach.tsv", "ke-hoach.docx", "ke-hoach.xlsx", "ke-hoach"]


def _odd_text(rng: random.Random, pieces: list[str], size: int = 12) -> str:
    parts = [rng.choice(pieces + ODD) if rng.random() < 0.7 else chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(size)]
    text = "".join(part + (" " if rng.random() < 0.5 else "") for part in parts)
    # Lone surrogates cannot be UTF-8 encoded: a file cannot hold them, and the edge replaces them in chat.
    return text.encode("utf-8", "replace").decode("utf-8")


def _table_text(rows: list[list[str]], delimiter: str) -> str:
    return "\n".join(delimiter.join(row) for row in rows)


# ---- generators: a seeded random in, one input out -------------------------------------------------------


def random_bytes(rng: random.Random) -> tuple[bytes, str]:
    return rng.randbytes(rng.randrange(0, 2000)), rng.choice(NAMES)


@dataclass(frozen=True)
class ZipSamples:
    """The importer tests' seed plan as .docx and .xlsx, built once, that `corrupt_zip` cuts and scrambles."""

    docx: bytes
    xlsx: bytes
    bomb: bytes  # the .docx with `bomb_mb` MB of zeros added: a few hundred KB

    @classmethod
    def build(cls, bomb_mb: int = 300) -> ZipSamples:
        plan = seed_plan()
        docx = docx_bytes(plan)
        return cls(docx, xlsx_bytes(plan), zip_bomb(docx, bomb_mb))

    def zip_bomb(self, rng: random.Random) -> tuple[bytes, str]:
        return self.bomb, rng.choice(["ke-hoach.docx", "ke-hoach.xlsx"])

    def corrupt_zip(self, rng: random.Random) -> tuple[bytes, str]:
        name = rng.choice(["ke-hoach.docx", "ke-hoach.xlsx"])
        data = bytearray(self.docx if name.endswith(".docx") else self.xlsx)
        how = rng.randrange(4)
        if how == 0:  # truncated
            data = data[: rng.randrange(len(data))]
        elif how == 1:  # bytes flipped
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == 2:  # a member replaced by junk
            out = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(bytes(data))) as source, zipfile.ZipFile(out, "w") as target:
                victim = rng.choice(source.namelist())
                for member in source.namelist():
                    content = source.read(member)
                    target.writestr(member, rng.randbytes(rng.randrange(200)) if member == victim else content)
            data = bytearray(out.getvalue())
        else:  # the other format's package under this name
            data = bytearray(self.xlsx if name.endswith(".docx") else self.docx)
        return bytes(data), name


def huge_cell(rng: random.Random) -> tuple[bytes, str]:
    size = rng.randrange(100_000, 300_000)
    cell = "".join(rng.choice("Văn phòng Sở, ") for _ in range(64)) * (size // 64)
    rows = [HEADERS[:5], *ROWS]
    row = list(rng.choice(ROWS[1:]))
    row[rng.randrange(len(row))] = f'"{cell}"' if rng.random() < 0.5 else cell
    rows.append(row)
    name = rng.choice(["ke-hoach.csv", "ke-hoach.txt"])
    return _table_text(rows, "," if name.endswith(".csv") else "\t").encode("utf-8"), name


def odd_unicode(rng: random.Random) -> tuple[bytes, str]:
    rows = [HEADERS[:5]] + [[_odd_text(rng, row, 3) for row in ROWS] for _ in range(rng.randrange(1, 6))]
    name = rng.choice(["ke-hoach.txt", "ke-hoach.csv", "ke-hoach.md"])
    text = _table_text(rows, "," if name.endswith(".csv") else "\t")
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1258"])
    return text.encode(encoding, "replace"), name


def wrong_columns(rng: random.Random) -> tuple[bytes, str]:
    header = rng.sample(HEADERS, rng.randrange(1, len(HEADERS) + 1))
    if rng.random() < 0.3:
        header.append(_odd_text(rng, HEADERS, 2))
    rows = [header]
    for _ in range(rng.randrange(0, 8)):
        row = list(rng.choice(ROWS))
        rows.append(row[: rng.randrange(0, len(row) + 2)] + [""] * rng.randrange(3))
    name = rng.choice(["ke-hoach.txt", "ke-hoach.csv", "ke-hoach.tsv"])
    return _table_text(rows, "," if name.endswith(".csv") else "\t").encode("utf-8"), name


def time_text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(TIME_TEXTS)
    return _odd_text(rng, [*TIME_TEXTS, *(str(rng.randrange(-10, 10 ** rng.randrange(1, 25))) for _ in range(3))], 6)


def reply_text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(REPLY_TEXTS)
    return _odd_text(rng, [*REPLY_TEXTS, f"{rng.randrange(-(10**30), 10**30)}%"], rng.randrange(1, 12))


def payload_text(rng: random.Random) -> str:
    kind = rng.choice([*(k.value for k in ChoiceKind), "", "x", "UNDO"])
    parts = [
        rng.choice(
            [
                str(rng.randrange(0, MAX_ID + 2)),
                str(10 ** rng.randrange(9, 40)),
                "-1",
                "٣",
                "𝟗",
                " 1",
                "0x1f",
                rng.choice([*(s.value for s in ReportStatus), "xong"]),
                rng.choice(["docx", "xlsx", "png", "pdf"]),
                "q4/2025 #3",
                "2025 #9999999999",
                "",
            ]
        )
        for _ in range(rng.randrange(0, 4))
    ]
    text = ":".join([kind, *parts])
    if rng.random() < 0.2:
        text = _odd_text(rng, [text], 3)
    return text.encode("utf-8")[:64].decode("utf-8", "ignore")


# ---- checks: an input in, an exception out when it is a crash ----------------------------------------------


def read_import(item: tuple[bytes, str]) -> None:
    try:
        read_plan_bytes(*item)
    except PlanImportError as error:  # the polite refusal every bad file should get, with words in it
        if not error.message or not all(isinstance(value, str) for value in error.params.values()):
            raise AssertionError(f"a refusal without a message: {error!r}") from error


def read_time(text: str) -> None:
    parse_time_text(text, date(2025, 9, 30), 2030)


def read_reply(text: str) -> None:
    parse_progress(text)


def read_payload(text: str) -> None:
    choice = decode(text)
    if choice is not None and encode(choice) != text:
        raise AssertionError(f"{text!r} decoded to {choice!r}, which the bot would encode differently")


@dataclass(frozen=True)
class FuzzKind:
    name: str
    make: Callable[[random.Random], object]
    check: Callable[[object], None]


def fuzz_kinds(samples: ZipSamples) -> list[FuzzKind]:
    def kind(name: str, make: Callable[[random.Random], object], check: Callable[[object], None]) -> FuzzKind:
        return FuzzKind(name, make, check)

    return [
        kind("importer/random_bytes", random_bytes, read_import),  # type: ignore[arg-type]
        kind("importer/corrupt_zip", samples.corrupt_zip, read_import),  # type: ignore[arg-type]
        kind("importer/huge_cell", huge_cell, read_import),  # type: ignore[arg-type]
        kind("importer/zip_bomb", samples.zip_bomb, read_import),  # type: ignore[arg-type]
        kind("importer/odd_unicode", odd_unicode, read_import),  # type: ignore[arg-type]
        kind("importer/wrong_columns", wrong_columns, read_import),  # type: ignore[arg-type]
        kind("schedule/time_text", time_text, read_time),  # type: ignore[arg-type]
        kind("reply/text", reply_text, read_reply),  # type: ignore[arg-type]
        kind("payload/text", payload_text, read_payload),  # type: ignore[arg-type]
    ]


@dataclass
class FuzzResult:
    name: str
    inputs: int = 0
    crashes: int = 0
    slow: int = 0
    worst_seconds: float = 0.0
    first_crash: str = ""


def fuzz(kind: FuzzKind, count: int, seed: int = SEED) -> FuzzResult:
    rng = random.Random(f"{seed}:{kind.name}")
    result = FuzzResult(kind.name)
    for _ in range(count):
        item = kind.make(rng)
        started = time.perf_counter()
        try:
            kind.check(item)
        except Exception as error:  # counting them is the point
            result.crashes += 1
            result.first_crash = result.first_crash or f"{type(error).__name__}: {error}"[:200]
        took = time.perf_counter() - started
        result.inputs += 1
        result.worst_seconds = max(result.worst_seconds, took)
        if took > SLOW_SECONDS:
            result.slow += 1
    return result


# ---- forged presses ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Press:
    why: str
    user: User
    payload: str


def _state(chat: Chat) -> tuple[object, ...]:
    return (tuple(chat.reports()), len(chat.audit()))


def accepted(chat: Chat, press: Press) -> bool:
    """Whether the press did anything: changed a report or the audit log, or brought a file. A press
    that raises counts too: the person got "Xin lỗi, đã có lỗi xảy ra", not a polite refusal."""
    before = _state(chat)
    try:
        chat.press_payload(press.user, press.payload)
    except Exception:  # a fault to count, not to stop at
        return True
    return _state(chat) != before or any(out.attachment is not None for out in chat.answers)


def _payloads(chat: Chat, user: User) -> list[str]:
    return [button.payload for row in chat.last(user).buttons for button in row]


def forged_presses(chat: Chat) -> list[Press]:
    """The scene (Lan of the unit leading II.3 has a report, a reminder and a pending choice; Nam is
    of another unit) and the presses that must all be refused."""
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    nam = chat.member("Đặng Văn Nam", Role.STAFF, VAN_PHONG)
    head = chat.member("Trần Văn Hùng", Role.MONITOR, QLTDC)
    guest = chat.person("Khách lạ")
    reminder = chat.remind(lan, "II.3")
    prompt_payload = reminder.buttons[0][0].payload
    chat.say(lan, "để tôi xem", reply_to=reminder)  # unclear: the bot asks for the status with buttons
    status_payload = _payloads(chat, lan)[0]
    chat.press_payload(lan, status_payload)
    undo_payload = _payloads(chat, lan)[0]
    chat.say(lan, "đã gửi dự thảo")  # several open tasks: the bot asks which
    pick_payload = _payloads(chat, lan)[0]
    chat.say(head, "/summary")
    file_payloads = _payloads(chat, head)
    presses = [
        Press("another unit's prompt", nam, prompt_payload),
        Press("another person's status question", nam, status_payload),
        Press("another person's undo", nam, undo_payload),
        Press("another person's choice", nam, pick_payload),
        Press("the monitor on a staff member's undo", head, undo_payload),
        Press("a guest on a prompt", guest, prompt_payload),
        *(Press("staff asking for a report file", lan, payload) for payload in file_payloads),
        *(Press("another unit's staff asking for a report file", nam, payload) for payload in file_payloads),
    ]
    for kind, layout_ids in (
        (ChoiceKind.STATUS, 1),
        (ChoiceKind.PROMPT, 1),
        (ChoiceKind.PICK, 2),
        (ChoiceKind.UNDO, 1),
    ):
        for big in (str(MAX_ID + 1), "9" * 23, "0", "-1"):
            ids = ":".join([big] * layout_ids)
            status = ":done" if kind in (ChoiceKind.STATUS, ChoiceKind.PROMPT) else ""
            presses.append(Press(f"out-of-range id in {kind.value}", lan, f"{kind.value}:{ids}{status}"))
    presses.append(
        Press("a prompt that does not exist", lan, encode(Choice(ChoiceKind.PROMPT, (MAX_ID,), ReportStatus.DONE)))
    )
    presses.append(Press("a report file of a unit not theirs", lan, "sum:docx:2025 #999999999"))
    # Stale: the undo used, the choice made; then the same buttons again.
    chat.press_payload(lan, undo_payload)
    chat.press_payload(lan, pick_payload)
    presses += [
        Press("a stale undo", lan, undo_payload),
        Press("a stale status question", lan, status_payload),
        Press("a stale choice", lan, pick_payload),
    ]
    return presses


@dataclass
class ForgedResult:
    presses: int = 0
    accepted: int = 0
    which: tuple[str, ...] = ()


def forge(engine: Engine) -> ForgedResult:
    chat = Chat(engine)
    result = ForgedResult()
    which = []
    for press in forged_presses(chat):
        result.presses += 1
        if accepted(chat, press):
            result.accepted += 1
            which.append(f"{press.why} ({press.payload})")
    result.which = tuple(which)
    return result


def near_duplicate_seconds(count: int, seed: int = SEED) -> float:
    """Seconds to look for near-duplicates among `count` unit names that all begin "Phòng" (the outside
    probe measured 4.7 s for 600 names when each pair was compared)."""
    rng = random.Random(seed)
    syllables = "an anh binh cao chi cong dan dao dien dong giang hai hoa hung khoa kinh lam linh long minh nam"
    words = syllables.split()
    names = [
        "Phòng " + " ".join(rng.choice(words).capitalize() for _ in range(rng.randrange(3, 8))) for _ in range(count)
    ]
    started = time.perf_counter()
    find_near_duplicates(names)
    return time.perf_counter() - started


# ---- the run ------------------------------------------------------------------------------------------------


def run(quick: bool = False) -> dict[str, int]:
    samples = ZipSamples.build()
    inputs = crashes = 0
    for kind in fuzz_kinds(samples):
        count = FULL_COUNTS[kind.name] // (QUICK_SHARE if quick else 1)
        result = fuzz(kind, max(count, 1))
        inputs += result.inputs
        crashes += result.crashes + result.slow
        print(
            f"fuzz {result.name}: inputs={result.inputs} crashes={result.crashes} slow={result.slow} "
            f"worst_ms={result.worst_seconds * 1000:.0f}" + (f" first: {result.first_crash}" if result.crashes else "")
        )
    for count in (600, 1000):
        print(f"importer near-duplicates: names={count} seconds={near_duplicate_seconds(count):.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{tmp}/forged.db")
        db.upgrade(engine)
        forged = forge(engine)
        engine.dispose()
    print(f"forged presses: presses={forged.presses} accepted={forged.accepted}")
    for line in forged.which:
        print(f"  accepted: {line}")
    figures = {"fuzz_inputs": inputs, "fuzz_crashes": crashes, "forged_accepted": forged.accepted}
    print("reliability_inputs: " + " ".join(f"{key}={value}" for key, value in figures.items()))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run: a fiftieth of the inputs")
    run(quick=parser.parse_args().quick)


if __name__ == "__main__":
    main()

"""Properties of the parser and of the schedule JSON, over generated input."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.timing.periods import expand
from scheduler.timing.schedule_language import parse_time_text
from scheduler.timing.schedules import (
    Monthly,
    Once,
    OnEvent,
    Ongoing,
    Quarterly,
    Schedule,
    Yearly,
    schedule_from_json,
    schedule_to_json,
)

KINDS = (Once, Yearly, Quarterly, Monthly, Ongoing, OnEvent)
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 /-–.,;:()\n\t&%"
# Fragments of real time texts, so that generated input reaches past the tokenizer into the combining.
# fmt: off
FRAGMENTS = [
    "Quý", "Quí", "quy", "IV", "I", "II", "III", "4", "năm", "nam", "hàng", "hằng", "tháng", "ngày",
    "trước", "từ", "đến", "sau khi", "khi", "khí", "lần/năm", "/", "-", "2025", "2026", "2099", "1900",
    "31/12", "15/11", "29/2", "30/02/2026", "6 tháng", "đầu", "cuối", "thường xuyên", "đột xuất",
    "trở đi", "các năm tiếp theo", "định kỳ", "giai đoạn", "và", ",", ";", ".", "2 lần", "đợt",
    "số 1/KH-UB", "0", "00/2026", "13/2026", "theo kế hoạch", "theo quy định", "hàng quý", "Q3",
    "trong vòng 30 ngày kể từ ngày ban hành", "mỗi năm", "ít nhất", "(", ")", "\n- ",
]
# fmt: on
ISSUED = date(2025, 9, 1)

texts = st.one_of(
    st.text(),
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join),
)


@settings(max_examples=600, deadline=None)
@given(text=texts, horizon=st.one_of(st.none(), st.integers(2025, 2040)))
def test_any_text_parses_into_known_kinds_and_is_flagged_only_when_empty(text: str, horizon: int | None) -> None:
    parsed = parse_time_text(text, ISSUED, horizon)

    assert parsed.text == text
    assert all(isinstance(schedule, KINDS) for schedule in parsed.schedules)
    assert parsed.needs_date == (not parsed.schedules)
    assert len(set(parsed.schedules)) == len(parsed.schedules)
    for schedule in parsed.schedules:
        assert schedule_from_json(schedule_to_json(schedule)) == schedule
        if isinstance(schedule, Yearly):
            assert schedule.from_year >= ISSUED.year
            assert schedule.due_in(schedule.from_year) >= ISSUED
        if isinstance(schedule, OnEvent):
            assert schedule.event.strip() == schedule.event


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_every_parse_expands_into_sorted_occurrences(text: str) -> None:
    occurrences = expand(parse_time_text(text, ISSUED, 2030).schedules, ISSUED, 2030)

    dues = [occurrence.due for occurrence in occurrences if occurrence.due is not None]
    assert len(dues) == len(occurrences)
    assert dues == sorted(dues)


schedules: st.SearchStrategy[Schedule] = st.one_of(
    st.builds(Once, st.dates()),
    st.builds(
        Yearly,
        month=st.just(2),
        day=st.integers(1, 29),
        from_year=st.integers(1, 9999),
        until_year=st.one_of(st.none(), st.integers(1, 9999)),
        count=st.one_of(st.none(), st.integers(1, 1000)),
    ),
    st.builds(
        Yearly,
        month=st.integers(1, 12),
        day=st.integers(1, 28),
        from_year=st.integers(1, 9999),
        until_year=st.one_of(st.none(), st.integers(1, 9999)),
        count=st.one_of(st.none(), st.integers(1, 1000)),
    ),
    st.just(Quarterly()),
    st.just(Monthly()),
    st.just(Ongoing()),
    st.builds(OnEvent, st.text(min_size=1)),
)


@given(schedule=schedules)
def test_json_round_trips(schedule: Schedule) -> None:
    data = schedule_to_json(schedule)

    assert schedule_from_json(data) == schedule
    assert isinstance(data["kind"], str)

"""Đồng hồ của hộp cát: có múi giờ, chỉ tiến không lùi, đọc được khoảng thời gian ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.clock import VIETNAM, ClockError, SandboxClock, parse_duration, parse_instant

START = datetime(2025, 10, 1, 8, 0, tzinfo=VIETNAM)


def test_dong_ho_dung_yen_tra_ve_gio_viet_nam() -> None:
    clock = SandboxClock(START.astimezone(UTC))
    assert clock.now() == START
    assert clock() == START
    assert clock.now().utcoffset() == timedelta(hours=7)
    assert str(clock.now().tzinfo) == "Asia/Ho_Chi_Minh"


def test_dong_ho_khong_nhan_gio_khong_co_mui_gio() -> None:
    with pytest.raises(ClockError):
        SandboxClock(datetime(2025, 10, 1, 8, 0))
    clock = SandboxClock(START)
    with pytest.raises(ClockError, match="múi giờ"):
        clock.set(datetime(2025, 10, 2, 8, 0))


def test_dat_gio_va_tien_them() -> None:
    clock = SandboxClock(START)
    assert clock.set(datetime(2025, 12, 24, 1, 0, tzinfo=UTC)) == datetime(2025, 12, 24, 8, 0, tzinfo=VIETNAM)
    assert clock.advance(timedelta(days=7)) == datetime(2025, 12, 31, 8, 0, tzinfo=VIETNAM)
    assert clock.advance(timedelta(0)) == datetime(2025, 12, 31, 8, 0, tzinfo=VIETNAM)


def test_khong_bao_gio_lui() -> None:
    clock = SandboxClock(START)
    with pytest.raises(ClockError, match="never moves backwards"):
        clock.set(START - timedelta(seconds=1))
    with pytest.raises(ClockError):
        clock.advance(timedelta(minutes=-1))
    assert clock.now() == START
    assert clock.set(START) == START  # the same instant is not backwards


def test_dong_ho_chay_theo_nhip_may() -> None:
    ticks = [100.0]
    clock = SandboxClock(START, running=True, ticker=lambda: ticks[0])
    ticks[0] = 190.0
    assert clock.now() == START + timedelta(seconds=90)
    clock.advance(timedelta(days=1))
    assert clock.now() == START + timedelta(days=1, seconds=90)
    ticks[0] = 200.0
    assert clock.now() == START + timedelta(days=1, seconds=100)
    with pytest.raises(ClockError):
        clock.set(START + timedelta(days=1))


def test_bao_cho_nguoi_dang_ky_khi_doi_gio() -> None:
    clock = SandboxClock(START)
    seen: list[datetime] = []
    unsubscribe = clock.subscribe(seen.append)
    clock.advance(timedelta(hours=1))
    clock.set(START + timedelta(days=2))
    unsubscribe()
    clock.advance(timedelta(hours=1))
    assert seen == [START + timedelta(hours=1), START + timedelta(days=2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P7D", timedelta(days=7)),
        ("P1D", timedelta(days=1)),
        ("p2w", timedelta(weeks=2)),
        ("PT36H", timedelta(hours=36)),
        ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
        ("PT0.5S", timedelta(seconds=0.5)),
        ("P0D", timedelta(0)),
    ],
)
def test_doc_khoang_thoi_gian(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P", "PT", "7D", "P-1D", "P1H", "một tuần", ""])
def test_khoang_thoi_gian_sai_dang(text: str) -> None:
    with pytest.raises(ClockError, match="ISO 8601"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["P1M", "P1Y", "P1Y2M3D"])
def test_thang_va_nam_khong_co_do_dai_co_dinh(text: str) -> None:
    with pytest.raises(ClockError, match="năm hoặc tháng"):
        parse_duration(text)


def test_doc_thoi_diem_can_mui_gio() -> None:
    assert parse_instant("2025-12-24T08:00:00+07:00") == datetime(2025, 12, 24, 8, 0, tzinfo=VIETNAM)
    assert parse_instant("2025-12-24T01:00:00Z") == datetime(2025, 12, 24, 8, 0, tzinfo=VIETNAM)
    with pytest.raises(ClockError, match="thiếu múi giờ"):
        parse_instant("2025-12-24T08:00:00")
    with pytest.raises(ClockError, match="ISO 8601"):
        parse_instant("24/12/2025")

"""Giới hạn tốc độ và lỗi giả lập: thuần, chạy theo thời gian truyền vào, không ngủ."""

from __future__ import annotations

import pytest

from sandbox.limits import (
    ZALO_SEND_METHODS,
    ChatKind,
    Delay,
    Faults,
    Limits,
    RateLimiter,
    ServerError,
    SlidingWindow,
    Throttle,
    TokenBucket,
    ZaloLimits,
)


def test_xo_token_nap_lai_theo_thoi_gian() -> None:
    bucket = TokenBucket.full(capacity=3, rate=1.0, now=0.0)
    for _ in range(3):
        assert bucket.wait(0.0) == 0
        bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(1.0)
    assert bucket.wait(0.4) == pytest.approx(0.6)
    assert bucket.wait(1.0) == 0
    # A ticker going backwards neither refills nor drains.
    bucket.take(1.0)
    assert bucket.wait(0.5) == pytest.approx(1.0)


def test_chat_rieng_cho_phep_dot_ngan_roi_mot_tin_moi_giay() -> None:
    limiter = RateLimiter(Limits())
    assert [limiter.acquire(101, ChatKind.PRIVATE, 0.0) for _ in range(3)] == [None, None, None]
    assert limiter.acquire(101, ChatKind.PRIVATE, 0.0) == 1
    assert limiter.acquire(101, ChatKind.PRIVATE, 0.5) == 1  # retry_after is whole seconds, never 0
    assert limiter.acquire(101, ChatKind.PRIVATE, 1.0) is None
    assert limiter.acquire(101, ChatKind.PRIVATE, 1.0) == 1
    # Another person's chat has its own budget.
    assert limiter.acquire(102, ChatKind.PRIVATE, 1.0) is None


def test_nhom_hai_muoi_tin_moi_phut() -> None:
    limiter = RateLimiter(Limits())
    for n in range(20):
        assert limiter.acquire(-100, ChatKind.GROUP, n * 2.0) is None
    # No 60-second stretch may hold 21: the first message (t=0) leaves the window at t=60.
    assert limiter.acquire(-100, ChatKind.GROUP, 40.0) == 20
    assert limiter.acquire(-100, ChatKind.GROUP, 59.5) == 1
    assert limiter.acquire(-100, ChatKind.GROUP, 60.0) is None
    assert limiter.acquire(-100, ChatKind.GROUP, 60.0) == 2


def test_cua_so_truot() -> None:
    window = SlidingWindow(limit=2, period=10.0)
    window.take(0.0)
    window.take(4.0)
    assert window.wait(5.0) == pytest.approx(5.0)
    assert window.wait(10.0) == 0


def test_toan_bot_ba_muoi_tin_moi_giay() -> None:
    limiter = RateLimiter(Limits())
    sent = [limiter.acquire(1000 + n, ChatKind.PRIVATE, 0.0) for n in range(30)]
    assert sent == [None] * 30
    assert limiter.acquire(2000, ChatKind.PRIVATE, 0.0) == 1
    assert limiter.acquire(2000, ChatKind.PRIVATE, 1 / 30 + 1e-6) is None


def test_bi_tu_choi_thi_khong_ton_luot() -> None:
    limiter = RateLimiter(Limits(overall_burst=1, overall_per_second=1.0))
    assert limiter.acquire(101, ChatKind.PRIVATE, 0.0) is None
    # Refused by the overall bucket: chat 102's own bucket must stay full.
    assert limiter.acquire(102, ChatKind.PRIVATE, 0.0) == 1
    limiter = RateLimiter(Limits(overall_burst=30, private_burst=1))
    assert limiter.acquire(101, ChatKind.PRIVATE, 0.0) is None
    assert limiter.acquire(101, ChatKind.PRIVATE, 0.0) == 1


def test_cau_hinh_gioi_han_sai() -> None:
    with pytest.raises(ValueError):
        Limits(private_burst=0)
    with pytest.raises(ValueError):
        Limits(group_per_minute=0)


def test_bao_429_trong_mot_khoang_thoi_gian() -> None:
    faults = Faults()
    faults.storm(seconds=5, retry_after=3, now=100.0)
    assert faults.decide("sendMessage", 100.0) == Throttle(3)
    assert faults.decide("senddocument", 104.9) == Throttle(3)
    assert faults.decide("getUpdates", 101.0) is None  # only the sending methods by default
    assert faults.decide("sendMessage", 105.0) is None
    assert faults.describe(105.0)["storm"] is None


def test_loi_may_chu_dem_so_lan() -> None:
    faults = Faults()
    faults.server_errors(count=2, status=502)
    assert faults.decide("sendMessage", 0) == ServerError(502)
    assert not ServerError(502).json_body and ServerError(500).json_body
    assert faults.decide("sendMessage", 0) == ServerError(502)
    assert faults.decide("sendMessage", 0) is None


def test_loi_may_chu_theo_ti_le_lap_lai_duoc() -> None:
    def run() -> list[bool]:
        faults = Faults(seed=7)
        faults.server_errors(fraction=0.3)
        return [faults.decide("sendMessage", 0) is not None for _ in range(200)]

    first = run()
    assert first == run()
    assert 30 <= sum(first) <= 90


def test_tre_tra_loi_va_chon_phuong_thuc() -> None:
    faults = Faults()
    faults.delay(seconds=2.5, count=2, deliver=False, methods={"getUpdates"})
    assert faults.decide("sendMessage", 0) is None
    assert faults.decide("getupdates", 0) == Delay(2.5, deliver=False)
    assert faults.decide("getUpdates", 0) == Delay(2.5, deliver=False)
    assert faults.decide("getUpdates", 0) is None


def test_thu_tu_uu_tien_va_xoa_het() -> None:
    faults = Faults()
    faults.delay(seconds=1)
    faults.server_errors(count=1)
    faults.storm(seconds=10, retry_after=2, now=0)
    assert faults.decide("sendMessage", 1) == Throttle(2)
    described = faults.describe(1)
    assert described["storm"] is not None and described["server_errors"] is not None and described["delay"] is not None
    faults.clear()
    assert faults.decide("sendMessage", 1) is None
    assert faults.describe(1) == {"storm": None, "server_errors": None, "delay": None}


def test_cau_hinh_loi_sai() -> None:
    faults = Faults()
    with pytest.raises(ValueError):
        faults.storm(seconds=0, retry_after=1, now=0)
    with pytest.raises(ValueError):
        faults.server_errors(status=404, count=1)
    with pytest.raises(ValueError):
        faults.server_errors()
    with pytest.raises(ValueError):
        faults.delay(seconds=1, count=0)


def test_zalo_limits_default_to_one_message_every_two_seconds_per_chat() -> None:
    limiter = RateLimiter(ZaloLimits())
    chat = "9f2664d2915845cb4ff4"
    assert [limiter.acquire(chat, ChatKind.PRIVATE, 0.0) for _ in range(3)] == [None, None, 2]
    assert limiter.acquire(chat, ChatKind.PRIVATE, 2.0) is None
    # Five a second overall: the other chats share what is left of the burst of five.
    others = [limiter.acquire(f"chat{n}", ChatKind.PRIVATE, 2.0) for n in range(5)]
    assert others == [None, None, None, None, 1]


def test_zalo_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        ZaloLimits(private_per_second=0)
    with pytest.raises(ValueError):
        ZaloLimits(text_length=0)
    with pytest.raises(ValueError):
        ZaloLimits(poll_wait_seconds=-1)


def test_zalo_faults_hit_zalos_sending_methods_by_default() -> None:
    faults = Faults(send_methods=ZALO_SEND_METHODS)
    faults.storm(seconds=5, retry_after=3, now=0.0)
    assert faults.decide("sendSticker", 1.0) == Throttle(3)
    assert faults.decide("sendDocument", 1.0) is None
    assert faults.describe(1.0)["storm"] == {
        "seconds_left": 4.0,
        "retry_after": 3,
        "methods": ["sendmessage", "sendphoto", "sendsticker"],
    }

"""The sandbox's clock: the one clock the whole product reads in sandbox mode.

Scripts and the web page move it forward (`set`, `advance`) to make a week pass in a second; it never
moves backwards, because the product's scheduler and its audit trail assume time only grows. It is
either frozen (the default: tests want the same `now` on every read) or running (it ticks with the
machine's monotonic clock from wherever it was last set, for people trying the bot by hand).

What it does not drive: rate limits, `retry_after`, long-polling timeouts. Those are about how fast
the bot talks to the server, which happens in real seconds whatever the calendar says (see limits.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

Listener = Callable[[datetime], None]

# ISO 8601 durations with fixed-length parts only: a "month" or a "year" has no fixed length, and a
# clock that guessed would drift from what the person meant.
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)


class ClockError(ValueError):
    """A clock change that cannot be done; the message is Vietnamese, for the page and scripts."""


def parse_duration(text: str) -> timedelta:
    """Read an ISO 8601 duration such as `P7D`, `PT36H` or `P1DT2H30M` (weeks, days, hours, minutes, seconds)."""
    cleaned = text.strip().upper()
    match = _DURATION.match(cleaned)
    if match is None:
        date_part = cleaned.split("T", 1)[0]
        if cleaned.startswith("P") and ("Y" in date_part or "M" in date_part):
            raise ClockError(
                f"Khoảng thời gian «{text}» dùng năm hoặc tháng, vốn không có độ dài cố định; hãy dùng số ngày (ví dụ P30D)."
            )
        raise ClockError(f"Khoảng thời gian «{text}» không đúng dạng ISO 8601 (ví dụ P7D, PT12H, P1DT2H).")
    parts = {name: float((value or "0").replace(",", ".")) for name, value in match.groupdict().items()}
    return timedelta(
        weeks=parts["weeks"],
        days=parts["days"],
        hours=parts["hours"],
        minutes=parts["minutes"],
        seconds=parts["seconds"],
    )


def parse_instant(text: str) -> datetime:
    """Read an ISO 8601 date-time that carries its UTC offset (a naive one would be ambiguous)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ClockError(f"Thời điểm «{text}» không đúng dạng ISO 8601 (ví dụ 2025-12-24T08:00:00+07:00).") from error
    if value.tzinfo is None or value.utcoffset() is None:
        raise ClockError(f"Thời điểm «{text}» thiếu múi giờ; hãy ghi rõ, ví dụ +07:00.")
    return value


class SandboxClock:
    """An aware clock that only moves forward. Call it (or `now()`) to read the time in Asia/Ho_Chi_Minh.

    Thread-safe, because the product may read it from worker threads while a script moves it.
    """

    def __init__(self, start: datetime, *, running: bool = False, ticker: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ClockError("Đồng hồ cần thời điểm có múi giờ (aware datetime).")
        self._lock = threading.Lock()
        self._ticker = ticker
        self._running = running
        self._anchor = start.astimezone(VIETNAM)
        self._anchor_tick = ticker()
        self._listeners: list[Listener] = []

    @property
    def running(self) -> bool:
        return self._running

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def __call__(self) -> datetime:
        return self.now()

    def set(self, to: datetime) -> datetime:
        """Jump to `to`; refuses a naive time or one earlier than now."""
        if to.tzinfo is None or to.utcoffset() is None:
            raise ClockError("Đồng hồ cần thời điểm có múi giờ (aware datetime).")
        with self._lock:
            current = self._now_locked()
            if to < current:
                raise ClockError(
                    f"Không thể lùi đồng hồ về {to.astimezone(VIETNAM).isoformat()}: "
                    f"bây giờ đã là {current.isoformat()} (time never moves backwards)."
                )
            self._anchor = to.astimezone(VIETNAM)
            self._anchor_tick = self._ticker()
            now = self._anchor
            listeners = list(self._listeners)
        self._notify(listeners, now)
        return now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` (zero is allowed and changes nothing)."""
        if delta < timedelta(0):
            raise ClockError("Không thể lùi đồng hồ: khoảng thời gian phải không âm (time never moves backwards).")
        with self._lock:
            self._anchor = self._now_locked() + delta
            self._anchor_tick = self._ticker()
            now = self._anchor
            listeners = list(self._listeners)
        self._notify(listeners, now)
        return now

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(new_now)` after every `set`/`advance`, so a scheduler can re-plan its next wake-up.

        Returns a function that unsubscribes.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _now_locked(self) -> datetime:
        if not self._running:
            return self._anchor
        # The monotonic ticker can only grow, so a running clock cannot step back either.
        return self._anchor + timedelta(seconds=max(0.0, self._ticker() - self._anchor_tick))

    @staticmethod
    def _notify(listeners: list[Listener], now: datetime) -> None:
        # Outside the lock: a listener may well read the clock again.
        for listener in listeners:
            listener(now)


__all__ = ["VIETNAM", "ClockError", "SandboxClock", "parse_duration", "parse_instant"]

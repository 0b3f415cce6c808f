"""A local stand-in for Telegram's and Zalo's Bot APIs, with a scripting API and a web chat page (see server.py)."""

from sandbox.clock import VIETNAM, ClockError, SandboxClock, parse_duration, parse_instant
from sandbox.limits import ChatKind, Faults, Limits, RateLimiter, ZaloLimits
from sandbox.server import Sandbox
from sandbox.state import TELEGRAM, ZALO, SimGroup, SimPerson
from sandbox.telegram_api import Exchange

__all__ = [
    "TELEGRAM",
    "VIETNAM",
    "ZALO",
    "ChatKind",
    "ClockError",
    "Exchange",
    "Faults",
    "Limits",
    "RateLimiter",
    "Sandbox",
    "SandboxClock",
    "SimGroup",
    "SimPerson",
    "ZaloLimits",
    "parse_duration",
    "parse_instant",
]

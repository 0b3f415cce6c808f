"""A local stand-in for Telegram's Bot API, with a scripting API and a web chat page (see server.py)."""

from sandbox.clock import VIETNAM, ClockError, SandboxClock, parse_duration, parse_instant
from sandbox.limits import ChatKind, Faults, Limits, RateLimiter
from sandbox.server import Sandbox
from sandbox.state import SimGroup, SimPerson
from sandbox.telegram_api import Exchange

__all__ = [
    "VIETNAM",
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
    "parse_duration",
    "parse_instant",
]

"""Errors whose message is meant for the person at the keyboard."""

from __future__ import annotations


class UserFacingError(Exception):
    """`message` is a gettext msgid (English) with `{placeholders}` filled from `params` at the edge."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

"""A small share of `bench/reliability_inputs.py`: the same generators and forged presses, fewer inputs."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bench.reliability_inputs import FuzzKind, Press, ZipSamples, accepted, forge, fuzz, fuzz_kinds
from models import Role
from tests.bot.chat import QLTDC, Chat

SHARE = {"importer/huge_cell": 3, "schedule/time_text": 300, "reply/text": 300, "payload/text": 300}
KINDS = {kind.name: kind for kind in fuzz_kinds(ZipSamples.build(bomb_mb=65))}


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_generated_inputs_raise_nothing_unexpected(kind: FuzzKind) -> None:
    result = fuzz(kind, SHARE.get(kind.name, 20), seed=7)
    assert (result.crashes, result.first_crash) == (0, "")


def test_no_forged_press_is_accepted(engine: Engine) -> None:
    result = forge(engine)
    assert result.presses > 30
    assert result.which == ()


def test_a_genuine_press_counts_as_accepted(engine: Engine) -> None:
    chat = Chat(engine)
    lan = chat.member("Nguyễn Thị Lan", Role.STAFF, QLTDC)
    chat.say(lan, "xong rồi", reply_to=chat.remind(lan, "II.3"))
    undo = chat.last(lan).buttons[0][0].payload
    assert accepted(chat, Press("her own undo", lan, undo))

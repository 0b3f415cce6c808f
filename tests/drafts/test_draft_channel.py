"""A monitor with a Telegram and a Zalo account gets the draft report once, on the account their
messages go to."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from domain import accounts
from domain.messages import Platform
from models import db
from nhacviec.demo import SimulatedPerson
from tests.drafts.test_draft_enqueue import MONITOR_CHAT, at, drafts, member_of, run

MONITOR_ZALO = "6a1f0c2e9b7d4e10"  # a Zalo user id: the bot writes to a Zalo user in the chat of that id


def link_zalo(engine: Engine) -> int:
    """The monitor links a Zalo account with a link code from Telegram."""
    member_id = member_of(engine, MONITOR_CHAT)
    with db.session_scope(engine) as session:
        issued = accounts.issue_link_code(session, member_id, Platform.TELEGRAM, at("01/11/2026"))
        link = accounts.find_link_code(session, issued.code)
        assert link is not None
        linked = accounts.link_account(
            session, link, platform=Platform.ZALO, user_id=MONITOR_ZALO, chat_id=MONITOR_ZALO, now=at("01/11/2026")
        )
        assert isinstance(linked, accounts.Linked)
    return member_id


def test_the_draft_goes_once_to_the_account_linked_last(engine: Engine, people: list[SimulatedPerson]) -> None:
    monitor = link_zalo(engine)
    assert run(engine, at("09/11/2026")).messages == 2
    assert [(m.platform, m.chat_id, m.member_id) for m in drafts(engine)] == [("zalo", MONITOR_ZALO, monitor)] * 2


def test_the_draft_goes_once_to_the_chosen_platform(engine: Engine, people: list[SimulatedPerson]) -> None:
    monitor = link_zalo(engine)
    with db.session_scope(engine) as session:
        assert not isinstance(
            accounts.set_channel(session, monitor, "telegram", at("02/11/2026")), accounts.ChannelProblem
        )
    assert run(engine, at("09/11/2026")).messages == 2
    assert [(m.platform, m.chat_id) for m in drafts(engine)] == [("telegram", MONITOR_CHAT)] * 2

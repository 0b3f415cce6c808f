"""Which of a person's chat accounts the bot writes to: exactly one, so someone with a Telegram and a
Zalo account gets each reminder once.

The rule: among the accounts the bot can write to (a private chat is known and the person has not
blocked the bot), the one on the platform the member chose (`member.channel`, set with /kenh); with
no choice, or when the chosen platform's account is blocked or missing, the account joined or linked
last (the newest row: accounts are only ever made by joining or linking).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from models.people import Member, PlatformAccount


@dataclass(frozen=True)
class AccountFacts:
    account_id: int
    platform: str
    chat_id: str | None  # the private chat; None until the person has written to the bot there
    blocked: bool

    @property
    def reachable(self) -> bool:
        return self.chat_id is not None and not self.blocked


def delivery_account(accounts: Iterable[AccountFacts], channel: str | None) -> AccountFacts | None:
    """The one account a member's messages go to, or None when the bot can write to none of them."""
    reachable = [account for account in accounts if account.reachable]
    if not reachable:
        return None
    return max(reachable, key=lambda account: (account.platform == channel, account.account_id))


@dataclass(frozen=True)
class MemberAccounts:
    channel: str | None
    accounts: tuple[AccountFacts, ...]  # oldest first

    @property
    def delivery(self) -> AccountFacts | None:
        return delivery_account(self.accounts, self.channel)


def member_accounts(session: Session, member_ids: Sequence[int]) -> dict[int, MemberAccounts]:
    """Each member's channel and accounts (members without any account are left out)."""
    found: dict[int, list[AccountFacts]] = defaultdict(list)
    channels: dict[int, str | None] = {}
    for start in range(0, len(member_ids), 5000):
        rows = session.execute(
            sa.select(
                col(Member.id),
                col(Member.channel),
                col(PlatformAccount.id),
                col(PlatformAccount.platform),
                col(PlatformAccount.private_chat_id),
                col(PlatformAccount.blocked_at),
            )
            .join(PlatformAccount, col(PlatformAccount.member_id) == col(Member.id))
            .where(col(Member.id).in_(member_ids[start : start + 5000]))
            .order_by(col(Member.id), col(PlatformAccount.id))
        )
        for member_id, channel, account_id, platform, chat_id, blocked_at in rows:
            channels[member_id] = channel
            found[member_id].append(AccountFacts(account_id, platform, chat_id, blocked_at is not None))
    return {member_id: MemberAccounts(channels[member_id], tuple(found[member_id])) for member_id in found}

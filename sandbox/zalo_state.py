"""What the sandbox's Zalo side remembers: people's Zalo chats, their messages, pending updates, the webhook.

The shapes follow the shared platforms.md ("Zalo Bot API"). An update:

    {"event_name": "message.text.received",
     "message": {"message_id": "…", "from": {"id": "…", "display_name": "…", "is_bot": false},
                 "chat": {"id": "…", "chat_type": "PRIVATE"}, "date": <ms>, "text": "…"}}

Ids are opaque strings. A person's Zalo user id, which is also their private chat's id, is
`SimPerson.zalo_user_id` (fixed per person, the same on every run, so the product's stored accounts
still match after a restart). Message ids are random hex, new on every run: a client that keeps the
ids it handled, to drop redeliveries, never takes a new message for an old one after a restart.

Only private chats exist on this side for now; groups stay on the Telegram side.

Pending updates wait in `updates`; each leaves it when a `getUpdates` answers it or the webhook
took it (2xx), and is kept in `delivered` (the last 1000), from where a script may redeliver it:
Zalo does redeliver, so the client must de-duplicate by `message_id`.
"""

from __future__ import annotations

import copy
import secrets
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.clock import VIETNAM
from sandbox.state import JSON, ZALO, SandboxState, ScriptError, SimPerson, person_text

TEXT_RECEIVED = "message.text.received"
IMAGE_RECEIVED = "message.image.received"
STICKER_RECEIVED = "message.sticker.received"
UNSUPPORTED_RECEIVED = "message.unsupported.received"
PRIVATE = "PRIVATE"
DELIVERED_KEPT = 1000
WEBHOOK_CALLS_KEPT = 1000


def milliseconds(moment: datetime) -> int:
    """Zalo's dates are Unix milliseconds."""
    return int(moment.timestamp() * 1000)


@dataclass
class ZaloMessage:
    message_id: str
    chat_id: str
    sender_id: int | None  # the person's id in the sandbox; None: the bot
    date: datetime
    text: str = ""  # the text, or a photo's caption
    photo: str | None = None  # a photo's URL
    sticker: str | None = None
    unsupported: bool = False  # something Zalo delivers without content (a voice message, a file…)

    @property
    def from_bot(self) -> bool:
        return self.sender_id is None

    @property
    def event_name(self) -> str:
        if self.photo is not None:
            return IMAGE_RECEIVED
        if self.sticker is not None:
            return STICKER_RECEIVED
        if self.unsupported:
            return UNSUPPORTED_RECEIVED
        return TEXT_RECEIVED


@dataclass
class ZaloChat:
    """A person's private chat with the bot on Zalo; its id is the person's Zalo user id."""

    id: str
    person_id: int
    messages: dict[str, ZaloMessage] = field(default_factory=dict)  # oldest first
    last_action: str | None = None
    chat_type: str = PRIVATE


@dataclass(frozen=True)
class WebhookCall:
    """One POST of an update to the bot's webhook and how it went (`status` None: no answer came)."""

    at: datetime
    update: JSON
    secret_header: str | None
    status: int | None
    error: str | None


class ZaloState:
    """The Zalo side of a `SandboxState`: shares its people, clock and change notifications."""

    def __init__(self, state: SandboxState, *, bot_id: str, account_name: str) -> None:
        ids = [person.zalo_user_id for person in state.people.values()]
        if len(set(ids)) != len(ids):
            raise ValueError("people need distinct Zalo ids")
        self.state = state
        self.bot_id = bot_id
        self.account_name = account_name
        self.chats: dict[str, ZaloChat] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.updates: deque[JSON] = deque()
        self.delivered: deque[JSON] = deque(maxlen=DELIVERED_KEPT)
        self.webhook: JSON | None = None  # {"url", "secret_token"} while one is set
        self.webhook_updated_at = 0  # ms: when setWebhook or deleteWebhook last changed it
        self.webhook_calls: deque[WebhookCall] = deque(maxlen=WEBHOOK_CALLS_KEPT)
        for person in state.people.values():
            if person.platform == ZALO:
                self.open(person)

    # ---- accounts -------------------------------------------------------------------------------

    def open(self, person: SimPerson) -> ZaloChat:
        """The person's Zalo account and chat with the bot (made once: moving back and forth keeps both)."""
        chat = self.chats.get(person.zalo_user_id)
        if chat is None:
            chat = ZaloChat(person.zalo_user_id, person.id)
            self.chats[chat.id] = chat
            if person.started:
                self.started.add(person.id)
        return chat

    def set_platform(self, person_id: object, platform: object) -> SimPerson:
        """Put the person on Zalo (or back on Telegram): what they send goes through that platform's API."""
        moved = self.state.set_platform(person_id, platform)
        if moved.platform == ZALO:
            self.open(moved)
        return moved

    def chat_of(self, person: SimPerson) -> ZaloChat | None:
        return self.chats.get(person.zalo_user_id)

    def has_account(self, person: SimPerson) -> bool:
        return person.zalo_user_id in self.chats

    def person_chat(self, person_id: object) -> tuple[SimPerson, ZaloChat]:
        person = self.state.person(person_id)
        chat = self.chat_of(person)
        if chat is None:
            raise ScriptError(
                409,
                f"{person.name} chưa dùng Zalo; hãy chuyển người này sang Zalo trước "
                f'(POST /api/sandbox/platform {{"person": {person.id}, "platform": "zalo"}}).',
            )
        return person, chat

    def set_blocked(self, person_id: object, blocked: bool) -> SimPerson:
        """The person blocks (or unblocks) the bot on Zalo. Zalo documents no event for it: the bot
        learns only from the 403 its next message gets."""
        person, _ = self.person_chat(person_id)
        if blocked:
            self.blocked.add(person.id)
        else:
            self.blocked.discard(person.id)
            self.started.add(person.id)
        self.state.notify()
        return person

    # ---- messages -------------------------------------------------------------------------------

    def _add(self, chat: ZaloChat, message: ZaloMessage) -> ZaloMessage:
        chat.messages[message.message_id] = message
        self.state.notify()
        return message

    def _new_id(self, chat: ZaloChat) -> str:
        while True:
            message_id = secrets.token_hex(10)
            if message_id not in chat.messages:
                return message_id

    def person_sends(
        self,
        person_id: object,
        text: object = None,
        *,
        photo: object = None,
        caption: object = None,
        sticker: object = None,
        unsupported: bool = False,
    ) -> ZaloMessage:
        """The person writes to the bot on Zalo: a new message in their chat and an update for the bot.
        Exactly one of `text`, `photo` (a URL, with an optional `caption`), `sticker` or `unsupported`."""
        person, chat = self.person_chat(person_id)
        if person.id in self.blocked:
            raise ScriptError(
                409, f"{person.name} đang chặn bot trên Zalo; hãy bỏ chặn trước (POST /api/sandbox/block)."
            )
        given = [text is not None, photo is not None, sticker is not None, unsupported]
        if sum(given) != 1:
            raise ScriptError(400, "Gửi đúng một trong các trường: «text», «photo», «sticker» hoặc «unsupported».")
        message = ZaloMessage(self._new_id(chat), chat.id, person.id, self.state.clock.now())
        if text is not None:
            message.text = person_text(text)
        elif photo is not None:
            if not isinstance(photo, str) or not photo.lower().startswith(("http://", "https://")):
                raise ScriptError(400, "Trường «photo» phải là địa chỉ http(s) của ảnh.")
            message.photo = photo
            message.text = "" if caption is None else person_text(caption)
        elif sticker is not None:
            if not isinstance(sticker, str) or not sticker.strip():
                raise ScriptError(400, "Trường «sticker» phải là mã nhãn dán (chuỗi không rỗng).")
            message.sticker = sticker
        else:
            message.unsupported = True
        # Writing to the bot opens the chat: from now on the bot may write first.
        self.started.add(person.id)
        self._add(chat, message)
        self.push_update(self.update_for(message))
        return message

    def bot_sends(
        self, chat: ZaloChat, *, text: str = "", photo: str | None = None, sticker: str | None = None
    ) -> ZaloMessage:
        message = ZaloMessage(
            self._new_id(chat), chat.id, None, self.state.clock.now(), text=text, photo=photo, sticker=sticker
        )
        return self._add(chat, message)

    # ---- updates --------------------------------------------------------------------------------

    def update_for(self, message: ZaloMessage) -> JSON:
        person = self.state.people[message.sender_id] if message.sender_id is not None else None
        if person is None:
            raise ValueError("only people's messages become updates")
        chat = self.chats[message.chat_id]
        body: JSON = {
            "message_id": message.message_id,
            "from": {"id": person.zalo_user_id, "display_name": person.name, "is_bot": False},
            "chat": {"id": chat.id, "chat_type": chat.chat_type},
            "date": milliseconds(message.date),
        }
        if message.photo is not None:
            body["photo"] = message.photo
            if message.text:
                body["caption"] = message.text
        elif message.sticker is not None:
            body["sticker"] = message.sticker
        elif not message.unsupported:
            body["text"] = message.text
        return {"event_name": message.event_name, "message": body}

    def push_update(self, update: JSON) -> None:
        self.updates.append(update)
        self.state.notify()

    def take_update(self) -> JSON | None:
        """The oldest pending update, now delivered (no offset on Zalo: answering it is delivering it)."""
        if not self.updates:
            return None
        update = self.updates.popleft()
        self.delivered.append(update)
        return update

    def acknowledge(self, update: JSON) -> None:
        """The webhook took `update` (the oldest pending one)."""
        if self.updates and self.updates[0] is update:
            self.updates.popleft()
            self.delivered.append(update)
        self.state.notify()

    def redeliver(self, message_id: object = None) -> JSON:
        """Queue again a delivered update, unchanged (same message_id): the latest, or the latest of `message_id`."""
        if message_id is not None and not isinstance(message_id, str):
            raise ScriptError(400, "Trường «message_id» phải là mã tin nhắn Zalo (chuỗi).")
        for update in reversed(self.delivered):
            if message_id is None or update["message"]["message_id"] == message_id:
                again = copy.deepcopy(update)
                self.push_update(again)
                return again
        if message_id is None:
            raise ScriptError(409, "Chưa có cập nhật Zalo nào đã giao cho bot để giao lại.")
        raise ScriptError(404, f"Không có cập nhật Zalo đã giao nào có message_id {message_id}.")

    # ---- the scripting view ---------------------------------------------------------------------

    def view(self, chat: ZaloChat, since: str | None = None) -> list[JSON]:
        """The chat as the person sees it, oldest first, in the scripting API's chat shape (message ids
        are strings; `since` is a message id of this chat, and only newer messages are listed)."""
        messages: Iterable[ZaloMessage] = chat.messages.values()
        if since is not None:
            if since not in chat.messages:
                raise ScriptError(404, f"Không có tin nhắn {since} trong cuộc trò chuyện Zalo này.")
            ids = list(chat.messages)
            messages = [chat.messages[key] for key in ids[ids.index(since) + 1 :]]
        return [self.view_message(message) for message in messages]

    def view_message(self, message: ZaloMessage) -> JSON:
        item: JSON = {
            "message_id": message.message_id,
            "from": "bot" if message.from_bot else "person",
            "text": message.text,
            "buttons": [],  # Zalo has no buttons: choices come as a numbered list in the text
            "date": message.date.astimezone(VIETNAM).isoformat(timespec="seconds"),
            "platform": ZALO,
        }
        if message.sender_id is not None:
            sender = self.state.people[message.sender_id]
            item["sender"] = {"id": sender.id, "name": sender.name}
        if message.photo is not None:
            item["photo"] = {"url": message.photo}
        if message.sticker is not None:
            item["sticker"] = message.sticker
        if message.unsupported:
            item["unsupported"] = True
        return item

    def webhook_view(self) -> JSON:
        hook = self.webhook or {}
        return {
            "url": hook.get("url"),
            "pending": len(self.updates),
            "calls": [
                {
                    "at": call.at.astimezone(VIETNAM).isoformat(timespec="seconds"),
                    "message_id": call.update["message"]["message_id"],
                    "event_name": call.update["event_name"],
                    "secret_header": call.secret_header,
                    "status": call.status,
                    "error": call.error,
                    "update": call.update,
                }
                for call in self.webhook_calls
            ],
        }


__all__ = [
    "IMAGE_RECEIVED",
    "STICKER_RECEIVED",
    "TEXT_RECEIVED",
    "UNSUPPORTED_RECEIVED",
    "WebhookCall",
    "ZaloChat",
    "ZaloMessage",
    "ZaloState",
    "milliseconds",
]

"""What the sandbox remembers: people, chats and their messages, files, pending updates, commands.

Everything here is plain data plus the Bot API shapes built from it (`message_dict`, `user_dict`…).
It runs on the event loop's thread: the HTTP handlers and the Python scripting calls share it
without locks, and waiters (long polls, tests awaiting a reply) wake through `changed()`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import itertools
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sandbox.clock import VIETNAM, SandboxClock
from sandbox.formatting import Entity, FormattedText, detect_entities, entities_to_html
from sandbox.limits import ChatKind

JSON = dict[str, Any]
T = TypeVar("T")

# Telegram's default when a bot never chose: everything except these three.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

TELEGRAM = "telegram"
ZALO = "zalo"
PLATFORMS = (TELEGRAM, ZALO)
# Zalo ids are opaque strings; the sandbox's look like Zalo's own (hex), any letters and digits are accepted.
ZALO_ID = re.compile(r"^[0-9A-Za-z]{1,64}$")


@dataclass(frozen=True)
class SimPerson:
    """A simulated user. `started=False` means they never opened the bot (it cannot write first).

    `platform` is where they chat with the bot now: "telegram" (their user id is `id`) or "zalo"
    (their user id, which is also their private chat's id there, is `zalo_user_id`: `zalo_id` when
    given, otherwise an opaque string fixed by `id`, the same on every run)."""

    id: int
    name: str
    unit: str | None
    role: str
    language_code: str = "vi"
    username: str | None = None
    started: bool = True
    platform: str = TELEGRAM
    zalo_id: str | None = None

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise ValueError(f"person {self.id}: platform must be one of {PLATFORMS}, not {self.platform!r}")
        if self.zalo_id is not None and not ZALO_ID.match(self.zalo_id):
            raise ValueError(f"person {self.id}: a Zalo id is 1-64 letters and digits")

    @property
    def zalo_user_id(self) -> str:
        if self.zalo_id is not None:
            return self.zalo_id
        # 20 hex digits, like the ids Zalo hands out; derived, so a restarted sandbox gives the same ones.
        return hashlib.sha256(f"nhacviec sandbox zalo user {self.id}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class SimGroup:
    """A simulated group with the bot in it. Ids are negative, as Telegram's; -100… means a supergroup."""

    id: int
    title: str
    members: tuple[int, ...] = ()
    note: str = ""  # a line the page shows under the group's title (e.g. how to bind it)


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str
    first_name: str
    privacy_mode: bool = True


class ApiError(Exception):
    """A Bot API failure with Telegram's envelope: `{"ok": false, "error_code", "description", "parameters"}`."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        result: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            result["parameters"] = self.parameters
        return result


class ScriptError(Exception):
    """A scripting API failure: `{"ok": false, "description"}` with an HTTP status; Vietnamese, for the page."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "document" or "photo"
    data: bytes
    file_name: str | None
    mime_type: str | None
    path: str
    width: int = 0
    height: int = 0


@dataclass
class SimMessage:
    message_id: int
    chat_id: int
    sender_id: int
    from_bot: bool
    date: datetime
    text: str  # the text, or the caption of a file
    entities: list[Entity]
    reply_markup: JSON | None = None
    reply_to: int | None = None
    file: StoredFile | None = None
    edit_date: datetime | None = None
    link_preview_options: JSON | None = None
    protect_content: bool = False
    callback_answer: str | None = None
    delivered: bool = True  # False: a group message privacy mode kept from the bot


@dataclass
class SimChat:
    id: int
    kind: ChatKind
    title: str | None
    person: SimPerson | None
    members: tuple[int, ...]
    messages: dict[int, SimMessage] = field(default_factory=dict)
    next_message_id: int = 1
    last_action: str | None = None
    note: str = ""


@dataclass
class CallbackRecord:
    id: str
    person_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: JSON | None = None
    # The chat's next message id when pressed: the bot's answers from then on are to this person.
    next_message_id: int = 0


def inline_buttons(markup: JSON | None) -> list[JSON]:
    """The buttons of an inline keyboard, row by row, left to right (the order `press` indexes)."""
    if not markup or not isinstance(markup.get("inline_keyboard"), list):
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


class SandboxState:
    def __init__(
        self,
        people: Sequence[SimPerson],
        groups: Sequence[SimGroup],
        *,
        clock: SandboxClock,
        bot: BotIdentity,
    ) -> None:
        ids = [person.id for person in people]
        if len(set(ids)) != len(ids) or any(i <= 0 for i in ids):
            raise ValueError("people need distinct positive ids (Telegram user ids)")
        self.clock = clock
        self.bot = bot
        self.people: dict[int, SimPerson] = {person.id: person for person in people}
        self.started: set[int] = {person.id for person in people if person.started}
        self.blocked: set[int] = set()
        self.chats: dict[int, SimChat] = {}
        for person in people:
            self.chats[person.id] = SimChat(person.id, ChatKind.PRIVATE, None, person, (person.id,))
        for group in groups:
            if group.id >= 0 or group.id in self.chats:
                raise ValueError(f"group {group.id}: group ids are negative and distinct")
            unknown = [member for member in group.members if member not in self.people]
            if unknown:
                raise ValueError(f"group {group.id}: unknown members {unknown}")
            kind = ChatKind.SUPERGROUP if str(group.id).startswith("-100") else ChatKind.GROUP
            self.chats[group.id] = SimChat(group.id, kind, group.title, None, tuple(group.members), note=group.note)
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.updates: list[JSON] = []
        self.next_update_id = 1
        self.allowed_updates: frozenset[str] | None = None
        self.webhook: JSON | None = None
        self.commands: dict[tuple[str, str], tuple[JSON, list[JSON]]] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self._callback_ids = itertools.count(4_240_000_000_000_000_001)
        self._file_numbers = itertools.count(1)
        self._changed = asyncio.Event()

    # ---- waking waiters -------------------------------------------------------------------------

    def changed(self) -> asyncio.Event:
        """An event set at the next change (a new update, message, edit or answer)."""
        return self._changed

    def notify(self) -> None:
        # Swap in a fresh event: whoever holds the old one wakes, later waiters wait for the next change.
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, probe: Callable[[], T | None], timeout: float) -> T:
        """Wait until `probe()` returns something other than None; TimeoutError after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = probe()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"nothing matched within {timeout} s")
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue

    # ---- Bot API shapes -------------------------------------------------------------------------

    def bot_user(self, *, full: bool = False) -> JSON:
        user: JSON = {
            "id": self.bot.id,
            "is_bot": True,
            "first_name": self.bot.first_name,
            "username": self.bot.username,
        }
        if full:
            # getMe's extra fields, which only the bot's own User carries.
            user.update(
                can_join_groups=True,
                can_read_all_group_messages=not self.bot.privacy_mode,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return user

    @staticmethod
    def user_dict(person: SimPerson) -> JSON:
        user: JSON = {"id": person.id, "is_bot": False, "first_name": person.name}
        if person.username:
            user["username"] = person.username
        if person.language_code:
            user["language_code"] = person.language_code
        return user

    @staticmethod
    def chat_dict(chat: SimChat) -> JSON:
        if chat.person is not None:
            result: JSON = {"id": chat.id, "type": "private", "first_name": chat.person.name}
            if chat.person.username:
                result["username"] = chat.person.username
            return result
        return {"id": chat.id, "type": str(chat.kind), "title": chat.title or ""}

    def message_dict(self, message: SimMessage, *, with_reply: bool = True) -> JSON:
        chat = self.chats[message.chat_id]
        sender = self.bot_user() if message.from_bot else self.user_dict(self.people[message.sender_id])
        result: JSON = {
            "message_id": message.message_id,
            "from": sender,
            "chat": self.chat_dict(chat),
            "date": _unix(message.date),
        }
        if message.edit_date is not None:
            result["edit_date"] = _unix(message.edit_date)
        if with_reply and message.reply_to is not None:
            replied = chat.messages.get(message.reply_to)
            if replied is not None:
                # Telegram nests one level only: the replied-to message carries no reply of its own.
                result["reply_to_message"] = self.message_dict(replied, with_reply=False)
        if message.protect_content:
            result["has_protected_content"] = True
        stored = message.file
        if stored is None:
            result["text"] = message.text
            if message.entities:
                result["entities"] = message.entities
            if message.link_preview_options:
                result["link_preview_options"] = message.link_preview_options
        else:
            if stored.kind == "photo":
                result["photo"] = [self.photo_size(stored)]
            else:
                result["document"] = self.document_dict(stored)
            if message.text:
                result["caption"] = message.text
                if message.entities:
                    result["caption_entities"] = message.entities
        if message.reply_markup is not None and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result

    @staticmethod
    def document_dict(stored: StoredFile) -> JSON:
        result: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            result["file_name"] = stored.file_name
        if stored.mime_type:
            result["mime_type"] = stored.mime_type
        return result

    @staticmethod
    def photo_size(stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width,
            "height": stored.height,
            "file_size": len(stored.data),
        }

    @staticmethod
    def file_dict(stored: StoredFile) -> JSON:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.path,
        }

    # ---- updates --------------------------------------------------------------------------------

    def update_allowed(self, kind: str) -> bool:
        if not self.allowed_updates:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates

    def push_update(self, kind: str, payload: JSON) -> None:
        # Telegram filters by allowed_updates when an update is created, not when it is fetched.
        if self.update_allowed(kind):
            self.updates.append({"update_id": self.next_update_id, kind: payload})
            self.next_update_id += 1
        self.notify()

    def confirm(self, offset: int | None) -> None:
        """getUpdates' offset: forget the updates before it (a negative offset keeps only the last -offset)."""
        if offset is None or offset == 0:
            return
        if offset > 0:
            self.updates = [update for update in self.updates if update["update_id"] >= offset]
        else:
            self.updates = self.updates[offset:]

    # ---- files ----------------------------------------------------------------------------------

    def store_file(
        self, kind: str, data: bytes, file_name: str | None, mime_type: str | None, width: int = 0, height: int = 0
    ) -> StoredFile:
        number = next(self._file_numbers)
        prefix = "AgAC" if kind == "photo" else "BQAC"
        extension = ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1][:8]
        folder = "photos" if kind == "photo" else "documents"
        stored = StoredFile(
            file_id=f"{prefix}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQAD{secrets.token_urlsafe(9)}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            path=f"{folder}/file_{number}{extension or ('.jpg' if kind == 'photo' else '')}",
            width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.path] = stored
        return stored

    # ---- messages -------------------------------------------------------------------------------

    def add_message(
        self,
        chat: SimChat,
        *,
        from_bot: bool,
        sender_id: int,
        formatted: FormattedText,
        reply_markup: JSON | None = None,
        reply_to: int | None = None,
        file: StoredFile | None = None,
        link_preview_options: JSON | None = None,
        protect_content: bool = False,
    ) -> SimMessage:
        message = SimMessage(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            sender_id=sender_id,
            from_bot=from_bot,
            date=self.clock.now(),
            text=formatted.text,
            entities=formatted.entities,
            reply_markup=reply_markup,
            reply_to=reply_to,
            file=file,
            link_preview_options=link_preview_options,
            protect_content=protect_content,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        self.notify()
        return message

    # ---- the person's side (scripting) ----------------------------------------------------------

    def person(self, person_id: object) -> SimPerson:
        if isinstance(person_id, bool) or not isinstance(person_id, int | str):
            raise ScriptError(400, "Trường «person» phải là mã số (id) của một người.")
        try:
            key = int(person_id)
        except ValueError as error:
            raise ScriptError(400, "Trường «person» phải là mã số (id) của một người.") from error
        found = self.people.get(key)
        if found is None:
            group = self.chats.get(key)
            if group is not None and group.person is None:
                raise ScriptError(
                    404,
                    f"{key} là mã của nhóm «{group.title}», không phải của một người: "
                    f'gửi {{"person": <mã thành viên>, "chat": {key}}}.',
                )
            raise ScriptError(404, f"Không có người nào có mã {key}.")
        return found

    def _person_chat(self, person: SimPerson, chat_id: object | None) -> SimChat:
        if chat_id is None:
            return self.chats[person.id]
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise ScriptError(400, "Trường «chat» phải là mã số của một nhóm.")
        chat = self.chats.get(chat_id)
        if chat is None or chat.person is not None:
            raise ScriptError(404, f"Không có nhóm nào có mã {chat_id}.")
        if person.id not in chat.members:
            raise ScriptError(403, f"{person.name} không phải thành viên nhóm «{chat.title}».")
        return chat

    def _check_not_blocked(self, person: SimPerson) -> None:
        if person.id in self.blocked:
            raise ScriptError(409, f"{person.name} đang chặn bot; hãy bỏ chặn trước (POST /api/sandbox/block).")

    def _message_in(self, chat: SimChat, message_id: object) -> SimMessage:
        if isinstance(message_id, bool) or not isinstance(message_id, int):
            raise ScriptError(400, "Trường «message_id» phải là một số nguyên.")
        message = chat.messages.get(message_id)
        if message is None:
            raise ScriptError(404, f"Không có tin nhắn số {message_id} trong cuộc trò chuyện này.")
        return message

    @staticmethod
    def _person_text(text: object) -> str:
        return person_text(text)

    def _delivered_to_bot(self, chat: SimChat, message: SimMessage) -> bool:
        """Privacy mode: in groups the bot sees commands, replies to its own messages and mentions only."""
        if chat.person is not None or not self.bot.privacy_mode:
            return True
        mention = "@" + self.bot.username.lower()
        for entity in message.entities:
            covered = _utf16_slice(message.text, entity["offset"], entity["length"])
            if entity["type"] == "bot_command" and ("@" not in covered or covered.lower().endswith(mention)):
                return True
            if entity["type"] == "mention" and covered.lower() == mention:
                return True
        if message.reply_to is not None:
            replied = chat.messages.get(message.reply_to)
            return replied is not None and replied.from_bot
        return False

    def person_sends(
        self, person_id: object, text: object, reply_to: object = None, chat_id: object = None
    ) -> SimMessage:
        """The person writes to the bot: a new message in their chat and a `message` update."""
        person = self.person(person_id)
        chat = self._person_chat(person, chat_id)
        self._check_not_blocked(person)
        body = self._person_text(text)
        replied = None if reply_to is None else self._message_in(chat, reply_to).message_id
        message = self.add_message(
            chat,
            from_bot=False,
            sender_id=person.id,
            formatted=FormattedText(body, detect_entities(body)),
            reply_to=replied,
        )
        if chat.person is not None:
            # Writing to the bot opens the chat: from now on the bot may write first.
            self.started.add(person.id)
        if self._delivered_to_bot(chat, message):
            self.push_update("message", self.message_dict(message))
        else:
            message.delivered = False
        return message

    def person_edits(self, person_id: object, message_id: object, text: object, chat_id: object = None) -> SimMessage:
        """The person edits one of their messages: an `edited_message` update with the new text."""
        person = self.person(person_id)
        chat = self._person_chat(person, chat_id)
        self._check_not_blocked(person)
        message = self._message_in(chat, message_id)
        if message.from_bot or message.sender_id != person.id:
            raise ScriptError(400, f"Tin nhắn số {message.message_id} không phải của {person.name}, không sửa được.")
        body = self._person_text(text)
        if body == message.text:
            raise ScriptError(400, "Nội dung mới giống hệt nội dung cũ.")
        message.text = body
        message.entities = detect_entities(body)
        message.edit_date = self.clock.now()
        if self._delivered_to_bot(chat, message):
            self.push_update("edited_message", self.message_dict(message))
        else:
            self.notify()
        return message

    def person_presses(self, person_id: object, message_id: object, button: object, chat_id: object = None) -> str:
        """The person presses an inline button: a `callback_query` update carrying its callback_data."""
        person = self.person(person_id)
        chat = self._person_chat(person, chat_id)
        self._check_not_blocked(person)
        message = self._message_in(chat, message_id)
        buttons = inline_buttons(message.reply_markup)
        if not buttons:
            raise ScriptError(400, f"Tin nhắn số {message.message_id} không có nút bấm.")
        chosen = _choose_button(buttons, button)
        if chosen is None:
            labels = ", ".join(f"«{b.get('text', '')}»" for b in buttons)
            raise ScriptError(
                400, f"Không có nút {button!r} trong tin nhắn số {message.message_id}; các nút: {labels}."
            )
        if "callback_data" not in chosen:
            raise ScriptError(400, f"Nút «{chosen.get('text', '')}» mở liên kết, không gửi gì cho bot.")
        query_id = str(next(self._callback_ids))
        self.callbacks[query_id] = CallbackRecord(
            query_id,
            person.id,
            chat.id,
            message.message_id,
            chosen["callback_data"],
            next_message_id=chat.next_message_id,
        )
        payload: JSON = {
            "id": query_id,
            "from": self.user_dict(person),
            "message": self.message_dict(message),
            "chat_instance": str(7_300_000_000_000_000_000 + abs(chat.id)),
            "data": chosen["callback_data"],
        }
        self.push_update("callback_query", payload)
        return query_id

    def set_platform(self, person_id: object, platform: object) -> SimPerson:
        """Where the person chats with the bot from now on; their chats on the other platform stay."""
        person = self.person(person_id)
        if platform not in PLATFORMS:
            raise ScriptError(400, "Trường «platform» phải là «telegram» hoặc «zalo».")
        moved = dataclasses.replace(person, platform=str(platform))
        self.people[person.id] = moved
        self.chats[person.id].person = moved
        self.notify()
        return moved

    def set_blocked(self, person_id: object, blocked: bool) -> None:
        """The person blocks (or unblocks) the bot; Telegram tells the bot with a `my_chat_member` update."""
        person = self.person(person_id)
        if (person.id in self.blocked) == blocked:
            return
        if blocked:
            self.blocked.add(person.id)
        else:
            self.blocked.discard(person.id)
            self.started.add(person.id)
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        moment = _unix(self.clock.now())
        bot_member: JSON = {"user": self.bot_user(), "status": new}
        if blocked:
            bot_member["until_date"] = 0
        old_member: JSON = {"user": self.bot_user(), "status": old}
        if not blocked:
            old_member["until_date"] = 0
        self.push_update(
            "my_chat_member",
            {
                "chat": self.chat_dict(self.chats[person.id]),
                "from": self.user_dict(person),
                "date": moment,
                "old_chat_member": old_member,
                "new_chat_member": bot_member,
            },
        )

    # ---- the scripting view ---------------------------------------------------------------------

    def view(self, chat: SimChat, since: int | None = None) -> list[JSON]:
        """The chat as the person sees it, oldest first: the scripting API's chat shape."""
        return [self.view_message(m) for m in chat.messages.values() if since is None or m.message_id > since]

    def view_message(self, message: SimMessage) -> JSON:
        buttons = inline_buttons(message.reply_markup)
        item: JSON = {
            "message_id": message.message_id,
            "from": "bot" if message.from_bot else "person",
            "text": message.text,
            "buttons": [str(button.get("text", "")) for button in buttons],
            # Telegram dates have whole seconds; a running clock's microseconds would only be noise.
            "date": message.date.astimezone(VIETNAM).isoformat(timespec="seconds"),
            "html": entities_to_html(message.text, message.entities),
            "reply_to": message.reply_to,
            "edited": message.edit_date is not None,
            "keyboard": [
                [
                    {"text": button.get("text", ""), **({"url": button["url"]} if "url" in button else {})}
                    for button in row
                ]
                for row in (message.reply_markup or {}).get("inline_keyboard", [])
            ],
            "callback_answer": message.callback_answer,
        }
        if not message.from_bot:
            sender = self.people[message.sender_id]
            item["sender"] = {"id": sender.id, "name": sender.name}
            if not message.delivered:
                item["seen_by_bot"] = False
        elif self.chats[message.chat_id].person is None:
            addressee = self.addressee(message)
            item["to"] = None if addressee is None else {"id": addressee.id, "name": addressee.name}
        stored = message.file
        if stored is not None:
            item[stored.kind] = {
                "file_name": stored.file_name,
                "mime_type": stored.mime_type,
                "size": len(stored.data),
                "url": f"/api/sandbox/files/{stored.file_id}",
            }
        return item

    def addressee(self, message: SimMessage) -> SimPerson | None:
        """Whom a bot message in a group answers: the sender of the message it replies to, or whoever
        last pressed a button on the bot message it replies to; None for the whole group."""
        if message.reply_to is None:
            return None
        chat = self.chats[message.chat_id]
        replied = chat.messages.get(message.reply_to)
        if replied is None:
            return None
        if not replied.from_bot:
            return self.people.get(replied.sender_id)
        pressers = [
            record.person_id
            for record in self.callbacks.values()
            if record.chat_id == chat.id
            and record.message_id == replied.message_id
            and record.next_message_id <= message.message_id
        ]
        return self.people.get(pressers[-1]) if pressers else None

    def groups(self) -> list[JSON]:
        """The groups with their members, for the page: `[{"id", "title", "note", "members": [...]}]`."""
        return [
            {
                "id": chat.id,
                "title": chat.title,
                "note": chat.note,
                "members": people_json(self.people[member] for member in chat.members),
            }
            for chat in self.chats.values()
            if chat.person is None
        ]

    def command_sets(self) -> list[JSON]:
        return [
            {"scope": scope, "language_code": language, "commands": commands}
            for (_, language), (scope, commands) in sorted(self.commands.items())
        ]


def _utf16_slice(text: str, offset: int, length: int) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def _choose_button(buttons: list[JSON], wanted: object) -> JSON | None:
    if isinstance(wanted, bool):
        return None
    if isinstance(wanted, int):
        return buttons[wanted] if 0 <= wanted < len(buttons) else None
    if not isinstance(wanted, str):
        return None
    for button in buttons:
        if button.get("text") == wanted:
            return button
    # Labels typed by hand may differ in Unicode form or spacing; match those too, but only if unique.
    key = _label_key(wanted)
    near = [button for button in buttons if _label_key(str(button.get("text", ""))) == key]
    return near[0] if len(near) == 1 else None


def _label_key(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label).split()).casefold()


def person_text(text: object) -> str:
    """What a simulated person may send: a non-empty string of at most 4096 characters."""
    if not isinstance(text, str) or not text.strip():
        raise ScriptError(400, "Trường «text» phải là một chuỗi không rỗng.")
    if len(text) > 4096:
        raise ScriptError(400, "Tin nhắn dài quá 4096 ký tự.")
    return text


def people_json(people: Iterable[SimPerson]) -> list[JSON]:
    return [{"id": p.id, "name": p.name, "unit": p.unit, "role": p.role} for p in people]


__all__ = [
    "PLATFORMS",
    "TELEGRAM",
    "ZALO",
    "ApiError",
    "BotIdentity",
    "CallbackRecord",
    "SandboxState",
    "ScriptError",
    "SimChat",
    "SimGroup",
    "SimMessage",
    "SimPerson",
    "StoredFile",
    "inline_buttons",
    "people_json",
    "person_text",
]

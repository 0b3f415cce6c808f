"""The command line around the conversation: the reply-parsing contract and invite codes."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy.engine import Engine

from tests.bot.chat import Chat
from tests.helpers import cli, snapshot

CODE_LINE = re.compile(r"^Mã mời: ([A-Za-z0-9_-]{1,64})$")


@pytest.fixture(autouse=True)
def default_bot_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NHACVIEC_TELEGRAM_BOT_USERNAME", raising=False)


def test_reply_parse_json_is_the_contract() -> None:
    result = cli("sqlite://", "reply", "parse", "đã trình lãnh đạo Sở, đạt 80%", "--json")
    assert result.exit_code == 0
    assert result.stdout == '{"status": "in_progress", "percent": 80, "reason": null}\n'


def test_reply_parse_json_reads_a_blocked_reason() -> None:
    result = cli("sqlite://", "reply", "parse", "chưa có hướng dẫn của Bộ nên chưa triển khai", "--json")
    assert json.loads(result.stdout) == {"status": "blocked", "percent": None, "reason": "chưa có hướng dẫn của Bộ"}


def test_reply_parse_json_says_unclear_for_what_it_cannot_read() -> None:
    result = cli("sqlite://", "reply", "parse", "để em hỏi lại chị Mai", "--json")
    assert result.exit_code == 0
    assert result.stdout == '{"status": "unclear", "percent": null, "reason": null}\n'


def test_invite_create_prints_the_code_the_deep_link_and_the_words_for_zalo(db_url: str) -> None:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    result = cli(db_url, "invite", "create", "--unit", "Văn phòng Sở", "--role", "staff", "--uses", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    match = CODE_LINE.match(lines[0])
    assert match is not None, lines
    code = match.group(1)
    assert lines[2] == f"Đường dẫn Telegram: https://t.me/nhacviec_bot?start={code}"
    assert lines[3] == f"Trong chat riêng gửi: /start {code}; trong nhóm của đơn vị: /bind {code}"
    assert lines[4] == f"Trên Zalo: nhắn «{code}» cho bot"
    assert lines[1].startswith("Cho Văn phòng Sở, ")


@pytest.mark.parametrize("role", ["monitor", "admin"])
def test_an_invite_for_the_whole_plan_does_not_offer_bind(db_url: str, role: str) -> None:
    assert cli(db_url, "plan", "import", "--bundled").exit_code == 0
    result = cli(db_url, "invite", "create", "--role", role)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    match = CODE_LINE.match(lines[0])
    assert match is not None, lines
    assert lines[3:] == [
        f"Trong chat riêng gửi: /start {match.group(1)}",
        f"Trên Zalo: nhắn «{match.group(1)}» cho bot",
    ]


def test_a_code_from_the_command_line_lets_people_join_in_chat(db_url: str, engine: Engine) -> None:
    cli(db_url, "plan", "import", "--bundled")
    result = cli(db_url, "invite", "create", "--unit", "Văn phòng Sở", "--role", "staff", "--uses", "2")
    match = CODE_LINE.match(result.stdout.splitlines()[0])
    assert match is not None
    chat = Chat(engine, with_plan=False)
    assert chat.say(chat.person("Đặng Văn Nam"), f"/start {match.group(1)}")[0].startswith(
        "Chào mừng Đặng Văn Nam! Bạn đã tham gia Văn phòng Sở với vai trò công chức, viên chức."
    )


def test_a_staff_invite_without_a_unit_is_refused_and_changes_nothing(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "invite", "create", "--role", "staff")
    assert result.exit_code == 2
    assert result.stderr == 'Lỗi: Công chức và lãnh đạo đơn vị phải thuộc một đơn vị: hãy thêm --unit "…".\n'
    assert result.stdout == ""
    assert snapshot(db_url) == before


def test_an_unknown_role_is_refused_and_changes_nothing(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "invite", "create", "--unit", "Văn phòng Sở", "--role", "truong_phong")
    assert result.exit_code == 2
    assert result.stderr == "Lỗi: Vai trò không hợp lệ truong_phong: dùng staff, unit_lead, monitor hoặc admin.\n"
    assert snapshot(db_url) == before


def test_an_unknown_unit_is_refused_and_changes_nothing(db_url: str) -> None:
    cli(db_url, "plan", "import", "--bundled")
    before = snapshot(db_url)
    result = cli(db_url, "invite", "create", "--unit", "Phòng Kế hoạch Tài chính", "--role", "staff")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Không có đơn vị nào tên «Phòng Kế hoạch Tài chính».")
    assert snapshot(db_url) == before

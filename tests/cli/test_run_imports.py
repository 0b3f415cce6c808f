"""Issue 22 item 5: `nhacviec run --role bot` with a token loads only what the bot needs before it starts
polling Telegram: no report writers, no sandbox, no web server (aiohttp loads once polling began), no
importer on a restart, no client of a platform without a token (Zalo). Like test_cli_imports.py, a subprocess reports its `sys.modules`."""

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from models import db
from nhacviec.service import prepare_database
from sandbox import Sandbox

pytestmark = pytest.mark.slow

# Writes the loaded modules to argv[1] the moment polling has begun, and ends the process there.
PROBE = """
import json, os, sys
from telegram.ext import Updater

start_polling = Updater.start_polling

async def polling_started(self, *args, **kwargs):
    await start_polling(self, *args, **kwargs)
    with open(sys.argv[1], "w") as out:
        json.dump(sorted(sys.modules), out)
    os._exit(0)

Updater.start_polling = polling_started
from nhacviec.cli import main
main(["run", "--role", "bot"])
"""

NOT_BEFORE_POLLING = (
    "aiohttp",
    "docx",
    "openpyxl",
    "matplotlib",
    "sandbox",
    "importer",
    "alembic",
    "nhacviec.ops_server",
    # Zalo is not configured (a Telegram token and no Zalo token): none of its client is loaded.
    "bot.platforms.zalo.api",
    "bot.platforms.zalo.sender",
    "bot.platforms.zalo.transport",
)


async def modules_when_polling(tmp_path: Path, sqlite_template: Path) -> set[str]:
    shutil.copyfile(sqlite_template, tmp_path / "n.db")
    db_url = f"sqlite:///{tmp_path / 'n.db'}"
    engine = db.make_engine(db_url)
    prepare_database(engine, "test")  # a restart: the plan is there already
    engine.dispose()
    sandbox = Sandbox([])
    await sandbox.start("127.0.0.1", 0)
    try:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")} | {
            "NHACVIEC_DB_URL": db_url,
            "NHACVIEC_TELEGRAM_TOKEN": "7000000001:thu-khoi-dong",
            "NHACVIEC_TELEGRAM_BASE_URL": sandbox.base_url,
            "NHACVIEC_HTTP_PORT": "0",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", PROBE, str(tmp_path / "modules.json"), env=environment, cwd=tmp_path
        )
        assert await asyncio.wait_for(process.wait(), timeout=120) == 0
    finally:
        await sandbox.stop()
    return set(json.loads((tmp_path / "modules.json").read_text()))


async def test_bot_role_polls_before_loading_writers_sandbox_web_server_or_importer(
    tmp_path: Path, sqlite_template: Path
) -> None:
    loaded = await modules_when_polling(tmp_path, sqlite_template)
    assert "telegram.ext" in loaded  # the probe did see a started bot
    assert sorted(name for name in NOT_BEFORE_POLLING if name in loaded) == []

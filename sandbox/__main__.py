"""`python -m sandbox`: a standalone sandbox with a few made-up people, for poking at by hand.

No bot runs here: point one at the printed base URL, or use the page to see what the scripting API
does. `nhacviec run` is what starts the sandbox together with the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from datetime import datetime

from sandbox.clock import VIETNAM, SandboxClock
from sandbox.server import Sandbox
from sandbox.state import SimPerson

SAMPLE_PEOPLE = [
    SimPerson(id=1001, name="Nguyễn Văn An", unit="Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", role="staff"),
    SimPerson(id=1002, name="Trần Thị Bình", unit="Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", role="unit_lead"),
    # On Zalo, so that both platforms show on the page.
    SimPerson(id=1003, name="Lê Minh Châu", unit="Văn phòng Sở", role="staff", platform="zalo"),
    SimPerson(id=1004, name="Phạm Quốc Dũng", unit=None, role="admin", started=False),
]


async def serve(host: str, port: int) -> None:
    sandbox = Sandbox(SAMPLE_PEOPLE, clock=SandboxClock(datetime.now(VIETNAM), running=True))
    await sandbox.start(host, port)
    print(f"Trang trò chuyện: {sandbox.url}")
    print(f"Bot API: {sandbox.base_url}<token>/<method>")
    print(f"Zalo Bot API: {sandbox.zalo_base_url}<token>/<method>")
    stopping = asyncio.Event()
    # SIGTERM (a service manager, `kill`) stops as cleanly as Ctrl-C does.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    try:
        await stopping.wait()
    finally:
        await sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Máy chủ Telegram và Zalo giả lập cho nhacviec."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    arguments = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(arguments.host, arguments.port))


if __name__ == "__main__":
    main()

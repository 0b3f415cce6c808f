"""What the end-to-end tests share: a free loopback port and `nhacviec run` in its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn_run(tmp_path: Path, env: Mapping[str, str], *, merge_stderr: bool) -> subprocess.Popen[str]:
    """`nhacviec run` in `tmp_path` with only the given NHACVIEC_* variables (none from this machine)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")} | dict(env)
    return subprocess.Popen(
        [sys.executable, "-m", "nhacviec", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        env=environment,
        cwd=tmp_path,
    )


def stop_run(process: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """Ctrl-C, as a person would; (stdout, stderr) once it ended (killed if it hangs past `timeout`)."""
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise

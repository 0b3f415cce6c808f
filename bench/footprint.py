"""Start-up time and memory of the service, measured from outside as an operator sees them.

1. `nhacviec run --role bot` with a Telegram token whose base URL (NHACVIEC_TELEGRAM_BASE_URL) points
   at a sandbox this script serves: the time from exec to the bot's first getUpdates, as the sandbox
   saw it, then the process's resident memory after it has idled (30 s by default).
2. `nhacviec run --role all` (bot, reminders and a dispatcher) the same way: its idle memory.
3. `nhacviec version`: the median wall time of five runs.

The database is prepared first (migrated, the bundled plan imported), and the project's bytecode
compiled as `pip install` compiles it, so the start-up measured is an installed service's restart, not
the first-ever run of a checkout (PYTHONDONTWRITEBYTECODE would otherwise recompile every module). The last line is a contract:

    footprint: cold_start_s=<s> idle_rss_mb=<mb> all_idle_rss_mb=<mb> version_s=<s>

Goals: cold start under 1.0 s, bot idle under 80 MB, version under 0.3 s. `--idle 5` for a quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox import Sandbox

TOKEN = "7000000001:footprint-bench"


def nhacviec() -> str:
    found = shutil.which("nhacviec", path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit("nhacviec is not installed next to this Python (make .venv/.installed)")
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far: on a loaded machine wall time mostly measures
    the neighbours."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def environment(db_url: str, base_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NHACVIEC_")}
    env |= {"NHACVIEC_DB_URL": db_url}
    if base_url is not None:
        env |= {"NHACVIEC_TELEGRAM_TOKEN": TOKEN, "NHACVIEC_TELEGRAM_BASE_URL": base_url}
    return env


async def measure_run(role: str, db_url: str, idle: float, workdir: Path) -> tuple[float, float, float]:
    """(seconds from exec to the first getUpdates, CPU seconds by then, resident MB after `idle` seconds)."""
    sandbox = Sandbox([])
    await sandbox.start("127.0.0.1", 0)
    try:
        started = time.monotonic()  # the sandbox's default ticker is time.monotonic too
        process = await asyncio.create_subprocess_exec(
            nhacviec(),
            "run",
            "--role",
            role,
            env=environment(db_url, sandbox.base_url),
            cwd=workdir,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            while sandbox.api.first_poll_at is None:
                if process.returncode is not None:
                    error = await process.stderr.read() if process.stderr else b""
                    raise SystemExit(f"nhacviec run --role {role} stopped: {error.decode()}")
                await asyncio.sleep(0.005)
            cold = sandbox.api.first_poll_at - started
            cpu = cpu_seconds(process.pid)
            await asyncio.sleep(idle)
            rss = rss_mb(process.pid)
        finally:
            if process.returncode is None:
                process.send_signal(2)  # SIGINT: a clean stop
                await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        await sandbox.stop()
    return cold, cpu, rss


def version_seconds(runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of `nhacviec version`."""
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([nhacviec(), "version"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=30.0, help="seconds to idle before reading the memory")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    for package in ("bot", "domain", "scheduler", "models", "importer", "reports", "nhacviec", "locales", "sandbox"):
        compileall.compile_dir(root / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="footprint-") as tmp:
        workdir = Path(tmp)
        db_url = f"sqlite:///{workdir / 'nhacviec.db'}"
        subprocess.run(
            [nhacviec(), "plan", "import", "--bundled"],
            check=True,
            capture_output=True,
            env=environment(db_url),
            cwd=workdir,
        )
        cold, cold_cpu, idle_rss = asyncio.run(measure_run("bot", db_url, args.idle, workdir))
        print(
            f"run --role bot: first getUpdates after {cold:.3f} s ({cold_cpu:.2f} s CPU), "
            f"{idle_rss:.1f} MB after {args.idle:g} s idle"
        )
        _cold_all, _cpu_all, all_rss = asyncio.run(measure_run("all", db_url, args.idle, workdir))
        print(f"run --role all: {all_rss:.1f} MB after {args.idle:g} s idle")
        version, version_cpu = version_seconds()
        print(f"nhacviec version: {version:.3f} s ({version_cpu:.3f} s CPU; medians of 5)")
    print(
        f"footprint: cold_start_s={cold:.3f} idle_rss_mb={idle_rss:.1f} all_idle_rss_mb={all_rss:.1f} "
        f"version_s={version:.3f}"
    )


if __name__ == "__main__":
    main()

"""What the image does, without Docker: build the wheel, install it into a fresh virtual environment
outside the checkout, and run `nhacviec run` from there until a simulated person's /tasks is answered.

The new environment gets the test environment's dependencies through a .pth line (no download) but
not its editable install of nhacviec: only what the wheel carries can be imported."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from tests.e2e.support import READY, ask_for_tasks, clean_env, free_port, stop_run, wait_for_line

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def declared_packages() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]


def build_wheel(tmp_path: Path) -> Path:
    """From a copy of the files the Dockerfile copies, so nothing else of the checkout can leak in."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in declared_packages():
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = wheels.glob("nhacviec-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # A plain path line: the dependencies become importable, the .pth files there (the editable
    # install of this checkout) are not processed.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-deps", wheel],
        check=True,
    )
    # As the Dockerfile does: the catalogs compiled where the package was installed.
    subprocess.run(
        [venv / "bin" / "python", "-m", "babel.messages.frontend", "compile", "-D", "nhacviec", "-d", site / "locales"],
        check=True,
    )
    return site


def test_the_installed_wheel_runs_the_sandbox_outside_the_checkout(tmp_path: Path) -> None:
    site = install(build_wheel(tmp_path), tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env()
    where = subprocess.run(
        [tmp_path / "venv" / "bin" / "python", "-c", "import nhacviec.service, sandbox; print(sandbox.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    port = free_port()
    process = subprocess.Popen(
        [tmp_path / "venv" / "bin" / "nhacviec", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(
            NHACVIEC_DB_URL=f"sqlite:///{elsewhere}/nhacviec.db",
            NHACVIEC_SANDBOX_PORT=str(port),
            NHACVIEC_HTTP_PORT="0",
        ),
        cwd=elsewhere,
    )
    try:
        wait_for_line(process, READY, timeout=60)
        _staff, answer = ask_for_tasks(port)
        assert answer.startswith("Các việc đang mở của đơn vị bạn (")
    finally:
        output, _ = stop_run(process)
    assert process.returncode == 0, output

"""The deployment files: the image carries every package `pip install .` installs, compose runs the
service on PostgreSQL with health checks, and the systemd units restart the service and back it up."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def declared_packages() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_every_declared_package_is_copied_into_the_image() -> None:
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile(), flags=re.MULTILINE))
    assert declared_packages() == {
        "bot",
        "domain",
        "scheduler",
        "models",
        "importer",
        "reports",
        "nhacviec",
        "locales",
        "sandbox",
    }
    assert declared_packages() - copied == set()


def test_the_image_installs_the_package_runs_unprivileged_and_checks_health() -> None:
    text = dockerfile()
    assert "RUN pip install --no-cache-dir ." in text
    assert "pybabel compile -D nhacviec" in text
    assert "\nUSER nhacviec\n" in text
    assert re.search(r"^HEALTHCHECK .*\n\s+CMD .*/healthz", text, flags=re.MULTILINE)
    assert "NHACVIEC_HTTP_HOST=0.0.0.0" in text and "NHACVIEC_HTTP_PORT=8081" in text


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


def test_compose_runs_the_service_on_postgresql_after_its_healthcheck() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "nhacviec"}
    db, service = services["db"], services["nhacviec"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert service["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert service["environment"]["NHACVIEC_DB_URL"].startswith("postgresql+psycopg://nhacviec:")
    assert "@db:5432/nhacviec" in service["environment"]["NHACVIEC_DB_URL"]
    # Migrations first, then the service in the shell's place (so it gets the stop signal).
    assert service["entrypoint"][-1] == "nhacviec db upgrade && exec nhacviec run"
    assert "/healthz" in " ".join(service["healthcheck"]["test"])


def test_compose_keeps_the_data_in_named_volumes() -> None:
    document = compose()
    assert set(document["volumes"]) == {"pgdata", "data"}
    assert "pgdata:/var/lib/postgresql/data" in document["services"]["db"]["volumes"]
    assert "data:/data" in document["services"]["nhacviec"]["volumes"]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "deploy" / name, encoding="utf-8")
    return parser


def test_the_systemd_service_restarts_on_failure_after_migrating() -> None:
    service = unit("nhacviec.service")["Service"]
    assert service["Restart"] == "on-failure"
    assert service["ExecStartPre"].endswith("nhacviec db upgrade")
    assert service["ExecStart"].endswith("nhacviec run")
    assert service["User"] == "nhacviec"


def test_the_backup_timer_starts_the_backup_every_night() -> None:
    timer = unit("nhacviec-backup.timer")
    assert timer["Timer"]["Unit"] == "nhacviec-backup.service"
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00 Asia/Ho_Chi_Minh"
    assert timer["Timer"]["Persistent"] == "true"
    backup = unit("nhacviec-backup.service")["Service"]
    assert backup["Type"] == "oneshot"
    assert " backup " in backup["ExecStart"]

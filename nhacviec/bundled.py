"""The plan that ships with the package: the Quảng Ngãi Department of Science and Technology's plan."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_PLAN = "quang-ngai-skhcn-tdc-2025.txt"


def bundled_plan_path() -> Path:
    return Path(str(resources.files("nhacviec") / "plans" / BUNDLED_PLAN))

"""`import nhacviec.cli` does no work: the database layer, the bot, the sandbox, the web server and the
report writers load only in the commands that use them, so `version` and `--help` answer at once."""

import json
import subprocess
import sys

HEAVY = ("sqlmodel", "sqlalchemy", "telegram", "aiohttp", "docx", "openpyxl", "matplotlib", "sandbox", "alembic")


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_package() -> None:
    loaded = modules_after("import nhacviec.cli")
    assert sorted(name for name in HEAVY if name in loaded) == []


def test_building_the_command_tree_loads_no_heavy_package() -> None:
    loaded = modules_after("import nhacviec.cli\nnhacviec.cli.build_app('vi')")
    assert sorted(name for name in HEAVY if name in loaded) == []


def test_version_answers_before_typer_and_pydantic_load() -> None:
    loaded = modules_after(
        "import nhacviec.cli\ntry:\n    nhacviec.cli.main(['--lang', 'en', 'version'])\nexcept SystemExit:\n    pass"
    )
    assert sorted(name for name in ("typer", "click", "pydantic", "rich") if name in loaded) == []
